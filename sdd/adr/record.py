"""Architecture Decision Records: the record, and reading it in every common format.

Formats read (DESIGN §3):

* ``sdd``: YAML front matter (``id, title, status, date, feature, supersedes, superseded_by,
  covers``) and the sections Context, Decision, Consequences (Positive, Negative), Alternatives
  Considered, References.
* Spec-Kit Plus: no front matter; ``- **Status:** Accepted`` style bullets under the title.
* adr-tools: ``Date: …`` under the title and a ``## Status`` section whose lines may say
  ``Superseded by [3. Title](0003-title.md)``.
* MADR: ``status:`` in front matter (MADR 3) or a ``* Status: accepted`` bullet (MADR 2), with
  "Context and Problem Statement" and "Decision Outcome" sections.

Reading never raises on a malformed record: what could not be read is kept in ``problems`` for
the checker (``sdd.adr.checks``). The rest of the lifecycle lives beside this module: creating
(``sdd.adr.create``), status and supersede links (``sdd.adr.status``), the README index
(``sdd.adr.index``) and renumbering after a merge (``sdd.adr.renumber``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdd.adr.status_words import is_status_key, translated_status
from sdd.base import frontmatter
from sdd.base.errors import ParseError, UnsafePathError, UsageError
from sdd.base.fileio import read_text
from sdd.base.paths import ensure_inside, relative_posix

STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
COVERING_STATUSES = frozenset({"proposed", "accepted"})
FRONT_MATTER_KEYS = (
    "id",
    "title",
    "status",
    "date",
    "feature",
    "supersedes",
    "superseded_by",
    "covers",
)
REQUIRED_KEYS = ("id", "title", "status", "date")
TO_BE_COMPLETED = "To be completed:"
DEFAULT_WIDTH = 4
MAX_ADR_BYTES = 4 * 1024 * 1024

ADR_FILE = re.compile(
    r"^(?:adr[-_ ]?)?(?P<number>\d{1,6})(?:[-_ .]+(?P<slug>.*?))?\.md$", re.IGNORECASE
)
# ``adr-2026-05-21-use-x.md``: named by its date, it has no number of its own.
DATED_ADR_FILE = re.compile(
    r"^(?:adr[-_ ]?)?(?P<date>\d{4}-\d{2}-\d{2})(?:[-_ .]+(?P<slug>.*?))?\.md$", re.IGNORECASE
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")  # "# C#" keeps its "#"
_TITLE_PREFIX = re.compile(r"^(?:ADR[-\s]?\d+\s*[:.\-–—]\s*|\d+\s*[.:\-–—)]\s*)", re.IGNORECASE)
# "- **Status:** Accepted", "- **Status**: Accepted", "* Status: accepted", and the same
# fields as plain lines under the title: "**Status**: Accepted", "**Status:** Accepted".
# The key may be in any script ("Статус: Принято", "状态：已接受").
_BULLET = re.compile(
    r"^\s*(?:[-*+]\s*)?(?:\*\*|__)?(?P<key>[^\W\d_](?:[^\W\d_]| ){1,30}?)\s*"
    r"(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：]|[:：])\s*(?P<value>.*?)\s*$"
)
_PLAIN_FIELD = re.compile(r"^(?P<key>Status|Date|Feature)\s*:\s*(?P<value>.+?)\s*$", re.IGNORECASE)
_LINKED_NUMBER = re.compile(
    r"\(\s*(?:\./)?(?P<file>(?:adr[-_]?)?(?P<number>\d{1,6})[-_][^)\s]*\.md)\s*\)|\bADR[-\s]?(?P<bare>\d{1,6})\b",
    re.IGNORECASE,
)
_UNFINISHED = re.compile(r"^\s*[*_]*\s*" + re.escape(TO_BE_COMPLETED), re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    line: int
    kind: str  # unreadable | front-matter
    message: str


@dataclass(frozen=True)
class Adr:
    number: int
    path: Path
    title: str
    status: str | None
    status_text: str | None
    status_line: int
    date: str | None
    feature: str | None
    supersedes: tuple[int, ...]
    superseded_by: tuple[int, ...]
    covers: tuple[str, ...]
    format: str  # sdd | spec-kit-plus | adr-tools | madr | unknown
    numbered: bool = True  # False: named by its date, numbered by date order
    front_matter: dict[str, Any] | None = None
    key_lines: dict[str, int] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)
    text: str = ""
    body: str = ""
    body_line: int = 1
    problems: tuple[Problem, ...] = ()

    @property
    def slug(self) -> str:
        match = DATED_ADR_FILE.match(self.path.name) or ADR_FILE.match(self.path.name)
        return (match.group("slug") or "") if match else self.path.stem

    def label(self, width: int = DEFAULT_WIDTH) -> str:
        return f"ADR-{self.number:0{width}d}"

    def as_dict(self, root: Path | None = None) -> dict[str, object]:
        path = relative_posix(self.path, root) if root is not None else str(self.path)
        return {
            "id": self.number,
            "path": path,
            "title": self.title,
            "status": self.status,
            "status_text": self.status_text,
            "date": self.date,
            "feature": self.feature,
            "supersedes": list(self.supersedes),
            "superseded_by": list(self.superseded_by),
            "covers": list(self.covers),
            "format": self.format,
        }

    def show_document(self, root: Path) -> dict[str, object]:
        """The ``sdd adr show --json`` document: the record, its problems and its text."""
        return {
            "schema": "sdd.adr-show/1",
            **self.as_dict(root),
            "problems": [
                {"line": p.line, "kind": p.kind, "message": p.message} for p in self.problems
            ],
            "text": self.text,
        }


# --- reading -----------------------------------------------------------------------------------


def adr_files(folder: Path) -> list[tuple[int, Path]]:
    """(number, path) of every ADR file in ``folder`` (README, templates and dotfiles skipped).

    A record named by its date (``adr-2026-05-21-use-x.md``) is numbered by date order.
    """
    if not folder.is_dir():
        return []
    found = []
    dated: list[tuple[str, Path]] = []
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith(".") or not entry.is_file():
            continue
        by_date = DATED_ADR_FILE.match(name)
        if by_date is not None:
            dated.append((by_date.group("date"), entry))
            continue
        match = ADR_FILE.match(name)
        if match is None:
            continue
        found.append((int(match.group("number")), entry))
    dated.sort(key=lambda item: (item[0], item[1].name))
    found.extend((index, path) for index, (_, path) in enumerate(dated, start=1))
    return sorted(found, key=lambda item: (item[0], item[1].name))


def is_dated(path: Path) -> bool:
    """Whether the ADR file is named by its date rather than a number."""
    return DATED_ADR_FILE.match(path.name) is not None


def parse_number(value: object) -> int | None:
    """``5``, ``"0005"``, ``"ADR-0005"``, ``"adr/0005-x.md"`` → 5; None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"(?:ADR[-\s]?)?(\d{1,6})", text, re.IGNORECASE)
        if match:
            return int(match.group(1))
        linked = ADR_FILE.match(text.rsplit("/", 1)[-1])
        if linked:
            return int(linked.group("number"))
    return None


def number_list(value: object) -> tuple[tuple[int, ...], bool]:
    """Numbers of a ``supersedes``-style value and whether it was well formed."""
    if value is None or value == "" or value == []:
        return (), True
    items = value if isinstance(value, list) else [value]
    numbers = []
    ok = True
    for item in items:
        number = parse_number(item)
        if number is None:
            ok = False
            continue
        numbers.append(number)
    return tuple(numbers), ok


def _linked_numbers(text: str) -> tuple[int, ...]:
    found = []
    for match in _LINKED_NUMBER.finditer(text):
        value = match.group("number") or match.group("bare")
        if value is not None:
            found.append(int(value))
    return tuple(dict.fromkeys(found))


def normalize_status(text: str | None) -> str | None:
    """The status of a status text (``✅ Accepted``, ``Superseded by …``, ``Принято``): one
    of ``STATUSES`` when sdd knows the word in some language, else its first word lower-case."""
    if not text:
        return None
    if "|" in text:
        return text.strip().lower()  # a template's choice list, never a valid status
    words = re.findall(r"[A-Za-z]+", text)
    word = words[0].lower() if words else text.strip().lower()
    if word in STATUSES:
        return word
    return translated_status(text) or word


def read_adr(path: Path, number: int) -> Adr:
    """Read one ADR file in any supported format; problems are recorded, not raised."""
    problems: list[Problem] = []
    try:
        if path.is_symlink():
            try:
                ensure_inside(path, path.parent)
            except UnsafePathError as exc:
                raise ParseError(exc.message, path=path) from None
        text = read_text(path, limit=MAX_ADR_BYTES)
    except ParseError as exc:
        problems.append(Problem(exc.line or 1, "unreadable", exc.message))
        return Adr(
            number,
            path,
            path.stem,
            None,
            None,
            1,
            None,
            None,
            (),
            (),
            (),
            "unknown",
            problems=tuple(problems),
        )
    document = frontmatter.split(text)
    header: dict[str, Any] | None = None
    key_lines: dict[str, int] = {}
    if document.has_front_matter:
        if not document.closed:
            problems.append(Problem(1, "front-matter", "front matter is not closed with '---'"))
        else:
            try:
                parsed = frontmatter.parse_header(document, path)
                key_lines = frontmatter.key_lines(document, path)
            except ParseError as exc:
                problems.append(Problem(exc.line or 1, "front-matter", exc.message))
                parsed = None
            if parsed is None:
                header = {}
            elif isinstance(parsed, dict):
                header = {str(k): v for k, v in parsed.items()}
            else:
                problems.append(
                    Problem(2, "front-matter", "front matter must be a mapping of keys")
                )
    body = document.body if document.closed or not document.has_front_matter else ""
    body_line = document.body_line
    lines = body.splitlines()
    sections: dict[str, int] = {}
    title = ""
    bullets: dict[str, tuple[str, int]] = {}
    status_section: list[tuple[str, int]] = []
    in_status = False
    fence = False
    for offset, line in enumerate(lines):
        number_here = body_line + offset
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        heading = _HEADING.match(line)
        if heading:
            level, name = len(heading.group(1)), heading.group(2).strip()
            if level == 1 and not title:
                title = _TITLE_PREFIX.sub("", name).strip()
            else:
                sections.setdefault(name.lower().strip(" :"), number_here)
            in_status = is_status_key(name)
            continue
        if in_status:
            if line.strip():
                status_section.append((line.strip(), number_here))
            continue
        bullet = _BULLET.match(line) or _PLAIN_FIELD.match(line)
        if bullet:
            key = bullet.group("key").strip().lower()
            if is_status_key(key):
                key = "status"
            bullets.setdefault(key, (bullet.group("value").strip(), number_here))
    data = header or {}
    fmt = _format_of(header, sections, bullets, status_section)
    if "title" in data and isinstance(data.get("title"), str) and data["title"].strip():
        title = data["title"].strip()
    status_text, status_line = _status_of(data, key_lines, bullets, status_section)
    status = normalize_status(status_text)
    date_value = data.get("date")
    if isinstance(date_value, (datetime.date, datetime.datetime)):
        date_value = date_value.isoformat()[:10]
    if date_value is None and "date" in bullets:
        date_value = bullets["date"][0]
    by_date = DATED_ADR_FILE.match(path.name)
    if date_value is None and by_date is not None:
        date_value = by_date.group("date")
    feature = data.get("feature")
    if feature is None and "feature" in bullets:
        feature = bullets["feature"][0]
    supersedes, _ = number_list(data.get("supersedes"))
    superseded_by, _ = number_list(data.get("superseded_by"))
    if not supersedes:
        supersedes = _links_from(bullets, status_section, "supersedes")
    if not superseded_by:
        superseded_by = _links_from(bullets, status_section, "superseded by")
        said_superseded = status_text is not None and (
            status_text.lower().startswith("superseded")
            or (status == "superseded" and translated_status(status_text) == status)
        )
        if not superseded_by and status_text and said_superseded:
            superseded_by = _linked_numbers(status_text)
    covers_value = data.get("covers")
    covers = tuple(str(c) for c in covers_value) if isinstance(covers_value, list) else ()
    return Adr(
        number=number,
        path=path,
        title=title or path.stem,
        status=status,
        status_text=status_text,
        status_line=status_line,
        date=str(date_value) if date_value is not None else None,
        feature=str(feature) if feature not in (None, "") else None,
        supersedes=supersedes,
        superseded_by=superseded_by,
        covers=covers,
        format=fmt,
        numbered=by_date is None,
        front_matter=header,
        key_lines=key_lines,
        sections=sections,
        text=text,
        body=body,
        body_line=body_line,
        problems=tuple(problems),
    )


def _format_of(
    header: dict[str, Any] | None,
    sections: dict[str, int],
    bullets: dict[str, tuple[str, int]],
    status_section: list[tuple[str, int]],
) -> str:
    if header is not None and ("id" in header or "superseded_by" in header or "covers" in header):
        return "sdd"
    if "context and problem statement" in sections or "decision outcome" in sections:
        return "madr"
    if header is not None and "status" in header:
        return "madr"
    if any(is_status_key(name) for name in sections):
        return "adr-tools"
    if "status" in bullets:
        return "spec-kit-plus"
    return "sdd" if header is not None else "unknown"


def _status_of(
    data: dict[str, Any],
    key_lines: dict[str, int],
    bullets: dict[str, tuple[str, int]],
    status_section: list[tuple[str, int]],
) -> tuple[str | None, int]:
    if "status" in data and data["status"] is not None:
        return str(data["status"]).strip(), key_lines.get("status", 1)
    if "status" in bullets:
        return bullets["status"]
    for text, line in status_section:
        if not text.lower().startswith(
            ("supersedes", "amends", "amended by", "clarified by", "clarifies")
        ):
            return text, line
    if status_section:
        return status_section[0]
    return None, key_lines.get("status", 1)


def _links_from(
    bullets: dict[str, tuple[str, int]], status_section: list[tuple[str, int]], word: str
) -> tuple[int, ...]:
    numbers: list[int] = []
    if word in bullets:
        numbers.extend(
            _linked_numbers(bullets[word][0])
            or tuple(n for n in [parse_number(bullets[word][0])] if n is not None)
        )
    for text, _line in status_section:
        if text.lower().startswith(word):
            numbers.extend(_linked_numbers(text))
    return tuple(dict.fromkeys(numbers))


def load_adrs(folder: Path) -> list[Adr]:
    return [read_adr(path, number) for number, path in adr_files(folder)]


def find(adrs: Sequence[Adr], number: int) -> Adr:
    """The one ADR numbered ``number``; ``UsageError`` when none or several."""
    matches = [adr for adr in adrs if adr.number == number]
    if not matches:
        known = ", ".join(str(a.number) for a in adrs[:20]) or "none"
        raise UsageError(f"no ADR numbered {number} (ADRs: {known})")
    if len(matches) > 1:
        names = ", ".join(a.path.name for a in matches)
        raise UsageError(
            f"{len(matches)} ADRs share number {number}: {names}",
            hint="run 'sdd adr renumber' to give the later one a free number",
        )
    return matches[0]


def width_of(adr: Adr) -> int:
    """How many digits the number in ``adr``'s file name has (at least 3), for new references."""
    match = None if is_dated(adr.path) else ADR_FILE.match(adr.path.name)
    return max(3, len(match.group("number"))) if match else DEFAULT_WIDTH


def unfinished_sections(adr: Adr) -> tuple[tuple[str, int], ...]:
    """(heading, line) of each section that still holds a "To be completed:" line."""
    found: list[tuple[str, int]] = []
    heading: tuple[str, int] | None = None
    fence = False
    for offset, line in enumerate(adr.body.splitlines()):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        if stripped.startswith("#"):
            heading = (stripped.lstrip("#").strip(), adr.body_line + offset)
            continue
        if heading is not None and _UNFINISHED.match(line) and heading not in found:
            found.append(heading)
    return tuple(found)


def with_status(adrs: Sequence[Adr], status: str | None) -> list[Adr]:
    """The records of ``status`` (any case), all of them without one; ``UsageError`` for a
    status sdd does not know."""
    if status is None:
        return list(adrs)
    wanted = status.strip().lower()
    if wanted not in STATUSES:
        raise UsageError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    return [record for record in adrs if record.status == wanted]


def readable(adrs: Sequence[Adr], number: int, shown: Callable[[Path], str]) -> Adr:
    """ADR ``number``, refused (``ParseError``) when its file could not be read at all."""
    record = find(adrs, number)
    for problem in record.problems:
        if problem.kind == "unreadable":
            raise ParseError(f"cannot read the record: {problem.message}", path=shown(record.path))
    return record


def list_document(adrs: Sequence[Adr], root: Path) -> dict[str, object]:
    """The ``sdd adr list --json`` document."""
    return {"schema": "sdd.adr-list/1", "adrs": [adr.as_dict(root) for adr in adrs]}
