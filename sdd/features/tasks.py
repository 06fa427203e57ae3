"""Tasks of a spec-kit ``tasks.md``: parsing task lines and phases, flipping checkboxes in place.

A task line is a list item with a checkbox and a task ID, then optional markers, then the
description::

    - [ ] T001 [P] [US1] Create the model in src/models/user.py
    - [X] **T037A** [US5a] Bold IDs and letter suffixes are accepted too

* bullet ``-``, ``*`` or ``+``; checkbox ``[ ]`` (open) or ``[x]``/``[X]`` (done);
* ID ``T`` and digits with an optional letter suffix, optionally in bold;
* markers: ``[P]`` (can run in parallel) and ``[US1]`` (the user story it serves; ``[US1/2]``
  or ``[US1, US2]`` for a task serving several);
* the phase of a task is the last level-2 heading before it (``## Phase 1: Setup``).

Checkbox items without a task ID are *checklist items*; a tasks.md that has no task IDs at
all is counted by its checklist items. Lines in fenced code and HTML comments are ignored.
A line that looks like a task but breaks the format (``- [] T001``, ``-[ ] T001``,
``- [ ]T001``) is reported as malformed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from sdd.base.errors import ParseError, UsageError
from sdd.base.markdown import MarkdownText

TASK_ID = re.compile(r"T\d+[A-Za-z]?")
# Searched in "\n" + text (see sdd.base.markdown): group 1 is the box's mark.
_ITEM = re.compile(
    r"\n[ \t]*[-*+][ \t]+\[([ xX])\]"
    r"(?:[ \t]+(?:(?P<bold>\*\*|__)?(?P<id>T\d+[A-Za-z]?)(?![A-Za-z0-9])(?(bold)(?:\*\*|__)))?"
    r"(?:[ \t]*(?:[:.\-—–](?=[ \t])))?"
    r"(?P<flags>(?:[ \t]*\[(?:P|US\d+[A-Za-z]?(?:[ \t]*[/,][ \t]*(?:US)?\d+[A-Za-z]?)*)\])*)"
    r"(?P<rest>[^\n]*))?\r?(?=\n|$)"
)
# Searched in "\n" + text: a line that looks like a task but is not well formed.
_MALFORMED = re.compile(
    r"\n(?![ \t]*[-*+][ \t]+\[[ xX]\][ \t]+(?:\*\*|__)?T\d)"
    r"[ \t]*(?:[-*+][ \t]*)?\[[^\]\n]{0,3}\][ \t]*(?:\*\*|__)?T\d+"
)
# A story label: "[US1]", or one serving several stories: "[US1/2]", "[US1/US2]", "[US1, US2]".
_STORY = re.compile(r"\[(US\d+[A-Za-z]?(?:[ \t]*[/,][ \t]*(?:US)?\d+[A-Za-z]?)*)\]")
_STORY_MEMBER = re.compile(r"\d+[A-Za-z]?")


class Task(NamedTuple):
    """One checkbox line; ``id`` is None for a checklist item without a task ID."""

    id: str | None
    done: bool
    line: int
    description: str
    parallel: bool = False
    story: str | None = None  # the first of ``stories``
    phase: str | None = None
    mark_offset: int = 0  # character offset of the box's mark (' ', 'x' or 'X')
    stories: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "done": self.done,
            "line": self.line,
            "description": self.description,
            "parallel": self.parallel,
            "story": self.story,
            "stories": list(self.stories),
            "phase": self.phase,
        }


class MalformedTask(NamedTuple):
    line: int
    text: str


class TaskList:
    """The tasks of one tasks.md.

    Counts and ID checks come from one ``findall`` over the text; the ``Task`` objects, with
    their lines and phases, are built only when asked for (show, done/undone, findings).
    """

    def __init__(self, document: MarkdownText) -> None:
        self._document = document
        prose = document.prose
        rows = _ITEM.findall("\n" + prose) if "[" in prose else []
        self._task_rows = [row for row in rows if row[2]]
        self._counted_rows = self._task_rows or rows
        self.has_malformed = _MALFORMED.search("\n" + prose) is not None

    @property
    def done(self) -> int:
        return sum(1 for row in self._counted_rows if row[0] != " ")

    @property
    def total(self) -> int:
        return len(self._counted_rows)

    @property
    def ids(self) -> list[str]:
        """Task IDs in document order (duplicates kept)."""
        return [row[2] for row in self._task_rows]

    @property
    def has_blank_description(self) -> bool:
        return any(not row[4].strip() for row in self._task_rows)

    @cached_property
    def _parsed(self) -> tuple[list[Task], list[Task]]:
        return _build_tasks(self._document)

    @property
    def tasks(self) -> list[Task]:
        """Task lines (with an ID), in document order."""
        return self._parsed[0]

    @property
    def checklist(self) -> list[Task]:
        """Checkbox items without a task ID."""
        return self._parsed[1]

    @property
    def counted(self) -> list[Task]:
        """What progress counts: the tasks, or the checklist items when there is no task ID."""
        return self.tasks or self.checklist

    @property
    def open(self) -> list[Task]:
        return [task for task in self.counted if not task.done]

    @cached_property
    def malformed(self) -> list[MalformedTask]:
        if not self.has_malformed:
            return []
        document = self._document
        return [
            MalformedTask(document.line_of(match.start()), document.line_at(match.start()).strip())
            for match in _MALFORMED.finditer("\n" + document.prose)
        ]

    def by_id(self) -> dict[str, list[Task]]:
        found: dict[str, list[Task]] = {}
        for task in self.tasks:
            assert task.id is not None
            found.setdefault(task.id, []).append(task)
        return found


def parse_tasks(source: str | MarkdownText) -> TaskList:
    """Tasks, checklist items and malformed task lines of a tasks.md."""
    return TaskList(source if isinstance(source, MarkdownText) else MarkdownText(source))


def _build_tasks(document: MarkdownText) -> tuple[list[Task], list[Task]]:
    tasks: list[Task] = []
    checklist: list[Task] = []
    prose = document.prose
    if "[" not in prose:
        return tasks, checklist
    phases = [heading for heading in document.headings if heading.level == 2]
    next_phase = 0
    phase: str | None = None
    line_of = document.line_of
    for item in _ITEM.finditer("\n" + prose):
        start = item.start()  # the line's offset in the text
        line = line_of(start)
        while next_phase < len(phases) and phases[next_phase].line <= line:
            phase = phases[next_phase].text.strip()
            next_phase += 1
        mark, task_id, flags, rest = item.group(1, "id", "flags", "rest")
        description = rest.strip() if rest else ""
        mark_offset = item.start(1) - 1
        if task_id is None:
            checklist.append(
                Task(None, mark != " ", line, description, False, None, phase, mark_offset)
            )
            continue
        stories = _stories(flags) if "[US" in flags else ()
        tasks.append(
            Task(
                task_id,
                mark != " ",
                line,
                description,
                "[P]" in flags,
                stories[0] if stories else None,
                phase,
                mark_offset,
                stories,
            )
        )
    return tasks, checklist


def _stories(flags: str) -> tuple[str, ...]:
    """``[US1/2]`` → ``("US1", "US2")``: every story of a task's story labels."""
    found: list[str] = []
    for label in _STORY.findall(flags):
        found.extend(f"US{member}" for member in _STORY_MEMBER.findall(label))
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class TaskUpdate:
    """The outcome of ``tasks done``/``tasks undone``: what changed and what already was so."""

    done: bool
    changed: tuple[Task, ...]
    unchanged: tuple[Task, ...]
    tasks: TaskList

    def as_dict(self) -> dict[str, object]:
        return {
            "done": self.done,
            "changed": [task.id for task in self.changed],
            "unchanged": [task.id for task in self.unchanged],
            "progress": {"done": self.tasks.done, "total": self.tasks.total},
        }


def normalise_id(raw: str) -> str:
    """``t1`` → ``T1``; ``UsageError`` for text that is not a task ID."""
    candidate = raw.strip().strip("*")
    if candidate[:1] == "t":
        candidate = "T" + candidate[1:]
    if not TASK_ID.fullmatch(candidate):
        raise UsageError(f"{raw!r} is not a task ID (expected T followed by digits, e.g. T001)")
    return candidate


def _select(tasks: TaskList, wanted: Sequence[str], shown: str) -> list[Task]:
    by_id = tasks.by_id()
    folded: dict[str, list[Task]] = {}
    for task_id, found in by_id.items():
        folded.setdefault(task_id.casefold(), []).extend(found)
    chosen: list[Task] = []
    unknown: list[str] = []
    for raw in wanted:
        task_id = normalise_id(raw)
        matches = by_id.get(task_id) or folded.get(task_id.casefold(), [])
        if not matches:
            unknown.append(task_id)
        elif len(matches) > 1:
            lines = ", ".join(str(task.line) for task in matches)
            raise UsageError(
                f"task {task_id} appears more than once (lines {lines}); "
                "give each task its own ID first (nothing was changed)",
                path=shown,
            )
        elif matches[0] not in chosen:
            chosen.append(matches[0])
    if unknown:
        names = ", ".join(unknown)
        known = (
            f"; tasks run from {tasks.tasks[0].id} to {tasks.tasks[-1].id}" if tasks.tasks else ""
        )
        raise UsageError(
            f"no task {names} in this tasks.md{known} (nothing was changed)", path=shown
        )
    return chosen


def set_done(path: Path, ids: Sequence[str], *, done: bool, shown: str | None = None) -> TaskUpdate:
    """Tick (``done``) or clear the checkboxes of ``ids`` in ``path``, changing only those bytes.

    Every ID is checked before anything is written: an unknown or duplicated ID raises
    ``UsageError`` and leaves the file untouched. The write is atomic. ``shown`` is the
    path to name in messages (default: ``path``).
    """
    from sdd.base.fileio import locked, read_text, write_atomic

    if not ids:
        raise UsageError("give at least one task ID (e.g. T001)")
    with locked(path.parent):
        try:
            text = read_text(path)
        except ParseError as problem:
            raise ParseError(problem.message, path=shown or path, line=problem.line) from None
        tasks = parse_tasks(text)
        chosen = _select(tasks, ids, shown or str(path))
        mark = _mark_style(text, tasks) if done else " "
        changed = [task for task in chosen if task.done != done]
        unchanged = [task for task in chosen if task.done == done]
        if changed:
            text = _replace_marks(text, sorted(task.mark_offset for task in changed), mark)
            write_atomic(path, text.encode("utf-8"))
            tasks = parse_tasks(text)
    return TaskUpdate(done, tuple(changed), tuple(unchanged), tasks)


def _mark_style(text: str, tasks: TaskList) -> str:
    """The done mark the file already uses most (``x`` unless ``X`` is the majority)."""
    marks = [text[task.mark_offset] for task in tasks.tasks if task.done]
    upper = sum(1 for mark in marks if mark == "X")
    return "X" if upper * 2 > len(marks) else "x"


def _replace_marks(text: str, offsets: list[int], mark: str) -> str:
    pieces: list[str] = []
    previous = 0
    for offset in offsets:
        pieces.append(text[previous:offset])
        pieces.append(mark)
        previous = offset + 1
    pieces.append(text[previous:])
    return "".join(pieces)
