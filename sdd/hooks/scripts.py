"""sdd's hook scripts as found in a hooks folder: the marker that tells them from anyone
else's, where one sits (in place, or behind pre-commit the framework as ``<hook>.legacy``) and
the interpreter it names. Installing (``sdd.hooks.install``) and reporting
(``sdd.hooks.status``) both recognise scripts through this module."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

MARKER = "# sdd-managed-hook"
KEPT_SUFFIX = ".sdd-legacy"
# Where pre-commit (the framework) keeps the hook it replaced; sdd's script may sit there.
OTHER_MANAGER_SUFFIX = ".legacy"
READ_LIMIT = 64 * 1024
_PYTHON_LINE = re.compile(r"^python=(.*)$", re.MULTILINE)


def read_head(path: Path) -> str | None:
    """The start of a regular file as text; None for symlinks, folders and missing files."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read(READ_LIMIT).decode("utf-8", "replace")
    except OSError:
        return None


def is_sdd_script(path: Path) -> bool:
    head = read_head(path)
    return head is not None and any(line.startswith(MARKER) for line in head.splitlines()[:5])


def script_python(path: Path) -> str | None:
    head = read_head(path) or ""
    match = _PYTHON_LINE.search(head)
    if match is None:
        return None
    try:
        words = shlex.split(match.group(1))
    except ValueError:
        return None
    return words[0] if words and words[0] else None


def is_present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def script_location(hook_path: Path) -> Path | None:
    """Where sdd's script for this hook is, if anywhere."""
    if is_sdd_script(hook_path):
        return hook_path
    behind = hook_path.with_name(hook_path.name + OTHER_MANAGER_SUFFIX)
    if is_present(hook_path) and is_sdd_script(behind):
        return behind
    return None
