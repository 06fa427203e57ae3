"""``sdd agents install`` registers ``sdd mcp`` in each agent's project MCP configuration."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    assert data[key]["sdd"]["command"] == "sdd" and data[key]["sdd"]["args"][-1] == "mcp"
    if agent in ("claude", "copilot"):
        assert data[key]["sdd"]["type"] == "stdio"
    if agent in ("cursor", "copilot"):  # editors that may start it elsewhere get the folder
        assert data[key]["sdd"]["args"] == ["--project", "${workspaceFolder}", "mcp"]

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


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(root.rglob("*"))
        if ".git" not in p.relative_to(root).parts
    }


def test_uninstall_after_install_leaves_the_project_as_it_was(project: Path, sdd: Any) -> None:
    (project / "AGENTS.md").write_text("# Ours\n\nHow we work.\n", encoding="utf-8")
    before = _tree(project)
    agents = ["claude", "codex", "cursor", "copilot", "gemini", "qwen", "opencode", "windsurf"]
    sdd("agents", "install", *agents, ok=True)
    assert _tree(project) != before
    sdd("agents", "uninstall", *agents, ok=True)
    assert _tree(project) == before


def test_uninstall_keeps_edits_and_what_other_agents_share(project: Path, sdd: Any) -> None:
    sdd("agents", "install", "claude", "qwen", "codex", "opencode", ok=True)
    edited = project / ".claude/commands/sp.plan.md"
    edited.write_text("my own plan command\n", encoding="utf-8")
    servers = project / ".mcp.json"
    data = _json(servers)
    data["mcpServers"]["db"] = {"command": "pg-mcp"}
    servers.write_text(json.dumps(data), encoding="utf-8")

    report = json.loads(sdd("agents", "uninstall", "claude", "codex", "--json", ok=True).stdout)
    claude, codex = report["agents"]
    assert claude["kept"] == [".claude/commands/sp.plan.md"]
    assert edited.read_text(encoding="utf-8") == "my own plan command\n"
    # qwen still reads .mcp.json and opencode AGENTS.md: both stay.
    assert claude["mcp"] is None and "sdd" in _json(servers)["mcpServers"]
    assert codex["rules"]["action"] == "kept"
    assert "sdd:begin" in (project / "AGENTS.md").read_text(encoding="utf-8")
    assert not (project / ".codex").exists()

    sdd("agents", "uninstall", "qwen", "opencode", ok=True)
    assert _json(servers) == {"mcpServers": {"db": {"command": "pg-mcp"}}}
    assert not (project / "AGENTS.md").exists()


@given(
    st.text(alphabet=st.sampled_from("ab #-\n\r"), max_size=60).filter(
        lambda t: "sdd:" not in t and "\r" not in t.replace("\r\n", "")
    )
)
def test_removing_the_block_gives_back_the_users_text(text: str) -> None:
    from sdd.base.managed_block import apply_block, remove_block

    user = text if not text or text.endswith("\n") else text + ("\r\n" if "\r\n" in text else "\n")
    added = apply_block(user or None, "sdd rules", source="AGENTS.md").text
    assert remove_block(added, source="AGENTS.md").text.strip() == user.strip()
    # The blank line before the block is sdd's unless the text already ended with one.
    if user.strip() and not user.endswith(("\n\n", "\r\n\r\n")):
        assert remove_block(added, source="AGENTS.md").text == user
