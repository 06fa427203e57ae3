"""``sdd tasks done``/``undone``: which feature's tasks.md (inside the project), marked in place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdd.base.errors import UsageError
from sdd.base.paths import ensure_inside
from sdd.features.folders import resolve_feature
from sdd.features.tasks import TaskUpdate, normalise_id, set_done

if TYPE_CHECKING:
    from sdd.project.project import Project

SCHEMA = "sdd.tasks-update/1"


@dataclass(frozen=True)
class TasksMarked:
    """The outcome of marking tasks of one feature, with its JSON document."""

    feature: str
    path: str
    update: TaskUpdate

    def as_dict(self) -> dict[str, object]:
        return {"schema": SCHEMA, "feature": self.feature, "path": self.path} | (
            self.update.as_dict()
        )


def _is_task_id(word: str) -> bool:
    try:
        normalise_id(word)
    except UsageError:
        return False
    return True


def split_feature(words: Sequence[str], feature: str | None) -> tuple[str | None, list[str]]:
    """The feature and the task IDs of ``done 001-user-auth T001``: a leading word that is not
    a task ID names the feature (the natural guess), unless ``--feature`` already did."""
    ids = list(words)
    if ids and not _is_task_id(ids[0]):
        if feature is not None:
            raise UsageError(
                f"{ids[0]!r} is not a task ID, and --feature already names the feature "
                "(expected: sdd tasks done T001 [T002 …] --feature NAME)"
            )
        feature, ids = ids[0], ids[1:]
        if not ids:
            raise UsageError(f"give the task IDs after the feature: sdd tasks done {feature} T001")
    return feature, ids


def mark_tasks(
    project: Project, words: Sequence[str], *, feature: str | None, done: bool
) -> TasksMarked:
    """Tick (``done``) or clear the tasks ``words`` name in the feature's tasks.md.

    ``words`` may start with the feature (``001-user-auth T001``). A tasks.md linked elsewhere
    in the project is changed where it lies; one leading out of the project is refused.
    """
    feature, ids = split_feature(words, feature)
    return mark_in_feature(project, ids, feature=feature, done=done)


def mark_in_feature(
    project: Project, ids: Sequence[str], *, feature: str | None, done: bool
) -> TasksMarked:
    """``mark_tasks`` once the feature and the task IDs are known apart (the MCP tools)."""
    name = resolve_feature(project, feature)
    path = project.paths.specs / name / "tasks.md"
    shown = project.rel(path)
    if not path.is_file():
        raise UsageError(f"{shown} does not exist; create it with: sdd tasks {name}")
    target = ensure_inside(path, project.root).resolve()
    return TasksMarked(name, shown, set_done(target, ids, done=done, shown=shown))
