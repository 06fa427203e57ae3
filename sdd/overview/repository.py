"""Every sdd project of a repository at once: ``sdd projects``, ``status --all``,
``validate --all``.

Each project is loaded with its own ``sdd.yaml`` and layout (``sdd.project.discovery``); a
project whose configuration is broken is reported with its CFG001 findings and the others are
still checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sdd.base import gitio
from sdd.base.diagnostics import Finding, Report
from sdd.base.errors import ConfigError
from sdd.overview.status import FeatureStatus, project_status
from sdd.project.config import CONFIG_FILE
from sdd.project.discovery import ProjectEntry, discover_projects, owning_project
from sdd.project.project import Project, load_project

if TYPE_CHECKING:
    from sdd.detect.diff import FileChange
    from sdd.detect.rulepack import RulePack
    from sdd.detect.source import DiffRequest, Source
    from sdd.detect.verdict import Verdict

PROJECTS_SCHEMA = "sdd.projects/1"
STATUS_SCHEMA = "sdd.status/1"  # the document of one project's ``sdd status`` too


def repository_top(start: Path) -> Path:
    """The git top level holding ``start``, else ``start`` itself."""
    return gitio.toplevel(start) or start.resolve()


@dataclass(frozen=True)
class ProjectState:
    """One project of the repository, loaded, or the findings that say why it cannot be."""

    entry: ProjectEntry
    project: Project | None
    problems: tuple[Finding, ...] = ()

    @property
    def name(self) -> str:
        return self.entry.relative or "."


def _config_findings(error: ConfigError) -> tuple[Finding, ...]:
    from sdd.validation.staged import config_findings

    return tuple(config_findings(error, CONFIG_FILE))


def load_projects(top: Path) -> list[ProjectState]:
    states = []
    for entry in discover_projects(top):
        try:
            states.append(ProjectState(entry, load_project(entry.root)))
        except ConfigError as error:
            states.append(ProjectState(entry, None, _config_findings(error)))
    return states


def projects_document(states: list[ProjectState], top: Path) -> dict[str, object]:
    return {
        "schema": PROJECTS_SCHEMA,
        "top": str(top),
        "projects": [
            {**state.entry.as_dict(), "ok": state.project is not None} for state in states
        ],
    }


def validate_all(states: list[ProjectState], *, strict: bool = False) -> Report:
    """Every project validated with its own configuration; findings name their project."""
    from sdd.project.selection import Selection
    from sdd.validation.validate import validate

    findings: list[Finding] = []
    for state in states:
        found = state.problems
        if state.project is not None:
            found = validate(state.project, Selection.everything(), strict=strict).findings
        findings.extend(finding.in_project(state.name) for finding in found)
    return Report.of(findings, strict=strict)


@dataclass(frozen=True)
class RepositoryStatus:
    """``sdd status --all``: every project of the repository with its features' rows (none
    for a project whose configuration is broken)."""

    projects: tuple[tuple[ProjectState, list[FeatureStatus]], ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": STATUS_SCHEMA,
            "projects": [
                {**state.entry.as_dict(), "ok": state.project is not None}
                for state, _ in self.projects
            ],
            "features": [
                {**row.as_dict(), "project": state.name}
                for state, rows in self.projects
                for row in rows
            ],
        }


def status_all(states: list[ProjectState]) -> RepositoryStatus:
    return RepositoryStatus(
        tuple(
            (state, project_status(state.project) if state.project is not None else [])
            for state in states
        )
    )


@dataclass(frozen=True)
class ProjectVerdict:
    """One project's part of a change, judged with its own rules and its own ADRs."""

    state: ProjectState
    verdict: Verdict
    pack: RulePack

    def as_dict(self, *, explain: bool) -> dict[str, object]:
        return {"project": self.state.name, **self.verdict.as_dict(self.pack, explain=explain)}


@dataclass(frozen=True)
class RepositoryVerdict:
    """``sdd adr detect --all``: the verdict of each project the change touches."""

    projects: tuple[ProjectVerdict, ...]
    source: Source

    @property
    def suggest(self) -> bool:
        return any(result.verdict.suggest for result in self.projects)

    def as_dict(self, *, explain: bool) -> dict[str, object]:
        projects = [result.as_dict(explain=explain) for result in self.projects]
        return {
            "schema": "sdd.adr-detect/1",
            "significant": any(result.verdict.significant for result in self.projects),
            "suggest": self.suggest,
            "categories": [
                {**category, "project": project["project"]}
                for project in projects
                for category in project["categories"]  # type: ignore[attr-defined]
            ],
            "projects": projects,
            "source": {"kind": self.source.kind, "label": self.source.label},
        }


def detect_all(
    top: Path, request: DiffRequest, stdin: IO[bytes] | None = None
) -> RepositoryVerdict:
    """``sdd adr detect --all``: the diff read once, each changed path attributed to the
    innermost project holding it, and each project's part judged against that project's
    rules and ADRs. Paths stay relative to the repository's top level, as for a single
    project in a sub-folder (``covers:`` globs are matched with them). Paths in no project
    are left out."""
    import dataclasses

    from sdd.detect.prefilter import save_cache
    from sdd.detect.runner import judge, pack_for
    from sdd.detect.source import open_source

    source = open_source(top, request, stdin).finish()
    states = [state for state in load_projects(top) if state.project is not None]
    entries = [state.entry for state in states]
    parts: dict[str, list[FileChange]] = {}
    for change in source.patch.files:
        entry = owning_project(change.path, entries)
        if entry is not None:
            parts.setdefault(entry.relative, []).append(change)
    results = []
    for state in states:
        files = parts.get(state.entry.relative)
        if not files:
            continue
        patch = dataclasses.replace(source.patch, files=files)
        pack = pack_for(state.project)
        results.append(ProjectVerdict(state, judge(state.project, patch, pack, source), pack))
    save_cache()
    return RepositoryVerdict(tuple(results), source)
