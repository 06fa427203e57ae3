"""Architecture Decision Records: reading every common format, creating, and the lifecycle.

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
the checker (``sdd.adrchecks``). Writes go through ``sdd.fileio``; new numbers are claimed
exclusively (a claim file per number, then an exclusive create of the record).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdd import frontmatter
from sdd.errors import ParseError, RefusedError, UsageError
from sdd.fileio import create_exclusive, read_text, write_atomic

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
INDEX_FILE = "README.md"
INDEX_START = "<!-- sdd:adr-index:start -->"
INDEX_END = "<!-- sdd:adr-index:end -->"
TO_BE_COMPLETED = "To be completed:"
DEFAULT_WIDTH = 4
MAX_ADR_BYTES = 4 * 1024 * 1024
CLAIM_SUFFIX = ".claim"
STALE_CLAIM_SECONDS = 60.0

ADR_FILE = re.compile(
    r"^(?:adr[-_ ]?)?(?P<number>\d{1,6})(?:[-_ .]+(?P<slug>.*?))?\.md$", re.IGNORECASE
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TITLE_PREFIX = re.compile(r"^(?:ADR[-\s]?\d+\s*[:.\-–—]\s*|\d+\s*[.:\-–—)]\s*)", re.IGNORECASE)
_BULLET = re.compile(  # "- **Status:** Accepted", "- **Status**: Accepted", "* Status: accepted"
    r"^\s*[-*+]\s*(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z ]{1,30}?)\s*"
    r"(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:|:)\s*(?P<value>.*?)\s*$"
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
    front_matter: dict[str, Any] | None = None
    key_lines: dict[str, int] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)
    text: str = ""
    body: str = ""
    body_line: int = 1
    problems: tuple[Problem, ...] = ()

    @property
    def slug(self) -> str:
        match = ADR_FILE.match(self.path.name)
        return (match.group("slug") or "") if match else self.path.stem

    def label(self, width: int = DEFAULT_WIDTH) -> str:
        return f"ADR-{self.number:0{width}d}"

    def as_dict(self, root: Path | None = None) -> dict[str, object]:
        path = _relative(self.path, root) if root is not None else str(self.path)
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


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# --- reading -----------------------------------------------------------------------------------


def adr_files(folder: Path) -> list[tuple[int, Path]]:
    """(number, path) of every ADR file in ``folder`` (README, templates and dotfiles skipped)."""
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith(".") or not entry.is_file():
            continue
        match = ADR_FILE.match(name)
        if match is None:
            continue
        found.append((int(match.group("number")), entry))
    return sorted(found, key=lambda item: (item[0], item[1].name))


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
    """The status word of a status text (``✅ Accepted``, ``Superseded by …``), lower-case."""
    if not text:
        return None
    if "|" in text:
        return text.strip().lower()  # a template's choice list, never a valid status
    words = re.findall(r"[A-Za-z]+", text)
    return words[0].lower() if words else text.strip().lower()


def read_adr(path: Path, number: int) -> Adr:
    """Read one ADR file in any supported format; problems are recorded, not raised."""
    problems: list[Problem] = []
    try:
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
            in_status = name.strip().lower() == "status"
            continue
        if in_status:
            if line.strip():
                status_section.append((line.strip(), number_here))
            continue
        bullet = _BULLET.match(line) or _PLAIN_FIELD.match(line)
        if bullet:
            key = bullet.group("key").strip().lower()
            bullets.setdefault(key, (bullet.group("value").strip(), number_here))
    data = header or {}
    fmt = _format_of(header, sections, bullets, status_section)
    if "title" in data and isinstance(data.get("title"), str) and data["title"].strip():
        title = data["title"].strip()
    status_text, status_line = _status_of(data, key_lines, bullets, status_section)
    date_value = data.get("date")
    if isinstance(date_value, (datetime.date, datetime.datetime)):
        date_value = date_value.isoformat()[:10]
    if date_value is None and "date" in bullets:
        date_value = bullets["date"][0]
    feature = data.get("feature")
    if feature is None and "feature" in bullets:
        feature = bullets["feature"][0]
    supersedes, _ = number_list(data.get("supersedes"))
    superseded_by, _ = number_list(data.get("superseded_by"))
    if not supersedes:
        supersedes = _links_from(bullets, status_section, "supersedes")
    if not superseded_by:
        superseded_by = _links_from(bullets, status_section, "superseded by")
        if not superseded_by and status_text and status_text.lower().startswith("superseded"):
            superseded_by = _linked_numbers(status_text)
    covers_value = data.get("covers")
    covers = tuple(str(c) for c in covers_value) if isinstance(covers_value, list) else ()
    return Adr(
        number=number,
        path=path,
        title=title or path.stem,
        status=normalize_status(status_text),
        status_text=status_text,
        status_line=status_line,
        date=str(date_value) if date_value is not None else None,
        feature=str(feature) if feature not in (None, "") else None,
        supersedes=supersedes,
        superseded_by=superseded_by,
        covers=covers,
        format=fmt,
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
    if "status" in sections:
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


# --- creating ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """What ``sdd adr new`` will write (its number may still move if another creator wins)."""

    number: int
    width: int
    path: Path
    title: str
    slug: str
    status: str
    date: str
    feature: str | None
    supersedes: tuple[int, ...]
    covers: tuple[str, ...]
    context: str
    references: tuple[str, ...]


def number_width(folder: Path) -> int:
    widths = [len(ADR_FILE.match(p.name).group("number")) for _, p in adr_files(folder)]  # type: ignore[union-attr]
    if not widths:
        return DEFAULT_WIDTH
    common = max(set(widths), key=widths.count)
    return max(3, common)


def _claims(folder: Path) -> list[int]:
    numbers: list[int] = []
    if not folder.is_dir():
        return numbers
    now = time.time()
    for entry in folder.glob(f".*{CLAIM_SUFFIX}"):
        match = re.fullmatch(rf"\.(\d+){re.escape(CLAIM_SUFFIX)}", entry.name)
        if not match:
            continue
        try:
            if now - entry.stat().st_mtime > STALE_CLAIM_SECONDS:
                entry.unlink()
                continue
        except FileNotFoundError:
            continue
        numbers.append(int(match.group(1)))
    return numbers


def next_number(folder: Path) -> int:
    used = [number for number, _ in adr_files(folder)] + _claims(folder)
    return max(used, default=0) + 1


def validate_title(title: str) -> str:
    cleaned = title.strip()
    if not cleaned:
        raise UsageError("the ADR title is empty")
    if any(ord(char) < 32 for char in cleaned):
        raise UsageError("the ADR title must be one line without control characters")
    if len(cleaned) > 200:
        raise UsageError("the ADR title is longer than 200 characters")
    return cleaned


def plan_new(
    folder: Path,
    title: str,
    *,
    feature: str | None = None,
    supersedes: Iterable[int] = (),
    covers: Iterable[str] = (),
    context: str | None = None,
    references: Iterable[str] = (),
    today: datetime.date | None = None,
) -> Draft:
    from sdd.slugs import slugify

    cleaned = validate_title(title)
    slug = slugify(cleaned)
    number = next_number(folder)
    width = number_width(folder)
    date = (today or datetime.date.today()).isoformat()
    default_context = (
        f"*{TO_BE_COMPLETED} the problem, the forces at play and the constraints that make this "
        "decision necessary.*"
    )
    return Draft(
        number=number,
        width=width,
        path=folder / f"{number:0{width}d}-{slug}.md",
        title=cleaned,
        slug=slug,
        status="proposed",
        date=date,
        feature=feature,
        supersedes=tuple(supersedes),
        covers=tuple(dict.fromkeys(covers)),
        context=context.strip() if context and context.strip() else default_context,
        references=tuple(references),
    )


def _yaml_value(value: object) -> str:
    """A value as a YAML flow scalar or list (JSON is YAML), keeping non-ASCII text readable."""
    import json

    return json.dumps(value, ensure_ascii=False)


def render_draft(draft: Draft, number: int, templates_dir: Path | None) -> str:
    """The record's text from the ``adr.md`` template (project copy first, then the default).

    Template variables: ``id``, ``number`` (zero-padded), ``title``, ``status``, ``date``,
    ``feature``, ``supersedes``, ``covers``, ``context``, ``references``, ``to_be_completed``,
    and ``yaml`` (the same values quoted for front matter: ``yaml.title`` …).
    """
    from sdd import templates

    supersedes = list(draft.supersedes) or None
    if supersedes is not None and len(supersedes) == 1:
        supersedes_value: object = supersedes[0]
    else:
        supersedes_value = supersedes
    return templates.render(
        "adr.md",
        {
            "id": number,
            "number": f"{number:0{draft.width}d}",
            "title": draft.title,
            "status": draft.status,
            "date": draft.date,
            "feature": draft.feature,
            "supersedes": list(draft.supersedes),
            "covers": list(draft.covers),
            "context": draft.context,
            "references": list(draft.references),
            "to_be_completed": TO_BE_COMPLETED,
            "yaml": {
                "title": _yaml_value(draft.title),
                "feature": _yaml_value(draft.feature),
                "supersedes": _yaml_value(supersedes_value),
                "covers": _yaml_value(list(draft.covers)),
            },
        },
        project_dir=templates_dir,
    )


def create(draft: Draft, render: Callable[[int], str], *, attempts: int = 200) -> tuple[int, Path]:
    """Write the ADR under the first free number from ``draft.number`` on; return it and the path.

    A number is claimed with an exclusive claim file, checked free among the ADR files, then the
    record is created exclusively and the claim released; a concurrent creator that loses any
    step moves on to the next number.
    """
    folder = draft.path.parent
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(attempts):
        number = next_number(folder)
        claim = folder / f".{number:0{draft.width}d}{CLAIM_SUFFIX}"
        if not create_exclusive(claim, f"{os.getpid()}\n"):
            time.sleep(0.005)
            continue
        try:
            if any(existing == number for existing, _ in adr_files(folder)):
                continue
            path = folder / f"{number:0{draft.width}d}-{draft.slug}.md"
            if create_exclusive(path, render(number)):
                return number, path
        finally:
            with contextlib.suppress(FileNotFoundError):
                claim.unlink()
    raise RefusedError(f"could not claim a free ADR number in {folder} after {attempts} attempts")


# --- editing the status and links ---------------------------------------------------------------


def _format_numbers(numbers: Sequence[int]) -> str:
    if not numbers:
        return "null"
    if len(numbers) == 1:
        return str(numbers[0])
    return "[" + ", ".join(str(n) for n in numbers) + "]"


def _set_front_matter_key(text: str, key: str, value: str) -> str:
    """Replace (or add before the closing ``---``) one top-level key of the front matter."""
    lines = text.splitlines(keepends=True)
    end = None
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in ("---", "..."):
            end = index
            break
    if not lines or lines[0].rstrip() != "---" or end is None:
        raise UsageError("the record has no closed front matter to edit")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    index = 1
    while index < end:
        if pattern.match(lines[index]):
            # Drop the value's continuation lines (a block list).
            stop = index + 1
            while stop < end and (
                lines[stop].startswith((" ", "\t", "-"))
                and not re.match(r"^[\w-]+\s*:", lines[stop])
            ):
                stop += 1
            lines[index:stop] = [f"{key}: {value}{newline}"]
            return "".join(lines)
        index += 1
    lines.insert(end, f"{key}: {value}{newline}")
    return "".join(lines)


def _replace_line(text: str, line_number: int, new_line: str) -> str:
    lines = text.splitlines(keepends=True)
    old = lines[line_number - 1]
    ending = "\r\n" if old.endswith("\r\n") else "\n" if old.endswith("\n") else ""
    lines[line_number - 1] = new_line + ending
    return "".join(lines)


def _insert_after(text: str, line_number: int, new_line: str) -> str:
    lines = text.splitlines(keepends=True)
    ending = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if line_number - 1 < len(lines) and not lines[line_number - 1].endswith(("\n", "\r\n")):
        lines[line_number - 1] += ending
    lines.insert(line_number, new_line + ending)
    return "".join(lines)


def _link_text(target: Adr, from_folder: Path) -> str:
    return f"[{target.number}. {target.title}]({os.path.relpath(target.path, from_folder)})"


def rewrite_status(adr: Adr, status: str, superseded_by: Sequence[Adr] = ()) -> str:
    """The text of ``adr`` with its status (and superseded-by links) set, format preserved."""
    numbers = [target.number for target in superseded_by]
    text = adr.text
    if adr.front_matter is not None and adr.format in ("sdd", "madr") and not adr.problems:
        if adr.format == "madr" and numbers:
            label = ", ".join(f"ADR-{n:04d}" for n in numbers)
            return _set_front_matter_key(text, "status", f'"superseded by {label}"')
        text = _set_front_matter_key(text, "status", status)
        if adr.format == "sdd" or "superseded_by" in (adr.front_matter or {}):
            text = _set_front_matter_key(text, "superseded_by", _format_numbers(numbers))
        return text
    if adr.status_text is None:
        raise UsageError(f"cannot find the status of {adr.path.name}; edit it by hand")
    line = text.splitlines()[adr.status_line - 1]
    if adr.format == "adr-tools":
        if numbers:
            new_value = "Superseded by " + ", ".join(
                _link_text(t, adr.path.parent) for t in superseded_by
            )
        else:
            new_value = status.capitalize()
        indent = line[: len(line) - len(line.lstrip())]
        return _replace_line(text, adr.status_line, indent + new_value)
    value = status.capitalize()
    if numbers:
        value = "Superseded by " + ", ".join(f"ADR-{n:0{_width_of(adr)}d}" for n in numbers)
    start = line.find(adr.status_text) if adr.status_text else -1
    if start < 0:
        raise UsageError(f"cannot find the status of {adr.path.name}; edit it by hand")
    return _replace_line(
        text, adr.status_line, line[:start] + value + line[start + len(adr.status_text) :]
    )


def _width_of(adr: Adr) -> int:
    match = ADR_FILE.match(adr.path.name)
    return max(3, len(match.group("number"))) if match else DEFAULT_WIDTH


def rewrite_supersedes(adr: Adr, numbers: Sequence[int], targets: Sequence[Adr]) -> str:
    """The text of ``adr`` with its ``supersedes`` links set to ``numbers``."""
    text = adr.text
    if adr.front_matter is not None and adr.format == "sdd" and not adr.problems:
        return _set_front_matter_key(text, "supersedes", _format_numbers(list(numbers)))
    if adr.front_matter is not None and adr.format == "madr" and not adr.problems:
        if "supersedes" in adr.front_matter or numbers:
            return _set_front_matter_key(text, "supersedes", _format_numbers(list(numbers)))
        return text
    lines = text.splitlines()
    existing = [
        index + 1
        for index, line in enumerate(lines)
        if re.match(r"^\s*(?:[-*+]\s*)?(?:\*\*|__)?Supersedes\b", line, re.IGNORECASE)
    ]
    width = _width_of(adr)
    if adr.format == "adr-tools":
        new_line = (
            "Supersedes " + ", ".join(_link_text(t, adr.path.parent) for t in targets)
            if targets
            else ""
        )
    else:
        new_line = (
            "- **Supersedes:** " + ", ".join(f"ADR-{n:0{width}d}" for n in numbers)
            if numbers
            else ""
        )
    if existing:
        if new_line:
            return _replace_line(text, existing[0], new_line)
        kept = [
            line
            for index, line in enumerate(text.splitlines(keepends=True))
            if index + 1 != existing[0]
        ]
        return "".join(kept)
    if not new_line:
        return text
    if adr.status_text is None:
        raise UsageError(
            f"cannot find where to record 'Supersedes' in {adr.path.name}; edit it by hand"
        )
    if adr.format == "adr-tools":
        return _insert_after(text, adr.status_line, "\n" + new_line)
    return _insert_after(text, adr.status_line, new_line)


@dataclass(frozen=True)
class StatusChange:
    path: Path
    number: int
    before: str | None
    after: str | None
    supersedes: tuple[int, ...]
    superseded_by: tuple[int, ...]
    unfinished: tuple[str, ...] = ()


def change_status(
    adrs: Sequence[Adr], number: int, status: str, by: int | None = None
) -> list[StatusChange]:
    """Set ADR ``number``'s status; ``superseded`` needs ``by`` and updates both records' links.

    Leaving ``superseded`` removes the old links from both records.
    """
    status = status.strip().lower()
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    target = find(adrs, number)
    if status == "superseded":
        if by is None:
            raise UsageError("'superseded' needs --by M: the ADR that supersedes this one")
        if by == number:
            raise UsageError("an ADR cannot supersede itself")
        successor = find(adrs, by)
    elif by is not None:
        raise UsageError("--by only goes with the status 'superseded'")
    else:
        successor = None
    writes: list[tuple[Adr, str]] = []
    if successor is not None:
        writes.append((target, rewrite_status(target, status, [successor])))
        links = tuple(dict.fromkeys([*successor.supersedes, number]))
        if links != successor.supersedes:
            partners = [a for a in adrs if a.number in links]
            writes.append((successor, rewrite_supersedes(successor, links, partners)))
    else:
        writes.append((target, rewrite_status(target, status, [])))
    # Former successors no longer supersede this record.
    for old in target.superseded_by:
        previous = next((a for a in adrs if a.number == old), None)
        if old == by or previous is None or number not in previous.supersedes:
            continue
        remaining = [n for n in previous.supersedes if n != number]
        partners = [a for a in adrs if a.number in remaining]
        writes.append((previous, rewrite_supersedes(previous, remaining, partners)))
    changes = []
    for adr, new_text in writes:
        if new_text != adr.text:
            write_atomic(adr.path, new_text)
        after = read_adr(adr.path, adr.number)
        changes.append(
            StatusChange(
                adr.path,
                adr.number,
                adr.status,
                after.status,
                after.supersedes,
                after.superseded_by,
                tuple(n for n, _ in unfinished_sections(after)) if adr.path == target.path else (),
            )
        )
    refresh_index(target.path.parent)
    return changes


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


def link_supersedes(adrs: Sequence[Adr], new: Adr, old_numbers: Sequence[int]) -> list[Path]:
    """After creating ``new`` with ``supersedes``: mark each old ADR superseded by it."""
    written = []
    for old_number in old_numbers:
        old = find(adrs, old_number)
        by = list(dict.fromkeys([*(n for n in old.superseded_by if n != new.number), new.number]))
        known = {a.path: a for a in [*adrs, new]}
        targets = [a for a in known.values() if a.number in by]
        new_text = rewrite_status(old, "superseded", targets)
        if new_text != old.text:
            write_atomic(old.path, new_text)
            written.append(old.path)
    return written


# --- the index ---------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def index_table(adrs: Sequence[Adr], folder: Path) -> str:
    rows = ["| Number | Title | Status | Date | Superseded by |", "|---|---|---|---|---|"]
    for adr in sorted(adrs, key=lambda a: (a.number, a.path.name)):
        width = _width_of(adr)
        link = f"[{_cell(adr.title)}]({adr.path.name.replace(' ', '%20')})"
        by = ", ".join(f"ADR-{n:0{width}d}" for n in adr.superseded_by)
        status, date = _cell(adr.status or ""), _cell(adr.date or "")
        rows.append(f"| {adr.number:0{width}d} | {link} | {status} | {date} | {by} |")
    return "\n".join(rows) + "\n"


def render_index(existing: str | None, table: str) -> str:
    block = f"{INDEX_START}\n{table}{INDEX_END}\n"
    if existing is None:
        return (
            "# Architecture Decision Records\n\n"
            f"Generated by `sdd adr index`; edit the records, not this table.\n\n{block}"
        )
    start = existing.find(INDEX_START)
    end = existing.find(INDEX_END)
    if start >= 0 and end > start:
        tail = existing[end + len(INDEX_END) :]
        tail = tail[1:] if tail.startswith("\n") else tail
        return existing[:start] + block + tail
    separator = "" if existing.endswith("\n\n") else "\n" if existing.endswith("\n") else "\n\n"
    return existing + separator + block


def refresh_index(folder: Path) -> bool:
    """Rewrite the index after a change, but only where ``sdd adr index`` already wrote one."""
    path = folder / INDEX_FILE
    try:
        if not path.is_file() or INDEX_START not in path.read_text(encoding="utf-8"):
            return False
    except (OSError, UnicodeDecodeError):
        return False
    return write_index(folder)[1]


def write_index(folder: Path) -> tuple[Path, bool]:
    """Write the ADR table into ``folder/README.md``; return the path and whether it changed."""
    path = folder / INDEX_FILE
    existing = path.read_text(encoding="utf-8") if path.is_file() else None
    content = render_index(existing, index_table(load_adrs(folder), folder))
    if content == existing:
        return path, False
    write_atomic(path, content)
    return path, True


# --- renumbering after a merge ----------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    path: Path
    line: int
    before: str
    after: str


@dataclass(frozen=True)
class Renumbering:
    old_number: int
    new_number: int
    old_path: Path
    new_path: Path
    kept: Path  # the record that keeps the number


@dataclass(frozen=True)
class RenumberPlan:
    renumberings: tuple[Renumbering, ...]
    edits: tuple[Edit, ...]  # every changed line, the renamed records' own lines included
    ambiguous: tuple[Edit, ...]  # number-only references that may mean either record (unchanged)

    @property
    def empty(self) -> bool:
        return not self.renumberings


def _age(root: Path, adr: Adr) -> tuple[float, str, str]:
    from sdd import gitio

    added: float | None = None
    try:
        if gitio.git_executable() is not None and gitio.toplevel(root) is not None:
            found = gitio.first_added_time(root, adr.path)
            added = float(found) if found is not None else None
    except Exception:
        added = None
    return (added if added is not None else float("inf"), adr.date or "9999", adr.path.name)


def _related_files(root: Path, adr: Adr) -> set[Path] | None:
    from sdd import gitio

    try:
        top = gitio.toplevel(root)
        if top is None:
            return None
        return {(top / name).resolve() for name in gitio.files_changed_with(root, adr.path)}
    except Exception:
        return None


def _reference_files(folders: Iterable[Path]) -> list[Path]:
    found: dict[Path, None] = {}
    for folder in folders:
        if folder.is_file() and folder.suffix == ".md":
            found[folder] = None
        elif folder.is_dir():
            for path in sorted(folder.rglob("*.md")):
                if path.is_file() and not any(
                    part.startswith(".") for part in path.relative_to(folder).parts
                ):
                    found[path] = None
    return list(found)


def _bare_patterns(number: int, *, own: bool) -> list[re.Pattern[str]]:
    """Number-only references to ADR ``number``; ``own``: in the record itself (id, heading)."""
    keys = "supersedes|superseded_by|adr" + ("|id" if own else "")
    patterns = [
        re.compile(rf"(?P<prefix>\bADR[-_ ]?)(?P<digits>0*{number})\b", re.IGNORECASE),
        re.compile(
            rf"^(?P<prefix>\s*(?:-\s*)?(?:{keys})\s*:\s*(?:\[[^\]]*?)?)(?P<digits>0*{number})\b"
        ),
    ]
    if own:
        patterns.append(re.compile(rf"^(?P<prefix>#\s+)(?P<digits>0*{number})(?=\.)"))
    return patterns


def _digits_replacer(new_number: int) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return match.group("prefix") + _renumber_digits(match.group("digits"), new_number)

    return replace


def _renumber_digits(digits: str, new_number: int) -> str:
    return (
        f"{new_number:0{max(len(digits), len(str(new_number)))}d}"
        if digits.startswith("0")
        else str(new_number)
    )


def plan_renumber(root: Path, adr_folder: Path, reference_folders: Sequence[Path]) -> RenumberPlan:
    """Give every later record that shares a number with an earlier one the next free number."""
    adrs = load_adrs(adr_folder)
    groups: dict[int, list[Adr]] = {}
    for adr in adrs:
        groups.setdefault(adr.number, []).append(adr)
    next_free = max((a.number for a in adrs), default=0) + 1
    renumberings: list[tuple[Renumbering, Adr]] = []
    for number in sorted(groups):
        group = groups[number]
        if len(group) < 2:
            continue
        ordered = sorted(group, key=lambda a: _age(root, a))
        for later in ordered[1:]:
            width = _width_of(later)
            new_path = (
                adr_folder / f"{next_free:0{width}d}-{later.slug}.md"
                if later.slug
                else adr_folder / f"{next_free:0{width}d}.md"
            )
            renumberings.append(
                (Renumbering(number, next_free, later.path, new_path, ordered[0].path), later)
            )
            next_free += 1
    if not renumberings:
        return RenumberPlan((), (), ())
    files = _reference_files([adr_folder, *reference_folders])
    edits: list[Edit] = []
    ambiguous: list[Edit] = []
    for renumbering, adr in renumberings:
        related = _related_files(root, adr)
        kept_related = _related_files(root, next(a for a in adrs if a.path == renumbering.kept))
        old_name, new_name = renumbering.old_path.name, renumbering.new_path.name
        by_name = re.compile(rf"(?<![\w-]){re.escape(old_name)}(?![\w-])")
        bare_other = _bare_patterns(renumbering.old_number, own=False)
        bare_own = _bare_patterns(renumbering.old_number, own=True)
        for path in files:
            if path == renumbering.kept:
                continue
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            own = path == renumbering.old_path
            resolved = path.resolve()
            certain = own or (
                related is not None
                and resolved in related
                and (kept_related is None or resolved not in kept_related)
            )
            for index, line in enumerate(lines):
                after = by_name.sub(new_name, line)
                bare_after = after
                for pattern in bare_own if own else bare_other:
                    bare_after = pattern.sub(_digits_replacer(renumbering.new_number), bare_after)
                if bare_after != after:
                    if certain:
                        after = bare_after
                    else:
                        ambiguous.append(Edit(path, index + 1, line, bare_after))
                if after != line:
                    edits.append(Edit(path, index + 1, line, after))
    return RenumberPlan(tuple(r for r, _ in renumberings), tuple(edits), tuple(ambiguous))


def apply_renumber(plan: RenumberPlan) -> None:
    """Rename the records and rewrite the referring lines (each file written atomically)."""
    by_file: dict[Path, dict[int, str]] = {}
    for edit in plan.edits:
        by_file.setdefault(edit.path, {})[edit.line] = edit.after
    moved = {r.old_path: r.new_path for r in plan.renumberings}
    for path, changes in by_file.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        for line_number, new in changes.items():
            old = lines[line_number - 1]
            ending = old[len(old.rstrip("\r\n")) :]
            lines[line_number - 1] = new + ending
        content = "".join(lines)
        if path in moved:
            if not create_exclusive(moved[path], content):
                raise RefusedError(f"{moved[path]} already exists; nothing was renamed")
            path.unlink()
        else:
            write_atomic(path, content)
    for source, destination in moved.items():
        if source not in by_file and source.exists():
            if not create_exclusive(destination, source.read_bytes()):
                raise RefusedError(f"{destination} already exists; nothing was renamed")
            source.unlink()
    folders = {r.new_path.parent for r in plan.renumberings}
    for folder in folders:
        refresh_index(folder)
