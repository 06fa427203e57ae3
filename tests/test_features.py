"""sdd feature new, sdd plan, sdd tasks: numbering, branches, refusals, concurrency, bad titles."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import sdd_executable
from tests.support import git


def _new(sdd, *args: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    result = sdd("feature", "new", *args, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def test_feature_new_renders_the_spec_and_reports_json(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    created = _new(sdd, "User login with OAuth")
    assert created == {
        "schema": "sdd.feature-new/1",
        "feature": "001-user-login-with-oauth",
        "number": "001",
        "path": "specs/001-user-login-with-oauth/spec.md",
        "branch": None,
    }
    spec = (project / "specs/001-user-login-with-oauth/spec.md").read_text("utf-8")
    assert spec.startswith("# Feature Specification: User login with OAuth\n")
    assert "**Feature Branch**: `001-user-login-with-oauth`" in spec
    assert "{{" not in spec and "{%" not in spec
    assert re.search(r"\*\*Created\*\*: \d{4}-\d{2}-\d{2}", spec)
    human = sdd("feature", "new", "Export reports", ok=True)
    assert "created specs/002-export-reports/spec.md" in human.stdout


def test_numbers_continue_after_folders_and_local_branches(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "specs/004-old-thing").mkdir()
    git(project, "branch", "007-elsewhere")
    git(project, "branch", "not-a-feature")
    assert _new(sdd, "Next one")["feature"] == "008-next-one"


def test_a_taken_number_exits_2_naming_the_next_free_one(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _new(sdd, "First")
    git(project, "branch", "002-on-a-branch")
    result = sdd("feature", "new", "Clash", "--number", "2")
    assert result.exit_code == 2
    assert "002 is taken by branch 002-on-a-branch" in result.stderr
    assert "next free number is 003" in result.stderr
    assert not any(p.name.endswith("-clash") for p in (project / "specs").iterdir())
    assert _new(sdd, "Chosen", "--number", "12")["feature"] == "012-chosen"
    assert _new(sdd, "After", "--short-name", "Short Name!")["feature"] == "013-short-name"


def test_timestamp_numbering(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    config = project / "sdd.yaml"
    config.write_text(
        config.read_text("utf-8").replace("numbering: sequential", "numbering: timestamp"), "utf-8"
    )
    first = _new(sdd, "Stamped")
    second = _new(sdd, "Stamped")
    for created in (first, second):
        assert re.fullmatch(r"\d{8}-\d{6}-stamped", str(created["feature"]))
    assert first["feature"] != second["feature"]
    refused = sdd("feature", "new", "Numbered", "--number", "3")
    assert refused.exit_code == 2 and "sequential" in refused.stderr


def test_branch_is_created_and_checked_out(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    created = _new(sdd, "Branchy", "--branch")
    assert created["branch"] == "001-branchy"
    head = git(project, "symbolic-ref", "--short", "HEAD").stdout.strip()
    assert head == "001-branchy"
    # the new branch names the feature for plan and tasks
    assert sdd("plan", "--json").exit_code == 0


def test_branch_refused_with_uncommitted_tracked_changes(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "init sdd")
    (project / "README.md").write_text("# changed\n", encoding="utf-8")
    before = _tree(project)
    result = sdd("feature", "new", "Dirty", "--branch")
    assert result.exit_code == 2
    assert "uncommitted changes" in result.stderr and "nothing was created" in result.stderr
    assert _tree(project) == before
    assert git(project, "symbolic-ref", "--short", "HEAD").stdout.strip() == "main"
    # untracked files are carried along without loss, so they do not block
    git(project, "checkout", "-q", "README.md")
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert _new(sdd, "Clean enough", "--branch")["branch"] == "001-clean-enough"


def test_branch_outside_git_is_a_usage_error(tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sdd("init", str(tmp_path / "plain"), ok=True)
    monkeypatch.chdir(tmp_path / "plain")
    result = sdd("feature", "new", "No git", "--branch")
    assert result.exit_code == 2 and "git" in result.stderr
    assert [p.name for p in (tmp_path / "plain/specs").iterdir()] == ["constitution.md"]


@pytest.mark.parametrize(
    ("title", "feature"),
    [
        ("../../etc/passwd", "001-etc-passwd"),
        ("日本語のタイトル", "001-ribenyunotaitoru"),
        ("Crème brûlée façade", "001-creme-brulee-facade"),
        ("Title\n## Injected heading", "001-title-injected-heading"),
    ],
)
def test_titles_from_input_stay_inside_specs(project: Path, sdd, title: str, feature: str) -> None:  # type: ignore[no-untyped-def]
    created = _new(sdd, title)
    assert created["feature"] == feature
    folder = project / "specs" / feature
    assert folder.parent == project / "specs"
    first = (folder / "spec.md").read_text("utf-8").splitlines()[0]
    assert first == f"# Feature Specification: {' '.join(title.split())}"


@pytest.mark.parametrize("title", ["", "   ", "../", "../../..", "!!!", "¿¡"])
def test_titles_without_letters_are_refused(project: Path, sdd, title: str) -> None:  # type: ignore[no-untyped-def]
    before = _tree(project)
    result = sdd("feature", "new", title)
    assert result.exit_code == 2, result.output
    assert "title" in result.stderr
    assert "Traceback" not in result.output
    assert _tree(project) == before


@pytest.mark.slow
def test_concurrent_feature_new_get_distinct_numbers(project: Path) -> None:
    processes = [
        subprocess.Popen(
            [sdd_executable(), "feature", "new", f"Parallel {index}", "--json"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(6)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    numbers = [json.loads(out)["number"] for out, _ in outputs]
    assert sorted(numbers) == ["001", "002", "003", "004", "005", "006"]
    folders = sorted(p.name for p in (project / "specs").iterdir() if p.is_dir())
    assert len(folders) == 6 and len({name[:3] for name in folders}) == 6


def test_plan_and_tasks_need_their_prerequisite(project: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (project / "specs/001-bare").mkdir()
    missing = sdd("plan", "001-bare")
    assert missing.exit_code == 2 and "spec.md does not exist" in missing.stderr
    assert not (project / "specs/001-bare/plan.md").exists()
    forced = sdd("plan", "001-bare", "--force", "--json", ok=True)
    assert json.loads(forced.stdout)["path"] == "specs/001-bare/plan.md"
    _new(sdd, "Real feature")
    no_plan = sdd("tasks", "002")
    assert no_plan.exit_code == 2 and "plan.md does not exist" in no_plan.stderr
    monkeypatch.setenv("SDD_FEATURE", "002-real-feature")
    created = json.loads(sdd("plan", "--json", ok=True).stdout)
    assert created == {
        "schema": "sdd.artifact-new/1",
        "feature": "002-real-feature",
        "artifact": "plan.md",
        "path": "specs/002-real-feature/plan.md",
        "overwritten": False,
    }
    plan = (project / "specs/002-real-feature/plan.md").read_text("utf-8")
    assert plan.startswith("# Implementation Plan: Real feature\n")
    assert sdd("tasks", ok=True).stdout.count("created specs/002-real-feature/tasks.md") == 1
    tasks = (project / "specs/002-real-feature/tasks.md").read_text("utf-8")
    assert tasks.startswith("# Tasks: Real feature\n")


def test_existing_artifacts_are_never_overwritten_without_force(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _new(sdd, "Keep mine")
    sdd("plan", "1", ok=True)
    mine = project / "specs/001-keep-mine/plan.md"
    mine.write_text("# My plan\n", encoding="utf-8")
    again = sdd("plan", "1")
    assert again.exit_code == 2 and "--force" in again.stderr
    assert mine.read_text("utf-8") == "# My plan\n"
    overwritten = json.loads(sdd("plan", "1", "--force", "--json", ok=True).stdout)
    assert overwritten["overwritten"] is True
    assert mine.read_text("utf-8").startswith("# Implementation Plan: Keep mine")


def test_feature_is_never_guessed(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _new(sdd, "One")
    _new(sdd, "Two")
    result = sdd("plan")
    assert result.exit_code == 2
    assert "001-one, 002-two" in result.stderr
    unknown = sdd("plan", "nope")
    assert unknown.exit_code == 2 and "no feature 'nope'" in unknown.stderr
    (project / "specs/002-twin").mkdir()
    ambiguous = sdd("plan", "002")
    assert ambiguous.exit_code == 2 and "ambiguous" in ambiguous.stderr


def test_tasks_done_and_undone_from_the_cli(project: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _new(sdd, "Tracked")
    folder = project / "specs/001-tracked"
    (folder / "plan.md").write_text("# Plan\n", encoding="utf-8")
    tasks = folder / "tasks.md"
    tasks.write_bytes(b"## Phase 1: Setup\r\n\r\n- [ ] T001 First\r\n- [ ] T002 Second\r\n")
    monkeypatch.setenv("SDD_FEATURE", "001")
    done = sdd("tasks", "done", "T001", "t002", ok=True)
    assert "T001 done: First" in done.stdout and "2/2 tasks done" in done.stdout
    assert (
        tasks.read_bytes() == b"## Phase 1: Setup\r\n\r\n- [x] T001 First\r\n- [x] T002 Second\r\n"
    )
    update = json.loads(sdd("tasks", "undone", "T002", "--json", ok=True).stdout)
    assert update == {
        "schema": "sdd.tasks-update/1",
        "feature": "001-tracked",
        "path": "specs/001-tracked/tasks.md",
        "done": False,
        "changed": ["T002"],
        "unchanged": [],
        "progress": {"done": 1, "total": 2},
    }
    unknown = sdd("tasks", "done", "T001", "T404")
    assert unknown.exit_code == 2 and "no task T404" in unknown.stderr
    assert "specs/001-tracked/tasks.md" in unknown.stderr
    assert (
        tasks.read_bytes() == b"## Phase 1: Setup\r\n\r\n- [x] T001 First\r\n- [ ] T002 Second\r\n"
    )
    assert sdd("tasks", "done").exit_code == 2
    assert sdd("tasks", "one", "two").exit_code == 2
    monkeypatch.delenv("SDD_FEATURE")
    assert sdd("tasks", "done", "T002", "--feature", "001-tracked").exit_code == 0


@pytest.mark.slow
def test_installed_executable_creates_and_ticks(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    created = sdd_exe("feature", "new", "From the shell", "--json", cwd=project)
    assert created.returncode == 0, created.stderr
    assert sdd_exe("plan", "1", cwd=project).returncode == 0
    assert sdd_exe("tasks", "1", cwd=project).returncode == 0
    ticked = sdd_exe("tasks", "done", "T001", cwd=project, env={"SDD_FEATURE": "001"})
    assert ticked.returncode == 0, ticked.stderr
    closed = subprocess.run(
        ["bash", "-c", '"$@" <&-', "bash", sdd_executable(), "feature", "new", "Closed stdin"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert closed.returncode == 0, closed.stderr


def test_a_broken_template_leaves_no_folder_behind(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    broken = project / ".sdd/templates/spec.md"
    broken.write_text("# {{ title }}\n{{ no_such_value }}\n", encoding="utf-8")
    result = sdd("feature", "new", "Broken")
    assert result.exit_code == 2 and "undefined" in result.stderr
    assert [p.name for p in (project / "specs").iterdir()] == ["constitution.md"]
    broken.unlink()
    assert _new(sdd, "Works again")["feature"] == "001-works-again"


# --- review fixes: bad input that used to end in a traceback or lose a link ----------------


@pytest.mark.parametrize("number", ["0", "-5", "1000000000", "9" * 300])
def test_a_number_out_of_range_exits_2_and_creates_nothing(project: Path, sdd, number: str) -> None:  # type: ignore[no-untyped-def]
    before = _tree(project)
    result = sdd("feature", "new", "Numbered", "--number", number)
    assert result.exit_code == 2, result.output
    assert "--number must be between 1 and 999999999" in result.stderr
    assert "Traceback" not in result.output
    assert _tree(project) == before
    assert _new(sdd, "Largest", "--number", "999999999")["feature"] == "999999999-largest"


@pytest.mark.parametrize("name", ["²", "¹²", "٣"])
def test_feature_names_of_other_digits_are_looked_up_not_crashed_on(
    project: Path, sdd, name: str
) -> None:  # type: ignore[no-untyped-def]
    _new(sdd, "Only")
    for command in (("plan", name), ("show", name), ("tasks", name)):
        result = sdd(*command)
        assert result.exit_code == 2, result.output
        assert "no feature" in result.stderr and "001-only" in result.stderr


def test_an_artifact_that_is_a_folder_is_refused_even_with_force(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _new(sdd, "Folder plan")
    (project / "specs/001-folder-plan/plan.md").mkdir()
    for args in (("plan", "1"), ("plan", "1", "--force")):
        result = sdd(*args)
        assert result.exit_code == 2, result.output
        assert "specs/001-folder-plan/plan.md is a folder" in result.stderr
    assert (project / "specs/001-folder-plan/plan.md").is_dir()


def test_tasks_done_keeps_a_link_inside_and_refuses_one_leading_out(
    project: Path, sdd, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _new(sdd, "Linked")
    folder = project / "specs/001-linked"
    shared = project / "shared-tasks.md"
    shared.write_text("## Phase 1: Setup\n\n- [ ] T001 First\n", encoding="utf-8")
    (folder / "tasks.md").symlink_to("../../shared-tasks.md")
    sdd("tasks", "done", "T001", "--feature", "1", ok=True)
    assert (folder / "tasks.md").is_symlink()
    assert shared.read_text("utf-8") == "## Phase 1: Setup\n\n- [x] T001 First\n"
    outside = tmp_path / "outside-tasks.md"
    outside.write_text("- [ ] T001 Elsewhere\n", encoding="utf-8")
    (folder / "tasks.md").unlink()
    (folder / "tasks.md").symlink_to(outside)
    refused = sdd("tasks", "done", "T001", "--feature", "1")
    assert refused.exit_code == 2
    assert "specs/001-linked/tasks.md leads outside the project" in refused.stderr
    assert outside.read_text("utf-8") == "- [ ] T001 Elsewhere\n"
    assert (folder / "tasks.md").is_symlink()


def test_an_unreadable_tasks_file_is_named_as_the_project_shows_it(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _new(sdd, "Binary")
    (project / "specs/001-binary/tasks.md").write_bytes(b"- [ ] T001 a\n\x00\x01")
    result = sdd("tasks", "done", "T001", "--feature", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: specs/001-binary/tasks.md: file is binary")


def test_spec_titles_are_read_whatever_their_blanks() -> None:
    from sdd.features.folders import spec_title

    assert spec_title("# Feature Specification: Login  \n") == "Login"
    assert spec_title("# Feature Spec") == "Feature Spec"
    long_title = "Title" + " " * 200_000 + "end"  # a lazy group backtracked over the blanks
    assert spec_title(f"# Feature Specification: {long_title}\n") == long_title


def test_feature_new_refuses_a_specs_folder_that_is_a_file(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    specs = project / "specs"
    for child in sorted(specs.rglob("*"), reverse=True):
        child.unlink()
    specs.rmdir()
    specs.write_text("not a folder\n", encoding="utf-8")
    result = sdd("feature", "new", "Blocked")
    assert result.exit_code == 2, result.output  # it was a traceback from mkdir (exit 3)
    assert "specs is a file where sdd needs a folder" in result.stderr
    assert specs.read_text("utf-8") == "not a folder\n"
