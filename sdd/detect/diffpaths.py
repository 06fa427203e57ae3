"""Paths and subjects as git prints them in a diff's headers: C-quoted paths, the two paths of a
``diff --git`` line, ``a/``/``b/`` prefixes, MIME-encoded mail subjects."""

from __future__ import annotations

_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def unquote_path(text: str) -> str:
    """A path as git prints it: C-quoted (``"a/\\303\\251.py"``) or plain."""
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        return text
    raw = bytearray()
    inner = text[1:-1]
    index = 0
    while index < len(inner):
        char = inner[index]
        if char == "\\" and index + 1 < len(inner):
            nxt = inner[index + 1]
            digits = inner[index + 1 : index + 4]
            if len(digits) == 3 and all(d in "01234567" for d in digits):
                raw.append(int(digits, 8) & 0xFF)
                index += 4
                continue
            if nxt in _ESCAPES:
                raw.append(_ESCAPES[nxt])
                index += 2
                continue
        raw.extend(char.encode("utf-8", "surrogateescape"))
        index += 1
    return raw.decode("utf-8", "replace")


def _strip_prefix(path: str) -> str:
    if len(path) > 2 and path[1] == "/" and path[0] in "abiwco":
        return path[2:]
    return path


def header_path(text: str) -> str | None:
    """The path of a ``---``/``+++`` line's value; None for ``/dev/null``."""
    value = text
    if value.startswith('"'):
        end = _closing_quote(value)
        value = value[: end + 1] if end > 0 else value
    else:
        value = value.split("\t", 1)[0]
    value = value.rstrip("\t")
    if value == "/dev/null":
        return None
    return _strip_prefix(unquote_path(value))


def _closing_quote(text: str) -> int:
    index = 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == '"':
            return index
        index += 1
    return -1


def paths_from_git_line(rest: str) -> tuple[str | None, str | None]:
    """``a/X b/Y`` (either side possibly quoted) → (X, Y); guesses when ambiguous."""
    if rest.startswith('"'):
        end = _closing_quote(rest)
        if end < 0:
            return None, None
        old = unquote_path(rest[: end + 1])
        new_text = rest[end + 1 :].strip()
        new = unquote_path(new_text) if new_text else old
        return _strip_prefix(old), _strip_prefix(new)
    if rest.endswith('"'):
        start = rest.rfind(' "')
        if start > 0:
            return _strip_prefix(rest[:start]), _strip_prefix(unquote_path(rest[start + 1 :]))
    # Unquoted: with no rename both halves are equal, which fixes where they split.
    length = len(rest)
    if length % 2 == 1:
        half = (length - 1) // 2
        old, new = rest[:half], rest[half + 1 :]
        if _strip_prefix(old) == _strip_prefix(new):
            return _strip_prefix(old), _strip_prefix(new)
    parts = rest.split(" b/", 1)
    if len(parts) == 2:
        return _strip_prefix(parts[0]), parts[1]
    return None, None


def decode_subject(value: str) -> str:
    if "=?" not in value:
        return value
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError, UnicodeDecodeError):
        return value
