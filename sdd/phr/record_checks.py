"""The checks of one Prompt History Record: front matter, file name and folder, sections,
placeholders and secrets (codes in docs/diagnostics.md, "Prompt History Records").

``sdd.phr.checks`` runs a ``RecordChecker`` on every record and adds the checks across
records (duplicate IDs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from sdd.base.diagnostics import Finding, error, warning
from sdd.base.patterns import compiled
from sdd.base.slugs import slugify
from sdd.phr import record as phr
from sdd.phr import schema
from sdd.phr.names import slug_abbreviates
from sdd.text.placeholders import find_placeholders, is_placeholder_value
from sdd.text.secrets import find_secrets

if TYPE_CHECKING:
    from pydantic import ValidationError

    from sdd.project.project import Project


# What precedes a value: a list marker and a label (``- 🧪 Tests:``), or a YAML key or list
# marker; the value is the rest without blanks (and a carriage return) at its end. The rest
# is cut by hand: a lazy ``(.*?)[ \t]*$`` costs time quadratic in a run of blanks.
_FIELD_LABEL = r"[ \t]*(?:[-*+][ \t]+)?(?:[^:\n]{1,80}:)?[ \t]*"
_HEADER_KEY = r"[ \t]*(?:-[ \t]+|[A-Za-z_][\w.-]*[ \t]*:[ \t]*)?"
_PLACEHOLDER_HINTS = ("[", "{{", "{%", "$ARGUMENTS")


def _has_hint(text: str) -> bool:
    """Whether ``text`` holds one of ``_PLACEHOLDER_HINTS`` (no generator: it runs per section
    of every record)."""
    return "[" in text or "{{" in text or "{%" in text or "$ARGUMENTS" in text


_SCHEMA_KEYS = frozenset(schema.KEYS)
_OPTIONAL_KEYS = tuple(key for key in schema.KEYS if key not in schema.REQUIRED_KEYS)


class RecordChecker:
    """Findings for one record file; ``found`` collects them in file order."""

    def __init__(
        self,
        project: Project,
        file: phr.RecordFile,
        features: frozenset[str],
        shown: str | None = None,
    ) -> None:
        self.project = project
        self.file = file
        self.features = features
        self.shown = shown if shown is not None else project.rel(file.path)
        self.found: list[Finding] = []
        self.front: dict[str, Any] | None = None
        self.record: phr.Record | None = None
        self.spelled: dict[str, str] | None = None  # schema key → key as written, once needed

    def key_line(self, key: str) -> int:
        """The file line of schema key ``key``, looked up as the file spells it (``DATE_ISO``
        for ``date``)."""
        assert self.record is not None
        if self.spelled is None:
            data = self.record.data if isinstance(self.record.data, dict) else {}
            self.spelled = {}
            for written in data:
                name = str(written).lower()
                self.spelled.setdefault(schema.KEY_ALIASES.get(name, name), str(written))
        return self.record.key_line(self.spelled.get(key, key))

    def error(self, line: int, code: str, message: str) -> None:
        self.found.append(error(self.shown, line, code, message))

    def warning(self, line: int, code: str, message: str) -> None:
        self.found.append(warning(self.shown, line, code, message))

    def run(self, record: phr.Record) -> list[Finding]:
        self.record = record
        self.check_front_matter(record)
        self.check_name_and_route(record)
        self.check_sections(record)
        for secret in find_secrets(record.text):
            self.warning(
                secret.line, "PHR022", f"possible secret ({secret.kind}); redact it or remove it"
            )
        return self.found

    # -- front matter -----------------------------------------------------------------------

    def check_front_matter(self, record: phr.Record) -> None:
        header = record.header
        if not header.present:
            self.error(1, "PHR002", "no front matter: the file must start with a '---' line")
            return
        if not header.closed:
            self.error(
                1,
                "PHR003",
                f"front matter never closes: no '---' line before line {header.end_line}",
            )
        if record.yaml_error is not None:
            self.check_key_names(record, dict(record.raw_keys()))
            self.check_header_placeholders(record)
            if header.closed:
                message = record.yaml_error.message
                self.error(record.yaml_error.line or header.first_line, "PHR004", message)
            return
        data = record.data
        if data is None:
            self.error(header.first_line, "PHR007", "front matter is empty")
            return
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
            self.error(
                header.first_line, "PHR005", f"front matter is {kind}, not a mapping of keys"
            )
            return
        if _SCHEMA_KEYS.issuperset(data):  # the usual case: every key is the schema's
            self.front = dict(data)
        else:
            self.front = self.check_key_names(record, _LazyLines(record, data), data)
        self.check_values(record, self.front)

    def check_key_names(
        self, record: phr.Record, keys: Mapping[str, int], data: dict[Any, Any] | None = None
    ) -> dict[str, Any]:
        """Report mis-spelled and unknown keys; return the data under the schema's key names."""
        normalised: dict[str, Any] = {}
        upper = [key for key in keys if key != key.lower()]
        if upper:
            shown = ", ".join(upper[:6]) + (", …" if len(upper) > 6 else "")
            self.error(keys[upper[0]], "PHR006", f"front matter keys must be lower-case: {shown}")
        # The values in the keys' order: a key YAML reads as null is named "null" in ``keys``,
        # which does not look it up in ``data``.
        values = iter(data.values()) if data is not None else None
        for key in keys:
            value = next(values) if values is not None else None
            name = key.lower()
            if name in schema.KEY_ALIASES:
                self.error(
                    keys[key],
                    "PHR006",
                    f"key {key!r} is not in the schema; use {schema.KEY_ALIASES[name]!r}",
                )
                name = schema.KEY_ALIASES[name]
            elif name not in schema.KEYS:
                self.warning(keys[key], "PHR008", f"unknown key {key!r}")
            if values is not None and name not in normalised:
                normalised[name] = value
        return normalised

    def check_header_placeholders(self, record: phr.Record) -> None:
        """With broken YAML, still find values that are template tokens (a raw template)."""
        header = record.header
        for offset, line in enumerate(header.text.split("\n")):
            if not _has_hint(line):
                continue
            value = _value_after(compiled(_HEADER_KEY), line).rstrip(" \t")
            if is_placeholder_value(value):
                self.error(
                    header.first_line + offset,
                    "PHR021",
                    f"front matter value is an unfilled placeholder: {value.strip()}",
                )

    def check_values(self, record: phr.Record, front: dict[str, Any]) -> None:
        line_of = self.key_line
        for key, value in front.items():
            if value is None:
                continue
            texts = (value,) if isinstance(value, str) else _strings(value, [])
            for text in texts:
                if _may_be_placeholder(text) and is_placeholder_value(text):
                    self.error(
                        line_of(key),
                        "PHR021",
                        f"front matter {key!r} is an unfilled placeholder: {text.strip()}",
                    )
                    break
        try:
            if not schema.fits(front):
                schema.model().model_validate(front)
        except _validation_error() as exc:
            for problem in exc.errors():
                where = ".".join(str(part) for part in problem["loc"])
                key = str(problem["loc"][0])
                message = schema.explain(problem)
                self.error(line_of(key), "PHR007", f"{where}: {message}")
        missing = [key for key in _OPTIONAL_KEYS if key not in front]
        if missing:
            self.warning(
                record.header.first_line, "PHR008", f"front matter lacks {', '.join(missing)}"
            )
        links = front.get("links")
        if isinstance(links, dict):
            for key in links:
                if str(key).lower() not in schema.LINK_KEYS:
                    self.warning(line_of("links"), "PHR008", f"unknown key 'links.{key}'")
        stage = front.get("stage")
        if isinstance(stage, str) and stage not in schema.STAGES:
            self.error(
                line_of("stage"),
                "PHR009",
                f"stage {stage!r} is not one of {', '.join(schema.STAGES)}",
            )
        date = front.get("date")
        if isinstance(date, str) and phr.iso_date(date) is None:
            self.error(
                line_of("date"),
                "PHR010",
                f"date {date!r} is not an ISO date (YYYY-MM-DD)",
            )

    # -- file name and folder ---------------------------------------------------------------

    def check_name_and_route(self, record: phr.Record) -> None:
        name = self.file.name
        front = self.front or {}
        front_stage = front.get("stage") if isinstance(front.get("stage"), str) else None
        if not name.suffix_ok or name.slug is None or name.stage is None:
            self.warning(
                1,
                "PHR011",
                "file name is not sdd's <ID>-<slug>.<stage>.prompt.md"
                + (
                    f" (expected stage {front_stage!r})"
                    if front_stage and name.stage is None
                    else ""
                ),
            )
        front_id = front.get("id")
        if (
            name.id is not None
            and isinstance(front_id, str)
            and front_id.strip().isdecimal()
            and front_id.strip().lstrip("0") != name.id.lstrip("0")
        ):
            self.error(
                self.key_line("id"),
                "PHR012",
                f"file name ID {name.id} differs from front matter id {front_id}",
            )
        if name.stage is not None and front_stage is not None and name.stage != front_stage:
            self.error(
                self.key_line("stage"),
                "PHR012",
                f"file name stage {name.stage!r} differs from front matter stage {front_stage!r}",
            )
        title = front.get("title")
        if name.slug is not None and isinstance(title, str) and title.strip():
            expected = slugify(title)
            if not slug_abbreviates(name.slug, expected):
                self.warning(
                    self.key_line("title"),
                    "PHR013",
                    f"file name slug {name.slug!r} does not match the title ({expected!r})",
                )
        stage = front_stage if front_stage in schema.STAGES else None
        if stage is None and name.stage in schema.STAGES:
            stage = name.stage
        self.check_route(stage, front)

    def check_route(self, stage: str | None, front: dict[str, Any]) -> None:
        route = self.file.route
        if route is None or self.file.path.parent.name != route:
            self.error(
                1,
                "PHR014",
                "record is not directly in a route folder (constitution/, general/ or a feature's)",
            )
            return
        if stage is not None:
            if stage in phr.OWN_ROUTE_STAGES and route != stage:
                self.error(1, "PHR014", f"stage {stage!r} records belong in {stage}/, not {route}/")
                return
            if stage in phr.FEATURE_STAGES and route in phr.OWN_ROUTE_STAGES:
                self.error(
                    1,
                    "PHR014",
                    f"stage {stage!r} records belong in a feature's folder, not {route}/",
                )
                return
        if route in phr.OWN_ROUTE_STAGES:
            return
        if route not in self.features:
            specs = self.project.rel(self.project.paths.specs)
            self.error(
                1, "PHR015", f"folder {route}/ names no feature: {specs}/{route}/ does not exist"
            )
        feature = front.get("feature")
        if isinstance(feature, str) and feature.strip() and feature != route:
            self.warning(
                1, "PHR016", f"front matter feature {feature!r} differs from its folder {route}/"
            )

    # -- body -------------------------------------------------------------------------------

    def check_sections(self, record: phr.Record) -> None:
        prompt = record.sections.get("Prompt")
        if prompt is None:
            self.error(record.body_line, "PHR019", "no '## Prompt' section")
        else:
            text, fenced = prompt.value()
            if not text.strip():
                self.error(prompt.line, "PHR019", "'## Prompt' is empty")
            elif _may_be_placeholder(text) and is_placeholder_value(text):
                self.error(
                    prompt.line, "PHR021", f"'## Prompt' is an unfilled placeholder: {text.strip()}"
                )
            elif not fenced and _has_hint(text):
                for hit in find_placeholders(prompt.content, first_line=prompt.line + 1):
                    self.warning(hit.line, "PHR021", f"placeholder {hit.shown} inside the prompt")
        missing = [name for name in phr.SECTIONS[1:] if name not in record.sections]
        if missing:
            shown = ", ".join(f"'## {name}'" for name in missing)
            plural = "s" if len(missing) > 1 else ""
            hidden = ""
            if record.open_fence_line is not None:
                hidden = f" (the code fence opened at line {record.open_fence_line} never closes)"
            self.warning(record.body_line, "PHR020", f"missing section{plural} {shown}{hidden}")
        for name in phr.SECTIONS[1:]:
            section = record.sections.get(name)
            if section is not None:
                self.check_authored_section(section)

    def check_authored_section(self, section: phr.Section) -> None:
        text, _ = section.value()
        if text and _may_be_placeholder(text) and is_placeholder_value(text):
            self.error(
                section.line, "PHR021", f"'## {section.name}' is an unfilled placeholder: {text}"
            )
            return
        if not _has_hint(section.content):
            return
        lines = section.content.split("\n")
        values: dict[int, str] = {}  # line → its field value, worked out once per line
        for hit in find_placeholders(section.content, first_line=section.line + 1):
            value = values.get(hit.line)
            if value is None:
                rest = _value_after(compiled(_FIELD_LABEL), lines[hit.line - section.line - 1])
                value = values[hit.line] = rest.removesuffix("\r").rstrip(" \t")
            if value == hit.text:
                self.error(hit.line, "PHR021", f"unfilled placeholder {hit.shown}")
            elif hit.kind == "template":
                self.warning(
                    hit.line, "PHR021", f"template placeholder {hit.shown} left in the text"
                )


class _LazyLines(Mapping[str, int]):
    """Key → file line, looked up only for keys that a finding mentions."""

    def __init__(self, record: phr.Record, data: dict[Any, Any]) -> None:
        self.record = record
        self._names = ["null" if key is None else str(key) for key in data]

    def __getitem__(self, key: str) -> int:
        return self.record.key_line(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _value_after(label: re.Pattern[str], line: str) -> str:
    """``line`` after what ``label`` (which may match nothing) matches at its start."""
    match = label.match(line)
    return line[match.end() :] if match is not None else line


def _validation_error() -> type[ValidationError]:
    from pydantic import ValidationError

    return ValidationError


def _may_be_placeholder(text: str) -> bool:
    return "[" in text or "{" in text or "$" in text


def _strings(value: Any, found: list[str]) -> list[str]:
    """The strings in ``value`` (nested lists and mappings included), in order, added to
    ``found``."""
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, list | dict):
        for item in value.values() if isinstance(value, dict) else value:
            if isinstance(item, str):
                found.append(item)
            elif item is not None:
                _strings(item, found)
    return found
