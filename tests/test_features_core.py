"""The feature use cases called directly, as the CLI and the MCP server call them: creating
features and artifacts, analysing them, ticking tasks off, answering clarifications."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdd.base.errors import RefusedError, UsageError
from sdd.features.analyze import analyse
from sdd.features.answers import answer_in_feature
from sdd.features.clarify import open_in_feature
from sdd.features.create import create_artifact, create_feature, next_number, used_numbers
from sdd.features.folders import list_features, resolve_feature
from sdd.features.progress import mark_tasks
from sdd.project.project import Project, load_project
from tests.support import build_file_tree, git

SPEC = """# Feature Specification: Login

## Requirements

- **FR-001**: Users MUST sign in with an email address.
- **FR-002**: Users MUST be able to reset a password. [NEEDS CLARIFICATION: by email or SMS?]

## Success Criteria

- **SC-001**: Sign-in takes under two seconds.
"""
PLAN = "# Plan: Login\n\nMeets SC-001 with a session cache.\n"
TASKS = """# Tasks: Login

## Phase 1: Setup

- [ ] T001 Create the user model in src/models/user.py for FR-001
- [ ] T002 [P] Add the login form in src/ui/login.py
"""


@pytest.fixture
def loaded(project: Path) -> Project:
    return load_project(project)


def test_create_feature_claims_the_next_number_and_writes_the_spec(loaded: Project) -> None:
    first = create_feature(loaded, "User login")
    second = create_feature(loaded, "Password reset", short_name="reset")
    assert (first.feature, second.feature) == ("001-user-login", "002-reset")
    assert first.path.read_text("utf-8").startswith("# Feature Specification: User login")
    assert first.as_dict(loaded) == {
        "schema": "sdd.feature-new/1",
        "feature": "001-user-login",
        "number": "001",
        "path": "specs/001-user-login/spec.md",
        "branch": None,
    }
    assert list_features(loaded) == ["001-user-login", "002-reset"]
    assert next_number(used_numbers(loaded)) == 3


def test_a_taken_number_is_refused_naming_the_next_free_one(loaded: Project) -> None:
    create_feature(loaded, "One")
    git(loaded.root, "branch", "004-elsewhere")
    with pytest.raises(UsageError, match="taken by 001-one; the next free number is 005"):
        create_feature(loaded, "Two", number=1)
    with pytest.raises(UsageError, match="no letters or digits"):
        create_feature(loaded, "¿?")


def test_create_artifact_needs_its_prerequisite_and_refuses_to_overwrite(loaded: Project) -> None:
    name = create_feature(loaded, "User login").feature
    with pytest.raises(UsageError, match=r"plan\.md does not exist"):
        create_artifact(loaded, name, "tasks.md")
    plan = create_artifact(loaded, name, "plan.md")
    assert not plan.overwritten and plan.path.is_file()
    assert "User login" in plan.path.read_text("utf-8")
    with pytest.raises(RefusedError, match="already exists"):
        create_artifact(loaded, name, "plan.md")
    again = create_artifact(loaded, name, "plan.md", force=True)
    assert again.overwritten and again.as_dict(loaded)["schema"] == "sdd.artifact-new/1"


def _feature(loaded: Project, files: dict[str, str]) -> str:
    build_file_tree(loaded.paths.specs / "001-login", files)
    return resolve_feature(loaded, "001")


def test_analyse_reports_coverage_gaps_and_open_questions(loaded: Project) -> None:
    name = _feature(loaded, {"spec.md": SPEC, "plan.md": PLAN, "tasks.md": TASKS})
    analysis = analyse(loaded, name)
    found = {(f.code, f.severity) for f in analysis.findings}
    assert ("ANL001", "high") in found  # FR-002 has no task
    assert ("ANL005", "high") in found  # the open clarification
    assert not any(code == "ANL003" for code, _ in found)  # the plan names SC-001
    rows = {row.id: row for row in analysis.coverage}
    assert rows["FR-001"].tasks == ("T001",) and not rows["FR-002"].covered
    document = analysis.as_dict()
    assert document["schema"] == "sdd.analyze/1" and document["ok"] is True
    assert analysis.artifacts == ("spec.md", "plan.md", "tasks.md")


def test_mark_tasks_ticks_and_clears_only_the_named_boxes(loaded: Project) -> None:
    name = _feature(loaded, {"spec.md": SPEC, "plan.md": PLAN, "tasks.md": TASKS})
    tasks = loaded.paths.specs / name / "tasks.md"
    marked = mark_tasks(loaded, [name, "T002"], feature=None, done=True)
    assert [task.id for task in marked.update.changed] == ["T002"]
    assert tasks.read_text("utf-8") == TASKS.replace("- [ ] T002", "- [x] T002")
    mark_tasks(loaded, ["T002"], feature=name, done=False)
    assert tasks.read_text("utf-8") == TASKS


def test_open_questions_are_listed_and_answered_in_place(loaded: Project) -> None:
    name = _feature(loaded, {"spec.md": SPEC})
    questions = open_in_feature(loaded, name)
    assert [item.question for item in questions.open] == ["by email or SMS?"]
    answered = answer_in_feature(loaded, name, questions.open[0].id, "By email.")
    spec = (loaded.paths.specs / name / "spec.md").read_text("utf-8")
    assert "reset a password. By email." in spec
    assert "- Q: by email or SMS? → A: By email." in spec
    assert answered.as_dict()["written"] == [f"specs/{name}/spec.md"]
    assert open_in_feature(loaded, name).open == []
