"""``sdd tasks next``: the tasks of a feature that can start now."""

from __future__ import annotations

import typer

from sdd.cli.invocation import project_from


def show_next(ctx: typer.Context, words: list[str], feature: str | None, as_json: bool) -> None:
    from sdd.base.errors import ChecksFailed, UsageError
    from sdd.cli import render
    from sdd.features.task_order import next_in_feature

    if len(words) > 1:
        raise UsageError("expected 'sdd tasks next [FEATURE]'")
    result = next_in_feature(project_from(ctx), words[0] if words else feature)
    name, shown, found = result.feature, result.path, result.found
    for duplicate in found.duplicates:
        render.warn(
            f"{shown}:{duplicate.line}: task ID {duplicate.id} is used again; only its first "
            "line is ordered (give each task its own ID)"
        )
    if as_json:
        render.print_json(result.as_dict())
    elif found.total == 0:
        render.warn(f"{shown} holds no task IDs ('- [ ] T001 Description'); nothing to order")
    elif found.remaining == 0:
        render.success(f"{name}: all {found.total} tasks are done; nothing left to start")
    elif found.ready:
        count = len(found.ready)
        how = f"{count} tasks to start in parallel" if found.parallel else "1 task to start next"
        render.line(f"{name}: {how} ({found.phase or 'no phase'})")
        for task in found.ready:
            marker = " [P]" if task.parallel else ""
            render.line(f"  {task.id}{marker} {task.description}  ({shown}:{task.line})")
        ids = " ".join(task.id for task in found.ready if task.id)
        render.note(f"{found.remaining} open of {found.total}; when finished: sdd tasks done {ids}")
    if found.remaining and not found.ready:
        cycles = "; ".join(" → ".join(cycle) for cycle in found.blocked_by_cycle) or "unknown"
        if not as_json:
            render.error(f"{shown}: {found.remaining} open tasks wait on each other ({cycles})")
        raise ChecksFailed("" if not as_json else f"{shown}: dependency cycle ({cycles})")
