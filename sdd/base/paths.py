"""Safe joining of paths that come from input (titles, feature names, config, arguments).

A path from input may never leave the project: absolute paths, ``..`` segments and symlinks
that resolve outside the project root are refused with ``UnsafePathError``.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from sdd.base.errors import UnsafePathError


def relative_parts(relative: str) -> tuple[str, ...]:
    """The segments of a relative path from input; ``UnsafePathError`` if it could escape."""
    if "\x00" in relative:
        raise UnsafePathError(f"path {relative!r} contains a NUL byte")
    if (
        PurePosixPath(relative).is_absolute()
        or PureWindowsPath(relative).is_absolute()
        or PureWindowsPath(relative).drive
    ):
        raise UnsafePathError(f"path {relative!r} is absolute; give a path inside the project")
    parts = tuple(part for part in relative.replace("\\", "/").split("/") if part not in ("", "."))
    if ".." in parts:
        raise UnsafePathError(f"path {relative!r} contains '..'; give a path inside the project")
    return parts


def is_within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def safe_join(root: Path, *relatives: str) -> Path:
    """Join ``relatives`` under ``root``, refusing anything that would end up outside it.

    Existing symlinks along the way are resolved: one that points out of the project is
    refused, one that stays inside is allowed.
    """
    parts: list[str] = []
    for relative in relatives:
        parts.extend(relative_parts(relative))
    candidate = root.joinpath(*parts)
    ensure_inside(candidate, root)
    return candidate


def ensure_inside(path: Path, root: Path) -> Path:
    """Raise ``UnsafePathError`` unless ``path`` (symlinks resolved) lies inside ``root``."""
    real_root = root.resolve()
    real = path.resolve()
    if not is_within(real, real_root):
        shown = path.relative_to(root) if is_within(path, root) else path
        raise UnsafePathError(f"{shown} leads outside the project (to {real}); refusing to use it")
    return path


def relative_posix(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes, or as given when outside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def user_cache_folder() -> Path | None:
    """sdd's folder in the user's cache (``$XDG_CACHE_HOME/sdd``, else ``~/.cache/sdd``), or None
    without an absolute cache or home folder: a relative one would land inside whatever folder
    sdd happens to run in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "sdd"
