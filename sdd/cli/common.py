"""Pieces every command module shares: common options, printing a validation report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli import completion

if TYPE_CHECKING:
    from sdd.base.diagnostics import Report

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document instead of text.")
]
YesOption = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Answer yes to the confirmation (needed without a terminal)."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite existing files.")]
FeatureArgument = Annotated[
    str | None,
    typer.Argument(
        envvar="SDD_FEATURE",
        show_default=False,
        autocompletion=completion.features,
        help="Feature folder name or number (default: SDD_FEATURE, else the current branch).",
    ),
]


def print_report_and_exit(report: Report, *, as_json: bool) -> None:
    """Render a validation report (JSON or one line per finding); exit 1 if it has errors."""
    from sdd.base.errors import ChecksFailed
    from sdd.cli import render

    if as_json:
        render.print_json(report.as_dict())
    else:
        render.findings(report.findings)
        render.report_summary(report)
    if not report.ok:
        raise ChecksFailed("")
