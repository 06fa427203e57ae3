"""The no-placeholder rule (DESIGN §3), in one place.

A placeholder is what a template left behind, never merely a bracketed word. Flagged,
outside inline code spans, fenced code blocks and HTML comments (see ``sdd.base.markdown``
for how those are found):

* ``template``: left-over template syntax: ``{{ … }}``, ``{% … %}``, ``$ARGUMENTS``.
* ``clarification``: an unresolved ``[NEEDS CLARIFICATION …]`` marker (any case), or
  ``NEEDS CLARIFICATION`` standing as a value (``**Storage**: NEEDS CLARIFICATION``); not on a
  checklist line saying none remain (``- [x] No [NEEDS CLARIFICATION] markers remain``).
* ``token``: ``ACTION REQUIRED`` (the kits' instruction to replace a section), or a bracketed
  text ``[…]`` (not a link: no ``(`` or ``[`` right after the ``]``, not the second half of
  ``[text][ref]``, not a ``[label]: url`` definition) that is

  - the kits' upper-case shape: no lower-case letter, starts with a letter, and either
    holds a space or ``_`` (``[FEATURE NAME]``, ``[PROJECT_NAME]``), is a template token
    (``[DATE]``), or stands alone where content belongs (``**Owner**: [OWNER]``); or it
    starts with ``###`` (``[###-feature-name]``);
  - an example to replace: the text holds ``e.g.`` (``[e.g., 4th project]``);
  - a token of the templates the project uses (the *vocabulary*: sdd's packaged
    templates, the spec-kit and Spec-Kit Plus template lines of ``sdd.text.kit_tokens``,
    the project's overrides), compared without case and spacing. A token of one word
    (``[link]``, ``[action]``) counts only where it stands alone (a *slot*), so that
    ``/users/[name]`` is not one.

  A slot is a bracket with nothing but list, quote, checkbox or heading markers, a task ID
  and its markers, and emphasis before it, or a label (``**Spec**: [link]``), a table cell
  border ``|``, a ``**Given**``/``**When**``/``**Then**``/``**And**`` keyword, or in a
  heading a `` - ``/`` — ``/``:`` separator; and after it only the end of the line
  (trailing punctuation allowed), a ``|``, a ``, **When**``-style continuation, or in a
  heading a ``(``.

Never flagged: *labels*, which teams write in brackets to tag tasks (``[RED]``, ``[TDD]``,
``[PR-A]``, ``[US#]``): a bracket in the tag position of a task line (after the checkbox
and task ID) is a label throughout its document, so is one explained in a legend line
(``**[US1/2/3]**: user story numbers``, ``[RED] = failing test``) and one configured by the
caller; task checkboxes (``[ ]``, ``[x]``, ``[X]``), Markdown links and reference
definitions, identifiers in brackets (``[P]``, ``[US1]``, ``[T001]``, ``[FR-001]``,
``[US1, US2]``, ``[US1/2]``), footnotes (``[^1]``), GitHub alerts (``[!NOTE]``), escaped
brackets (``\\[``), status markers and notes (``[In Progress]``, ``[1 SELECT]``, and dated
ones such as ``[RESOLVED 2026-07-10]``: a template never holds a real date), data in
brackets (``["api", "auth"]``, ``[1, 2]``), sdd's own redaction marker
(``[REDACTED:aws-access-key]``, ``sdd.text.secrets``), and anything inside code spans,
fenced code blocks or HTML comments.
"""

import re
from collections.abc import Container
from typing import Literal, NamedTuple

from sdd.base.markdown import MarkdownText, code_spans
from sdd.base.patterns import compiled
from sdd.text.spans import blank, closed_spans, match_end, merged
from sdd.text.vocabulary import BRACKET, Labels, Vocabulary, default_vocabulary, is_marker, normal

Kind = Literal["template", "token", "clarification"]

# Template syntax is ``{{ … }}`` or ``{% … %}`` on one line, or ``$ARGUMENTS``; a
# clarification marker is ``[NEEDS CLARIFICATION …]``, usually on one line, but a long question
# may wrap inside its paragraph (``find_in`` reads those); an inline comment ``<!-- … -->`` on
# one line. Each is found by searching for its opening, then for
# its closing forward only (see ``closed_spans``).
_CLARIFICATION_OPENING = re.compile(r"\[\s*NEEDS CLARIFICATION\b", re.IGNORECASE)
_EXAMPLE = re.compile(r"(?:^|[\s,;(])e\.g\.", re.IGNORECASE)
# Lines worth a closer look: a bracket that is not a checkbox, a plain task marker or a link,
# and (searched only when the text holds a "{" or "$") template syntax. Every other line is
# skipped without Python work.
_CANDIDATE_BRACKET = re.compile(
    r"\[(?!(?:[ xXP]|US\d+[A-Za-z]?|T\d+[A-Za-z]?)\])[^\[\]\n]{1,120}\](?![(\[])"
)
_CANDIDATE_TEMPLATE = re.compile(r"\{\{|\{%|\$ARGUMENTS|ACTION REQUIRED|NEEDS CLARIFICATION")
_ACTION_REQUIRED = r"\bACTION REQUIRED\b"
_BARE_CLARIFICATION = re.compile(r"[:|][ \t]*(?:\*\*|__)?(NEEDS CLARIFICATION)\b")
_CHECKLIST_LINE = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\]")
_NONE_REMAIN = r"(?i)\b(?:no|none|zero|all|0)\b"
_UPPER_SHAPE = re.compile(r"[A-Z][0-9_ ./&,'-]*[A-Z][A-Z0-9_ ./&,'-]*")
_CALENDAR_DATE = re.compile(r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b")
_LEADING_MARKERS = re.compile(
    r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:\[[ xX]\][ \t]+)?(?:#{1,6}[ \t]+)?"
    r"(?:(?:\*\*|__)?T\d+[A-Za-z]?(?:\*\*|__)?[ \t]+)?(?:\[(?:P|US\d+[A-Za-z]?)\][ \t]+)*"
)
_HEADING_LINE = r"^ {0,3}#{1,6}[ \t]"
_SCENARIO_KEYWORD = r"(?i)(?:\*\*|__)(?:given|when|then|and|but)(?:\*\*|__)$"
_SCENARIO_CONTINUATION = r",\s*(?:\*\*|__)"
_EMPHASIS = " \t*_"
_EMPHASIS_RUN = r"[ \t*_]*"
_TRAILING_ONLY = r"[ \t\r.,;!?]*"


class Placeholder(NamedTuple):
    line: int
    column: int
    text: str  # as written (a wrapped clarification marker keeps its line endings)
    kind: Kind

    @property
    def shown(self) -> str:
        """The text on one line, as findings and reports show it."""
        return " ".join(self.text.split()) if "\n" in self.text else self.text


def _is_upper_token(text: str) -> bool:
    return _UPPER_SHAPE.fullmatch(text) is not None


def _stands_alone(line: str, start: int, end: int, before_from: int) -> bool:
    """Whether the bracket at ``line[start:end]`` fills a slot (see the module grammar).

    ``before_from``: where the text before the bracket starts, past the leading markers; the
    caller starts it at the ``]`` of the bracket before, if any, which decides alone what
    the checks below see (they look only at what follows the last ``]``), so that a line
    with many brackets costs one pass rather than one per bracket.
    """
    heading = compiled(_HEADING_LINE).match(line) is not None
    before = line[before_from:start].rstrip()
    bare_before = before.rstrip(_EMPHASIS)
    opens_slot = (
        not bare_before
        or bare_before.endswith((":", "|"))
        or compiled(_SCENARIO_KEYWORD).search(before) is not None
        or (heading and bare_before.endswith((" -", " —", " –")))
    )
    if not opens_slot:
        return False
    after = match_end(compiled(_EMPHASIS_RUN), line, end)
    return (
        compiled(_TRAILING_ONLY).fullmatch(line, after) is not None
        or line.startswith("|", after)
        or compiled(_SCENARIO_CONTINUATION).match(line, after) is not None
        or (heading and line.startswith("(", after))
    )


def _is_placeholder_bracket(
    inner: str,
    line: str,
    start: int,
    end: int,
    before_from: int,
    vocabulary: Vocabulary,
    labels: Container[str],
) -> bool:
    if is_marker(inner):
        return False
    stripped = inner.strip()
    if stripped.startswith("###"):
        return True
    key = normal(stripped)
    if not _EXAMPLE.search(stripped):
        if _CALENDAR_DATE.search(stripped):  # a note written on a day, never a template's
            return False
        known = key in vocabulary.tokens
        upper = _is_upper_token(stripped)
        if not known and not upper:
            return False
        alone = " " in key or "_" in key or (known and upper)
        if not alone and not _stands_alone(line, start, end, before_from):
            return False
    return key not in vocabulary.labels and key not in labels


def _template_closing(opening: str) -> str:
    return {"{{": "}}", "{%": "%}"}.get(opening, "")


_TEMPLATE_OPENING = re.compile(r"\{\{|\{%|\$ARGUMENTS\b")
_COMMENT_OPENING = r"<!--"


def scan_line(
    line: str,
    line_number: int,
    *,
    original: str | None = None,
    vocabulary: Vocabulary | None = None,
    labels: Container[str] | None = None,
) -> list[Placeholder]:
    """Placeholders in one line of prose (the caller has excluded fenced code).

    ``original``: the line as written when ``line`` is a copy with code regions blanked
    (``MarkdownText.prose``); reported texts are taken from it. ``vocabulary``: the template
    tokens and configured labels (default: sdd's and the kits' templates); ``labels``: the
    labels of the whole document (default: those of this line).
    """
    known = default_vocabulary() if vocabulary is None else vocabulary
    written = line if original is None else original
    visible = blank(line, code_spans(written))
    unpaired = visible.find("`")
    if unpaired >= 0 and not visible.startswith("```", unpaired):
        # a code span that closes on a later line of its paragraph
        visible = visible[:unpaired] + " " * (len(visible) - unpaired)
    if "<!--" in visible:
        visible = blank(visible, closed_spans(visible, compiled(_COMMENT_OPENING), lambda _: "-->"))
    document_labels = Labels(visible) if labels is None else labels
    found: list[Placeholder] = []
    taken: list[tuple[int, int]] = []
    none_remain = _CHECKLIST_LINE.match(visible) is not None and bool(
        compiled(_NONE_REMAIN).search(visible)
    )
    for start, end in closed_spans(visible, _CLARIFICATION_OPENING, lambda _: "]"):
        taken.append((start, end))
        if not none_remain:
            found.append(Placeholder(line_number, start + 1, written[start:end], "clarification"))
    if "NEEDS CLARIFICATION" in visible and not none_remain:
        for match in _BARE_CLARIFICATION.finditer(visible):
            start, end = match.span(1)
            if not any(s <= start < e for s, e in taken):
                found.append(
                    Placeholder(line_number, start + 1, written[start:end], "clarification")
                )
                taken.append((start, end))
    for start, end in closed_spans(visible, _TEMPLATE_OPENING, _template_closing):
        found.append(Placeholder(line_number, start + 1, written[start:end], "template"))
        taken.append((start, end))
    if "ACTION REQUIRED" in visible:
        for match in compiled(_ACTION_REQUIRED).finditer(visible):
            start, end = match.span()
            if not any(s <= start < e for s, e in taken):
                found.append(Placeholder(line_number, start + 1, written[start:end], "token"))
    # Brackets come in order, so one forward pass over the taken spans and the line suffices.
    taken = merged(taken)
    next_taken = 0
    markers_end = match_end(_LEADING_MARKERS, visible)
    content_start = len(visible) - len(visible.lstrip())
    previous_end = 0
    for match in BRACKET.finditer(visible):
        start, end = match.span()
        before_from = previous_end - 1 if previous_end > markers_end else markers_end
        if start < markers_end:  # inside what looked like leading markers: only its own
            before_from = match_end(_LEADING_MARKERS, visible, 0, start)
        previous_end = end
        while next_taken < len(taken) and taken[next_taken][1] <= start:
            next_taken += 1
        if next_taken < len(taken) and taken[next_taken][0] < end:
            continue
        if start and visible[start - 1] in "]\\":
            continue
        if visible.startswith(":", end) and start <= content_start:
            continue  # a reference definition: [label]: url
        if _is_placeholder_bracket(
            match.group(1), visible, start, end, before_from, known, document_labels
        ):
            found.append(Placeholder(line_number, start + 1, written[start:end], "token"))
    return sorted(found, key=lambda p: p.column)


def find_in(
    document: MarkdownText,
    *,
    first_line: int = 1,
    vocabulary: Vocabulary | None = None,
    labels: Container[str] | None = None,
) -> list[Placeholder]:
    """Every placeholder of an already parsed document (shares its code regions).

    ``labels``: labels declared elsewhere (another artifact of the feature, normalised),
    added to the document's own.
    """
    found: list[Placeholder] = []
    prose = document.prose
    starts = [match.start() for match in _CANDIDATE_BRACKET.finditer(prose)]
    if "{" in prose or "$" in prose or "ACTION REQUIRED" in prose or "NEEDS CLAR" in prose:
        starts = sorted(starts + [m.start() for m in _CANDIDATE_TEMPLATE.finditer(prose)])
    if not starts:
        return found
    document_labels = Labels(prose, more=labels)
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
                vocabulary=vocabulary,
                labels=document_labels,
            )
        )
    if "NEEDS CLAR" in prose:
        found.extend(_wrapped_markers(document, first_line))
        found.sort(key=lambda placeholder: (placeholder.line, placeholder.column))
    return found


_PARAGRAPH_END = r"\n[ \t\r]*\n"
MAX_WRAPPED_MARKER = 1000  # characters: a question, not a section


def _wrapped_markers(document: MarkdownText, first_line: int) -> list[Placeholder]:
    """Clarification markers whose question wraps onto the next lines of their paragraph
    (``[NEEDS CLARIFICATION: a long question`` … ``continued?]``), which the line scan cannot
    close; their text is kept as written, line endings included, so an answer replaces it."""
    prose = document.prose
    found: list[Placeholder] = []
    for opening in _CLARIFICATION_OPENING.finditer(prose):
        line_end = prose.find("\n", opening.end())
        close = prose.find("]", opening.end())
        if line_end < 0 or close < line_end or close - opening.start() > MAX_WRAPPED_MARKER:
            continue  # closed on its line (the line scan has it), or never closed
        if (
            compiled(_PARAGRAPH_END).search(prose, opening.end(), close)
            or "[" in prose[opening.end() : close]
        ):
            continue
        line = document.line_of(opening.start())
        column = opening.start() - (prose.rfind("\n", 0, opening.start()) + 1) + 1
        text = document.text[opening.start() : close + 1]
        found.append(Placeholder(line + first_line - 1, column, text, "clarification"))
    return found


def find_placeholders(
    text: str, *, first_line: int = 1, vocabulary: Vocabulary | None = None
) -> list[Placeholder]:
    """Every placeholder in a Markdown document, skipping code and HTML comments."""
    return find_in(MarkdownText(text), first_line=first_line, vocabulary=vocabulary)


# The first characters of a placeholder that can be a whole value: a bracket, template syntax
# or ACTION REQUIRED. Any other value is not one, however long (a prompt is a value too).
_VALUE_OPENINGS = frozenset("[{$A")


def is_placeholder_value(value: str, vocabulary: Vocabulary | None = None) -> bool:
    """Whether a whole value (a front matter field, a section) is still a template token:
    template syntax, a placeholder, or one bracket of words standing for the value."""
    stripped = value.strip()
    if not stripped or stripped[0] not in _VALUE_OPENINGS:
        return False
    hits = scan_line(stripped, 1, vocabulary=vocabulary, labels=frozenset())
    if len(hits) == 1 and hits[0].text == stripped:
        return True
    match = BRACKET.fullmatch(stripped)
    return (
        match is not None
        and not is_marker(match.group(1))
        and any(ch.isalpha() for ch in match.group(1))
    )
