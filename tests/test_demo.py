"""sdd demo: the guided walkthrough runs from the installed executable and leaves a real project."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from sdd.base.errors import RefusedError
from sdd.demo.tour import ADR_TITLE, BROKEN_PHR, FEATURE, StepResult, run_demo
from tests.support import git

# Each test reads the one walkthrough run of the installed executable (about 10 s).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def finished_demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    from tests.conftest import sdd_executable

    parent = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [sdd_executable(), "demo", "walkthrough"],
        cwd=parent,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    return parent / "walkthrough", result


def test_the_demo_exits_0_and_says_where_to_explore(finished_demo) -> None:  # type: ignore[no-untyped-def]
    root, result = finished_demo
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Demo finished" in result.stdout
    assert f"left in {root}" in result.stdout
    assert "Traceback" not in result.stderr


def test_every_step_is_printed_with_its_command(finished_demo) -> None:  # type: ignore[no-untyped-def]
    _, result = finished_demo
    for command in (
        "$ sdd init",
        "$ sdd feature new 'User authentication' --branch",
        "$ sdd clarify",
        "$ sdd clarify answer C",
        "$ sdd plan",
        "$ sdd tasks",
        "$ sdd analyze",
        "$ sdd tasks next",
        "$ sdd phr new --stage spec",
        "$ git commit -m 'Add JWT authentication, user table migration and CORS'",
        "$ sdd adr detect --base main",
        f"$ sdd adr new '{ADR_TITLE}' --from-detect --base main --yes",
        "$ sdd hooks install",
        "$ git commit -m 'Record the prompt for the login tests'",
        "$ sdd pr checklist --base main",
    ):
        assert command in result.stdout, command
    assert "📋 Architectural decision detected" in result.stdout
    assert "Document reasoning and tradeoffs? Run `/sp.adr " in result.stdout


def test_the_demo_leaves_a_valid_project_with_feature_phr_and_adr(finished_demo, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    root, _ = finished_demo
    assert git(root, "branch", "--show-current").stdout.strip() == FEATURE
    assert (root / "specs" / FEATURE / "tasks.md").is_file()
    records = list((root / "history/prompts" / FEATURE).glob("0001-*.spec.prompt.md"))
    assert len(records) == 1
    adrs = sorted(p.name for p in (root / "adr").glob("0001-*.md"))
    assert len(adrs) == 1
    assert not (root / BROKEN_PHR).exists(), "the blocked record is cleaned up"
    assert git(root, "status", "--porcelain").stdout == ""
    subjects = git(root, "log", "--format=%s", "main..HEAD").stdout.splitlines()
    assert subjects == [
        "Record ADR 0001: JWT authentication",
        "Add JWT authentication, user table migration and CORS",
        "Specify user authentication",
    ]
    validated = sdd_exe("validate", "--json", cwd=root)
    assert json.loads(validated.stdout)["ok"] is True, validated.stdout
    status = json.loads(sdd_exe("status", "--json", cwd=root).stdout)
    (feature,) = status["features"]
    assert feature["feature"] == FEATURE
    assert feature["tasks"] == {"done": 7, "total": 11}
    hooks = json.loads(sdd_exe("hooks", "status", "--json", cwd=root).stdout)
    assert hooks


def test_the_demo_clarifies_analyzes_and_walks_the_tasks(finished_demo, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    root, result = finished_demo
    assert "how long is a token valid?" in result.stdout
    spec = (root / "specs" / FEATURE / "spec.md").read_text(encoding="utf-8")
    assert "NEEDS CLARIFICATION" not in spec
    assert "- Q: how long is a token valid? → A: 60 minutes" in spec
    assert "that expires after 60 minutes." in spec
    analysis = sdd_exe("analyze", "--json", cwd=root)
    assert analysis.returncode == 0 and json.loads(analysis.stdout)["findings"] == []
    upcoming = json.loads(sdd_exe("tasks", "next", "--json", cwd=root).stdout)
    assert [task["id"] for task in upcoming["ready"]] == ["T004"]


def test_the_blocked_commit_names_the_placeholder(finished_demo) -> None:  # type: ignore[no-untyped-def]
    _, result = finished_demo
    blocked = result.stdout.split("Record the prompt for the login tests'")[1]
    assert f"{BROKEN_PHR}:3: error PHR021" in blocked
    assert "placeholder" in blocked


def test_the_demo_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    steps: list[StepResult] = []
    with pytest.raises(RefusedError, match="not empty"):
        run_demo(tmp_path, steps.append)
    assert steps == []
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_the_cli_refuses_a_non_empty_folder_with_exit_2(tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/file").write_text("x", encoding="utf-8")
    result = sdd("demo", "taken")
    assert result.exit_code == 2
    assert "choose another folder" in result.stderr
