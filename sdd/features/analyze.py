"""``sdd analyze``: the deterministic part of a cross-artifact review of one feature.

Read-only. Reads the feature's spec.md, plan.md and tasks.md and the project constitution,
and reports, each finding with a severity (spec-kit's ``/analyze`` scale):

========  =====================================================================  ========
code      finding                                                                severity
========  =====================================================================  ========
ANL001    a functional requirement no task mentions (high); tasks that name no   high /
          requirement at all: one finding for the file (medium)                  medium
ANL002    a task in a user-story phase with no story, requirement or criterion   low
ANL003    a success criterion neither plan.md nor tasks.md mentions (one         medium
          finding when none of them is)
ANL004    a MUST principle of the constitution the plan's Constitution Check     high
          never names
ANL005    an unresolved ``[NEEDS CLARIFICATION]`` marker                         high
ANL006    a template placeholder left in an artifact                             medium
ANL007    a requirement ID defined twice with the same text / with another text  high /
                                                                                 critical
ANL008    plan.md or tasks.md mention a requirement spec.md does not define      medium
ANL009    phases numbered out of order (``Phase 3`` before ``Phase 2``)          medium
ANL010    a task waits for a task of a later phase                               high
ANL011    tasks that wait on each other (a dependency cycle)                     critical
ANL012    ``[P]`` tasks of one phase that name the same file                     high
ANL013    a dependency names a task that does not exist                          medium
ANL014    a task ID used twice                                                   critical
ANL015    an artifact that cannot be read (not UTF-8, binary, too large, a link  critical
          leading out of the project)
========  =====================================================================  ========
"""

from __future__ import annotations

from sdd.base.markdown import MarkdownText
from sdd.features.analysis import SEVERITIES, Analysis, CoverageRow, Findings
from sdd.features.constitution import constitution_findings
from sdd.features.folders import ARTIFACTS, read_artifacts
from sdd.features.requirements import Requirement, find_requirements, referenced_keys
from sdd.features.sections import load_rules
from sdd.features.task_findings import task_findings
from sdd.features.tasks import Task, parse_tasks
from sdd.project.project import Project
from sdd.text.placeholders import find_in


def analyse(project: Project, feature: str) -> Analysis:
    """Analyse the feature folder ``feature`` (a resolved folder name) of ``project``."""
    folder = project.paths.specs / feature
    artifacts = read_artifacts(folder, project.root)
    texts = {n: a.text for n, a in artifacts.items() if n in ARTIFACTS and a.text is not None}
    documents = {name: MarkdownText(text) for name, text in texts.items()}
    shown = {name: project.rel(folder / name) for name in ARTIFACTS}
    analysis = Analysis(feature, tuple(name for name in ARTIFACTS if name in documents))
    out = Findings(analysis)
    for name, artifact in artifacts.items():
        if name in shown and artifact.text is None:
            problem = artifact.problem
            out.add(
                shown[name],
                problem.line or 1 if problem is not None else 1,
                "critical",
                "ANL015",
                f"cannot read {name}: {problem.message if problem is not None else 'unreadable'}",
            )
    for name, document in documents.items():
        _placeholders(out, shown[name], document)
    spec = documents.get("spec.md")
    requirements = find_requirements(spec) if spec is not None else []
    if spec is not None:
        _duplicate_requirements(out, shown["spec.md"], requirements)
    tasks_document = documents.get("tasks.md")
    tasks = parse_tasks(tasks_document).tasks if tasks_document is not None else []
    if spec is not None and ("tasks.md" in documents or "plan.md" in documents):
        analysis.coverage = _coverage(out, shown, requirements, tasks, documents)
    if tasks_document is not None:
        task_findings(out, shown["tasks.md"], tasks_document, tasks)
    plan = documents.get("plan.md")
    if plan is not None:
        constitution_findings(out, project, shown["plan.md"], plan, load_rules(project))
    analysis.findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.path, f.line, f.code))
    return analysis


def _placeholders(out: Findings, path: str, document: MarkdownText) -> None:
    for found in find_in(document):
        if found.kind == "clarification":
            out.add(path, found.line, "high", "ANL005", f"unresolved clarification {found.shown}")
        else:
            out.add(path, found.line, "medium", "ANL006", f"template placeholder {found.shown}")


def _duplicate_requirements(out: Findings, path: str, requirements: list[Requirement]) -> None:
    first: dict[tuple[str, int, str], Requirement] = {}
    for requirement in requirements:
        earlier = first.setdefault(requirement.key, requirement)
        if earlier is requirement:
            continue
        if (
            " ".join(earlier.text.split()).casefold()
            == " ".join(requirement.text.split()).casefold()
        ):
            out.add(
                path,
                requirement.line,
                "high",
                "ANL007",
                f"{requirement.id} is defined twice with the same text (first on line "
                f"{earlier.line})",
            )
        else:
            out.add(
                path,
                requirement.line,
                "critical",
                "ANL007",
                f"{requirement.id} is defined twice with different texts (first on line "
                f"{earlier.line}): which one holds?",
            )


def _coverage(
    out: Findings,
    shown: dict[str, str],
    requirements: list[Requirement],
    tasks: list[Task],
    documents: dict[str, MarkdownText],
) -> list[CoverageRow]:
    by_task = {task.id: referenced_keys(task.description) for task in tasks if task.id}
    plan = documents.get("plan.md")
    plan_keys = referenced_keys(plan.prose) if plan is not None else set()
    defined = {requirement.key for requirement in requirements}
    tasks_naming: dict[tuple[str, int, str], list[str]] = {}
    for task_id, keys in by_task.items():
        for key in keys:
            tasks_naming.setdefault(key, []).append(task_id)
    rows: list[CoverageRow] = []
    seen: set[tuple[str, int, str]] = set()
    for requirement in requirements:
        if requirement.key not in seen:
            seen.add(requirement.key)
            covering = tuple(tasks_naming.get(requirement.key, ()))
            in_plan = requirement.key in plan_keys
            rows.append(CoverageRow(requirement.id, requirement.line, covering, in_plan))
    traced = {key for keys in by_task.values() for key in keys}
    functional = [row for row in rows if row.id.startswith("FR")]
    if "tasks.md" in documents and functional:
        if any(key[0] == "FR" for key in traced):
            for row in functional:
                if not row.tasks:
                    out.add(
                        shown["spec.md"],
                        row.line,
                        "high",
                        "ANL001",
                        f"{row.id} has no task (no task in tasks.md mentions it)",
                    )
        else:
            # Tasks that trace no requirement at all are a convention, not a gap per requirement.
            out.add(
                shown["tasks.md"],
                1,
                "medium",
                "ANL001",
                f"no task names a requirement (FR-###), so the coverage of {len(functional)} "
                "requirements cannot be checked; a reader must map them (see the coverage table)",
            )
    criteria = [row for row in rows if row.id.startswith("SC")]
    unmeasured = [row for row in criteria if not row.covered]
    if unmeasured and len(unmeasured) < len(criteria):
        for row in unmeasured:
            out.add(
                shown["spec.md"],
                row.line,
                "medium",
                "ANL003",
                f"success criterion {row.id} is measured by nothing "
                "(neither plan.md nor tasks.md mentions it)",
            )
    elif unmeasured:
        out.add(
            shown["spec.md"],
            unmeasured[0].line,
            "medium",
            "ANL003",
            f"none of the {len(criteria)} success criteria (SC-###) is mentioned by plan.md or "
            "tasks.md: nothing says how they are measured",
        )
    for name in ("plan.md", "tasks.md"):
        document = documents.get(name)
        if document is None or not requirements:
            continue
        unknown = sorted(referenced_keys(document.prose) - defined)
        for kind, number, suffix in unknown:
            out.add(
                shown[name],
                1,
                "medium",
                "ANL008",
                f"{kind}-{number:03d}{suffix.upper()} is mentioned but spec.md does not define it",
            )
    return rows
