"""Validation of the artifacts a commit is about to record: the staged content, not the files.

The pre-commit hook must judge what will be committed. When every file under the artifact
folders (and ``sdd.yaml`` and the layout markers) is the same in the working tree as in the
index, the checkers run on the working tree as it is. Otherwise the index's copy of those
folders is exported into a temporary folder (``git checkout-index``) and validated there, so
that a file staged broken and then fixed without ``git add`` still blocks, and one staged good
and then broken does not. Cross-file checks (unique IDs, feature folders that must exist) see
the staged state of all artifacts either way. ADR-0041 records the choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from sdd.base import gitio
from sdd.base.diagnostics import Finding, Report
from sdd.base.errors import ConfigError
from sdd.project.artifacts import (
    ARTIFACT_SUFFIX,
    artifact_scope,
    is_artifact,
    layout_files,
    under,
)
from sdd.project.config import CONFIG_FILE
from sdd.project.project import Project, load_project

CONFIG_CODE = "CFG001"


class StagedValidation(NamedTuple):
    """``checked``: project-relative paths validated. ``snapshot``: they were read from an
    export of the index, because the working tree differed from it. ``project``: the project
    as validated (its root may be that export, deleted since), or None when ``sdd.yaml`` is
    broken; ``work_tree`` is the top level that root was relative to."""

    report: Report
    checked: tuple[str, ...] = ()
    snapshot: bool = False
    project: Project | None = None
    work_tree: Path | None = None

    @property
    def ok(self) -> bool:
        return self.report.ok


def config_findings(error: ConfigError, shown: str) -> list[Finding]:
    """One CFG001 error per problem of a broken ``sdd.yaml``, worded as ``sdd`` prints them."""
    return [
        Finding(
            shown,
            problem.line or 1,
            "error",
            CONFIG_CODE,
            f"{problem.field}: {problem.message}" if problem.field else problem.message,
        )
        for problem in error.problems
    ]


def _within(paths: Iterable[str], prefix: str) -> list[str]:
    """Top-relative ``paths`` inside the project folder ``prefix``, made project-relative."""
    return [path[len(prefix) :] for path in paths if path.startswith(prefix)]


def _load(root: Path) -> tuple[Project | None, list[Finding]]:
    try:
        return load_project(root), []
    except ConfigError as error:
        return None, config_findings(error, CONFIG_FILE)


def _check(project: Project, relatives: Sequence[str], baseline_root: Path) -> Report:
    """The new findings of ``relatives``; the baseline is the work tree's (``baseline_root``),
    as an export of the index holds only the artifact folders."""
    from sdd.project.baseline import load_baseline
    from sdd.project.selection import Selection
    from sdd.validation.validate import validate_against

    selection = Selection.of(project.root / relative for relative in relatives)
    return validate_against(project, selection, load_baseline(baseline_root)).report


def validate_files(root: Path, relatives: Sequence[str]) -> StagedValidation:
    """Validate, in place, the artifacts among ``relatives`` (paths relative to ``root``).

    For callers whose working tree is what gets committed (pre-commit, the framework, stashes
    unstaged changes first). A broken ``sdd.yaml`` gives CFG001 errors whether or not it is
    among ``relatives``: nothing can be validated without it.
    """
    project, findings = _load(root)
    if project is None:
        return StagedValidation(Report.of(findings), (CONFIG_FILE,))
    return _validate(project, root, sorted(set(relatives)), False, snapshot=False)


def validate_staged(
    top: Path, project_rel: str = "", *, staged: Sequence[str] | None = None
) -> StagedValidation:
    """Validate, as staged, the staged artifacts of the project at ``top/project_rel``.

    ``staged``: the top-relative paths of ``gitio.staged_paths`` when the caller has them.
    """
    prefix = "" if project_rel in ("", ".") else project_rel.strip("/") + "/"
    root = top / prefix if prefix else top
    staged = _within(gitio.staged_paths(top) if staged is None else staged, prefix)
    config_staged = CONFIG_FILE in staged
    candidates = sorted(path for path in staged if path.endswith(ARTIFACT_SUFFIX))
    if not candidates and not config_staged:
        return StagedValidation(Report.of([]))

    differs = _within(gitio.unstaged_paths(top, [prefix or "."]), prefix)
    if CONFIG_FILE not in differs:
        project, findings = _load(root)
        if project is None:
            return StagedValidation(Report.of(findings), (CONFIG_FILE,))
        scope = artifact_scope(project)
        watched = (*scope, *layout_files())
        if not any(under(path, item) for path in differs for item in watched):
            return _validate(project, top, candidates, config_staged, snapshot=False)
    return _validate_snapshot(top, prefix, candidates, config_staged)


def is_sdd_project(project: Project) -> bool:
    """A ``sdd.yaml`` or a kit's layout is there (a shared ``core.hooksPath`` folder also
    runs the hooks in repositories that have neither: those are left alone)."""
    return project.config_path is not None or bool(project.layout.markers)


def _validate(
    project: Project,
    top: Path,
    candidates: list[str],
    config_staged: bool,
    *,
    snapshot: bool,
    baseline_root: Path | None = None,
) -> StagedValidation:
    if not is_sdd_project(project):
        return StagedValidation(Report.of([]), (), snapshot, project, top)
    scope = artifact_scope(project)
    artifacts = tuple(path for path in candidates if is_artifact(path, scope))
    report = (
        _check(project, artifacts, baseline_root or project.root) if artifacts else Report.of([])
    )
    checked = ((CONFIG_FILE,) if config_staged else ()) + artifacts
    return StagedValidation(report, checked, snapshot, project, top)


def _real_paths(message: str, snapshot_root: Path, root: Path) -> str:
    """A checker's message with the export's paths turned back into the project's."""
    for shown in {str(snapshot_root.resolve()), str(snapshot_root)}:
        message = message.replace(shown, str(root))
    return message


def _validate_snapshot(
    top: Path, prefix: str, candidates: list[str], config_staged: bool
) -> StagedValidation:
    """Export the index's copy of the layout files and artifact folders, validate there."""
    import shutil  # here: the common case, a tree that matches the index, needs neither
    import tempfile

    export = Path(tempfile.mkdtemp(prefix="sdd-staged-"))
    root = top / prefix if prefix else top
    try:
        snapshot_root = export / prefix if prefix else export
        layout = gitio.index_paths(top, [prefix + name for name in layout_files()])
        gitio.export_index(top, layout, export)
        snapshot_root.mkdir(parents=True, exist_ok=True)
        untracked_config = root / CONFIG_FILE
        if prefix + CONFIG_FILE not in layout and untracked_config.is_file():
            shutil.copyfile(untracked_config, snapshot_root / CONFIG_FILE)
        project, findings = _load(snapshot_root)
        if project is None:
            return StagedValidation(Report.of(findings), (CONFIG_FILE,), True)
        scope = artifact_scope(project)
        exported = set(layout)
        artifacts = gitio.index_paths(top, [prefix + item for item in scope])
        gitio.export_index(top, [path for path in artifacts if path not in exported], export)
        result = _validate(
            project, export, candidates, config_staged, snapshot=True, baseline_root=root
        )
        findings = [
            Finding(f.path, f.line, f.severity, f.code, _real_paths(f.message, snapshot_root, root))
            for f in result.report.findings
        ]
        return StagedValidation(Report.of(findings), result.checked, True, project, export)
    finally:
        shutil.rmtree(export, ignore_errors=True)
