"""A fast reader for the flat YAML that record front matter is written in, or ``None`` when unsure.

Front matter of Prompt History Records is a flat mapping of single-line scalars, flow lists
(``labels: [a, "b"]``), block lists (``files:`` then ``- path`` lines) and one nested mapping
(``links:``). libyaml parses such a header in about 100 µs, which alone would spend most of the
budget for validating 10,000 records; this reader handles the subset in a few µs. It accepts only
what it can read with certainty and returns ``None`` for anything else (comments, multi-line or
escaped scalars, anchors, tabs, unusual characters), so that the caller falls back to
``yamlio.load_untyped``. For every text it accepts, the result equals ``load_untyped``'s (a
property test holds it to that): scalars stay strings, and only ``null``/``~``/empty are None.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Characters YAML does not allow as they are. The full class takes ~10 ms to compile, much of
# a hook's budget: ASCII text (most front matter) is checked with the ASCII part of it alone.
_UNUSUAL_PATTERN = (
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff\n]"
)
_UNUSUAL_ASCII = re.compile("[^\x20-\x7e\n]")


@lru_cache(maxsize=1)
def _unusual() -> re.Pattern[str]:
    return re.compile(_UNUSUAL_PATTERN)


def _has_unusual(text: str) -> bool:
    return bool((_UNUSUAL_ASCII if text.isascii() else _unusual()).search(text))


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`~")
_FLOW_UNSAFE = re.compile("[][{}#:'\"]")


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


def _scalar(raw: str) -> str | None:
    value = raw.rstrip(" ")
    return _plain(value) if value else None


def _plain(value: str) -> str | None:
    """A scalar that is not empty and ends in no blank."""
    if value[0] in "\"'":
        return _quoted(value)
    if value[0] in _INDICATORS or " #" in value or ": " in value or value[-1] == ":":
        raise _Unsure
    return None if value in _NULLS else value


def _flow_list(value: str) -> list[str | None]:
    if not value.endswith("]"):
        raise _Unsure
    inner = value[1:-1].strip(" ")
    if not inner:
        return []
    items: list[str | None] = []
    for part in inner.split(","):
        item = part.strip(" ")
        if not item:
            raise _Unsure
        if item[0] in "\"'":
            if item[0] in item[1:-1]:
                raise _Unsure
            items.append(_quoted(item))
        elif item[0] in _INDICATORS or _FLOW_UNSAFE.search(item):
            raise _Unsure
        else:
            items.append(None if item in _NULLS else item)
    return items


def _value(raw: str) -> Any:
    """A value after ``key: ``: the rest of a line that ends in no blank, never empty."""
    return _flow_list(raw) if raw[0] == "[" else _plain(raw)


_LINE = re.compile(r"( *)(?:(-)(?: +(.*))?|([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?)")


def load_flat(text: str) -> dict[str, Any] | None:
    """The mapping in ``text`` if it lies in the subset (see the module doc), else ``None``."""
    if _has_unusual(text):
        return None
    result: dict[str, Any] = {}
    key: str | None = None  # the top-level key whose block value is being read
    block: Any = None  # its list or mapping, once the first entry showed which
    indent = ""
    try:
        for line in text.split("\n"):
            if not line or line.isspace():
                continue
            match = _LINE.fullmatch(line.rstrip(" "))
            if match is None:
                return None
            spaces, dash, item, name, raw = match.groups()
            if dash is not None:  # "- item" of a block list
                if key is None or (
                    block is not None and (not isinstance(block, list) or spaces != indent)
                ):
                    return None
                if block is None:
                    block, indent = [], spaces
                    result[key] = block
                block.append(_scalar(item or ""))
                continue
            if name in _NULLS:
                return None
            if not spaces:  # a top-level key
                if key is not None and block is None:
                    result[key] = None
                key, block = None, None
                if raw:
                    result[name] = _value(raw)
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
            block[name] = _value(raw)
    except _Unsure:
        return None
    if key is not None and block is None:
        result[key] = None
    return result if result else None
