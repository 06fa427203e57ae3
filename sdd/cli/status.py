"""``sdd status`` (every feature, one row each) and ``sdd show FEATURE`` (one in depth)."""

# No ``from __future__ import annotations``: typer reads the commands' parameters from their
# annotations, and string ones it would evaluate (parse and compile) on every run.

from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli.common import FeatureArgument, JsonOption
from sdd.cli.invocation import project_from

if TYPE_CHECKING:
    from sdd.overview.status import FeatureStatus


def status(
    ctx: typer.Context,
    every_project: Annotated[
        bool,
        typer.Option("--all", help="Every sdd project of the repository (monorepos)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """One row per feature: artifacts, tasks done, open clarifications, errors, PHRs, ADRs.

    \b
    Example: sdd status --all
    """
    from sdd.cli import render
    from sdd.overview.status import project_status, status_document

    if every_project:
        _status_all(as_json=as_json)
        return
    project = project_from(ctx)
    rows = project_status(project)
    if as_json:
        render.print_json(status_document(rows))
        return
    if not rows:
        render.line("No features yet: create one with sdd feature new 'Title'.")
        return

    render.table(
        COLUMNS,
        [_cells(row) for row in rows],
        no_wrap=("feature", "tasks"),
    )


COLUMNS = ("feature", "artifacts", "tasks", "clarify", "errors", "PHRs", "ADRs")


def _cells(row: "FeatureStatus") -> tuple[object, ...]:
    return (
        row.feature,
        " ".join(row.artifacts) or "-",
        f"{row.tasks_done}/{row.tasks_total}",
        row.clarifications,
        row.errors,
        len(row.records.phr_names),
        len(row.records.adrs),
    )


def _status_all(*, as_json: bool) -> None:
    from pathlib import Path

    from sdd.cli import render
    from sdd.overview.repository import load_projects, repository_top, status_all

    results = status_all(load_projects(repository_top(Path.cwd())))
    if as_json:
        render.print_json(results.as_dict())
        return
    if not results.projects:
        render.line("No sdd project in this repository: create one with sdd init.")
        return
    rows: list[tuple[object, ...]] = []
    for state, features in results.projects:
        if not features:
            rows.append((state.name, "(no features)", "-", "-", "-", "-", "-", "-"))
        rows.extend((state.name, *_cells(row)) for row in features)
    render.table(
        ("project", *COLUMNS),
        rows,
        no_wrap=("project", "feature", "tasks"),
    )


def show(
    ctx: typer.Context,
    feature: FeatureArgument = None,
    as_json: JsonOption = False,
) -> None:
    """One feature in depth: artifacts, open tasks, requirements and their coverage, findings.

    \b
    Example: sdd show 001
    """
    from sdd.cli import render
    from sdd.features.folders import resolve_feature
    from sdd.overview.status import feature_detail

    project = project_from(ctx)
    detail = feature_detail(project, resolve_feature(project, feature, command="sdd show"))
    if as_json:
        render.print_json(detail.as_dict())
        return
    row = detail.status
    render.markup(f"[bold]{render.escape(row.feature)}[/bold]  ({render.escape(row.path)})")
    render.line(f"artifacts: {', '.join(row.artifacts) or 'none'}")
    render.line(f"tasks: {row.tasks_done}/{row.tasks_total} done")
    render.line(f"open clarifications: {row.clarifications}")
    render.line(f"validation: {row.errors} errors, {row.warnings} warnings")
    render.line(f"PHRs: {len(row.records.phr_names)}  ADRs: {len(row.records.adrs)}")
    for path in (*row.records.phrs, *row.records.adrs):
        render.note(f"  {path}")
    if detail.open_tasks:
        render.table(
            ("task", "line", "phase", "description"),
            [
                (task.id or "-", task.line, task.phase or "", task.description)
                for task in detail.open_tasks
            ],
            title="Open tasks",
            no_wrap=("task",),
        )
    if detail.requirements:
        data = detail.as_dict()["requirements"]
        assert isinstance(data, list)
        render.table(
            ("requirement", "line", "covered", "text"),
            [
                (
                    item["id"],
                    item["line"],
                    {True: "yes", False: "NO", None: "-"}[item["covered"]],
                    item["text"],
                )
                for item in data
            ],
            title="Requirements",
            no_wrap=("requirement",),
        )
    if detail.findings:
        render.findings(detail.findings)
