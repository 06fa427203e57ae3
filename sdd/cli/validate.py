"""``sdd validate``: the one project-wide validator (feature artifacts, PHRs, ADRs, ...)."""

# No ``from __future__ import annotations``: typer reads the commands' parameters from their
# annotations, and string ones it would evaluate (parse and compile) on every run.

from pathlib import Path
from typing import Annotated

import typer

from sdd.cli.common import JsonOption, print_report_and_exit
from sdd.cli.invocation import project_from


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
    baseline: Annotated[
        bool,
        typer.Option(
            "--baseline",
            help="Record every current finding in .sdd/baseline.json (commit it); "
            "later runs and the hook report only new ones.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check every artifact (or the given paths); exit 1 when an error is found.

    \b
    Example: sdd validate --strict
    """
    from sdd.cli import render
    from sdd.project.baseline import load_baseline
    from sdd.validation.validate import record_baseline, selection_for, validate_against

    if every_project:
        from sdd.base.errors import UsageError
        from sdd.overview.repository import load_projects, repository_top, validate_all

        if paths or staged or baseline:
            raise UsageError(
                "--all checks every project whole; give no paths, no --staged, no --baseline"
            )
        states = load_projects(repository_top(Path.cwd()))
        if not states:
            raise UsageError("no sdd project in this repository", hint="create one with sdd init")
        print_report_and_exit(validate_all(states, strict=strict), as_json=as_json)
        return
    project = project_from(ctx)
    if baseline:
        if paths or staged:
            from sdd.base.errors import UsageError

            raise UsageError("--baseline records the whole project; give no paths or --staged")
        recorded, written = record_baseline(project)
        render.success(f"{recorded.size} finding(s) baselined in {project.rel(written)}")
        return
    with render.progress("Validating…", as_json=as_json):
        selection = selection_for(project, paths or [], staged=staged)
        outcome = validate_against(
            project, selection, load_baseline(project.root), strict=strict, use_cache=not staged
        )
    if outcome.baselined and not as_json:
        render.note(f"{outcome.baselined} baselined finding(s) not shown (.sdd/baseline.json)")
    print_report_and_exit(outcome.report, as_json=as_json)
