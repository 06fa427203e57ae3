"""sdd validate on feature artifacts: every code, paths, --staged, --strict, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sdd.features.sections import heading_key, required_sections
from tests.conftest import REPO_ROOT
from tests.support import git

GOOD_SPEC = """# Feature Specification: Login

**Feature Branch**: `001-login`
**Created**: 2025-01-01
**Status**: Draft
**Input**: User description: "Login"

## User Scenarios & Testing *(mandatory)*

### User Story 1 - Sign in with a password (Priority: P1)

A registered user signs in with an e-mail address and a password.

**Why this priority**: nothing else works without it.

**Independent Test**: sign in with a seeded account.

**Acceptance Scenarios**:

1. **Given** a registered user, **When** they sign in, **Then** they see their dashboard.

### Edge Cases

- A wrong password shows an error and keeps the e-mail address.

## Requirements *(mandatory)*

### Functional Requirements

- **FR-001**: System MUST check the password against its stored hash.
- **FR-002**: System MUST lock an account after 5 failed attempts.

## Success Criteria *(mandatory)*

### Measurable Outcomes

- **SC-001**: 95% of sign-ins finish in under 2 seconds.
"""

GOOD_PLAN = """# Implementation Plan: Login

## Summary

A session service covers FR-001 and FR-002.

## Technical Context

**Language/Version**: Python 3.12

## Constitution Check

- I. Specification first: honoured.

## Project Structure

```text
src/login/
```
"""

GOOD_TASKS = """# Tasks: Login

## Phase 1: Setup

- [x] T001 Create src/login/ (FR-001)

## Phase 2: Foundational

- [ ] T002 [P] [US1] Lock accounts in src/login/lock.py (FR-002)
"""


def _feature(root: Path, name: str, **files: str | bytes) -> Path:
    folder = root / "specs" / name
    folder.mkdir(parents=True, exist_ok=True)
    for artifact, content in files.items():
        path = folder / f"{artifact}.md"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def _good(root: Path, name: str = "001-login") -> Path:
    return _feature(root, name, spec=GOOD_SPEC, plan=GOOD_PLAN, tasks=GOOD_TASKS)


def _validate(sdd, *args: str) -> tuple[int, dict[str, object]]:  # type: ignore[no-untyped-def]
    result = sdd("validate", *args, "--json")
    assert "Traceback" not in result.output
    document = json.loads(result.stdout)
    return result.exit_code, document


def _findings(document: dict[str, object]) -> list[tuple[str, int, str, str]]:
    findings = document["findings"]
    assert isinstance(findings, list)
    return [(f["path"], f["line"], f["severity"], f["code"]) for f in findings]


def test_a_clean_project_passes(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    code, document = _validate(sdd)
    assert code == 0
    assert document == {
        "schema": "sdd.validate/1",
        "ok": True,
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }
    assert sdd("validate", "--strict").exit_code == 0
    human = sdd("validate", ok=True)
    assert "no problems" in human.stdout


def test_a_fresh_feature_lists_what_is_left_to_fill(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("feature", "new", "Fresh", ok=True)
    code, document = _validate(sdd, "specs/001-fresh/spec.md")
    assert code == 1
    findings = document["findings"]
    assert isinstance(findings, list)
    codes = {f["code"] for f in findings}
    assert codes == {"FEAT013", "FEAT014"}
    assert all("placeholder" in f["message"] for f in findings)
    assert not any(f["code"] == "FEAT012" for f in findings)


# Every feature-artifact code, each with the file and line it must be reported on.
EVERY_CODE = {
    ("specs/003-", 1, "error", "FEAT001"),
    ("specs/004-alpha", 1, "error", "FEAT002"),
    ("specs/004-beta", 1, "error", "FEAT002"),
    ("specs/005-Bad_Slug", 1, "warning", "FEAT003"),
    ("specs/006-flat.md", 1, "warning", "FEAT004"),
    ("specs/phase-1/007-nested", 1, "warning", "FEAT005"),
    ("specs/008-no-spec", 1, "warning", "FEAT006"),
    ("specs/009-binary/spec.md", 1, "error", "FEAT010"),
    ("specs/010-latin1/spec.md", 3, "error", "FEAT010"),
    ("specs/011-empty/spec.md", 1, "error", "FEAT011"),
    ("specs/012-sections/spec.md", 1, "error", "FEAT012"),
    ("specs/013-placeholder/spec.md", 3, "error", "FEAT013"),
    ("specs/014-clarify/spec.md", 30, "warning", "FEAT014"),
    ("specs/014-clarify/plan.md", 3, "error", "FEAT014"),
    ("specs/015-tasks/tasks.md", 5, "error", "FEAT020"),
    ("specs/015-tasks/tasks.md", 7, "error", "FEAT021"),
    ("specs/015-tasks/tasks.md", 8, "warning", "FEAT022"),
    ("specs/016-checklist/tasks.md", 5, "warning", "FEAT023"),
    ("specs/017-requirements/spec.md", 32, "error", "FEAT030"),
    ("specs/017-requirements/spec.md", 31, "warning", "FEAT031"),
    ("specs/017-requirements/tasks.md", 10, "warning", "FEAT032"),
}


def _every_code_project(root: Path) -> None:
    _feature(root, "003-", spec=GOOD_SPEC)
    _feature(root, "004-alpha", spec=GOOD_SPEC)
    _feature(root, "004-beta", spec=GOOD_SPEC)
    _feature(root, "005-Bad_Slug", spec=GOOD_SPEC)
    (root / "specs/006-flat.md").write_text(GOOD_SPEC, encoding="utf-8")
    _feature(root, "phase-1/007-nested", spec=GOOD_SPEC)
    _feature(root, "008-no-spec", plan=GOOD_PLAN)
    _feature(root, "009-binary", spec=b"\x00\x01\x02 junk \xff\xfe")
    _feature(root, "010-latin1", spec="line one\nline two\ncaf\xe9\n".encode("latin-1"))
    _feature(root, "011-empty", spec=" \n\n")
    _feature(root, "012-sections", spec=GOOD_SPEC.replace("### Edge Cases", "### Corner cases"))
    _feature(root, "013-placeholder", spec=GOOD_SPEC.replace("`001-login`", "[###-feature-name]"))
    _feature(
        root,
        "014-clarify",
        spec=GOOD_SPEC.replace(
            "its stored hash.", "its stored hash [NEEDS CLARIFICATION: which hash?]."
        ),
        plan=GOOD_PLAN.replace("## Summary", "[NEEDS CLARIFICATION: scope]\n\n## Summary"),
    )
    _feature(
        root,
        "015-tasks",
        spec=GOOD_SPEC,
        plan=GOOD_PLAN,
        tasks=(
            "# Tasks\n\n## Phase 1: Setup\n\n- [] T001 broken box (FR-001)\n"
            "- [ ] T002 first (FR-002)\n- [ ] T002 again\n- [ ] T003\n\n## Phase 2: Foundational\n"
        ),
    )
    _feature(
        root,
        "016-checklist",
        spec=GOOD_SPEC,
        plan=GOOD_PLAN,
        tasks="# Tasks\n\n## Phase 1: Setup\n\n- [ ] set things up\n\n## Phase 2: Foundational\n",
    )
    _feature(
        root,
        "017-requirements",
        spec=GOOD_SPEC.replace(
            "- **FR-002**: System MUST lock",
            "- **FR-003**: System MUST log out.\n- **FR-001**: Again.\n"
            "- **FR-002**: System MUST lock",
        ),
        plan=GOOD_PLAN,
        tasks=GOOD_TASKS.replace("(FR-002)", "(FR-002)\n- [ ] T003 Audit (FR-099)"),
    )


def test_every_diagnostic_code(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _every_code_project(project)
    code, document = _validate(sdd)
    assert code == 1 and document["ok"] is False
    found = set(_findings(document))
    assert found == EVERY_CODE
    messages = {f["code"]: f["message"] for f in document["findings"]}  # type: ignore[union-attr]
    assert "empty slug" in messages["FEAT001"]
    assert "is also used by" in messages["FEAT002"]
    assert "binary" in messages["FEAT010"] or "UTF-8" in messages["FEAT010"]
    assert messages["FEAT012"].startswith("missing required section 'Edge Cases'")
    assert "placeholder" in messages["FEAT013"] and "[###-feature-name]" in messages["FEAT013"]
    assert "placeholder" in messages["FEAT014"]
    assert "T002" in messages["FEAT021"] and "line 6" in messages["FEAT021"]
    assert "FR-001" in messages["FEAT030"] and "line 30" in messages["FEAT030"]
    assert messages["FEAT031"] == "coverage gap: FR-003 is not referenced by plan.md or tasks.md"
    assert messages["FEAT032"] == "FR-099 is mentioned but not defined in spec.md"
    human = sdd("validate")
    assert human.exit_code == 1
    assert "specs/015-tasks/tasks.md:7: error FEAT021 duplicate task ID T002" in human.stdout


def test_docs_list_every_code(project: Path) -> None:
    docs = (REPO_ROOT / "docs/diagnostics.md").read_text("utf-8")
    section = docs.split("## Feature artifacts", 1)[1]
    for *_, code in EVERY_CODE:
        assert f"| {code} |" in section, code


def test_paths_limit_what_is_reported(project: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _every_code_project(project)
    code, document = _validate(sdd, "specs/015-tasks/tasks.md", "specs/011-empty")
    assert {path for path, *_ in _findings(document)} == {
        "specs/015-tasks/tasks.md",
        "specs/011-empty/spec.md",
    }
    assert code == 1
    missing = sdd("validate", "specs/no-such-feature")
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr
    outside = sdd("validate", str(project.parent))
    assert outside.exit_code == 2 and "outside the project" in outside.stderr
    monkeypatch.chdir(project / "specs")
    code, document = _validate(sdd, "016-checklist")
    assert code == 0 and [c for *_, c in _findings(document)] == ["FEAT023"]


def test_staged_checks_only_staged_files(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "good feature")
    _feature(project, "002-broken", spec=GOOD_SPEC.replace("Login", "[FEATURE NAME]", 1))
    _feature(project, "003-unstaged", spec="")
    assert _validate(sdd, "--staged")[0] == 0
    git(project, "add", "specs/002-broken/spec.md")
    code, document = _validate(sdd, "--staged")
    assert code == 1
    assert _findings(document) == [("specs/002-broken/spec.md", 1, "error", "FEAT013")]
    both = sdd("validate", "--staged", "specs")
    assert both.exit_code == 2


def test_strict_turns_warnings_into_errors(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    tasks = project / "specs/001-login/tasks.md"
    tasks.write_text(GOOD_TASKS.replace(" (FR-002)", ""), encoding="utf-8")
    plan = project / "specs/001-login/plan.md"
    plan.write_text(GOOD_PLAN.replace(" and FR-002", ""), encoding="utf-8")
    code, document = _validate(sdd)
    assert code == 0 and document["warnings"] == 1
    code, document = _validate(sdd, "--strict")
    assert code == 1 and _findings(document) == [
        ("specs/001-login/spec.md", 31, "error", "FEAT031")
    ]


def test_a_customised_template_defines_the_required_sections(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    sdd("templates", "eject", "spec.md", ok=True)
    custom = project / ".sdd/templates/spec.md"
    custom.write_text(
        "# Feature Specification: {{ title }}\n\n## Overview\n\n## Risks *(optional)*\n\n"
        "## Story [NAME]\n\n### Story details\n\n## Requirements\n",
        encoding="utf-8",
    )
    code, document = _validate(sdd)
    assert code == 1
    messages = [f["message"] for f in document["findings"]]  # type: ignore[union-attr]
    assert messages == [
        "missing required section 'Overview' (from template .sdd/templates/spec.md)"
    ]


def test_required_section_rule() -> None:
    template = (
        "# Title {{ title }}\n\n## User Scenarios & Testing *(mandatory)*\n\n"
        "### User Story 1 - [Brief Title] (Priority: P1)\n\n#### Inside an example\n\n"
        "### Edge Cases\n\n## Key Entities *(include if the feature involves data)*\n\n"
        "### Entity details\n\n## Assumptions *(optional)*\n\n```md\n## Not A Heading\n```\n"
    )
    assert [section.title for section in required_sections(template)] == [
        "User Scenarios & Testing",
        "Edge Cases",
    ]
    assert heading_key("II. Functional Requirements") == "functional requirements"
    assert heading_key("**Phase 1: Setup** (Shared Infrastructure)") == "phase: setup"
    assert heading_key("Phase 0: Setup") == heading_key("Phase 1: Setup")  # renumbered


def test_bad_input_gives_one_clear_line_and_writes_nothing(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _feature(project, "001-bad", spec=b"\x89PNG\r\n\x1a\n\x00\x00", plan=b"", tasks=b"\xff\xfe\x00")
    tasks = "\n".join(f"- [ ] T{n:06d} Step {n} (FR-001)" for n in range(100_000))
    _feature(
        project,
        "002-huge",
        spec=GOOD_SPEC,
        plan=GOOD_PLAN,
        tasks="## Phase 1: Setup\n\n## Phase 2: Foundational\n" + tasks + "\n- [ ] T000007 twice\n",
    )
    before = {p: p.read_bytes() for p in (project / "specs").rglob("*") if p.is_file()}
    result = sdd("validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.stdout.splitlines() if "FEAT" in line]
    assert (
        "specs/001-bad/spec.md:1: error FEAT010 cannot read spec.md: file is binary, not text"
        in lines
    )
    assert "specs/001-bad/plan.md:1: error FEAT011 plan.md is empty" in lines
    assert any(line.startswith("specs/001-bad/tasks.md:1: error FEAT010") for line in lines)
    assert (
        "specs/002-huge/tasks.md:100004: error FEAT021 duplicate task ID T000007 (first on line 11)"
        in lines
    )
    after = {p: p.read_bytes() for p in (project / "specs").rglob("*") if p.is_file()}
    assert after == before
    status = json.loads(sdd("status", "--json", ok=True).stdout)
    assert [row["tasks"] for row in status["features"]] == [
        {"done": 0, "total": 0},
        {"done": 0, "total": 100_001},
    ]


def test_the_repository_itself_passes(sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("--project", str(REPO_ROOT), "validate", "--json")
    document = json.loads(result.stdout)
    assert result.exit_code == 0, document
    features = [f for f in document["findings"] if f["path"].startswith("specs/")]
    assert features == []


@pytest.mark.parametrize("name", ["001-login", "1", "001"])
def test_show_and_validate_agree_on_one_feature(project: Path, sdd, name: str) -> None:  # type: ignore[no-untyped-def]
    _good(project)
    shown = json.loads(sdd("show", name, "--json", ok=True).stdout)
    assert shown["feature"] == "001-login" and shown["errors"] == 0 and shown["findings"] == []


def test_an_artifact_linked_out_of_the_project_is_named_and_never_read(
    project: Path,
    sdd,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    folder = _feature(project, "001-login", spec=GOOD_SPEC, plan=GOOD_PLAN)
    outside = tmp_path / "elsewhere.md"
    outside.write_text("## Phase 1: Setup\n\n- [x] T001 Not this project's task\n", "utf-8")
    (folder / "tasks.md").symlink_to(outside)
    expected = (
        f"specs/001-login/tasks.md:1: error FEAT010 cannot read tasks.md: it links outside "
        f"the project (to {outside.resolve()}); refusing to read it"
    )
    for selection in ((), ("specs/001-login",), ("specs",)):
        result = sdd("validate", *selection)
        assert result.exit_code == 1, result.output
        assert expected in result.stdout.splitlines()
    status = json.loads(sdd("status", "--json", ok=True).stdout)
    assert status["features"][0]["tasks"] == {"done": 0, "total": 0}
    assert status["features"][0]["artifacts"] == ["spec", "plan", "tasks"]


def test_a_range_mentioned_over_and_over_is_expanded_once(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    # Each mention of the range used to be expanded again (50,000 x 999 keys: seconds).
    plan = GOOD_PLAN + "\n" + "Covers FR-001–FR-999 again.\n" * 50_000
    _feature(project, "001-login", spec=GOOD_SPEC, plan=plan, tasks=GOOD_TASKS)
    code, document = _validate(sdd, "specs/001-login/plan.md")
    undefined = [f for f in _findings(document) if f[3] == "FEAT032"]
    assert code == 0 and len(undefined) == 997  # FR-003 … FR-999: mentioned, not defined
    first_line = GOOD_PLAN.count("\n") + 2
    assert {line for _, line, _, _ in undefined} == {first_line}


def test_headings_of_unclosed_parentheses_are_compared_in_one_pass() -> None:
    # Every "(" used to be searched to the end of the heading: minutes at this length.
    assert heading_key("Edge Cases " + "(" * 200_000) == "edge cases " + "(" * 200_000
    assert heading_key("Phase 1: Setup (Shared) (x") == "phase: setup (x"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_named_like_an_artifact_or_adr_is_never_read(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    folder = _feature(project, "001-login", plan=GOOD_PLAN)
    os.mkfifo(folder / "spec.md")  # opening it to read would wait for a writer for ever
    os.mkfifo(project / "adr/0001-pipe.md")
    code, document = _validate(sdd, "specs/001-login")
    assert code == 1
    assert ("specs/001-login/spec.md", 1, "error", "FEAT010") in _findings(document)
    status = json.loads(sdd("status", "--json", ok=True).stdout)
    assert status["features"][0]["artifacts"] == ["spec", "plan"]


def test_untraced_coverage_names_the_files_in_plain_words(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    untraced = GOOD_TASKS.replace(" (FR-001)", "").replace(" (FR-002)", "").replace(" (FR-003)", "")
    _feature(project, "001-login", spec=GOOD_SPEC, tasks=untraced)
    _, document = _validate(sdd)
    messages = [f["message"] for f in document["findings"] if f["code"] == "FEAT031"]  # type: ignore[union-attr]
    assert [m.split(", so")[0] for m in messages] == [
        "coverage not traced: tasks.md names no requirement ID"
    ]
    _feature(project, "001-login", plan=GOOD_PLAN.replace("FR-", "R-"))
    _, document = _validate(sdd)
    messages = [f["message"] for f in document["findings"] if f["code"] == "FEAT031"]  # type: ignore[union-attr]
    assert [m.split(", so")[0] for m in messages] == [
        "coverage not traced: neither plan.md nor tasks.md names a requirement ID"
    ]
