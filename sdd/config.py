"""``sdd.yaml``: the project's configuration, loaded into pydantic models.

Every key is optional; a missing file means all defaults. Path keys left unset are filled by
layout detection (``sdd.project``), so a spec-kit repository keeps its own folders.
Problems are reported per field with the file and line (``ConfigError``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sdd import yamlio
from sdd.errors import ConfigError, ConfigProblem, ParseError

CONFIG_FILE = "sdd.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PathsConfig(_Strict):
    """Folders and files of DESIGN §2, relative to the project root. ``None``: detect."""

    specs: str | None = None
    constitution: str | None = None
    prompts: str | None = None
    adr: str | None = None
    templates: str | None = None

    @field_validator("*")
    @classmethod
    def _inside_project(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not value.strip():
            raise ValueError("must not be empty")
        from sdd.errors import UnsafePathError
        from sdd.paths import relative_parts

        try:
            relative_parts(value)
        except UnsafePathError as exc:
            raise ValueError(exc.message) from None
        return value


class FeaturesConfig(_Strict):
    numbering: Literal["sequential", "timestamp"] = "sequential"
    digits: int = Field(default=3, ge=1, le=6)


class DetectConfig(_Strict):
    """Settings for ``sdd adr detect``: extra rules, ignored paths, the significance threshold.

    ``rules`` entries have the shape of the packaged rule pack's rules (``sdd/rules/default.yaml``):
    a new id adds a rule, a packaged id overrides that rule's keys (``enabled: false`` turns it
    off). They are validated by ``sdd.rulepack`` when detection runs, so that a bad rule is
    reported with its id, key and line. ``ignore`` globs are never considered; ``threshold``
    replaces the pack's per-category threshold.
    """

    threshold: float | None = Field(default=None, gt=0)
    rules: list[dict[str, Any]] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)


class Config(_Strict):
    version: Literal[1] = 1
    paths: PathsConfig = Field(default_factory=PathsConfig)
    features: FeaturesConfig = Field(default_factory=FeaturesConfig)
    detect: DetectConfig = Field(default_factory=DetectConfig)


def _describe(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    message = str(error.get("msg", "invalid value"))
    if kind == "literal_error":
        expected = message.removeprefix("Input should be ")
        return f"must be one of {expected}"
    return message[0].lower() + message[1:] if message else message


def parse_config(text: str, source: Path) -> Config:
    """Validate the text of a config file; raise ``ConfigError`` listing every problem."""
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
        return Config.model_validate(data)
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


def load_config(root: Path) -> tuple[Config, Path | None]:
    """The config of the project at ``root`` and the file it came from (None: defaults)."""
    from sdd.fileio import read_text

    path = root / CONFIG_FILE
    if not path.is_file():
        return Config(), None
    try:
        text = read_text(path, limit=yamlio.MAX_YAML_BYTES)
    except ParseError as exc:
        problem = ConfigProblem("", exc.line, exc.message)
        raise ConfigError(exc.message, path=path, problems=[problem]) from None
    return parse_config(text, path), path
