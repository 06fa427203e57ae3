"""What ``sdd status`` and ``sdd show`` report: per feature, its artifacts and their progress.

One pass per feature folder (``sdd.features.checks.analyse_feature``) gives the task counts,
open clarification markers, requirements and validation findings; ``linked_records`` adds
the PHRs and ADRs that name the feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sdd.base.diagnostics import Finding
from sdd.features.folders import ARTIFACTS, list_features, resolve_feature
from sdd.project.project import Project

if TYPE_CHECKING:
    from pathlib import Path

    # The feature checks load only when a feature is there to analyse: an empty project's
    # ``sdd status`` stays at the CLI's fixed cost.
    from sdd.base.filecache import FileResultCache
    from sdd.features.checks import FeatureReport
    from sdd.features.requirements import Requirement
    from sdd.features.sections import Rules
    from sdd.features.tasks import Task

_FEATURE_WORD = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class LinkedRecords:
    """PHR and ADR files that belong to a feature.

    ``phr_folder``/``phr_names``: the feature's PHR folder (relative to the project root) and
    the records in it (paths relative to that folder); ``adrs``: ADR paths relative to the
    project root.
    """

    phr_folder: str = ""
    phr_names: tuple[str, ...] = ()
    adrs: tuple[str, ...] = ()

    @property
    def phrs(self) -> tuple[str, ...]:
        return tuple(f"{self.phr_folder}/{name}" for name in self.phr_names)


def _named_feature(value: str | None, wanted: set[str]) -> str | None:
    """The feature an ADR's ``feature`` value names: ``001-x``, ``specs/001-x`` or a link."""
    if not value:
        return None
    text = str(value).strip().strip("`*_")
    if text in wanted:
        return text
    for word in _FEATURE_WORD.findall(text):
        if word in wanted:
            return str(word)
    return None


def linked_records(project: Project, features: list[str]) -> dict[str, LinkedRecords]:
    """PHRs and ADRs per feature, by a cheap scan of their conventions.

    PHRs: the record files under ``history/prompts/<feature>/`` (the route of every feature
    stage), found as the PHR checks find them (``sdd.phr.files``) and not read. ADRs: the
    records that name the feature, in front matter (``feature: 001-x``) or in the body
    (``- **Feature:** 001-x``), read as ``sdd adr list`` reads them. Missing folders count
    zero.
    """
    from sdd.adr.record import adr_files, read_adr
    from sdd.phr.files import route_records

    wanted = set(features)
    adrs: dict[str, list[str]] = {name: [] for name in features}
    prompts = project.paths.prompts
    prompts_shown = project.rel(prompts)
    phrs = route_records(prompts, features)
    adr_folder = project.paths.adr
    adr_shown = project.rel(adr_folder)
    for number, path in adr_files(adr_folder):
        if not path.is_file():  # a pipe would block the read
            continue
        owner = _named_feature(read_adr(path, number).feature, wanted)
        if owner is not None:
            adrs[owner].append(f"{adr_shown}/{path.name}")
    return {
        name: LinkedRecords(f"{prompts_shown}/{name}", tuple(phrs[name]), tuple(adrs[name]))
        for name in features
    }


@dataclass
class FeatureStatus:
    feature: str
    path: str
    artifacts: tuple[str, ...]
    tasks_done: int
    tasks_total: int
    clarifications: int
    errors: int
    warnings: int
    records: LinkedRecords

    def as_dict(self) -> dict[str, object]:
        return {
            "feature": self.feature,
            "path": self.path,
            "artifacts": list(self.artifacts),
            "tasks": {"done": self.tasks_done, "total": self.tasks_total},
            "clarifications": self.clarifications,
            "errors": self.errors,
            "warnings": self.warnings,
            "phrs": len(self.records.phr_names),
            "adrs": len(self.records.adrs),
        }


@dataclass
class FeatureDetail:
    status: FeatureStatus
    report: FeatureReport
    findings: list[Finding] = field(default_factory=list)

    @property
    def open_tasks(self) -> list[Task]:
        return self.report.tasks.open if self.report.tasks is not None else []

    @property
    def requirements(self) -> list[Requirement]:
        return self.report.requirements

    def _covered(self, requirement: Requirement, uncovered: set[str]) -> bool | None:
        """Whether plan.md or tasks.md mention it; None when that is not checked (SC-, no plan)."""
        if requirement.kind != "FR" or not self.report.coverage_checked:
            return None
        return requirement.id not in uncovered

    def as_dict(self) -> dict[str, object]:
        uncovered = {requirement.id for requirement in self.report.uncovered}
        return {
            "schema": "sdd.show/1",
            **self.status.as_dict(),
            "open_tasks": [task.as_dict() for task in self.open_tasks],
            "requirements": [
                {**requirement.as_dict(), "covered": self._covered(requirement, uncovered)}
                for requirement in self.requirements
            ],
            "open_clarifications": [
                {"file": name, "line": marker.line, "text": marker.shown}
                for name, marker in self.report.clarifications
            ],
            "findings": [finding.as_dict() for finding in self.findings],
            "phr_files": list(self.status.records.phrs),
            "adr_files": list(self.status.records.adrs),
        }


def _summarise(
    project: Project, report: FeatureReport, extra: list[Finding], records: LinkedRecords
) -> FeatureStatus:
    findings = report.findings + extra
    tasks = report.tasks
    return FeatureStatus(
        feature=report.name,
        path=project.rel(report.folder),
        artifacts=tuple(name[:-3] for name in ARTIFACTS if name in report.artifacts),
        tasks_done=tasks.done if tasks is not None else 0,
        tasks_total=tasks.total if tasks is not None else 0,
        clarifications=len(report.clarifications),
        errors=sum(1 for finding in findings if finding.severity == "error"),
        warnings=sum(1 for finding in findings if finding.severity == "warning"),
        records=records,
    )


def _folder_findings_by_feature(project: Project) -> dict[str, list[Finding]]:
    from sdd.features.folder_checks import folder_findings

    grouped: dict[str, list[Finding]] = {}
    for path, finding in folder_findings(project):
        grouped.setdefault(path.name, []).append(finding)
    return grouped


def natural_key(name: str) -> list[tuple[int, str]]:
    """Sort key that puts ``2-x`` before ``10-y``: runs of digits compare as numbers."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", name)]


# The cache of each feature folder's own summary, beside ``sdd validate``'s (ADR-0100).
STATUS_CACHE = "sdd.overview.status:summary"


def project_status(project: Project) -> list[FeatureStatus]:
    """One summary per feature folder, in natural order (``2-…`` before ``10-…``).

    A folder's own part (artifacts, task counts, clarifications, its findings' counts) comes
    from ``.sdd/cache`` while none of its files changed, under the context ``sdd validate``'s
    feature cache is valid for (ADR-0100); the checks across folders always run.
    """
    features = sorted(list_features(project), key=natural_key)
    if not features:
        return []
    from sdd.validation.cache import open_cache

    cache = open_cache(project, STATUS_CACHE)
    records = linked_records(project, features)
    extra = _folder_findings_by_feature(project)
    rules: Rules | None = None
    rows = []
    for name in features:
        folder = project.paths.specs / name
        own, rules = _own_summary(project, folder, rules, cache)
        rows.append(_summary_row(project, folder, own, extra.get(name, []), records[name]))
    cache.save()
    return rows


# A folder's own summary: artifacts, tasks done and total, clarifications, errors, warnings.
_Summary = tuple[tuple[str, ...], int, int, int, int, int]


def _own_summary(
    project: Project, folder: Path, rules: Rules | None, cache: FileResultCache
) -> tuple[_Summary, Rules | None]:
    """The summary of ``folder``'s own files, from ``cache`` while they are unchanged (the
    rules are loaded only once a folder must be analysed)."""
    from sdd.base.filecache import tree_fingerprint

    stamp, newest = tree_fingerprint(folder)  # before any file is read
    payload = cache.get_payload(folder.name, stamp)
    if payload is not None:
        try:
            artifacts, *counts = payload
            if len(counts) == 5 and all(type(count) is int for count in counts):
                done, total, clarifications, errors, warnings = counts
                names = tuple(str(artifact) for artifact in artifacts)
                return (names, done, total, clarifications, errors, warnings), rules
        except (TypeError, ValueError):  # a damaged entry is analysed again
            pass
    from sdd.features.checks import analyse_feature
    from sdd.features.sections import load_rules

    rules = rules or load_rules(project)
    report = analyse_feature(project, folder, rules)
    tasks = report.tasks
    summary: _Summary = (
        tuple(name[:-3] for name in ARTIFACTS if name in report.artifacts),
        tasks.done if tasks is not None else 0,
        tasks.total if tasks is not None else 0,
        len(report.clarifications),
        sum(1 for finding in report.findings if finding.severity == "error"),
        sum(1 for finding in report.findings if finding.severity == "warning"),
    )
    cache.put_payload(folder.name, stamp, newest, [list(summary[0]), *summary[1:]])
    return summary, rules


def _summary_row(
    project: Project,
    folder: Path,
    own: _Summary,
    extra: list[Finding],
    records: LinkedRecords,
) -> FeatureStatus:
    artifacts, done, total, clarifications, errors, warnings = own
    return FeatureStatus(
        feature=folder.name,
        path=project.rel(folder),
        artifacts=artifacts,
        tasks_done=done,
        tasks_total=total,
        clarifications=clarifications,
        errors=errors + sum(1 for finding in extra if finding.severity == "error"),
        warnings=warnings + sum(1 for finding in extra if finding.severity == "warning"),
        records=records,
    )


def project_details(project: Project) -> list[FeatureDetail]:
    """Everything about every feature folder, in natural order (``sdd status``, ``sdd site``)."""
    features = sorted(list_features(project), key=natural_key)
    if not features:
        return []
    from sdd.features.checks import analyse_feature
    from sdd.features.sections import load_rules

    rules = load_rules(project)
    records = linked_records(project, features)
    extra = _folder_findings_by_feature(project)
    details = []
    for name in features:
        report = analyse_feature(project, project.paths.specs / name, rules)
        found = extra.get(name, [])
        status = _summarise(project, report, found, records[name])
        details.append(FeatureDetail(status, report, sorted(report.findings + found)))
    return details


def feature_detail(project: Project, name: str | None) -> FeatureDetail:
    """Everything about one feature (resolved like every feature argument)."""
    from sdd.features.checks import analyse_feature
    from sdd.features.sections import load_rules

    feature = resolve_feature(project, name)
    report = analyse_feature(project, project.paths.specs / feature, load_rules(project))
    extra = _folder_findings_by_feature(project).get(feature, [])
    records = linked_records(project, [feature])[feature]
    status = _summarise(project, report, extra, records)
    return FeatureDetail(status, report, sorted(report.findings + extra))


def status_document(rows: list[FeatureStatus]) -> dict[str, object]:
    """The ``sdd status --json`` document."""
    return {"schema": "sdd.status/1", "features": [row.as_dict() for row in rows]}
