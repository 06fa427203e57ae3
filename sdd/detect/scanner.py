"""Which lines of a text hold which literals: one pass for hundreds of them.

The literals come from ``sdd.detect.prefilter`` (what every match of a rule's expression must
contain). ``fold`` gives the one casing case-insensitive literals are searched in;
``LiteralScanner`` reports, per rule, the lines that hold one of its literals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

Literal = tuple[str, bool]  # (text, ignore case); the text of a case-insensitive one is folded

# Characters that ``re`` with IGNORECASE takes for an ASCII letter although ``str.lower`` does
# not give that letter (U+0130 also lower-cases to two characters).
_FOLD_TO_ASCII = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}


def fold(text: str) -> str:
    """``text`` in the one casing case-insensitive literals are searched in.

    One character for one character, so offsets in the folded text are offsets in ``text``. A
    case-insensitive ASCII literal occurs in ``fold(text)`` wherever ``re`` with IGNORECASE
    matches it in ``text``.
    """
    if not text.isascii():
        for char, ascii_char in _FOLD_TO_ASCII.items():
            if char in text:
                text = text.replace(char, ascii_char)
    return text.lower()


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


# Every ASCII digit as 0 (one character for one): numbers make most of a large diff's distinct
# words (``item_4711``, ``0x1f3a``), and no anchor needs to tell digits apart to be ruled out.
_DIGITS = str.maketrans("123456789", "000000000")


def _key(text: str) -> str:
    """How the vocabulary spells ``text``: folded, every ASCII digit 0."""
    return fold(text).translate(_DIGITS)


class LiteralScanner:
    """Which keys (rules) have one of their literals on which lines of a text.

    Scanning a large text for hundreds of literals is done in two steps. The distinct
    whitespace-separated chunks of the text, folded and with every digit as 0, are collected
    once into a small vocabulary; a literal can only occur if the longest identifier run in it
    (its anchor) is part of some chunk, and, when it holds no whitespace, if it is part of one
    itself. A small vocabulary is searched with ``in``; a large one with one trie expression of
    every anchor, compiled only then. Only the literals found possible are then searched in the
    text with ``str.find``: the case-insensitive ones in the folded text.
    """

    # Up to this many characters of vocabulary times anchors, ``in`` beats compiling the trie.
    DIRECT_WORK = 20_000_000
    # Up to this size, each possible literal is also looked for in the vocabulary.
    LITERAL_CHECK = 1_000_000

    def __init__(self, literals_by_key: Mapping[str, Iterable[Literal]]) -> None:
        self._keys: dict[Literal, set[str]] = {}
        for key, literals in literals_by_key.items():
            for literal in literals:
                self._keys.setdefault(literal, set()).add(key)
        self._by_anchor: dict[str, list[Literal]] = {}
        self._always: list[Literal] = []
        for literal in self._keys:
            anchor = _anchor(literal[0])
            if anchor is None:
                self._always.append(literal)
            else:
                self._by_anchor.setdefault(_key(anchor), []).append(literal)
        self._trie: re.Pattern[str] | None = None

    def _anchors(self) -> re.Pattern[str]:
        if self._trie is None:
            self._trie = re.compile(trie_pattern(self._by_anchor))
        return self._trie

    def live(self, text: str) -> list[Literal]:
        """The literals that may occur in ``text`` (a superset of those that do)."""
        # Whitespace-separated chunks: an anchor has no whitespace, so it lies within one.
        # Lines that differ only in their numbers are common in large diffs: each is split once.
        lines = set(text.translate(_DIGITS).split("\n"))
        chunks = " ".join(set(" ".join(lines).split()))
        vocabulary = fold(chunks)
        live = list(self._always)
        if len(vocabulary) * len(self._by_anchor) > self.DIRECT_WORK and self._by_anchor:
            live.extend(self._search(vocabulary))
        else:
            for anchor, literals in self._by_anchor.items():
                if anchor in vocabulary:
                    live.extend(literals)
        if len(vocabulary) > self.LITERAL_CHECK:
            return live
        # Each whitespace-free piece of a literal lies within one chunk; a case-sensitive one
        # is looked for in the chunks as written.
        return [
            literal
            for literal in live
            if all(
                piece in (vocabulary if literal[1] else chunks)
                for piece in (
                    _key(literal[0]) if literal[1] else literal[0].translate(_DIGITS)
                ).split()
            )
        ]

    def _search(self, vocabulary: str) -> list[Literal]:
        """The literals whose anchor the trie finds in a large vocabulary."""
        live: list[Literal] = []
        search = self._anchors().search
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

    def scan(self, text: str) -> dict[str, set[int]]:
        """For each key, the indices of the lines of ``text`` (split at ``\\n``) holding one of
        its literals."""
        found: dict[str, set[int]] = {}
        if not text:
            return found
        folded: str | None = None
        hits: list[tuple[int, Literal]] = []
        for literal in self.live(text):
            searched, ignore_case = literal
            if ignore_case:
                if folded is None:
                    folded = fold(text)
                haystack = folded
            else:
                haystack = text
            find = haystack.find
            position = find(searched)
            while position >= 0:
                hits.append((position, literal))
                following = find("\n", position)
                if following < 0:
                    break
                position = find(searched, following + 1)
        # In the order of the text, so that line breaks are counted once for every hit.
        hits.sort()
        count = text.count
        line = counted_to = 0
        for position, literal in hits:
            line += count("\n", counted_to, position)
            counted_to = position
            for key in self._keys[literal]:
                found.setdefault(key, set()).add(line)
        return found
