"""sdd status and sdd show: per-feature progress, clarifications, findings, PHRs and ADRs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.test_validate_features import GOOD_PLAN, GOOD_SPEC, GOOD_TASKS, _feature


def _records(root: Path) -> None:
    prompts = root / "history/prompts/001-login"
    prompts.mkdir(parents=True)
    (prompts / "0001-first.spec.prompt.md").write_text("---\nid: 1\n---\n", encoding="utf-8")
    (prompts / "0002-second.plan.prompt.md").write_text("---\nid: 2\n---\n", encoding="utf-8")
    # Every file under the prompts folder is a record (the checker reports this one's faults).
    (prompts / "notes.md").write_text("not a PHR\n", encoding="utf-8")
    adr = root / "adr"
    (adr / "0001-use-sessions.md").write_text(
        "---\nid: 1\ntitle: Use sessions\nfeature: 001-login\n---\n# ADR\n", encoding="utf-8"
    )
    (adr / "0002-quoted.md").write_text(
        '---\nid: 2\nfeature: "001-login"  # the login work\n---\n', encoding="utf-8"
    )
    (adr / "0003-other.md").write_text("---\nfeature: 002-export\n---\n", encoding="utf-8")
    # A feature named in the body counts, as 'sdd adr list' reads it.
    (adr / "0004-no-front-matter.md").write_text("feature: 001-login\n", encoding="utf-8")
    (adr / "README.md").write_text("---\nfeature: 001-login\n---\n", encoding="utf-8")


def test_status_rows(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _feature(
        project,
        "001-login",
        spec=GOOD_SPEC.replace("its stored hash.", "its hash [NEEDS CLARIFICATION: which one?]."),
        plan=GOOD_PLAN,
        tasks=GOOD_TASKS,
    )
    _feature(project, "002-export", spec="# Feature Specification: Export\n")
    _records(project)
    document = json.loads(sdd("status", "--json", ok=True).stdout)
    assert document["schema"] == "sdd.status/1"
    login, export = document["features"]
    assert login == {
        "feature": "001-login",
        "path": "specs/001-login",
        "artifacts": ["spec", "plan", "tasks"],
        "tasks": {"done": 1, "total": 2},
        "clarifications": 1,
        "errors": 0,
        "warnings": 1,
        "phrs": 3,
        "adrs": 3,
    }
    assert export["artifacts"] == ["spec"] and export["tasks"] == {"done": 0, "total": 0}
    assert export["errors"] == 6 and (export["phrs"], export["adrs"]) == (0, 1)
    human = sdd("status", ok=True).stdout
    assert "001-login" in human and "1/2" in human and "spec plan tasks" in human


def test_status_without_features(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(sdd("status", "--json", ok=True).stdout) == {
        "schema": "sdd.status/1",
        "features": [],
    }
    assert "No features yet" in sdd("status", ok=True).stdout


def test_show_in_depth(project: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _feature(
        project,
        "001-login",
        spec=GOOD_SPEC.replace("- **FR-002**", "- **FR-003**: System MUST audit.\n- **FR-002**"),
        plan=GOOD_PLAN.replace("## Summary", "## Summary\n\n[NEEDS CLARIFICATION: scope]"),
        tasks=GOOD_TASKS,
    )
    _records(project)
    monkeypatch.setenv("SDD_FEATURE", "001-login")
    shown = json.loads(sdd("show", "--json").stdout)
    assert shown["schema"] == "sdd.show/1"
    assert shown["tasks"] == {"done": 1, "total": 2}
    assert shown["open_tasks"] == [
        {
            "id": "T002",
            "done": False,
            "line": 9,
            "description": "Lock accounts in src/login/lock.py (FR-002)",
            "parallel": True,
            "story": "US1",
            "stories": ["US1"],
            "phase": "Phase 2: Foundational",
        }
    ]
    assert [(r["id"], r["covered"]) for r in shown["requirements"]] == [
        ("FR-001", True),
        ("FR-003", False),
        ("FR-002", True),
        ("SC-001", None),
    ]
    assert shown["requirements"][1]["text"] == "System MUST audit."
    assert shown["open_clarifications"] == [
        {"file": "plan.md", "line": 5, "text": "[NEEDS CLARIFICATION: scope]"}
    ]
    assert [f["code"] for f in shown["findings"]] == ["FEAT014", "FEAT031"]
    assert shown["phr_files"] == [
        "history/prompts/001-login/0001-first.spec.prompt.md",
        "history/prompts/001-login/0002-second.plan.prompt.md",
        "history/prompts/001-login/notes.md",
    ]
    assert shown["adr_files"] == [
        "adr/0001-use-sessions.md",
        "adr/0002-quoted.md",
        "adr/0004-no-front-matter.md",
    ]
    human = sdd("show")
    assert human.exit_code == 0
    for text in ("Open tasks", "T002", "Requirements", "FR-003", "FEAT031", "PHRs: 3"):
        assert text in human.stdout


def test_show_before_any_plan_leaves_coverage_open(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _feature(project, "001-login", spec=GOOD_SPEC)
    shown = json.loads(sdd("show", "1", "--json", ok=True).stdout)
    assert {r["covered"] for r in shown["requirements"]} == {None}
    assert shown["findings"] == []


def test_show_needs_a_feature(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("show")
    assert result.exit_code == 2 and "create one with 'sdd feature new'" in result.stderr


def test_status_counts_the_records_the_phr_checker_reads(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _feature(project, "001-login", spec=GOOD_SPEC)
    _records(project)
    prompts = project / "history/prompts/001-login"
    (prompts / "0003-older-kit.phr").write_text("---\nid: 3\n---\n", encoding="utf-8")
    (prompts / "nested").mkdir()
    (prompts / "nested/0004-deeper.plan.prompt.md").write_text("---\n", encoding="utf-8")
    (prompts / ".hidden").mkdir()
    (prompts / ".hidden/0005-ignored.plan.prompt.md").write_text("---\n", encoding="utf-8")
    shown = json.loads(sdd("show", "001", "--json", ok=True).stdout)
    assert shown["phr_files"] == [
        "history/prompts/001-login/0001-first.spec.prompt.md",
        "history/prompts/001-login/0002-second.plan.prompt.md",
        "history/prompts/001-login/0003-older-kit.phr",
        "history/prompts/001-login/notes.md",
        "history/prompts/001-login/nested/0004-deeper.plan.prompt.md",
    ]
    checked = json.loads(sdd("phr", "validate", "--json").stdout)["findings"]
    assert {f["path"] for f in checked} == set(shown["phr_files"])
    status = json.loads(sdd("status", "--json", ok=True).stdout)
    assert status["features"][0]["phrs"] == 5


def _uncached_rows(root: Path) -> list[dict[str, object]]:
    from sdd.overview.status import project_details
    from sdd.project.project import load_project

    return [detail.status.as_dict() for detail in project_details(load_project(root))]


def _rows(root: Path) -> list[dict[str, object]]:
    from sdd.overview.status import project_status
    from sdd.project.project import load_project

    return [row.as_dict() for row in project_status(load_project(root))]


def test_status_from_the_cache_equals_a_full_analysis_whatever_changed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdd.base import filecache

    monkeypatch.setattr(filecache, "RACY_SECONDS", 0.0)  # trust files written just now
    _feature(project, "001-login", spec=GOOD_SPEC, plan=GOOD_PLAN, tasks=GOOD_TASKS)
    _feature(project, "002-export", spec="# Feature Specification: Export\n")
    _records(project)
    first = _uncached_rows(project)
    assert _rows(project) == first  # fills the cache
    assert list((project / ".sdd/cache").glob("*status*.json"))
    assert _rows(project) == first  # served from it
    tasks = project / "specs/001-login/tasks.md"
    before = tasks.stat()
    tasks.write_text(tasks.read_text("utf-8").replace("- [ ]", "- [x]", 1), "utf-8")
    os.utime(tasks, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    (project / "specs/002-export/plan.md").write_text("# Implementation Plan\n", "utf-8")
    (project / "specs/001-login/spec.md").rename(project / "specs/001-login/old-spec.md")
    changed = _uncached_rows(project)
    assert changed[0]["tasks"] != first[0]["tasks"]
    assert _rows(project) == changed
    assert changed[0]["artifacts"] == ["plan", "tasks"]
    assert changed[1]["artifacts"] == ["spec", "plan"]
