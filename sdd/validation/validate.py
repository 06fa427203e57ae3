"""``sdd validate``: the one project-wide validator.

Each artifact family contributes a checker, listed in ``CHECKERS`` as ``module:function``
and imported only when validation runs. A checker receives the project and the selection of
files to report on, and returns findings; it may read other files for cross-file checks
(unique IDs, coverage), but reports only on selected ones, all in its family's folder
(``CHECKED_FOLDERS``): a selection touching none of that folder needs neither the checker nor
its import (the pre-commit hook validating a PHR alone, ADR 0172).
"""

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sdd.base.diagnostics import Finding, Report
from sdd.project.baseline import Baseline, load_baseline
from sdd.project.project import Project
from sdd.project.selection import Selection

if TYPE_CHECKING:
    from sdd.base.filecache import TreeScan

# Each checker, in the order they run, and the folder it reports on (the ``ProjectPaths``
# field naming it).
CHECKED_FOLDERS = {
    "sdd.features.checks:check": "specs",
    "sdd.phr.checks:check": "prompts",
    "sdd.adr.checks:check": "adr",
}
CHECKERS: tuple[str, ...] = tuple(CHECKED_FOLDERS)
# Checkers that take a per-file result cache (``cache=``), used by whole-project runs.
CACHED_CHECKERS = frozenset({"sdd.features.checks:check", "sdd.phr.checks:check"})


Checker = Callable[[Project, Selection], Iterable[Finding]]


def load_checkers(names: tuple[str, ...] = CHECKERS) -> list[Checker]:
    checkers: list[Checker] = []
    for name in names:
        module_name, _, attribute = name.partition(":")
        checkers.append(getattr(importlib.import_module(module_name), attribute))
    return checkers


class Validation(NamedTuple):
    """A report of the new findings; ``baselined``: how many known ones were left out."""

    report: Report
    baselined: int = 0


def all_findings(
    project: Project, selection: Selection, *, use_cache: bool = False
) -> list[Finding]:
    """Every finding of the selection, baselined or not. ``use_cache``: reuse the findings
    of files unchanged since the last such run (``sdd.validation.cache``)."""
    if use_cache and selection.is_everything:
        from sdd.validation.cache import whole_run

        return whole_run(
            project, lambda trees: _run_checkers(project, selection, use_cache=True, trees=trees)
        )
    return _run_checkers(project, selection, use_cache=use_cache)


def _run_checkers(
    project: Project,
    selection: Selection,
    *,
    use_cache: bool,
    trees: "dict[Path, TreeScan] | None" = None,
) -> list[Finding]:
    findings: list[Finding] = []
    for checker in load_checkers(_checkers_for(project, selection)):
        name = f"{checker.__module__}:{checker.__name__}"
        if use_cache and name in CACHED_CHECKERS:
            from sdd.validation.cache import open_cache

            cache = open_cache(project, name, trees)
            findings.extend(checker(project, selection, cache=cache))  # type: ignore[call-arg]
            cache.save(prune=selection.is_everything)
        else:
            findings.extend(checker(project, selection))
    return findings


def _checkers_for(project: Project, selection: Selection) -> tuple[str, ...]:
    return tuple(
        name
        for name in CHECKERS
        if selection.touches(getattr(project.paths, CHECKED_FOLDERS[name]))
    )


def validate_against(
    project: Project,
    selection: Selection,
    baseline: Baseline | None,
    *,
    strict: bool = False,
    use_cache: bool = False,
) -> Validation:
    """Validate, leaving out what ``baseline`` knows (line texts read under ``project.root``,
    which is what was validated: the work tree or an export of the index)."""
    findings = all_findings(project, selection, use_cache=use_cache)
    if baseline is None:
        return Validation(Report.of(findings, strict=strict))
    fresh, known = baseline.new_findings(set(findings), project.root)
    return Validation(Report.of(fresh, strict=strict), known)


def validate(project: Project, selection: Selection, *, strict: bool = False) -> Report:
    """The new findings: those of the project's baseline (``.sdd/baseline.json``) left out."""
    return validate_against(project, selection, load_baseline(project.root), strict=strict).report


def record_baseline(project: Project) -> tuple[Baseline, Path]:
    """``sdd validate --baseline``: every current finding of the project, written as its
    baseline; the previous baseline is replaced, so fixed findings leave it."""
    from sdd.project.baseline import write_baseline

    findings = all_findings(project, Selection.everything(), use_cache=True)
    baseline = Baseline.of(set(findings), project.root)
    return baseline, write_baseline(project.root, baseline)


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
