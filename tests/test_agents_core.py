"""The agents use cases called directly: planning, installing with the manifest of what sdd
wrote, and uninstalling only what is still sdd's."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.agents.install import install, install_document
from sdd.agents.manifest import MANIFEST, Written, digest, load_manifest, save_manifest
from sdd.agents.plan import status, status_document
from sdd.agents.table import COMMANDS
from sdd.agents.uninstall import uninstall, uninstall_document
from sdd.base.errors import ParseError
from sdd.project.project import Project, load_project


@pytest.fixture
def loaded(project: Path) -> Project:
    return load_project(project)


@given(st.text(st.characters(codec="utf-8", exclude_characters="\r")))
def test_the_digest_ignores_line_endings(text: str) -> None:
    assert digest(text.replace("\n", "\r\n")) == digest(text)


def test_the_manifest_round_trips_and_a_broken_one_is_named(tmp_path: Path) -> None:
    assert load_manifest(tmp_path) == {}
    files = {".claude/commands/sp.adr.md": Written("claude", digest("x"))}
    save_manifest(tmp_path, files)
    assert load_manifest(tmp_path) == files
    (tmp_path / MANIFEST).write_text("{not json", "utf-8")
    with pytest.raises(ParseError, match="invalid JSON in the agents manifest"):
        load_manifest(tmp_path)


def test_status_plans_without_writing(loaded: Project) -> None:
    plans = {plan.agent.key: plan for plan in status(loaded)}
    assert plans["claude"].summary() == "not installed"
    assert {file.state for file in plans["claude"].files} == {"missing"}
    assert not (loaded.root / ".claude").exists()
    assert status_document(list(plans.values()))["schema"] == "sdd.agents/1"


def test_install_records_what_it_wrote_and_keeps_user_edits(loaded: Project) -> None:
    plans = install(loaded, ["claude"])
    assert install_document(plans)["changed"] is True
    manifest = load_manifest(loaded.root)
    assert len(manifest) == len(COMMANDS) and {w.agent for w in manifest.values()} == {"claude"}
    edited = loaded.root / plans[0].files[0].path
    edited.write_text("my own command\n", "utf-8")
    again = install(loaded, ["claude"])
    assert again[0].files[0].action == "kept" and edited.read_text("utf-8") == "my own command\n"
    assert {f.action for f in again[0].files[1:]} == {"unchanged"}
    after = {plan.agent.key: plan for plan in status(loaded)}["claude"]
    assert after.summary() == "installed (1 edited)"


def test_uninstall_removes_only_what_is_still_sdds(loaded: Project) -> None:
    plans = install(loaded, ["claude"])
    edited = loaded.root / plans[0].files[0].path
    edited.write_text("my own command\n", "utf-8")
    removals = uninstall(loaded, ["claude"])
    assert removals[0].kept == [plans[0].files[0].path]
    assert len(removals[0].removed) == len(COMMANDS) - 1
    assert edited.is_file() and not (loaded.root / MANIFEST).exists()
    assert uninstall_document(removals)["schema"] == "sdd.agents-uninstall/1"
