"""Just enough Markdown structure for sdd's checks: line numbers, code regions and headings.

Everything works on the whole text with compiled regular expressions, so that a check of
thousands of files costs a few passes in C per file rather than Python work per line.

Code regions (where rules about prose do not apply):

* fenced code blocks: a line of three or more backticks or tildes (any indentation, so that
  fences inside list items count), closed by a line of the same character at least as long
  with nothing after it; a fence that is never closed runs to the end of the document;
* HTML comments: from a ``<!--`` that starts a line to the next ``-->`` (or the end), and
  ``<!-- … -->`` closed on the line where it starts.

Inline code spans are found per line (``code_spans``); a span never crosses a line here.
"""

import re
from functools import cached_property
from typing import NamedTuple

from sdd.base.patterns import compiled

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
_COMMENT_OPEN = re.compile(r"<!--")
# Searched in "\n" + text: a leading literal lets the regex engine skip ahead quickly.
_HEADING = re.compile(r"\n {0,3}(#{1,6})[ \t]+([^\n]*)")
_BACKTICKS = r"`+"
_NOT_LINE_FEED = re.compile(r"[^\n]")


class ForwardSearch:
    """Where ``what`` next stands in ``text`` at or after a position, for positions asked in
    increasing order: a search runs again only once a position passes its result, so that all
    the searches together cost one pass however many positions are asked for."""

    __slots__ = ("found", "text", "what")

    def __init__(self, text: str, what: str) -> None:
        self.text = text
        self.what = what
        self.found = -1

    def next(self, position: int) -> int:
        """The offset of the next ``what`` at or after ``position``; ``len(text)`` if none."""
        if self.found < position:
            found = self.text.find(self.what, position)
            self.found = found if found >= 0 else len(self.text)
        return self.found


class Heading(NamedTuple):
    line: int
    level: int
    text: str


class MarkdownText:
    """A Markdown document. Lines end at a line feed (CR LF counts as one line ending).

    Line numbers are counted from a cursor that moves forward, so asking for offsets in
    document order costs one pass over the text in total.
    """

    __slots__ = ("__dict__", "_cursor_line", "_cursor_offset", "prose", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # The text with every code region blanked (line feeds kept, everything else a
        # space): offsets and line numbers are those of ``text``, so a pattern searched in
        # ``prose`` never matches inside code and needs no test per match.
        self.prose = _blank_code(text)
        self._cursor_offset = 0
        self._cursor_line = 1

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        if offset < self._cursor_offset:
            self._cursor_offset, self._cursor_line = 0, 1
        self._cursor_line += self.text.count("\n", self._cursor_offset, offset)
        self._cursor_offset = offset
        return self._cursor_line

    def line_at(self, offset: int) -> str:
        """The text of the line holding ``offset`` (without its line ending)."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start : end if end >= 0 else len(self.text)].rstrip("\r")

    @cached_property
    def heading_texts(self) -> tuple[tuple[int, str], ...]:
        """Level and text of every heading outside code (no line numbers: cheaper)."""
        if "#" not in self.text:
            return ()
        return tuple(
            (len(hashes), _heading_text(text))
            for hashes, text in _HEADING.findall("\n" + self.prose)
        )

    @cached_property
    def headings(self) -> tuple[Heading, ...]:
        """ATX headings outside code, in document order, with their lines."""
        if "#" not in self.text:
            return ()
        return tuple(
            Heading(self.line_of(match.start()), len(match.group(1)), _heading_text(match.group(2)))
            for match in _HEADING.finditer("\n" + self.prose)
        )


def _blank_code(text: str) -> str:
    starts, ends = _code_regions(text)
    if not starts:
        return text
    pieces: list[str] = []
    previous = 0
    for start, end in zip(starts, ends, strict=True):
        pieces.append(text[previous:start])
        pieces.append(_NOT_LINE_FEED.sub(" ", text[start:end]))
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)


def _heading_text(raw: str) -> str:
    """A heading's text without its closing sequence: ``#`` characters at the end that stand
    alone (after a blank, or as the whole text), with the blanks before them."""
    text = raw.rstrip(" \t\r")
    if not text.endswith("#"):
        return text
    before = text.rstrip("#")
    if not before:
        return ""
    return before.rstrip(" \t") if before[-1] in " \t" else text


def code_spans(line: str) -> list[tuple[int, int]]:
    """Start and end offsets of the inline code spans of one line (of each line, if given
    several: a span never crosses a line feed).

    A span opens with a run of backticks and closes at the next place where as many
    backticks follow one another (they may begin a longer run), with at least one character
    between; an opening run with no such place closes with fewer of its backticks, or
    starts one backtick later. (This is what ``(`+)(?:(?!\1).)+?\1`` finds, worked out
    from the runs of backticks instead of by backtracking, which took time cubic in the
    length of a run.)
    """
    if line.count("`") < 2:
        return []
    runs = [match.span() for match in compiled(_BACKTICKS).finditer(line)]
    if "\n" not in line:
        return _paired(runs)
    spans: list[tuple[int, int]] = []
    same_line: list[tuple[int, int]] = []
    line_end = -1
    for run in runs:
        if run[0] > line_end:
            spans.extend(_paired(same_line))
            same_line = []
            line_end = line.find("\n", run[0])
            line_end = line_end if line_end >= 0 else len(line)
        same_line.append(run)
    spans.extend(_paired(same_line))
    return spans


def _paired(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The code spans made by ``runs``, the runs of backticks of one line."""
    if len(runs) < 2:
        return []
    longest_after = [0] * len(runs)  # the longest run after each run
    longest = 0
    for index in range(len(runs) - 1, -1, -1):
        longest_after[index] = longest
        longest = max(longest, runs[index][1] - runs[index][0])
    spans: list[tuple[int, int]] = []
    index = 0
    position = runs[0][0]
    while index < len(runs) and longest_after[index]:
        run_end, available = runs[index][1], longest_after[index]
        size = run_end - position  # the opening takes what is left of the run ...
        if size >= 2 * available:  # ... unless no run after it is long enough to close it
            position, size = run_end - (2 * available - 1), 2 * available - 1
        size = min(size, available)
        closing = index + 1
        while runs[closing][1] - runs[closing][0] < size:
            closing += 1
        end = runs[closing][0] + size
        spans.append((position, end))
        index, position = closing, end
        if position == runs[closing][1]:
            index += 1
            position = runs[index][0] if index < len(runs) else position
    return spans


def _closing_fence(text: str, opener: str, start: int) -> int | None:
    for match in _FENCE.finditer(text, start):
        marker = match.group(1)
        if marker[0] == opener[0] and len(marker) >= len(opener) and not match.group(2).strip():
            return match.end()
    return None


def _comment_end(start: int, closing: ForwardSearch, newline: ForwardSearch) -> int:
    """Where the comment opening at ``start`` ends (``start``: it is not a comment)."""
    text = closing.text
    close = closing.next(start + 4)
    before = start
    while before and text[before - 1] != "\n" and text[before - 1].isspace():
        before -= 1
    if before == 0 or text[before - 1] == "\n":  # starts a line: a block to its "-->"
        return min(close + 3, len(text))
    # an inline "<!--" is a comment only when it closes on its line
    return close + 3 if close < newline.next(start) else start


def _code_regions(text: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    has_fence = "```" in text or "~~~" in text
    has_comment = "<!--" in text
    if not has_fence and not has_comment:
        return starts, ends
    position = 0
    length = len(text)
    # Searches run forward only (a result is searched again once ``position`` passes it), so
    # that many comments, fences or lines never cost more than one pass over the text.
    fence: re.Match[str] | None = None
    comment: re.Match[str] | None = None
    closing = ForwardSearch(text, "-->")
    newline = ForwardSearch(text, "\n")
    while position < length and (has_fence or has_comment):
        if has_fence and (fence is None or fence.start() < position):
            fence = _FENCE.search(text, position)
        if has_comment and (comment is None or comment.start() < position):
            comment = _COMMENT_OPEN.search(text, position)
        if fence is None:
            has_fence = False
        if comment is None:
            has_comment = False
        if fence is None and comment is None:
            break
        if comment is not None and (fence is None or comment.start() < fence.start()):
            end = _comment_end(comment.start(), closing, newline)
            if end > comment.start():
                starts.append(comment.start())
                ends.append(end)
                position = end
            else:
                position = comment.end()
            continue
        assert fence is not None
        opener, info = fence.group(1), fence.group(2)
        if opener[0] == "`" and "`" in info:
            position = fence.end() + 1
            continue
        close = _closing_fence(text, opener, fence.end() + 1)
        end = length if close is None else close
        starts.append(fence.start())
        ends.append(end)
        position = end + 1
    return starts, ends
