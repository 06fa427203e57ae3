"""``sdd analyze``: seeded problems are reported, a clean feature (the demo's) has none."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base import templates
from sdd.features.constitution import must_principles
from sdd.features.task_findings import files_named

DEMO_FEATURE = Path(__file__).resolve().parent.parent / "sdd" / "demo" / "feature"

SPEC = """# Feature Specification: Export

## Requirements

- **FR-001**: System MUST export reports as CSV.
- **FR-002**: System MUST email the export.
- **FR-003**: System MUST log each export.
- **FR-003**: System MUST log each export to the audit table.

## Success Criteria

- **SC-001**: An export of 10k rows finishes in 2 s.
- **SC-002**: Users find the export button without help.
"""

PLAN = """# Implementation Plan: Export

## Summary

CSV export (FR-001) measured by SC-001.

## Constitution Check

- **Library-First**: the exporter is its own module.
"""

TASKS = """# Tasks: Export

## Phase 1: Setup

- [ ] T001 Create src/export/ package (depends on T004)

## Phase 3: User Story 1

- [ ] T002 [P] [US1] CSV writer in src/export/csv.py (FR-001)
- [ ] T003 [P] [US1] Streaming rows in src/export/csv.py (FR-001)
- [ ] T004 Log exports in src/export/log.py (FR-003)
- [ ] T006 Tidy imports

## Phase 2: Polish

- [ ] T005 Docs
"""

CONSTITUTION = """# Constitution

## Core Principles

### I. Library-First
Every feature MUST start as a library.

### II. Test-First (NON-NEGOTIABLE)
Write tests before code.

### III. Simplicity
Prefer simple designs.
"""


def _seed(project: Path, spec: str = SPEC, plan: str = PLAN, tasks: str = TASKS) -> None:
    folder = project / "specs" / "001-export"
    folder.mkdir(parents=True)
    (folder / "spec.md").write_text(spec, encoding="utf-8")
    (folder / "plan.md").write_text(plan, encoding="utf-8")
    (folder / "tasks.md").write_text(tasks, encoding="utf-8")
    (project / "specs" / "constitution.md").write_text(CONSTITUTION, encoding="utf-8")


def test_seeded_problems_are_reported(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _seed(project)
    result = sdd("analyze", "001", "--json")
    assert result.exit_code == 1  # critical findings
    document = json.loads(result.stdout)
    found = {(f["code"], f["severity"], f["line"]) for f in document["findings"]}
    assert ("ANL001", "high", 6) in found  # FR-002 has no task
    assert ("ANL007", "critical", 8) in found  # FR-003 defined twice, differently
    assert ("ANL003", "medium", 13) in found  # SC-002 measured by nothing
    assert ("ANL011", "critical", 5) in found  # T001 → T004 → … → T001
    assert ("ANL012", "high", 10) in found  # T002 and T003 both change csv.py
    assert ("ANL009", "medium", 14) in found  # Phase 2 after Phase 3
    assert ("ANL010", "high", 5) in found  # T001 waits for a later phase
    assert ("ANL002", "low", 12) in found  # T006: a story phase, no story or requirement
    assert ("ANL002", "low", 16) not in found  # T005: not a story phase
    principles = [f["message"] for f in document["findings"] if f["code"] == "ANL004"]
    assert len(principles) == 1 and "Test-First (NON-NEGOTIABLE)" in principles[0]
    coverage = {row["id"]: row for row in document["coverage"]}
    assert coverage["FR-001"]["tasks"] == ["T002", "T003"]
    assert coverage["FR-002"]["covered"] is False
    assert coverage["SC-001"]["covered"] is True


def test_text_output_and_table(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    _seed(project)
    result = sdd_exe("analyze", "001", cwd=project)
    assert result.returncode == 1
    assert "specs/001-export/tasks.md:5: critical ANL011 dependency cycle: T001" in result.stdout
    assert "FR-002       -" in result.stdout


def test_no_findings_on_the_demo_feature(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    folder = project / "specs" / "001-user-authentication"
    folder.mkdir(parents=True)
    context = {"feature": folder.name, "date": "2026-01-01"}
    for name in ("spec.md", "plan.md", "tasks.md"):
        text = templates.render_file(DEMO_FEATURE / name, context)
        (folder / name).write_text(text, encoding="utf-8")
    # The demo's spec leaves one question for the user: answered, the feature is clean.
    (question,) = json.loads(sdd("clarify", "001", "--json", ok=True).stdout)["open"]
    before = json.loads(sdd("analyze", "001", "--json").stdout)["findings"]
    assert [finding["code"] for finding in before] == ["ANL005"]
    sdd("clarify", "answer", question["id"], "60 minutes", "--feature", "001", ok=True)
    result = sdd("analyze", "001", "--json")
    document = json.loads(result.stdout)
    assert result.exit_code == 0, document["findings"]
    assert document["findings"] == []
    assert all(row["covered"] for row in document["coverage"])


def test_read_only_and_missing_feature(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    _seed(project)
    before = {p: p.read_bytes() for p in (project / "specs").rglob("*.md")}
    sdd_exe("analyze", "001", cwd=project)
    assert {p: p.read_bytes() for p in (project / "specs").rglob("*.md")} == before
    missing = sdd_exe("analyze", "009", cwd=project)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_files_named_and_must_principles() -> None:
    assert files_named("Model in src/models/user.py and `package.json`, see e.g. v1.2") == {
        "src/models/user.py",
        "package.json",
    }
    assert files_named("read and/or write, http://x.io/a.html") == set()
    assert [title for _, title in must_principles(CONSTITUTION)] == [
        "I. Library-First",
        "II. Test-First (NON-NEGOTIABLE)",
    ]


def test_every_code_the_analyzer_emits_is_documented() -> None:
    import re

    root = Path(__file__).resolve().parent.parent
    modules = ("analyze.py", "task_findings.py", "constitution.py")
    source = "".join((root / "sdd" / "features" / name).read_text("utf-8") for name in modules)
    emitted = set(re.findall(r'"(ANL\d{3})"', source))
    assert len(emitted) == 15
    section = (root / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    section = section.split("## Analysis", 1)[1].split("\n## ", 1)[0]
    for code in emitted:
        assert f"| {code} |" in section, code


def test_untraced_tasks_and_shared_files_are_one_finding_each(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    tasks = (
        "# Tasks\n\n## Phase 1: Setup\n\n"
        "- [ ] T001 [P] Parser in src/app/cli.py\n"
        "- [ ] T002 [P] Flags in src/app/cli.py\n"
        "- [ ] T003 [P] Help text in src/app/cli.py\n"
        "- [ ] T004 [P] Docs in docs/usage.md\n"
    )
    _seed(project, tasks=tasks)
    document = json.loads(sdd("analyze", "001", "--json").stdout)
    by_code: dict[str, list[dict[str, object]]] = {}
    for finding in document["findings"]:
        by_code.setdefault(str(finding["code"]), []).append(finding)
    (untraced,) = by_code["ANL001"]
    assert untraced["severity"] == "medium" and untraced["path"].endswith("tasks.md")
    (shared,) = by_code["ANL012"]
    assert "T001, T002 and T003 all change src/app/cli.py" in str(shared["message"])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab/._-` 1:eg"), max_size=60))
def test_files_named_are_paths_with_an_extension(text: str) -> None:
    for name in files_named(text):
        assert "." in name.rsplit("/", 1)[-1]
        assert " " not in name and "`" not in name
        assert name in text


def test_an_unreadable_artifact_is_a_critical_finding(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    _seed(project)
    (project / "specs" / "001-export" / "plan.md").write_bytes(b"# Plan\n\xff\xfe\n")
    result = sdd_exe("analyze", "001", cwd=project)
    assert result.returncode == 1
    assert "specs/001-export/plan.md:2: critical ANL015 cannot read plan.md" in result.stdout
    listed = sdd_exe("clarify", "001", cwd=project)
    assert "specs/001-export/plan.md: not read" in listed.stderr


# A plan written in another language than its template: its check is found by a
# features.headings alias, or by its place among the plan's headings.
TRANSLATED_PLAN = """# 实施计划：导出

## 概要

导出 CSV (FR-001)，以 SC-001 衡量。

## 技术背景

Python 3.12。

## 宪法审查

- I. Library-First：导出器是独立模块。
- II. Test-First (NON-NEGOTIABLE)：先写测试。

## 项目结构

src/export/
"""


def _anl004(sdd) -> list[str]:  # type: ignore[no-untyped-def]
    document = json.loads(sdd("analyze", "001", "--json").stdout)
    return [f["message"] for f in document["findings"] if f["code"] == "ANL004"]


def test_a_translated_constitution_check_is_found_by_its_place(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _seed(project, plan=TRANSLATED_PLAN)
    assert _anl004(sdd) == []
    without = TRANSLATED_PLAN.replace("- II. Test-First (NON-NEGOTIABLE)：先写测试。\n", "")
    _seed_plan(project, without)
    assert [m.split("(specs")[0] for m in _anl004(sdd)] == [
        "the Constitution Check never names the MUST principle 'II. Test-First (NON-NEGOTIABLE)' "
    ]


def test_a_constitution_check_named_by_an_alias(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    # No place to find it by: the section is not where the template has it.
    plan = "# 计划\n\n## 宪法审查\n\n- I. Library-First\n- II. Test-First (NON-NEGOTIABLE)\n"
    _seed(project, plan=plan)
    assert _anl004(sdd) == [
        "plan.md has no Constitution Check section; the constitution has 2 MUST principle(s)"
    ]
    config = project / "sdd.yaml"
    config.write_text(
        config.read_text("utf-8").replace(
            "headings: {}", 'headings: {"Constitution Check": ["宪法审查"]}'
        ),
        encoding="utf-8",
    )
    assert _anl004(sdd) == []


def _seed_plan(project: Path, plan: str) -> None:
    (project / "specs" / "001-export" / "plan.md").write_text(plan, encoding="utf-8")


def test_a_principle_cited_by_its_ordinal(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    shortened = PLAN.replace(
        "- **Library-First**: the exporter is its own module.",
        "| Principle | State |\n|---|---|\n| I. Library | ✅ |\n| **II.** Tests first | ✅ |",
    )
    _seed(project, plan=shortened)
    assert _anl004(sdd) == []
    # An ordinal inside a sentence cites nothing, and "III." is not "II.".
    _seed_plan(project, PLAN + "\nSee section II. of the guide.\n\n- III. Simplicity\n")
    assert len(_anl004(sdd)) == 1
