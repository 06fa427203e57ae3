"""What every manifest reader shares: entries, dependency changes, names and versions.

A reader sees one line at a time with a small state that remembers where the line sits (the
section, the open list, the package a lock file entry describes); context lines feed the state
of both sides, so a changed line knows whether it is in ``devDependencies``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

ADDED = "added"
REMOVED = "removed"
MAJOR = "major"
SWAPPED = "swapped"
LOCK_MAJOR = "lock-major"  # a new major version visible only in a lock file
KINDS = frozenset({ADDED, REMOVED, MAJOR, SWAPPED, LOCK_MAJOR})

# Ecosystems whose 0.x releases break at each minor (Cargo and npm carets, Hex's ~>).
ZERO_MINOR_BREAKS = frozenset({"rust", "node", "elixir"})


@dataclass(frozen=True)
class Entry:
    """One dependency as a changed line states it."""

    name: str
    spec: str
    line: int
    text: str
    path: str
    dev: bool


@dataclass(frozen=True)
class DependencyChange:
    kind: str  # added | removed | major | swapped | lock-major
    name: str
    ecosystem: str
    path: str
    line: int
    text: str
    old: str | None = None
    new: str | None = None

    def describe(self) -> str:
        if self.kind in (MAJOR, LOCK_MAJOR):
            where = " (lock file)" if self.kind == LOCK_MAJOR else ""
            return f"{self.name} {self.old} → {self.new}{where}"
        if self.kind == SWAPPED:
            return f"{self.old} → {self.new}"
        return f"{self.name} {self.kind}"


@dataclass
class State:
    section: str | None = None  # current table/block/package name
    list_key: str | None = None  # key of an open multi-line list (``dependencies = [``)
    heading: str = ""  # the hunk's heading: the section git saw enclosing it


Reading = tuple[str, str, "bool | None"]
# (name, spec, dev?) for a dependency line; dev None means "not known from the section".
LineReader = Callable[[str, State], "Reading | None"]

DEV_WORDS = re.compile(
    r"(?:^|[^a-z])(?:dev|develop|development|test|tests|testing|lint|docs?|typing|ci|check|qa|bench)(?:[^a-z]|$)"
)

_PY_NAME = re.compile(r"[-_.]+")
GO_MAJOR_SUFFIX = re.compile(r"/v(\d+)$")
VERSION_START = re.compile(r"^\s*(?:[\^~<>=!]=?|~=|===)?\s*v?\d")
_CLAUSE = re.compile(r"^(===|==|>=|<=|~=|~>|\^|~|>|<|=)?\s*v?(\d+)((?:\.\d+)*)")


def normalize(name: str, ecosystem: str) -> str:
    name = name.strip().strip("'\"")
    if ecosystem == "python":
        return _PY_NAME.sub("-", name.split("[", 1)[0].strip()).lower()
    if ecosystem == "go":
        return GO_MAJOR_SUFFIX.sub("", name)
    return name.lower()


def _lowest(spec: str) -> tuple[int, str] | None:
    """The major number and the rest (``.7.1``) of the lowest version ``spec`` allows."""
    spec = spec.strip().strip("'\"")
    if not spec:
        return None
    lower: tuple[int, str] | None = None
    upper: tuple[int, str] | None = None
    clauses = re.split(r"[,|\s]+", spec.replace("||", " ").replace("~> ", "~>"))
    for clause in clauses:
        clause = clause.strip()
        if not clause or clause.startswith("!="):
            continue
        match = _CLAUSE.match(clause)
        if match is None:
            continue
        operator, number, rest = match.group(1) or "", int(match.group(2)), match.group(3)
        if operator == "<":
            zeros = all(part in ("", "0") for part in rest.split("."))
            upper = (number - 1 if zeros and number > 0 else number, "")
        elif operator == "<=":
            upper = (number, rest)
        elif lower is None:
            lower = (number, rest)
    return lower if lower is not None else upper


def major_of(spec: str) -> int | None:
    """The major version of the lowest version ``spec`` allows, when it can be told."""
    found = _lowest(spec)
    return found[0] if found else None


def release_line(spec: str, ecosystem: str) -> str | None:
    """The part of a version that breaks compatibility: the major, or ``0.y`` where 0.x minors
    break (Cargo, npm, Hex)."""
    found = _lowest(spec)
    if found is None:
        return None
    major, rest = found
    if major == 0 and ecosystem in ZERO_MINOR_BREAKS:
        minor = rest.split(".")[1:2]
        if minor and minor[0]:
            return f"0.{minor[0]}"
    return str(major)


def image_parts(reference: str) -> tuple[str, str] | None:
    """``registry/library/postgres:17-alpine@sha…`` → (``postgres``, ``17-alpine``)."""
    reference = reference.strip().strip("'\"")
    if not reference or "$" in reference or reference.startswith("--"):
        return None
    reference = reference.split("@", 1)[0]
    name, tag = reference, ""
    slash = reference.rfind("/")
    colon = reference.rfind(":")
    if colon > slash:
        name, tag = reference[:colon], reference[colon + 1 :]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if parts and parts[0] == "library":
        parts = parts[1:]
    if not parts or not parts[-1]:
        return None
    return "/".join(parts).lower(), tag
