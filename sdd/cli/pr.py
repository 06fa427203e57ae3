"""``sdd pr``: pull requests — the review checklist, read from the repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdd.cli import completion
from sdd.cli.common import JsonOption
from sdd.cli.invocation import project_from

app = typer.Typer(
    help="Pull requests: a review checklist read from the repository.", no_args_is_help=True
)


@app.callback()
def pr() -> None:
    """Pull requests: a review checklist read from the repository."""


@app.command("checklist")
def checklist(
    ctx: typer.Context,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar="REF",
            help="The branch the pull request goes into (default: the branch's upstream when it "
            "is another branch, else origin/HEAD, main, master).",
        ),
    ] = None,
    feature: Annotated[
        str | None,
        typer.Option(
            "--feature",
            envvar="SDD_FEATURE",
            autocompletion=completion.features,
            help="Feature folder (name or number); default: the branch's, else the one feature "
            "folder the changes touch.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            metavar="FILE",
            help="Write to FILE instead of standard output, for gh pr create --body-file FILE. "
            "FILE is your destination: any path (relative to the working directory, also "
            "outside the project), replaced atomically; its folder must exist.",
            dir_okay=False,
        ),
    ] = None,
    every_project: Annotated[
        bool,
        typer.Option("--all", help="A section per project the changes touch (monorepos)."),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Review checklist of the branch's changes: Markdown for a PR body, or --json.

    \b
    Example: sdd pr checklist --base main --output /tmp/pr-body.md
    """
    from sdd.cli import render
    from sdd.pr import checklist as checklists
    from sdd.pr.items import printable

    if every_project:
        text = _all_projects(base, feature, json_output=json_output)
    else:
        project = project_from(ctx)
        result = checklists.build(project, base=base, feature=feature)
        if json_output:
            text = render.json_text(result.as_dict())
        else:
            text = checklists.render_markdown(project, result)
    text = printable(text)
    if output is None:
        render.document(text)
        return
    written = checklists.write_output(output, text)
    render.success(f"wrote the checklist to {written}", err=True)


def _all_projects(base: str | None, feature: str | None, *, json_output: bool) -> str:
    from sdd.base.errors import UsageError
    from sdd.cli import render
    from sdd.overview.repository import repository_top
    from sdd.pr import checklist as checklists

    if feature:
        raise UsageError("--all makes one checklist per project; give --feature without --all")
    top = repository_top(Path.cwd())
    result = checklists.build_all(top, base=base)
    if json_output:
        return render.json_text(result.as_dict())
    return checklists.render_all_markdown(result)
