"""Register ``sdd mcp`` in each agent's project MCP configuration, and remove it again.

Each agent reads its project's MCP servers from its own file (sources in ADR-0131):

=========  ======================  =============================================
agent      file                    where the server goes
=========  ======================  =============================================
claude     ``.mcp.json``           ``mcpServers.sdd`` (``type: stdio``)
qwen       ``.mcp.json``           ``mcpServers.sdd`` (Qwen Code reads Claude's)
gemini     ``.gemini/settings.json``  ``mcpServers.sdd``
cursor     ``.cursor/mcp.json``    ``mcpServers.sdd`` (``--project ${workspaceFolder}``)
copilot    ``.vscode/mcp.json``    ``servers.sdd`` (``type: stdio``, the same ``--project``)
codex      ``.codex/config.toml``  ``[mcp_servers.sdd]`` between sdd marker comments
=========  ======================  =============================================

opencode (its configuration key differs between its versions) and Windsurf (no project
file) are enabled by hand, as the README says. Only the ``sdd`` entry is ever touched: the
user's other servers and settings are kept as they are; an ``sdd`` entry that is not sdd's
own is kept unless ``force``. A file that does not parse is refused before anything is
written, naming the file and line.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sdd.base.errors import ParseError
from sdd.base.fileio import read_text, write_atomic
from sdd.base.paths import safe_join
from sdd.project.project import Project

SERVER = "sdd"
COMMAND = ["sdd", "mcp"]

Action = Literal["created", "added", "updated", "unchanged", "kept", "removed", "absent"]


@dataclass(frozen=True)
class ConfigFile:
    """One agent's project MCP configuration file and the shape of its entry."""

    path: str
    servers_key: str
    entry: dict[str, Any]


# Editors may start servers outside the project folder; they fill in this variable.
WORKSPACE = "${workspaceFolder}"


def _json_file(
    path: str, servers_key: str, *, typed: bool, project: str | None = None
) -> ConfigFile:
    entry: dict[str, Any] = {"type": "stdio"} if typed else {}
    where = ["--project", project] if project else []
    entry |= {"command": COMMAND[0], "args": [*where, *COMMAND[1:]]}
    return ConfigFile(path, servers_key, entry)


CONFIG_FILES: dict[str, ConfigFile] = {
    "claude": _json_file(".mcp.json", "mcpServers", typed=True),
    "qwen": _json_file(".mcp.json", "mcpServers", typed=True),
    "gemini": _json_file(".gemini/settings.json", "mcpServers", typed=False),
    "cursor": _json_file(".cursor/mcp.json", "mcpServers", typed=False, project=WORKSPACE),
    "copilot": _json_file(".vscode/mcp.json", "servers", typed=True, project=WORKSPACE),
    "codex": ConfigFile(".codex/config.toml", "mcp_servers", {}),
}

TOML_BEGIN = "# sdd:begin (managed by sdd agents install; removed by uninstall)"
TOML_END = "# sdd:end"
TOML_BLOCK = "\n".join(
    [
        TOML_BEGIN,
        f"[mcp_servers.{SERVER}]",
        f'command = "{COMMAND[0]}"',
        "args = [" + ", ".join(f'"{arg}"' for arg in COMMAND[1:]) + "]",
        TOML_END,
    ]
)
_TOML_BLOCK_RE = re.compile(
    r"(?:\n)?^# sdd:begin\b[^\n]*\n.*?^# sdd:end[^\n]*(?:\n|\Z)", re.MULTILINE | re.DOTALL
)
_TOML_OWN_TABLE_RE = re.compile(rf"^\s*\[\s*mcp_servers\s*\.\s*\"?{SERVER}\"?\s*\]", re.MULTILINE)


@dataclass
class Registration:
    """What registering (or removing) the server does to one file."""

    path: str
    action: Action
    target: Path
    text: str | None = None  # the new content; None: delete the file

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "action": self.action}


def _files_for(keys: Iterable[str]) -> list[ConfigFile]:
    chosen: dict[str, ConfigFile] = {}
    for key in keys:
        config = CONFIG_FILES.get(key)
        if config is not None:
            chosen.setdefault(config.path, config)
    return list(chosen.values())


def _load_json(target: Path, shown: str) -> dict[str, Any] | None:
    if not target.exists():
        return None
    text = read_text(target)
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"not plain JSON ({exc.msg}); add the sdd server by hand: "
            f'"{SERVER}": {{"command": "sdd", "args": ["mcp"]}}',
            path=shown,
            line=exc.lineno,
        ) from None
    if not isinstance(data, dict):
        raise ParseError("expected a JSON object", path=shown, line=1)
    return data


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _plan_json(config: ConfigFile, target: Path, *, remove: bool, force: bool) -> Registration:
    data = _load_json(target, config.path)
    servers = (data or {}).get(config.servers_key)
    if servers is not None and not isinstance(servers, dict):
        raise ParseError(f"{config.servers_key} is not a JSON object", path=config.path)
    current = (servers or {}).get(SERVER)
    if remove:
        if current is None:
            return Registration(config.path, "absent", target)
        if current != config.entry and not force:
            return Registration(config.path, "kept", target)
        assert data is not None and servers is not None
        del servers[SERVER]
        if not servers:
            del data[config.servers_key]
        text = _json_text(data) if data else None
        return Registration(config.path, "removed", target, text)
    if current == config.entry:
        return Registration(config.path, "unchanged", target)
    if current is not None and not force:
        return Registration(config.path, "kept", target)
    updated = dict(data or {})
    updated[config.servers_key] = {**(servers or {}), SERVER: config.entry}
    action: Action = "created" if data is None else "updated" if current else "added"
    return Registration(config.path, action, target, _json_text(updated))


def _check_toml(text: str, shown: str) -> None:
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ParseError(f"not valid TOML ({exc})", path=shown) from None


def _plan_toml(config: ConfigFile, target: Path, *, remove: bool, force: bool) -> Registration:
    exists = target.exists()
    text = read_text(target) if exists else ""
    _check_toml(text, config.path)
    ours = _TOML_BLOCK_RE.search(text)
    outside = _TOML_BLOCK_RE.sub("", text)
    if remove:
        if ours is None:
            return Registration(config.path, "absent", target)
        rest = outside.rstrip("\n")
        return Registration(config.path, "removed", target, rest + "\n" if rest else None)
    if _TOML_OWN_TABLE_RE.search(outside):
        return Registration(config.path, "kept", target)
    if ours is not None and ours.group(0).strip("\n") == TOML_BLOCK:
        return Registration(config.path, "unchanged", target)
    base = outside.rstrip("\n")
    new = (base + "\n\n" if base else "") + TOML_BLOCK + "\n"
    _check_toml(new, config.path)
    action: Action = "created" if not exists else "updated" if ours else "added"
    return Registration(config.path, action, target, new)


def plan(
    project: Project, keys: Iterable[str], *, remove: bool = False, force: bool = False
) -> list[Registration]:
    """What registering (``remove``: unregistering) the server for ``keys`` would do.

    Reads and checks every file first, so that a broken one stops before anything is written.
    """
    registrations = []
    for config in _files_for(keys):
        target = safe_join(project.root, config.path)
        planner = _plan_toml if config.path.endswith(".toml") else _plan_json
        registrations.append(planner(config, target, remove=remove, force=force))
    return registrations


def registration_for(key: str, registrations: Iterable[Registration]) -> Registration | None:
    """The registration in the file agent ``key`` reads, if it has one."""
    config = CONFIG_FILES.get(key)
    return next((r for r in registrations if config and r.path == config.path), None)


def apply(registrations: Iterable[Registration]) -> None:
    for registration in registrations:
        if registration.action in ("unchanged", "kept", "absent"):
            continue
        if registration.text is None:
            registration.target.unlink(missing_ok=True)
            folder = registration.target.parent
            if "/" in registration.path and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        else:
            registration.target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(registration.target, registration.text)


def register(project: Project, keys: Iterable[str], *, force: bool = False) -> list[Registration]:
    planned = plan(project, keys, force=force)
    apply(planned)
    return planned


def unregister(project: Project, keys: Iterable[str]) -> list[Registration]:
    planned = plan(project, keys, remove=True)
    apply(planned)
    return planned
