"""The no-placeholder rule (DESIGN §3), in one place.

Grammar of what is flagged, outside code spans and fenced code blocks:

* ``template``: left-over template syntax: ``{{ … }}``, ``{% … %}``, ``$ARGUMENTS``.
* ``token``: spec-kit's bracketed upper-case tokens, ``[FEATURE NAME]``, ``[DATE]``,
  ``[PROJECT_NAME]``, and the ``[###-feature-name]`` form: an opening ``[``, text that holds an
  upper-case letter and no lower-case one (or that starts with ``###``), and a closing ``]``
  that does not begin a link (``](``, ``][``) or a reference definition (``]:``).
* ``clarification``: an unresolved ``[NEEDS CLARIFICATION: …]`` marker (any case).

Never flagged: task checkboxes (``[ ]``, ``[x]``, ``[X]``), Markdown links and reference
definitions, task and story markers (``[P]``, ``[US1]``, ``[T001]``), identifiers in brackets
(``[FR-001]``, ``[SC-002]``), footnotes (``[^1]``), GitHub alerts (``[!NOTE]``), and anything
inside inline code spans or fenced code blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["template", "token", "clarification"]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$ARGUMENTS\b")
_CLARIFICATION = re.compile(r"\[\s*NEEDS CLARIFICATION\b[^\]]*\]", re.IGNORECASE)
_BRACKET = re.compile(r"\[([^\[\]\n]{1,120})\](?![(\[:])")
_IDENTIFIER = re.compile(r"[A-Z]{1,4}-?\d+[A-Z]?")
_TRIVIAL_MARKERS = frozenset({" ", "x", "X", "P"})


@dataclass(frozen=True)
class Placeholder:
    line: int
    column: int
    text: str
    kind: Kind


def _is_token(inner: str) -> bool:
    stripped = inner.strip()
    if inner in _TRIVIAL_MARKERS or not stripped:
        return False
    if stripped.startswith("###"):
        return True
    if stripped[0] in "^!":
        return False
    if _IDENTIFIER.fullmatch(stripped):
        return False
    has_upper = any(ch.isupper() for ch in stripped)
    has_lower = any(ch.islower() for ch in stripped)
    return has_upper and not has_lower and len(stripped) >= 2


def _blank_code_spans(line: str) -> str:
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def scan_line(line: str, line_number: int) -> list[Placeholder]:
    """Placeholders in one line of prose (the caller has excluded fenced code)."""
    visible = _blank_code_spans(line)
    found: list[Placeholder] = []
    taken: list[tuple[int, int]] = []
    for match in _CLARIFICATION.finditer(visible):
        found.append(Placeholder(line_number, match.start() + 1, match.group(0), "clarification"))
        taken.append(match.span())
    for match in _TEMPLATE.finditer(visible):
        found.append(Placeholder(line_number, match.start() + 1, match.group(0), "template"))
        taken.append(match.span())
    for match in _BRACKET.finditer(visible):
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        if _is_token(match.group(1)):
            found.append(Placeholder(line_number, start + 1, match.group(0), "token"))
    return sorted(found, key=lambda p: p.column)


def find_placeholders(text: str, *, first_line: int = 1) -> list[Placeholder]:
    """Every placeholder in a Markdown document, skipping fenced code blocks."""
    found: list[Placeholder] = []
    fence: str | None = None
    for offset, line in enumerate(text.splitlines()):
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        found.extend(scan_line(line, first_line + offset))
    return found


def is_placeholder_value(value: str) -> bool:
    """Whether a whole value (a front matter field, a section) is still a template token."""
    stripped = value.strip()
    if not stripped:
        return False
    hits = scan_line(stripped, 1)
    return len(hits) == 1 and hits[0].text == stripped
