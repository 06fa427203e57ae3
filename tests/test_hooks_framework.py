"""pre-commit, the framework: living beside its hooks, and running sdd's .pre-commit-hooks.yaml."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sdd.hooks import scripts
from tests.conftest import REPO_ROOT
from tests.hooks_support import BROKEN_CONFIG, GOOD_CONFIG_EXTRA
from tests.support import commit, git, head, output, stage

LOCAL_CONFIG = """repos:
- repo: local
  hooks:
  - id: framework-marker
    name: framework marker
    entry: sh -c 'echo framework-ran >> .framework-log'
    language: system
    pass_filenames: false
    always_run: true
"""


def pre_commit(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    return result


@pytest.fixture
def framework_project(project: Path) -> Path:
    (project / ".pre-commit-config.yaml").write_text(LOCAL_CONFIG, encoding="utf-8")
    (project / ".gitignore").write_text(".framework-log\n", encoding="utf-8")
    git(project, "add", "-A", check=False)
    assert commit(project, "init", env={"SDD_SKIP_HOOKS": "1"}).returncode == 0
    return project


def _framework_ran(root: Path) -> int:
    log = root / ".framework-log"
    return log.read_text("utf-8").count("framework-ran") if log.exists() else 0


def test_sdd_installed_over_the_framework_chains_it_and_restores_it(
    framework_project: Path, sdd
) -> None:  # type: ignore[no-untyped-def]
    root = framework_project
    assert pre_commit(root, "install").returncode == 0
    framework_hook = (root / ".git/hooks/pre-commit").read_bytes()
    sdd("hooks", "install", "--hook", "pre-commit", ok=True)

    before = head(root)
    stage(root, "sdd.yaml", BROKEN_CONFIG)
    result = commit(root)
    assert result.returncode != 0 and "CFG001" in output(result)
    assert head(root) == before and _framework_ran(root) == 1

    stage(root, "sdd.yaml", BROKEN_CONFIG.replace("many", "3"))
    result = commit(root)
    assert result.returncode == 0, output(result)
    assert _framework_ran(root) == 2

    sdd("hooks", "uninstall", ok=True)
    assert (root / ".git/hooks/pre-commit").read_bytes() == framework_hook
    assert not (root / ".git/hooks/pre-commit.sdd-legacy").exists()


def test_the_framework_installed_over_sdd_still_runs_sdd_once(framework_project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    root = framework_project
    sdd("hooks", "install", "--hook", "pre-commit", ok=True)
    assert pre_commit(root, "install").returncode == 0
    assert scripts.is_sdd_script(root / ".git/hooks/pre-commit.legacy")

    status = json.loads(sdd("hooks", "status", "--json", ok=True).stdout)
    pre = status["hooks"][0]
    assert pre["state"] == "installed"
    assert pre["script"] == str(root / ".git/hooks/pre-commit.legacy")
    again = json.loads(sdd("hooks", "install", "--hook", "pre-commit", "--json", ok=True).stdout)
    assert again["hooks"][0]["action"] == "unchanged"

    before = head(root)
    stage(root, "sdd.yaml", BROKEN_CONFIG)
    result = commit(root)
    assert result.returncode != 0, output(result)
    assert output(result).count("CFG001") == 1, "sdd ran once, no recursion"
    assert head(root) == before and _framework_ran(root) == 1

    removed = json.loads(sdd("hooks", "uninstall", "--json", ok=True).stdout)
    assert removed["hooks"][0]["action"] == "removed"
    assert not (root / ".git/hooks/pre-commit.legacy").exists()
    assert b"pre-commit" in (root / ".git/hooks/pre-commit").read_bytes()


def _hook_repository(tmp_path: Path) -> tuple[Path, str]:
    """A git repository holding this checkout's sdd as it is now, for pre-commit to install."""
    source = tmp_path / "sdd-hooks-repo"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO_ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("sdd", "templates"):
        shutil.copytree(REPO_ROOT / folder, source / folder, ignore=ignore)
    git(source, "init", "-q", check=False)
    git(source, "add", "-A", check=False)
    assert git(source, "commit", "-q", "-m", "sdd", check=False).returncode == 0
    return source, head(source)


def test_the_manifest_declares_both_hooks() -> None:
    manifest = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    by_id = {hook["id"]: hook for hook in manifest}
    assert set(by_id) == {"sdd-validate", "sdd-adr-detect"}
    assert by_id["sdd-validate"]["language"] == "python"
    assert by_id["sdd-adr-detect"]["stages"] == ["post-commit", "pre-push"]
    assert by_id["sdd-adr-detect"]["pass_filenames"] is False


@pytest.mark.slow
def test_pre_commit_runs_sdd_validate_and_sdd_adr_detect(project: Path, tmp_path: Path) -> None:
    """Installs this checkout into pre-commit's own virtualenv (pip needs the package index,
    as building the wheel does), then commits through the framework's hooks."""
    source, revision = _hook_repository(tmp_path)
    config = {
        "repos": [
            {
                "repo": str(source),
                "rev": revision,
                "hooks": [{"id": "sdd-validate"}, {"id": "sdd-adr-detect"}],
            }
        ]
    }
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(project, "add", "-A", check=False)
    assert commit(project, "init").returncode == 0
    installed = pre_commit(
        project,
        "install",
        "--hook-type",
        "pre-commit",
        "--hook-type",
        "post-commit",
        "--install-hooks",
    )
    assert installed.returncode == 0, output(installed)

    before = head(project)
    stage(project, "sdd.yaml", BROKEN_CONFIG)
    result = commit(project)
    assert result.returncode != 0, output(result)
    assert "sdd.yaml:3: error CFG001 features.digits" in output(result)
    assert "SKIP=sdd-validate" in output(result)
    assert head(project) == before

    text = (project / ".pre-commit-config.yaml").read_text("utf-8")
    stage(project, "sdd.yaml", "version: 1\n" + GOOD_CONFIG_EXTRA)
    result = commit(project, "good config")
    assert result.returncode == 0, output(result)
    assert "sdd validate (specs, PHRs, ADRs)" in output(result) and "Passed" in output(result)
    assert "sdd adr detect (advisory)" in output(result), "the post-commit hook ran"
    assert (project / ".pre-commit-config.yaml").read_text("utf-8") == text

    pushed = pre_commit(
        project,
        "run",
        "sdd-adr-detect",
        "--hook-stage",
        "pre-push",
        "--from-ref",
        "HEAD~1",
        "--to-ref",
        "HEAD",
    )
    assert pushed.returncode == 0, output(pushed)
    assert "sdd adr detect (advisory)" in output(pushed) and "Passed" in output(pushed)
