"""The feature-artifact checker of ``sdd validate``, and the analysis behind status and show.

Each feature folder is read once (spec.md, plan.md, tasks.md) and analysed in one pass:
required sections, placeholders, clarification markers, task lines, requirement IDs and
their coverage. Codes are listed in docs/diagnostics.md ("Feature artifacts").

Required sections are worked out in ``sdd.features.sections``; placeholders are judged with
the vocabulary of the project's templates and the labels its tasks use
(``sdd.text.placeholders``); folder names are checked in ``sdd.features.folder_checks``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.base.diagnostics import Finding, Severity
from sdd.base.markdown import MarkdownText
from sdd.features.folder_checks import folder_findings
from sdd.features.folders import ArtifactText, list_features, read_artifacts
from sdd.features.requirements import (
    Requirement,
    RequirementKey,
    find_requirements,
    first_mentions,
    referenced_keys,
)
from sdd.features.sections import TEACH_HINT, Rules, load_rules, missing_sections
from sdd.project.project import Project
from sdd.project.selection import Selection
from sdd.text.placeholders import Placeholder, find_in
from sdd.text.vocabulary import Labels

if TYPE_CHECKING:
    from sdd.base.filecache import FileResultCache
    from sdd.features.tasks import TaskList


class FeatureReport:
    """Everything one pass over a feature folder found, filled in as its checks run."""

    def __init__(self, name: str, folder: Path, artifacts: dict[str, ArtifactText]) -> None:
        self.name = name
        self.folder = folder
        self.artifacts = artifacts
        self.located: list[tuple[Path, Finding]] = []
        self.tasks: TaskList | None = None
        self.requirements: list[Requirement] = []
        self.clarifications: list[tuple[str, Placeholder]] = []
        self.uncovered: list[Requirement] = []
        self.coverage_checked = False

    @property
    def findings(self) -> list[Finding]:
        return [finding for _, finding in self.located]

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "warning")


class _Reporter:
    def __init__(self, project: Project, report: FeatureReport) -> None:
        self.project = project
        self.report = report

    def add(
        self,
        path: Path,
        line: int,
        severity: Severity,
        code: str,
        message: str,
        *,
        selected_by: Path | None = None,
    ) -> None:
        """Report on ``path``; ``selected_by``: the path a validation selection is matched
        against instead (a link leading out of the project resolves outside every selection)."""
        finding = Finding(self.project.rel(path), max(line, 1), severity, code, message)
        self.report.located.append((selected_by or path, finding))


def _check_sections(
    out: _Reporter, artifact: ArtifactText, document: MarkdownText, rules: Rules
) -> None:
    required = rules.sections.get(artifact.name, ())
    if not required:
        return
    missing, foreign = missing_sections(document.heading_texts, required, rules.aliases)
    # A translated file, or one that misses most sections, follows another structure: say
    # how to teach sdd that structure rather than only what is missing.
    other_structure = foreign or 2 * len(missing) > len(required)
    hint = "; " + TEACH_HINT.format(name=artifact.name) if other_structure else ""
    for section in missing:
        out.add(
            artifact.path,
            1,
            "error",
            "FEAT012",
            f"missing required section '{section.title}' (from {rules.sources[artifact.name]})"
            + hint,
        )


def _check_placeholders(
    out: _Reporter,
    artifact: ArtifactText,
    document: MarkdownText,
    rules: Rules,
    labels: Labels,
) -> None:
    for found in find_in(document, vocabulary=rules.vocabulary, labels=labels):
        if found.kind == "clarification":
            out.report.clarifications.append((artifact.name, found))
            severity: Severity = "warning" if artifact.name == "spec.md" else "error"
            out.add(
                artifact.path,
                found.line,
                severity,
                "FEAT014",
                f"unresolved clarification placeholder {found.shown}",
            )
        else:
            out.add(
                artifact.path,
                found.line,
                "error",
                "FEAT013",
                f"template placeholder {found.shown} left in {artifact.name}",
            )


def _check_tasks(out: _Reporter, artifact: ArtifactText, tasks: TaskList) -> None:
    for malformed in tasks.malformed:
        out.add(
            artifact.path,
            malformed.line,
            "error",
            "FEAT020",
            "malformed task line (expected '- [ ] T001 [P] [US1] Description'): "
            f"{malformed.text[:80]}",
        )
    ids = tasks.ids
    if len(set(ids)) != len(ids) or tasks.has_blank_description:
        first_line: dict[str, int] = {}
        for task in tasks.tasks:
            assert task.id is not None
            if task.id in first_line:
                out.add(
                    artifact.path,
                    task.line,
                    "error",
                    "FEAT021",
                    f"duplicate task ID {task.id} (first on line {first_line[task.id]})",
                )
            else:
                first_line[task.id] = task.line
            if not task.description:
                out.add(
                    artifact.path,
                    task.line,
                    "warning",
                    "FEAT022",
                    f"task {task.id} has no description",
                )
    if ids:
        return
    if tasks.total:
        out.add(
            artifact.path,
            tasks.checklist[0].line,
            "warning",
            "FEAT023",
            f"no task IDs: {tasks.total} checklist items are not spec-kit tasks "
            "('- [ ] T001 Description'), so 'sdd tasks done' cannot address them",
        )
    elif not tasks.has_malformed:
        out.add(artifact.path, 1, "warning", "FEAT023", "tasks.md holds no tasks")


def _check_requirement_ids(
    out: _Reporter, artifact: ArtifactText, requirements: list[Requirement]
) -> None:
    first: dict[RequirementKey, Requirement] = {}
    for requirement in requirements:
        earlier = first.get(requirement.key)
        if earlier is None:
            first[requirement.key] = requirement
            continue
        out.add(
            artifact.path,
            requirement.line,
            "error",
            "FEAT030",
            f"duplicate requirement ID {requirement.id} (first defined as {earlier.id} "
            f"on line {earlier.line})",
        )


def _check_coverage(
    out: _Reporter,
    spec: ArtifactText,
    requirements: list[Requirement],
    referring: list[tuple[ArtifactText, MarkdownText]],
) -> None:
    functional = [requirement for requirement in requirements if requirement.kind == "FR"]
    defined = {requirement.key for requirement in requirements}
    mentioned: set[RequirementKey] = set()
    for artifact, document in referring:
        keys = referenced_keys(document.text)
        mentioned |= keys
        unknown = {key for key in keys if key[0] == "FR" and key not in defined}
        if not functional or not unknown:
            continue
        for offset, shown in sorted(first_mentions(document.text, unknown).values()):
            out.add(
                artifact.path,
                document.line_of(offset),
                "warning",
                "FEAT032",
                f"{shown} is mentioned but not defined in spec.md",
            )
    names = " or ".join(artifact.name for artifact, _ in referring)
    seen: set[RequirementKey] = set()
    for requirement in functional:
        if requirement.key in mentioned or requirement.key in seen:
            continue
        seen.add(requirement.key)
        out.report.uncovered.append(requirement)
    traced = any(key[0] == "FR" for key in mentioned)
    if out.report.uncovered and not traced:
        # A team that does not trace requirement IDs at all gets one finding, not one per
        # requirement: the gap is the missing convention, said once where it can be fixed.
        first = out.report.uncovered[0]
        count = len(out.report.uncovered)
        out.add(
            spec.path,
            first.line,
            "warning",
            "FEAT031",
            f"coverage not traced: {_none_of(referring)}, so none of the "
            f"{count} functional requirements can be followed to a task (cite FR-### in them)",
        )
        return
    for requirement in out.report.uncovered:
        out.add(
            spec.path,
            requirement.line,
            "warning",
            "FEAT031",
            f"coverage gap: {requirement.id} is not referenced by {names}",
        )


def _none_of(referring: list[tuple[ArtifactText, MarkdownText]]) -> str:
    names = [artifact.name for artifact, _ in referring]
    if len(names) == 1:
        return f"{names[0]} names no requirement ID"
    return "neither " + " nor ".join(names) + " names a requirement ID"


def analyse_feature(project: Project, folder: Path, rules: Rules) -> FeatureReport:
    """Read a feature folder once and run every feature-artifact check on it."""
    report = FeatureReport(folder.name, folder, read_artifacts(folder, project.root))
    out = _Reporter(project, report)
    if "spec.md" not in report.artifacts:
        out.add(folder, 1, "warning", "FEAT006", f"feature folder {folder.name} has no spec.md")
    documents: dict[str, MarkdownText] = {}
    tasks_artifact = report.artifacts.get("tasks.md")
    # Labels the tasks use tag the same work in the spec and plan ("[RED] tests first").
    labels = Labels(tasks_artifact.text or "" if tasks_artifact else "")
    for name, artifact in report.artifacts.items():
        if artifact.text is None:
            problem = artifact.problem
            line = problem.line if problem is not None and problem.line else 1
            message = problem.message if problem is not None else "unreadable"
            out.add(
                artifact.path,
                line,
                "error",
                "FEAT010",
                f"cannot read {name}: {message}",
                selected_by=folder if artifact.outside else None,
            )
            continue
        if not artifact.text.strip():
            out.add(artifact.path, 1, "error", "FEAT011", f"{name} is empty")
            continue
        document = MarkdownText(artifact.text)
        documents[name] = document
        _check_sections(out, artifact, document, rules)
        _check_placeholders(out, artifact, document, rules, labels)
        if name == "tasks.md":
            from sdd.features.tasks import parse_tasks  # only features with a tasks.md pay for it

            report.tasks = parse_tasks(document)
            _check_tasks(out, artifact, report.tasks)
        elif name == "spec.md":
            report.requirements = find_requirements(document)
            _check_requirement_ids(out, artifact, report.requirements)
    if "spec.md" in documents:
        referring = [
            (report.artifacts[name], documents[name])
            for name in ("plan.md", "tasks.md")
            if name in documents
        ]
        if referring:
            report.coverage_checked = True
            _check_coverage(out, report.artifacts["spec.md"], report.requirements, referring)
    return report


def check(
    project: Project, selection: Selection, cache: FileResultCache | None = None
) -> Iterable[Finding]:
    """The ``sdd validate`` checker for feature folders and their spec, plan and tasks.
    ``cache``: the findings of folders whose files are unchanged (its context covers the
    templates and the configuration); the checks across folders always run."""
    specs = project.paths.specs
    if not specs.is_dir() or not selection.touches(specs):
        return []
    rules = load_rules(project) if cache is None else None
    findings = [f for path, f in folder_findings(project) if selection.includes(path)]
    for name in list_features(project):
        folder = specs / name
        if not selection.is_everything and not selection.touches(folder):
            continue
        if cache is None:
            assert rules is not None
            located = analyse_feature(project, folder, rules).located
        else:
            located, rules = _cached_located(project, folder, rules, cache)
        findings.extend(f for path, f in located if selection.includes(path))
    return findings


def _cached_located(
    project: Project, folder: Path, rules: Rules | None, cache: FileResultCache
) -> tuple[list[tuple[Path, Finding]], Rules | None]:
    """A folder's located findings from ``cache`` while its files are unchanged (the
    rules are loaded only once a folder must be analysed)."""
    from sdd.base.filecache import decode_finding, encode_finding, tree_fingerprint

    stamp, newest = tree_fingerprint(folder)  # before any file is read
    payload = cache.get_payload(folder.name, stamp)
    if payload is not None:
        try:
            return [(Path(where), decode_finding(row)) for where, row in payload], rules
        except (TypeError, ValueError):  # a damaged entry is analysed again
            pass
    rules = rules or load_rules(project)
    located = analyse_feature(project, folder, rules).located
    rows = [[str(path), encode_finding(finding)] for path, finding in located]
    cache.put_payload(folder.name, stamp, newest, rows)
    return located, rules
