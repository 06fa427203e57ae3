"""The agents sdd installs slash commands for: where each reads them, in which format.

``AGENTS`` records, per agent, the file it reads a command from today, its format, how it
hands the user's arguments to the command, its rules file, and where those facts were checked
(ADR-0050 for the first eight, ADR-0121 for Auggie, Roo Code and Amp).
``COMMANDS`` are the ``sp.*`` commands installed for every agent. Data only: rendering is in
``sdd.agents.render``, planning in ``sdd.agents.plan``, installing in ``sdd.agents.install``
(recorded in ``sdd.agents.manifest``), removing in ``sdd.agents.uninstall``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sdd.base.errors import UsageError

Format = Literal["markdown", "toml"]

# Spec-Kit Plus's workflow order, then sdd's own status command.
COMMANDS: tuple[str, ...] = (
    "sp.constitution",
    "sp.specify",
    "sp.clarify",
    "sp.plan",
    "sp.tasks",
    "sp.analyze",
    "sp.checklist",
    "sp.implement",
    "sp.phr",
    "sp.adr",
    "sp.git.commit_pr",
    "sp.status",
)


@dataclass(frozen=True)
class Agent:
    """Where one agent reads slash commands, and how.

    ``command_path`` holds ``{name}`` (``sp.plan``) or ``{slug}`` (``sp-plan``, for formats
    whose names allow no dot); ``invocation`` is how the user calls a command in that agent.
    ``arguments`` is the placeholder the agent replaces with the user's text, or None when
    the agent passes that text along with the prompt instead. ``front_matter`` lists the keys
    its Markdown header carries; ``fixed_front_matter`` adds constant ones. ``source`` names
    the documentation or source the entry was checked against (ADR-0050, ADR-0121).
    """

    key: str
    title: str
    command_path: str
    format: Format
    arguments: str | None
    invocation: str
    rules_file: str
    front_matter: tuple[str, ...] = ()
    fixed_front_matter: tuple[tuple[str, str], ...] = ()
    rules_header: str | None = None
    source: str = ""  # where the facts above were checked (shown by `sdd agents list`)

    @property
    def folder(self) -> str:
        return self.command_path.split("{", 1)[0].rstrip("/")

    def path_for(self, command: str) -> str:
        return self.command_path.format(name=command, slug=slug_of(command))

    def invoke(self, command: str) -> str:
        return self.invocation.format(name=command, slug=slug_of(command))


def slug_of(command: str) -> str:
    """``sp.git.commit_pr`` → ``sp-git-commit-pr``: lower-case words and hyphens only."""
    return command.replace(".", "-").replace("_", "-")


AGENTS: tuple[Agent, ...] = (
    Agent(
        key="claude",
        title="Claude Code",
        command_path=".claude/commands/{name}.md",
        format="markdown",
        arguments="$ARGUMENTS",
        invocation="/{name}",
        rules_file="CLAUDE.md",
        front_matter=("description", "argument-hint", "disable-model-invocation"),
        source="anthropics/claude-plugins-official command-development skill ($ARGUMENTS)",
    ),
    Agent(
        key="gemini",
        title="Gemini CLI",
        command_path=".gemini/commands/{name}.toml",
        format="toml",
        arguments="{{args}}",
        invocation="/{name}",
        rules_file="GEMINI.md",
        source="google-gemini/gemini-cli docs/cli/custom-commands.md ({{args}}, TOML)",
    ),
    Agent(
        key="copilot",
        title="GitHub Copilot (VS Code)",
        command_path=".github/prompts/{name}.prompt.md",
        format="markdown",
        arguments=None,
        invocation="/{name}",
        rules_file=".github/copilot-instructions.md",
        front_matter=("description", "argument-hint"),
        fixed_front_matter=(("agent", "agent"),),
        source="microsoft/vscode-docs docs/copilot/customization/prompt-files.md",
    ),
    Agent(
        key="cursor",
        title="Cursor",
        command_path=".cursor/commands/{name}.md",
        format="markdown",
        arguments=None,
        invocation="/{name}",
        rules_file=".cursor/rules/sdd.mdc",
        rules_header="agents/rules-headers/cursor.mdc",
        source="Cursor 1.6 commands (.cursor/commands), as described in microsoft/apm PR #1046",
    ),
    Agent(
        key="codex",
        title="Codex CLI",
        command_path=".agents/skills/{slug}/SKILL.md",
        format="markdown",
        arguments=None,
        invocation="${slug}",
        rules_file="AGENTS.md",
        front_matter=("name", "description"),
        source="openai/codex docs/prompts.md; developers.openai.com/codex/skills",
    ),
    Agent(
        key="opencode",
        title="opencode",
        command_path=".opencode/commands/{name}.md",
        format="markdown",
        arguments="$ARGUMENTS",
        invocation="/{name}",
        rules_file="AGENTS.md",
        front_matter=("description",),
        source="opencode.ai/docs/commands ($ARGUMENTS, .opencode/commands)",
    ),
    Agent(
        key="windsurf",
        title="Windsurf",
        command_path=".windsurf/workflows/{name}.md",
        format="markdown",
        arguments=None,
        invocation="/{name}",
        rules_file=".windsurf/rules/sdd.md",
        front_matter=("description",),
        rules_header="agents/rules-headers/windsurf.md",
        source="docs.windsurf.com/windsurf/cascade/workflows",
    ),
    Agent(
        key="qwen",
        title="Qwen Code",
        command_path=".qwen/commands/{name}.md",
        format="markdown",
        arguments="{{args}}",
        invocation="/{name}",
        rules_file="QWEN.md",
        front_matter=("description", "argument-hint", "disable-model-invocation"),
        source="QwenLM/qwen-code docs/users/features/commands.md; command-factory.ts ({{args}})",
    ),
    Agent(
        key="auggie",
        title="Auggie (Augment Code)",
        command_path=".augment/commands/{name}.md",
        format="markdown",
        arguments="$ARGUMENTS",
        invocation="/{name}",
        rules_file="AGENTS.md",
        front_matter=("description", "argument-hint"),
        source=(
            "docs.augmentcode.com/cli/custom-commands and /using-augment/custom-commands "
            "($ARGUMENTS, description, argument-hint); /cli/rules (AGENTS.md)"
        ),
    ),
    Agent(
        key="roo",
        title="Roo Code",
        command_path=".roo/commands/{name}.md",
        format="markdown",
        arguments=None,
        invocation="/{name}",
        rules_file=".roo/rules/sdd.md",
        front_matter=("description", "argument-hint"),
        source=(
            "docs.roocode.com/features/slash-commands (.roo/commands, description, "
            "argument-hint; the argument is typed after the command, no placeholder)"
        ),
    ),
    Agent(
        key="amp",
        title="Amp",
        command_path=".agents/commands/{name}.md",
        format="markdown",
        arguments=None,
        invocation="/{name}",
        rules_file="AGENTS.md",
        source=(
            "ampcode/amp-contrib README and ampcode.com/news/custom-slash-commands "
            "(.agents/commands; the file's text is inserted into the prompt input)"
        ),
    ),
)

_BY_KEY = {agent.key: agent for agent in AGENTS}


def get_agents(keys: Iterable[str]) -> list[Agent]:
    """The agents named by ``keys`` (case-insensitive, duplicates dropped), or ``UsageError``
    naming every unknown one and listing the known agents."""
    chosen: list[Agent] = []
    unknown: list[str] = []
    for key in keys:
        agent = _BY_KEY.get(key.strip().lower())
        if agent is None:
            unknown.append(key)
        elif agent not in chosen:
            chosen.append(agent)
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise UsageError(
            f"unknown agent{'s' if len(unknown) > 1 else ''} {names}; "
            f"known agents: {', '.join(agent.key for agent in AGENTS)}"
        )
    if not chosen:
        raise UsageError(f"name at least one agent: {', '.join(a.key for a in AGENTS)}")
    return chosen
