"""Installing agent slash commands and rules blocks (``sdd agents install``).

What install would do is planned first (``sdd.agents.plan``); what sdd wrote is recorded in
the manifest (``sdd.agents.manifest``). The agents are listed in ``sdd.agents.table``; their
files are rendered by ``sdd.agents.render``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sdd.agents import mcp_config
from sdd.agents.manifest import MANIFEST, Written, digest, load_manifest, save_manifest
from sdd.agents.plan import AgentPlan, CommandFile, FileAction, RulesFile, plan_agent
from sdd.agents.render import render_rules
from sdd.agents.table import Agent, get_agents
from sdd.base.fileio import create_exclusive, locked, read_text, remove_leftovers, write_atomic
from sdd.base.managed_block import apply_block, newline_of
from sdd.base.paths import safe_join
from sdd.project.folders import require_folders
from sdd.project.project import Project


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
    # Temporary files of an install that was killed, beside every file this one writes.
    folders = {file.target.parent for plan in plans for file in plan.files}
    folders.update(plan.rules.target.parent for plan in plans)
    folders.update(registration.target.parent for registration in registrations)
    folders.add(safe_join(project.root, MANIFEST).parent)
    for folder in folders:
        remove_leftovers(folder)
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


def install_document(plans: list[AgentPlan]) -> dict[str, object]:
    """The ``sdd agents install --json`` document."""
    return {
        "schema": "sdd.agents-install/1",
        "changed": any(plan.changed for plan in plans),
        "agents": [plan.install_dict() for plan in plans],
    }
