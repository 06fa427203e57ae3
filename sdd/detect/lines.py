"""The changed lines a rule reads: flattened per side, comments cut, moved lines paired."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

from sdd.detect.diff import FileChange

_COMMENT_LINE = re.compile(r"[ \t]*(?:#(?![\[!])|//|/\*|\*|--|<!--)")
# ``#[…]`` and ``#!`` open attributes (PHP 8, Rust), not comments, here as at a line's start.
_TRAILING_COMMENT = re.compile(r"[ \t](?:#(?![\[!])|//)[^\n'\"`]*$", re.MULTILINE)


@dataclass
class Side:
    """The effective changed lines of one side (added or removed) of all files, in order."""

    lines: list[str]
    owners: list[int]  # position of each line's file (non-decreasing)
    numbers: list[int]  # line numbers in the old (removed) or new (added) file

    def text(self) -> str:
        """The lines joined by newlines: line ``i`` of the text is ``lines[i]``."""
        return "\n".join(self.lines)


def flatten(files: Sequence[FileChange], which: str) -> Side:
    lines: list[str] = []
    owners: list[int] = []
    numbers: list[int] = []
    for position, change in enumerate(files):
        texts = change.added if which == "added" else change.removed
        if not texts:
            continue
        lines.extend(texts)
        numbers.extend(change.added_numbers if which == "added" else change.removed_numbers)
        owners.extend(repeat(position, len(texts)))
    return Side(lines, owners, numbers)


def moved_lines(
    added: Side, removed: Side, added_lines: set[int], removed_lines: set[int]
) -> tuple[set[int], set[int]]:
    """Indices of the given added and removed lines that pair up once whitespace is ignored.

    Only lines some rule will read are compared: a moved line holds the same literals as its
    counterpart, so both are among them.
    """
    removed_keys = {i: "".join(removed.lines[i].split()).rstrip(",;") for i in removed_lines}
    counts = Counter(removed_keys.values())
    counts.pop("", None)
    if not counts:
        return set(), set()
    matched: Counter[str] = Counter()
    moved_added: set[int] = set()
    for index in sorted(added_lines):
        key = "".join(added.lines[index].split()).rstrip(",;")
        if key and counts[key] > matched[key]:
            matched[key] += 1
            moved_added.add(index)
    moved_removed: set[int] = set()
    for index in sorted(removed_lines):
        key = removed_keys[index]
        if matched[key] > 0:
            matched[key] -= 1
            moved_removed.add(index)
    return moved_added, moved_removed


def code_of(line: str) -> str:
    """A changed line without its comment: "" for a comment line, else trailing comment cut."""
    if _COMMENT_LINE.match(line):
        return ""
    if "#" in line or "//" in line:
        return _TRAILING_COMMENT.sub("", line)
    return line


def unchanged_lines(change: FileChange) -> set[str]:
    """The context lines of a file's hunks, whitespace removed (blank ones left out)."""
    found = set()
    for hunk in change.hunks:
        for raw in hunk.lines:
            if raw[:1] == " ":
                key = "".join(raw[1:].split())
                if key:
                    found.add(key)
    return found
