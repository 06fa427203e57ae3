"""The files a command reports on: every artifact of the project, or the paths given."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class Selection:
    """The files a validation run reports on: every artifact, or the given paths."""

    __slots__ = ("_ancestors", "paths")

    def __init__(self, paths: frozenset[Path] | None = None) -> None:
        self.paths = paths
        # Every folder above a selected path: ``touches`` and ``includes`` are set look-ups, so
        # a selection of N paths checked against M folders costs N + M, not N × M (large
        # commits).
        self._ancestors = frozenset(
            {parent for path in paths for parent in path.parents} if paths is not None else ()
        )

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
        return self._covers(path.resolve())

    def _covers(self, resolved: Path) -> bool:
        assert self.paths is not None
        return resolved in self.paths or any(p in self.paths for p in resolved.parents)

    def touches(self, folder: Path) -> bool:
        """Whether any selected path lies in ``folder`` (or contains it)."""
        if self.paths is None:
            return True
        resolved = folder.resolve()
        return resolved in self._ancestors or self._covers(resolved)
