"""Find the lines a set of regular expressions could match with one fast literal scan.

Running forty rich regular expressions over a 50,000-line diff costs seconds in Python's
``re``: each tries every alternative at every position. But almost every rule needs a literal
(``app.use(``, ``create_engine``, ``@Entity``) somewhere in any match. ``required_literals``
reads that from the parsed pattern: a set of strings one of which every match contains.
``LiteralScanner`` joins the literals of all rules into one trie-shaped expression (each
branch starts with a distinct literal character, which ``re`` skips to quickly) and reports,
per rule, the lines that hold one of its literals; only those lines meet the full pattern.

Case-insensitive literals are scanned in three casings (``create``, ``CREATE``, ``Create``).
A pattern whose matches need no literal of at least two characters gets no prefilter: its
caller scans the text with the full pattern instead.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

# The parser of the re module: re._parser since Python 3.11, sre_parse before.
_NEW_RE = sys.version_info >= (3, 11)
_ops: Any = importlib.import_module("re._constants" if _NEW_RE else "sre_constants")
_sre_parse: Any = importlib.import_module("re._parser" if _NEW_RE else "sre_parse")

MIN_LITERAL = 2
_REPEATS = tuple(
    getattr(_ops, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_ops, name)
)
_ATOMIC = getattr(_ops, "ATOMIC_GROUP", None)

Requirement = frozenset[tuple[str, bool]]  # (literal, ignore case)
MAX_EXACT = 400  # the most strings a run of exact pieces may expand to
# Tokens found on most lines of code: a literal set holding one is a poor prefilter.
COMMON_TOKENS = frozenset(
    {
        "from", "import", "if", "for", "in", "is", "or", "and", "not", "return", "const", "let",
        "var", "def", "class", "new", "this", "self", "public", "private", "static", "function",
        "async", "await", "type", "data", "get", "set", "all", "use", "get(", "set(", "all(",
        "use(", "Get", "Set", "All", "GET", "SET", "ALL", "the", "name", "value", "id", "key",
    }
)  # fmt: skip


def _score(requirement: Requirement) -> tuple[int, int]:
    shortest = min(len(text) for text, _ in requirement)
    if shortest < MIN_LITERAL:
        return (-1, 0)
    if any(text in COMMON_TOKENS for text, _ in requirement):
        return (0, -len(requirement))
    return (min(shortest, 8), -len(requirement))


def _data(node: Any) -> Any:
    return node.data if hasattr(node, "data") else node


def _case(ignore_case: bool, add_flags: int, del_flags: int) -> bool:
    return (ignore_case or bool(add_flags & re.IGNORECASE)) and not (del_flags & re.IGNORECASE)


def _exact(op: Any, av: Any, ignore_case: bool) -> frozenset[str] | None:
    """The strings one item matches when they are few and fixed, else None."""
    if op is _ops.LITERAL:
        return frozenset({chr(av)})
    if op is _ops.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if _case(ignore_case, add_flags, del_flags) != ignore_case:
            return None
        return _exact_sequence(_data(sub), ignore_case)
    if op is _ops.BRANCH:
        parts = [_exact_sequence(_data(branch), ignore_case) for branch in av[1]]
        if any(part is None for part in parts):
            return None
        union = frozenset().union(*parts)  # type: ignore[arg-type]
        return union if len(union) <= MAX_EXACT else None
    if op is _ops.IN:
        chars = [chr(value) for kind, value in av if kind is _ops.LITERAL]
        if len(chars) != len(av) or len(chars) > 12:
            return None
        return frozenset(chars)
    return None


def _exact_sequence(items: Any, ignore_case: bool) -> frozenset[str] | None:
    strings = frozenset({""})
    for op, av in items:
        piece = _exact(op, av, ignore_case)
        if piece is None:
            return None
        strings = frozenset(a + b for a in strings for b in piece)
        if len(strings) > MAX_EXACT:
            return None
    return strings


def _sequence(items: Any, ignore_case: bool) -> Requirement | None:
    """A set of literals one of which any match of ``items`` contains (None: unknown)."""
    candidates: list[Requirement] = []
    current: frozenset[str] | None = None

    def flush() -> None:
        nonlocal current
        if current and all(current):
            candidates.append(frozenset((text, ignore_case) for text in current))
        current = None

    for op, av in items:
        piece = _exact(op, av, ignore_case)
        if piece is not None:
            combined = (
                piece if current is None else frozenset(a + b for a in current for b in piece)
            )
            if len(combined) > MAX_EXACT:
                flush()
                combined = piece
            current = combined
            continue
        flush()
        found: Requirement | None = None
        if op is _ops.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            found = _sequence(_data(sub), _case(ignore_case, add_flags, del_flags))
        elif op is _ops.BRANCH:
            parts = [_sequence(_data(branch), ignore_case) for branch in av[1]]
            if parts and all(part for part in parts):
                found = frozenset().union(*parts)  # type: ignore[arg-type]
        elif op in _REPEATS:
            low, _high, sub = av
            if low >= 1:
                found = _sequence(_data(sub), ignore_case)
        elif _ATOMIC is not None and op is _ATOMIC:
            found = _sequence(_data(av), ignore_case)
        if found:
            candidates.append(found)
    flush()
    if not candidates:
        return None
    return max(candidates, key=_score)


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which every match of ``pattern`` contains; None when there are none."""
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
    except (re.error, RecursionError, TypeError):  # pragma: no cover - compiled already
        return None
    ignore_case = bool(tree.state.flags & re.IGNORECASE)
    requirement = _sequence(tree.data, ignore_case)
    if not requirement or min(len(text) for text, _ in requirement) < MIN_LITERAL:
        return None
    literals: set[str] = set()
    for text, case in requirement:
        if case:
            literals.update({text.lower(), text.upper(), text.capitalize()})
        else:
            literals.add(text)
    return tuple(sorted(literals))


def trie_pattern(words: Iterable[str]) -> str:
    """One expression matching any of ``words`` at a position, the longest first."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class LiteralScanner:
    """Which keys (rules) have one of their literals on which lines of a text."""

    def __init__(self, literals_by_key: Mapping[str, Iterable[str]]) -> None:
        keys_by_literal: dict[str, set[str]] = {}
        for key, literals in literals_by_key.items():
            for literal in literals:
                keys_by_literal.setdefault(literal, set()).add(key)
        self._direct = keys_by_literal
        self._keys: dict[str, frozenset[str]] = {}
        self._regex = re.compile(trie_pattern(keys_by_literal)) if keys_by_literal else None

    def _keys_of(self, literal: str) -> frozenset[str]:
        # A match hides the literals it contains: credit their keys too.
        keys = self._keys.get(literal)
        if keys is None:
            collected: set[str] = set()
            for other, other_keys in self._direct.items():
                if len(other) <= len(literal) and other in literal:
                    collected |= other_keys
            keys = self._keys[literal] = frozenset(collected)
        return keys

    def scan(self, text: str, starts: list[int]) -> dict[str, set[int]]:
        """For each key, the indices of lines (``starts``: their offsets) holding its literals."""
        import bisect

        found: dict[str, set[int]] = {}
        if self._regex is None or not text:
            return found
        search = self._regex.search
        position = 0
        while True:
            hit = search(text, position)
            if hit is None:
                return found
            line = bisect.bisect_right(starts, hit.start()) - 1
            for key in self._keys_of(hit.group(0)):
                found.setdefault(key, set()).add(line)
            position = hit.start() + 1
