"""``sdd analyze``: the deterministic cross-artifact review of one feature (read-only)."""

from __future__ import annotations

import typer

from sdd.cli.common import FeatureArgument, JsonOption
from sdd.cli.invocation import project_from

_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


def analyze(
    ctx: typer.Context, feature: FeatureArgument = None, as_json: JsonOption = False
) -> None:
    """Review spec.md, plan.md, tasks.md and the constitution together; exit 1 on critical.

    Reports requirements no task covers, unmeasured success criteria, MUST principles the
    Constitution Check skips, open clarifications and placeholders, duplicate requirement
    IDs, phases out of order, dependency cycles and [P] tasks that touch the same file,
    then a coverage table. Codes ANL001-ANL015 are listed in docs/diagnostics.md.

    \b
    Example: sdd analyze 001-user-auth
    """
    from sdd.base.errors import ChecksFailed
    from sdd.cli import render
    from sdd.features.analyze import analyse
    from sdd.features.folders import resolve_feature

    project = project_from(ctx)
    name = resolve_feature(project, feature, command="sdd analyze")
    analysis = analyse(project, name)
    if as_json:
        render.print_json(analysis.as_dict())
    else:
        for finding in analysis.findings:
            style = _STYLE[finding.severity]
            render.markup(
                f"{render.escape(finding.path)}:{finding.line}: "
                f"[{style}]{finding.severity}[/{style}] [bold]{finding.code}[/bold] "
                f"{render.escape(finding.message)}"
            )
        if analysis.coverage:
            render.table(
                ("requirement", "tasks", "plan", "covered"),
                (
                    (
                        row.id,
                        ", ".join(row.tasks) or "-",
                        "yes" if row.in_plan else "no",
                        "yes" if row.covered else "NO",
                    )
                    for row in analysis.coverage
                ),
                no_wrap=("requirement",),
            )
        counts = analysis.counts()
        if analysis.findings:
            summary = ", ".join(f"{count} {level}" for level, count in counts.items() if count)
            render.line(f"{name}: {summary}")
        else:
            render.success(
                f"{name}: no findings in {', '.join(analysis.artifacts) or 'no artifacts'}"
            )
    if analysis.critical:
        raise ChecksFailed(
            "" if not as_json else f"{name}: {analysis.critical} critical finding(s)"
        )
