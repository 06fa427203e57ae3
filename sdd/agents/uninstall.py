"""Removing what ``sdd agents install`` wrote (``sdd agents uninstall``): only files unchanged
since sdd wrote them, and the rules block and MCP entry once no installed agent shares them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sdd.agents import mcp_config
from sdd.agents.manifest import MANIFEST, digest, load_manifest, save_manifest
from sdd.agents.mcp_config import Registration
from sdd.agents.plan import read_existing
from sdd.agents.render import render_rules_header
from sdd.agents.table import AGENTS, COMMANDS, Agent, get_agents
from sdd.base.fileio import read_text, write_atomic
from sdd.base.managed_block import remove_block
from sdd.base.paths import safe_join
from sdd.project.project import Project


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


def remove_empty_folders(folder: Path, root: Path) -> None:
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
        remove_empty_folders(target.parent, project.root.resolve())
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
            exists, current = read_existing(target)
            if not exists:
                continue
            if written is not None and current is not None and digest(current) == written.sha256:
                target.unlink()
                remove_empty_folders(target.parent, project.root)
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
        remove_empty_folders(safe_join(project.root, MANIFEST).parent, project.root)
    return removals


def uninstall_document(removals: list[Removal]) -> dict[str, object]:
    """The ``sdd agents uninstall --json`` document."""
    return {"schema": "sdd.agents-uninstall/1", "agents": [r.as_dict() for r in removals]}
