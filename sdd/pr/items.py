"""The pieces a PR checklist is made of: items with a state, grouped in sections.

An item is one line of the checklist. Its ``state`` says who settled it:

* ``pass`` / ``fail``: a fact sdd checked in the repository (✔ / ✘);
* ``review``: only a person can judge it; the line names the files and lines that raised it
  (an unchecked box);
* ``info``: a fact worth knowing that is neither good nor bad.

``text`` and ``details`` are Markdown (paths and code in code spans), one line each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PASS = "pass"
FAIL = "fail"
REVIEW = "review"
INFO = "info"
STATES = (PASS, FAIL, REVIEW, INFO)
MAX_DETAILS = 12
MAX_CODE_CHARS = 100

_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class Item:
    id: str
    state: str
    text: str
    details: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "state": self.state,
            "text": self.text,
            "details": list(self.details),
        }


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...] = ()
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "note": self.note,
            "items": [item.as_dict() for item in self.items],
        }


@dataclass(frozen=True)
class Evidence:
    """A line of the repository that made an item appear."""

    path: str
    line: int
    text: str = ""

    def markdown(self) -> str:
        where = code(f"{self.path}:{self.line}")
        return f"{where} {code(self.text)}" if self.text.strip() else where


def code(text: str) -> str:
    """``text`` as one Markdown code span (on one line, cut, fenced by enough backticks)."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    if len(flat) > MAX_CODE_CHARS:
        flat = flat[: MAX_CODE_CHARS - 1] + "…"
    longest = max((len(run) for run in _BACKTICKS.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {flat} " if flat.startswith("`") or flat.endswith("`") else flat
    return f"{fence}{padded}{fence}"


def printable(text: str) -> str:
    """``text`` as valid Unicode: the bytes of a file or branch name that are not UTF-8 (which
    git's ``-z`` output and the file system keep as lone surrogates) become U+FFFD, as the
    diff shows them."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def one_line(text: str) -> str:
    """Free text from the repository (a title, a task) on one line."""
    return " ".join(text.split())


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def listed(names: Sequence[str], *, limit: int = 6) -> str:
    """``a``, ``b`` and ``c`` (already formatted names), shortened after ``limit``."""
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} more")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def capped(lines: Iterable[str], limit: int = MAX_DETAILS) -> tuple[str, ...]:
    """At most ``limit`` detail lines, the last one saying how many were left out."""
    found = list(lines)
    if len(found) <= limit:
        return tuple(found)
    return (*found[: limit - 1], f"… and {len(found) - limit + 1} more")
