"""``sdd validate``: the one project-wide validator.

Each artifact family contributes a checker, listed in ``CHECKERS`` as ``module:function``
and imported only when validation runs. A checker receives the project and the selection of
files to report on, and returns findings; it may read other files for cross-file checks
(unique IDs, coverage), but reports only on selected ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sdd.diagnostics import Finding, Report
from sdd.project import Project

CHECKERS: tuple[str, ...] = ("sdd.adrchecks:check",)


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


Checker = Callable[[Project, Selection], Iterable[Finding]]


def load_checkers(names: tuple[str, ...] = CHECKERS) -> list[Checker]:
    checkers: list[Checker] = []
    for name in names:
        module_name, _, attribute = name.partition(":")
        checkers.append(getattr(importlib.import_module(module_name), attribute))
    return checkers


def validate(project: Project, selection: Selection, *, strict: bool = False) -> Report:
    findings: list[Finding] = []
    for checker in load_checkers():
        findings.extend(checker(project, selection))
    return Report.of(findings, strict=strict)
