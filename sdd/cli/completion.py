"""``sdd completion SHELL`` and the values completed on the command line.

The completers run only when the shell asks for completions (``_SDD_COMPLETE`` set), never on
an ordinary run or in the hook; a project that cannot be read completes nothing.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sdd.project.project import Project

SHELLS = ("bash", "zsh", "fish")
INSTALL = {
    "bash": "sdd completion bash > ~/.local/share/bash-completion/completions/sdd",
    "zsh": 'eval "$(sdd completion zsh)"  (in ~/.zshrc)',
    "fish": "sdd completion fish > ~/.config/fish/completions/sdd.fish",
}


def completion(
    shell: Annotated[
        str,
        typer.Argument(metavar="SHELL", help="bash, zsh or fish.", autocompletion=lambda: SHELLS),
    ],
) -> None:
    """Print the code that makes SHELL complete sdd's commands, options and values.

    Feature names, ADR numbers, PHR stages and agent names complete too.

    \b
    Example: sdd completion bash > ~/.local/share/bash-completion/completions/sdd
    """
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    from sdd.base.errors import UsageError

    if shell not in SHELLS:
        raise UsageError(f"no completion for shell {shell!r}: choose bash, zsh or fish")
    completion_init()
    script = get_completion_script(prog_name="sdd", complete_var="_SDD_COMPLETE", shell=shell)
    sys.stdout.write(f"# install: {INSTALL[shell]}\n{script}\n")


def _project(ctx: typer.Context) -> Project | None:
    from sdd.cli.invocation import project_from

    try:
        return project_from(ctx)
    except Exception:
        return None


def _matching(values: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    return [(value, help) for value, help in values if value.startswith(incomplete)]


def features(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Feature folder names of the project."""
    from sdd.features.folders import list_features

    project = _project(ctx)
    names = list_features(project) if project is not None else []
    return _matching([(name, "feature") for name in names], incomplete)


def adr_numbers(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """ADR numbers, each with its title."""
    from sdd.adr.record import load_adrs

    project = _project(ctx)
    records = load_adrs(project.paths.adr) if project is not None else []
    return _matching([(str(record.number), record.title) for record in records], incomplete)


def stages(incomplete: str) -> list[tuple[str, str]]:
    """The PHR stages."""
    from sdd.phr.record import STAGES

    return _matching([(stage, "stage") for stage in STAGES], incomplete)


def agents(incomplete: str) -> list[tuple[str, str]]:
    """The agents sdd installs commands for."""
    from sdd.agents.table import AGENTS

    return _matching([(agent.key, agent.title) for agent in AGENTS], incomplete)
