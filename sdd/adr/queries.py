"""Questions asked of loaded records: the one numbered N (readable or not), those of a status,
the width of their numbers, the sections still to be completed; and the ``sdd adr list --json``
document."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from sdd.adr.record import ADR_FILE, DEFAULT_WIDTH, STATUSES, TO_BE_COMPLETED, Adr, is_dated
from sdd.base.errors import ParseError, UsageError

_UNFINISHED = re.compile(r"^\s*[*_]*\s*" + re.escape(TO_BE_COMPLETED), re.IGNORECASE)


def find(adrs: Sequence[Adr], number: int) -> Adr:
    """The one ADR numbered ``number``; ``UsageError`` when none or several."""
    matches = [adr for adr in adrs if adr.number == number]
    if not matches:
        known = ", ".join(str(a.number) for a in adrs[:20]) or "none"
        raise UsageError(f"no ADR numbered {number} (ADRs: {known})")
    if len(matches) > 1:
        names = ", ".join(a.path.name for a in matches)
        raise UsageError(
            f"{len(matches)} ADRs share number {number}: {names}",
            hint="run 'sdd adr renumber' to give the later one a free number",
        )
    return matches[0]


def width_of(adr: Adr) -> int:
    """How many digits the number in ``adr``'s file name has (at least 3), for new references."""
    match = None if is_dated(adr.path) else ADR_FILE.match(adr.path.name)
    return max(3, len(match.group("number"))) if match else DEFAULT_WIDTH


def unfinished_sections(adr: Adr) -> tuple[tuple[str, int], ...]:
    """(heading, line) of each section that still holds a "To be completed:" line."""
    found: list[tuple[str, int]] = []
    heading: tuple[str, int] | None = None
    fence = False
    for offset, line in enumerate(adr.body.splitlines()):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        if stripped.startswith("#"):
            heading = (stripped.lstrip("#").strip(), adr.body_line + offset)
            continue
        if heading is not None and _UNFINISHED.match(line) and heading not in found:
            found.append(heading)
    return tuple(found)


def with_status(adrs: Sequence[Adr], status: str | None) -> list[Adr]:
    """The records of ``status`` (any case), all of them without one; ``UsageError`` for a
    status sdd does not know."""
    if status is None:
        return list(adrs)
    wanted = status.strip().lower()
    if wanted not in STATUSES:
        raise UsageError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    return [record for record in adrs if record.status == wanted]


def readable(adrs: Sequence[Adr], number: int, shown: Callable[[Path], str]) -> Adr:
    """ADR ``number``, refused (``ParseError``) when its file could not be read at all."""
    record = find(adrs, number)
    for problem in record.problems:
        if problem.kind == "unreadable":
            raise ParseError(f"cannot read the record: {problem.message}", path=shown(record.path))
    return record


def list_document(adrs: Sequence[Adr], root: Path) -> dict[str, object]:
    """The ``sdd adr list --json`` document."""
    return {"schema": "sdd.adr-list/1", "adrs": [adr.as_dict(root) for adr in adrs]}
