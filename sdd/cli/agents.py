"""``sdd agents``: install the sp.* slash commands for AI coding agents, and list them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli import completion
from sdd.cli.common import JsonOption
from sdd.cli.invocation import project_from

if TYPE_CHECKING:
    from sdd.agents.plan import AgentPlan

app = typer.Typer(help="Install the sp.* slash commands for AI coding agents, and list them.")

_SAID = {
    "created": "created {what}",
    "updated": "updated {what} (template changed)",
    "overwritten": "overwrote {what} (--force)",
}
_RULES_SAID = {
    "created": "created {path} with the sdd block",
    "inserted": "added the sdd block to {path}",
    "updated": "updated the sdd block in {path}",
}


@app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Every known agent: where it reads commands, their format, and whether they are installed.

    \b
    Example: sdd agents list
    """
    from sdd.agents.plan import status, status_document
    from sdd.cli import render

    plans = status(project_from(ctx))
    if as_json:
        render.print_json(status_document(plans))
        return
    render.table(
        ("agent", "commands", "format", "arguments", "rules file", "status", "facts from"),
        [
            (
                plan.agent.key,
                plan.agent.folder + "/",
                plan.agent.format,
                plan.agent.arguments or "(appended)",
                plan.agent.rules_file,
                plan.summary(),
                plan.agent.source,
            )
            for plan in plans
        ],
        no_wrap=("agent", "commands"),
    )


def _report(plan: AgentPlan) -> None:
    from sdd.cli import render

    agent = plan.agent
    render.markup(f"[bold]{render.escape(agent.title)}[/bold] ({agent.key})")
    total = len(plan.files)
    for action, said in _SAID.items():
        paths = [file.path for file in plan.files if file.action == action]
        if len(paths) == total:
            render.success(said.format(what=f"{total} command files in {agent.folder}/"))
        else:
            for path in paths:
                render.success(said.format(what=path))
    for file in plan.files:
        if file.action == "kept":
            reason = "edited since sdd wrote it" if file.state == "edited" else "not written by sdd"
            render.warn(f"kept {file.path}: {reason}; pass --force to replace it")
    unchanged = sum(file.action == "unchanged" for file in plan.files)
    if unchanged:
        render.note(f"{unchanged} of {total} command files up to date")
    if plan.rules.action in _RULES_SAID:
        render.success(_RULES_SAID[plan.rules.action].format(path=plan.rules.path))
    else:
        render.note(f"sdd block in {plan.rules.path} up to date")
    render.note(f"invoke with {agent.invoke('sp.specify')} and the other sp.* commands")
    if plan.mcp is not None and plan.mcp.action not in ("unchanged", "absent"):
        render.note(f"sdd mcp server: {plan.mcp.action} in {plan.mcp.path}")


@app.command("install")
def install_command(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="AGENT",
            autocompletion=completion.agents,
            help="Agents to install for: claude, gemini, copilot, cursor, codex, opencode, "
            "windsurf, qwen, auggie, roo, amp ('sdd agents list' shows them).",
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace command files edited by the user too.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write the sp.* command files each agent reads, and the sdd block of its rules file.

    Files are rendered from templates (customise them with 'sdd templates eject'). Running it
    again updates what sdd wrote and keeps files the user edited, unless --force is given.

    \b
    Example: sdd agents install claude copilot
    """
    from sdd.agents.install import install, install_document
    from sdd.cli import render

    with render.progress("Writing the agents' command files…", as_json=as_json):
        plans = install(project_from(ctx), names, force=force)
    if as_json:
        render.print_json(install_document(plans))
        return
    for plan in plans:
        _report(plan)


@app.command("uninstall")
def uninstall_command(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(metavar="AGENT", help="Agents to uninstall.")],
    as_json: JsonOption = False,
) -> None:
    """Remove what install wrote: unedited command files, the sdd block, the MCP server entry.

    Files you edited, and servers or settings you wrote, are kept.

    \b
    Example: sdd agents uninstall cursor
    """
    from sdd.agents.uninstall import uninstall, uninstall_document
    from sdd.cli import render

    removals = uninstall(project_from(ctx), names)
    if as_json:
        render.print_json(uninstall_document(removals))
        return
    for removal in removals:
        render.markup(f"[bold]{render.escape(removal.agent.title)}[/bold] ({removal.agent.key})")
        if removal.removed:
            render.success(f"removed {len(removal.removed)} command files")
        for path in removal.kept:
            render.warn(f"kept {path}: edited since sdd wrote it, or not written by sdd")
        if removal.rules == "removed":
            render.success(f"removed the sdd block from {removal.agent.rules_file}")
        if removal.mcp is not None and removal.mcp.action == "removed":
            render.success(f"removed the sdd MCP server from {removal.mcp.path}")
        elif removal.mcp is not None and removal.mcp.action == "kept":
            render.warn(f"kept the sdd server in {removal.mcp.path}: not the one sdd wrote")
