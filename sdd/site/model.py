"""What the site shows, gathered with the core's own readers (ADR 0141).

Features and their analysis come from ``sdd.overview.status``, prompt records from
``sdd.phr.listing`` (through ``sdd.site.records``, which reads each once), decisions from
``sdd.adr.record`` and findings from ``sdd.validation``: the site adds no parser of its own.
The traceability matrix joins, per requirement of a spec, the plan sections, tasks, PHRs and
ADRs that mention it (``sdd.features.requirements.referenced_keys``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sdd.adr.record import Adr, load_adrs
from sdd.base.diagnostics import Finding
from sdd.base.markdown import MarkdownText
from sdd.features.folders import spec_title
from sdd.features.requirements import (
    Requirement,
    RequirementKey,
    referenced_keys,
    with_wrapped_text,
)
from sdd.overview.status import FeatureDetail, project_details
from sdd.phr.listing import Entry
from sdd.project.project import Project
from sdd.site.records import read_records


@dataclass(frozen=True)
class TraceRow:
    """One requirement and everything that mentions it. ``covered``: the core's verdict
    (plan or tasks mention an FR); None where it is not checked (SC-, no plan)."""

    requirement: Requirement
    plan_sections: tuple[str, ...]
    tasks: tuple[str, ...]
    phrs: tuple[Entry, ...]
    adrs: tuple[Adr, ...]
    covered: bool | None

    @property
    def gap(self) -> bool:
        return self.covered is False


@dataclass
class FeaturePage:
    detail: FeatureDetail
    title: str
    texts: dict[str, str]  # artifact file name -> text, for the artifacts that could be read
    trace: list[TraceRow]
    phrs: list[Entry]
    adrs: list[Adr]

    @property
    def name(self) -> str:
        return self.detail.status.feature


@dataclass
class SiteData:
    project_name: str
    features: list[FeaturePage]
    phrs: list[Entry]
    adrs: list[Adr]
    findings: list[Finding] = field(default_factory=list)


def _plan_sections(text: str) -> list[tuple[str, set[RequirementKey]]]:
    """Each heading of plan.md with the requirements its section (up to the next heading of
    any level) mentions."""
    document = MarkdownText(text)
    lines = document.prose.split("\n")
    headings = document.headings
    sections: list[tuple[str, set[RequirementKey]]] = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].line - 1 if index + 1 < len(headings) else len(lines)
        sections.append((heading.text, referenced_keys("\n".join(lines[heading.line - 1 : end]))))
    return sections


def _trace(
    detail: FeatureDetail,
    texts: dict[str, str],
    phrs: list[Entry],
    adrs: list[Adr],
    mentions: dict[str, frozenset[RequirementKey]],
) -> list[TraceRow]:
    report = detail.report
    if not report.requirements:
        return []
    uncovered = {requirement.key for requirement in report.uncovered}
    sections = _plan_sections(texts["plan.md"]) if "plan.md" in texts else []
    tasks = report.tasks.tasks if report.tasks is not None else []
    task_keys = [
        (task.id or f"line {task.line}", referenced_keys(task.description)) for task in tasks
    ]
    phr_keys = [(entry, mentions.get(entry.path, frozenset())) for entry in phrs]
    adr_keys = [(adr, referenced_keys(adr.text)) for adr in adrs]
    requirements = report.requirements
    if "spec.md" in texts:
        requirements = with_wrapped_text(MarkdownText(texts["spec.md"]), requirements)
    rows = []
    for requirement in requirements:
        key = requirement.key
        checked = requirement.kind == "FR" and report.coverage_checked
        rows.append(
            TraceRow(
                requirement,
                tuple(dict.fromkeys(title for title, keys in sections if key in keys)),
                tuple(dict.fromkeys(name for name, keys in task_keys if key in keys)),
                tuple(entry for entry, keys in phr_keys if key in keys),
                tuple(adr for adr, keys in adr_keys if key in keys),
                (key not in uncovered) if checked else None,
            )
        )
    return rows


def _feature_page(
    detail: FeatureDetail,
    phrs_by_path: dict[str, Entry],
    adrs_by_path: dict[str, Adr],
    mentions: dict[str, frozenset[RequirementKey]],
) -> FeaturePage:
    texts = {
        name: artifact.text
        for name, artifact in sorted(detail.report.artifacts.items())
        if artifact.text is not None
    }
    records = detail.status.records
    phrs = [phrs_by_path[path] for path in records.phrs if path in phrs_by_path]
    adrs = [adrs_by_path[path] for path in records.adrs if path in adrs_by_path]
    title = spec_title(texts.get("spec.md", "")) or detail.status.feature
    trace = _trace(detail, texts, phrs, adrs, mentions)
    return FeaturePage(detail, title, texts, trace, phrs, adrs)


def collect(project: Project) -> SiteData:
    """Everything the site shows about ``project`` but the validation findings."""
    details = project_details(project)
    records = read_records(project)
    phrs = records.entries
    adrs = load_adrs(project.paths.adr)
    phrs_by_path = {entry.path: entry for entry in phrs}
    adrs_by_path = {project.rel(adr.path): adr for adr in adrs}
    pages = [
        _feature_page(detail, phrs_by_path, adrs_by_path, records.mentions) for detail in details
    ]
    return SiteData(project.root.name, pages, phrs, adrs)


def project_findings(project: Project) -> list[Finding]:
    """The findings ``sdd validate`` reports, sorted; through its per-file cache, which is
    keyed on each file's identity and never answers for a changed file."""
    from sdd.project.baseline import load_baseline
    from sdd.project.selection import Selection
    from sdd.validation.validate import validate_against

    validation = validate_against(
        project, Selection.everything(), load_baseline(project.root), use_cache=True
    )
    return sorted(validation.report.findings)


def gather(project: Project, *, findings: Sequence[Finding] | None = None) -> SiteData:
    """Everything the site shows about ``project``. ``findings``: validation findings
    already at hand (else ``sdd validate`` runs over the whole project)."""
    data = collect(project)
    data.findings = sorted(findings) if findings is not None else project_findings(project)
    return data
