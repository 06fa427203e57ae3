"""A block of text sdd manages inside a file the user owns (CLAUDE.md, AGENTS.md, …).

The block sits between two marker lines, ``<!-- sdd:begin -->`` and ``<!-- sdd:end -->``.
Everything outside the markers belongs to the user and is kept byte for byte; the block is
replaced in place, written with the file's own line endings (CRLF stays CRLF). A file with
markers sdd cannot pair (two begins, a begin without an end, an end first) is refused with
the line at fault, and nothing is written (ADR-0053).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sdd.base.errors import ParseError

BEGIN = "<!-- sdd:begin -->"
END = "<!-- sdd:end -->"
NOTE = "<!-- Managed by `sdd agents install`: text between the sdd markers is replaced. -->"

_BEGIN_LINE = re.compile(r"^\s*<!--\s*sdd:begin\b.*-->\s*$")
_END_LINE = re.compile(r"^\s*<!--\s*sdd:end\b.*-->\s*$")
_REPAIR_HINT = "fix or remove the sdd markers by hand; nothing was written"

Action = Literal["created", "inserted", "updated", "unchanged"]


@dataclass(frozen=True)
class BlockResult:
    """The new text of the file, and what happened to the block."""

    text: str
    action: Action


def newline_of(text: str) -> str:
    """The line ending a text uses: that of its first line break."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def render_block(content: str, newline: str = "\n") -> str:
    """The block with its markers around ``content``, every line ended by ``newline``."""
    body = content.replace("\r\n", "\n").strip("\n")
    lines = [BEGIN, NOTE, *body.split("\n"), END]
    return newline.join(lines) + newline


def _marker_lines(lines: list[str]) -> tuple[list[int], list[int]]:
    begins = [index for index, line in enumerate(lines) if _BEGIN_LINE.match(line.rstrip("\r"))]
    ends = [index for index, line in enumerate(lines) if _END_LINE.match(line.rstrip("\r"))]
    return begins, ends


def _marker_problem(begins: list[int], ends: list[int]) -> tuple[str, int] | None:
    """What is wrong with the markers, and the 0-based line at fault; None when they pair."""
    for name, found in (("sdd:begin", begins), ("sdd:end", ends)):
        if len(found) > 1:
            lines = ", ".join(str(index + 1) for index in found)
            return f"{name} marker appears {len(found)} times (lines {lines}); expected one", found[
                1
            ]
    if begins and not ends:
        return "sdd:begin marker has no matching sdd:end", begins[0]
    if ends and not begins:
        return "sdd:end marker has no matching sdd:begin", ends[0]
    if begins and ends[0] < begins[0]:
        return f"sdd:end marker comes before sdd:begin (line {begins[0] + 1})", ends[0]
    return None


def apply_block(
    existing: str | None, content: str, *, source: Path | str, header: str = ""
) -> BlockResult:
    """Put ``content`` in the managed block of a file whose text is ``existing``.

    ``existing`` None: the file is new, made of ``header`` then the block. A file without a
    block gets it appended after a blank line; a file with one gets it replaced in place.
    """
    if existing is None:
        return BlockResult(header + render_block(content), "created")
    span = _block_span(existing, source)
    if span is None:
        text = existing
        newline = newline_of(text)
        if text and not text.endswith("\n"):
            text += newline
        if text.strip() and not text.endswith(newline * 2):
            text += newline
        return BlockResult(text + render_block(content, _newline_before(text, newline)), "inserted")
    start, stop = span
    block = render_block(content, _newline_before(existing[:start], newline_of(existing)))
    text = existing[:start] + block + existing[stop:]
    return BlockResult(text, "unchanged" if text == existing else "updated")


def _block_span(existing: str, source: Path | str) -> tuple[int, int] | None:
    """Where the managed block of ``existing`` starts and ends (its end line included), None
    without one; ``ParseError`` for markers out of order or repeated."""
    lines = existing.split("\n")
    begins, ends = _marker_lines(lines)
    problem = _marker_problem(begins, ends)
    if problem is not None:
        raise ParseError(problem[0], path=source, line=problem[1] + 1, hint=_REPAIR_HINT)
    if not begins:
        return None
    start = sum(len(line) + 1 for line in lines[: begins[0]])
    stop = min(sum(len(line) + 1 for line in lines[: ends[0] + 1]), len(existing))
    return start, stop


def _newline_before(text: str, default: str) -> str:
    """The line ending of the text before the block, so that a rerun chooses the same one."""
    return newline_of(text) if "\n" in text else default


def remove_block(existing: str, *, source: Path | str) -> BlockResult:
    """``existing`` without its managed block and the blank line sdd put before it."""
    span = _block_span(existing, source)
    if span is None:
        return BlockResult(existing, "unchanged")
    start, stop = span
    before, after = existing[:start], existing[stop:]
    if not after.strip() and before.endswith("\n"):
        last = 2 if before.endswith("\r\n") else 1
        if before[:-last].endswith("\n"):
            before = before[:-last]
    return BlockResult(before + after, "updated")
