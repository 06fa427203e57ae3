"""The journal an ``sdd adr renumber`` keeps while it renames records, until it has finished.

Apart from ``sdd.adr.renumber`` so that validation, which reports an interrupted renumbering
(ADR014), need not import the renumbering machinery to look for the file.
"""

from __future__ import annotations

from pathlib import Path

JOURNAL = ".sdd-renumber.json"


def pending_journal(adr_folder: Path) -> Path | None:
    """The journal of an interrupted renumbering, when there is one."""
    journal = adr_folder / JOURNAL
    return journal if journal.is_file() else None
