"""What the tests share: one way to run git, to commit, and to lay out a file tree.

Repositories are real: ``git`` runs the real binary in a temporary folder, with the isolated
configuration that ``conftest.isolated_git`` sets for every test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def git(
    cwd: Path,
    *args: str,
    check: bool = True,
    env: Mapping[str, str] | None = None,
    input_text: str | None = None,
    closed_stdin: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run git in ``cwd``; with ``check`` a failure fails the test with git's own words.

    ``closed_stdin`` runs it with file descriptor 0 shut (hooks must not wait for input).
    """
    command = ["git", *args]
    if closed_stdin:
        command = ["bash", "-c", '"$@" <&-', "bash", *command]
    completed = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        input=input_text,
        stdin=None if input_text is not None else subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    if check:
        assert completed.returncode == 0, f"git {' '.join(args)}: {completed.stderr}"
    return completed


def commit(
    cwd: Path,
    message: str = "change",
    *,
    all_files: bool = False,
    check: bool = False,
    env: Mapping[str, str] | None = None,
    closed_stdin: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``git commit`` (after ``git add -A`` with ``all_files``), hooks and all."""
    if all_files:
        git(cwd, "add", "-A", env=env)
    return git(cwd, "commit", "-m", message, check=check, env=env, closed_stdin=closed_stdin)


def build_file_tree(root: Path, spec: Mapping[str, str | bytes]) -> list[Path]:
    """Write ``spec`` (relative path → text or bytes) under ``root``; return the paths."""
    written = []
    for relative, content in spec.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def copy_data_tree(name: str, root: Path) -> None:
    """Lay the sample tree ``tests/data/<name>`` over ``root`` (files only, nothing removed)."""
    shutil.copytree(DATA / name, root, dirs_exist_ok=True)


def stage(root: Path, relative: str, content: str) -> Path:
    """Write one file and ``git add`` it."""
    (path,) = build_file_tree(root, {relative: content})
    git(root, "add", "--", relative)
    return path


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").stdout.strip()


def offline_venv(venv: Path) -> Path:
    """A new virtual environment at ``venv`` that finds the runtime dependencies in this
    interpreter's site-packages (after its own), so installing sdd there needs no network and
    the venv's copy of sdd is the one used."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run(
        [str(venv / "bin/python"), "-c", purelib],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    here = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "test-deps.pth").write_text("\n".join(here) + "\n", encoding="utf-8")
    return venv
