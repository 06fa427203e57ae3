"""Refuse regular expressions that can backtrack exponentially, before they meet a diff.

Python's ``re`` backtracks: ``(a|aa)+$`` on a 40-character line of ``a`` tries every way of
splitting it, which takes minutes. Patterns from sdd.yaml are written by whoever configures a
repository and run on every changed line of every commit, so they are checked when loaded. The
check reads the parsed pattern and flags the two shapes behind catastrophic backtracking:

* a repeat whose body holds another repeat that can match the body's first character
  (``(a+)+``, ``(\\w*\\s?)*``), so one piece of text can be split between the two in many ways;
* a repeat whose body offers alternatives that can start with the same character (``(a|aa)+``,
  ``(\\w|\\d)+``).

It is conservative: a pattern it refuses may be harmless, and the reason says what to rewrite
(a character class instead of alternatives, one repeat instead of two, a bounded count).
"""

from __future__ import annotations

from typing import Any

from sdd.detect import prefilter

WIDE = None  # a first-character set that may hold any character
CharSet = frozenset[int] | None
Outer = tuple[CharSet] | None  # the first characters of the enclosing repeat body
_SMALL_RANGE = 256
NON_ASCII = -1  # stands for every character outside ASCII in a category's set


def _union(first: CharSet, second: CharSet) -> CharSet:
    return WIDE if first is WIDE or second is WIDE else first | second


def _overlap(first: CharSet, second: CharSet) -> bool:
    if first is WIDE or second is WIDE:
        return True
    return bool(first & second)


class _Reader:
    def __init__(self, constants: Any) -> None:
        self.c = constants
        self.repeats = {constants.MAX_REPEAT, constants.MIN_REPEAT}
        word = {*range(48, 58), *range(65, 91), *range(97, 123), 95, NON_ASCII}
        self.categories = {
            constants.CATEGORY_DIGIT: frozenset(range(48, 58)),
            constants.CATEGORY_WORD: frozenset(word),
            constants.CATEGORY_SPACE: frozenset(b" \t\n\r\f\v"),
        }

    def _class(self, items: Any) -> CharSet:
        chars: set[int] = set()
        for op, av in items:
            if op is self.c.LITERAL:
                chars.add(av)
            elif op is self.c.RANGE and av[1] - av[0] < _SMALL_RANGE:
                chars.update(range(av[0], av[1] + 1))
            elif op is self.c.CATEGORY and av in self.categories:
                chars.update(self.categories[av])
            elif op is self.c.NEGATE or op is self.c.CATEGORY or op is self.c.RANGE:
                return WIDE
        return frozenset(chars)

    def first(self, items: Any) -> CharSet:
        """Characters a match of the sequence ``items`` may start with (WIDE when unsure)."""
        found: CharSet = frozenset()
        for op, av in items:
            if op in (self.c.AT, self.c.ASSERT, self.c.ASSERT_NOT):
                continue
            if op is self.c.LITERAL:
                return _union(found, frozenset({av}))
            if op is self.c.IN:
                return _union(found, self._class(av))
            if op is self.c.SUBPATTERN:
                return _union(found, self.first(av[-1]))
            if op is self.c.BRANCH:
                alternatives: CharSet = frozenset()
                for branch in av[1]:
                    alternatives = _union(alternatives, self.first(branch))
                return _union(found, alternatives)
            if op in self.repeats:
                found = _union(found, self.first(av[2]))
                if av[0] > 0:
                    return found
                continue
            return WIDE
        return WIDE  # the sequence may match nothing: anything may follow

    def nullable(self, items: Any) -> bool:
        """Whether the sequence may match the empty string."""
        for op, av in items:
            if op in (self.c.AT, self.c.ASSERT, self.c.ASSERT_NOT):
                continue
            if op in self.repeats:
                if av[0] > 0 and not self.nullable(av[2]):
                    return False
            elif op is self.c.SUBPATTERN:
                if not self.nullable(av[-1]):
                    return False
            elif op is self.c.BRANCH:
                if not any(self.nullable(branch) for branch in av[1]):
                    return False
            else:
                return False
        return True

    def risk(self, items: Any, outer: Outer = None, tail_empty: bool = True) -> str | None:
        """Why the sequence may backtrack exponentially. ``outer``: the first characters of
        the body of the repeat it sits in; ``tail_empty``: what follows it up to the end of
        that body may match nothing (so an inner repeat may end where the next round starts)."""
        for index, (op, av) in enumerate(items):
            at_end = tail_empty and self.nullable(items[index + 1 :])
            problem: str | None = None
            if op in self.repeats:
                _low, high, body = av
                if high > 1:
                    if outer is not None and at_end and _overlap(self.chars(body), outer[0]):
                        return "a repeat inside a repeat can split the same text in many ways"
                    problem = self.risk(body, (self.first(body),), True)
                    if problem is None:
                        problem = self._branch_risk(body)
                else:
                    problem = self.risk(body, outer, at_end)
            elif op is self.c.SUBPATTERN:
                problem = self.risk(av[-1], outer, at_end)
            elif op is self.c.BRANCH:
                for branch in av[1]:
                    problem = problem or self.risk(branch, outer, at_end)
            if problem:
                return problem
        return None

    def _branch_risk(self, items: Any) -> str | None:
        for op, av in items:
            if op is self.c.SUBPATTERN:
                found = self._branch_risk(av[-1])
                if found:
                    return found
            elif op is self.c.BRANCH:
                found = self._overlapping(av[1])
                if found:
                    return found
        return None

    def _overlapping(self, branches: Any) -> str | None:
        starts = [self.first(branch) for branch in branches]
        for index, start in enumerate(starts):
            for other in starts[index + 1 :]:
                if _overlap(start, other):
                    return (
                        "alternatives inside a repeat can start with the same character "
                        "(use a character class or make the alternatives distinct)"
                    )
        return None

    def chars(self, items: Any) -> CharSet:
        """Every character the sequence may match anywhere (WIDE when unsure)."""
        found: CharSet = frozenset()
        for op, av in items:
            if op is self.c.LITERAL:
                found = _union(found, frozenset({av}))
            elif op is self.c.IN:
                found = _union(found, self._class(av))
            elif op is self.c.SUBPATTERN:
                found = _union(found, self.chars(av[-1]))
            elif op is self.c.BRANCH:
                for branch in av[1]:
                    found = _union(found, self.chars(branch))
            elif op in self.repeats:
                found = _union(found, self.chars(av[2]))
            elif op in (self.c.AT, self.c.ASSERT, self.c.ASSERT_NOT):
                continue
            else:
                return WIDE
            if found is WIDE:
                return WIDE
        return found


def backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` may take exponential time on a long line, or None when it looks linear."""
    parser, constants = prefilter.PARSER, prefilter.CONSTANTS
    if parser is None:
        return None
    try:
        parsed = parser.parse(pattern)
    except Exception:  # the caller compiles the pattern and reports its syntax errors
        return None
    return _Reader(constants).risk(list(parsed))
