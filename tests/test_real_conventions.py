"""Other teams' conventions pass when they are right and fail only when they are wrong (issue 12).

Every fixture is a few lines written for its test in the shape a kit or team writes it: task
labels and legends, translated specs, ADR statuses in the body, the kits' default layouts, PHR
file names, files sdd does not check. Each convention has a positive and a negative case.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.adr.record import adr_files, read_adr
from sdd.base.markdown import MarkdownText
from sdd.features.sections import missing_sections, required_sections
from sdd.phr.record import parse_name
from sdd.text.placeholders import find_placeholders
from sdd.text.vocabulary import labels_in
from tests.test_validate_features import GOOD_PLAN, GOOD_SPEC, GOOD_TASKS, _feature, _good


def _findings(sdd, *args: str) -> tuple[int, list[dict[str, object]]]:  # type: ignore[no-untyped-def]
    result = sdd("validate", "--json", *args)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def _codes(findings: list[dict[str, object]]) -> list[str]:
    return [str(f["code"]) for f in findings]


# --- task labels, legends, status markers -------------------------------------------------

LABELLED_TASKS = """# Tasks: Login

**Legend**: `[P]` parallel work.

- **[US1/2/3]**: user story numbers
- [RED] = a failing test first, [GREEN] = the code that makes it pass

## Phase 1: Setup

- [x] T001 [RED] Write the failing lock test in tests/test_lock.py (FR-001)
- [x] T002 [GREEN] Lock accounts in src/login/lock.py (FR-002)

## Phase 2: Foundational

- [ ] T003 [TDD] [PR-A] [US1/2] Share the session store
- [ ] T004 [FN] [ST] [CR] [POLISH] [US#] Tidy the login module
"""


def test_task_labels_and_legends_are_not_placeholders(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    plan = GOOD_PLAN + "\nThe [RED] tasks come first; `load_user(...)` [1 SELECT] per sign-in.\n"
    _feature(project, "001-login", spec=GOOD_SPEC, plan=plan, tasks=LABELLED_TASKS)
    code, findings = _findings(sdd)
    assert "FEAT013" not in _codes(findings), findings
    assert code == 0


def test_a_plan_left_as_the_kit_wrote_it_is_still_reported(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    plan = GOOD_PLAN.replace("# Implementation Plan: Login", "# Implementation Plan: [FEATURE]")
    plan += "\n**Date**: [DATE] | **Spec**: [link]\n\n| [e.g., 4th project] | [current need] |\n"
    _feature(project, "001-login", spec=GOOD_SPEC, plan=plan, tasks=LABELLED_TASKS)
    code, findings = _findings(sdd)
    texts = [f["message"] for f in findings if f["code"] == "FEAT013"]
    assert code == 1
    for token in ("[FEATURE]", "[DATE]", "[link]", "[e.g., 4th project]", "[current need]"):
        assert any(token in str(text) for text in texts), (token, texts)


def test_labels_declared_in_sdd_yaml(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    plan = GOOD_PLAN + "\n**Stage**: [SPIKE]\n"
    _feature(project, "001-login", spec=GOOD_SPEC, plan=plan, tasks=GOOD_TASKS)
    _, before = _findings(sdd)
    assert [f["message"] for f in before if f["code"] == "FEAT013"] == [
        "template placeholder [SPIKE] left in plan.md"
    ]
    config = project / "sdd.yaml"
    text = config.read_text("utf-8").replace("  labels: []", "  labels: [SPIKE]")
    config.write_text(text, encoding="utf-8")
    code, after = _findings(sdd)
    assert code == 0 and "FEAT013" not in _codes(after)


# --- translated specs and renumbered phases ------------------------------------------------

JAPANESE_SPEC = """# 機能仕様: ログイン

## ユーザーシナリオとテスト *(必須)*

### ユーザーストーリー 1 - パスワードでログイン (優先度: P1)

登録済みのユーザーがログインする。

### エッジケース

- パスワードを間違えるとエラーになる。

## 要件 *(必須)*

### 機能要件

- **FR-001**: システムはパスワードを検証しなければならない。
- **FR-002**: システムは5回失敗したらロックしなければならない。

## 成功基準 *(必須)*

### 測定可能な成果

- **SC-001**: 95%のログインが2秒以内に終わる。
"""


def test_a_translated_spec_has_its_sections(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _feature(project, "001-login", spec=JAPANESE_SPEC, plan=GOOD_PLAN, tasks=GOOD_TASKS)
    code, findings = _findings(sdd)
    assert "FEAT012" not in _codes(findings), findings
    assert code == 0


def test_a_translated_spec_missing_a_section_says_how_to_teach_sdd(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    chinese = "# 功能规格: 登录\n\n## 用户场景与测试 *(必填)*\n\n### 边界情况\n\n- 密码错误。\n"
    _feature(project, "001-login", spec=chinese, plan=GOOD_PLAN, tasks=GOOD_TASKS)
    _, findings = _findings(sdd)
    missing = [str(f["message"]) for f in findings if f["code"] == "FEAT012"]
    assert missing and all("sdd templates eject spec.md" in m for m in missing)
    assert all("features.headings" in m for m in missing)


def test_heading_aliases_from_sdd_yaml(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    spec = GOOD_SPEC.replace("## Success Criteria *(mandatory)*", "## Outcomes")
    spec = spec.replace("### Measurable Outcomes", "### Targets")
    _feature(project, "001-login", spec=spec, plan=GOOD_PLAN, tasks=GOOD_TASKS)
    _, before = _findings(sdd)
    assert [f["message"] for f in before if f["code"] == "FEAT012"]
    config = project / "sdd.yaml"
    aliases = (
        '  headings:\n    "Success Criteria": ["Outcomes"]\n    "Measurable Outcomes": ["Targets"]'
    )
    text = config.read_text("utf-8")
    assert "  headings: {}" in text
    config.write_text(text.replace("  headings: {}", aliases, 1), encoding="utf-8")
    code, after = _findings(sdd)
    assert "FEAT012" not in _codes(after), after
    assert code == 0


def test_a_kits_translated_template_defines_the_sections(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    templates = project / ".specify/templates"
    templates.mkdir(parents=True)
    (templates / "spec-template.md").write_text(
        "# 機能仕様: [FEATURE NAME]\n\n## ユーザーシナリオ *(必須)*\n\n## 要件 *(必須)*\n",
        encoding="utf-8",
    )
    spec = "# 機能仕様: ログイン\n\n## ユーザーシナリオ *(必須)*\n\n本文。\n"
    _feature(project, "001-login", spec=spec, plan=GOOD_PLAN, tasks=GOOD_TASKS)
    _, findings = _findings(sdd)
    missing = [str(f["message"]) for f in findings if f["code"] == "FEAT012"]
    assert missing == [
        "missing required section '要件' (from template .specify/templates/spec-template.md); "
        "if the file names it in another language or with its own headings, teach sdd its "
        "headings: change them in "
        "'sdd templates eject spec.md', or list them under features.headings in sdd.yaml"
    ]


def test_a_spec_with_its_own_structure_is_told_how_to_teach_sdd(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    own = (
        "# Spec 14 — Blocking CI checks\n\n## User story\n\nAs a developer I want CI.\n\n"
        "## Acceptance criteria\n\n- [ ] The build runs on every pull request.\n"
    )
    _feature(project, "001-ci", spec=own, plan=GOOD_PLAN, tasks=GOOD_TASKS)
    _, findings = _findings(sdd)
    missing = [str(f["message"]) for f in findings if f["code"] == "FEAT012"]
    assert missing and all("features.headings in sdd.yaml" in message for message in missing)
    one_gap = GOOD_SPEC.replace("### Edge Cases", "### Corner cases")
    _feature(project, "002-login", spec=one_gap, plan=GOOD_PLAN, tasks=GOOD_TASKS)
    _, findings = _findings(sdd)
    gap = [f for f in findings if f["code"] == "FEAT012" and "002-login" in str(f["path"])]
    assert len(gap) == 1 and "teach sdd" not in str(gap[0]["message"])


def test_renumbered_phases_are_the_same_sections(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    override = project / ".sdd/templates/plan.md"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(
        "# Plan: {{ title }}\n\n## Phase 0: Research\n\nR.\n\n## Phase 1: Design\n\nD.\n",
        encoding="utf-8",
    )
    plan = "# Plan: Login\n\n## Phase 1: Research\n\nDone.\n\n## Phase 2: Design\n\nDone.\n"
    _feature(project, "001-login", spec=GOOD_SPEC, plan=plan, tasks=GOOD_TASKS)
    code, findings = _findings(sdd)
    assert code == 0 and "FEAT012" not in _codes(findings), findings
    _feature(project, "001-login", plan=plan.replace("Phase 1: Research", "Phase 1: Begin"))
    _, findings = _findings(sdd)
    assert [f["message"] for f in findings if f["code"] == "FEAT012"] == [
        "missing required section 'Phase 0: Research' (from template .sdd/templates/plan.md)"
    ]


# Phases named in the team's own words and language: a grouping of tasks, never required.
OWN_PHASES = """# 任务：登录

## 第一阶段：基础设施（US1）

- [ ] T001 建立项目结构 (FR-001)

## Phase 2：前端界面（US1 + US2）

- [ ] T002 [US1] 登录页面 (FR-002)

## Wrap-up

- [ ] T003 文档
"""


@pytest.mark.parametrize("template", [None, "spec-kit"])
def test_a_tasks_md_needs_no_phase_heading(project: Path, sdd, template: str | None) -> None:  # type: ignore[no-untyped-def]
    if template is not None:  # a kit's tasks template, phases and all, is an example structure
        kit = project / ".specify/templates/tasks-template.md"
        kit.parent.mkdir(parents=True, exist_ok=True)
        kit.write_text(
            "# Tasks: [FEATURE NAME]\n\n## Phase 1: Setup (Shared Infrastructure)\n\n"
            "- [ ] T001 Create project structure\n\n## Phase N: Polish & Cross-Cutting Concerns\n\n"
            "- [ ] TXXX Code cleanup\n\n## Dependencies & Execution Order\n\n- Setup first\n\n"
            "## Notes\n\n- Commit after each task\n",
            encoding="utf-8",
        )
    _feature(project, "001-login", spec=GOOD_SPEC, plan=GOOD_PLAN, tasks=OWN_PHASES)
    code, findings = _findings(sdd)
    assert "FEAT012" not in _codes(findings), findings
    assert code == 0, findings
    _feature(project, "001-login", tasks="# 任务：登录\n\n## 第一阶段：基础设施\n\n待定。\n")
    code, findings = _findings(sdd)
    assert [f["code"] for f in findings if "tasks.md" in str(f["path"])] == ["FEAT023"]


# --- ADR statuses, BOM, date-named records -----------------------------------------------

ADR_BODY = "\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n\n## Consequences\n\nSo.\n"


@pytest.mark.parametrize(
    "status_line",
    ["**Status**: Accepted", "**Status:** Accepted", "Status: Accepted", "- **Status:** Accepted"],
)
def test_adr_status_in_the_body(project: Path, sdd, status_line: str) -> None:  # type: ignore[no-untyped-def]
    text = f"\ufeff# ADR-001: Use sessions\n\n{status_line}\n**Date**: 2025-01-01\n" + ADR_BODY
    (project / "adr/0001-use-sessions.md").write_text(text, encoding="utf-8")
    adr = read_adr(project / "adr/0001-use-sessions.md", 1)
    assert (adr.status, adr.title, adr.date) == ("accepted", "Use sessions", "2025-01-01")
    code, findings = _findings(sdd)
    assert code == 0, findings


def test_a_free_text_adr_status_is_a_warning_naming_the_known_ones(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    text = "# 1. Use sessions\n\nDate: 2025-01-01\n\n## Status\n\nApproved\n" + ADR_BODY
    (project / "adr/0001-use-sessions.md").write_text(text, encoding="utf-8")
    code, findings = _findings(sdd)
    assert code == 0
    assert [(f["code"], f["severity"]) for f in findings] == [("ADR016", "warning")]
    assert "proposed, accepted, rejected, deprecated, superseded" in str(findings[0]["message"])
    template = text.replace("Approved", "Proposed | Accepted | Superseded")
    (project / "adr/0001-use-sessions.md").write_text(template, encoding="utf-8")
    code, findings = _findings(sdd)
    assert code == 1 and _codes(findings) == ["ADR004"]


def test_a_date_named_adr_is_not_numbered_by_its_year(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    for name in ("adr-2026-05-21-use-x.md", "adr-2026-06-02-use-y.md"):
        text = "# Use it\n\n**Status**: Accepted\n" + ADR_BODY
        (project / "adr" / name).write_text(text, encoding="utf-8")
    assert [(number, path.name) for number, path in adr_files(project / "adr")] == [
        (1, "adr-2026-05-21-use-x.md"),
        (2, "adr-2026-06-02-use-y.md"),
    ]
    adr = read_adr(project / "adr/adr-2026-05-21-use-x.md", 1)
    assert (adr.date, adr.numbered) == ("2026-05-21", False)
    code, findings = _findings(sdd)
    assert code == 0, findings


@pytest.mark.parametrize(
    ("status_lines", "status"),
    [
        ("- **Status**: Accepted <!-- Proposed | Accepted | Deprecated -->\n", "accepted"),
        ("## Status\n\nAccepted <!-- Proposed | Accepted | Rejected -->\n", "accepted"),
        ("- **Status**: <!-- Proposed | Accepted --> Rejected\n", "rejected"),
    ],
)
def test_a_status_chosen_before_the_templates_comment(
    project: Path, sdd, status_lines: str, status: str
) -> None:  # type: ignore[no-untyped-def]
    text = f"# ADR-001: Use sessions\n\n{status_lines}" + ADR_BODY
    (project / "adr/0001-use-sessions.md").write_text(text, encoding="utf-8")
    adr = read_adr(project / "adr/0001-use-sessions.md", 1)
    assert (adr.status, adr.status_text) == (status, status.title())
    code, findings = _findings(sdd)
    assert code == 0, findings


def test_a_choice_left_visible_is_still_no_status(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    text = "# ADR-001: Use sessions\n\n- **Status**: Proposed | Accepted <!-- pick one -->\n"
    (project / "adr/0001-use-sessions.md").write_text(text + ADR_BODY, encoding="utf-8")
    code, findings = _findings(sdd)
    assert code == 1
    assert [f["message"] for f in findings if f["code"] == "ADR004"] == [
        "status 'Proposed | Accepted' is still a choice: proposed, accepted, rejected, "
        "deprecated, superseded"
    ]


def test_status_counts_adrs_naming_a_feature_in_the_body(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    text = "# ADR-001: Use sessions\n\n- **Status:** Accepted\n- **Feature:** 001-login\n"
    (project / "adr/0001-use-sessions.md").write_text(text + ADR_BODY, encoding="utf-8")
    other = "# ADR-002: Other\n\n- **Status:** Accepted\n- **Feature:** 002-export\n"
    (project / "adr/0002-other.md").write_text(other + ADR_BODY, encoding="utf-8")
    rows = json.loads(sdd("status", "--json", ok=True).stdout)["features"]
    assert rows[0]["adrs"] == 1
    shown = json.loads(sdd("show", "001", "--json", ok=True).stdout)
    assert shown["adr_files"] == ["adr/0001-use-sessions.md"]


# --- the kits' default layouts --------------------------------------------------------------


def test_adr_tools_default_folder_is_adopted(repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    folder = repo / "doc/adr"
    folder.mkdir(parents=True)
    (folder / "0001-record-architecture-decisions.md").write_text(
        "# 1. Record architecture decisions\n\nDate: 2025-01-01\n\n## Status\n\nAccepted\n"
        + ADR_BODY,
        encoding="utf-8",
    )
    listed = json.loads(sdd("adr", "list", "--json", ok=True).stdout)
    assert [a["path"] for a in listed["adrs"]] == ["doc/adr/0001-record-architecture-decisions.md"]
    sdd("adr", "new", "Use sessions", "--yes", ok=True)
    assert (folder / "0002-use-sessions.md").is_file()
    assert not (repo / "adr").exists(), "no second ADR folder"
    report = json.loads(sdd("init", str(repo), "--json", ok=True).stdout)
    assert report["layout"] == "adr-tools"
    assert 'adr: "doc/adr"' in (repo / "sdd.yaml").read_text("utf-8")
    assert not (repo / "adr").exists()


def test_spec_kit_plus_adr_template_means_history_adr(repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    (repo / ".specify/templates").mkdir(parents=True)
    (repo / ".specify/templates/adr-template.md").write_text("# ADR-{{ID}}\n", encoding="utf-8")
    doctor = json.loads(sdd("doctor", "--json").stdout)
    assert doctor["layout"]["kind"] == "spec-kit-plus"
    assert doctor["paths"]["adr"]["path"].endswith("history/adr")


def test_spec_kits_own_templates_are_rendered(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    templates = project / ".specify/templates"
    templates.mkdir(parents=True)
    (templates / "spec-template.md").write_text(
        "# Feature Specification: [FEATURE NAME]\n\n**Feature Branch**: `[###-feature-name]`\n"
        '**Created**: [DATE]\n**Input**: User description: "$ARGUMENTS"\n\n'
        "## Our Own Section *(mandatory)*\n\n[Describe it]\n",
        encoding="utf-8",
    )
    (templates / "plan-template.md").write_text(
        "---\ndescription: the plan command\n---\n\n# Plan: [FEATURE]\n\n## Approach\n",
        encoding="utf-8",
    )
    sdd("feature", "new", "Sign in", "--json", ok=True)
    spec = (project / "specs/001-sign-in/spec.md").read_text("utf-8")
    assert spec.startswith("# Feature Specification: Sign in\n")
    assert "`001-sign-in`" in spec and '"Sign in"' in spec and "## Our Own Section" in spec
    sdd("plan", "001", ok=True)
    assert (project / "specs/001-sign-in/plan.md").read_text("utf-8") == (
        "# Plan: Sign in\n\n## Approach\n"
    )
    _, findings = _findings(sdd)
    sections = [f["message"] for f in findings if f["code"] == "FEAT012"]
    assert not any("User Scenarios" in str(m) for m in sections), sections
    assert any("[Describe it]" in str(f["message"]) for f in findings if f["code"] == "FEAT013")


# --- PHR files as kits and agents name them -------------------------------------------------

PHR = """---
id: {id}
title: {title}
stage: {stage}
date: 2025-05-21
---

{heading} Prompt

Do the thing.

## Response snapshot

Done.

- Deploy preview: [In Progress]
- Docs: [Pending]
"""


def test_every_file_under_the_prompts_folder_is_read_or_reported(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    prompts = project / "history/prompts"
    (prompts / "001-login").mkdir()
    files = {
        "001-login/0001-first.spec.prompt.md": ("1", "First", "spec", "##"),
        "001-login/0002-second.phr.md": ("2", "Second", "plan", "##"),
        "001-login/20250521-third.md": ("3", "Third", "tasks", "#"),
        "constitution/004-principles.md": ("4", "Principles", "constitution", "##"),
        "001-login/PHR-005-fifth.md": ("5", "Fifth", "green", "#"),
    }
    for name, (record_id, title, stage, heading) in files.items():
        text = PHR.format(id=record_id, title=title, stage=stage, heading=heading)
        (prompts / name).write_text(text, encoding="utf-8")
    (prompts / "001-login/notes.txt").write_text("scratch\n", encoding="utf-8")
    (prompts / "001-login/README.md").write_text("# What these records are\n", encoding="utf-8")
    (prompts / "general/.gitkeep").write_text("", encoding="utf-8")
    listed = json.loads(sdd("phr", "list", "--json", ok=True).stdout)
    assert len(listed["records"]) == 5
    _, findings = _findings(sdd, "history/prompts")
    assert "PHR019" not in _codes(findings), "an H1 '# Prompt' is the prompt section"
    assert "PHR021" not in _codes(findings), "status markers are not placeholders"
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors == [], errors
    reported = {str(f["path"]) for f in findings if f["code"] == "PHR023"}
    assert reported == {
        "history/prompts/001-login/notes.txt",
        "history/prompts/001-login/README.md",
    }
    rows = json.loads(sdd("status", "--json", ok=True).stdout)["features"]
    assert rows[0]["phrs"] == 4  # the records of 001-login, not its README or notes


# --- silence is not success -------------------------------------------------------------------


def test_an_explicit_path_is_checked_or_refused(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    (project / "README.md").write_text("# Readme [DRAFT NOTE]\n", encoding="utf-8")
    (project / "specs/001-login/research.md").write_text("# Research\n", encoding="utf-8")
    for path in ("README.md", "specs/001-login/research.md"):
        result = sdd("validate", path)
        assert result.exit_code == 2, path
        assert "not a file sdd validates" in result.stderr
    assert sdd("validate", "specs/001-login/spec.md").exit_code == 0


def test_validate_outside_any_project_refuses(tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = sdd("validate")
    assert result.exit_code == 2
    assert "not an sdd project" in result.stderr and "no problems" not in result.output


def test_an_unfilled_template_outside_a_feature_folder(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    master = project / "specs/master"
    master.mkdir()
    (master / "plan.md").write_text(
        "# Implementation Plan: [FEATURE]\n\n**Branch**: `[###-feature-name]` | **Date**: [DATE]"
        " | **Spec**: [link]\n\n## Summary\n\n[Extract from feature spec: primary requirement "
        "+ technical approach from research]\n",
        encoding="utf-8",
    )
    (master / "notes.md").write_text("# Notes [DRAFT]\n", encoding="utf-8")
    code, findings = _findings(sdd)
    assert code == 1
    assert [(f["path"], f["code"]) for f in findings] == [("specs/master/plan.md", "FEAT007")]
    (master / "plan.md").write_text("# Plan for the master branch\n\nDone.\n", encoding="utf-8")
    assert _findings(sdd) == (0, [])


def test_feature_numbers_compare_as_numbers(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project, "007-mock-auth")
    _good(project, "7-simple-pages")
    _, findings = _findings(sdd)
    assert sorted(str(f["message"]) for f in findings if f["code"] == "FEAT002") == [
        "feature number 007 is also used by 7-simple-pages",
        "feature number 7 is also used by 007-mock-auth",
    ]
    _good(project, "070-other")
    _, again = _findings(sdd)
    assert len([f for f in again if f["code"] == "FEAT002"]) == 2


# --- parsers under arbitrary input ------------------------------------------------------------

_MARKDOWN = st.text(alphabet=st.sampled_from(list("[]-*# :|`xXT01RED\n要件 e.g.{}")), max_size=200)


@settings(max_examples=200, deadline=None)
@given(_MARKDOWN)
def test_labels_and_placeholders_never_fail_and_labels_are_never_flagged(text: str) -> None:
    labels = labels_in(text)
    for found in find_placeholders(text):
        if found.kind == "token" and found.text.startswith("["):
            inner = " ".join(found.text[1:-1].split()).casefold()
            assert inner not in labels or inner.startswith("###")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from([".prompt.md", ".phr", ".phr.md", ".md", ""]))
def test_record_names_never_fail_and_dates_are_no_ids(stem: str, suffix: str) -> None:
    name = parse_name(stem + suffix)
    assert name.id is None or name.id.isdigit()
    assert parse_name(f"20250521-{stem}.md").id is None


@settings(max_examples=100, deadline=None)
@given(_MARKDOWN, _MARKDOWN)
def test_section_matching_never_fails(template: str, text: str) -> None:
    required = required_sections(template)
    missing, _ = missing_sections(MarkdownText(text).heading_texts, required, {})
    assert set(missing) <= set(required)
