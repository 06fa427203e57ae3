"""File roles: where each stack keeps its decisions, recognised once for every rule.

The rule pack's ``roles:`` maps a role (migration, route table, security configuration …) to
the globs each ecosystem uses for it. Every role is also a path set, ``@role:<name>``, so any
rule can read "the migrations of every stack" without repeating them; manifests and lock files
are roles too, told by the pack's ``manifests:``. ``--explain`` names the role and ecosystem a
signal's file has. Adding a stack is a few globs here and fixtures in the tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sdd.base.globs import GlobSet

MANIFEST = "manifest"
LOCK_FILE = "lock file"


@dataclass(frozen=True)
class FileRole:
    role: str
    ecosystem: str

    def describe(self) -> str:
        return f"{self.role}, {self.ecosystem}" if self.ecosystem else self.role


@dataclass
class FileRoles:
    """The roles of the pack: (role, ecosystem, globs) in the order the pack lists them.

    Their globs compile on the first question (``--explain``): a run that never asks pays
    nothing for the stacks it does not use."""

    entries: Sequence[tuple[str, str, Sequence[str] | GlobSet]] = ()
    _compiled: list[tuple[str, str, GlobSet]] | None = field(default=None, repr=False)
    _cache: dict[str, tuple[FileRole, ...]] = field(default_factory=dict, repr=False)

    def of(self, path: str) -> tuple[FileRole, ...]:
        found = self._cache.get(path)
        if found is None:
            if self._compiled is None:
                self._compiled = [
                    (role, ecosystem, globs if isinstance(globs, GlobSet) else GlobSet(globs))
                    for role, ecosystem, globs in self.entries
                ]
            found = tuple(
                FileRole(role, ecosystem)
                for role, ecosystem, globs in self._compiled
                if globs.matches(path)
            )
            self._cache[path] = found
        return found

    def describe(self, path: str) -> str:
        """``migration, python`` (the first role the file has), or "" for none."""
        found = self.of(path)
        return found[0].describe() if found else ""


def role_sets(data: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, list[str]]:
    """``role:<name>`` path sets: each role's globs over every ecosystem."""
    return {
        f"role:{role}": [str(g) for globs in by_ecosystem.values() for g in globs]
        for role, by_ecosystem in data.items()
    }


def file_roles(
    data: Mapping[str, Mapping[str, Sequence[str]]],
    manifests: Sequence[tuple[Sequence[str] | GlobSet, str, str, bool]],
) -> FileRoles:
    """The pack's roles, manifests and lock files (globs, format, ecosystem, lock?) first."""
    entries: list[tuple[str, str, Sequence[str] | GlobSet]] = [
        (LOCK_FILE if lock else MANIFEST, ecosystem, globs)
        for globs, _fmt, ecosystem, lock in manifests
    ]
    for role, by_ecosystem in data.items():
        for ecosystem, globs in by_ecosystem.items():
            entries.append((role, ecosystem, [str(g) for g in globs]))
    return FileRoles(entries)
