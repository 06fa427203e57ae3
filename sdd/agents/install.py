"""Installing agent slash commands: what sdd wrote, what install would do, doing it.

What sdd wrote is recorded by content hash in ``.sdd/agents.json``: a file whose hash still
matches is sdd's and is updated when its template changes; any other file is the user's and
is kept unless ``force`` is given (ADR-0052). The rules file gets a managed block
(``sdd.base.managed_block``). The agents are listed in ``sdd.agents.table``; their files are
rendered by ``sdd.agents.render``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sdd.agents import mcp_config
from sdd.agents.mcp_config import Registration
from sdd.agents.render import render_command, render_rules, render_rules_header
from sdd.agents.table import AGENTS, COMMANDS, Agent, get_agents
from sdd.base.errors import ParseError, RefusedError
from sdd.base.fileio import (
    create_exclusive,
    locked,
    read_text,
    remove_leftovers,
    write_atomic,
)
from sdd.base.managed_block import Action as BlockAction
from sdd.base.managed_block import apply_block, newline_of, remove_block
from sdd.base.paths import safe_join
from sdd.project.folders import require_folders
from sdd.project.project import Project

FileState = Literal["missing", "current", "outdated", "edited", "foreign"]
FileAction = Literal["created", "updated", "unchanged", "kept", "overwritten"]

MANIFEST = ".sdd/agents.json"
MANIFEST_SCHEMA = "sdd.agents-manifest/1"


# --- what sdd wrote: the manifest -----------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """A file sdd wrote: the agent it belongs to and the hash of its content."""

    agent: str
    sha256: str


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n")


def digest(text: str) -> str:
    """The hash sdd records for a file it wrote (line endings do not count)."""
    return hashlib.sha256(_normalised(text).encode("utf-8")).hexdigest()


def load_manifest(root: Path) -> dict[str, Written]:
    """Relative path → what sdd last wrote there; empty when there is no manifest."""
    path = safe_join(root, MANIFEST)
    if not path.is_file():
        return {}
    hint = f"delete {MANIFEST} and install again: files sdd cannot recognise are then kept"
    text = read_text(path, limit=8 * 1024 * 1024)
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise ParseError(
            "invalid JSON in the agents manifest", path=MANIFEST, line=line, hint=hint
        ) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(value, dict) and isinstance(value.get("sha256"), str) for value in files.values()
    ):
        raise ParseError("the agents manifest has an unexpected shape", path=MANIFEST, hint=hint)
    return {
        str(key): Written(str(value.get("agent", "")), value["sha256"])
        for key, value in files.items()
    }


def save_manifest(root: Path, manifest: dict[str, Written]) -> None:
    files = {
        path: {"agent": manifest[path].agent, "sha256": manifest[path].sha256}
        for path in sorted(manifest)
    }
    document = {"schema": MANIFEST_SCHEMA, "files": files}
    write_atomic(safe_join(root, MANIFEST), json.dumps(document, indent=2) + "\n")


# --- planning: what install would do, and what list reports ---------------------------------


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


def _read_existing(target: Path) -> tuple[bool, str | None]:
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
    if _normalised(current) == _normalised(content):
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
        exists, current = _read_existing(target)
        state = _state(exists, current, content, manifest.get(relative))
        files.append(CommandFile(command, relative, target, content, state, current))
    return AgentPlan(agent, files, _plan_rules(project, agent, block, planned_rules))


def status(project: Project) -> list[AgentPlan]:
    """Every agent, with the state of each of its files in this project (nothing written)."""
    manifest = load_manifest(project.root)
    block = render_rules(project)
    return [plan_agent(project, agent, manifest, block) for agent in AGENTS]


# --- installing -----------------------------------------------------------------------------


def _write_command(file: CommandFile, *, force: bool) -> FileAction:
    if file.state == "missing":
        return "created" if create_exclusive(file.target, file.content) else "kept"
    if file.state == "current":
        return "unchanged"
    if (file.state in ("edited", "foreign") and not force) or file.target.is_dir():
        return "kept"
    content = file.content
    if file.current is not None and newline_of(file.current) == "\r\n":
        content = content.replace("\n", "\r\n")
    write_atomic(file.target, content)
    return "updated" if file.state == "outdated" else "overwritten"


def _write_rules(rules: RulesFile, content: str) -> None:
    if rules.action == "unchanged":
        return
    if rules.action != "created":
        write_atomic(rules.target, rules.text)
    elif not create_exclusive(rules.target, rules.text):
        # Another install created the file meanwhile: put the block into what it wrote.
        result = apply_block(read_text(rules.target), content, source=rules.path)
        if result.action != "unchanged":
            write_atomic(rules.target, result.text)


def install(project: Project, keys: Iterable[str], *, force: bool = False) -> list[AgentPlan]:
    """Install the commands and rules block of each agent named by ``keys``.

    Everything is rendered and checked first (unknown agent, unsafe path, broken template or
    markers): on any error nothing is written. Then new files are created, sdd's own files
    updated, files the user edited kept (or replaced with ``force``), and the manifest saved.
    """
    agents = get_agents(keys)
    manifest_folder = safe_join(project.root, MANIFEST).parent
    require_folders(project, manifest_folder)
    # One install at a time: the manifest is read, changed and written back.
    with locked(manifest_folder):
        return _install(project, agents, force=force)


def _install(project: Project, agents: Sequence[Agent], *, force: bool) -> list[AgentPlan]:
    manifest = load_manifest(project.root)
    before = dict(manifest)
    planned_rules: dict[str, str] = {}
    block = render_rules(project)
    plans = [plan_agent(project, agent, manifest, block, planned_rules) for agent in agents]
    registrations = mcp_config.plan(project, [agent.key for agent in agents], force=force)
    for plan in plans:
        plan.mcp = mcp_config.registration_for(plan.agent.key, registrations)
    for folder in {file.target.parent for plan in plans for file in plan.files}:
        remove_leftovers(folder)  # temporary files of an install that was killed
    for plan in plans:
        for file in plan.files:
            file.action = _write_command(file, force=force)
            if file.action != "kept":
                manifest[file.path] = Written(plan.agent.key, digest(file.content))
        _write_rules(plan.rules, block)
    mcp_config.apply(registrations)
    if manifest != before or not (project.root / MANIFEST).exists():
        save_manifest(project.root, manifest)
    return plans


def status_document(plans: list[AgentPlan]) -> dict[str, object]:
    """The ``sdd agents list --json`` document."""
    return {"schema": "sdd.agents/1", "agents": [plan.status_dict() for plan in plans]}


def install_document(plans: list[AgentPlan]) -> dict[str, object]:
    """The ``sdd agents install --json`` document."""
    return {
        "schema": "sdd.agents-install/1",
        "changed": any(plan.changed for plan in plans),
        "agents": [plan.install_dict() for plan in plans],
    }


# --- uninstalling ---------------------------------------------------------------------------


@dataclass
class Removal:
    """What uninstall did for one agent: files removed and kept, the rules block, MCP entry."""

    agent: Agent
    removed: list[str]
    kept: list[str]
    rules: str  # "removed", "kept" (another installed agent shares the file) or "absent"
    mcp: Registration | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "agent": self.agent.key,
            "removed": self.removed,
            "kept": self.kept,
            "rules": {"path": self.agent.rules_file, "action": self.rules},
            "mcp": self.mcp.as_dict() if self.mcp else None,
        }


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _remove_rules_block(project: Project, agent: Agent) -> str:
    target = safe_join(project.root, agent.rules_file).resolve()
    if not target.is_file():
        return "absent"
    result = remove_block(read_text(target), source=agent.rules_file)
    if result.action == "unchanged":
        return "absent"
    rest = result.text
    if rest.strip() in ("", render_rules_header(agent, project).strip()):
        target.unlink()
        _remove_empty_folders(target.parent, project.root.resolve())
    else:
        write_atomic(target, rest)
    return "removed"


def uninstall(project: Project, keys: Iterable[str]) -> list[Removal]:
    """Remove what ``install`` wrote for each agent named by ``keys``.

    Command files are removed only when unchanged since sdd wrote them (edited ones are kept);
    the rules block and the MCP server entry stay while another installed agent shares the
    file. Files and entries the user wrote are never removed.
    """
    agents = get_agents(keys)
    manifest = load_manifest(project.root)
    chosen = {agent.key for agent in agents}
    remaining = {w.agent for w in manifest.values() if w.agent not in chosen}
    shared_rules = {a.rules_file for a in AGENTS if a.key in remaining}
    shared_mcp = {c.path for key, c in mcp_config.CONFIG_FILES.items() if key in remaining}
    unregistering = [a.key for a in agents]
    registrations = [
        r for r in mcp_config.plan(project, unregistering, remove=True) if r.path not in shared_mcp
    ]
    removals = []
    rules_done: dict[str, str] = {}
    for agent in agents:
        removed, kept = [], []
        for command in COMMANDS:
            relative = agent.path_for(command)
            target = safe_join(project.root, relative)
            written = manifest.pop(relative, None)
            exists, current = _read_existing(target)
            if not exists:
                continue
            if written is not None and current is not None and digest(current) == written.sha256:
                target.unlink()
                _remove_empty_folders(target.parent, project.root)
                removed.append(relative)
            else:
                kept.append(relative)
        if agent.rules_file in shared_rules:
            rules = "kept"
        elif agent.rules_file not in rules_done:
            rules = rules_done[agent.rules_file] = _remove_rules_block(project, agent)
        else:
            rules = rules_done[agent.rules_file]
        mcp = mcp_config.registration_for(agent.key, registrations)
        removals.append(Removal(agent, removed, kept, rules, mcp))
    mcp_config.apply(registrations)
    if manifest:
        save_manifest(project.root, manifest)
    else:
        safe_join(project.root, MANIFEST).unlink(missing_ok=True)
        _remove_empty_folders(safe_join(project.root, MANIFEST).parent, project.root)
    return removals
