"""``sdd validate``: the one project-wide validator (feature artifacts, PHRs, ADRs, ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdd.cli.common import JsonOption, print_report_and_exit, project_from


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            show_default=False, help="Files or folders to check (default: the whole project)."
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    staged: Annotated[
        bool, typer.Option("--staged", help="Check only the files staged in git (for hooks).")
    ] = False,
    every_project: Annotated[
        bool,
        typer.Option("--all", help="Check every sdd project of the repository (monorepos)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check every artifact (or the given paths); exit 1 when an error is found."""
    from sdd.validation.validate import selection_for
    from sdd.validation.validate import validate as run_validation

    if every_project:
        from sdd.base.errors import UsageError
        from sdd.overview.repository import load_projects, repository_top, validate_all

        if paths or staged:
            raise UsageError("--all checks every project whole; give no paths and no --staged")
        states = load_projects(repository_top(Path.cwd()))
        if not states:
            raise UsageError("no sdd project in this repository", hint="create one with sdd init")
        print_report_and_exit(validate_all(states, strict=strict), as_json=as_json)
        return
    project = project_from(ctx)
    selection = selection_for(project, paths or [], staged=staged)
    report = run_validation(project, selection, strict=strict)
    print_report_and_exit(report, as_json=as_json)
