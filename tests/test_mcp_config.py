"""``sdd agents install`` registers ``sdd mcp`` in each agent's project MCP configuration."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from sdd.agents import mcp_config
from sdd.project.project import open_project

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

JSON_FILES = {
    "claude": (".mcp.json", "mcpServers"),
    "gemini": (".gemini/settings.json", "mcpServers"),
    "cursor": (".cursor/mcp.json", "mcpServers"),
    "copilot": (".vscode/mcp.json", "servers"),
}


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("agent", sorted(JSON_FILES))
def test_install_adds_the_server_beside_the_users_own(project: Path, sdd: Any, agent: str) -> None:
    relative, key = JSON_FILES[agent]
    target = project / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    theirs = {"theme": "dark", key: {"db": {"command": "pg-mcp", "args": ["--ro"]}}}
    target.write_text(json.dumps(theirs), encoding="utf-8")

    sdd("agents", "install", agent, ok=True)
    data = _json(target)
    assert data["theme"] == "dark"
    assert data[key]["db"] == {"command": "pg-mcp", "args": ["--ro"]}
    assert data[key]["sdd"]["command"] == "sdd" and data[key]["sdd"]["args"] == ["mcp"]
    if agent in ("claude", "copilot"):
        assert data[key]["sdd"]["type"] == "stdio"

    again = json.loads(sdd("agents", "install", agent, "--json", ok=True).stdout)
    assert again["agents"][0]["mcp"] == {"path": relative, "action": "unchanged"}

    mcp_config.unregister(open_project(project), [agent])
    assert _json(target) == theirs


def test_a_file_sdd_created_is_removed_again(project: Path, sdd: Any) -> None:
    sdd("agents", "install", "claude", "qwen", "cursor", ok=True)
    assert _json(project / ".mcp.json")["mcpServers"]["sdd"]["args"] == ["mcp"]
    removed = mcp_config.unregister(open_project(project), ["claude", "qwen", "cursor"])
    assert sorted(r.action for r in removed) == ["removed", "removed"]
    assert not (project / ".mcp.json").exists()
    assert not (project / ".cursor/mcp.json").exists()


def test_a_users_own_sdd_entry_is_kept_until_force(project: Path, sdd: Any) -> None:
    target = project / ".cursor/mcp.json"
    target.parent.mkdir()
    mine = {"mcpServers": {"sdd": {"command": "/opt/venv/bin/sdd", "args": ["mcp"]}}}
    target.write_text(json.dumps(mine), encoding="utf-8")

    report = json.loads(sdd("agents", "install", "cursor", "--json", ok=True).stdout)
    assert report["agents"][0]["mcp"]["action"] == "kept"
    assert _json(target) == mine
    mcp_config.unregister(open_project(project), ["cursor"])
    assert _json(target) == mine
    sdd("agents", "install", "cursor", "--force", ok=True)
    assert _json(target)["mcpServers"]["sdd"]["command"] == "sdd"


def test_a_config_that_is_not_plain_json_stops_the_install_before_anything_is_written(
    project: Path, sdd: Any
) -> None:
    target = project / ".vscode/mcp.json"
    target.parent.mkdir()
    text = '{\n  // my servers\n  "servers": {}\n}\n'
    target.write_text(text, encoding="utf-8")

    result = sdd("agents", "install", "copilot")
    assert result.exit_code == 2
    assert ".vscode/mcp.json:2" in result.output
    assert target.read_text(encoding="utf-8") == text
    assert not (project / ".github/prompts").exists()


def test_codex_toml_gets_a_marked_table_and_loses_only_it(project: Path, sdd: Any) -> None:
    target = project / ".codex/config.toml"
    target.parent.mkdir()
    theirs = 'model = "o4"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\nargs = ["--port", "0"]\n'
    target.write_text(theirs, encoding="utf-8")

    sdd("agents", "install", "codex", ok=True)
    parsed = tomllib.loads(target.read_text(encoding="utf-8"))
    assert parsed["model"] == "o4"
    assert parsed["mcp_servers"]["docs"]["command"] == "docs-mcp"
    assert parsed["mcp_servers"]["sdd"] == {"command": "sdd", "args": ["mcp"]}
    assert target.read_text(encoding="utf-8").startswith(theirs)

    sdd("agents", "install", "codex", ok=True)
    assert target.read_text(encoding="utf-8").count("[mcp_servers.sdd]") == 1
    mcp_config.unregister(open_project(project), ["codex"])
    assert target.read_text(encoding="utf-8") == theirs


def test_codex_toml_with_the_users_own_sdd_table_is_kept(project: Path, sdd: Any) -> None:
    target = project / ".codex/config.toml"
    target.parent.mkdir()
    theirs = '[mcp_servers.sdd]\ncommand = "/opt/sdd"\nargs = ["mcp"]\n'
    target.write_text(theirs, encoding="utf-8")
    sdd("agents", "install", "codex", ok=True)
    assert target.read_text(encoding="utf-8") == theirs


def test_agents_without_a_project_mcp_file_get_none(project: Path, sdd: Any) -> None:
    report = json.loads(sdd("agents", "install", "windsurf", "opencode", "--json", ok=True).stdout)
    assert [agent["mcp"] for agent in report["agents"]] == [None, None]
