"""The folders sdd is about to create files in, checked before anything is written.

``fileio`` creates missing folders as it writes; a folder on the way that exists as a file (or
a link to nothing) would stop it half way with an OS error. Commands that create files call
``require_folders`` first, so that they refuse cleanly, naming the path, with nothing written.
"""

from __future__ import annotations

from pathlib import Path

from sdd.base.errors import RefusedError
from sdd.project.project import Project


def require_folders(project: Project, folder: Path) -> None:
    """Refuse (``RefusedError``) when ``folder``, or a folder between it and the project root,
    exists as something other than a folder, or leads out of the project through a symlink."""
    from sdd.base.paths import ensure_inside

    ensure_inside(folder, project.root)
    for path in (folder, *folder.parents):
        if path == project.root or path.is_dir():
            return
        if path.exists() or path.is_symlink():
            raise RefusedError(
                f"{project.rel(path)} is a file where sdd needs a folder; move it away "
                "(nothing was written)"
            )
