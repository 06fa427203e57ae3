"""``sdd demo``: a guided walkthrough on a sample repository, for newcomers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

SHOWN_LINES = 24


def _shortened(lines: list[str]) -> list[str]:
    """Long outputs keep their head and their conclusion (the verdict comes last)."""
    if len(lines) <= SHOWN_LINES:
        return lines
    head, tail = lines[: SHOWN_LINES - 8], lines[-6:]
    hidden = len(lines) - len(head) - len(tail)
    return [*head, f"… {hidden} more lines (run the command in the demo folder to see all)", *tail]


def demo(
    directory: Annotated[
        Path,
        typer.Argument(help="Folder for the sample repository (new or empty).", file_okay=False),
    ] = Path("sdd-demo"),
) -> None:
    """Build a sample service repository in DIR and walk through sdd on it, step by step.

    \b
    Example: sdd demo /tmp/sdd-demo
    """
    from sdd.cli import render
    from sdd.demo.tour import StepResult, run_demo

    def show(step: StepResult) -> None:
        if step.number == 1:
            render.markup(
                f"[bold]sdd demo[/bold]: a sample service in {render.escape(str(directory))}"
            )
        render.markup("")
        render.markup(f"[bold cyan]{step.number:>2}. {render.escape(step.title)}[/bold cyan]")
        style = "magenta" if step.by_agent else "bold"
        prompt = "  " if step.by_agent else "  $ "
        render.markup(f"[{style}]{prompt}{render.escape(step.command)}[/{style}]")
        for text in _shortened(step.output.splitlines()):
            render.line(f"    {text}")

    result = run_demo(directory, show)
    render.markup("")
    render.success(f"Demo finished: {result.steps} steps ran and every result was as expected.")
    render.line(f"The sample repository is left in {result.directory} for you to explore:")
    for hint in (
        f"cd {result.directory}",
        "sdd status                       # every feature at a glance",
        "sdd show 001-user-authentication # the feature in depth",
        "sdd adr list                     # decisions, with their status",
        "sdd phr list                     # the recorded prompts",
        "sdd pr checklist --base main     # the whole pull-request checklist",
        "git log --oneline --all          # what the demo committed",
    ):
        render.line(f"  {hint}")
