"""The ADR checker of ``sdd validate`` (codes ADR001–ADR016, docs/diagnostics.md).

Reads every record in the project's ADR folder (sdd, Spec-Kit Plus, adr-tools and MADR
formats; the folder's README and other non-ADR files are ignored) and reports on the selected
ones: front matter schema, valid status, supersede links that exist and point back, duplicate
numbers, left-over placeholders, required sections, and sections still to be completed.

Required sections are the format's (``_REQUIRED_SECTIONS``, under the names sdd knows), unless
the project's own ADR template names its sections in other words (a translated Spec-Kit Plus
template): its headings are then required, as a kit's template defines a feature artifact's
sections (ADR-0081), and found the same way (``sdd.features.sections``).
"""

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from sdd.adr import record as adrs_module
from sdd.adr.queries import unfinished_sections
from sdd.adr.record import Adr
from sdd.base.diagnostics import Finding, error, warning
from sdd.base.globs import check_glob
from sdd.features.sections import RequiredSection, is_foreign
from sdd.project.project import Project
from sdd.project.selection import Selection
from sdd.text.placeholders import find_placeholders, is_placeholder_value

_SECTION_ALIASES = {
    "context": ("context", "context and problem statement", "background", "problem statement"),
    "decision": ("decision", "decision outcome"),
    "consequences": ("consequences", "positive consequences", "negative consequences"),
    "positive": ("positive", "positive consequences", "pros"),
    "negative": ("negative", "negative consequences", "cons"),
    "alternatives considered": (
        "alternatives considered",
        "alternatives",
        "considered options",
        "options considered",
    ),
    "references": ("references", "links", "related"),
}
_TEACH_STATUS = (
    "if the record names its status in another language, teach sdd: give it front matter "
    "'status: accepted' (or proposed, rejected, …), which sdd reads before the text"
)
_REQUIRED_SECTIONS = {
    "sdd": (
        "context",
        "decision",
        "consequences",
        "positive",
        "negative",
        "alternatives considered",
        "references",
    ),
    "spec-kit-plus": ("context", "decision", "consequences"),
    "adr-tools": ("context", "decision", "consequences"),
    "madr": ("context", "decision"),
    "unknown": ("context", "decision", "consequences"),
}
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+")
_KNOWN_NAMES = frozenset(name for aliases in _SECTION_ALIASES.values() for name in aliases)


class _OwnSections(NamedTuple):
    """The required sections of a project's own ADR template that names them in words sdd
    does not know (another language, or the team's own): they replace the format's list."""

    sections: tuple[RequiredSection, ...]
    shown: str
    aliases: Mapping[str, frozenset[str]]


def _own_sections(project: Project, template: Path) -> _OwnSections | None:
    from sdd.base.errors import ParseError, UnsafePathError
    from sdd.base.paths import ensure_inside
    from sdd.features.sections import load_rules, template_sections

    if not template.is_file():
        return None
    try:
        ensure_inside(template, project.root)
        sections = template_sections(template)
    except (ParseError, UnsafePathError, OSError):
        return None
    if not sections or any(_normalized(section.title) in _KNOWN_NAMES for section in sections):
        return None
    return _OwnSections(sections, f"template {project.rel(template)}", load_rules(project).aliases)


def check(project: Project, selection: Selection) -> Iterable[Finding]:
    folder = project.paths.adr
    if not folder.is_dir() or not selection.touches(folder):
        return []
    from sdd.project.project import SPEC_KIT_PLUS_ADR_TEMPLATE

    # sdd's records come from its adr.md (the project's copy); the others from the kit's.
    own = {
        "sdd": _own_sections(project, project.paths.templates / "adr.md"),
        "kit": _own_sections(project, project.root / SPEC_KIT_PLUS_ADR_TEMPLATE),
    }
    records = adrs_module.load_adrs(folder)
    by_number: dict[int, list[Adr]] = {}
    for record in records:
        if record.numbered:  # a record named by its date has no number to share
            by_number.setdefault(record.number, []).append(record)
    findings: list[Finding] = []
    for record in records:
        if selection.includes(record.path):
            template = own["sdd" if record.format == "sdd" else "kit"]
            findings.extend(_check_record(record, project.rel(record.path), by_number, template))
    findings.extend(_check_half_done(project, records))
    return findings


def _check_half_done(project: Project, records: Sequence[Adr]) -> Iterator[Finding]:
    """What an interrupted multi-file change leaves: a renumbering journal not yet replayed,
    or one record under two numbers (same slug and title)."""
    from sdd.adr.journal import pending_journal

    journal = pending_journal(project.paths.adr)
    if journal is not None:
        yield error(
            project.rel(journal),
            1,
            "ADR014",
            "an 'sdd adr renumber' was interrupted; run 'sdd adr renumber' to finish it",
        )
    seen: dict[tuple[str, str], Adr] = {}
    for record in records:
        if not record.slug:
            continue
        key = (record.slug, record.title)
        first = seen.setdefault(key, record)
        if first is not record and first.number != record.number:
            yield error(
                project.rel(record.path),
                1,
                "ADR015",
                f"the same record as {first.path.name} under another number; "
                "delete the copy (an interrupted rename?)",
            )


def _check_record(
    record: Adr, path: str, by_number: dict[int, list[Adr]], template: _OwnSections | None
) -> Iterator[Finding]:
    for problem in record.problems:
        yield error(path, problem.line, "ADR001", f"cannot read the record: {problem.message}")
    if any(p.kind == "unreadable" for p in record.problems):
        return
    if not record.text.strip():
        yield error(path, 1, "ADR001", "the record is empty")
        return
    # Front matter that could not be parsed says nothing about its keys or the status.
    header_read = not any(p.kind == "front-matter" for p in record.problems)
    if header_read and record.front_matter is not None and record.format == "sdd":
        yield from _check_front_matter(record, path)
    if header_read:
        yield from _check_status(record, path)
    yield from _check_links(record, path, by_number)
    others = [other for other in by_number.get(record.number, []) if other.path != record.path]
    if others:
        names = ", ".join(other.path.name for other in others)
        yield error(
            path,
            1,
            "ADR008",
            f"ADR number {record.number} is also used by {names}; run 'sdd adr renumber' to "
            "give the later record a free number",
        )
    yield from _check_placeholders(record, path)
    yield from _check_sections(record, path, template)


def _line(record: Adr, key: str) -> int:
    return record.key_lines.get(key, 1)


def _check_front_matter(record: Adr, path: str) -> Iterator[Finding]:
    data = record.front_matter or {}
    for key in adrs_module.REQUIRED_KEYS:
        if key not in data or data[key] is None or data[key] == "":
            yield error(path, 1, "ADR002", f"front matter has no '{key}'")
    for key in data:
        if key not in adrs_module.FRONT_MATTER_KEYS:
            yield warning(path, _line(record, key), "ADR013", f"unknown front matter key '{key}'")
    if "id" in data and data["id"] is not None:
        number = adrs_module.parse_number(data["id"])
        if number is None:
            yield error(
                path, _line(record, "id"), "ADR003", f"id must be a number, not {data['id']!r}"
            )
        elif number != record.number:
            yield warning(
                path,
                _line(record, "id"),
                "ADR011",
                f"id {number} differs from the number {record.number} in the file name",
            )
    title = data.get("title")
    if "title" in data and title is not None and (not isinstance(title, str) or not title.strip()):
        yield error(path, _line(record, "title"), "ADR003", "title must be a non-empty string")
    date = data.get("date")
    if date is not None and not isinstance(date, (datetime.date, datetime.datetime)):
        if not (isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.strip())):
            yield error(
                path, _line(record, "date"), "ADR003", f"date must be YYYY-MM-DD, not {date!r}"
            )
        else:
            try:
                datetime.date.fromisoformat(date.strip())
            except ValueError:
                yield error(
                    path, _line(record, "date"), "ADR003", f"date {date!r} is not a real date"
                )
    feature = data.get("feature")
    if feature is not None and not isinstance(feature, str):
        yield error(
            path,
            _line(record, "feature"),
            "ADR003",
            "feature must be a feature folder name or null",
        )
    for key in ("supersedes", "superseded_by"):
        _numbers, ok = adrs_module.number_list(data.get(key))
        if not ok:
            yield error(
                path,
                _line(record, key),
                "ADR003",
                f"{key} must be an ADR number, a list of them, or null",
            )
    covers = data.get("covers")
    if covers is not None:
        if not isinstance(covers, list) or not all(isinstance(item, str) for item in covers):
            yield error(
                path, _line(record, "covers"), "ADR003", "covers must be a list of path globs"
            )
        else:
            for item in covers:
                problem = check_glob(item)
                if problem:
                    yield error(path, _line(record, "covers"), "ADR003", f"covers: {problem}")


def _in_another_language(record: Adr) -> bool:
    """Whether the record is written in a language sdd does not read: its title is in another
    script, or it has sections and none of them has a name sdd knows."""
    present = {_normalized(name) for name in record.sections}
    return is_foreign(record.title) or (bool(present) and not present & _KNOWN_NAMES)


def _check_status(record: Adr, path: str) -> Iterator[Finding]:
    known = ", ".join(adrs_module.STATUSES)
    if record.status is None:
        if _in_another_language(record):
            # Its status may well be there, in words sdd has not been taught: not an error.
            yield warning(
                path, record.status_line, "ADR016", f"no status sdd can read; {_TEACH_STATUS}"
            )
            return
        yield error(path, record.status_line, "ADR004", f"no status; give one of {known}")
        return
    if record.status not in adrs_module.STATUSES:
        shown = record.status_text or record.status
        if "|" in shown:  # the template's list of choices, never chosen from
            yield error(
                path, record.status_line, "ADR004", f"status {shown!r} is still a choice: {known}"
            )
        else:  # adr-tools statuses are free text: a team's own word is not an error
            foreign = _in_another_language(record) or not shown.isascii()
            hint = f"; {_TEACH_STATUS}" if foreign else ""
            yield warning(
                path,
                record.status_line,
                "ADR016",
                f"status {shown!r} is not one sdd knows ({known}); sdd treats the record as "
                "neither accepted nor superseded" + hint,
            )
        return
    if record.status == "superseded" and not record.superseded_by:
        yield error(
            path,
            record.status_line,
            "ADR005",
            "status is superseded but superseded_by names no ADR",
        )
    if record.superseded_by and record.status != "superseded":
        yield error(
            path,
            _line(record, "superseded_by") if record.format == "sdd" else record.status_line,
            "ADR005",
            f"superseded_by is set but the status is {record.status!r}, not 'superseded'",
        )


def _check_links(record: Adr, path: str, by_number: dict[int, list[Adr]]) -> Iterator[Finding]:
    for key, numbers, back in (
        ("superseded_by", record.superseded_by, "supersedes"),
        ("supersedes", record.supersedes, "superseded_by"),
    ):
        line = _line(record, key) if record.format == "sdd" else record.status_line
        for number in numbers:
            targets = by_number.get(number, [])
            if not targets:
                yield error(path, line, "ADR006", f"{key} names ADR {number}, which does not exist")
                continue
            if number == record.number:
                yield error(path, line, "ADR006", f"{key} names the record itself")
                continue
            target = targets[0]
            links_back = target.supersedes if back == "supersedes" else target.superseded_by
            if record.number not in links_back:
                yield error(
                    path,
                    line,
                    "ADR007",
                    f"{key} names ADR {number} ({target.path.name}), whose {back} does not name "
                    f"ADR {record.number} back",
                )


def _check_placeholders(record: Adr, path: str) -> Iterator[Finding]:
    for placeholder in find_placeholders(record.body, first_line=record.body_line):
        yield error(
            path,
            placeholder.line,
            "ADR009",
            f"template placeholder {placeholder.text!r} left in the record",
        )
    for key in ("title", "status", "date", "feature"):
        value = (record.front_matter or {}).get(key)
        if isinstance(value, str) and is_placeholder_value(value):
            yield error(
                path,
                _line(record, key),
                "ADR009",
                f"{key} is still a template placeholder: {value!r}",
            )


def _normalized(heading: str) -> str:
    return _NUMBERING.sub("", heading.strip().lower()).strip(" :")


def _check_sections(record: Adr, path: str, template: _OwnSections | None) -> Iterator[Finding]:
    if template is not None:
        from sdd.base.markdown import MarkdownText
        from sdd.features.sections import missing_sections

        headings = MarkdownText(record.body).heading_texts
        missing, _ = missing_sections(headings, template.sections, template.aliases)
        for section in missing:
            yield error(
                path,
                1,
                "ADR010",
                f"required section '{section.title}' is missing (from {template.shown})",
            )
    else:
        yield from _check_known_sections(record, path)
    for name, line in unfinished_sections(record):
        state = (
            f" (the record is {record.status})" if record.status not in (None, "proposed") else ""
        )
        yield warning(path, line, "ADR012", f"section '{name}' is still to be completed{state}")


def _check_known_sections(record: Adr, path: str) -> Iterator[Finding]:
    present = {_normalized(name) for name in record.sections}
    bullets = record.body.lower()
    for required in _REQUIRED_SECTIONS.get(record.format, _REQUIRED_SECTIONS["unknown"]):
        aliases = _SECTION_ALIASES.get(required, (required,))
        if any(alias in present for alias in aliases):
            continue
        if required == "context" and re.search(
            r"^\s*[-*]\s*(?:\*\*|__)?context\b", bullets, re.MULTILINE
        ):
            continue
        yield error(path, 1, "ADR010", f"required section '{required.title()}' is missing")
