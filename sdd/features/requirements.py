"""Requirement IDs of a spec: ``FR-###`` functional requirements and ``SC-###`` success criteria.

A *definition* is an ID that opens a heading (``### FR-002: Task CRUD``), a table row
(``| FR-03 | … |``), or a list item or line where it stands as a label: in bold
(``- **FR-001**: System MUST …``, ``**FR-001:** …``), or followed by a colon (``FR-001: …``,
``- FR-001：…``) or a spaced dash (``- FR-001 — …``). An ID opening a line otherwise is a
mention on a wrapped line (``  FR-016/US5-AC2).``), not a definition. Definitions in fenced
code or HTML comments do not count.

A *reference* is any other mention: ``FR-001``, and ranges such as ``FR-001–FR-010``,
``FR-001..FR-010``, ``FR-001…FR-010``, ``FR-001 to FR-010``, ``FR-001 - FR-010`` or
``FR-001–010``, which mention every ID between; a slash list ``FR-009/010/010b`` or
``FR-017/023…025`` mentions each of its members (``FR-009``, ``FR-010``, ``FR-010b``).
IDs compare by number, so ``FR-1``, ``FR-01`` and ``FR-001`` are the same requirement.
"""

import re
from typing import NamedTuple

from sdd.base.markdown import MarkdownText
from sdd.base.patterns import compiled

RequirementKey = tuple[str, int, str]

# Searched in "\n" + text: a leading literal lets the regex engine skip ahead quickly. A
# candidate; ``_is_definition`` decides by what opens the line and what follows the ID.
_DEFINITION = re.compile(
    r"\n[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|#{1,6}[ \t]+|\|[ \t]*)?(?:\*\*|__)?"
    r"(?P<kind>FR|SC)-(?P<number>\d{1,6})(?P<suffix>[A-Za-z]?)(?![\w-])"
    r"(?P<after>[^\n]*)"
)
_LEADING_SEPARATOR = re.compile(r"^[ \t]*[:：.|)—–-]?")
_LABEL_END = re.compile(r"^[:：]?(?:\*\*|__)")  # the bold label closes: "**FR-001**", "**FR-001:**"
# "FR-001: …", "FR-001 — …"; not the dash of a range ("FR-001 - FR-010" on a wrapped line).
_SEPARATOR = r"^[ \t]*(?:[:：]|[—–-](?=[ \t])(?![ \t]*(?:FR|SC)-))"
# Starts at the hyphen, a literal the regex engine finds quickly; the look-behinds then check
# for FR-/SC- and keep NFR-001 or X-FR-001 from counting as FR-001.
_REFERENCE = (
    r"-(?<=(?P<kind>FR|SC)-)(?<![\w-]..-)(?P<number>\d{1,6})(?P<suffix>[A-Za-z]?)(?![\w-])"
    r"(?:[ \t]*(?:–|—|\.\.|…)[ \t]*(?:(?P=kind)-)?(?P<last>\d{1,6})(?![\w-])"
    r"|[ \t]*(?:-|to)[ \t]*(?P=kind)-(?P<last_named>\d{1,6})(?![\w-]))?"
    r"(?P<more>(?:/(?:(?P=kind)-)?\d{1,6}[A-Za-z]?(?![\w-])"
    r"(?:[ \t]*(?:–|—|\.\.|…)[ \t]*(?:(?P=kind)-)?\d{1,6}(?![\w-]))?)*)"
)
# One member of a slash list: "/010b", "/FR-023…025".
_SLASH_MEMBER = (
    r"/(?:(?:FR|SC)-)?(?P<number>\d{1,6})(?P<suffix>[A-Za-z]?)"
    r"(?:[ \t]*(?:–|—|\.\.|…)[ \t]*(?:(?:FR|SC)-)?(?P<last>\d{1,6}))?"
)
MAX_RANGE = 1000
# A line that opens a block of its own (list item, heading, table row, quotation, thematic
# break or setext underline) ends the paragraph a definition wraps in.
_BLOCK_START = (
    r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)]|#{1,6})(?:[ \t]|$)|[|>]|([-*_=])[ \t]*(?:\1[ \t]*){2,}$)"
)


class Requirement(NamedTuple):
    id: str
    line: int
    text: str
    key: RequirementKey

    @property
    def kind(self) -> str:
        return self.key[0]

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "line": self.line, "text": self.text}


def _clean(text: str) -> str:
    text = text.strip()
    if "|" in text:
        text = text.split("|", 1)[0]
    return text.strip().strip("*_").strip()


def _is_definition(opening: str, bold: bool, after: str) -> bool:
    """Whether an ID opening a line defines it (see the module docstring); ``opening`` is
    what precedes it on the line."""
    if opening.lstrip(" \t>")[:1] in ("#", "|"):
        return True
    if bold:
        return _LABEL_END.match(after) is not None
    return compiled(_SEPARATOR).match(after) is not None


def _definition_text(bold: bool, after: str) -> str:
    if bold:
        after = _LABEL_END.sub("", after, count=1)
    return _clean(_LEADING_SEPARATOR.sub("", after, count=1))


def find_requirements(document: MarkdownText) -> list[Requirement]:
    """The FR-/SC- definitions of a spec, in document order (duplicates kept)."""
    prose = document.prose
    if "FR-" not in prose and "SC-" not in prose:
        return []
    found: list[Requirement] = []
    text = "\n" + prose
    for match in _DEFINITION.finditer(text):
        kind, number, suffix, after = match.group("kind", "number", "suffix", "after")
        opening = text[match.start() + 1 : match.start("kind")]
        bold = opening.endswith(("**", "__"))
        if not _is_definition(opening, bold, after):
            continue
        found.append(
            Requirement(
                f"{kind}-{number}{suffix}",
                document.line_of(match.start()),
                _definition_text(bold, after),
                (kind, int(number), suffix.lower()),
            )
        )
    return found


def _expand(kind: str, number: str, suffix: str, last: str) -> list[RequirementKey]:
    first = int(number)
    end = int(last) if last and not suffix else first
    if end < first or end - first > MAX_RANGE:
        end = first
    return [(kind, value, suffix.lower()) for value in range(first, end + 1)]


def _mentioned(groups: tuple[str, ...]) -> list[RequirementKey]:
    """The keys one reference match mentions: its ID or range, and each slash-list member."""
    kind, number, suffix, last, last_named, more = groups
    keys = _expand(kind, number, suffix, last or last_named)
    for member in compiled(_SLASH_MEMBER).finditer(more):
        keys.extend(_expand(kind, *member.group("number", "suffix", "last")))
    return keys


def referenced_keys(text: str) -> set[RequirementKey]:
    """Every requirement mentioned in ``text``, ranges and slash lists expanded."""
    if "FR-" not in text and "SC-" not in text:
        return set()
    keys: set[RequirementKey] = set()
    for groups in set(compiled(_REFERENCE).findall(text)):
        keys.update(_mentioned(groups))
    return keys


def first_mentions(text: str, wanted: set[RequirementKey]) -> dict[RequirementKey, tuple[int, str]]:
    """The character offset of the first mention of each key in ``wanted``, and its ID as
    written (a member of a range or slash list is written with the first ID's digits)."""
    found: dict[RequirementKey, tuple[int, str]] = {}
    expanded: set[tuple[str, ...]] = set()  # a mention written again adds nothing new
    for match in compiled(_REFERENCE).finditer(text):
        groups = match.groups()
        if groups in expanded:
            continue
        expanded.add(groups)
        kind, number = groups[0], groups[1]
        for key in _mentioned(groups):
            if key in wanted and key not in found:
                shown = f"{kind}-{key[1]:0{len(number)}d}{key[2]}"
                found[key] = (match.start() - 2, shown)
        if len(found) == len(wanted):
            break
    return found


def _wide(character: str) -> bool:
    from unicodedata import east_asian_width

    return east_asian_width(character) in ("W", "F")


def _joined(lines: list[str]) -> str:
    """Wrapped lines as one: a space between words, none between two Chinese or Japanese
    characters (those scripts put no space between words)."""
    text = ""
    for line in lines:
        if not line:
            continue
        if text and not (_wide(text[-1]) and _wide(line[0])):
            text += " "
        text += line
    return text


def with_wrapped_text(document: MarkdownText, requirements: list[Requirement]) -> list[Requirement]:
    """``requirements`` (found in ``document``) with the lines a definition wraps onto joined
    to its text, as a reader sees the item: a list item or paragraph goes on up to a blank
    line, a line that opens another block, code, or another definition. A heading or table
    row is one line. ``find_requirements`` keeps the first line, which the checks compare."""
    if not requirements:
        return requirements
    lines = document.prose.split("\n")
    starts = {requirement.line for requirement in requirements}
    wrapped: list[Requirement] = []
    for requirement in requirements:
        first = lines[requirement.line - 1].lstrip(" \t")
        quoted = first.startswith(">")
        more: list[str] = []
        if first.lstrip(" \t>")[:1] not in ("#", "|"):
            for number in range(requirement.line + 1, len(lines) + 1):
                line = lines[number - 1].rstrip("\r")
                if quoted:
                    line = line.lstrip(" \t")
                    if not line.startswith(">"):
                        break
                    line = line[1:]
                if number in starts or not line.strip() or compiled(_BLOCK_START).match(line):
                    break
                more.append(line.strip())
        text = _joined([requirement.text, *more]) if more else requirement.text
        wrapped.append(requirement._replace(text=text))
    return wrapped
