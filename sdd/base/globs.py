"""Path globs as ``covers:`` lists and detection rules write them, compiled once to one regex.

Grammar (paths are relative to the repository root, with ``/``):

* ``*`` any characters but ``/``; ``?`` one character but ``/``; ``[abc]``/``[!abc]`` a class;
  ``{a,b}`` either alternative (not nested).
* ``**`` as a whole segment matches any number of folders (``a/**/b``, ``**/x``, ``x/**``).
* A pattern without ``/`` matches the file name at any depth (``*.py``, ``Dockerfile*``); a
  pattern ending in ``/`` matches everything below a folder of that name at any depth
  (``migrations/``); any other pattern is anchored at the root (a leading ``/`` is dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sdd.base.errors import UsageError
from sdd.base.patterns import compiled


def _translate_segment_chars(glob: str) -> str:
    out: list[str] = []
    index = 0
    length = len(glob)
    while index < length:
        char = glob[index]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            first = index + 2 if glob[index + 1 : index + 2] in ("!", "^") else index + 1
            end = glob.find("]", first + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                inner = glob[index + 1 : end]
                negate = inner[:1] in ("!", "^")
                if negate:
                    inner = inner[1:]
                inner = inner.replace("\\", "\\\\").replace("[", "\\[")
                out.append(f"[{'^/' if negate else ''}{inner}]")
                index = end
        elif char == "{":
            end = glob.find("}", index)
            if end == -1:
                out.append(re.escape(char))
            else:
                options = glob[index + 1 : end].split(",")
                out.append("(?:" + "|".join(_translate_segment_chars(o) for o in options) + ")")
                index = end
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def translate(glob: str) -> str:
    """The regular expression (to be full-matched) equivalent to one glob."""
    pattern = glob.strip().replace("\\", "/")
    if not pattern:
        raise UsageError("empty glob")
    if pattern.endswith("/"):
        return "(?:.*/)?" + _translate_path(pattern.strip("/")) + "/.*"
    pattern = pattern.lstrip("/")
    if "/" not in pattern:
        return "(?:.*/)?" + _translate_path(pattern)
    return _translate_path(pattern)


def _translate_path(pattern: str) -> str:
    segments = pattern.split("/")
    out = ""
    last = len(segments) - 1
    for position, segment in enumerate(segments):
        if segment == "**":
            if position == last:
                out += ".*"
            else:
                out += "(?:.*/)?"
            continue
        out += _translate_segment_chars(segment)
        if position != last:
            out += "/"
    return out


class GlobSet:
    """Several globs compiled into two regular expressions: one for file names, one for paths.

    Patterns without ``/`` only ever look at the file name, which is cheaper to match.
    """

    __slots__ = ("_names", "_paths", "patterns")

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(p.strip() for p in patterns if p.strip())
        names = [_translate_path(p) for p in self.patterns if "/" not in p.replace("\\", "/")]
        paths = [translate(p) for p in self.patterns if "/" in p.replace("\\", "/")]
        self._names = _compile(names)
        self._paths = _compile(paths)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, path: str) -> bool:
        if self._names is not None and self._names.fullmatch(path.rpartition("/")[2]):
            return True
        return self._paths is not None and self._paths.fullmatch(path) is not None

    def matching(self, paths: Sequence[str]) -> set[int]:
        """Indices of the ``paths`` that match."""
        if not self.patterns:
            return set()
        return {index for index, path in enumerate(paths) if self.matches(path)}


def _compile(expressions: list[str]) -> re.Pattern[str] | None:
    joined = "|".join(f"(?:{expression})" for expression in expressions)
    return re.compile(joined, re.DOTALL) if joined else None


def check_glob(glob: str) -> str | None:
    """Why ``glob`` cannot be used, or None when it is fine."""
    if not isinstance(glob, str) or not glob.strip():
        return "a glob must be a non-empty string"
    try:
        re.compile(translate(glob))
    except (re.error, UsageError) as exc:
        return f"invalid glob {glob!r}: {exc}"
    return None


_SPECIAL = r"([*?\[\]{}])"


def escape(path: str) -> str:
    """A glob matching exactly ``path`` (its glob characters enclosed in classes)."""
    return compiled(_SPECIAL).sub(r"[\1]", path)
