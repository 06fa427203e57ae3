"""The sdd projects of one repository: every folder holding ``sdd.yaml`` or a kit's layout.

A monorepo keeps a project per part (``backend/``, ``phase2-web/``, …), each with its own
``specs/``, prompts and ADRs. A project is a folder holding ``sdd.yaml``, a spec-kit
``.specify/`` folder, Spec-Kit Plus's ``history/prompts/`` or ``history/adr/``, or adr-tools'
``.adr-dir``. Projects may nest; a path belongs to the innermost project that holds it.

The files are listed through git (``git ls-files --cached --others --exclude-standard``), which
honours ``.gitignore`` and reads no file contents, so a repository of 100,000 files is listed in
tens of milliseconds. Folders such as ``node_modules`` and virtual environments are skipped even
when tracked, and so are template folders and test fixtures (``fixtures``, ``testdata``, a test
suite's ``data``), whose sample projects are not the team's. Outside a git repository the
folders are walked, with the same skips.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from sdd.base import gitio
from sdd.project.adr_folders import SPEC_KIT_PLUS_ADR
from sdd.project.config import CONFIG_FILE
from sdd.project.project import ADR_TOOLS_FILE, Layout, detect_layout

# A file at one of these paths (relative to a folder) makes that folder a project.
MARKER_FILES = (CONFIG_FILE, ADR_TOOLS_FILE)
# A file under one of these folders (relative to a folder) makes that folder a project.
MARKER_FOLDERS = (".specify", "history/prompts", SPEC_KIT_PLUS_ADR)
# Never projects, never walked: dependencies, environments and build output of other tools.
SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "vendor",
        "third_party",
        "site-packages",
        "__pycache__",
        ".tox",
        ".nox",
        "dist",
        "build",
        "target",
        ".next",
        # Sample projects of a test suite and templates of files are data, not projects.
        "templates",
        "fixtures",
        "testdata",
        "__fixtures__",
    }
)


class ProjectEntry(NamedTuple):
    """One project of a repository: its folder relative to the top level ("" for the top)."""

    relative: str
    root: Path
    layout: Layout

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.relative or ".",
            "layout": self.layout.kind,
            "markers": list(self.layout.markers),
        }


def project_folder_of_marker(relative: str) -> str | None:
    """The folder that a file at ``relative`` (posix, top-relative) marks as a project."""
    path = PurePosixPath(relative)
    if path.name in MARKER_FILES:
        return _folder(path.parent)
    text = relative
    for marker in MARKER_FOLDERS:
        needle = marker + "/"
        if text.startswith(needle):
            return ""
        found = text.find("/" + needle)
        if found >= 0:
            return text[:found]
    return None


def _folder(path: PurePosixPath) -> str:
    return "" if str(path) == "." else str(path)


def _skipped(relative: str) -> bool:
    folders = relative.split("/")[:-1]
    if any(part in SKIPPED_FOLDERS for part in folders):
        return True
    return any(
        first in ("tests", "test") and second == "data"
        for first, second in itertools.pairwise(folders)
    )


# The marker files and folders as git pathspecs: git filters a tree of 100,000 files in C and
# hands sdd only the few paths that can mark a project.
_MARKER_PATHSPECS = (
    *(f":(glob)**/{name}" for name in MARKER_FILES),
    *(f":(glob)**/{folder}/**" for folder in MARKER_FOLDERS),
)


def _listed_files(top: Path) -> Iterable[str]:
    if gitio.toplevel(top) is not None:
        return gitio.listed_files(top, _MARKER_PATHSPECS)
    return _walked_files(top)


def _walked_files(top: Path) -> Iterable[str]:
    for folder, folders, files in os.walk(top):
        folders[:] = sorted(name for name in folders if name not in SKIPPED_FOLDERS)
        relative = Path(folder).relative_to(top).as_posix()
        prefix = "" if relative == "." else relative + "/"
        for name in files:
            yield prefix + name


def discover_projects(top: Path) -> list[ProjectEntry]:
    """Every project under ``top``, outermost first, each with the layout found there."""
    top = top.resolve()
    folders: set[str] = set()
    for relative in _listed_files(top):
        if _skipped(relative):
            continue
        folder = project_folder_of_marker(relative)
        if folder is not None:
            folders.add(folder)
    entries = []
    for folder in sorted(folders, key=lambda f: (f.count("/") if f else -1, f)):
        root = top / folder if folder else top
        if root.is_dir() and not root.is_symlink():
            entries.append(ProjectEntry(folder, root, detect_layout(root)))
    return entries


def owning_project(relative: str, projects: Sequence[ProjectEntry]) -> ProjectEntry | None:
    """The innermost project holding ``relative`` (top-relative, posix), if any."""
    best: ProjectEntry | None = None
    for entry in projects:
        inside = not entry.relative or relative.startswith(entry.relative + "/")
        if inside and (best is None or len(entry.relative) > len(best.relative)):
            best = entry
    return best


def _is_project_folder(folder: Path) -> bool:
    return any((folder / name).is_file() for name in MARKER_FILES) or any(
        (folder / name).is_dir() for name in MARKER_FOLDERS
    )


def projects_holding(top: Path, paths: Iterable[str], default: str) -> dict[str, list[str]]:
    """Top-relative ``paths`` grouped by the innermost project folder holding each, found by
    looking for a project's markers in the path's folders (no listing of the repository: the
    pre-commit hook pays a few ``stat`` calls per staged folder). A path that no project marks
    belongs to ``default`` (the project the hook was installed for) when it lies inside it."""
    default = "" if default in ("", ".") else default.strip("/")
    known: dict[str, str | None] = {}

    def owner(folder: str) -> str | None:
        if folder in known:
            return known[folder]
        parts = PurePosixPath(folder).parts
        if any(part in SKIPPED_FOLDERS for part in parts):
            found: str | None = None
        elif _is_project_folder(top / folder if folder else top):
            found = folder
        elif not folder:
            found = None
        else:
            found = owner(_folder(PurePosixPath(folder).parent))
        known[folder] = found
        return found

    groups: dict[str, list[str]] = {}
    for path in paths:
        found = owner(_folder(PurePosixPath(path).parent))
        inside_default = not default or path.startswith(default + "/")
        if inside_default and (found is None or len(found) < len(default)):
            found = default
        if found is not None:
            groups.setdefault(found, []).append(path)
    return groups
