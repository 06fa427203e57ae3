"""All git access in sdd goes through this module.

Every call runs the ``git`` binary directly, with ``-z`` output parsed here, which costs a few
milliseconds (ADR-0002). GitPython is not used: its import alone costs about 125 ms of CPU and
its object diffs more than a second for 2,000 files, and its ``Repo.init`` runs this same binary
(ADR-0067).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, NamedTuple

from sdd.base.errors import GitError

# Variables git sets inside hooks may be relative to the hook's working directory.
_PATH_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


@lru_cache(maxsize=1)
def git_executable() -> str | None:
    if os.name == "nt":
        import shutil

        return shutil.which("git")
    # shutil.which's search on POSIX, without importing shutil and its compression modules
    # (bz2, lzma: a few ms of every hook's run).
    path = os.environ.get("PATH")
    if path is None:
        path = os.confstr("CS_PATH") or os.defpath
    for folder in dict.fromkeys(path.split(os.pathsep)) if path else ():
        candidate = os.path.join(folder, "git")
        if os.access(candidate, os.F_OK | os.X_OK) and not os.path.isdir(candidate):
            return candidate
    return None


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
    """``git init`` in ``path`` (ADR-0067: the binary, as everywhere else)."""
    run_git(["init", "-q", "--", str(path)], path)


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


def listed_files(root: Path, pathspecs: Sequence[str] = ()) -> list[str]:
    """Tracked and untracked, not ignored, files under ``root`` (relative to ``root``), only
    those matching ``pathspecs`` when given (git filters them: cheap on huge trees)."""
    command = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    completed = run_git([*command, "--", *pathspecs] if pathspecs else command, root)
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


class Commit(NamedTuple):
    sha: str
    subject: str
    message: str


# --- git hooks (sdd hooks install / the hook entry sdd.hooks.run) ------------------------------


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


# --- diffs for architectural-significance detection (sdd adr detect) -------------------------

# Raw records (-z: exact paths and statuses) followed by the patch; no renames so every path is
# one added, deleted or modified file; no external diff, textconv or colour; fixed prefixes.
_DETECT_DIFF_OPTIONS = [
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--no-relative",
    "--raw",
    "-z",
    "-p",
    "--src-prefix=a/",
    "--dst-prefix=b/",
]


class PendingOutput:
    """A git command started in the background; ``result()`` waits for its output.

    Detection starts its large ``git diff`` first and loads its rules while git works.
    """

    def __init__(
        self, name: str, process: subprocess.Popen[bytes], out: IO[bytes], err: IO[bytes]
    ) -> None:
        self.name = name
        self.process = process
        self._out = out
        self._err = err

    def result(self) -> bytes:
        try:
            self.process.wait()
            self._out.seek(0)
            output = self._out.read()
            if self.process.returncode != 0:
                self._err.seek(0)
                message = self._err.read().decode("utf-8", "replace").strip().splitlines()
                detail = message[-1] if message else f"exit code {self.process.returncode}"
                raise GitError(f"git {self.name} failed: {detail}")
            return output
        finally:
            self._close()

    def cancel(self) -> None:
        """Stop the command (its output is no longer wanted) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._close()

    def _close(self) -> None:
        self._out.close()
        self._err.close()


def start_git(args: list[str], cwd: Path, *, name: str) -> PendingOutput:
    """Start ``git args`` in ``cwd`` without waiting (stdin closed, output captured)."""
    import tempfile

    executable = git_executable()
    if executable is None:
        raise GitError("git is not installed or not on PATH", hint="install git")
    # Files, not pipes: a full pipe would stop git until the caller starts reading.
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by PendingOutput
    err = tempfile.TemporaryFile()  # noqa: SIM115 - closed by PendingOutput
    try:
        process = subprocess.Popen(
            [executable, *args],
            cwd=cwd,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    except OSError as exc:
        out.close()
        err.close()
        raise GitError(f"could not run git: {exc}") from None
    return PendingOutput(name, process, out, err)


def _diff(root: Path, revisions: list[str], *, cached: bool = False) -> PendingOutput:
    args = ["-c", "core.quotepath=off", "diff", *_DETECT_DIFF_OPTIONS]
    if cached:
        args.append("--cached")
    return start_git([*args, *revisions, "--"], root, name="diff")


def has_staged_changes(root: Path) -> bool:
    """Whether the index differs from HEAD (from the empty tree before the first commit)."""
    completed = run_git(["diff", "--cached", "--quiet", "--no-ext-diff"], root, check=False)
    if completed.returncode not in (0, 1):
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git diff failed: {message[-1] if message else completed.returncode}")
    return completed.returncode == 1


def staged_diff(root: Path) -> PendingOutput:
    """The staged changes as ``--raw -z -p`` bytes (started, not awaited)."""
    return _diff(root, [], cached=True)


def worktree_diff(root: Path) -> PendingOutput:
    """Tracked changes in the working tree against HEAD as ``--raw -z -p`` bytes (started)."""
    return _diff(root, ["HEAD"])


def revisions_diff(root: Path, old: str, new: str) -> PendingOutput:
    """The changes from ``old`` to ``new`` as ``--raw -z -p`` bytes (started, not awaited)."""
    return _diff(root, [old, new])


def untracked_files(root: Path) -> list[bytes]:
    """Untracked, not ignored files (paths relative to ``root``, raw bytes)."""
    completed = run_git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    return [part for part in completed.stdout.split(b"\0") if part]


def resolve_commit(root: Path, revision: str) -> str:
    """The full id of the commit ``revision`` names; ``GitError`` when it names none."""
    if revision.startswith("-"):
        raise GitError(f"{revision!r} is not a revision")
    completed = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
        root,
        check=False,
    )
    sha = _text(completed.stdout)
    if completed.returncode != 0 or not sha:
        hint = "the repository has no commits yet" if not has_head(root) else None
        raise GitError(f"unknown revision {revision!r}", hint=hint)
    return sha


def empty_tree(root: Path) -> str:
    """The id of the empty tree in this repository's hash algorithm."""
    completed = run_git(["hash-object", "-t", "tree", "--stdin"], root, input_bytes=b"")
    return _text(completed.stdout)


def is_shallow(root: Path) -> bool:
    completed = run_git(["rev-parse", "--is-shallow-repository"], root, check=False)
    return _text(completed.stdout) == "true"


def merge_base(root: Path, ref: str, other: str = "HEAD") -> str:
    """``git merge-base REF OTHER``, with a hint when a shallow clone hides the common commit."""
    base = resolve_commit(root, ref)
    if other == "HEAD" and not has_head(root):
        raise GitError("HEAD does not exist yet (no commits)")
    tip = resolve_commit(root, other)
    completed = run_git(["merge-base", base, tip], root, check=False)
    found = _text(completed.stdout)
    if completed.returncode != 0 or not found:
        hint = (
            "this is a shallow clone: fetch more history (git fetch --unshallow) or pass --range"
            if is_shallow(root)
            else "pass --range A..B to choose the commits explicitly"
        )
        raise GitError(f"{ref} and {other} have no common ancestor", hint=hint)
    return found


def commit_messages(root: Path, revision_range: str) -> list[Commit]:
    """Commits of ``revision_range`` with full messages, newest first (one ``git log -z``)."""
    if revision_range.startswith("-"):
        raise GitError(f"{revision_range!r} is not a revision range")
    completed = run_git(
        ["log", "-z", "--format=%H%x00%B", "--end-of-options", revision_range, "--"],
        root,
        check=False,
    )
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else "git log failed"
        raise GitError(f"cannot read commits {revision_range!r}: {detail}")
    parts = completed.stdout.split(b"\0")
    commits: list[Commit] = []
    for index in range(0, len(parts) - 1, 2):
        sha = parts[index].decode("ascii", "replace").strip()
        if not sha:
            continue
        body = parts[index + 1].decode("utf-8", "replace").strip()
        subject = body.splitlines()[0] if body else ""
        commits.append(Commit(sha, subject, body))
    return commits


def first_added_time(root: Path, path: Path) -> int | None:
    """Commit time (epoch seconds) of the oldest commit that added ``path``; None if none did."""
    completed = run_git(
        ["log", "--diff-filter=A", "--format=%ct", "--", str(path)], root, check=False
    )
    times = [int(t) for t in _text(completed.stdout).split() if t.isdigit()]
    return min(times) if completed.returncode == 0 and times else None


def files_changed_with(root: Path, path: Path) -> set[str]:
    """Paths (relative to the top level) changed by any commit that changed ``path``."""
    completed = run_git(
        ["log", "--full-diff", "--format=", "--name-only", "-z", "--", str(path)], root, check=False
    )
    if completed.returncode != 0:
        return set()
    return {p.strip("\n") for p in split_z(completed.stdout) if p.strip("\n")}


# --- pull-request ranges (sdd pr checklist) ---------------------------------------------------


def upstream_of(root: Path, branch: str) -> tuple[str, str] | None:
    """The upstream of ``branch``: its short name (``origin/main``) and the branch it merges
    (``refs/heads/main``); None when it has none."""
    completed = run_git(
        ["rev-parse", "--abbrev-ref", "--symbolic-full-name", f"{branch}@{{upstream}}"],
        root,
        check=False,
    )
    short = _text(completed.stdout)
    if completed.returncode != 0 or not short:
        return None
    return short, config_value(root, f"branch.{branch}.merge") or ""


def remote_default_branch(root: Path, remote: str = "origin") -> str | None:
    """The remote's default branch as a local ref name (``origin/main``), when git knows it."""
    completed = run_git(
        ["symbolic-ref", "--quiet", "--short", f"refs/remotes/{remote}/HEAD"], root, check=False
    )
    return (_text(completed.stdout) or None) if completed.returncode == 0 else None


class CommitPaths(NamedTuple):
    sha: str
    subject: str
    paths: tuple[str, ...]


def commits_with_paths(root: Path, revision_range: str) -> list[CommitPaths]:
    """Commits of ``revision_range``, oldest first, each with the paths it changed (no renames;
    merges list none)."""
    if revision_range.startswith("-"):
        raise GitError(f"{revision_range!r} is not a revision range")
    completed = run_git(
        [
            "log", "--reverse", "--no-renames", "--name-only", "-z", "--format=%x01%H%x00%s",
            "--end-of-options", revision_range, "--",
        ],
        root,
    )  # fmt: skip
    found: list[CommitPaths] = []
    for chunk in completed.stdout.split(b"\x01")[1:]:
        parts = chunk.split(b"\0")
        sha = parts[0].decode("ascii", "replace")
        subject = parts[1].decode("utf-8", "replace") if len(parts) > 1 else ""
        paths = tuple(
            part.lstrip(b"\n").decode("utf-8", "surrogateescape")
            for part in parts[2:]
            if part.strip(b"\n")
        )
        found.append(CommitPaths(sha, subject, paths))
    return found


def tree_paths(root: Path, revision: str) -> list[str]:
    """Every file path in ``revision``'s tree, relative to the top level."""
    completed = run_git(
        ["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", revision], root
    )
    return split_z(completed.stdout)


def read_blobs(root: Path, revision: str, paths: list[str]) -> dict[str, bytes]:
    """The content of ``paths`` in ``revision`` (one ``git cat-file --batch``); paths that are
    not files there are left out."""
    if not paths:
        return {}
    wanted = [path for path in paths if "\n" not in path]
    request = "".join(f"{revision}:{path}\n" for path in wanted).encode("utf-8", "surrogateescape")
    output = run_git(["cat-file", "--batch"], root, input_bytes=request).stdout
    found: dict[str, bytes] = {}
    position = 0
    for path in wanted:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[path] = output[position : position + size]
            position += size + 1
        elif len(header) == 3:
            position += int(header[2]) + 1
    return found
