"""The ``sdd`` command: the root group, its options, and the one mapping of errors to exit codes.

Exit codes: 0 success; 1 a check found errors (``ChecksFailed``); 2 usage, configuration or a
refused action (every other ``SddError``, and bad arguments); 3 an unexpected internal error,
reported in one line with the path of a log holding the traceback; 130 interrupted.

Command modules import only typer at module level: the core and its heavy libraries are
imported inside the commands, so ``sdd --help`` and ``sdd --version`` stay fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from sdd import __version__
from sdd.base.failure import EXIT_INTERNAL, Failure, failure_for
from sdd.cli import (
    adr,
    agents,
    demo,
    doctor,
    feature,
    hooks,
    init,
    phr,
    plan,
    pr,
    projects,
    status,
    templates,
    validate,
)


def _report(failure: Failure) -> None:
    from sdd.cli import render

    for line in failure.findings:
        where, _, rest = line.partition(": error CFG001 ")
        render.error_console().print(
            f"{render.escape(where)}: [bold red]error[/bold red] [bold]CFG001[/bold] "
            f"{render.escape(rest)}"
        )
    if failure.message:
        if failure.exit_code == EXIT_INTERNAL:
            sys.stderr.write(f"sdd: {failure.message}\n")
        else:
            render.error(failure.message)
    if failure.hint:
        render.error_console().print(f"  [dim]hint: {render.escape(failure.hint)}[/dim]")


class SddGroup(TyperGroup):
    """Root group that turns every error raised below it into a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        from sdd.cli.render import tolerate_undecodable_names

        tolerate_undecodable_names()
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except (Exception, KeyboardInterrupt) as error:
            failure = failure_for(error)
            _report(failure)
            raise typer.Exit(failure.exit_code) from None


app = typer.Typer(
    cls=SddGroup,
    name="sdd",
    help="Deterministic spec-driven development: specs, prompt history, ADRs, hooks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    """Options of the root command, passed to every command through the context."""

    def __init__(self, project: Path | None) -> None:
        self.project = project


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"sdd {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            envvar="SDD_PROJECT",
            help="Project folder (default: the nearest folder with sdd.yaml, else the git top).",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = State(project)


app.command("init")(init.init)
app.command("doctor")(doctor.doctor)
app.add_typer(templates.app, name="templates")
app.add_typer(feature.app, name="feature")
app.command("plan")(plan.plan)
app.command("tasks")(plan.tasks)
app.command("status")(status.status)
app.command("show")(status.show)
app.command("validate")(validate.validate)
app.command("projects")(projects.projects)
app.add_typer(phr.app, name="phr")
app.add_typer(adr.app, name="adr")
app.add_typer(hooks.app, name="hooks")
app.add_typer(agents.app, name="agents")
app.add_typer(pr.app, name="pr")
app.command("demo")(demo.demo)


def run() -> None:
    """Console-script entry point."""
    app(prog_name="sdd")
