"""Requirement IDs of a spec: ``FR-###`` functional requirements and ``SC-###`` success criteria.

A *definition* is an ID that opens a list item, a heading, a table row or a line, optionally
in bold: ``- **FR-001**: System MUST …``, ``### FR-002: Task CRUD``, ``| FR-03 | … |``.
Definitions in fenced code or HTML comments do not count.

A *reference* is any other mention: ``FR-001``, and ranges such as ``FR-001–FR-010``,
``FR-001..FR-010``, ``FR-001 to FR-010``, ``FR-001 - FR-010`` or ``FR-001–010``, which
mention every ID between.
IDs compare by number, so ``FR-1``, ``FR-01`` and ``FR-001`` are the same requirement.
"""

import re
from typing import NamedTuple

from sdd.base.markdown import MarkdownText
from sdd.base.patterns import compiled

RequirementKey = tuple[str, int, str]

# Searched in "\n" + text: a leading literal lets the regex engine skip ahead quickly.
_DEFINITION = re.compile(
    r"\n[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|#{1,6}[ \t]+|\|[ \t]*)?(?:\*\*|__)?"
    r"(?P<kind>FR|SC)-(?P<number>\d{1,6})(?P<suffix>[A-Za-z]?)(?![\w-])(?:\*\*|__)?"
    r"[ \t]*[:.|)—–-]?[ \t]*(?P<text>[^\n]*)"
)
# Starts at the hyphen, a literal the regex engine finds quickly; the look-behinds then check
# for FR-/SC- and keep NFR-001 or X-FR-001 from counting as FR-001.
_REFERENCE = (
    r"-(?<=(?P<kind>FR|SC)-)(?<![\w-]..-)(?P<number>\d{1,6})(?P<suffix>[A-Za-z]?)(?![\w-])"
    r"(?:[ \t]*(?:–|—|\.\.)[ \t]*(?:(?P=kind)-)?(?P<last>\d{1,6})(?![\w-])"
    r"|[ \t]*(?:-|to)[ \t]*(?P=kind)-(?P<last_named>\d{1,6})(?![\w-]))?"
)
MAX_RANGE = 1000


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


def find_requirements(document: MarkdownText) -> list[Requirement]:
    """The FR-/SC- definitions of a spec, in document order (duplicates kept)."""
    prose = document.prose
    if "FR-" not in prose and "SC-" not in prose:
        return []
    found: list[Requirement] = []
    for match in _DEFINITION.finditer("\n" + prose):
        kind, number, suffix, text = match.group("kind", "number", "suffix", "text")
        found.append(
            Requirement(
                f"{kind}-{number}{suffix}",
                document.line_of(match.start()),
                _clean(text),
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


def referenced_keys(text: str) -> set[RequirementKey]:
    """Every requirement mentioned in ``text``, ranges expanded."""
    if "FR-" not in text and "SC-" not in text:
        return set()
    keys: set[RequirementKey] = set()
    for kind, number, suffix, last, last_named in set(compiled(_REFERENCE).findall(text)):
        keys.update(_expand(kind, number, suffix, last or last_named))
    return keys


def first_mentions(text: str, wanted: set[RequirementKey]) -> dict[RequirementKey, tuple[int, str]]:
    """The character offset of the first mention of each key in ``wanted``, and its ID as
    written (a member of a range is written with the range's digits)."""
    found: dict[RequirementKey, tuple[int, str]] = {}
    expanded: set[tuple[str, ...]] = set()  # a mention written again adds nothing new
    for match in compiled(_REFERENCE).finditer(text):
        groups = match.groups()
        if groups in expanded:
            continue
        expanded.add(groups)
        kind, number, suffix, last, last_named = groups
        for key in _expand(kind, number, suffix, last or last_named):
            if key in wanted and key not in found:
                shown = f"{kind}-{key[1]:0{len(number)}d}{suffix}"
                found[key] = (match.start() - 2, shown)
        if len(found) == len(wanted):
            break
    return found
