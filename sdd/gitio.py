"""All git access in sdd goes through this module.

Hot paths (hooks, status, detection) run the ``git`` binary directly with ``-z`` output parsed
here, which costs a few milliseconds; GitPython is imported lazily for the few operations
where its object model helps (repository creation, reading commit history and config).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.errors import GitError

if TYPE_CHECKING:
    import git

# Variables git sets inside hooks may be relative to the hook's working directory.
_PATH_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


@lru_cache(maxsize=1)
def git_executable() -> str | None:
    return shutil.which("git")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    cwd = os.getcwd()
    for name in _PATH_VARIABLES:
        value = env.get(name)
        if value and not os.path.isabs(value):
            env[name] = os.path.join(cwd, value)
    env.setdefault("GIT_TERMINAL_PROMPT", "0")
    return env


def run_git(
    args: list[str],
    cwd: Path,
    *,
    check: bool = True,
    input_bytes: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``cwd`` and return its raw output; ``GitError`` when it fails."""
    executable = git_executable()
    if executable is None:
        raise GitError("git is not installed or not on PATH", hint="install git")
    try:
        completed = subprocess.run(
            [executable, *args],
            cwd=cwd,
            env=_environment(),
            input=input_bytes,
            stdin=None if input_bytes is not None else subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"could not run git: {exc}") from None
    if check and completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {completed.returncode}"
        raise GitError(f"git {args[0]} failed: {detail}")
    return completed


def _text(output: bytes) -> str:
    return output.decode("utf-8", "surrogateescape").strip()


def split_z(output: bytes) -> list[str]:
    """Split NUL-separated git output into paths (undecodable bytes kept as surrogates)."""
    return [part.decode("utf-8", "surrogateescape") for part in output.split(b"\0") if part]


def version() -> str | None:
    """``git version 2.39.5`` → ``2.39.5``; None when git is missing."""
    if git_executable() is None:
        return None
    completed = run_git(["--version"], Path.cwd(), check=False)
    return _text(completed.stdout).removeprefix("git version ").strip() or None


def toplevel(path: Path) -> Path | None:
    """The top of the work tree containing ``path``, or None outside a repository."""
    if git_executable() is None:
        return None
    completed = run_git(["rev-parse", "--show-toplevel"], path, check=False)
    if completed.returncode != 0:
        return None
    top = _text(completed.stdout)
    return Path(top) if top else None


def init_repository(path: Path) -> None:
    import git

    try:
        git.Repo.init(path)
    except git.GitError as exc:
        raise GitError(f"git init failed: {exc}") from None


def has_head(root: Path) -> bool:
    completed = run_git(["rev-parse", "--verify", "--quiet", "HEAD"], root, check=False)
    return completed.returncode == 0


def current_branch(root: Path) -> str | None:
    """The checked-out branch, also before the first commit; None when HEAD is detached."""
    completed = run_git(["symbolic-ref", "--quiet", "--short", "HEAD"], root, check=False)
    if completed.returncode != 0:
        return None
    return _text(completed.stdout) or None


def local_branches(root: Path) -> list[str]:
    completed = run_git(
        ["for-each-ref", "--format=%(refname:short)", "refs/heads/"], root, check=False
    )
    if completed.returncode != 0:
        return []
    return [line for line in _text(completed.stdout).splitlines() if line]


def staged_paths(root: Path) -> list[str]:
    """Paths added, copied, modified or renamed in the index (relative to the top level)."""
    completed = run_git(
        ["diff", "--cached", "--name-only", "--no-renames", "-z", "--diff-filter=ACMR"],
        root,
    )
    return split_z(completed.stdout)


def is_dirty(root: Path, *, untracked: bool = True) -> bool:
    args = ["status", "--porcelain", "-z"]
    if not untracked:
        args.append("--untracked-files=no")
    return bool(run_git(args, root).stdout)


def config_value(root: Path, key: str) -> str | None:
    completed = run_git(["config", "--get", key], root, check=False)
    if completed.returncode != 0:
        return None
    return _text(completed.stdout) or None


def git_path(root: Path, name: str) -> Path:
    """``git rev-parse --git-path NAME`` as an absolute path (honours core.hooksPath)."""
    completed = run_git(["rev-parse", "--git-path", name], root)
    found = Path(_text(completed.stdout))
    return found if found.is_absolute() else (root / found)


def create_branch(root: Path, name: str) -> None:
    """Create branch ``name`` at HEAD and check it out."""
    run_git(["checkout", "-b", name], root)


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str
    message: str


def commits_in_range(root: Path, revision_range: str) -> list[Commit]:
    """Commits reachable in ``revision_range`` (``A..B`` or a single ref), newest first."""
    repo = open_repository(root)
    import git

    try:
        return [
            Commit(c.hexsha, c.summary if isinstance(c.summary, str) else "", _message(c))
            for c in repo.iter_commits(revision_range)
        ]
    except (git.GitCommandError, ValueError) as exc:
        raise GitError(f"cannot read commits {revision_range!r}: {exc}") from None


def _message(commit: git.Commit) -> str:
    message = commit.message
    return message if isinstance(message, str) else message.decode("utf-8", "replace")


def open_repository(root: Path) -> git.Repo:
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{root} is not inside a git repository") from None


# --- git hooks (sdd hooks install / the hook entry sdd.hookrun) ------------------------------


def hooks_dir(root: Path) -> Path:
    """The folder git runs hooks from: ``core.hooksPath`` if set, else the common ``hooks/``.

    In a linked worktree this is the main repository's folder, shared by every worktree.
    """
    return git_path(root, "hooks")


def git_path_exists(root: Path, name: str) -> bool:
    """Whether ``git rev-parse --git-path NAME`` exists (``rebase-merge``, ``MERGE_HEAD``...)."""
    return git_path(root, name).exists()


def unstaged_paths(root: Path, pathspecs: list[str]) -> list[str]:
    """Paths whose working-tree content differs from the index (modified, deleted), literally
    restricted to ``pathspecs``; relative to the top level."""
    completed = run_git(
        ["--literal-pathspecs", "diff", "--name-only", "--no-renames", "-z", "--", *pathspecs],
        root,
    )
    return split_z(completed.stdout)


def index_paths(root: Path, pathspecs: list[str]) -> list[str]:
    """Paths recorded in the index under ``pathspecs`` (taken literally), relative to the top."""
    completed = run_git(
        ["--literal-pathspecs", "ls-files", "-z", "--full-name", "--", *pathspecs], root
    )
    return split_z(completed.stdout)


def export_index(root: Path, paths: list[str], destination: Path) -> None:
    """Write the staged content of ``paths`` under ``destination`` (the same relative paths),
    as a checkout would (filters, line endings), without touching the working tree or index."""
    if not paths:
        return
    data = b"".join(path.encode("utf-8", "surrogateescape") + b"\0" for path in paths)
    run_git(
        ["checkout-index", "-z", "--stdin", f"--prefix={destination}{os.sep}"],
        root,
        input_bytes=data,
    )


def commit_exists(root: Path, revision: str) -> bool:
    completed = run_git(["cat-file", "-e", f"{revision}^{{commit}}"], root, check=False)
    return completed.returncode == 0


def commits_not_on_remote(root: Path, revision: str, remote: str) -> list[str]:
    """Commits reachable from ``revision`` that no ref of ``remote`` has, oldest first."""
    completed = run_git(
        ["rev-list", "--topo-order", "--reverse", revision, "--not", f"--remotes={remote}"],
        root,
        check=False,
    )
    if completed.returncode != 0:
        return []
    return _text(completed.stdout).split()


def first_parent(root: Path, revision: str) -> str | None:
    """The first parent of ``revision``; None for a root commit."""
    completed = run_git(["rev-parse", "--verify", "--quiet", f"{revision}^"], root, check=False)
    if completed.returncode != 0:
        return None
    return _text(completed.stdout) or None
