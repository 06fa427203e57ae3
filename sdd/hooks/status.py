"""``sdd hooks status``: which of sdd's hooks are installed, current or outdated, and what
they chain."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sdd.hooks.install import HookTarget, render_script
from sdd.hooks.scripts import KEPT_SUFFIX, is_present, read_head, script_location, script_python

SCHEMA = "sdd.hooks-status/1"


@dataclass(frozen=True)
class HookStatus:
    """``state``: ``installed`` (sdd's current script runs), ``outdated`` (sdd's script from
    another version, interpreter or folder layout), ``foreign`` (someone else's hook and no
    sdd script), ``absent``. ``script`` is where sdd's script is: the hook itself, or
    ``<hook>.legacy`` when pre-commit (the framework) was installed over it and chains it."""

    hook: str
    state: str
    path: Path
    script: Path | None
    kept: Path | None
    python: str | None
    python_exists: bool | None

    def as_dict(self) -> dict[str, object]:
        return {
            "hook": self.hook,
            "state": self.state,
            "path": str(self.path),
            "script": str(self.script) if self.script else None,
            "kept": str(self.kept) if self.kept else None,
            "python": self.python,
            "python_exists": self.python_exists,
        }


@dataclass(frozen=True)
class HooksStatus:
    """Every hook's state in the folder git runs hooks from; ``python``: the interpreter
    install would name now (None when the configuration is broken)."""

    hooks_dir: Path
    python: str | None
    hooks: tuple[HookStatus, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": SCHEMA,
            "hooks_dir": str(self.hooks_dir),
            "python": self.python,
            "hooks": [state.as_dict() for state in self.hooks],
        }


def status(folder: Path, hooks: Sequence[str], target: HookTarget | None) -> HooksStatus:
    """The state of each hook; ``target`` (what install would write now) tells outdated
    scripts from current ones."""
    found: list[HookStatus] = []
    for hook in hooks:
        hook_path = folder / hook
        kept = folder / (hook + KEPT_SUFFIX)
        location = script_location(hook_path)
        python = script_python(location) if location else None
        if location is None:
            state = "foreign" if is_present(hook_path) else "absent"
        elif target is not None and read_head(location) != render_script(hook, target):
            state = "outdated"
        else:
            state = "installed"
        found.append(
            HookStatus(
                hook=hook,
                state=state,
                path=hook_path,
                script=location,
                kept=kept if is_present(kept) else None,
                python=python,
                python_exists=os.access(python, os.X_OK) if python else None,
            )
        )
    return HooksStatus(folder, target.python if target else None, tuple(found))
