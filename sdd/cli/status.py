"""``sdd status`` (every feature, one row each) and ``sdd show FEATURE`` (one in depth)."""

from __future__ import annotations

import typer

from sdd.cli.common import FeatureArgument, JsonOption, project_from


def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """One row per feature: artifacts, tasks done, open clarifications, errors, PHRs, ADRs.

    \b
    Example: sdd status
    """
    from sdd.cli import render
    from sdd.overview.status import project_status, status_document

    project = project_from(ctx)
    rows = project_status(project)
    if as_json:
        render.print_json(status_document(rows))
        return
    if not rows:
        render.line("No features yet: create one with sdd feature new 'Title'.")
        return

    render.table(
        ("feature", "artifacts", "tasks", "clarify", "errors", "PHRs", "ADRs"),
        [
            (
                row.feature,
                " ".join(row.artifacts) or "-",
                f"{row.tasks_done}/{row.tasks_total}",
                row.clarifications,
                row.errors,
                len(row.records.phr_names),
                len(row.records.adrs),
            )
            for row in rows
        ],
        no_wrap=("feature", "tasks"),
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
    from sdd.overview.status import feature_detail

    project = project_from(ctx)
    detail = feature_detail(project, feature)
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
