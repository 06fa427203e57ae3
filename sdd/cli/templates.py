"""``sdd templates``: list the templates in use and eject a default for editing."""

from __future__ import annotations

from typing import Annotated

import typer

from sdd.cli.common import JsonOption
from sdd.cli.invocation import project_from

app = typer.Typer(help="List templates and copy a default into the project to customise it.")


@app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Every template with its source: the project's override or sdd's default.

    \b
    Example: sdd templates list
    """
    from sdd.base import templates
    from sdd.cli import render

    project = project_from(ctx)
    infos = templates.list_templates(project.paths.templates)
    if as_json:
        render.print_json(templates.list_document(infos))
        return
    render.table(("template", "source", "path"), [(t.name, t.source, t.path) for t in infos])


@app.command("eject")
def eject_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Template name, as shown by 'sdd templates list'.")],
) -> None:
    """Copy a default template into the project's template folder; never overwrites.

    \b
    Example: sdd templates eject spec
    """
    from sdd.base import templates
    from sdd.cli import render

    project = project_from(ctx)
    destination = templates.eject(name, project.paths.templates, project.root)
    render.success(f"ejected {destination.name} to {project.rel(destination)}; edit it there")
