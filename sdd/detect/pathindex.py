"""The changed paths of a diff, matched against many glob lists without compiling most of them.

The rule pack names hundreds of globs (each stack's migrations, routes, manifests …) and a
diff touches few kinds of file. Every glob holds a literal that any path it matches contains
(``**/alembic/versions/*.py`` needs ``alembic``; ``*.{yml,yaml}`` needs ``.yml`` or ``.yaml``):
``glob_literals`` reads it from the glob's text. A glob is compiled and tried only on the paths
that hold its literal, so a repository of another stack never compiles the globs of this one.
The answers are those of ``sdd.base.globs.GlobSet`` (each glob is matched by a one-glob set).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from sdd.detect.rulemodel import glob_set

_SPECIAL = frozenset("*?/")
MAX_ALTERNATIVES = 16


def _longest_run(text: str) -> str | None:
    """The longest run of characters a glob matches literally (outside ``*?/[…]{…}``)."""
    runs: list[str] = []
    current: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        skip_to = -1
        if char == "[":
            first = index + 2 if text[index + 1 : index + 2] in ("!", "^") else index + 1
            skip_to = text.find("]", first + 1)
        elif char == "{":
            skip_to = text.find("}", index)
        if char in _SPECIAL or char in "[]{}":
            runs.append("".join(current))
            current = []
            index = (skip_to if skip_to >= 0 else index) + 1
            continue
        current.append(char)
        index += 1
    runs.append("".join(current))
    best = max(runs, key=len)
    return best or None


def _alternatives(text: str) -> list[str]:
    """``text`` with its simple ``{a,b}`` groups spelled out (a group holding wildcards,
    another group or a ``/``, and any group beside a ``[…]`` class, is left in place, where it
    counts as a wildcard)."""
    start = text.find("{")
    if start < 0 or "[" in text:
        return [text]
    end = text.find("}", start)
    inner = text[start + 1 : end] if end > 0 else ""
    if end < 0 or any(char in inner for char in "{[*?/\\"):
        head, rest = text[: start + 1], text[start + 1 :]
        return [head + tail for tail in _alternatives(rest)]
    found = []
    for option in inner.split(","):
        for tail in _alternatives(text[end + 1 :]):
            found.append(text[:start] + option + tail)
            if len(found) > MAX_ALTERNATIVES:
                return [text]
    return found


def glob_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every path ``pattern`` matches contains; None when unknown."""
    text = pattern.strip().replace("\\", "/")
    found = set()
    for alternative in _alternatives(text):
        run = _longest_run(alternative)
        if run is None:
            return None
        found.add(run)
    return frozenset(found) if found else None


class PathIndex:
    """The paths of one diff, asked which of them each glob list matches."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        # NUL never occurs in a path, so no literal is found across two of them.
        self._text = "\0".join(self.paths)
        self._starts: list[int] = []
        offset = 0
        for path in self.paths:
            self._starts.append(offset)
            offset += len(path) + 1
        self._by_literal: dict[str, set[int]] = {}
        self._by_pattern: dict[str, frozenset[int]] = {}
        self._by_list: dict[tuple[str, ...], set[int]] = {}

    def _holding(self, literal: str) -> set[int]:
        found = self._by_literal.get(literal)
        if found is None:
            found = set()
            text, starts = self._text, self._starts
            position = text.find(literal)
            while position >= 0:
                index = bisect.bisect_right(starts, position) - 1
                found.add(index)
                following = starts[index + 1] if index + 1 < len(starts) else len(text)
                position = text.find(literal, following)
            self._by_literal[literal] = found
        return found

    def _pattern(self, pattern: str) -> frozenset[int]:
        found = self._by_pattern.get(pattern)
        if found is None:
            literals = glob_literals(pattern)
            candidates: Iterable[int]
            if literals is None:
                candidates = range(len(self.paths))
            else:
                candidates = sorted(set().union(*(self._holding(lit) for lit in literals)))
            found = frozenset()
            if candidates:
                globs = glob_set((pattern,))
                paths = self.paths
                found = frozenset(i for i in candidates if globs.matches(paths[i]))
            self._by_pattern[pattern] = found
        return found

    def matching(self, patterns: Sequence[str]) -> set[int]:
        """Positions of the paths that match any of ``patterns`` (``GlobSet.matching``)."""
        key = tuple(patterns)
        found = self._by_list.get(key)
        if found is None:
            found = set()
            for pattern in key:
                found.update(self._pattern(pattern))
            self._by_list[key] = found
        return found
