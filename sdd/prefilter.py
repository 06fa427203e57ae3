"""Find the lines a set of regular expressions could match with one fast literal scan.

Running forty rich regular expressions over a 50,000-line diff costs seconds in Python's
``re``: each tries every alternative at every position. But almost every rule needs a literal
(``app.use(``, ``create_engine``, ``@Entity``) somewhere in any match. ``required_literals``
reads that from the parsed pattern: a set of strings one of which every match contains.
``LiteralScanner`` reports, per rule, the lines that hold one of its literals; only those lines
meet the full pattern. It first checks, on the text's small vocabulary of words, which
literals can occur at all, then finds just those with ``str.find``.

Case-insensitive literals are scanned in three casings (``create``, ``CREATE``, ``Create``).
A pattern whose matches need no literal of at least two characters gets no prefilter: its
caller scans the text with the full pattern instead.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
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


# --- a small on-disk cache: parsing forty patterns costs more than the rest of a hook run ---

_CACHE_VERSION = 1
_MAX_CACHE_ENTRIES = 4000
_cache: dict[str, list[str] | None] | None = None
_cache_dirty = False


def _cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return (
        Path(base)
        / "sdd"
        / f"prefilter-{_CACHE_VERSION}-py{sys.version_info[0]}{sys.version_info[1]}.json"
    )


def _load_cache() -> dict[str, list[str] | None]:
    global _cache
    if _cache is None:
        import json

        try:
            loaded = json.loads(_cache_path().read_text(encoding="utf-8"))
            _cache = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            _cache = {}
    return _cache


def cached_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """``required_literals`` through the on-disk cache (keyed by the pattern and its flags)."""
    global _cache_dirty
    cache = _load_cache()
    key = f"{pattern.flags}:{pattern.pattern}"
    if key in cache:
        value = cache[key]
        return tuple(value) if isinstance(value, list) else None
    found = required_literals(pattern)
    cache[key] = list(found) if found is not None else None
    _cache_dirty = True
    return found


def save_cache() -> None:
    """Write new cache entries; a cache that cannot be written is simply not kept."""
    global _cache_dirty
    if not _cache_dirty or _cache is None:
        return
    import json

    from sdd.fileio import write_atomic

    entries = dict(list(_cache.items())[-_MAX_CACHE_ENTRIES:])
    with contextlib.suppress(OSError):
        write_atomic(_cache_path(), json.dumps(entries, ensure_ascii=False))
    _cache_dirty = False


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


_IDENTIFIER = re.compile(r"[A-Za-z0-9_]+")
_MIN_ANCHOR = 3


def _anchor(literal: str) -> str | None:
    """The longest run of identifier characters in ``literal`` (three or more), if any."""
    runs = _IDENTIFIER.findall(literal)
    best = max(runs, key=len, default="")
    return best if len(best) >= _MIN_ANCHOR else None


class LiteralScanner:
    """Which keys (rules) have one of their literals on which lines of a text.

    Scanning a large text for hundreds of literals is done in two steps. The distinct
    whitespace-separated chunks of the text are collected once into a small vocabulary; a literal
    can only occur if the longest identifier run in it (its anchor) is part of some word, which
    one trie expression checks over the vocabulary. Only the literals whose anchor is there (and
    the few without an anchor) are then searched in the text with ``str.find``.
    """

    def __init__(self, literals_by_key: Mapping[str, Iterable[str]]) -> None:
        self._keys: dict[str, set[str]] = {}
        for key, literals in literals_by_key.items():
            for literal in literals:
                self._keys.setdefault(literal, set()).add(key)
        self._by_anchor: dict[str, list[str]] = {}
        self._always: list[str] = []
        for literal in self._keys:
            anchor = _anchor(literal)
            if anchor is None:
                self._always.append(literal)
            else:
                self._by_anchor.setdefault(anchor, []).append(literal)
        self._anchors = re.compile(trie_pattern(self._by_anchor)) if self._by_anchor else None

    def live(self, *texts: str) -> list[str]:
        """The literals that may occur in ``texts``: anchor found in their vocabulary, or none."""
        live = list(self._always)
        if self._anchors is None:
            return live
        # Whitespace-separated chunks: an anchor has no whitespace, so it lies within one.
        chunks: set[str] = set()
        for text in texts:
            chunks.update(text.split())
        vocabulary = " ".join(chunks)
        search = self._anchors.search
        seen: set[str] = set()
        position = 0
        while True:
            hit = search(vocabulary, position)
            if hit is None:
                break
            # The trie matches the longest anchor at a place; shorter ones there are prefixes.
            word = hit.group(0)
            if word not in seen:
                for size in range(_MIN_ANCHOR, len(word) + 1):
                    prefix = word[:size]
                    if prefix in self._by_anchor and prefix not in seen:
                        seen.add(prefix)
                        live.extend(self._by_anchor[prefix])
                seen.add(word)
            position = hit.start() + 1
        return live

    def scan(
        self, text: str, starts: list[int], live: list[str] | None = None
    ) -> dict[str, set[int]]:
        """For each key, the indices of lines (``starts``: their offsets) holding its literals.

        ``live``: the literals worth searching, when the caller already asked ``live()``.
        """
        import bisect

        found: dict[str, set[int]] = {}
        if not text:
            return found
        locate = bisect.bisect_right
        find = text.find
        for literal in self.live(text) if live is None else live:
            lines: set[int] = set()
            position = find(literal)
            while position >= 0:
                line = locate(starts, position) - 1
                lines.add(line)
                next_line = starts[line + 1] if line + 1 < len(starts) else len(text)
                position = find(literal, next_line)
            if lines:
                for key in self._keys[literal]:
                    found.setdefault(key, set()).update(lines)
        return found
