"""sdd agents: command files per agent format, install with user-edit protection, list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.agents import render as agentrender
from sdd.agents.render import quoted, toml_multiline
from sdd.agents.table import AGENTS, COMMANDS, Agent
from sdd.base import frontmatter, yamlio
from sdd.base.managed_block import BEGIN, END
from sdd.project.project import load_project
from tests.test_init import _tree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KEYS = [agent.key for agent in AGENTS]
PLACEHOLDERS = ("$ARGUMENTS", "{{args}}")


def _agent(key: str) -> Agent:
    return next(agent for agent in AGENTS if agent.key == key)


def _rendered(root: Path, key: str) -> dict[str, str]:
    project = load_project(root)
    agent = _agent(key)
    return {command: agentrender.render_command(agent, command, project) for command in COMMANDS}


def _prompt_of(agent: Agent, text: str) -> str:
    """The text the agent sends to its model: the TOML prompt, or the Markdown body."""
    if agent.format == "toml":
        prompt = tomllib.loads(text)["prompt"]
        assert isinstance(prompt, str)
        return prompt
    return frontmatter.split(text).body


# --- the registry ---------------------------------------------------------------------------


def test_the_registry_covers_the_agents_of_the_issue() -> None:
    assert set(KEYS) >= {
        "claude",
        "gemini",
        "copilot",
        "cursor",
        "codex",
        "opencode",
        "windsurf",
        "qwen",
        "auggie",
        "roo",
        "amp",
    }
    assert all(agent.source for agent in AGENTS)
    assert _agent("claude").path_for("sp.adr") == ".claude/commands/sp.adr.md"
    assert _agent("gemini").path_for("sp.adr") == ".gemini/commands/sp.adr.toml"
    assert _agent("copilot").path_for("sp.adr") == ".github/prompts/sp.adr.prompt.md"
    assert _agent("codex").path_for("sp.adr") == ".agents/skills/sp-adr/SKILL.md"
    assert set(COMMANDS) == {
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
    }
    assert (
        _agent("codex").path_for("sp.git.commit_pr") == ".agents/skills/sp-git-commit-pr/SKILL.md"
    )


# --- one test per agent format ---------------------------------------------------------------


@pytest.mark.parametrize("key", [a.key for a in AGENTS if a.format == "toml"])
def test_toml_commands_parse_and_carry_args(project: Path, key: str) -> None:
    for command, text in _rendered(project, key).items():
        data = tomllib.loads(text)
        assert set(data) == {"description", "prompt"}, command
        assert data["description"].strip()
        assert "{{args}}" in data["prompt"], command
        assert "$ARGUMENTS" not in text, f"{command}: a literal $ARGUMENTS never reaches {key}"
        # Gemini runs !{…} as shell and injects @{…} files: a command must hold neither.
        assert "!{" not in data["prompt"] and "@{" not in data["prompt"], command


@pytest.mark.parametrize("key", [a.key for a in AGENTS if a.format == "markdown"])
def test_markdown_commands_have_the_front_matter_and_placeholder_the_agent_expects(
    project: Path, key: str
) -> None:
    agent = _agent(key)
    for command, text in _rendered(project, key).items():
        document = frontmatter.split(text)
        if agent.front_matter or agent.fixed_front_matter:
            assert document.has_front_matter and document.closed, command
            header = frontmatter.parse_header(document, command)
            assert isinstance(header, dict)
            assert set(header) <= {*agent.front_matter, *dict(agent.fixed_front_matter)}
            assert header["description"].strip(), command
        else:
            assert not document.has_front_matter, f"{key} reads no front matter"
        wrong = [p for p in PLACEHOLDERS if p != agent.arguments and p in text]
        assert not wrong, f"{command} for {key} holds {wrong}, which {key} never replaces"
        if agent.arguments:
            assert agent.arguments in document.body, command
        else:
            assert "the text the user typed" in document.body, command


def test_claude_reads_arguments_and_only_the_user_starts_sp_adr(project: Path) -> None:
    files = _rendered(project, "claude")
    header = yamlio.load(frontmatter.split(files["sp.adr"]).header, "sp.adr")
    assert header["disable-model-invocation"] is True
    assert header["argument-hint"]
    plan = frontmatter.parse_header(frontmatter.split(files["sp.plan"]), "sp.plan")
    assert "disable-model-invocation" not in plan
    for command, text in files.items():
        # In Claude Code, !`…` in a command runs a shell command before the prompt is sent.
        assert "!`" not in text, command


def test_auggie_reads_front_matter_and_replaces_arguments(project: Path) -> None:
    # Auggie: .augment/commands/<name>.md, YAML description/argument-hint, $ARGUMENTS replaced.
    auggie = _agent("auggie")
    for command, text in _rendered(project, "auggie").items():
        assert auggie.path_for(command) == f".augment/commands/{command}.md"
        header = yamlio.load(frontmatter.split(text).header, command)
        assert set(header) <= {"description", "argument-hint"} and header["description"]
        assert frontmatter.split(text).body.count("$ARGUMENTS") >= 1, command
        assert "{{args}}" not in text


def test_roo_reads_front_matter_and_takes_the_typed_text(project: Path) -> None:
    # Roo Code: .roo/commands/<name>.md; the argument is typed after the command, unreplaced.
    roo = _agent("roo")
    for command, text in _rendered(project, "roo").items():
        assert roo.path_for(command) == f".roo/commands/{command}.md"
        header = yamlio.load(frontmatter.split(text).header, command)
        assert set(header) <= {"description", "argument-hint"} and header["description"]
        assert "$ARGUMENTS" not in text and "{{args}}" not in text
        assert "the text the user typed" in text


def test_amp_reads_plain_markdown_inserted_into_the_prompt(project: Path) -> None:
    # Amp: .agents/commands/<name>.md, plain Markdown whose text is inserted as it is.
    amp = _agent("amp")
    for command, text in _rendered(project, "amp").items():
        assert amp.path_for(command) == f".agents/commands/{command}.md"
        assert not text.startswith("---"), command
        assert text.startswith("# "), command
        assert "$ARGUMENTS" not in text and "{{args}}" not in text


def test_new_workflow_commands_state_their_consent_rules(project: Path) -> None:
    for key in KEYS:
        agent = _agent(key)
        files = _rendered(project, key)
        for command in ("sp.clarify", "sp.analyze", "sp.implement", "sp.git.commit_pr"):
            assert "## Consent rule" in _prompt_of(agent, files[command]), (key, command)
        commit = _prompt_of(agent, files["sp.git.commit_pr"])
        assert "Never push and never open a pull request unless the user explicitly asked" in commit
        assert "ADR: NNNN" in commit and "sdd pr checklist" in commit
        clarify = _prompt_of(agent, files["sp.clarify"])
        assert "at most **five**" in clarify and "one at a time" in clarify
        assert "sdd clarify answer <id>" in clarify
        assert "sdd tasks next <feature> --json" in _prompt_of(agent, files["sp.implement"])
        assert "(reviewer judgement)" in _prompt_of(agent, files["sp.analyze"])


def test_copilot_prompts_run_in_agent_mode(project: Path) -> None:
    for text in _rendered(project, "copilot").values():
        header = frontmatter.parse_header(frontmatter.split(text), "x")
        assert header["agent"] == "agent"


def test_codex_skills_are_named_as_their_folder(project: Path) -> None:
    import re

    codex = _agent("codex")
    for command, text in _rendered(project, "codex").items():
        header = frontmatter.parse_header(frontmatter.split(text), command)
        folder = codex.path_for(command).split("/")[-2]
        assert header["name"] == folder
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", folder)
        assert f"${folder}" in text


def test_the_consent_rule_is_written_into_sp_adr_for_every_agent(project: Path) -> None:
    for key in KEYS:
        agent = _agent(key)
        prompt = _prompt_of(agent, _rendered(project, key)["sp.adr"])
        assert "sdd adr detect --json" in prompt
        assert "--yes" in prompt
        assert "Never create an ADR on your own initiative" in prompt
        assert f"invoked\n{agent.invoke('sp.adr')} with a decision title" in prompt
        assert "explicitly answered yes" in prompt


def test_sp_phr_sends_the_prompt_through_a_file_or_stdin(project: Path) -> None:
    prompt = _prompt_of(_agent("claude"), _rendered(project, "claude")["sp.phr"])
    assert "--prompt-file <prompt file>" in prompt
    assert "--prompt-file -" in prompt
    assert "verbatim" in prompt


def test_command_files_follow_the_project_layout(project: Path) -> None:
    (project / "sdd.yaml").write_text(
        'version: 1\npaths:\n  specs: "docs/specs"\n  adr: "docs/adr"\n', encoding="utf-8"
    )
    text = _rendered(project, "claude")["sp.plan"]
    assert "docs/specs/<feature>/plan.md" in text


# --- every sdd invocation exists in the real CLI ----------------------------------------------


def _every_invocation(root: Path) -> dict[str, list[str]]:
    from tests.cli_invocations import sdd_invocations

    project = load_project(root)
    found: dict[str, list[str]] = {}
    for agent in AGENTS:
        for command, text in _rendered(root, agent.key).items():
            invocations = sdd_invocations(_prompt_of(agent, text))
            assert invocations, f"{agent.key} {command} runs no sdd command"
            found[f"{agent.path_for(command)}"] = invocations
    found["managed block"] = sdd_invocations(agentrender.render_rules(project))
    return found


def test_every_sdd_invocation_names_an_existing_command_and_flag(project: Path) -> None:
    from tests.cli_invocations import check_invocation, real_cli

    root = real_cli()
    missing: dict[str, set[str]] = {}
    for where, invocations in _every_invocation(project).items():
        for invocation in invocations:
            for problem in check_invocation(invocation, root):
                missing.setdefault(problem.text, set()).add(where)
    assert not missing, "\n".join(f"{p}  [in {len(w)} files]" for p, w in sorted(missing.items()))


# --- install ---------------------------------------------------------------------------------


def test_install_writes_every_file_and_the_rules_block(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("agents", "install", *KEYS, "--json", ok=True)
    report = json.loads(result.stdout)
    assert report["schema"] == "sdd.agents-install/1" and report["changed"] is True
    for entry in report["agents"]:
        agent = _agent(entry["agent"])
        assert [f["action"] for f in entry["files"]] == ["created"] * len(COMMANDS)
        for command in COMMANDS:
            assert (project / agent.path_for(command)).is_file()
        rules = (project / agent.rules_file).read_text("utf-8")
        assert rules.count(BEGIN) == 1 and rules.count(END) == 1
    by_agent = {entry["agent"]: entry for entry in report["agents"]}
    assert by_agent["codex"]["rules"]["action"] == "created"
    assert by_agent["opencode"]["rules"]["action"] == "unchanged", "AGENTS.md is shared"
    assert (project / ".cursor/rules/sdd.mdc").read_text("utf-8").startswith("---\n")
    manifest = json.loads((project / ".sdd/agents.json").read_text("utf-8"))
    assert len(manifest["files"]) == len(KEYS) * len(COMMANDS)


def test_reinstall_is_idempotent(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("agents", "install", "claude", "gemini", "codex", ok=True)
    before = _tree(project)
    result = sdd("agents", "install", "claude", "gemini", "codex", "--json", ok=True)
    report = json.loads(result.stdout)
    assert report["changed"] is False
    for entry in report["agents"]:
        assert {f["action"] for f in entry["files"]} == {"unchanged"}
        assert entry["rules"]["action"] == "unchanged"
    assert _tree(project) == before
    assert (
        f"{len(COMMANDS)} of {len(COMMANDS)} command files up to date"
        in sdd("agents", "install", "claude").stdout
    )


def test_user_edited_file_survives_reinstall_until_force(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("agents", "install", "claude", ok=True)
    mine = project / ".claude/commands/sp.adr.md"
    edited = mine.read_text("utf-8") + "\nAlso ask my team lead.\n"
    mine.write_text(edited, encoding="utf-8")
    result = sdd("agents", "install", "claude")
    assert result.exit_code == 0
    assert mine.read_text("utf-8") == edited
    assert "kept .claude/commands/sp.adr.md" in result.stderr and "--force" in result.stderr
    listing = json.loads(sdd("agents", "list", "--json", ok=True).stdout)
    claude = next(a for a in listing["agents"] if a["agent"] == "claude")
    assert {"command": "sp.adr", "path": ".claude/commands/sp.adr.md", "state": "edited"} in (
        claude["files"]
    )
    assert claude["up_to_date"] is False and "1 edited" in claude["status"]
    forced = json.loads(sdd("agents", "install", "claude", "--force", "--json", ok=True).stdout)
    actions = {f["command"]: f["action"] for f in forced["agents"][0]["files"]}
    assert actions["sp.adr"] == "overwritten"
    assert "Also ask my team lead." not in mine.read_text("utf-8")


def test_changed_template_updates_sdd_files_but_not_edited_ones(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("agents", "install", "claude", "gemini", ok=True)
    edited = project / ".gemini/commands/sp.status.toml"
    edited.write_text(edited.read_text("utf-8").replace("short table", "long table"), "utf-8")
    source = agentrender.templates.packaged_dir() / "agents/commands/sp.status.md"
    custom = project / ".sdd/templates/agents/commands/sp.status.md"
    custom.parent.mkdir(parents=True)
    custom.write_text(source.read_text("utf-8") + "\nOur team note.\n", encoding="utf-8")
    agentrender.templates._environment.cache_clear()  # a new process would not have it cached
    listing = json.loads(sdd("agents", "list", "--json", ok=True).stdout)
    states = {(a["agent"], f["command"]): f["state"] for a in listing["agents"] for f in a["files"]}
    assert states[("claude", "sp.status")] == "outdated"
    assert states[("gemini", "sp.status")] == "edited"
    report = json.loads(sdd("agents", "install", "claude", "gemini", "--json", ok=True).stdout)
    actions = {
        (a["agent"], f["command"]): f["action"] for a in report["agents"] for f in a["files"]
    }
    assert actions[("claude", "sp.status")] == "updated"
    assert actions[("claude", "sp.plan")] == "unchanged"
    assert actions[("gemini", "sp.status")] == "kept"
    assert "Our team note." in (project / ".claude/commands/sp.status.md").read_text("utf-8")
    assert "long table" in edited.read_text("utf-8")


def test_a_file_sdd_did_not_write_is_kept_and_an_identical_one_adopted(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    theirs = project / ".claude/commands/sp.plan.md"
    theirs.parent.mkdir(parents=True)
    theirs.write_text("my own plan command\n", encoding="utf-8")
    same = project / ".claude/commands/sp.tasks.md"
    same.write_text(_rendered(project, "claude")["sp.tasks"], encoding="utf-8")
    report = json.loads(sdd("agents", "install", "claude", "--json", ok=True).stdout)
    actions = {f["command"]: f["action"] for f in report["agents"][0]["files"]}
    assert actions["sp.plan"] == "kept" and actions["sp.tasks"] == "unchanged"
    assert theirs.read_text("utf-8") == "my own plan command\n"
    manifest = json.loads((project / ".sdd/agents.json").read_text("utf-8"))["files"]
    assert ".claude/commands/sp.tasks.md" in manifest
    assert ".claude/commands/sp.plan.md" not in manifest


def test_deleted_file_is_recreated(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("agents", "install", "qwen", ok=True)
    (project / ".qwen/commands/sp.phr.md").unlink()
    report = json.loads(sdd("agents", "install", "qwen", "--json", ok=True).stdout)
    assert {f["command"]: f["action"] for f in report["agents"][0]["files"]}["sp.phr"] == (
        "created"
    )


def test_line_endings_changed_by_git_do_not_count_as_an_edit(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("agents", "install", "windsurf", ok=True)
    path = project / ".windsurf/workflows/sp.plan.md"
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    report = json.loads(sdd("agents", "install", "windsurf", "--json", ok=True).stdout)
    assert {f["action"] for f in report["agents"][0]["files"]} == {"unchanged"}
    assert path.read_bytes() == crlf


def test_existing_rules_file_keeps_the_users_text(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    claude_md = project / "CLAUDE.md"
    claude_md.write_bytes(b"# House rules\r\n\r\nBe kind.\r\n")
    sdd("agents", "install", "claude", ok=True)
    data = claude_md.read_bytes()
    assert data.startswith(b"# House rules\r\n\r\nBe kind.\r\n\r\n<!-- sdd:begin -->\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    claude_md.write_bytes(data + b"\r\nMy closing words.\r\n")
    sdd("agents", "install", "claude", ok=True)
    assert claude_md.read_bytes() == data + b"\r\nMy closing words.\r\n"


def test_broken_markers_stop_the_install_before_anything_is_written(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    agents_md = project / "AGENTS.md"
    agents_md.write_text(f"mine\n{BEGIN}\nhalf a block\n", encoding="utf-8")
    before = _tree(project)
    result = sdd("agents", "install", "claude", "codex")
    assert result.exit_code == 2
    assert "AGENTS.md:2" in result.stderr and "sdd:end" in result.stderr
    assert "Traceback" not in result.output
    assert _tree(project) == before


def test_unknown_agent_exits_2_listing_the_known_ones(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    before = _tree(project)
    result = sdd("agents", "install", "claude", "vim")
    assert result.exit_code == 2
    assert "'vim'" in result.stderr
    for key in KEYS:
        assert key in result.stderr
    assert _tree(project) == before


def test_a_folder_symlinked_out_of_the_project_is_refused(
    project: Path,
    tmp_path: Path,
    sdd,  # type: ignore[no-untyped-def]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, project / ".claude")
    result = sdd("agents", "install", "claude")
    assert result.exit_code == 2
    assert list(outside.iterdir()) == []
    assert not (project / "CLAUDE.md").exists()


def test_broken_manifest_is_named(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / ".sdd/agents.json").write_text("{not json", encoding="utf-8")
    result = sdd("agents", "install", "claude")
    assert result.exit_code == 2
    assert ".sdd/agents.json:1" in result.stderr and "hint" in result.stderr


def test_customised_template_with_an_error_names_the_template(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    custom = project / ".sdd/templates/agents/commands/sp.plan.md"
    custom.parent.mkdir(parents=True)
    custom.write_text("---\ndescription: x\n---\n{{ no_such_value }}\n", encoding="utf-8")
    result = sdd("agents", "install", "claude")
    assert result.exit_code == 2
    assert "sp.plan.md" in result.stderr and "no_such_value" in result.stderr
    assert not (project / ".claude").exists()
    custom.write_text("no header at all\n", encoding="utf-8")
    assert "--- header" in sdd("agents", "install", "claude").stderr


@pytest.mark.parametrize(
    ("blocker", "named"),
    [
        (".claude/commands", ".claude/commands"),
        (".claude", ".claude"),
        (".windsurf/rules", ".windsurf/rules"),
        (".sdd", ".sdd"),
    ],
)
def test_a_file_where_a_folder_belongs_stops_the_install_before_anything_is_written(
    project: Path,
    sdd,  # type: ignore[no-untyped-def]
    blocker: str,
    named: str,
) -> None:
    target = project / blocker
    if target.is_dir():  # .sdd holds the templates folder sdd init made
        for child in sorted(target.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() else child.unlink()
        target.rmdir()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("a file of mine\n", encoding="utf-8")
    before = _tree(project)
    result = sdd("agents", "install", "gemini", "claude", "windsurf")
    assert result.exit_code == 2, result.output
    assert f"error: {named} is a file where sdd needs a folder" in result.stderr
    assert "Traceback" not in result.output
    assert _tree(project) == before


def test_a_rules_file_linked_to_another_keeps_its_link(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "AGENTS.md").write_text("# Shared rules\n", encoding="utf-8")
    (project / "CLAUDE.md").symlink_to("AGENTS.md")
    report = json.loads(sdd("agents", "install", "claude", "codex", "--json", ok=True).stdout)
    assert [entry["rules"]["action"] for entry in report["agents"]] == ["inserted", "unchanged"]
    assert (project / "CLAUDE.md").is_symlink()
    text = (project / "AGENTS.md").read_text("utf-8")
    assert text.startswith("# Shared rules\n\n" + BEGIN) and text.count(BEGIN) == 1
    (project / "CLAUDE.md").unlink()
    (project / "CLAUDE.md").symlink_to("docs/RULES.md")  # dangling, inside the project
    (project / "docs").mkdir()
    sdd("agents", "install", "claude", ok=True)
    assert (project / "CLAUDE.md").is_symlink()
    assert (project / "docs/RULES.md").read_text("utf-8").startswith(BEGIN)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_rules_file_that_is_a_pipe_is_refused_unread(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    os.mkfifo(project / "CLAUDE.md")  # reading it would wait for a writer for ever
    result = sdd("agents", "install", "claude")
    assert result.exit_code == 2
    assert "CLAUDE.md is not a file sdd can add its block to" in result.stderr
    assert not (project / ".claude").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"\x89PNG\r\n\x00\x00", "file is binary, not text"), (b"ok\n\xff\n", "not valid UTF-8")],
)
def test_an_unreadable_rules_file_is_named_with_the_reason(
    project: Path,
    sdd,  # type: ignore[no-untyped-def]
    content: bytes,
    reason: str,
) -> None:
    (project / "CLAUDE.md").write_bytes(content)
    before = _tree(project)
    for command in (("install", "claude"), ("list",)):
        result = sdd("agents", *command)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: CLAUDE.md:")
        assert "cannot add the sdd block" in result.stderr and reason in result.stderr
    assert _tree(project) == before


# --- list ------------------------------------------------------------------------------------


def test_list_reports_every_agent_and_its_state(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    listing = json.loads(sdd("agents", "list", "--json", ok=True).stdout)
    assert listing["schema"] == "sdd.agents/1"
    assert [a["agent"] for a in listing["agents"]] == KEYS
    assert all(a["installed"] is False for a in listing["agents"])
    gemini = next(a for a in listing["agents"] if a["agent"] == "gemini")
    assert gemini["folder"] == ".gemini/commands" and gemini["format"] == "toml"
    assert gemini["arguments"] == "{{args}}"
    assert "gemini-cli" in gemini["source"]
    roo = next(a for a in listing["agents"] if a["agent"] == "roo")
    assert "docs.roocode.com" in roo["source"]
    sdd("agents", "install", "gemini", ok=True)
    listing = json.loads(sdd("agents", "list", "--json", ok=True).stdout)
    gemini = next(a for a in listing["agents"] if a["agent"] == "gemini")
    assert gemini["installed"] is True and gemini["up_to_date"] is True
    assert gemini["rules"] == {"path": "GEMINI.md", "state": "current"}
    text = sdd("agents", "list", ok=True).stdout
    assert "gemini" in text and ".gemini/comm" in text and "installed" in text


# --- the installed executable ------------------------------------------------------------------


def test_installed_executable_installs_with_stdin_closed(project: Path) -> None:
    from tests.conftest import sdd_executable

    result = subprocess.run(
        ["bash", "-c", '"$@" <&-', "bash", sdd_executable(), "agents", "install", "claude"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (project / ".claude/commands/sp.specify.md").is_file()


@pytest.mark.slow
def test_two_installs_at_once_both_succeed(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sdd_executable

    runs = [
        subprocess.Popen(
            [sdd_executable(), "agents", "install", key],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key in ("claude", "gemini", "codex", "opencode")
    ]
    for run in runs:
        _, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
    report = json.loads(
        sdd("agents", "install", "claude", "gemini", "codex", "opencode", "--json", ok=True).stdout
    )
    assert {f["action"] for a in report["agents"] for f in a["files"]} == {"unchanged"}
    assert (project / "AGENTS.md").read_text("utf-8").count(BEGIN) == 1


# --- value encoding ------------------------------------------------------------------------


_any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=300)
@given(_any_text)
def test_quoted_strings_read_back_the_same_in_yaml_and_toml(text: str) -> None:
    assert yamlio.load(f"key: {quoted(text)}\n", "x") == {"key": text}
    assert tomllib.loads(f"key = {quoted(text)}\n") == {"key": text}


@settings(max_examples=300)
@given(_any_text)
def test_toml_multiline_strings_read_back_the_same(text: str) -> None:
    assert tomllib.loads(f"prompt = {toml_multiline(text)}\n") == {"prompt": text}


def test_readable_prompts_use_literal_toml_strings() -> None:
    assert toml_multiline("a \\d {{args}}\n") == "'''\na \\d {{args}}\n'''"
    assert toml_multiline("it's '''quoted'''\n").startswith('"""')


# --- the invocation checker itself -----------------------------------------------------------


def _fake_cli():  # type: ignore[no-untyped-def]
    import typer

    fake = typer.Typer()
    adr = typer.Typer()

    @fake.callback()
    def root() -> None: ...

    @fake.command("status")
    def status(as_json: bool = typer.Option(False, "--json")) -> None: ...

    @adr.command("detect")
    def detect(
        as_json: bool = typer.Option(False, "--json"),
        staged: bool = typer.Option(False, "--staged"),
    ) -> None: ...

    fake.add_typer(adr, name="adr")
    return typer.main.get_command(fake)


@pytest.mark.parametrize(
    ("invocation", "problems"),
    [
        ("sdd adr detect --json --staged", []),
        ("sdd status --json | jq .features", []),
        ("sdd adr detect --json <<'EOF'", []),
        ("sdd adr detect --base main --json", ["`sdd adr detect`: no option --base"]),
        ("sdd adr create", ["`sdd adr create`: no such command"]),
        ("sdd pr checklist --json", ["(not merged) `sdd pr`: no such command group"]),
        ("sdd status --json=1 --verbose", ["`sdd status`: no option --verbose"]),
    ],
)
def test_the_invocation_checker_names_what_is_missing(invocation: str, problems: list[str]) -> None:
    from tests.cli_invocations import check_invocation

    assert [p.text for p in check_invocation(invocation, _fake_cli())] == problems


def test_invocations_are_found_in_spans_fences_and_continued_lines() -> None:
    from tests.cli_invocations import sdd_invocations

    text = (
        "Run `sdd status --json` first, then\n`sdd validate\n--json` (wrapped).\n"
        "Not code: sdd doctor.\n\n```sh\n$ sdd adr detect \\\n  --staged --json\necho sdd\n```\n"
        "`git status` is not sdd.\n"
    )
    assert sdd_invocations(text) == [
        "sdd adr detect --staged --json",
        "sdd status --json",
        "sdd validate --json",
    ]
