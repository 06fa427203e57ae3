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
from collections.abc import Iterable, Iterator
from pathlib import Path

SUFFIX = ".prompt.md"
LEGACY_SUFFIX = ".phr"
KIT_SUFFIXES = (SUFFIX, ".phr.md", LEGACY_SUFFIX, ".md")


NOT_RECORDS = frozenset({"readme.md", "index.md"})


def is_record_file(name: str) -> bool:
    """Whether a file under the prompts folder is read as a record: a Markdown or ``.phr``
    file (``*.prompt.md``, ``*.phr``, ``*.md``), not a README or index of the folder."""
    return name.endswith(KIT_SUFFIXES) and name.lower() not in NOT_RECORDS


RecordEntry = tuple[str, str, str, str | None, bool, bool]


def record_entries(folder: str, route: str | None) -> Iterator[RecordEntry]:
    """(folder, its path below ``folder``, file name, route, whether the file is a link,
    whether it is a regular file) of each record file in ``folder`` and below it, one folder
    at a time: what is held is one folder's listing, however many records there are."""
    return _walk(folder, route, "")


def _walk(folder: str, route: str | None, within: str) -> Iterator[RecordEntry]:
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
    for name, link, regular in files:
        yield folder, within, name, route, link, regular
    for name in sorted(subfolders):
        yield from _walk(os.path.join(folder, name), route or name, f"{within}{name}/")


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
            if is_record_file(name)
        ]
        if route in folders
        else []
        for route in routes
    }
