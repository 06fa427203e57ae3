"""Shared fixtures: isolated git config, real repositories, the CLI in-process and installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sdd.cli.main import app
from tests.support import git

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same git identity and no user or system git configuration."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text(
        "[user]\n\tname = Test User\n\temail = test@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in ("SDD_PROJECT", "SDD_FEATURE", "SDD_SKIP_HOOKS", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository with one commit, as the working directory."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "README.md").write_text("# demo\n", encoding="utf-8")
    git(root, "add", "README.md")
    git(root, "commit", "-q", "-m", "initial commit")
    return root


@pytest.fixture
def project(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository initialised with ``sdd init``, as the working directory."""
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(app, ["init", str(repo)])
    assert result.exit_code == 0, result.output
    return repo


class Invoke:
    """Run ``sdd`` in-process with typer's CliRunner."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, ok: bool | None = None):  # type: ignore[no-untyped-def]
        result = self.runner.invoke(app, list(args), input=input, catch_exceptions=False)
        if ok is True:
            assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def sdd() -> Invoke:
    return Invoke()


def sdd_executable() -> str:
    """The installed ``sdd`` console script beside this interpreter (else on PATH)."""
    beside = Path(sys.executable).parent / "sdd"
    if beside.exists():
        return str(beside)
    found = shutil.which("sdd")
    if found is None:
        pytest.skip("the sdd executable is not installed")
    return found


@pytest.fixture
def sdd_exe() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed ``sdd`` executable as a subprocess."""

    def run(
        *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, **kwargs: object
    ) -> subprocess.CompletedProcess[str]:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(
            [sdd_executable(), *args],
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            **kwargs,  # type: ignore[arg-type]
        )

    return run


@pytest.fixture
def corpus() -> Iterator[Path]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    yield CORPUS
