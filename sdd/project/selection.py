"""The files a command reports on: every artifact of the project, or the paths given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Selection:
    """The files a validation run reports on: every artifact, or the given paths."""

    paths: frozenset[Path] | None = None

    @classmethod
    def everything(cls) -> Selection:
        return cls(None)

    @classmethod
    def of(cls, paths: Iterable[Path]) -> Selection:
        return cls(frozenset(path.resolve() for path in paths))

    @property
    def is_everything(self) -> bool:
        return self.paths is None

    def includes(self, path: Path) -> bool:
        if self.paths is None:
            return True
        resolved = path.resolve()
        return resolved in self.paths or any(p in self.paths for p in resolved.parents)

    def touches(self, folder: Path) -> bool:
        """Whether any selected path lies in ``folder`` (or contains it)."""
        if self.paths is None:
            return True
        resolved = folder.resolve()
        return any(
            p == resolved or resolved in p.parents or p in resolved.parents for p in self.paths
        )
