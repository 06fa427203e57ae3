"""The findings of ``sdd analyze`` about tasks.md: duplicated task IDs (ANL014), tasks that
serve no story (ANL002), phases out of order (ANL009), dependencies on later phases, unknown
tasks and cycles (ANL010, ANL013, ANL011), and ``[P]`` tasks sharing a file (ANL012).

Files a task names are paths with a ``/`` and an extension (``src/models/user.py``) and any
file name in backticks (```package.json```).
"""

from __future__ import annotations

import re

from sdd.base.markdown import MarkdownText
from sdd.features.analysis import Findings
from sdd.features.requirements import referenced_keys
from sdd.features.task_order import build_graph, cycles
from sdd.features.tasks import Task

_PHASE_NUMBER = re.compile(r"^phase\s+(\d+)", re.IGNORECASE)
_STORY_PHASE = re.compile(r"\buser\s+story\b|\bUS\s?\d+\b", re.IGNORECASE)
_FILE_PATH = re.compile(
    r"(?<![\w/.:-])(?:[\w.-]+/)+[\w-][\w.-]*\.[A-Za-z][\w]{0,7}(?![\w/])"
    r"|`([^`\s/]+\.[A-Za-z][\w]{0,7})`"
)


def files_named(text: str) -> set[str]:
    """The file paths a task's description names (see the module docstring)."""
    found: set[str] = set()
    for match in _FILE_PATH.finditer(text):
        name = match.group(1) or match.group(0)
        found.add(name.strip("`").removeprefix("./"))
    return found


def task_findings(out: Findings, path: str, document: MarkdownText, tasks: list[Task]) -> None:
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


def _phase_order(out: Findings, path: str, document: MarkdownText) -> None:
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


def _parallel_overlaps(out: Findings, path: str, tasks: list[Task]) -> None:
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
