"""The order tasks of a tasks.md can run in: dependencies, cycles, and what can start now.

Dependencies come from three sources:

* **phases**: a task waits for every task of the earlier level-2 sections (spec-kit's
  "Setup → Foundational → User stories → Polish"; tasks before the first heading form a
  phase of their own);
* **sequence within a phase**: a task without ``[P]`` waits for every task before it in its
  phase; a ``[P]`` task waits only for the tasks without ``[P]`` before it, so a run of
  ``[P]`` tasks can start together;
* **stated dependencies**, anywhere in the text outside code: in a task's description
  ``depends on T001``, ``after T001``, ``requires T001``, ``blocked by T001`` (lists of IDs
  joined by commas, "and" or "&" and ranges ``T001–T003`` count); on any other line
  ``T005 depends on T001, T002``, ``T001 blocks T002`` and arrow chains
  ``T001 → T002 → T003`` (``->`` too), where each task waits for the one before the arrow.

A task ID used again on a later line names the first task only; the later lines are left out
of the graph and listed in ``duplicates``.

Stated dependencies that point forward (to a later task) can make a cycle; ``cycles`` finds
them, and ``next_tasks`` reports the tasks a cycle blocks rather than looping.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sdd.base.markdown import MarkdownText
from sdd.features.tasks import Task, parse_tasks

if TYPE_CHECKING:
    from sdd.project.project import Project

_ID = r"T\d+[A-Za-z]?"
_ID_RANGE = rf"{_ID}(?:\s*(?:[-–—]|\.\.)\s*{_ID})?"
_ID_LIST = rf"{_ID_RANGE}(?:\s*(?:,|\band\b|&|/)\s*{_ID_RANGE})*"
_WAITS = re.compile(
    rf"\b(?:depends\s+on|dependent\s+on|after|requires|blocked\s+by|needs)\s*:?\s*(?P<ids>{_ID_LIST})",
    re.IGNORECASE,
)
_STATEMENT = re.compile(
    rf"(?P<subject>{_ID_LIST})\s*(?:\*\*|__)?\s*:?\s*(?P<verb>depends?\s+on|requires|needs|blocks|"
    rf"is\s+blocked\s+by|are\s+blocked\s+by|blocked\s+by)\s*:?\s*(?P<object>{_ID_LIST})",
    re.IGNORECASE,
)
_ARROW_CHAIN = re.compile(rf"{_ID}(?:\s*(?:→|->|⟶)\s*{_ID})+")
_ARROW = re.compile(r"\s*(?:→|->|⟶)\s*")
_ONE_ID = re.compile(rf"({_ID})(?:\s*(?:[-–—]|\.\.)\s*({_ID}))?")


@dataclass
class TaskGraph:
    """Tasks with IDs and what each waits for directly.

    ``edges`` maps a task ID (or a phase's end, a node named ``#phase-N``) to what it waits
    for directly; the order phases and sequence imply is kept in that reduced form (a task
    waits for the end of the phase before, which waits for that phase's last tasks), so the
    graph grows linearly with the number of tasks. ``prerequisites`` gives the full set.
    """

    tasks: list[Task]
    edges: dict[str, set[str]] = field(default_factory=dict)
    stated: dict[str, set[str]] = field(default_factory=dict)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (line, ID) named but absent
    duplicates: list[Task] = field(default_factory=list)  # later lines reusing an ID: ignored

    @property
    def by_id(self) -> dict[str, Task]:
        return {task.id: task for task in self.tasks if task.id is not None}

    def prerequisites(self, task_id: str) -> set[str]:
        """Every task ``task_id`` waits for, directly or through others."""
        found: set[str] = set()
        pending = list(self.edges.get(task_id, ()))
        while pending:
            node = pending.pop()
            if node in found:
                continue
            found.add(node)
            pending.extend(self.edges.get(node, ()))
        found.discard(task_id)
        return {node for node in found if not node.startswith(PHASE_NODE)}


PHASE_NODE = "#phase-"


def _expand(text: str, known: list[str]) -> list[str]:
    """The IDs of an ID list; a range takes every known ID between its ends, in file order."""
    found: list[str] = []
    for first, last in _ONE_ID.findall(text):
        if last and first in known and last in known:
            start, end = known.index(first), known.index(last)
            if start <= end:
                found.extend(known[start : end + 1])
                continue
        found.append(first)
        if last:
            found.append(last)
    return found


def build_graph(source: str | MarkdownText) -> TaskGraph:
    """The dependency graph of a tasks.md (see the module docstring for the rules)."""
    document = source if isinstance(source, MarkdownText) else MarkdownText(source)
    tasks: list[Task] = []
    duplicates: list[Task] = []
    seen: set[str] = set()
    for task in parse_tasks(document).tasks:
        if task.id is not None:
            (duplicates if task.id in seen else tasks).append(task)
            seen.add(task.id)
    known = [task.id for task in tasks if task.id is not None]
    graph = TaskGraph(tasks, {task_id: set() for task_id in known}, duplicates=duplicates)
    phase: str | None = None
    phase_end: str | None = None  # the node of the previous phase's end
    last_sequential: str | None = None  # the last task without [P] in this phase
    parallel_run: list[str] = []  # the [P] tasks since then
    for task in tasks:
        assert task.id is not None
        if task.phase != phase and (last_sequential or parallel_run):
            phase_end = f"{PHASE_NODE}{len(graph.edges)}"
            graph.edges[phase_end] = {
                *parallel_run,
                *([last_sequential] if last_sequential else []),
            }
            last_sequential, parallel_run = None, []
        phase = task.phase
        waits = graph.edges[task.id]
        if phase_end:
            waits.add(phase_end)
        if last_sequential:
            waits.add(last_sequential)
        if task.parallel:
            parallel_run.append(task.id)
        else:
            waits.update(parallel_run)
            last_sequential, parallel_run = task.id, []
    task_lines = {task.line: task for task in tasks}
    for index, line in enumerate(document.prose.split("\n")):
        if "T" not in line:
            continue
        number = index + 1
        on_task = task_lines.get(number)
        if on_task is not None and on_task.id is not None:
            for match in _WAITS.finditer(on_task.description):
                for waited in _expand(match.group("ids"), known):
                    _add(graph, on_task.id, waited, number)
            continue
        for match in _STATEMENT.finditer(line):
            subjects = _expand(match.group("subject"), known)
            objects = _expand(match.group("object"), known)
            blocks = match.group("verb").lower() == "blocks"
            for subject in subjects:
                for other in objects:
                    if blocks:
                        _add(graph, other, subject, number)
                    else:
                        _add(graph, subject, other, number)
        for chain in _ARROW_CHAIN.finditer(line):
            steps = [step.strip() for step in _ARROW.split(chain.group(0))]
            for before, after in itertools.pairwise(steps):
                _add(graph, after, before, number)
    return graph


def _add(graph: TaskGraph, waiter: str, waited: str, line: int) -> None:
    for name in (waiter, waited):
        if name not in graph.edges:
            graph.unknown.append((line, name))
            return
    if waiter != waited:
        graph.edges[waiter].add(waited)
        graph.stated.setdefault(waiter, set()).add(waited)


def cycles(graph: TaskGraph) -> list[list[str]]:
    """Each dependency cycle once, as the task IDs along it in file order (Tarjan's
    algorithm, iterative: a chain of thousands of tasks needs no recursion)."""
    order = {node: index for index, node in enumerate(graph.edges)}
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> tuple[str, list[str]]:
        index_of[node] = low[node] = len(index_of)
        stack.append(node)
        on_stack.add(node)
        return node, sorted(graph.edges[node], key=order.__getitem__)

    for root in graph.edges:
        if root in index_of:
            continue
        work = [visit(root)]
        while work:
            node, pending = work[-1]
            if pending:
                successor = pending.pop()
                if successor not in index_of:
                    work.append(visit(successor))
                elif successor in on_stack:
                    low[node] = min(low[node], index_of[successor])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                tasks = [member for member in component if not member.startswith(PHASE_NODE)]
                if len(component) > 1 and tasks:
                    found.append(sorted(tasks, key=order.__getitem__))
    return sorted(found, key=lambda component: order[component[0]])


def _complete(graph: TaskGraph, done: set[str]) -> dict[str, bool]:
    """Per node: done, and so is everything it waits for (a node in a cycle never is)."""
    complete: dict[str, bool] = {}
    for root in graph.edges:
        if root in complete:
            continue
        visiting = {root}
        work = [(root, iter(graph.edges[root]))]
        while work:
            node, pending = work[-1]
            successor = next(pending, None)
            if successor is None:
                work.pop()
                visiting.discard(node)
                own = node.startswith(PHASE_NODE) or node in done
                complete[node] = own and all(complete.get(d, False) for d in graph.edges[node])
            elif successor not in complete and successor not in visiting:
                visiting.add(successor)
                work.append((successor, iter(graph.edges[successor])))
    return complete


@dataclass(frozen=True)
class NextTasks:
    """What can start now: ``ready`` in file order; ``parallel`` when they may run together."""

    ready: tuple[Task, ...]
    remaining: int
    total: int
    blocked_by_cycle: tuple[tuple[str, ...], ...] = ()
    duplicates: tuple[Task, ...] = ()

    @property
    def parallel(self) -> bool:
        return len(self.ready) > 1

    @property
    def phase(self) -> str | None:
        return self.ready[0].phase if self.ready else None

    def as_dict(self) -> dict[str, object]:
        return {
            "ready": [task.as_dict() for task in self.ready],
            "parallel": self.parallel,
            "phase": self.phase,
            "remaining": self.remaining,
            "total": self.total,
            "finished": self.remaining == 0,
            "blocked_by_cycle": [list(cycle) for cycle in self.blocked_by_cycle],
            "ignored_duplicates": [task.as_dict() for task in self.duplicates],
        }


def next_tasks(source: str | MarkdownText) -> NextTasks:
    """The open tasks whose every dependency is done, limited to the earliest phase that has
    any: a group of ``[P]`` tasks, or the one task to do next."""
    graph = build_graph(source)
    done = {task.id for task in graph.tasks if task.done}
    open_tasks = [task for task in graph.tasks if not task.done]
    complete = _complete(graph, {task_id for task_id in done if task_id is not None})
    ready = [
        task
        for task in open_tasks
        if task.id is not None and all(complete.get(d, False) for d in graph.edges[task.id])
    ]
    if ready:
        phase = ready[0].phase
        ready = [task for task in ready if task.phase == phase]
        if not all(task.parallel for task in ready):
            ready = ready[:1]
    blocked: tuple[tuple[str, ...], ...] = ()
    if open_tasks and not ready:
        blocked = tuple(tuple(cycle) for cycle in cycles(graph))
    return NextTasks(
        tuple(ready), len(open_tasks), len(graph.tasks), blocked, tuple(graph.duplicates)
    )


@dataclass(frozen=True)
class FeatureNext:
    """``sdd tasks next`` for one feature: its name, its tasks.md as shown, what can start."""

    feature: str
    path: str
    found: NextTasks

    def as_dict(self) -> dict[str, object]:
        return {"schema": "sdd.tasks-next/1", "feature": self.feature, "path": self.path} | (
            self.found.as_dict()
        )


def next_in_feature(project: Project, feature: str | None) -> FeatureNext:
    """The tasks of ``feature`` (default: the branch's) that can start now."""
    from sdd.base.errors import ParseError, UsageError
    from sdd.base.fileio import read_text
    from sdd.features.folders import resolve_feature

    name = resolve_feature(project, feature)
    path = project.paths.specs / name / "tasks.md"
    shown = project.rel(path)
    if not path.is_file():
        raise UsageError(f"{shown} does not exist; create it with: sdd tasks {name}")
    try:
        text = read_text(path)
    except ParseError as problem:
        raise ParseError(problem.message, path=shown, line=problem.line) from None
    return FeatureNext(name, shown, next_tasks(text))
