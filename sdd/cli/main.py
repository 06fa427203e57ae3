"""The ``sdd`` command: the table of commands and the console-script entry point.

Exit codes: 0 success; 1 a check found errors (``ChecksFailed``); 2 usage, configuration or a
refused action (every other ``SddError``, and bad arguments); 3 an unexpected internal error,
reported in one line with the path of a log holding the traceback; 130 interrupted.

This module imports neither typer nor the core (ADR 0090): ``sdd --version`` is answered here,
and every other invocation builds only the one command it runs (``sdd.cli.app``). A new
command is one line in ``COMMANDS``: its name, ``module:attribute`` (a function, or a
``typer.Typer`` for a command group), its section of ``sdd --help`` and its one-line summary.
"""

from __future__ import annotations

import sys
from typing import Any

from sdd import __version__
from sdd.cli.registry import (
    AGENTS,
    DECISIONS,
    FEATURES,
    HOOKS_AND_PRS,
    PROJECT,
    PROMPTS,
    SECTIONS,
    Command,
)

# In workflow order: the order of ``sdd --help``. One line per command.
# fmt: off
COMMANDS: tuple[Command, ...] = (
    Command("init", "sdd.cli.init:init", PROJECT, "Set up sdd in a repository."),
    Command("status", "sdd.cli.status:status", PROJECT, "Progress of every feature at a glance."),
    Command("validate", "sdd.cli.validate:validate", PROJECT, "Check every artifact."),
    Command("doctor", "sdd.cli.doctor:doctor", PROJECT, "Check the project and its environment."),
    Command("projects", "sdd.cli.projects:projects", PROJECT, "The sdd projects of a monorepo."),
    Command("templates", "sdd.cli.templates:app", PROJECT, "List templates; copy one to edit it."),
    Command("demo", "sdd.cli.demo:demo", PROJECT, "Walk through sdd on a sample repository."),
    Command("completion", "sdd.cli.completion:completion", PROJECT, "Shell completion code."),
    Command("feature", "sdd.cli.feature:app", FEATURES, "Create a numbered feature and its spec."),
    Command("plan", "sdd.cli.plan:plan", FEATURES, "Create the feature's plan.md."),
    Command("tasks", "sdd.cli.plan:tasks", FEATURES, "Create tasks.md; mark tasks done/undone."),
    Command("clarify", "sdd.cli.clarify:clarify", FEATURES, "Open questions; answer them."),
    Command("analyze", "sdd.cli.analyze:analyze", FEATURES, "Cross-check spec, plan and tasks."),
    Command("show", "sdd.cli.status:show", FEATURES, "One feature in depth."),
    Command("site", "sdd.cli.site:site", PROJECT, "A browsable static site of the project."),
    Command("phr", "sdd.cli.phr:app", PROMPTS, "Prompt History Records: create, list, show."),
    Command("adr", "sdd.cli.adr:app", DECISIONS, "Decisions: detect, create, supersede."),
    Command("hooks", "sdd.cli.hooks:app", HOOKS_AND_PRS, "Git hooks that never clobber yours."),
    Command("pr", "sdd.cli.pr:app", HOOKS_AND_PRS, "A pull-request review checklist."),
    Command("agents", "sdd.cli.agents:app", AGENTS, "Slash commands for AI coding agents."),
    Command("mcp", "sdd.cli.mcp:mcp", AGENTS, "Serve sdd to AI agents over MCP (stdio)."),
)
# fmt: on


def run() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"sdd {__version__}\n")
        return
    from sdd.cli.app import application

    application(COMMANDS, SECTIONS)(prog_name="sdd")


def __getattr__(name: str) -> Any:
    # ``from sdd.cli.main import app`` keeps working without making every import pay for typer.
    if name == "app":
        from sdd.cli.app import application

        return application(COMMANDS, SECTIONS)
    if name == "SddGroup":
        from sdd.cli.app import SddGroup

        return SddGroup
    raise AttributeError(name)
