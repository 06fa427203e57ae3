"""Find the ``sdd …`` commands a text tells an agent to run, and check them against a CLI.

Commands are taken from inline code spans and from lines of fenced code blocks that start
with ``sdd``. Each is split like a shell would, cut at the first shell operator, then walked
down the command tree typer builds (``typer.main.get_command``; typer vendors click, so the
tree is inspected by its attributes): every subcommand must exist, and every ``--flag`` must
be an option of the command reached.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

import typer

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_OPERATORS = {"|", "||", "&&", ";", "&", ">", ">>", "<", "2>&1", "2>/dev/null"}


def sdd_invocations(text: str) -> list[str]:
    """Every ``sdd …`` command line in a Markdown text, in order."""
    found: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    continued = ""
    for line in text.splitlines():
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
                continue
            command = continued + line.strip().removeprefix("$ ")
            continued = ""
            if command.endswith("\\"):
                continued = command[:-1] + " "
                continue
            if command.startswith("sdd "):
                found.append(" ".join(command.split()))
            continue
        if opener:
            fence = opener.group(1)
            prose.append("")
            continue
        prose.append(line)
    for paragraph in "\n".join(prose).split("\n\n"):
        for span in _SPAN.finditer(paragraph):
            code = " ".join(span.group(2).split())
            if code.startswith("sdd "):
                found.append(code)
    return found


@dataclass(frozen=True)
class Problem:
    """A command or flag that does not exist; ``(not merged)`` when its whole group is absent."""

    text: str


def real_cli() -> Any:
    """The command tree of the real ``sdd`` application."""
    from sdd.cli.main import app

    command = typer.main.get_command(app)
    context = typer.Context(command)
    for name in command.list_commands(context):
        command.get_command(context, name)
    assert isinstance(getattr(command, "commands", None), dict)
    return command


def _option_names(command: Any) -> set[str]:
    names = {"--help", "-h"}
    for param in command.params:
        if param.param_type_name == "option":
            names.update(param.opts)
            names.update(param.secondary_opts)
    return names


def _takes_arguments(command: Any) -> bool:
    return any(param.param_type_name == "argument" for param in command.params)


def _subcommands(command: Any) -> dict[str, Any] | None:
    found = getattr(command, "commands", None)
    return found if isinstance(found, dict) else None


def check_invocation(invocation: str, root: Any) -> list[Problem]:
    """What in ``invocation`` the CLI under ``root`` does not have (empty: all exists)."""
    tokens: list[str] = []
    for token in shlex.split(invocation):
        if token in _OPERATORS or token.startswith("<<"):
            break
        tokens.append(token)
    if not tokens or tokens[0] != "sdd":
        return [Problem(f"not an sdd command: {invocation}")]
    command = root
    path = ["sdd"]
    index = 1
    while index < len(tokens) and (subcommands := _subcommands(command)) is not None:
        token = tokens[index]
        if token.startswith("-"):
            break
        sub = subcommands.get(token)
        if sub is None:
            if _takes_arguments(command):
                break
            if command is root:
                return [Problem(f"(not merged) `sdd {token}`: no such command group")]
            return [Problem(f"`{' '.join(path)} {token}`: no such command")]
        command = sub
        path.append(token)
        index += 1
    options = _option_names(command)
    problems = []
    for token in tokens[index:]:
        if token.startswith("-") and token != "-":
            name = token.split("=", 1)[0]
            if name not in options:
                problems.append(Problem(f"`{' '.join(path)}`: no option {name}"))
    return problems
