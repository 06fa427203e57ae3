"""Where a repository keeps its ADRs, and what an ADR file is named (ADR 0175).

Teams keep ADRs where their tool put them: sdd's ``adr/``, Spec-Kit Plus's ``history/adr/``,
adr-tools' ``doc/adr/`` (or the folder its ``.adr-dir`` names), log4brains' and many teams'
``docs/adr/``, MADR's ``docs/decisions/``, and ``docs/architecture/decisions/``. A folder that
holds records wins over one that holds none, so a kit's template implying a folder nobody
created never hides the records kept elsewhere; ``sdd doctor`` names every other folder that
holds records sdd does not read.

The file names are the ones ``sdd.adr.record`` reads: a number (``0001-use-x.md``,
``adr-12-x.md``) or a date (``2026-05-21-use-x.md``, ``adr-2026-05-21-use-x.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ADR_FILE = re.compile(
    r"^(?:adr[-_ ]?)?(?P<number>\d{1,6})(?:[-_ .]+(?P<slug>.*?))?\.md$", re.IGNORECASE
)
# ``adr-2026-05-21-use-x.md``: named by its date, it has no number of its own.
DATED_ADR_FILE = re.compile(
    r"^(?:adr[-_ ]?)?(?P<date>\d{4}-\d{2}-\d{2})(?:[-_ .]+(?P<slug>.*?))?\.md$", re.IGNORECASE
)

SPEC_KIT_PLUS_ADR = "history/adr"
# Folders other tools and common practice keep ADRs in, in the order sdd prefers them when more
# than one holds records (sdd's own first).
KNOWN_ADR_FOLDERS = ("adr", "doc/adr", "docs/adr", "docs/decisions", "docs/architecture/decisions")


def is_adr_name(name: str) -> bool:
    """Whether a file called ``name`` is read as an ADR (README, templates, dotfiles are not)."""
    return not name.startswith(".") and bool(ADR_FILE.match(name) or DATED_ADR_FILE.match(name))


def _records(folder: Path) -> Iterator[Path]:
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return
    for entry in entries:
        if is_adr_name(entry.name) and entry.is_file():
            yield entry


def holds_records(folder: Path) -> bool:
    """Whether ``folder`` holds at least one ADR file (stops at the first)."""
    return next(_records(folder), None) is not None


def count_records(folder: Path) -> int:
    return sum(1 for _ in _records(folder))


def folders_holding_records(root: Path, named: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """(folder relative to ``root``, number of records) of every candidate folder holding
    ADRs: the folders ``named`` (by ``.adr-dir`` or sdd.yaml), ``history/adr`` and the
    ``KNOWN_ADR_FOLDERS``."""
    found = []
    for relative in dict.fromkeys((*named, SPEC_KIT_PLUS_ADR, *KNOWN_ADR_FOLDERS)):
        count = count_records(root / relative)
        if count:
            found.append((relative, count))
    return found
