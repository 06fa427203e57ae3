"""``sdd hooks``: install, remove and inspect sdd's git hooks without ever clobbering one.

* The hooks folder is whatever git runs hooks from (``git rev-parse --git-path hooks``), so
  ``core.hooksPath`` (husky and similar) and linked worktrees work.
* sdd's scripts carry ``MARKER``; anything without it is someone else's hook. Such a hook is
  kept as ``<hook>.sdd-legacy`` (bytes, mode and symlinks untouched) and run first by sdd's
  script, under its own name (shell hooks see ``$0`` naming the hook, as husky and
  lefthook need); uninstalling puts it back. The user's hook is in place at every instant:
  it is first hard-linked to the kept name, then sdd's script, written beside it, replaces it
  with one rename. A crash in between leaves the hook in place and a duplicate that the next
  install or uninstall recognises.
* In a hooks folder shared through the repository (``core.hooksPath=.husky``) the scripts
  name no interpreter of this machine: they find sdd on each machine (``$SDD_PYTHON``, the
  ``sdd`` on PATH, ``python3``) and say so when none has it.
* pre-commit (the framework) keeps the hook it replaces as ``<hook>.legacy``: sdd uses another
  suffix, so that either tool can be installed over the other and both still run.
* Installing twice changes nothing; a script from another sdd version, interpreter or set of
  artifact folders is rewritten in place.
* ``force`` only settles a conflict over ``<hook>.sdd-legacy`` (a kept hook is already there and
  the foreign hook in place would need that name): the stale kept file is overwritten. The hook
  in place is always kept.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from sdd.base import gitio
from sdd.base.errors import GitError, RefusedError, UsageError
from sdd.base.fileio import locked
from sdd.hooks.folders import folders_digest as folders_digest
from sdd.hooks.folders import repository_pathspecs as repository_pathspecs
from sdd.hooks.scripts import (
    KEPT_SUFFIX,
    MARKER,
    READ_LIMIT,
    is_present,
    is_sdd_script,
    read_head,
    script_location,
)

if TYPE_CHECKING:
    from sdd.project.project import Project

HOOKS = ("pre-commit", "post-commit", "pre-push")
TEMPLATE = "hooks/git-hook.sh"
# Seconds sdd's part of a hook may take before git goes on without it (SDD_HOOK_TIMEOUT).
HOOK_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class HookTarget:
    """What sdd's scripts name: the interpreter, the project and its artifact folders."""

    python: str  # empty in a shared hooks folder: each machine finds its own sdd
    project_rel: str
    pathspecs: tuple[str, ...]
    shared: bool = False

    @property
    def folders_digest(self) -> str:
        return folders_digest(self.pathspecs)


@dataclass(frozen=True)
class HookChange:
    """What install or uninstall did to one hook.

    ``action``: ``installed``, ``chained`` (installed; the hook found there was kept),
    ``updated``, ``unchanged``; ``removed``, ``restored`` (removed; the kept hook is back),
    ``absent`` (nothing of sdd's there), ``foreign`` (not sdd's: left alone).
    """

    hook: str
    action: str
    path: Path
    kept: Path | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "hook": self.hook,
            "action": self.action,
            "path": str(self.path),
            "kept": str(self.kept) if self.kept else None,
        }


@dataclass(frozen=True)
class HooksResult:
    """What ``uninstall`` did to each hook."""

    hooks_dir: Path
    changes: tuple[HookChange, ...]
    schema: ClassVar[str] = "sdd.hooks-uninstall/1"

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": self.schema,
            "hooks_dir": str(self.hooks_dir),
            "hooks": [change.as_dict() for change in self.changes],
        }


@dataclass(frozen=True)
class InstallResult(HooksResult):
    """What ``install`` did to each hook, and the interpreter its scripts name."""

    python: str = ""
    schema: ClassVar[str] = "sdd.hooks-install/1"

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "python": self.python}


def choose(names: Sequence[str] | None) -> tuple[str, ...]:
    """The hooks a command works on: the names given (checked), else all of ``HOOKS``."""
    if not names:
        return HOOKS
    unknown = [name for name in names if name not in HOOKS]
    if unknown:
        raise UsageError(f"unknown hook {unknown[0]!r}; sdd provides: {', '.join(HOOKS)}")
    return tuple(dict.fromkeys(names))


def require_repository(root: Path) -> Path:
    """The top level of the work tree holding ``root``; ``GitError`` outside a repository."""
    top = gitio.toplevel(root)
    if top is None:
        raise GitError(
            f"{root} is not inside a git repository; git hooks need one",
            hint="run 'git init' first",
        )
    return top.resolve()


def is_shared_folder(folder: Path, top: Path) -> bool:
    """Whether git runs hooks from a folder inside the work tree (tracked and shared with the
    team, as ``.husky``), rather than from the repository's own ``.git``."""
    real = folder.resolve()
    real_top = top.resolve()
    return real.is_relative_to(real_top) and ".git" not in real.relative_to(real_top).parts


def target_for(project: Project, *, python: str | None = None) -> HookTarget:
    """The scripts for ``project``, run by ``python`` (default: this interpreter, by its
    absolute path, symlinks kept so that a virtualenv stays a virtualenv). In a shared hooks
    folder no interpreter is recorded unless one is given."""

    top = require_repository(project.root)
    shared = is_shared_folder(gitio.hooks_dir(project.root), top)
    chosen = python if python is not None else ("" if shared else sys.executable)
    if chosen is None or (not chosen and not shared):
        raise UsageError("cannot tell which Python is running sdd; pass the interpreter")
    relative = project.root.resolve().relative_to(top).as_posix()
    return HookTarget(
        python=os.path.abspath(chosen) if chosen else "",
        project_rel=relative,
        pathspecs=repository_pathspecs(project, top),
        shared=shared,
    )


def render_script(hook: str, target: HookTarget) -> str:
    from sdd import __version__
    from sdd.base import templates

    script = templates.render(
        TEMPLATE,
        {
            "marker": MARKER,
            "version": __version__,
            "hook": hook,
            "kept_suffix": KEPT_SUFFIX,
            "python": shlex.quote(target.python) if target.python else "",
            "timeout": HOOK_TIMEOUT_SECONDS,
            "project": shlex.quote(target.project_rel),
            "folders": target.folders_digest,
            "pathspecs": " ".join(shlex.quote(spec) for spec in target.pathspecs),
        },
    )
    if MARKER not in script.splitlines()[1]:
        raise RefusedError(f"the hook template {TEMPLATE} lost its marker line; reinstall sdd")
    return script


def _write_script(path: Path, content: str) -> None:
    from sdd.base.fileio import write_atomic

    write_atomic(path, content, mode=0o755)


def _refuse_if_in_the_way(folder: Path, hook: str, force: bool) -> None:
    """``RefusedError`` when the hook cannot be installed without losing a file: checked for
    every hook before any is changed."""
    hook_path = folder / hook
    kept = folder / (hook + KEPT_SUFFIX)
    if script_location(hook_path) is not None:
        return
    if hook_path.is_dir():
        raise RefusedError(
            f"{hook_path} is a folder; git cannot run it and sdd will not touch it; "
            "nothing was changed"
        )
    if (
        is_present(hook_path)
        and is_present(kept)
        and not force
        and not is_sdd_script(kept)
        and not _is_crash_duplicate(hook_path, kept)
    ):
        raise RefusedError(
            f"{hook_path} is not sdd's and {kept.name} (a hook sdd kept earlier) is in the "
            f"way; nothing was changed",
            hint=f"look at both; move {kept.name} away, or pass --force to replace it "
            f"with the current {hook} (which is then kept and run first)",
        )


def _is_crash_duplicate(hook_path: Path, kept: Path) -> bool:
    """Whether ``kept`` is the same hook as the one in place: the hard link an interrupted
    install made, or a copy byte for byte (a hook manager rewrote the hook sdd had replaced)."""
    try:
        hook_stat = os.stat(hook_path, follow_symlinks=False)
        kept_stat = os.stat(kept, follow_symlinks=False)
        if os.path.samestat(hook_stat, kept_stat):
            return True
        if hook_path.is_symlink() and kept.is_symlink():
            return os.readlink(hook_path) == os.readlink(kept)
        if hook_path.is_symlink() or kept.is_symlink() or not hook_path.is_file():
            return False
        return (
            hook_stat.st_size == kept_stat.st_size
            and hook_stat.st_size <= READ_LIMIT
            and hook_path.read_bytes() == kept.read_bytes()
        )
    except OSError:
        return False


def _keep_beside(hook_path: Path, kept: Path) -> None:
    """Give the hook in place a second name, ``kept``, leaving it where it is."""
    try:
        os.link(hook_path, kept, follow_symlinks=False)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # no hard links here: a byte-for-byte copy beside it
    if hook_path.is_symlink():
        os.symlink(os.readlink(hook_path), kept)
        return
    import shutil

    shutil.copy2(hook_path, kept, follow_symlinks=False)


def _install_one(folder: Path, hook: str, content: str) -> HookChange:
    from sdd.base.fileio import write_atomic

    hook_path = folder / hook
    kept = folder / (hook + KEPT_SUFFIX)
    location = script_location(hook_path)
    if location is None and _is_crash_duplicate(hook_path, kept):
        kept.unlink()  # an install killed between its two steps: start again
    kept_or_none = kept if is_present(kept) else None
    if location is not None:
        if read_head(location) == content:
            return HookChange(hook, "unchanged", location, kept_or_none)
        _write_script(location, content)
        return HookChange(hook, "updated", location, kept_or_none)
    if not is_present(hook_path):
        _write_script(hook_path, content)
        return HookChange(hook, "installed", hook_path, kept_or_none)
    if kept_or_none is not None:
        kept.unlink()  # only with --force (checked before): the stale kept file goes
    _keep_beside(hook_path, kept)
    try:
        write_atomic(hook_path, content, mode=0o755)  # one rename over the user's hook
    except BaseException:
        with contextlib.suppress(OSError):
            kept.unlink()
        raise
    return HookChange(hook, "chained", hook_path, kept)


@contextlib.contextmanager
def _file_errors(folder: Path, doing: str, done: list[HookChange]) -> Iterator[None]:
    """An ``OSError`` (a read-only folder, a full disk) as one ``RefusedError`` line that
    says which hooks were already done; each hook changes in one step or not at all."""
    try:
        yield
    except OSError as error:
        if folder.is_symlink() and not folder.exists():
            problem = f"it is a symlink to the missing {os.readlink(folder)}"
        else:
            problem = error.strerror or str(error)
        finished = ", ".join(f"{change.hook} ({change.action})" for change in done)
        raise RefusedError(
            f"cannot {doing} the hooks in {folder}: {problem}; "
            + (f"done before that: {finished}" if finished else "nothing was changed")
        ) from None


def install(
    folder: Path, hooks: Sequence[str], target: HookTarget, *, force: bool = False
) -> InstallResult:
    """Install sdd's script for each of ``hooks`` in ``folder``, chaining what is there."""
    scripts = {hook: render_script(hook, target) for hook in hooks}
    changes: list[HookChange] = []
    # One sdd process at a time changes the folder (``locked`` creates it when missing).
    with _file_errors(folder, "install", changes), locked(folder):
        for hook in hooks:
            _refuse_if_in_the_way(folder, hook, force)
        for hook in hooks:
            changes.append(_install_one(folder, hook, scripts[hook]))
    return InstallResult(folder, tuple(changes), target.python)


def _uninstall_one(folder: Path, hook: str) -> HookChange:
    hook_path = folder / hook
    kept = folder / (hook + KEPT_SUFFIX)
    location = script_location(hook_path)
    if location is None:
        if _is_crash_duplicate(hook_path, kept):
            kept.unlink()  # an interrupted install: the user's hook is in place already
            return HookChange(hook, "foreign", hook_path, None)
        if not is_present(hook_path) and is_present(kept):
            os.replace(kept, hook_path)  # sdd's script is gone but the kept hook is not
            return HookChange(hook, "restored", hook_path, None)
        action = "foreign" if is_present(hook_path) else "absent"
        return HookChange(hook, action, hook_path, kept if is_present(kept) else None)
    if is_present(kept):
        os.replace(kept, location)  # one atomic step: sdd's script out, the kept hook back
        return HookChange(hook, "restored", location, None)
    location.unlink()
    return HookChange(hook, "removed", location, None)


def uninstall(folder: Path, hooks: Sequence[str]) -> HooksResult:
    """Remove sdd's scripts; put back, byte for byte, the hooks they had replaced."""
    if not folder.is_dir():
        return HooksResult(folder, tuple(HookChange(h, "absent", folder / h) for h in hooks))
    changes: list[HookChange] = []
    with _file_errors(folder, "uninstall", changes), locked(folder):
        for hook in hooks:
            changes.append(_uninstall_one(folder, hook))
    return HooksResult(folder, tuple(changes))
