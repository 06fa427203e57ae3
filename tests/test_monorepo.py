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
    owning_project,
    project_folder_of_marker,
    projects_holding,
)
from sdd.project.project import Layout
from tests.support import build_file_tree, commit, git, output

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
    layout = Layout("sdd", (), {})
    projects = [
        ProjectEntry("", Path("/r"), layout),
        ProjectEntry("apps", Path("/r/apps"), layout),
        ProjectEntry("apps/web", Path("/r/apps/web"), layout),
    ]
    assert owning_project("apps/web/specs/001-x/spec.md", projects) == projects[2]
    assert owning_project("apps/webby/x.md", projects) == projects[1]
    assert owning_project("README.md", projects) == projects[0]
    assert owning_project("x.md", projects[1:]) is None


def test_staged_paths_are_grouped_by_the_project_markers_around_them(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "sdd.yaml": "version: 1\n",
            "web/history/prompts/general/0001-x.general.prompt.md": "x",
            "node_modules/pkg/sdd.yaml": "version: 1\n",
        },
    )
    groups = projects_holding(
        tmp_path,
        [
            "specs/001-a/spec.md",
            "web/history/prompts/general/0001-x.general.prompt.md",
            "web/README.md",
            "node_modules/pkg/README.md",
        ],
        "",
    )
    assert groups == {
        "": ["specs/001-a/spec.md", "node_modules/pkg/README.md"],
        "web": ["web/history/prompts/general/0001-x.general.prompt.md", "web/README.md"],
    }
    # Installed for web/ in a repository with no root project: a path outside every
    # project is nobody's, and one inside web/ is web's even without a marker of its own.
    other = tmp_path / "other"
    build_file_tree(other, {"web/sdd.yaml": "version: 1\n"})
    assert projects_holding(other, ["docs/a.md", "web/notes/b.md"], "web") == {
        "web": ["web/notes/b.md"]
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
    # The document, byte for byte: the projects as ``sdd projects`` lists them, then each
    # feature's row of its project's own ``sdd status`` document with the project's name.
    rows = json.loads(sdd("--project", "backend", "status", "--json").stdout)["features"]
    projects = json.loads(sdd("projects", "--json").stdout)["projects"]
    assert (
        result.stdout
        == json.dumps(
            {
                "schema": "sdd.status/1",
                "projects": projects,
                "features": [{**row, "project": "backend"} for row in rows],
            },
            indent=2,
        )
        + "\n"
    )


def test_all_refuses_paths(monorepo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("validate", "--all", "backend")
    assert result.exit_code == 2
    assert "--all" in result.output


MIGRATION = "CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL);\n"
AUTH = (
    'import jwt from "jsonwebtoken";\n'
    'import passport from "passport";\n'
    "export const sign = (u) => jwt.sign({ sub: u.id }, process.env.JWT_SECRET);\n"
)
WEB_ADR = """---
id: 1
title: JWT bearer tokens for the web app
status: accepted
date: 2026-03-02
covers:
  - "web/src/**"
---

# ADR-0001: JWT bearer tokens for the web app

## Context

The web app needs sign-in.

## Decision

JWT bearer tokens.

## Consequences

Tokens expire.
"""


def test_detection_attributes_each_signal_to_its_project_and_its_adrs(
    monorepo: Path,
    sdd,  # type: ignore[no-untyped-def]
) -> None:
    build_file_tree(
        monorepo,
        {
            "backend/db/migration/V1__create_users.sql": MIGRATION,
            "web/src/auth.js": AUTH,
            "web/history/adr/0001-jwt-bearer-tokens-for-the-web-app.md": WEB_ADR,
        },
    )
    git(monorepo, "add", "-A")
    result = sdd("adr", "detect", "--staged", "--all", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    by_project = {p["project"]: p for p in document["projects"]}
    assert set(by_project) == {"backend", "web"}
    backend = {c["name"]: c for c in by_project["backend"]["categories"]}
    web = {c["name"]: c for c in by_project["web"]["categories"]}
    assert backend["database"]["significant"] and not backend["database"]["covered"]
    assert web["auth"]["covered"] and web["auth"]["covered_by"] == [1]
    assert all(signal["path"].startswith("backend/") for signal in backend["database"]["signals"])
    failing = sdd("adr", "detect", "--staged", "--all", "--fail-on-significant")
    assert failing.exit_code == 1  # backend's migration has no ADR


def test_checklist_has_a_part_per_touched_project(monorepo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(monorepo, "checkout", "-q", "-b", "topic")
    build_file_tree(monorepo, {"backend/db/migration/V1__create_users.sql": MIGRATION})
    git(monorepo, "add", "-A")
    git(monorepo, "commit", "-q", "-m", "users table")
    result = sdd("pr", "checklist", "--all", "--base", "main")
    assert result.exit_code == 0, result.output
    assert "# Project `backend`" in result.output
    assert "Project `web`" not in result.output and "Project `infra`" not in result.output
    assert "## Architecture decisions" in result.output
    document = json.loads(sdd("pr", "checklist", "--all", "--base", "main", "--json").output)
    assert [p["project"] for p in document["projects"]] == ["backend"]


def test_init_at_a_monorepo_root_creates_nothing_unless_asked(monorepo: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("init", str(monorepo))
    assert result.exit_code == 2
    assert "backend/ (sdd)" in result.output and "--root" in result.output
    assert not (monorepo / "sdd.yaml").exists()
    assert sdd("init", str(monorepo), "--root").exit_code == 0
    assert (monorepo / "sdd.yaml").is_file()


@pytest.mark.slow
def test_one_hook_validates_each_project_with_its_own_configuration(
    monorepo: Path,
    sdd,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(monorepo / "backend")
    assert sdd("hooks", "install").exit_code == 0
    monkeypatch.chdir(monorepo)
    broken = "web/history/prompts/general/0002-broken.general.prompt.md"
    build_file_tree(monorepo, {broken: "---\nid: [\n---\n"})
    git(monorepo, "add", "-A")
    blocked = commit(monorepo, "a broken web record")
    assert blocked.returncode == 1, output(blocked)
    assert f"{broken}:" in output(blocked)
    assert "pre-commit (web)" in output(blocked)
    git(monorepo, "rm", "-q", "--cached", broken)
    (monorepo / broken).unlink()
    build_file_tree(monorepo, {"backend/specs/constitution.md": "# Constitution\n\nChanged.\n"})
    git(monorepo, "add", "-A")
    passed = commit(monorepo, "backend only")
    assert passed.returncode == 0, output(passed)
