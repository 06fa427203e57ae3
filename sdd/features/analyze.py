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

A *MUST principle* is a ``###`` heading of the constitution whose section holds ``MUST``
(RFC 2119, upper case) or whose title says ``NON-NEGOTIABLE``; the Constitution Check of
plan.md names it when the principle's title (without enumeration and notes) appears in that
section, case-insensitively. Files a task names are paths with a ``/`` and an extension
(``src/models/user.py``) and any file name in backticks (```package.json```).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sdd.base.markdown import MarkdownText
from sdd.features.clarify import ARTIFACT_ORDER
from sdd.features.folders import read_artifacts
from sdd.features.requirements import Requirement, find_requirements, referenced_keys
from sdd.features.sections import heading_key
from sdd.features.task_order import build_graph, cycles
from sdd.features.tasks import Task, parse_tasks
from sdd.project.project import Project
from sdd.text.placeholders import find_in

Severity = Literal["critical", "high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")

_PHASE_NUMBER = re.compile(r"^phase\s+(\d+)", re.IGNORECASE)
_STORY_PHASE = re.compile(r"\buser\s+story\b|\bUS\s?\d+\b", re.IGNORECASE)
_MUST = re.compile(r"\bMUST\b|NON-NEGOTIABLE")
_FILE_PATH = re.compile(
    r"(?<![\w/.:-])(?:[\w.-]+/)+[\w-][\w.-]*\.[A-Za-z][\w]{0,7}(?![\w/])"
    r"|`([^`\s/]+\.[A-Za-z][\w]{0,7})`"
)
_CONSTITUTION_CHECK = "constitution check"


@dataclass(frozen=True)
class AnalysisFinding:
    path: str
    line: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True)
class CoverageRow:
    """One requirement or success criterion and what covers it."""

    id: str
    line: int
    tasks: tuple[str, ...]
    in_plan: bool

    @property
    def covered(self) -> bool:
        return bool(self.tasks) or (self.id.startswith("SC") and self.in_plan)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "line": self.line,
            "tasks": list(self.tasks),
            "plan": self.in_plan,
            "covered": self.covered,
        }


@dataclass
class Analysis:
    feature: str
    artifacts: tuple[str, ...]
    findings: list[AnalysisFinding] = field(default_factory=list)
    coverage: list[CoverageRow] = field(default_factory=list)

    @property
    def critical(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "critical")

    def counts(self) -> dict[str, int]:
        return {level: sum(1 for f in self.findings if f.severity == level) for level in SEVERITIES}

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": "sdd.analyze/1",
            "feature": self.feature,
            "artifacts": list(self.artifacts),
            "ok": self.critical == 0,
            "counts": self.counts(),
            "findings": [finding.as_dict() for finding in self.findings],
            "coverage": [row.as_dict() for row in self.coverage],
        }


class _Out:
    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis

    def add(self, path: str, line: int, severity: Severity, code: str, message: str) -> None:
        self.analysis.findings.append(AnalysisFinding(path, max(line, 1), severity, code, message))


def files_named(text: str) -> set[str]:
    """The file paths a task's description names (see the module docstring)."""
    found: set[str] = set()
    for match in _FILE_PATH.finditer(text):
        name = match.group(1) or match.group(0)
        found.add(name.strip("`").removeprefix("./"))
    return found


def analyse(project: Project, feature: str) -> Analysis:
    """Analyse the feature folder ``feature`` (a resolved folder name) of ``project``."""
    folder = project.paths.specs / feature
    artifacts = read_artifacts(folder, project.root)
    texts = {n: a.text for n, a in artifacts.items() if n in ARTIFACT_ORDER and a.text is not None}
    documents = {name: MarkdownText(text) for name, text in texts.items()}
    shown = {name: project.rel(folder / name) for name in ARTIFACT_ORDER}
    analysis = Analysis(feature, tuple(name for name in ARTIFACT_ORDER if name in documents))
    out = _Out(analysis)
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
        _task_findings(out, shown["tasks.md"], tasks_document, tasks)
    plan = documents.get("plan.md")
    if plan is not None:
        _constitution(out, project, shown["plan.md"], plan)
    analysis.findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.path, f.line, f.code))
    return analysis


def _placeholders(out: _Out, path: str, document: MarkdownText) -> None:
    for found in find_in(document):
        if found.kind == "clarification":
            out.add(path, found.line, "high", "ANL005", f"unresolved clarification {found.shown}")
        else:
            out.add(path, found.line, "medium", "ANL006", f"template placeholder {found.shown}")


def _duplicate_requirements(out: _Out, path: str, requirements: list[Requirement]) -> None:
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
    out: _Out,
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


def _task_findings(out: _Out, path: str, document: MarkdownText, tasks: list[Task]) -> None:
    seen: dict[str, Task] = {}
    for task in tasks:
        assert task.id is not None
        if task.id in seen:
            out.add(
                path,
                task.line,
                "critical",
                "ANL014",
                f"task ID {task.id} is used twice (first on line {seen[task.id].line}); "
                "dependencies on it are ambiguous",
            )
        seen.setdefault(task.id, task)
        traced = task.story or referenced_keys(task.description)
        if not traced and task.phase and _STORY_PHASE.search(task.phase):
            out.add(
                path,
                task.line,
                "low",
                "ANL002",
                f"{task.id} serves no user story or requirement ([USn], FR-###, SC-###)",
            )
    _phase_order(out, path, document)
    if len(seen) != len(tasks):
        return  # a graph over duplicated IDs would report noise
    graph = build_graph(document)
    phase_index: dict[str | None, int] = {}
    for task in tasks:
        phase_index.setdefault(task.phase, len(phase_index))
    by_id = graph.by_id
    for waiter, waited_ids in sorted(graph.stated.items(), key=lambda item: by_id[item[0]].line):
        for waited in sorted(waited_ids, key=lambda tid: by_id[tid].line):
            if phase_index[by_id[waited].phase] > phase_index[by_id[waiter].phase]:
                out.add(
                    path,
                    by_id[waiter].line,
                    "high",
                    "ANL010",
                    f"{waiter} ({by_id[waiter].phase}) depends on {waited}, which comes in a "
                    f"later phase ({by_id[waited].phase})",
                )
    for line, task_id in graph.unknown:
        out.add(path, line, "medium", "ANL013", f"dependency on {task_id}, which is no task here")
    for cycle in cycles(graph):
        out.add(
            path,
            by_id[cycle[0]].line,
            "critical",
            "ANL011",
            f"dependency cycle: {', '.join(cycle)} wait on each other (with the order phases "
            "and sequential tasks imply); none of them can start",
        )
    _parallel_overlaps(out, path, tasks)


def _phase_order(out: _Out, path: str, document: MarkdownText) -> None:
    highest = 0
    highest_text = ""
    for heading in document.headings:
        if heading.level != 2:
            continue
        match = _PHASE_NUMBER.match(heading.text.strip())
        if match is None:
            continue
        number = int(match.group(1))
        if number < highest:
            out.add(
                path,
                heading.line,
                "medium",
                "ANL009",
                f"'{heading.text.strip()}' comes after '{highest_text}': phases are out of order",
            )
        elif number > highest:
            highest, highest_text = number, heading.text.strip()


def _parallel_overlaps(out: _Out, path: str, tasks: list[Task]) -> None:
    sharing: dict[tuple[str | None, str], list[Task]] = {}
    for task in tasks:
        if task.parallel:
            for name in files_named(task.description):
                sharing.setdefault((task.phase, name), []).append(task)
    overlaps = [(group, name) for (_, name), group in sharing.items() if len(group) > 1]
    for group, name in sorted(overlaps, key=lambda item: (item[0][1].line, item[1])):
        ids = ", ".join(str(task.id) for task in group[:-1]) + f" and {group[-1].id}"
        out.add(
            path,
            group[1].line,
            "high",
            "ANL012",
            f"[P] tasks {ids} {'both' if len(group) == 2 else 'all'} change {name}: "
            "they cannot safely run in parallel",
        )


def must_principles(text: str) -> list[tuple[int, str]]:
    """The MUST principles of a constitution: (line, title) of each (module docstring)."""
    document = MarkdownText(text)
    headings = list(document.headings)
    lines = document.prose.split("\n")
    found: list[tuple[int, str]] = []
    for index, heading in enumerate(headings):
        if heading.level != 3:
            continue
        end = next((h.line for h in headings[index + 1 :] if h.level <= 3), len(lines) + 1)
        body = "\n".join(lines[heading.line - 1 : end - 1])
        if _MUST.search(body):
            found.append((heading.line, heading.text.strip()))
    return found


def _constitution(out: _Out, project: Project, plan_path: str, plan: MarkdownText) -> None:
    from sdd.base.errors import ParseError
    from sdd.base.fileio import read_text

    path: Path = project.paths.constitution
    if not path.is_file():
        return
    try:
        text = read_text(path)
    except (ParseError, OSError):
        return
    principles = must_principles(text)
    if not principles:
        return
    check = _section(plan, _CONSTITUTION_CHECK)
    if check is None:
        out.add(
            plan_path,
            1,
            "high",
            "ANL004",
            f"plan.md has no Constitution Check section; the constitution has "
            f"{len(principles)} MUST principle(s)",
        )
        return
    line, body = check
    folded = " ".join(body.split()).casefold()
    for _, title in principles:
        key = heading_key(title)
        if key and key.casefold() not in folded:
            out.add(
                plan_path,
                line,
                "high",
                "ANL004",
                f"the Constitution Check never names the MUST principle '{title}' "
                f"({project.rel(path)})",
            )


def _section(document: MarkdownText, title: str) -> tuple[int, str] | None:
    """The line and body of the first heading holding ``title`` (case-insensitive)."""
    headings = list(document.headings)
    lines = document.prose.split("\n")
    for index, heading in enumerate(headings):
        if title in heading.text.casefold():
            end = next(
                (h.line for h in headings[index + 1 :] if h.level <= heading.level),
                len(lines) + 1,
            )
            return heading.line, "\n".join(lines[heading.line : end - 1])
    return None
