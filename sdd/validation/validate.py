"""``sdd validate``: the one project-wide validator.

Each artifact family contributes a checker, listed in ``CHECKERS`` as ``module:function``
and imported only when validation runs. A checker receives the project and the selection of
files to report on, and returns findings; it may read other files for cross-file checks
(unique IDs, coverage), but reports only on selected ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path

from sdd.base.diagnostics import Finding, Report
from sdd.project.project import Project
from sdd.project.selection import Selection

CHECKERS: tuple[str, ...] = (
    "sdd.features.checks:check",
    "sdd.phr.checks:check",
    "sdd.adr.checks:check",
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


def selection_for(project: Project, paths: Iterable[Path], *, staged: bool = False) -> Selection:
    """What ``sdd validate [PATH …] [--staged]`` reports on.

    No path: everything. Paths (files or folders, relative to the working directory) must exist
    inside the project (``UsageError`` otherwise). ``staged``: the files staged in git.
    """
    from sdd.base import gitio
    from sdd.base.errors import UsageError
    from sdd.base.paths import is_within

    given = list(paths)
    if staged:
        if given:
            raise UsageError("give paths or --staged, not both")
        top = gitio.toplevel(project.root)
        if top is None:
            raise UsageError("--staged needs a git repository")
        return Selection.of(top / relative for relative in gitio.staged_paths(top))
    if not given:
        return Selection.everything()
    root = project.root.resolve()
    for path in given:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
        if not is_within(path.resolve(), root):
            raise UsageError(f"{path} is outside the project ({project.root})")
    return Selection.of(given)
