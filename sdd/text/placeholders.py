"""The no-placeholder rule (DESIGN §3), in one place.

Grammar of what is flagged, outside inline code spans, fenced code blocks and HTML comments
(see ``sdd.base.markdown`` for how those are found):

* ``template``: left-over template syntax: ``{{ … }}``, ``{% … %}``, ``$ARGUMENTS``.
* ``clarification``: an unresolved ``[NEEDS CLARIFICATION …]`` marker (any case).
* ``token``: a bracketed text ``[…]`` (not a link: no ``(`` or ``[`` right after the ``]``,
  not the second half of ``[text][ref]``, not a ``[label]: url`` definition) that is one of

  - spec-kit's upper-case tokens: holds an upper-case letter and no lower-case one, at least
    two characters (``[FEATURE NAME]``, ``[DATE]``, ``[PROJECT_NAME]``), or starts with
    ``###`` (``[###-feature-name]``);
  - an example to replace: the text holds ``e.g.`` (``[e.g., 4th project]``,
    ``[specific capability, e.g., "log in"]``);
  - a *slot*: text with a letter that stands alone where content belongs, which is how
    spec-kit writes its mixed-case placeholders. Alone means: nothing but list, quote,
    checkbox or heading markers, a task ID and its ``[P]``/``[US1]`` markers, and emphasis
    before it, or a label (``**Spec**: [link]``,
    ``Title: [x]``), a table cell border ``|``, a ``**Given**``/``**When**``/``**Then**``/
    ``**And**`` keyword, or in a heading a `` - ``/`` — ``/``:`` separator; and after it only
    the end of the line (trailing punctuation allowed), a ``|``, a ``, **When**``-style
    continuation, or in a heading a ``(`` (``### User Story 1 - [Brief Title] (Priority: P1)``).
    A bracketed label (``- **[Story]**: which story a task serves``) is not a slot: task-format
    legends are written that way.

Never flagged: task checkboxes (``[ ]``, ``[x]``, ``[X]``), Markdown links and reference
definitions, task and story markers and identifiers in brackets (``[P]``, ``[US1]``,
``[T001]``, ``[FR-001]``, ``[US1, US2]``), footnotes (``[^1]``), GitHub alerts (``[!NOTE]``),
escaped brackets (``\\[``), a bracket inside prose (``an [ordinary bracket] aside``,
``/events/[id]``), data in brackets (a YAML or JSON list such as ``["api", "auth"]`` or
``[1, 2]``), sdd's own redaction marker (``[REDACTED:aws-access-key]``, ``sdd.text.secrets``), and
anything inside code spans, fenced code blocks or HTML comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sdd.base.markdown import ForwardSearch, MarkdownText, code_spans

Kind = Literal["template", "token", "clarification"]

# Template syntax is ``{{ … }}`` or ``{% … %}`` on one line, or ``$ARGUMENTS``; a
# clarification marker is ``[NEEDS CLARIFICATION …]``, its text on one line; an inline
# comment ``<!-- … -->`` on one line. Each is found by searching for its opening, then for
# its closing forward only (see ``_closed_spans``).
_ARGUMENTS = re.compile(r"\$ARGUMENTS\b")
_CLARIFICATION_OPENING = re.compile(r"\[\s*NEEDS CLARIFICATION\b", re.IGNORECASE)
_BRACKET = re.compile(r"\[([^\[\]\n]{1,120})\](?![(\[])")
_IDENTIFIER = re.compile(r"[A-Z]{1,4}-?\d+[A-Za-z]?")
_LIST_SEPARATOR = re.compile(r"\s*[,/]\s*|\s+")
_EXAMPLE = re.compile(r"(?:^|[\s,;(])e\.g\.", re.IGNORECASE)
_REDACTION_MARKER = re.compile(r"REDACTED:[a-z0-9-]+")
_NUMBER_LIST = re.compile(r"-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?)*")
_TRIVIAL_MARKERS = frozenset({" ", "x", "X", "P"})
# Lines worth a closer look: a bracket that is not a checkbox, a plain task marker or a link,
# and (searched only when the text holds a "{" or "$") template syntax. Every other line is
# skipped without Python work.
_CANDIDATE_BRACKET = re.compile(
    r"\[(?!(?:[ xXP]|US\d+[A-Za-z]?|T\d+[A-Za-z]?)\])[^\[\]\n]{1,120}\](?![(\[])"
)
_CANDIDATE_TEMPLATE = re.compile(r"\{\{|\{%|\$ARGUMENTS")
_LEADING_MARKERS = re.compile(
    r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:\[[ xX]\][ \t]+)?(?:#{1,6}[ \t]+)?"
    r"(?:(?:\*\*|__)?T\d+[A-Za-z]?(?:\*\*|__)?[ \t]+)?(?:\[(?:P|US\d+[A-Za-z]?)\][ \t]+)*"
)
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]")
_SCENARIO_KEYWORD = re.compile(r"(?:\*\*|__)(?:given|when|then|and|but)(?:\*\*|__)$", re.I)
_SCENARIO_CONTINUATION = re.compile(r",\s*(?:\*\*|__)")
_EMPHASIS = " \t*_"
_EMPHASIS_RUN = re.compile(r"[ \t*_]*")
_TRAILING_ONLY = re.compile(r"[ \t\r.,;!?]*")


@dataclass(frozen=True)
class Placeholder:
    line: int
    column: int
    text: str
    kind: Kind


def _is_identifier_list(text: str) -> bool:
    parts = [part for part in _LIST_SEPARATOR.split(text) if part]
    return bool(parts) and all(_IDENTIFIER.fullmatch(part) for part in parts)


def _is_upper_token(text: str) -> bool:
    has_upper = any(ch.isupper() for ch in text)
    has_lower = any(ch.islower() for ch in text)
    return has_upper and not has_lower and len(text) >= 2


def _stands_alone(line: str, start: int, end: int, before_from: int) -> bool:
    """Whether the bracket at ``line[start:end]`` fills a slot (see the module grammar).

    ``before_from``: where the text before the bracket starts, past the leading markers; the
    caller starts it at the ``]`` of the bracket before, if any, which decides alone what
    the checks below see (they look only at what follows the last ``]``), so that a line
    with many brackets costs one pass rather than one per bracket.
    """
    heading = _HEADING_LINE.match(line) is not None
    before = line[before_from:start].rstrip()
    bare_before = before.rstrip(_EMPHASIS)
    opens_slot = (
        not bare_before
        or bare_before.endswith((":", "|"))
        or _SCENARIO_KEYWORD.search(before) is not None
        or (heading and bare_before.endswith((" -", " —", " –")))
    )
    if not opens_slot:
        return False
    after = _match_end(_EMPHASIS_RUN, line, end)
    return (
        _TRAILING_ONLY.fullmatch(line, after) is not None
        or line.startswith("|", after)
        or _SCENARIO_CONTINUATION.match(line, after) is not None
        or (heading and line.startswith("(", after))
    )


def _is_placeholder_bracket(inner: str, line: str, start: int, end: int, before_from: int) -> bool:
    stripped = inner.strip()
    if inner in _TRIVIAL_MARKERS or not stripped or stripped[0] in "^!":
        return False
    if stripped.startswith("###"):
        return True
    if _is_identifier_list(stripped) or _REDACTION_MARKER.fullmatch(stripped):
        return False
    if stripped[0] in "\"'" or _NUMBER_LIST.fullmatch(stripped):
        return False  # data: a YAML/JSON flow list of strings or numbers
    if _is_upper_token(stripped) or _EXAMPLE.search(stripped):
        return True
    return any(ch.isalpha() for ch in stripped) and _stands_alone(line, start, end, before_from)


def _match_end(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> int:
    """Where a match of ``pattern`` (which may match nothing) at ``pos`` ends."""
    match = pattern.match(text, pos, len(text) if endpos is None else endpos)
    return match.end() if match is not None else pos


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the (ordered, disjoint) ``spans`` replaced by spaces."""
    if not spans:
        return text
    pieces: list[str] = []
    previous = 0
    for start, end in spans:
        pieces.append(text[previous:start])
        pieces.append(" " * (end - start))
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ``spans`` as ordered, disjoint spans."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _closed_spans(
    text: str, openings: re.Pattern[str], closing: Callable[[str], str]
) -> list[tuple[int, int]]:
    """Spans from a match of ``openings`` to the first closing mark after it on its line
    (``closing``: the mark an opening's text needs; ``""``: none), found left to right
    without overlapping, like a lazy ``opening.*?closing`` regular expression. Closing marks
    and line ends are searched for forward only, so many openings that never close cost one
    pass rather than one pass each."""
    marks: dict[str, ForwardSearch] = {}
    newline = ForwardSearch(text, "\n")
    spans: list[tuple[int, int]] = []
    position = 0
    while (opening := openings.search(text, position)) is not None:
        mark = closing(opening.group(0))
        if not mark:
            spans.append(opening.span())
            position = opening.end()
            continue
        search = marks.get(mark) or marks.setdefault(mark, ForwardSearch(text, mark))
        close = search.next(opening.end())
        if close < newline.next(opening.end()):
            spans.append((opening.start(), close + len(mark)))
            position = close + len(mark)
        else:
            position = opening.start() + 1
    return spans


def _template_closing(opening: str) -> str:
    return {"{{": "}}", "{%": "%}"}.get(opening, "")


_TEMPLATE_OPENING = re.compile(r"\{\{|\{%|\$ARGUMENTS\b")
_COMMENT_OPENING = re.compile(r"<!--")


def scan_line(line: str, line_number: int, *, original: str | None = None) -> list[Placeholder]:
    """Placeholders in one line of prose (the caller has excluded fenced code).

    ``original``: the line as written when ``line`` is a copy with code regions blanked
    (``MarkdownText.prose``); reported texts are taken from it.
    """
    written = line if original is None else original
    visible = _blank(line, code_spans(written))
    if "<!--" in visible:
        visible = _blank(visible, _closed_spans(visible, _COMMENT_OPENING, lambda _: "-->"))
    found: list[Placeholder] = []
    taken: list[tuple[int, int]] = []
    for start, end in _closed_spans(visible, _CLARIFICATION_OPENING, lambda _: "]"):
        found.append(Placeholder(line_number, start + 1, written[start:end], "clarification"))
        taken.append((start, end))
    for start, end in _closed_spans(visible, _TEMPLATE_OPENING, _template_closing):
        found.append(Placeholder(line_number, start + 1, written[start:end], "template"))
        taken.append((start, end))
    # Brackets come in order, so one forward pass over the taken spans and the line suffices.
    taken = _merged(taken)
    next_taken = 0
    markers_end = _match_end(_LEADING_MARKERS, visible)
    content_start = len(visible) - len(visible.lstrip())
    previous_end = 0
    for match in _BRACKET.finditer(visible):
        start, end = match.span()
        before_from = previous_end - 1 if previous_end > markers_end else markers_end
        if start < markers_end:  # inside what looked like leading markers: only its own
            before_from = _match_end(_LEADING_MARKERS, visible, 0, start)
        previous_end = end
        while next_taken < len(taken) and taken[next_taken][1] <= start:
            next_taken += 1
        if next_taken < len(taken) and taken[next_taken][0] < end:
            continue
        if start and visible[start - 1] in "]\\":
            continue
        if visible.startswith(":", end) and start <= content_start:
            continue  # a reference definition: [label]: url
        if _is_placeholder_bracket(match.group(1), visible, start, end, before_from):
            found.append(Placeholder(line_number, start + 1, written[start:end], "token"))
    return sorted(found, key=lambda p: p.column)


def find_in(document: MarkdownText, *, first_line: int = 1) -> list[Placeholder]:
    """Every placeholder of an already parsed document (shares its code regions)."""
    found: list[Placeholder] = []
    prose = document.prose
    starts = [match.start() for match in _CANDIDATE_BRACKET.finditer(prose)]
    if "{" in prose or "$" in prose:
        starts = sorted(starts + [m.start() for m in _CANDIDATE_TEMPLATE.finditer(prose)])
    seen_line = 0
    for start in starts:
        line = document.line_of(start)
        if line == seen_line:
            continue
        seen_line = line
        line_start = prose.rfind("\n", 0, start) + 1
        line_end = prose.find("\n", start)
        span = slice(line_start, line_end if line_end >= 0 else len(prose))
        found.extend(
            scan_line(
                prose[span].rstrip("\r"),
                line + first_line - 1,
                original=document.text[span].rstrip("\r"),
            )
        )
    return found


def find_placeholders(text: str, *, first_line: int = 1) -> list[Placeholder]:
    """Every placeholder in a Markdown document, skipping code and HTML comments."""
    return find_in(MarkdownText(text), first_line=first_line)


def is_placeholder_value(value: str) -> bool:
    """Whether a whole value (a front matter field, a section) is still a template token."""
    stripped = value.strip()
    if not stripped:
        return False
    hits = scan_line(stripped, 1)
    return len(hits) == 1 and hits[0].text == stripped
