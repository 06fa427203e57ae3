"""``sdd plan`` and ``sdd tasks``: create plan.md and tasks.md; tick tasks off.

``sdd tasks`` has three forms: ``sdd tasks [FEATURE]`` creates tasks.md, ``sdd tasks done
ID…`` and ``sdd tasks undone ID…`` flip checkboxes. Feature folders are always named
``NNN-slug``, so a feature can never be called ``done`` or ``undone``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sdd.cli import completion
from sdd.cli.common import FeatureArgument, JsonOption
from sdd.cli.invocation import project_from

FeatureOption = Annotated[
    str | None,
    typer.Option(
        "--feature",
        envvar="SDD_FEATURE",
        autocompletion=completion.features,
        show_default=False,
        help="Feature for next/done/undone (default: SDD_FEATURE, else the current branch).",
    ),
]
ARTIFACT_FORCE_HELP = "Overwrite an existing file, or create it without its prerequisite."


def _create(
    ctx: typer.Context, feature: str | None, artifact: str, force: bool, as_json: bool
) -> None:
    from sdd.cli import render
    from sdd.features.create import create_artifact
    from sdd.features.folders import resolve_feature

    project = project_from(ctx)
    command = "sdd " + artifact.removesuffix(".md")
    name = resolve_feature(project, feature, command=command)
    created = create_artifact(project, name, artifact, force=force)
    if as_json:
        render.print_json(created.as_dict(project))
        return
    verb = "overwrote" if created.overwritten else "created"
    render.success(f"{verb} {project.rel(created.path)}")
    following = "sdd tasks" if artifact == "plan.md" else "sdd tasks done T001"
    render.note(f"Next: fill it in, then {following} ({name})")


def plan(
    ctx: typer.Context,
    feature: FeatureArgument = None,
    force: Annotated[bool, typer.Option("--force", help=ARTIFACT_FORCE_HELP)] = False,
    as_json: JsonOption = False,
) -> None:
    """Create the feature's plan.md from the plan template (needs spec.md).

    \b
    Example: sdd plan 001
    """
    _create(ctx, feature, "plan.md", force, as_json)


def tasks(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FEATURE] | next [FEATURE] | done ID... | undone ID...",
            show_default=False,
            help="A feature to create tasks.md for, or done/undone and task IDs.",
        ),
    ] = None,
    feature: FeatureOption = None,
    force: Annotated[bool, typer.Option("--force", help=ARTIFACT_FORCE_HELP)] = False,
    as_json: JsonOption = False,
) -> None:
    """Create tasks.md (needs plan.md), show the tasks to start next, or mark tasks done.

    \b
    sdd tasks [FEATURE]            create the feature's tasks.md from the tasks template
    sdd tasks next [FEATURE]       the tasks that can start now (dependencies respected)
    sdd tasks done T001 [T002 …]   tick those checkboxes (every other byte unchanged)
    sdd tasks undone T001 …        clear them again

    \b
    Example: sdd tasks done 001-user-login T001 T002
    """
    from sdd.base.errors import UsageError

    arguments = list(words or [])
    if arguments and arguments[0] == "next":
        from sdd.cli.tasks_next import show_next

        show_next(ctx, arguments[1:], feature, as_json)
        return
    if arguments and arguments[0] in ("done", "undone"):
        _flip(ctx, feature, arguments[1:], arguments[0] == "done", as_json)
        return
    if len(arguments) > 1:
        raise UsageError(
            "expected 'sdd tasks [FEATURE]', 'sdd tasks next [FEATURE]', 'sdd tasks done ID…' "
            "or 'sdd tasks undone ID…'"
        )
    _create(ctx, arguments[0] if arguments else feature, "tasks.md", force, as_json)


def _flip(
    ctx: typer.Context, feature: str | None, words: list[str], done: bool, as_json: bool
) -> None:
    from sdd.cli import render
    from sdd.features.progress import mark_tasks

    marked = mark_tasks(project_from(ctx), words, feature=feature, done=done)
    if as_json:
        render.print_json(marked.as_dict())
        return
    update, name = marked.update, marked.feature
    state = "done" if done else "open"
    for task in update.changed:
        render.success(f"{task.id} {state}: {task.description}")
    for task in update.unchanged:
        render.note(f"{task.id} was already {state}")
    render.line(f"{name}: {update.tasks.done}/{update.tasks.total} tasks done")
