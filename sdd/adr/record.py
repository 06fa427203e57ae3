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
the checker (``sdd.adr.checks``). How each format writes its fields is read in
``sdd.adr.formats``; questions asked of the loaded records (by number, by status) are answered
in ``sdd.adr.queries``. The rest of the lifecycle lives beside this module: creating
(``sdd.adr.create``), status and supersede links (``sdd.adr.status``), the README index
(``sdd.adr.index``) and renumbering after a merge (``sdd.adr.renumber``).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any, NamedTuple

from sdd.adr.formats import format_of, scan_body, status_of
from sdd.adr.status_words import translated_status
from sdd.base import frontmatter
from sdd.base.errors import ParseError, UnsafePathError
from sdd.base.fileio import read_text
from sdd.base.paths import ensure_inside, relative_posix
from sdd.project.adr_folders import ADR_FILE as ADR_FILE
from sdd.project.adr_folders import DATED_ADR_FILE as DATED_ADR_FILE

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

_LINKED_NUMBER = re.compile(
    r"\(\s*(?:\./)?(?P<file>(?:adr[-_]?)?(?P<number>\d{1,6})[-_][^)\s]*\.md)\s*\)|\bADR[-\s]?(?P<bare>\d{1,6})\b",
    re.IGNORECASE,
)


class Problem(NamedTuple):
    line: int
    kind: str  # unreadable | front-matter
    message: str


class Adr(NamedTuple):
    """One decision record as read, whatever its format; ``problems`` say what could not be."""

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
    key_lines: dict[str, int]  # top-level front matter key → line
    sections: dict[str, int]  # lower-case heading → line
    numbered: bool = True  # False: named by its date, numbered by date order
    front_matter: dict[str, Any] | None = None
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
            number=number,
            path=path,
            title=path.stem,
            status=None,
            status_text=None,
            status_line=1,
            date=None,
            feature=None,
            supersedes=(),
            superseded_by=(),
            covers=(),
            format="unknown",
            key_lines={},
            sections={},
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
    body_fields = scan_body(body, body_line)
    title, sections = body_fields.title, body_fields.sections
    bullets, status_section = body_fields.bullets, body_fields.status_section
    data = header or {}
    fmt = format_of(header, sections, bullets, status_section)
    if "title" in data and isinstance(data.get("title"), str) and data["title"].strip():
        title = data["title"].strip()
    status_text, status_line = status_of(data, key_lines, bullets, status_section)
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
