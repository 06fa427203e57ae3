"""What installing agent commands would do, and what ``sdd agents list`` reports: every file
of an agent rendered and compared with what is on disk (nothing written). The rules file gets
a managed block (``sdd.base.managed_block``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sdd.agents.manifest import Written, digest, load_manifest, normalised
from sdd.agents.mcp_config import Registration
from sdd.agents.render import render_command, render_rules, render_rules_header
from sdd.agents.table import AGENTS, COMMANDS, Agent
from sdd.base.errors import ParseError, RefusedError
from sdd.base.fileio import read_text
from sdd.base.managed_block import Action as BlockAction
from sdd.base.managed_block import apply_block
from sdd.base.paths import safe_join
from sdd.project.folders import require_folders
from sdd.project.project import Project

FileState = Literal["missing", "current", "outdated", "edited", "foreign"]
FileAction = Literal["created", "updated", "unchanged", "kept", "overwritten"]


@dataclass
class CommandFile:
    """One command file of one agent: what sdd would write, and what is there now."""

    command: str
    path: str
    target: Path
    content: str
    state: FileState
    current: str | None = None
    action: FileAction | None = None


@dataclass
class RulesFile:
    """The agent's rules file, with the managed block put in place (in memory)."""

    path: str
    target: Path
    text: str
    action: BlockAction

    @property
    def state(self) -> str:
        return _RULES_STATE[self.action]


_RULES_STATE = {
    "created": "missing",
    "inserted": "absent",
    "updated": "outdated",
    "unchanged": "current",
}


@dataclass
class AgentPlan:
    agent: Agent
    files: list[CommandFile]
    rules: RulesFile
    mcp: Registration | None = None

    @property
    def installed(self) -> bool:
        return all(f.state != "missing" for f in self.files)

    @property
    def up_to_date(self) -> bool:
        return self.rules.action == "unchanged" and all(f.state == "current" for f in self.files)

    def summary(self) -> str:
        """One phrase for ``sdd agents list``: installed or not, and what is off."""
        total = len(self.files)
        missing = sum(f.state == "missing" for f in self.files)
        if missing == total:
            return "not installed"
        problems = []
        if missing:
            problems.append(f"{total - missing}/{total} files")
        outdated = sum(f.state == "outdated" for f in self.files)
        if outdated:
            problems.append(f"{outdated} outdated")
        edited = sum(f.state in ("edited", "foreign") for f in self.files)
        if edited:
            problems.append(f"{edited} edited")
        if self.rules.action != "unchanged":
            problems.append(f"rules block {self.rules.state}")
        if not problems:
            return "installed, up to date"
        return f"{'partly ' if missing else ''}installed ({', '.join(problems)})"

    def _agent_dict(self) -> dict[str, object]:
        agent = self.agent
        return {
            "agent": agent.key,
            "title": agent.title,
            "folder": agent.folder,
            "format": agent.format,
            "arguments": agent.arguments,
            "invocation": agent.invoke("sp.specify"),
            "rules_file": agent.rules_file,
            "source": agent.source,
        }

    def status_dict(self) -> dict[str, object]:
        return {
            **self._agent_dict(),
            "installed": self.installed,
            "up_to_date": self.up_to_date,
            "status": self.summary(),
            "files": [{"command": f.command, "path": f.path, "state": f.state} for f in self.files],
            "rules": {"path": self.rules.path, "state": self.rules.state},
        }

    def install_dict(self) -> dict[str, object]:
        return {
            "agent": self.agent.key,
            "files": [
                {"command": f.command, "path": f.path, "action": f.action} for f in self.files
            ],
            "rules": {"path": self.rules.path, "action": self.rules.action},
            "mcp": self.mcp.as_dict() if self.mcp else None,
        }

    @property
    def changed(self) -> bool:
        return self.rules.action != "unchanged" or any(
            f.action not in ("unchanged", "kept") for f in self.files
        )


def read_existing(target: Path) -> tuple[bool, str | None]:
    """Whether ``target`` exists, and its text (None when it is not readable text)."""
    if not target.exists() and not target.is_symlink():
        return False, None
    if not target.is_file():
        return True, None
    try:
        return True, read_text(target)
    except ParseError:
        return True, None


def _state(exists: bool, current: str | None, content: str, written: Written | None) -> FileState:
    if not exists:
        return "missing"
    if current is None:
        return "foreign"
    if normalised(current) == normalised(content):
        return "current"
    if written is not None:
        return "outdated" if digest(current) == written.sha256 else "edited"
    return "foreign"


def _plan_rules(
    project: Project, agent: Agent, block: str, planned: dict[str, str] | None
) -> RulesFile:
    # A rules file linked to another one in the project (CLAUDE.md -> AGENTS.md) is updated
    # where it lies, keeping the link; safe_join has refused links that leave the project.
    target = safe_join(project.root, agent.rules_file).resolve()
    require_folders(project, target.parent)
    key = str(target)
    existing: str | None = None
    if planned is not None and key in planned:
        existing = planned[key]
    elif target.exists() and not target.is_file():
        raise RefusedError(
            f"{agent.rules_file} is not a file sdd can add its block to (a folder, pipe or "
            "device); move it away (nothing was written)"
        )
    elif target.exists():
        try:
            existing = read_text(target)
        except ParseError as problem:
            raise ParseError(
                f"cannot add the sdd block: {problem.message}",
                path=agent.rules_file,
                line=problem.line,
                hint="make it a UTF-8 text file, or move it away; nothing was written",
            ) from None
    header = render_rules_header(agent, project) if existing is None else ""
    result = apply_block(existing, block, source=agent.rules_file, header=header)
    if planned is not None:
        planned[key] = result.text
    return RulesFile(agent.rules_file, target, result.text, result.action)


def plan_agent(
    project: Project,
    agent: Agent,
    manifest: dict[str, Written],
    block: str,
    planned_rules: dict[str, str] | None = None,
) -> AgentPlan:
    """Render every file of ``agent`` and compare it with what is on disk (nothing written).

    ``block`` is the content of the rules block (``render_rules``). ``planned_rules`` carries
    rules files already planned for another agent of the same install (AGENTS.md is shared),
    so that the second agent builds on the first one's block.
    """
    files = []
    for command in COMMANDS:
        relative = agent.path_for(command)
        target = safe_join(project.root, relative)
        require_folders(project, target.parent)
        content = render_command(agent, command, project)
        exists, current = read_existing(target)
        state = _state(exists, current, content, manifest.get(relative))
        files.append(CommandFile(command, relative, target, content, state, current))
    return AgentPlan(agent, files, _plan_rules(project, agent, block, planned_rules))


def status(project: Project) -> list[AgentPlan]:
    """Every agent, with the state of each of its files in this project (nothing written)."""
    manifest = load_manifest(project.root)
    block = render_rules(project)
    return [plan_agent(project, agent, manifest, block) for agent in AGENTS]


def status_document(plans: list[AgentPlan]) -> dict[str, object]:
    """The ``sdd agents list --json`` document."""
    return {"schema": "sdd.agents/1", "agents": [plan.status_dict() for plan in plans]}
