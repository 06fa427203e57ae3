"""What the checks of a PR checklist read: the changed files and lines, the tree at HEAD, and
the texts (the feature's artifacts, the ADRs) where a decision may already be written down.

Paths are relative to the repository's top level, as in the pull request's diff.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sdd import gitio
from sdd.checkitems import Evidence, printable
from sdd.detect import Signal, code_of
from sdd.diffparse import DELETED, FileChange
from sdd.globs import GlobSet

if TYPE_CHECKING:
    from sdd.prrange import ChangeRange

_EMPTY = GlobSet(())


@dataclass
class Facts:
    change: ChangeRange
    # Texts to search for a justification, by path: the feature's artifacts, then the ADRs.
    texts: dict[str, str] = field(default_factory=dict)
    feature_plan: str | None = None  # path of the feature's plan.md, when it exists

    @property
    def files(self) -> list[FileChange]:
        return self.change.patch.files

    @cached_property
    def considered(self) -> list[FileChange]:
        """Changed files that detection reads (not tests, docs, CI, generated, ignored)."""
        exclude = self.change.pack.exclude
        return [change for change in self.files if not exclude.matches(change.path)]

    @cached_property
    def changed_paths(self) -> frozenset[str]:
        return frozenset(change.path for change in self.files)

    @cached_property
    def tree(self) -> frozenset[str]:
        """Every file at HEAD."""
        return frozenset(map(printable, gitio.tree_paths(self.change.top, self.change.head)))

    def path_set(self, name: str) -> GlobSet:
        return self.change.pack.path_sets.get(name, _EMPTY)

    def signals(self, category: str, rules: Iterable[str] | None = None) -> list[Signal]:
        wanted = set(rules) if rules is not None else None
        for result in self.change.verdict.categories:
            if result.name == category:
                return [s for s in result.signals if wanted is None or s.rule in wanted]
        return []

    def read_at_head(self, paths: list[str]) -> dict[str, str]:
        blobs = gitio.read_blobs(self.change.top, self.change.head, paths)
        return {path: data.decode("utf-8", "replace") for path, data in blobs.items()}

    def mention(self, name: str) -> Evidence | None:
        """The first line of the searched texts that names ``name`` (a word, any case)."""
        pattern = re.compile(rf"(?<![\w@/.-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
        for path, text in self.texts.items():
            found = pattern.search(text)
            if found is not None:
                return Evidence(path, text.count("\n", 0, found.start()) + 1)
        return None


def added_code(change: FileChange) -> list[tuple[int, str]]:
    """(line number, code) of the added lines that hold code once comments are cut."""
    return [
        (number, text)
        for number, text in zip(change.added_numbers, change.added, strict=False)
        if code_of(text).strip()
    ]


def has_effective_change(change: FileChange) -> bool:
    """A file added or deleted, or with a changed line that is neither blank nor a comment."""
    if change.status in ("added", DELETED):
        return True
    return any(code_of(text).strip() for text in (*change.added, *change.removed))
