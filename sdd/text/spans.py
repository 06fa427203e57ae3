"""Spans of a line of text: where a pattern's match ends, spans closed by a mark on their
line, their union, and a text with spans blanked (so columns stay where they were)."""

from __future__ import annotations

import re
from collections.abc import Callable

from sdd.base.markdown import ForwardSearch


def match_end(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> int:
    """Where a match of ``pattern`` (which may match nothing) at ``pos`` ends."""
    match = pattern.match(text, pos, len(text) if endpos is None else endpos)
    return match.end() if match is not None else pos


def blank(text: str, spans: list[tuple[int, int]]) -> str:
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


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ``spans`` as ordered, disjoint spans."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def closed_spans(
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
