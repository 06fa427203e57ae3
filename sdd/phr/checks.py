"""The PHR checker, run by ``sdd phr validate`` and by ``sdd validate`` (codes PHR001…PHR023).

Reads every record once, keeps only small facts per file (IDs for the duplicate checks), and
does no pairwise comparison, so the cost is linear in the number of records. The codes and
their severities are listed in docs/diagnostics.md ("Prompt History Records").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd.base.diagnostics import Finding, error, warning
from sdd.base.errors import ParseError
from sdd.base.slugs import slugify
from sdd.phr import record as phr
from sdd.text.placeholders import find_placeholders, is_placeholder_value
from sdd.text.secrets import find_secrets

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from sdd.project.project import Project
    from sdd.project.selection import Selection

REQUIRED_KEYS = ("id", "title", "stage", "date")
KEYS = (
    "id",
    "title",
    "stage",
    "date",
    "surface",
    "model",
    "feature",
    "branch",
    "user",
    "command",
    "labels",
    "links",
    "files",
    "tests",
)
# Spec-Kit Plus template variables that agents write as keys instead of the key itself.
KEY_ALIASES = {"date_iso": "date", "files_yaml": "files", "tests_yaml": "tests"}


@lru_cache(maxsize=1)
def _front_matter_model() -> type[BaseModel]:
    """The pydantic schema of DESIGN §3 (imported only when a record needs explaining)."""
    from pydantic import BaseModel, ConfigDict, field_validator

    _LIST = list[str | None] | None

    class Links(BaseModel):
        model_config = ConfigDict(extra="allow")

        spec: str | None = None
        ticket: str | None = None
        adr: str | None = None
        pr: str | None = None

    class FrontMatter(BaseModel):
        """The front matter of DESIGN §3; values are read as text (``001`` stays ``"001"``)."""

        model_config = ConfigDict(extra="allow")

        id: str
        title: str
        stage: str
        date: str
        surface: str | None = None
        model: str | None = None
        feature: str | None = None
        branch: str | None = None
        user: str | None = None
        command: str | None = None
        labels: _LIST = None
        links: Links | None = None
        files: _LIST = None
        tests: _LIST = None

        @field_validator("id")
        @classmethod
        def _digits(cls, value: str) -> str:
            if not value.strip().isdecimal():
                raise ValueError("must be a number such as 0007")
            return value.strip()

        @field_validator("title")
        @classmethod
        def _not_blank(cls, value: str) -> str:
            if not value.strip():
                raise ValueError("must not be empty")
            return value

    return FrontMatter


# What precedes a value: a list marker and a label (``- 🧪 Tests:``), or a YAML key or list
# marker; the value is the rest without blanks (and a carriage return) at its end. The rest
# is cut by hand: a lazy ``(.*?)[ \t]*$`` costs time quadratic in a run of blanks.
_FIELD_LABEL = re.compile(r"[ \t]*(?:[-*+][ \t]+)?(?:[^:\n]{1,80}:)?[ \t]*")
_HEADER_KEY = re.compile(r"[ \t]*(?:-[ \t]+|[A-Za-z_][\w.-]*[ \t]*:[ \t]*)?")
_PLACEHOLDER_HINTS = ("[", "{{", "{%", "$ARGUMENTS")


class _Checker:
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
                self.spelled.setdefault(KEY_ALIASES.get(name, name), str(written))
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
        for key in keys:
            name = key.lower()
            if name in KEY_ALIASES:
                self.error(
                    keys[key],
                    "PHR006",
                    f"key {key!r} is not in the schema; use {KEY_ALIASES[name]!r}",
                )
                name = KEY_ALIASES[name]
            elif name not in KEYS:
                self.warning(keys[key], "PHR008", f"unknown key {key!r}")
            if data is not None and name not in normalised:
                normalised[name] = data[key]
        return normalised

    def check_header_placeholders(self, record: phr.Record) -> None:
        """With broken YAML, still find values that are template tokens (a raw template)."""
        header = record.header
        for offset, line in enumerate(header.text.split("\n")):
            if not any(hint in line for hint in _PLACEHOLDER_HINTS):
                continue
            value = _value_after(_HEADER_KEY, line).rstrip(" \t")
            if is_placeholder_value(value):
                self.error(
                    header.first_line + offset,
                    "PHR021",
                    f"front matter value is an unfilled placeholder: {value.strip()}",
                )

    def check_values(self, record: phr.Record, front: dict[str, Any]) -> None:
        line_of = self.key_line
        for key, value in front.items():
            for text in _strings(value):
                if _may_be_placeholder(text) and is_placeholder_value(text):
                    self.error(
                        line_of(key),
                        "PHR021",
                        f"front matter {key!r} is an unfilled placeholder: {text.strip()}",
                    )
                    break
        try:
            if not _fits_schema(front):
                _front_matter_model().model_validate(front)
        except _validation_error() as exc:
            for problem in exc.errors():
                where = ".".join(str(part) for part in problem["loc"])
                key = str(problem["loc"][0])
                message = _describe(problem)
                self.error(line_of(key), "PHR007", f"{where}: {message}")
        missing = [key for key in KEYS if key not in front and key not in REQUIRED_KEYS]
        if missing:
            self.warning(
                record.header.first_line, "PHR008", f"front matter lacks {', '.join(missing)}"
            )
        links = front.get("links")
        if isinstance(links, dict):
            for key in links:
                if str(key).lower() not in phr.LINK_KEYS:
                    self.warning(line_of("links"), "PHR008", f"unknown key 'links.{key}'")
        stage = front.get("stage")
        if isinstance(stage, str) and stage not in phr.STAGES:
            self.error(
                line_of("stage"),
                "PHR009",
                f"stage {stage!r} is not one of {', '.join(phr.STAGES)}",
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
            and int(front_id) != int(name.id)
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
            if not _abbreviates(name.slug, expected):
                self.warning(
                    self.key_line("title"),
                    "PHR013",
                    f"file name slug {name.slug!r} does not match the title ({expected!r})",
                )
        stage = front_stage if front_stage in phr.STAGES else None
        if stage is None and name.stage in phr.STAGES:
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
        specs = self.project.rel(self.project.paths.specs)
        if route not in self.features:
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
            elif not fenced and any(hint in text for hint in _PLACEHOLDER_HINTS):
                for hit in find_placeholders(prompt.content, first_line=prompt.line + 1):
                    self.warning(hit.line, "PHR021", f"placeholder {hit.text} inside the prompt")
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
        if not any(hint in section.content for hint in _PLACEHOLDER_HINTS):
            return
        lines = section.content.split("\n")
        values: dict[int, str] = {}  # line → its field value, worked out once per line
        for hit in find_placeholders(section.content, first_line=section.line + 1):
            value = values.get(hit.line)
            if value is None:
                rest = _value_after(_FIELD_LABEL, lines[hit.line - section.line - 1])
                value = values[hit.line] = rest.removesuffix("\r").rstrip(" \t")
            if value == hit.text:
                self.error(hit.line, "PHR021", f"unfilled placeholder {hit.text}")
            elif hit.kind == "template":
                self.warning(
                    hit.line, "PHR021", f"template placeholder {hit.text} left in the text"
                )


class _LazyLines(Mapping[str, int]):
    """Key → file line, looked up only for keys that a finding mentions."""

    def __init__(self, record: phr.Record, data: dict[Any, Any]) -> None:
        self.record = record
        self._names = [str(key) for key in data]

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


_TEXT_KEYS = ("surface", "model", "feature", "branch", "user", "command")
_LIST_KEYS = ("labels", "files", "tests")


def _fits_schema(front: dict[str, Any]) -> bool:
    """A quick yes for front matter that ``FrontMatter`` accepts (property-tested against it);
    anything else goes to pydantic, which explains what is wrong."""
    record_id, title = front.get("id"), front.get("title")
    if not (isinstance(record_id, str) and record_id.strip().isdecimal()):
        return False
    if not (isinstance(title, str) and title.strip()):
        return False
    if not (isinstance(front.get("stage"), str) and isinstance(front.get("date"), str)):
        return False
    for key in _TEXT_KEYS:
        value = front.get(key)
        if value is not None and not isinstance(value, str):
            return False
    for key in _LIST_KEYS:
        value = front.get(key)
        if value is not None and not (
            isinstance(value, list) and all(i is None or isinstance(i, str) for i in value)
        ):
            return False
    links = front.get("links")
    if links is None:
        return True
    return isinstance(links, dict) and all(
        isinstance(k, str) and (v is None or isinstance(v, str) or k not in phr.LINK_KEYS)
        for k, v in links.items()
    )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _describe(problem: Any) -> str:
    kind = problem.get("type", "")
    if kind == "missing":
        return "required key is missing"
    if kind in ("string_type", "list_type", "model_type"):
        expected = {"string_type": "text", "list_type": "a list", "model_type": "a mapping"}[kind]
        given = problem.get("input")
        if isinstance(given, dict) and kind == "string_type":
            return f"must be {expected}, but YAML read a mapping (quote the value: it holds ': ')"
        return f"must be {expected}, not {_kind_of(given)}"
    message = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
    return message[0].lower() + message[1:] if message else message


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "empty" if value is None else "text"


def _abbreviates(slug: str, expected: str) -> bool:
    """Whether ``slug`` is ``expected`` with words dropped, shortened or run together, as other
    kits make them (``create-backend-spec`` for "Create Backend API Specification")."""
    if slug == expected:
        return True
    wanted = [part for part in slug.lower().split("-") if part]
    words = [part for part in expected.split("-") if part]
    position = 0
    for part in wanted:
        while position < len(words):
            joined = ""
            matched = False
            for end in range(position, len(words)):
                joined += words[end]
                if joined == part or (end == position and words[end].startswith(part)):
                    position = end + 1
                    matched = True
                    break
                if not part.startswith(joined):
                    break
            if matched:
                break
            position += 1
        else:
            return False
    return True


# ---------------------------------------------------------------------------------------------


def _duplicates(
    files: list[phr.RecordFile], selection: Selection, shown: dict[Path, str]
) -> Iterator[Finding]:
    by_folder: dict[tuple[str | None, int], list[phr.RecordFile]] = defaultdict(list)
    by_number: dict[int, set[str | None]] = defaultdict(set)
    for file in files:
        number = file.name.number
        if number is not None:
            by_folder[(file.route, number)].append(file)
            by_number[number].add(file.route)
    for (route, number), group in by_folder.items():
        for file in group:
            if not selection.is_everything and not selection.includes(file.path):
                continue
            if len(group) > 1:
                others = ", ".join(other.path.name for other in group if other is not file)
                yield error(
                    shown[file.path],
                    1,
                    "PHR017",
                    f"ID {number} is also used by {others} in the same folder",
                )
            routes = sorted(str(other) + "/" for other in by_number[number] - {route})
            if routes:
                listed = ", ".join(routes[:4]) + (", …" if len(routes) > 4 else "")
                yield warning(
                    shown[file.path], 1, "PHR018", f"ID {number} is also used in {listed}"
                )


# Above this many records the files are checked by one forked worker per core: the per-file work
# is independent, and two cores halve the wall time of a large history (DESIGN §6 budget).
PARALLEL_THRESHOLD = 2000
_shared: tuple[Project, frozenset[str], list[tuple[phr.RecordFile, str]]] | None = None


def _check_files(
    project: Project, features: frozenset[str], batch: list[tuple[phr.RecordFile, str]]
) -> list[Finding]:
    findings: list[Finding] = []
    for file, shown in batch:
        if not phr.is_record_name(file.path.name):
            findings.append(
                warning(
                    shown,
                    1,
                    "PHR023",
                    "not read as a Prompt History Record (records are Markdown files, "
                    "*.prompt.md or *.md); move it out of the prompts folder",
                )
            )
            continue
        try:
            record = phr.open_record(file, project.root)
        except ParseError as exc:
            findings.append(error(shown, exc.line or 1, "PHR001", exc.message))
            continue
        findings.extend(_Checker(project, file, features, shown).run(record))
    return findings


def _check_slice(bounds: tuple[int, int]) -> list[Finding]:
    assert _shared is not None
    project, features, batch = _shared
    return _check_files(project, features, batch[bounds[0] : bounds[1]])


def _workers(count: int) -> int:
    import multiprocessing
    import os

    if count < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _check_all(
    project: Project, features: frozenset[str], batch: list[tuple[phr.RecordFile, str]]
) -> list[Finding]:
    global _shared
    workers = _workers(len(batch))
    if workers == 1:
        return _check_files(project, features, batch)
    import multiprocessing

    step = -(-len(batch) // workers)
    bounds = [(start, start + step) for start in range(0, len(batch), step)]
    _shared = (project, features, batch)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [finding for part in pool.map(_check_slice, bounds) for finding in part]
    finally:
        _shared = None


def _selected(selection: Selection, file: phr.RecordFile) -> bool:
    """Whether ``file`` is selected; a link also by its folder, as a link leading out of the
    project resolves outside every selection and would go unreported."""
    if selection.is_everything or selection.includes(file.path):
        return True
    return file.link and selection.includes(file.path.parent)


def check(project: Project, selection: Selection) -> Iterable[Finding]:
    """Findings for every selected record under the project's prompts folder."""
    from sdd.features.folders import list_features

    prompts = project.paths.prompts
    if not selection.touches(prompts):
        return []
    base = project.rel(prompts)
    files = list(phr.iter_record_files(prompts, everything=True))
    shown = {file.path: f"{base}/{file.path.relative_to(prompts).as_posix()}" for file in files}
    batch = [(f, shown[f.path]) for f in files if _selected(selection, f)]
    findings = _check_all(project, frozenset(list_features(project)), batch)
    findings.extend(_duplicates(files, selection, shown))
    return findings


def check_text(project: Project, path: Path, text: str) -> list[Finding]:
    """Findings for a record not yet written (``path`` is where it would go)."""
    from sdd.features.folders import list_features

    route = path.parent.name if path.parent.parent == project.paths.prompts else None
    file = phr.RecordFile(path, route, phr.parse_name(path.name))
    features = frozenset(list_features(project))
    return _Checker(project, file, features).run(phr.parse_record(text, path))
