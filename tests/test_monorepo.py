"""Several sdd projects in one repository: discovery, `sdd projects`, `status`/`validate --all`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.project.discovery import (
    ProjectEntry,
    discover_projects,
    group_by_project,
    owning_project,
    project_folder_of_marker,
)
from sdd.project.project import Layout
from tests.support import build_file_tree, git

PHR = """---
id: "0001"
title: Plan the web app
stage: general
date: 2026-03-01
surface: agent
model: gpt-5
feature: none
branch: main
user: dev
command: /sp.phr
labels: [web]
links: {spec: null, ticket: null, adr: null, pr: null}
files: []
tests: []
---

## Prompt

Plan the web app.

## Response snapshot

A plan.
"""

ADR_TOOLS = """# 1. Record architecture decisions

Date: 2026-01-01

## Status

Accepted

## Context

We need to record decisions.

## Decision

We use ADRs.

## Consequences

Decisions are written down.
"""


@pytest.fixture
def monorepo(repo: Path, sdd, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    """An sdd project (backend/), a Spec-Kit Plus one (web/), an adr-tools one (infra/)."""
    monkeypatch.chdir(repo)
    assert sdd("init", "backend").exit_code == 0
    build_file_tree(
        repo,
        {
            "web/history/prompts/general/0001-plan-the-web-app.general.prompt.md": PHR,
            "web/history/adr/.keep": "",
            "infra/.adr-dir": "doc/adr\n",
            "infra/doc/adr/0001-record-architecture-decisions.md": ADR_TOOLS,
            "node_modules/some-kit/sdd.yaml": "version: 1\n",
            "tests/data/sample/sdd.yaml": "version: 1\n",
            ".gitignore": "ignored/\n",
            "ignored/sdd.yaml": "version: 1\n",
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "three projects")
    return repo


def test_discovery_finds_each_project_with_its_layout(monorepo: Path) -> None:
    found = {entry.relative: entry.layout.kind for entry in discover_projects(monorepo)}
    assert found == {"backend": "sdd", "web": "spec-kit-plus", "infra": "adr-tools"}


def test_discovery_outside_git_walks_the_folders(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "a/sdd.yaml": "version: 1\n",
            "a/b/.specify/memory/constitution.md": "# Constitution\n",
            "node_modules/c/sdd.yaml": "version: 1\n",
        },
    )
    found = [(e.relative, e.layout.kind) for e in discover_projects(tmp_path)]
    assert found == [("a", "sdd"), ("a/b", "spec-kit")]


def test_a_path_belongs_to_the_innermost_project() -> None:
    layout = Layout("sdd", ())
    projects = [
        ProjectEntry("", Path("/r"), layout),
        ProjectEntry("apps", Path("/r/apps"), layout),
        ProjectEntry("apps/web", Path("/r/apps/web"), layout),
    ]
    assert owning_project("apps/web/specs/001-x/spec.md", projects) == projects[2]
    assert owning_project("apps/webby/x.md", projects) == projects[1]
    assert owning_project("README.md", projects) == projects[0]
    assert owning_project("x.md", projects[1:]) is None
    assert group_by_project(["apps/web/a.md", "apps/b.md", "c.md"], projects[1:]) == {
        "apps/web": ["apps/web/a.md"],
        "apps": ["apps/b.md"],
    }


@given(
    st.lists(st.sampled_from(["a", "b", "history", "prompts", "sdd.yaml", ".adr-dir"]), max_size=6)
)
def test_a_marker_names_a_folder_that_holds_it(parts: list[str]) -> None:
    relative = "/".join(parts)
    folder = project_folder_of_marker(relative) if relative else None
    if folder is not None:
        assert folder == "" or relative.startswith(folder + "/")


def test_projects_command_lists_them(monorepo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("projects", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["schema"] == "sdd.projects/1"
    assert [(p["path"], p["layout"]) for p in document["projects"]] == [
        ("backend", "sdd"),
        ("infra", "adr-tools"),
        ("web", "spec-kit-plus"),
    ]


def test_validate_all_reports_each_project_with_its_own_configuration(
    monorepo: Path,
    sdd,  # type: ignore[no-untyped-def]
) -> None:
    (monorepo / "web" / "sdd.yaml").write_text("version: 1\nfeatures:\n  digits: many\n", "utf-8")
    bad = monorepo / "backend/history/prompts/general/0007-x.general.prompt.md"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("---\nid: [\n---\n", encoding="utf-8")
    result = sdd("validate", "--all", "--json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["findings"]
    projects = {finding["project"] for finding in findings}
    assert projects == {"backend", "web"}
    assert any(f["project"] == "web" and f["code"] == "CFG001" for f in findings)
    assert all(not f["path"].startswith(("backend/", "web/")) for f in findings)
    plain = sdd("validate", "--all")
    assert "backend/history/prompts/general/0007-x.general.prompt.md:" in plain.output
    assert "web/sdd.yaml:3: error CFG001" in plain.output


def test_validate_all_is_clean_on_clean_projects(monorepo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("validate", "--all")
    assert result.exit_code == 0, result.output


def test_status_all_names_the_project_of_each_feature(monorepo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    assert sdd("--project", "backend", "feature", "new", "Login").exit_code == 0
    result = sdd("status", "--all", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [(f["project"], f["feature"]) for f in document["features"]] == [
        ("backend", "001-login")
    ]
    assert {p["path"] for p in document["projects"]} == {"backend", "web", "infra"}


def test_all_refuses_paths(monorepo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("validate", "--all", "backend")
    assert result.exit_code == 2
    assert "--all" in result.output
