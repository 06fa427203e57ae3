"""Prompts mirroring the ``sp.*`` slash commands, rendered from the same templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.prompts import Prompt

from sdd.project.project import Project


def _render(project: Project, command: str) -> str:
    from sdd.agents.render import render_command
    from sdd.agents.table import Agent

    client = Agent(
        key="mcp",
        title="The MCP client",
        command_path="{name}",
        format="markdown",
        arguments=None,
        invocation="/{name}",
        rules_file="AGENTS.md",
    )
    return render_command(client, command, project)


def _prompt_for(command: str, project: Callable[[], Project]) -> Callable[[str], str]:
    def prompt(arguments: str = "") -> str:
        text = _render(project(), command)
        return f"{text.rstrip()}\n\nUser input:\n\n{arguments}\n" if arguments else text

    return prompt


def add_prompts(server: MCPServer[Any], project: Callable[[], Project]) -> None:
    from sdd.agents.table import COMMANDS

    for command in COMMANDS:
        server.add_prompt(
            Prompt.from_function(
                _prompt_for(command, project),
                name=command,
                description=f"The /{command} command: its instructions, with the user's input.",
            )
        )
