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
from typing import Any

_UNUSUAL = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff\n]"
)
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$")
_NESTED_KEY = re.compile(r"( +)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$")
_ITEM = re.compile(r"( *)-(?: +(.*))?$")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`~")
_FLOW_UNSAFE = frozenset("[]{}#:'\"")


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
    if not value:
        return None
    if value[0] in "\"'":
        return _quoted(value)
    if value[0] in _INDICATORS or " #" in value or ": " in value or value.endswith(":"):
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
        elif item[0] in _INDICATORS or any(ch in _FLOW_UNSAFE for ch in item):
            raise _Unsure
        else:
            items.append(None if item in _NULLS else item)
    return items


def _value(raw: str) -> Any:
    value = raw.rstrip(" ")
    if value.startswith("["):
        return _flow_list(value)
    return _scalar(value)


def _next_content(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip(" "):
        index += 1
    return index


def _block(lines: list[str], index: int) -> tuple[Any, int]:
    """The block value (list or mapping) starting at ``index``, and the index after it."""
    start = _next_content(lines, index)
    if start >= len(lines):
        return None, start
    item = _ITEM.match(lines[start])
    if item is not None:
        indent = item.group(1)
        values: list[str | None] = []
        position = start
        while position < len(lines):
            line = lines[position]
            if not line.strip(" "):
                position += 1
                continue
            match = _ITEM.match(line)
            if match is None or match.group(1) != indent:
                if line.startswith(" ") or line.startswith("-"):
                    raise _Unsure
                break
            values.append(_scalar(match.group(2) or ""))
            position += 1
        return values, position
    nested = _NESTED_KEY.match(lines[start])
    if nested is None:
        if lines[start].startswith(" "):
            raise _Unsure
        return None, start
    indent = nested.group(1)
    mapping: dict[str, Any] = {}
    position = start
    while position < len(lines):
        line = lines[position]
        if not line.strip(" "):
            position += 1
            continue
        match = _NESTED_KEY.match(line)
        if match is None or match.group(1) != indent:
            if line.startswith(" ") or line.startswith("-"):
                raise _Unsure
            break
        if match.group(2) in _NULLS:
            raise _Unsure
        raw = match.group(3) or ""
        if not raw.strip(" "):
            after = _next_content(lines, position + 1)
            if after < len(lines) and len(lines[after]) - len(lines[after].lstrip(" ")) > len(
                indent
            ):
                raise _Unsure
        mapping[match.group(2)] = _value(raw)
        position += 1
    return mapping, position


def load_flat(text: str) -> dict[str, Any] | None:
    """The mapping in ``text`` if it lies in the subset (see the module doc), else ``None``."""
    if _UNUSUAL.search(text):
        return None
    lines = text.split("\n")
    result: dict[str, Any] = {}
    index = 0
    try:
        while index < len(lines):
            line = lines[index]
            if not line.strip(" "):
                index += 1
                continue
            match = _KEY.match(line)
            if match is None or match.group(1) in _NULLS:
                return None
            raw = match.group(2) or ""
            if raw.strip(" "):
                result[match.group(1)] = _value(raw)
                index += 1
            else:
                result[match.group(1)], index = _block(lines, index + 1)
    except _Unsure:
        return None
    return result if result else None
