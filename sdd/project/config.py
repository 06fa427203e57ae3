"""``sdd.yaml``: the project's configuration.

The schema is a tree of NamedTuples validated by pydantic (``TypeAdapter``), whose errors give
one problem per field with the file and line (``ConfigError``). Because the git hook loads the
configuration on every commit that stages an artifact, a plain file is built without importing
pydantic: ``_build`` accepts only values of exactly the declared types and constraints, which
pydantic would accept unchanged; anything else goes to pydantic, which either coerces it or
explains what is wrong (ADR-0005). pydantic validates each schema class as a frozen dataclass
made from it (``_for_pydantic``: same fields, types, constraints and defaults), so that its
messages read as they always have; the schema itself is no dataclass because importing
``dataclasses`` and making one cost the hook more than the rest of reading the file (ADR 0172).
Likewise a file in the plain subset ``yamlsubset`` reads (the one ``sdd init`` writes) is parsed
without importing PyYAML (ADR-0150).

Every key is optional; a missing file means all defaults. Path keys left unset are filled by
layout detection (``sdd.project.project``), so a spec-kit repository keeps its own folders.
"""

# No ``from __future__ import annotations``: the fields' types are evaluated once, as the classes
# are made, instead of being compiled from strings by ``typing.get_type_hints`` on every load.
import types
import typing
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from sdd.base import yamlsubset
from sdd.base.errors import ConfigError, ConfigProblem, ParseError, UnsafePathError
from sdd.project.filenames import CONFIG_FILE as CONFIG_FILE

_STRICT: dict[str, Any] = {"extra": "forbid"}


class _Constraint:
    """A check on a value, applied by the fast builder and, through pydantic's hook, by pydantic."""

    def problem(self, value: Any) -> str | None:
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def check(value: Any) -> Any:
            found = None if value is None else self.problem(value)
            if found:
                raise ValueError(found)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))


class Bound(_Constraint):
    """Limits of a number. A plain class, as the constraints are only read: a dataclass would
    cost every command that reads ``sdd.yaml`` the compiling of its generated methods."""

    __slots__ = ("ge", "gt", "le")

    def __init__(
        self, *, ge: float | None = None, gt: float | None = None, le: float | None = None
    ) -> None:
        self.ge, self.gt, self.le = ge, gt, le

    def problem(self, value: Any) -> str | None:
        if self.ge is not None and value < self.ge:
            return f"must be at least {self.ge:g}"
        if self.gt is not None and value <= self.gt:
            return f"must be greater than {self.gt:g}"
        if self.le is not None and value > self.le:
            return f"must be at most {self.le:g}"
        return None


class InsideProject(_Constraint):
    """A non-empty relative path that cannot leave the project (no ``..``, not absolute)."""

    def problem(self, value: Any) -> str | None:
        if not value.strip():
            return "must not be empty"
        from sdd.base.paths import relative_parts

        try:
            relative_parts(value)
        except UnsafePathError as exc:
            return exc.message
        return None


ProjectPath = Annotated[str | None, InsideProject()]


class PathsConfig(NamedTuple):
    """Folders and files of DESIGN §2, relative to the project root. ``None``: detect."""

    specs: ProjectPath = None
    constitution: ProjectPath = None
    prompts: ProjectPath = None
    adr: ProjectPath = None
    templates: ProjectPath = None

    def as_dict(self) -> dict[str, str | None]:
        return self._asdict()


# The default lists and mappings below are shared by every configuration that leaves them out
# (a NamedTuple has no default factory): a configuration is never changed once read.


class FeaturesConfig(NamedTuple):
    """How features are numbered, and the words of the team's specs that are not placeholders."""

    numbering: Literal["sequential", "timestamp"] = "sequential"
    digits: Annotated[int, Bound(ge=1, le=6)] = 3
    # Bracketed words the team uses as labels ("RED", "PR-A"), never placeholders.
    labels: list[str] = []  # noqa: RUF012 (shared, see above)
    # Other names of a template's required heading: {"Requirements": ["需求", "要件"]}.
    headings: dict[str, list[str]] = {}  # noqa: RUF012 (shared, see above)


class DetectConfig(NamedTuple):
    """Settings for ``sdd adr detect``: extra rules, ignored paths, the significance threshold.

    ``rules`` entries have the shape of the packaged rule pack's rules
    (``sdd/detect/rules/default.yaml``): a new id adds a rule, a packaged id overrides that
    rule's keys (``enabled: false`` turns it off). They are validated by ``sdd.detect.rulepack``
    when detection runs, so that a bad rule is reported with its id, key and line. ``ignore``
    globs are never considered; ``threshold`` replaces the pack's per-category threshold.
    """

    threshold: Annotated[float | None, Bound(gt=0)] = None
    rules: list[dict[str, Any]] = []  # noqa: RUF012 (shared, see above)
    ignore: list[str] = []  # noqa: RUF012 (shared, see above)


class McpConfig(NamedTuple):
    """``sdd mcp``: how a tool that writes on consent asks for it.

    ``elicitation`` (default): the client asks the human; a client that cannot is refused.
    ``argument``: such a client may confirm with the tool's ``confirm: true`` argument, that is
    on the model's word (clients that can ask the human are still asked).
    """

    consent: Literal["elicitation", "argument"] = "elicitation"


class Config(NamedTuple):
    """The whole of ``sdd.yaml``."""

    version: Literal[1] = 1
    paths: PathsConfig = PathsConfig()
    features: FeaturesConfig = FeaturesConfig()
    detect: DetectConfig = DetectConfig()
    mcp: McpConfig = McpConfig()


_SCHEMA = frozenset({PathsConfig, FeaturesConfig, DetectConfig, McpConfig, Config})


def _is_schema(hint: Any) -> bool:
    return isinstance(hint, type) and hint in _SCHEMA


# --- the fast builder --------------------------------------------------------------------------


class _NotPlain(Exception):
    """The value is not exactly of the declared type: let pydantic decide."""


def _check(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is Annotated:
        base, *extras = typing.get_args(hint)
        checked = _check(base, value)
        for extra in extras:
            if isinstance(extra, _Constraint) and checked is not None and extra.problem(checked):
                raise _NotPlain
        return checked
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _check(option, value)
            except _NotPlain:
                continue
        raise _NotPlain
    if origin is Literal:
        if any(type(value) is type(choice) and value == choice for choice in typing.get_args(hint)):
            return value
        raise _NotPlain
    if origin is list:
        (item,) = typing.get_args(hint)
        if type(value) is not list:
            raise _NotPlain
        return [_check(item, element) for element in value]
    if origin is dict:
        if type(value) is not dict or not all(type(key) is str for key in value):
            raise _NotPlain
        return value
    if hint is Any:
        return value
    if hint is type(None):
        if value is None:
            return None
        raise _NotPlain
    if hint is float and type(value) in (int, float):
        return float(value)
    if _is_schema(hint):
        return _build(hint, value)
    if isinstance(hint, type) and type(value) is hint:
        return value
    raise _NotPlain


def _build(cls: Any, data: Any) -> Any:
    if type(data) is not dict:
        raise _NotPlain
    hints = typing.get_type_hints(cls, include_extras=True)
    if not set(data) <= set(cls._fields):
        raise _NotPlain
    return cls(**{name: _check(hints[name], value) for name, value in data.items()})


# --- loading ---------------------------------------------------------------------------------


def _describe(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown key"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = message.removeprefix("Input should be ")
        return f"must be one of {expected}"
    if kind == "dataclass_type":
        return "must be a mapping of keys"
    return message[0].lower() + message[1:] if message else message


@cache
def _for_pydantic(cls: Any) -> Any:
    """Schema class ``cls`` as the frozen dataclass pydantic validates: its fields in order,
    their types and constraints, its defaults (a fresh list or mapping for each instance, a
    nested schema class as its own dataclass), unknown keys refused."""
    import dataclasses

    hints = typing.get_type_hints(cls, include_extras=True)
    fields: list[tuple[str, Any, Any]] = []
    for name in cls._fields:
        hint, default = hints[name], cls._field_defaults[name]
        if _is_schema(hint):
            twin = _for_pydantic(hint)
            fields.append((name, twin, dataclasses.field(default_factory=twin)))
        elif isinstance(default, list | dict):
            fields.append((name, hint, dataclasses.field(default_factory=type(default))))
        else:
            fields.append((name, hint, dataclasses.field(default=default)))
    namespace = {"__pydantic_config__": _STRICT, "__doc__": cls.__doc__}
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=True, namespace=namespace)


def _from_pydantic(cls: Any, validated: Any) -> Any:
    """The schema class ``cls`` holding what pydantic made of its dataclass."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return cls(
        **{
            name: _from_pydantic(hints[name], getattr(validated, name))
            if _is_schema(hints[name])
            else getattr(validated, name)
            for name in cls._fields
        }
    )


def validated_by_pydantic(data: dict[str, Any]) -> Config:
    """``data`` as pydantic reads it (its ``ValidationError`` when it cannot)."""
    from pydantic import TypeAdapter

    config: Config = _from_pydantic(
        Config, TypeAdapter(_for_pydantic(Config)).validate_python(data)
    )
    return config


def _validate_with_pydantic(data: dict[str, Any], text: str, source: Path) -> Config:
    from pydantic import ValidationError

    from sdd.base import yamlio

    try:
        return validated_by_pydantic(data)
    except ValidationError as exc:
        tree = yamlio.compose(text, source)
        problems = [
            ConfigProblem(
                ".".join(str(part) for part in error["loc"]),
                yamlio.line_of(tree, tuple(error["loc"])),
                _describe(dict(error)),
            )
            for error in exc.errors()
        ]
        count = len(problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in configuration"
        raise ConfigError(summary, path=source, problems=problems) from None


def parse_config(text: str, source: Path) -> Config:
    """Validate the text of a config file; raise ``ConfigError`` listing every problem."""
    plain = yamlsubset.load_typed(text) if len(text) <= yamlsubset.MAX_YAML_BYTES else None
    if plain is not None:
        data: Any = plain[0]
    else:
        from sdd.base import yamlio

        try:
            data = yamlio.load(text, source)
        except ParseError as exc:
            problem = ConfigProblem("", exc.line, exc.message)
            raise ConfigError(exc.message, path=source, problems=[problem]) from None
    if data is None:
        return Config()
    if not isinstance(data, dict):
        problem = ConfigProblem("", 1, f"must be a mapping of keys, not {type(data).__name__}")
        raise ConfigError(problem.message, path=source, problems=[problem])
    try:
        built: Config = _build(Config, data)
        return built
    except _NotPlain:
        return _validate_with_pydantic(data, text, source)


def load_config(root: Path) -> tuple[Config, Path | None]:
    """The config of the project at ``root`` and the file it came from (None: defaults)."""
    from sdd.base.fileio import read_text

    path = root / CONFIG_FILE
    if not path.is_file():
        return Config(), None
    try:
        text = read_text(path, limit=yamlsubset.MAX_YAML_BYTES)
    except ParseError as exc:
        problem = ConfigProblem("", exc.line, exc.message)
        raise ConfigError(exc.message, path=path, problems=[problem]) from None
    return parse_config(text, path), path
