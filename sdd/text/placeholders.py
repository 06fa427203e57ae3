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
brackets (``\\[``), status markers and notes (``[In Progress]``, ``[1 SELECT]``), data in
brackets (``["api", "auth"]``, ``[1, 2]``), sdd's own redaction marker
(``[REDACTED:aws-access-key]``, ``sdd.text.secrets``), and anything inside code spans,
fenced code blocks or HTML comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sdd.base.markdown import ForwardSearch, MarkdownText, code_spans

Kind = Literal["template", "token", "clarification"]

# Template syntax is ``{{ … }}`` or ``{% … %}`` on one line, or ``$ARGUMENTS``; a
# clarification marker is ``[NEEDS CLARIFICATION …]``, usually on one line, but a long question
# may wrap inside its paragraph (``find_in`` reads those); an inline comment ``<!-- … -->`` on
# one line. Each is found by searching for its opening, then for
# its closing forward only (see ``_closed_spans``).
_ARGUMENTS = re.compile(r"\$ARGUMENTS\b")
_CLARIFICATION_OPENING = re.compile(r"\[\s*NEEDS CLARIFICATION\b", re.IGNORECASE)
_BRACKET = re.compile(r"\[([^\[\]\n]{1,120})\](?![(\[])")
_IDENTIFIER = re.compile(r"[A-Z]{1,4}-?\d+[A-Za-z]?")
_BARE_NUMBER = re.compile(r"\d+[A-Za-z]?")
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
_CANDIDATE_TEMPLATE = re.compile(r"\{\{|\{%|\$ARGUMENTS|ACTION REQUIRED|NEEDS CLARIFICATION")
_ACTION_REQUIRED = re.compile(r"\bACTION REQUIRED\b")
_BARE_CLARIFICATION = re.compile(r"[:|][ \t]*(?:\*\*|__)?(NEEDS CLARIFICATION)\b")
_CHECKLIST_LINE = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\]")
_NONE_REMAIN = re.compile(r"\b(?:no|none|zero|all|0)\b", re.IGNORECASE)
_UPPER_SHAPE = re.compile(r"[A-Z][0-9_ ./&,'-]*[A-Z][A-Z0-9_ ./&,'-]*")
_TASK_ID = r"(?:\*\*|__)?[A-Z]{1,4}-?\d+[A-Za-z]?(?:\*\*|__)?:?"
# The tags of a task line: the brackets right after its checkbox and task ID.
_TAG_RUN = re.compile(
    r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+(?:"
    + _TASK_ID
    + r"[ \t]+)?|"
    + _TASK_ID
    + r"[ \t]+)((?:\[[^\[\]\n]{1,40}\](?:[ \t]+|$))+)",
    re.MULTILINE,
)
# A legend line explains a bracketed label: ``- **[US1/2/3]**: user story numbers``,
# ``[RED] = failing test``; an explanation in brackets (``**[Entity 1]**: [What it is]``) is a
# template's slot, not a legend.
_LEGEND = re.compile(
    r"^[ \t>]*(?:[-*+][ \t]+)?(?:\*\*|__)?\[([^\[\]\n]{1,40})\](?:\*\*|__)?[ \t]*"
    r"(?::|=|—|–|->|→|-[ \t])[ \t]*(?:\*\*|__)?[^\[\s*_]",
    re.MULTILINE,
)
_INNER = re.compile(r"\[([^\[\]\n]{1,40})\]")
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
    text: str  # as written (a wrapped clarification marker keeps its line endings)
    kind: Kind

    @property
    def shown(self) -> str:
        """The text on one line, as findings and reports show it."""
        return " ".join(self.text.split()) if "\n" in self.text else self.text


def normal(text: str) -> str:
    """A bracket's text as the vocabulary and label sets compare it."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Vocabulary:
    """The tokens templates leave behind and the labels a project declares (normalised)."""

    tokens: frozenset[str]
    labels: frozenset[str] = frozenset()

    def extended(self, templates: Iterable[str], labels: Iterable[str] = ()) -> Vocabulary:
        """This vocabulary with the tokens of more template texts and more labels."""
        tokens = set(self.tokens)
        for text in templates:
            tokens |= template_tokens(text)
        return Vocabulary(frozenset(tokens), self.labels | {normal(label) for label in labels})


def labels_in(text: str) -> set[str]:
    """Labels a document declares: task tags and legend entries (normalised)."""
    found: set[str] = set()
    if "[" not in text:
        return found
    for run in _TAG_RUN.findall(text):
        found.update(normal(inner) for inner in _INNER.findall(run))
    found.update(normal(inner) for inner in _LEGEND.findall(text))
    return found


class Labels:
    """The labels of some texts (``labels_in``) and of ``more``, found on first use: most
    documents hold no bracket that needs them."""

    def __init__(self, *texts: str, more: Container[str] | None = None) -> None:
        self._texts = texts
        self._more = more
        self._found: set[str] | None = None

    def __contains__(self, key: object) -> bool:
        if self._found is None:
            self._found = set()
            for text in self._texts:
                self._found |= labels_in(text)
        return key in self._found or (self._more is not None and key in self._more)


def template_tokens(text: str) -> set[str]:
    """The bracketed tokens of a template (normalised): every bracket outside code that is
    not a label, marker, identifier, link or data."""
    document = MarkdownText(text)
    labels = labels_in(document.prose)
    tokens: set[str] = set()
    for match in _BRACKET.finditer(document.prose):
        inner = match.group(1).strip()
        start = match.start()
        if start and document.prose[start - 1] in "]\\":
            continue
        key = normal(inner)
        if key in labels or _is_marker(inner) or not any(ch.isalpha() for ch in inner):
            continue
        tokens.add(key)
    return tokens


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The tokens of sdd's packaged templates and of the kits' templates."""
    from sdd.base.templates import packaged_dir
    from sdd.text.kit_tokens import KIT_TEMPLATE_LINES

    texts = ["\n".join(KIT_TEMPLATE_LINES)]
    texts.extend(
        path.read_text("utf-8", errors="replace")
        for path in sorted(packaged_dir().glob("*.md"))
        if path.is_file()
    )
    return Vocabulary(frozenset()).extended(texts)


def _is_identifier_list(text: str) -> bool:
    parts = [part for part in _LIST_SEPARATOR.split(text) if part]
    if not parts or not _IDENTIFIER.fullmatch(parts[0]):
        return False
    return all(_IDENTIFIER.fullmatch(part) or _BARE_NUMBER.fullmatch(part) for part in parts)


def _is_marker(inner: str) -> bool:
    """Checkboxes, footnotes, alerts, identifiers, redactions and data: never a token."""
    stripped = inner.strip()
    return (
        inner in _TRIVIAL_MARKERS
        or not stripped
        or stripped[0] in "^!\"'"
        or _is_identifier_list(stripped)
        or _REDACTION_MARKER.fullmatch(stripped) is not None
        or _NUMBER_LIST.fullmatch(stripped) is not None
    )


def _is_upper_token(text: str) -> bool:
    return _UPPER_SHAPE.fullmatch(text) is not None


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


def _is_placeholder_bracket(
    inner: str,
    line: str,
    start: int,
    end: int,
    before_from: int,
    vocabulary: Vocabulary,
    labels: Container[str],
) -> bool:
    if _is_marker(inner):
        return False
    stripped = inner.strip()
    if stripped.startswith("###"):
        return True
    key = normal(stripped)
    if not _EXAMPLE.search(stripped):
        known = key in vocabulary.tokens
        upper = _is_upper_token(stripped)
        if not known and not upper:
            return False
        alone = " " in key or "_" in key or (known and upper)
        if not alone and not _stands_alone(line, start, end, before_from):
            return False
    return key not in vocabulary.labels and key not in labels


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
    visible = _blank(line, code_spans(written))
    unpaired = visible.find("`")
    if unpaired >= 0 and not visible.startswith("```", unpaired):
        # a code span that closes on a later line of its paragraph
        visible = visible[:unpaired] + " " * (len(visible) - unpaired)
    if "<!--" in visible:
        visible = _blank(visible, _closed_spans(visible, _COMMENT_OPENING, lambda _: "-->"))
    document_labels = Labels(visible) if labels is None else labels
    found: list[Placeholder] = []
    taken: list[tuple[int, int]] = []
    none_remain = _CHECKLIST_LINE.match(visible) is not None and bool(_NONE_REMAIN.search(visible))
    for start, end in _closed_spans(visible, _CLARIFICATION_OPENING, lambda _: "]"):
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
    for start, end in _closed_spans(visible, _TEMPLATE_OPENING, _template_closing):
        found.append(Placeholder(line_number, start + 1, written[start:end], "template"))
        taken.append((start, end))
    if "ACTION REQUIRED" in visible:
        for match in _ACTION_REQUIRED.finditer(visible):
            start, end = match.span()
            if not any(s <= start < e for s, e in taken):
                found.append(Placeholder(line_number, start + 1, written[start:end], "token"))
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


_PARAGRAPH_END = re.compile(r"\n[ \t\r]*\n")
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
            _PARAGRAPH_END.search(prose, opening.end(), close)
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


def is_placeholder_value(value: str, vocabulary: Vocabulary | None = None) -> bool:
    """Whether a whole value (a front matter field, a section) is still a template token:
    template syntax, a placeholder, or one bracket of words standing for the value."""
    stripped = value.strip()
    if not stripped:
        return False
    hits = scan_line(stripped, 1, vocabulary=vocabulary, labels=frozenset())
    if len(hits) == 1 and hits[0].text == stripped:
        return True
    match = _BRACKET.fullmatch(stripped)
    return (
        match is not None
        and not _is_marker(match.group(1))
        and any(ch.isalpha() for ch in match.group(1))
    )
