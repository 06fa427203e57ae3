"""The typer application behind ``sdd``: a root group that builds only the command it runs.

``sdd.cli.main.COMMANDS`` lists the commands and hands them to ``application``; the group
imports a command's module and turns it into a click command only when that command is
invoked, completed or asked for help, and gives its parameters plain conversions instead of
typer's pydantic adapters (ADR 0090).
"""

# No ``from __future__ import annotations``: typer reads the commands' parameters from their
# annotations, and string ones it would evaluate (parse and compile) on every run.

import importlib
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from sdd.cli.coercion import plain_parameters
from sdd.cli.registry import Command

if TYPE_CHECKING:
    from sdd.base.failure import Failure


def _report(failure: "Failure") -> None:
    from sdd.base.failure import EXIT_INTERNAL
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


def _report_json(failure: "Failure") -> None:
    """A refused or failed ``--json`` command still prints one JSON document on stdout."""
    from sdd.cli import render

    render.print_json(failure.as_dict())


def _build(entry: Command) -> Any:
    module_name, _, attribute = entry.target.partition(":")
    target = getattr(importlib.import_module(module_name), attribute)
    command: Any
    if isinstance(target, typer.Typer):
        target.rich_markup_mode = None
        command = typer.main.get_group(target)
    else:
        holder = typer.Typer(add_completion=False, rich_markup_mode=None)
        holder.command(entry.name)(target)
        command = typer.main.get_command(holder)
    command.name = entry.name
    plain_parameters(command)
    return command


class SddGroup(TyperGroup):
    """Root group: lazy commands listed by workflow, and one mapping of errors to exit codes."""

    entries: tuple[Command, ...] = ()
    sections: tuple[str, ...] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        plain_parameters(self)

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        import os

        if os.environ.get(complete_var or "_SDD_COMPLETE"):
            from typer._completion_classes import completion_init

            completion_init()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def list_commands(self, ctx: Any) -> list[str]:
        table = [entry.name for entry in self.entries]
        return table + [name for name in self.commands if name not in table]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = self.commands.get(cmd_name)
        if found is not None:
            return found
        for entry in self.entries:
            if entry.name == cmd_name:
                self.commands[cmd_name] = _build(entry)
                return self.commands[cmd_name]
        return None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        listed = {entry.name for entry in self.entries}
        for section in self.sections:
            rows = [(e.name, e.summary) for e in self.entries if e.section == section]
            if rows:
                with formatter.section(section):
                    formatter.write_dl(rows)
        others = [
            (name, command.get_short_help_str(80))
            for name, command in self.commands.items()
            if name not in listed and not command.hidden
        ]
        if others:
            with formatter.section("Other"):
                formatter.write_dl(others)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        formatter.write_paragraph()
        formatter.write_text(
            "Run 'sdd COMMAND --help' for a command's options and an example. "
            "First steps: sdd init, then sdd feature new 'Title', then sdd status."
        )

    def invoke(self, ctx: Any) -> Any:
        from sdd.cli.render import tolerate_undecodable_names

        tolerate_undecodable_names()
        wants_json = "--json" in (*ctx._protected_args, *ctx.args)
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except (Exception, KeyboardInterrupt) as error:
            from sdd.base.failure import EXIT_CHECKS_FAILED, EXIT_OK, failure_for

            failure = failure_for(error)
            _report(failure)
            # Exit 1 (a check failed) follows a report the command already printed; exit 0 here
            # is a reader that went away, with nobody left to read one.
            if wants_json and failure.exit_code not in (EXIT_CHECKS_FAILED, EXIT_OK):
                _report_json(failure)
            raise typer.Exit(failure.exit_code) from None


class State:
    """Options of the root command, passed to every command through the context."""

    def __init__(self, project: Path | None) -> None:
        self.project = project


def _version(value: bool) -> None:
    from sdd import __version__

    if value:
        sys.stdout.write(f"sdd {__version__}\n")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            envvar="SDD_PROJECT",
            metavar="DIR",
            help="Project folder (default: the nearest folder with sdd.yaml, else the git top).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    if project is not None and project.exists() and not project.is_dir():
        from sdd.base.errors import UsageError

        raise UsageError(f"--project {project} is a file; give the project's folder")
    ctx.obj = State(project)


@cache
def application(commands: tuple[Command, ...], sections: tuple[str, ...]) -> typer.Typer:
    """The ``sdd`` application over the command table ``commands``."""
    app = typer.Typer(
        cls=type("SddRoot", (SddGroup,), {"entries": commands, "sections": sections}),
        name="sdd",
        help=(
            "Deterministic spec-driven development: sdd creates and checks feature specs, plans "
            "and tasks, Prompt History Records and Architecture Decision Records, suggests an ADR "
            "when a change is architecturally significant, and installs git hooks and agent "
            "commands that apply these rules on every commit."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    return app
