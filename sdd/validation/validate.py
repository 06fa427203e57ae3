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
    from sdd.base.errors import RefusedError, UsageError
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
        require_project(project)
        return Selection.everything()
    root = project.root.resolve()
    for path in given:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
        if not is_within(path.resolve(), root):
            raise UsageError(f"{path} is outside the project ({project.root})")
        if path.is_file() and not is_checked(project, path):
            raise RefusedError(
                f"{path} is not a file sdd validates: give a feature's spec.md, plan.md or "
                f"tasks.md under {project.rel(project.paths.specs)}/, a record under "
                f"{project.rel(project.paths.prompts)}/ or an ADR in "
                f"{project.rel(project.paths.adr)}/"
            )
    return Selection.of(given)


def require_project(project: Project) -> None:
    """Refuse (``UsageError``) to validate a folder that holds no sdd project: no ``sdd.yaml``,
    no kit's layout and none of the artifact folders, where "no problems" would mean nothing."""
    from sdd.base.errors import UsageError

    if project.config_path is not None or project.layout.markers:
        return
    paths = project.paths
    if any(folder.is_dir() for folder in (paths.specs, paths.prompts, paths.adr)):
        return
    raise UsageError(
        f"{project.root} is not an sdd project: no sdd.yaml, no spec-kit, Spec-Kit Plus or "
        "adr-tools layout, and no specs/, history/prompts/ or adr/ folder; run 'sdd init' "
        "or give --project"
    )


def is_checked(project: Project, path: Path) -> bool:
    """Whether a file is one a checker reports on: an artifact of a feature folder (or a
    Markdown file loose in the specs folder, which may be a template never filled in), any
    file under the prompts folder, an ADR file in the ADR folder."""
    from sdd.adr.record import ADR_FILE, DATED_ADR_FILE
    from sdd.base.paths import is_within
    from sdd.features.folders import ARTIFACTS

    resolved = path.resolve()
    paths = project.paths
    specs = paths.specs.resolve()
    if is_within(resolved, specs) and resolved != paths.constitution.resolve():
        parts = resolved.relative_to(specs).parts
        return (len(parts) == 1 and resolved.suffix == ".md") or (
            len(parts) == 2 and parts[1] in ARTIFACTS
        )
    if is_within(resolved, paths.prompts.resolve()):
        return True
    if resolved.parent == paths.adr.resolve():
        return bool(ADR_FILE.match(resolved.name) or DATED_ADR_FILE.match(resolved.name))
    return False
