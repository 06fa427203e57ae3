"""Find the lines a set of regular expressions could match with one fast literal scan.

Running forty rich regular expressions over a 50,000-line diff costs seconds in Python's
``re``: each tries every alternative at every position. But almost every rule needs a literal
(``app.use(``, ``create_engine``, ``@Entity``) somewhere in any match. ``required_literals``
reads that from the parsed pattern: a set of literals one of which every match contains.
``LiteralScanner`` reports, per rule, the lines that hold one of its literals; only those lines
meet the full pattern. It first checks, on the text's small vocabulary of words, which
literals can occur at all, then finds just those with ``str.find``.

A literal from a case-insensitive part of a pattern is folded (``fold``) and searched in the
folded text, so it is found in any casing the pattern matches (``featureFlag`` for
``(?i)featureflag``). A pattern whose matches need no literal of at least two characters
gets no prefilter: its caller scans the text with the full pattern instead. So does every
pattern when the standard library's regex parser cannot be imported or read.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from sdd.base.paths import user_cache_folder
from sdd.detect.scanner import Literal as Literal
from sdd.detect.scanner import LiteralScanner as LiteralScanner
from sdd.detect.scanner import fold as fold
from sdd.detect.scanner import trie_pattern as trie_pattern


def _regex_parser() -> tuple[Any, Any]:
    """The parser of the re module and its constants: ``re._parser`` since Python 3.11,
    ``sre_parse`` before; (None, None) when neither can be imported (no prefilter then)."""
    for parser, constants in (("re._parser", "re._constants"), ("sre_parse", "sre_constants")):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                return importlib.import_module(parser), importlib.import_module(constants)
        except ImportError:
            continue
    return None, None


_sre_parse, _ops = _regex_parser()
PARSER, CONSTANTS = _sre_parse, _ops  # for other readers of parsed patterns

MIN_LITERAL = 2
_REPEATS = tuple(
    getattr(_ops, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_ops, name)
)
_ATOMIC = getattr(_ops, "ATOMIC_GROUP", None)

Requirement = frozenset[Literal]
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
        char = chr(av)
        return frozenset({char}) if char.isascii() or not ignore_case else None
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
        if ignore_case and not all(char.isascii() for char in chars):
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


def required_literals(pattern: re.Pattern[str]) -> tuple[Literal, ...] | None:
    """Literals one of which every match of ``pattern`` contains; None when there are none."""
    if _sre_parse is None:
        return None
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
        ignore_case = bool(tree.state.flags & re.IGNORECASE)
        requirement = _sequence(tree.data, ignore_case)
    except (re.error, RecursionError, TypeError, AttributeError, ValueError, IndexError):
        return None  # a parser whose shape changed gives no prefilter, never a wrong one
    if not requirement or min(len(text) for text, _ in requirement) < MIN_LITERAL:
        return None
    return tuple(sorted({(fold(text) if case else text, case) for text, case in requirement}))


# --- a small on-disk cache: parsing forty patterns costs more than the rest of a hook run ---
#
# Entries are keyed by pattern and flags, so an edited rule gets a new entry. The file also
# records a fingerprint of the code that computed them (this module's source and the Python
# version, whose regex parser it reads): a cache from another version of sdd or Python is
# ignored and rewritten. An entry of the wrong shape is dropped; a cache that cannot be read
# or written is simply not used. Writes are atomic (``sdd.base.fileio.write_atomic``).

_CACHE_VERSION = 2
_MAX_CACHE_ENTRIES = 4000
_MAX_CACHE_BYTES = 4 * 1024 * 1024
_cache: dict[str, list[list[Any]] | None] | None = None
_cache_dirty = False


def _cache_path() -> Path | None:
    """Where the cache lives, or None without an absolute cache or home folder."""
    folder = user_cache_folder()
    if folder is None:
        return None
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return folder / f"prefilter-{_CACHE_VERSION}-{version}.json"


def _fingerprint() -> str:
    import hashlib

    digest = hashlib.sha256(sys.version.encode("utf-8"))
    try:
        digest.update(Path(__file__).read_bytes())
        digest.update((Path(__file__).parent / "scanner.py").read_bytes())  # fold
    except OSError:  # pragma: no cover - a module without a source file
        from sdd import __version__

        digest.update(__version__.encode("utf-8"))
    return digest.hexdigest()[:32]


def valid_literals(value: object) -> bool:
    """A regex's stored literal list as JSON gives it back: None, or [literal, folded] pairs."""
    return value is None or (
        isinstance(value, list)
        and len(value) > 0
        and all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and len(item[0]) >= MIN_LITERAL
            and isinstance(item[1], bool)
            for item in value
        )
    )


def _load_cache() -> dict[str, list[list[Any]] | None]:
    global _cache
    if _cache is None:
        import json

        document: object = None
        path = _cache_path()
        try:
            if path is not None and path.stat().st_size <= _MAX_CACHE_BYTES:
                document = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            document = None
        entries: object = None
        if isinstance(document, dict) and document.get("fingerprint") == _fingerprint():
            entries = document.get("entries")
        if not isinstance(entries, dict):
            entries = {}
        _cache = {str(key): value for key, value in entries.items() if valid_literals(value)}
    return _cache


def cached_literals(pattern: re.Pattern[str]) -> tuple[Literal, ...] | None:
    """``required_literals`` through the on-disk cache (keyed by the pattern and its flags)."""
    global _cache_dirty
    cache = _load_cache()
    key = f"{pattern.flags}:{pattern.pattern}"
    if key in cache:
        value = cache[key]
        return None if value is None else tuple((text, case) for text, case in value)
    found = required_literals(pattern)
    cache[key] = None if found is None else [[text, case] for text, case in found]
    _cache_dirty = True
    return found


def save_cache() -> None:
    """Write new cache entries; a cache that cannot be written is simply not kept."""
    global _cache_dirty
    path = _cache_path()
    if not _cache_dirty or _cache is None or path is None:
        return
    import json

    from sdd.base.fileio import write_atomic

    entries = dict(list(_cache.items())[-_MAX_CACHE_ENTRIES:])
    document = {"fingerprint": _fingerprint(), "entries": entries}
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(document, ensure_ascii=False))
    _cache_dirty = False
