"""Where Prompt History Records are: the record files under the prompts folder, found without
reading them (``sdd.phr.record`` reads them; ``sdd.overview.status`` only counts them, so this
module stays cheap to import).

Every file under the prompts folder is taken for a record: sdd names them ``*.prompt.md``,
kits and agents also ``*.phr``, ``*.phr.md``, ``YYYYMMDD-slug.md``, ``NNN-slug.md`` or
``PHR-00N-slug.md``, and the checker reports a file it cannot read as one (``is_record_file``
tells the names sdd would write from the rest). Only dot files (``.gitkeep``) and folders
are passed over: records are found at any depth, in name order; folders whose name starts
with a dot, and links to folders, are not entered. The folder directly under the prompts
folder is a record's route.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SUFFIX = ".prompt.md"
LEGACY_SUFFIX = ".phr"
KIT_SUFFIXES = (SUFFIX, ".phr.md", LEGACY_SUFFIX, ".md")


def is_record_file(name: str) -> bool:
    """Whether the name is one a record is given (``*.prompt.md``, ``*.phr``, ``*.md``)."""
    return name.endswith(KIT_SUFFIXES) and not name.startswith(".")


RecordEntry = tuple[str, str, str, str | None, bool, bool]


def record_entries(folder: str, route: str | None) -> list[RecordEntry]:
    """(folder, its path below ``folder``, file name, route, whether the file is a link,
    whether it is a regular file) of each record file in ``folder`` and below it."""
    found: list[RecordEntry] = []
    _collect(folder, route, "", found)
    return found


def _collect(folder: str, route: str | None, within: str, found: list[RecordEntry]) -> None:
    files: list[tuple[str, bool, bool]] = []
    subfolders: list[str] = []
    try:
        with os.scandir(folder) as scan:
            for entry in scan:
                name = entry.name
                if entry.is_dir():
                    if not name.startswith(".") and not entry.is_symlink():
                        subfolders.append(name)
                elif not name.startswith("."):
                    files.append((name, entry.is_symlink(), entry.is_file()))
    except OSError:  # missing, not a folder, or unreadable
        return
    files.sort()
    found.extend((folder, within, name, route, link, regular) for name, link, regular in files)
    for name in sorted(subfolders):
        _collect(os.path.join(folder, name), route or name, f"{within}{name}/", found)


def route_records(prompts: Path, routes: Iterable[str]) -> dict[str, list[str]]:
    """The record files under each of ``routes`` (folders under ``prompts``), as paths
    relative to the route folder."""
    try:
        with os.scandir(prompts) as scan:
            folders = {entry.name for entry in scan if entry.is_dir() and not entry.is_symlink()}
    except OSError:
        folders = set()
    return {
        route: [
            within + name
            for _, within, name, _, _, _ in record_entries(os.path.join(prompts, route), route)
        ]
        if route in folders
        else []
        for route in routes
    }
