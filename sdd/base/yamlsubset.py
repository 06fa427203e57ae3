"""A fast reader for the plain YAML that front matter and ``sdd.yaml`` are written in, or ``None``
when unsure.

Headers of Prompt History Records and ADRs, and the configuration ``sdd init`` writes, are
mappings of single-line scalars, flow lists (``labels: [a, "b"]``), empty flow mappings
(``{}``), block lists (``files:`` then ``- path`` lines) and nested mappings one level deep
(``links:``), with comments. libyaml parses such a header in about 100 µs, which alone would
spend most of the budget for validating 10,000 records, and importing PyYAML costs a command
more than 10 ms (compiling its reader's Unicode class); this reader handles the subset in a
few µs without it. It accepts only what it can read with certainty and returns ``None`` for
anything else (multi-line or escaped scalars, anchors, tabs, deeper nesting, unusual
characters), so that the caller falls back to ``yamlio``. For every text it accepts, the
result equals ``yamlio``'s (property tests hold it to that):

* ``load_flat``: as ``yamlio.load_untyped``: scalars stay strings, only null is None;
* ``load_typed``: as ``yamlio.load`` (YAML 1.1 types): plain decimal integers, booleans and
  ``YYYY-MM-DD`` dates are resolved; any other plain scalar that YAML would read as a number,
  timestamp or merge key is declined rather than guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sdd.base.patterns import compiled

# Larger texts are refused by ``yamlio``, which names the limit.
MAX_YAML_BYTES = 1024 * 1024

# Characters YAML does not allow as they are: all but tab and line feed below space, DEL and
# the C1 controls, the line and paragraph separators, surrogates, the byte order mark and the
# two non-characters. A regex class holding any character beyond Latin-1 costs ~1 ms to
# compile (the negated class over all of Unicode ~10 ms), much of a hook's budget, and every
# project's sdd.yaml holds some non-ASCII text: the Latin-1 ones are a class, the others are
# looked for as substrings, and surrogates are what cannot be encoded (ADR 0172).
_UNUSUAL_LATIN1 = "[\x00-\x09\x0b-\x1f\x7f-\x9f]"
_UNUSUAL_WIDE = ("\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff")


def _has_unusual(text: str) -> bool:
    if text.isascii():  # the unusual ASCII characters are the controls but line feed
        return not text.replace("\n", " ").isprintable()
    if compiled(_UNUSUAL_LATIN1).search(text) is not None:
        return True
    if any(character in text for character in _UNUSUAL_WIDE):
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return False


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`~")
_FLOW_UNSAFE = "[][{}#:'\"]"
# YAML 1.1's implicit types (PyYAML's resolver): booleans, and the patterns of plain scalars
# that start like a number and would not stay text.
_BOOLEANS = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
}
_NUMERIC_START = frozenset("-+0123456789.<=")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NOT_TEXT_PATTERN = r"""[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+
    |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
     (?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?
    |<<|="""
# Every character those forms hold: a value with any other one (a feature name such as
# 001-login, which every ADR linked to a feature holds) is text without compiling them (ADR 0172).
_NOT_TEXT_CHARACTERS = frozenset("0123456789-+._:abcdefABCDEFiInNxTtZ \t<=")


@lru_cache(maxsize=1)
def _not_text() -> re.Pattern[str]:
    # Compiled on first use: most headers never hold a value that starts like a number.
    return re.compile(_NOT_TEXT_PATTERN, re.X)


class _Unsure(Exception):
    """The text is outside the subset; let libyaml decide."""


def _quoted(value: str) -> str:
    quote = value[0]
    inner = value[1:-1]
    if len(value) < 2 or value[-1] != quote:
        raise _Unsure
    if quote == '"':
        if '"' in inner or "\\" in inner:
            raise _Unsure
        return inner
    if "'" in inner.replace("''", ""):
        raise _Unsure
    return inner.replace("''", "'")


def _typed(value: str) -> Any:
    """A plain scalar as YAML 1.1 types it, when that is certain."""
    boolean = _BOOLEANS.get(value)
    if boolean is not None:
        return boolean
    if value[0] not in _NUMERIC_START:
        return value
    if _DECIMAL.fullmatch(value) and len(value) < 20:  # longer: maybe more than int() takes
        return int(value)
    if _DATE.fullmatch(value):
        import datetime

        try:
            return datetime.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:  # 2026-02-30: libyaml reports it
            raise _Unsure from None
    if _NOT_TEXT_CHARACTERS.issuperset(value) and _not_text().fullmatch(value):
        raise _Unsure
    return value


def _scalar(raw: str, typed: bool) -> Any:
    value = raw.rstrip(" ")
    return _plain(value, typed) if value else None


def _plain(value: str, typed: bool) -> Any:
    """A scalar that is not empty and ends in no blank."""
    if value[0] in "\"'":
        return _quoted(value)
    if value[0] in _INDICATORS or " #" in value or ": " in value or value[-1] == ":":
        raise _Unsure
    if value in _NULLS:
        return None
    return _typed(value) if typed else value


def _flow_list(value: str, typed: bool) -> list[Any]:
    if not value.endswith("]"):
        raise _Unsure
    inner = value[1:-1].strip(" ")
    if not inner:
        return []
    items: list[Any] = []
    for part in inner.split(","):
        item = part.strip(" ")
        if not item:
            raise _Unsure
        if item[0] in "\"'":
            if item[0] in item[1:-1]:
                raise _Unsure
            items.append(_quoted(item))
        elif item[0] in _INDICATORS or compiled(_FLOW_UNSAFE).search(item):
            raise _Unsure
        elif item in _NULLS:
            items.append(None)
        else:
            items.append(_typed(item) if typed else item)
    return items


def _uncommented(raw: str) -> str:
    """``raw`` without a trailing comment (`` # ...``) and the blanks before it, as YAML
    reads it."""
    if raw[0] == "#":
        return ""
    first = raw[0]
    if first in "\"'[{":
        closing = {"[": "]", "{": "}"}.get(first, first)
        end = raw.find(closing, 1)
        if first == "'":
            while end > 0 and raw[end + 1 : end + 2] == "'":  # '' is an escaped quote
                end = raw.find("'", end + 2)
        if end < 0:
            raise _Unsure
        rest = raw[end + 1 :]
        tail = rest.lstrip(" ")
        if tail and (tail[0] != "#" or tail == rest):
            raise _Unsure
        return raw[: end + 1]
    cut = raw.find(" #")
    return raw if cut < 0 else raw[:cut].rstrip(" ")


def _value(raw: str, typed: bool) -> Any:
    """A value after ``key: ``: the rest of a line that ends in no blank, never empty."""
    first = raw[0]
    if first == "[":
        return _flow_list(raw, typed)
    if first == "{":
        if raw[-1] != "}" or raw[1:-1].strip(" "):
            raise _Unsure
        return {}
    return _plain(raw, typed)


# One line of the subset: ``- item``, ``key: value`` or ``key:`` (indented or not), else
# anything (``rest``), which may only be blank or a comment. Matched line by line over the
# whole text in one ``findall``; a value keeps the blanks at its line's end, which the
# reader strips (a pattern stripping them would backtrack on every run of blanks).
_LINES = re.compile(
    r"^( *)(?:(-)(?: +(.*))?|([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?|(.*))$", re.MULTILINE
)


def _load(text: str, typed: bool) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The mapping in ``text`` and the 0-based line of each top-level key, if in the subset."""
    if _has_unusual(text):
        return None
    result: dict[str, Any] = {}
    lines: dict[str, int] = {}
    key: str | None = None  # the top-level key whose block value is being read
    block: Any = None  # its list or mapping, once the first entry showed which
    indent = ""
    try:
        for spaces, dash, item, name, raw, rest in _LINES.findall(text):
            if dash:  # "- item" of a block list
                if key is None or (
                    block is not None and (not isinstance(block, list) or spaces != indent)
                ):
                    return None
                if block is None:
                    block, indent = [], spaces
                    result[key] = block
                if "#" in item:
                    item = _uncommented(item.rstrip(" "))
                block.append(_scalar(item, typed))
                continue
            if not name:
                if rest[:1] == "#" or not rest.strip(" "):
                    continue  # a blank line or a comment
                return None
            if name in _NULLS or (typed and name in _BOOLEANS):
                return None
            if raw[-1:] == " ":
                raw = raw.rstrip(" ")
            if "#" in raw:
                raw = _uncommented(raw)
            if not spaces:  # a top-level key
                if key is not None and block is None:
                    result[key] = None
                key, block = None, None
                if raw:
                    result[name] = _value(raw, typed)
                else:
                    key = name
                continue
            # "  key: value" of the nested mapping
            if (
                key is None
                or not raw
                or (block is not None and (not isinstance(block, dict) or spaces != indent))
            ):
                return None
            if block is None:
                block, indent = {}, spaces
                result[key] = block
            block[name] = _value(raw, typed)
    except _Unsure:
        return None
    if key is not None and block is None:
        result[key] = None
    if not result:
        return None
    if typed:  # every line starting with a letter is a top-level key now: the text is plain
        for number, line in enumerate(text.split("\n")):
            if line[:1].isalpha() or line[:1] == "_":
                lines[line.partition(":")[0]] = number
    return result, lines


def load_flat(text: str) -> dict[str, Any] | None:
    """The mapping in ``text`` as ``yamlio.load_untyped`` reads it, if it lies in the subset
    (see the module doc), else ``None``."""
    loaded = _load(text, typed=False)
    return None if loaded is None else loaded[0]


def load_typed(text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The mapping in ``text`` as ``yamlio.load`` reads it and the 0-based line of each
    top-level key, if it lies in the subset (see the module doc), else ``None``."""
    return _load(text, typed=True)
