"""Prompt History Records: the file format, reading records and finding them (what a file's
name says is in ``sdd.phr.names``, re-exported here; ``sdd.phr.create`` writes new ones).

A record is ``<prompts>/<route>/<ID>-<slug>.<stage>.prompt.md`` (DESIGN §3): YAML front matter,
then the sections ``## Prompt``, ``## Response snapshot``, ``## Outcome`` and
``## Evaluation notes (flywheel)``. sdd writes the prompt and the response inside a backtick
fence longer than any backtick run in them (ADR-0020), so that any text, including ``---``
lines, fences and ``## Response snapshot`` lines, reads back exactly; records of other kits,
with the prompt as plain text under ``## Prompt``, read as that text.
"""

import datetime
import itertools
import re
from collections.abc import Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from sdd.base import frontmatter
from sdd.base.errors import ParseError
from sdd.base.patterns import compiled
from sdd.base.yamlsubset import MAX_YAML_BYTES, load_flat

# Names, suffixes and stages are re-exported: callers ask the record module about them.
from sdd.phr.files import SUFFIX as SUFFIX
from sdd.phr.files import record_entries
from sdd.phr.names import FEATURE_STAGES as FEATURE_STAGES
from sdd.phr.names import MIN_ID_DIGITS as MIN_ID_DIGITS
from sdd.phr.names import OWN_ROUTE_STAGES as OWN_ROUTE_STAGES
from sdd.phr.names import RecordName as RecordName
from sdd.phr.names import file_name as file_name
from sdd.phr.names import format_id as format_id
from sdd.phr.names import is_record_name as is_record_name
from sdd.phr.names import parse_name as parse_name
from sdd.phr.names import route_for as route_for
from sdd.phr.schema import STAGES as STAGES

SECTIONS = ("Prompt", "Response snapshot", "Outcome", "Evaluation notes (flywheel)")
MAX_RECORD_BYTES = 32 * 1024 * 1024

# Section headings by their words in lower case and single-spaced, and as sdd writes them.
_SECTION_NAMES = {
    "prompt": "Prompt",
    "response snapshot": "Response snapshot",
    "outcome": "Outcome",
    "evaluation notes (flywheel)": "Evaluation notes (flywheel)",
    "evaluation notes(flywheel)": "Evaluation notes (flywheel)",
    "evaluation notes": "Evaluation notes (flywheel)",
}
_SECTION_NAMES.update({name: name for name in SECTIONS})
# A section heading line: "#" or "##", its words (group 1), then blanks and a colon. Not
# "[ \t]*:?[ \t]*" after the words: two runs of blanks backtrack quadratically.
_HEADING = (
    r"##?[ \t]+(?i:(prompt|response snapshot|outcome|evaluation notes(?:[ \t]*\(flywheel\))?))"
    r"[ \t]*(?::[ \t]*)?\r?"
)
_SECTION_HEADING = f"^{_HEADING}$"
_YAML_LINE = r"[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|$)"
_HEADING_AFTER_NEWLINE = re.compile(
    r"\n##?[ \t]+(?i:prompt|response snapshot|outcome|evaluation notes)[^\n]*"
)
# A line that matters to the sections of a record's body (group 1): a section heading at the
# line's start, its words in group 2, or a fence line (up to three spaces, then a run of three
# or more backticks or tildes in group 3, the rest of the line in group 4). Searched from the
# line feed before it, the literal the regex engine skips to fastest.
_SECTION_OR_FENCE = f"({_HEADING}(?=\\n|\\Z)| {{0,3}}(`{{3,}}|~{{3,}})(.*))"
_FIRST_LINE = re.compile(_SECTION_OR_FENCE)
_LATER_LINE = re.compile("\n" + _SECTION_OR_FENCE)
_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")
_OPENING_FENCE = re.compile(r"(`{3,})([^`\n]*)\n")


# ---------------------------------------------------------------------------------------------
# Reading a record


class Header(NamedTuple):
    """Where the front matter is. Lines are 1-based lines of the file.

    ``closed`` is False when no closing ``---`` came before a ``##`` section heading or the end
    of the file; the header then runs to that heading, or to the first line that is not YAML.
    """

    present: bool
    closed: bool
    text: str
    first_line: int
    end_line: int


class Section(NamedTuple):
    name: str
    line: int  # line of the heading
    content: str  # everything between the heading line and the next section heading

    def value(self) -> tuple[str, bool]:
        """The section's text, and whether it was fenced verbatim (see the module doc)."""
        return section_value(self.content)


class Record:
    """A parsed record file; never raises on bad content (the checker reports it)."""

    def __init__(self, text: str, header: Header, *, body_line: int = 1) -> None:
        self.text = text
        self.header = header
        self.data: Any = None
        self.yaml_error: ParseError | None = None
        self.sections: dict[str, Section] = {}
        self.body_line = body_line
        self.open_fence_line: int | None = None  # a code fence in the body that never closes

    def key_line(self, key: str) -> int:
        """The file line of top-level ``key`` in the front matter (else its first line): the
        first header line that starts with ``key`` and then ``:`` (blanks allowed between)."""
        offset: int | None
        if ":" in key or key != key.rstrip(" \t"):  # rare: search the text for it
            match = re.search(rf"(?m)^{re.escape(key)}[ \t]*:", self.header.text)
            offset = None if match is None else self.header.text.count("\n", 0, match.start())
        else:
            offset = self._key_offsets.get(key)
        if offset is None:
            return self.header.first_line if self.header.present else 1
        return self.header.first_line + offset

    @cached_property
    def _key_offsets(self) -> dict[str, int]:
        """Header line (0-based) of each text before a line's first ``:``, blanks trimmed:
        one pass, so that a header of many keys is not searched once per key."""
        offsets: dict[str, int] = {}
        for offset, line in enumerate(self.header.text.split("\n")):
            before, colon, _ = line.partition(":")
            if colon:
                offsets.setdefault(before.rstrip(" \t"), offset)
        return offsets

    def raw_keys(self) -> dict[str, int]:
        """Top-level keys found by reading header lines (also when the YAML is broken)."""
        keys: dict[str, int] = {}
        for offset, line in enumerate(self.header.text.split("\n")):
            match = compiled(_YAML_LINE).match(line)
            if match is not None:
                keys.setdefault(line.split(":", 1)[0].strip(), self.header.first_line + offset)
        return keys

    @property
    def prompt(self) -> str | None:
        section = self.sections.get("Prompt")
        return section.value()[0] if section is not None else None

    @property
    def response(self) -> str | None:
        section = self.sections.get("Response snapshot")
        return section.value()[0] if section is not None else None


def _split(text: str) -> tuple[Header, str, int]:
    """The front matter and the body of ``text`` (body and its first line)."""
    first_end = frontmatter.opening_end(text)
    if first_end is None:
        return Header(False, False, "", 0, 0), text[frontmatter.content_start(text) :], 1
    if first_end == len(text):
        return Header(True, False, "", 2, 2), "", 2
    close = frontmatter.CLOSING_LINE.search(text, first_end)
    limit = close.start() if close is not None else len(text)
    heading = _HEADING_AFTER_NEWLINE.search(text, first_end, limit)
    while heading is not None and not compiled(_SECTION_HEADING).match(heading.group(0)[1:]):
        heading = _HEADING_AFTER_NEWLINE.search(text, heading.end(), limit)
    if heading is not None:
        header_lines = text.count("\n", first_end + 1, heading.start() + 1)
        return _unclosed(text[first_end + 1 :].split("\n"), header_lines)
    if close is not None:
        header = text[first_end + 1 : close.start()]
        end_line = text.count("\n", 0, close.start()) + 2
        body_start = text.find("\n", close.end())
        body = "" if body_start < 0 else text[body_start + 1 :]
        return Header(True, True, header, 2, end_line), body, end_line + 1
    lines = text[first_end + 1 :].split("\n")
    stop = len(lines)
    for index, line in enumerate(lines):
        if line.strip() and line[0] not in " \t-" and not compiled(_YAML_LINE).match(line):
            stop = index
            break
    return _unclosed(lines, stop)


def _unclosed(lines: list[str], stop: int) -> tuple[Header, str, int]:
    header = "\n".join(lines[:stop])
    return Header(True, False, header, 2, stop + 2), "\n".join(lines[stop:]), stop + 2


def load_header(header: str, source: Path | str, first_line: int) -> Any:
    """The front matter's data: the fast flat reader, else libyaml (values stay strings)."""
    if not header.strip():
        return None
    if len(header) <= MAX_YAML_BYTES:  # larger: yamlio refuses it, naming the limit
        data = load_flat(header)
        if data is not None:
            return data
    from sdd.base import yamlio

    return yamlio.load_untyped(header, source, line_offset=first_line - 1)


def find_sections(body: str, body_line: int) -> tuple[dict[str, Section], int | None]:
    """The known ``##`` sections of ``body`` outside fenced code (first occurrence of each), and
    the line of a fence left open at the end (it hides every heading after it)."""
    headings: list[tuple[str, int, int, int]] = []  # name, line, heading start, content start
    fence: str | None = None
    fence_line: int | None = None
    length = len(body)
    counted = newlines = 0  # line feeds in body[:counted], counted forward: one pass in all
    first = _FIRST_LINE.match(body)  # the body's first line, which no line feed precedes
    lines = _LATER_LINE.finditer(body)
    for line in lines if first is None else itertools.chain((first,), lines):
        spelled = line.group(2)
        if spelled is not None:  # a section heading
            if fence is None:
                name = _SECTION_NAMES.get(spelled) or _SECTION_NAMES[_folded_name(spelled)]
                start = line.start(1)
                newlines += body.count("\n", counted, start)
                counted = start
                headings.append((name, body_line + newlines, start, min(line.end() + 1, length)))
            continue
        run = line.group(3)
        if fence is None:
            if not (run[0] == "`" and "`" in line.group(4)):
                fence = run
                start = line.start(1)
                newlines += body.count("\n", counted, start)
                counted = start
                fence_line = body_line + newlines
        elif run[0] == fence[0] and len(run) >= len(fence) and not line.group(4).strip():
            fence = None
    sections: dict[str, Section] = {}
    for position, (name, line_number, _, content_start) in enumerate(headings):
        end = headings[position + 1][2] if position + 1 < len(headings) else length
        if name not in sections:
            sections[name] = Section(name, line_number, body[min(content_start, end) : end])
    return sections, (fence_line if fence is not None else None)


def _folded_name(spelled: str) -> str:
    return " ".join(spelled.lower().split())


@lru_cache(maxsize=16)
def _closing_fence(length: int) -> re.Pattern[str]:
    """A closing fence line of ``length`` backticks or more, searched from the line feed
    before it (the literal the regex engine skips to fastest; ``^`` in multi-line mode is
    tried at every position)."""
    return re.compile(rf"\n( {{0,3}}`{{{length},}}[ \t]*\r?)(?=\n|\Z)")


def section_value(content: str) -> tuple[str, bool]:
    """The text of a section: the inside of a fence that spans it exactly (sdd's verbatim
    form), else the section's text without surrounding blank space."""
    start = _BLANK_LINES.match(content)
    position = start.end() if start else 0
    opener = _OPENING_FENCE.match(content, position)
    if opener is not None:
        # The opener's line feed precedes the first line that may close it.
        closer = _closing_fence(len(opener.group(1))).search(content, opener.end() - 1)
        if closer is not None and not content[closer.end() :].strip():
            inner = content[opener.end() : closer.start(1)]
            return (inner[:-1] if inner.endswith("\n") else inner), True
    return content.strip(), False


def parse_record(text: str, source: Path | str) -> Record:
    header, body, body_line = _split(text)
    record = Record(text, header, body_line=body_line)
    if header.present:
        try:
            record.data = load_header(header.text, source, header.first_line)
        except ParseError as exc:
            record.yaml_error = exc
    record.sections, record.open_fence_line = find_sections(body, body_line)
    return record


def read_record(path: Path) -> Record:
    """Parse the record at ``path``; ``ParseError`` when it is unreadable (binary, not UTF-8)."""
    from sdd.base.fileio import read_text

    return parse_record(read_text(path, limit=MAX_RECORD_BYTES), path)


# ---------------------------------------------------------------------------------------------
# Writing a record


def fence(text: str) -> str:
    """``text`` in a ``text`` code fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}text\n{text}\n{marks}"


# ---------------------------------------------------------------------------------------------
# Finding records


class RecordFile(NamedTuple):
    path: Path
    route: str | None  # the folder directly under the prompts folder; None when not in one
    name: RecordName
    link: bool = False  # the file is a symbolic link
    regular: bool = True  # a regular file (or a link to one), not a pipe, socket or device


def iter_record_files(prompts: Path, *, everything: bool = False) -> Iterator[RecordFile]:
    """Every record file under ``prompts`` (as ``sdd.phr.files`` finds them), in name order;
    ``everything``: also the files that are not read as records (``is_record_name``), for the
    checker to report."""
    folder_path = prompts
    last_folder = None
    for folder, _, name, route, link, regular in record_entries(str(prompts), None):
        if not everything and not is_record_name(name):
            continue
        if folder != last_folder:
            last_folder, folder_path = folder, Path(folder)
        yield RecordFile(folder_path / name, route, parse_name(name), link, regular)


def _refuse_unsafe(file: RecordFile, root: Path) -> None:
    from sdd.base.paths import is_within

    if file.link:
        real = file.path.resolve()
        if not is_within(real, root.resolve()):
            raise ParseError(
                f"it links outside the project (to {real}); refusing to read it", path=file.path
            )
    if not file.regular and file.path.exists():  # reading a pipe would block
        raise ParseError(
            "it is not a regular file (a pipe, socket or device); refusing to read it",
            path=file.path,
        )


def open_record(file: RecordFile, root: Path) -> Record:
    """``read_record``, refusing (``ParseError``) a link that leads out of the project ``root``
    and a file that is not a regular one."""
    _refuse_unsafe(file, root)
    return read_record(file.path)


def open_front_matter(file: RecordFile, root: Path) -> Any:
    """The front matter's data only (None without one, or when its YAML is broken, as
    ``Record.data``), refused as ``open_record`` refuses: listings need no sections, and
    finding them costs more than the YAML."""
    from sdd.base.fileio import read_text

    _refuse_unsafe(file, root)
    header, _, _ = _split(read_text(file.path, limit=MAX_RECORD_BYTES))
    if not header.present:
        return None
    try:
        return load_header(header.text, file.path, header.first_line)
    except ParseError:
        return None


def largest_id(prompts: Path) -> int:
    """The largest ID in any record file name under ``prompts`` (0 when there is none)."""
    return max((f.name.number or 0 for f in iter_record_files(prompts)), default=0)


def iso_date(value: object) -> datetime.date | None:
    """The date in an ISO ``YYYY-MM-DD`` (optionally with a time) value, else None."""
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        if len(text) > 10 and text[10] in "T ":
            return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None
    return None
