"""``sdd feature new``: create a numbered feature folder with its spec."""

from __future__ import annotations

from typing import Annotated

import typer

from sdd.cli.common import JsonOption
from sdd.cli.invocation import project_from

app = typer.Typer(
    help="Create numbered feature folders (specs/NNN-slug/spec.md).", no_args_is_help=True
)


@app.command("new")
def new(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What the feature is, e.g. 'User login'.")],
    number: Annotated[
        int | None,
        typer.Option(
            "--number", help="Use this number (exit 2 naming the next free one if taken)."
        ),
    ] = None,
    short_name: Annotated[
        str | None,
        typer.Option("--short-name", help="Name the folder from this instead of the title."),
    ] = None,
    branch: Annotated[
        bool,
        typer.Option("--branch", help="Also create and check out the git branch of the same name."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create specs/NNN-slug/spec.md from the spec template, claiming the next free number.

    \b
    Example: sdd feature new "User login" --branch
    """
    from sdd.cli import render
    from sdd.features.create import create_feature

    project = project_from(ctx)
    created = create_feature(project, title, number=number, short_name=short_name, branch=branch)
    if as_json:
        render.print_json(created.as_dict(project))
        return
    render.success(f"created {project.rel(created.path)}")
    if created.branch:
        render.success(f"switched to the new branch {created.branch}")
    render.note(
        f"Next: fill in the spec (sdd validate {project.rel(created.path)} lists what is left), "
        f"then sdd plan {created.feature}"
    )
