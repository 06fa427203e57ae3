"""Changing an ADR's status and its supersede links, in the record's own format.

``sdd`` and MADR 3 records are edited in their front matter; Spec-Kit Plus bullets, adr-tools
``## Status`` sections and MADR 2 bullets are edited on their own lines, so a record keeps the
shape its author gave it. Both ends of a supersede link are updated together.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sdd.adr.index import refresh_index
from sdd.adr.queries import find, unfinished_sections, width_of
from sdd.adr.record import STATUSES, Adr, load_adrs, read_adr
from sdd.base import frontmatter
from sdd.base.errors import ParseError, UsageError
from sdd.base.fileio import locked, write_atomic
from sdd.base.paths import relative_posix


def _format_numbers(numbers: Sequence[int]) -> str:
    if not numbers:
        return "null"
    if len(numbers) == 1:
        return str(numbers[0])
    return "[" + ", ".join(str(n) for n in numbers) + "]"


def _set_front_matter_key(text: str, key: str, value: str) -> str:
    """Replace (or add before the closing ``---``) one top-level key of the front matter."""
    lines = text.splitlines(keepends=True)
    document = frontmatter.split(text)
    if not document.closed:
        raise UsageError("the record has no closed front matter to edit")
    end = document.body_line - 2  # the closing line
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    index = 1
    while index < end:
        if pattern.match(lines[index]):
            # Drop the value's continuation lines (a block list).
            stop = index + 1
            while stop < end and (
                lines[stop].startswith((" ", "\t", "-"))
                and not re.match(r"^[\w-]+\s*:", lines[stop])
            ):
                stop += 1
            lines[index:stop] = [f"{key}: {value}{newline}"]
            return "".join(lines)
        index += 1
    lines.insert(end, f"{key}: {value}{newline}")
    return "".join(lines)


def _replace_line(text: str, line_number: int, new_line: str) -> str:
    lines = text.splitlines(keepends=True)
    old = lines[line_number - 1]
    ending = "\r\n" if old.endswith("\r\n") else "\n" if old.endswith("\n") else ""
    lines[line_number - 1] = new_line + ending
    return "".join(lines)


def _insert_after(text: str, line_number: int, new_line: str) -> str:
    lines = text.splitlines(keepends=True)
    ending = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if line_number - 1 < len(lines) and not lines[line_number - 1].endswith(("\n", "\r\n")):
        lines[line_number - 1] += ending
    lines.insert(line_number, new_line + ending)
    return "".join(lines)


def _link_text(target: Adr, from_folder: Path) -> str:
    return f"[{target.number}. {target.title}]({os.path.relpath(target.path, from_folder)})"


def ensure_editable(adr: Adr) -> None:
    """``ParseError`` naming the first problem of a record that could not be read in full."""
    if adr.problems:
        problem = adr.problems[0]
        raise ParseError(
            f"cannot edit the record: {problem.message}",
            path=adr.path,
            line=problem.line,
            hint="fix the record by hand, then run the command again",
        )


def rewrite_status(adr: Adr, status: str, superseded_by: Sequence[Adr] = ()) -> str:
    """The text of ``adr`` with its status (and superseded-by links) set, format preserved."""
    ensure_editable(adr)
    numbers = [target.number for target in superseded_by]
    text = adr.text
    if adr.front_matter is not None and adr.format in ("sdd", "madr"):
        if adr.format == "madr" and numbers:
            label = ", ".join(f"ADR-{n:04d}" for n in numbers)
            return _set_front_matter_key(text, "status", f'"superseded by {label}"')
        text = _set_front_matter_key(text, "status", status)
        if adr.format == "sdd" or "superseded_by" in (adr.front_matter or {}):
            text = _set_front_matter_key(text, "superseded_by", _format_numbers(numbers))
        return text
    if adr.status_text is None:
        raise UsageError(f"cannot find the status of {adr.path.name}; edit it by hand")
    line = text.splitlines()[adr.status_line - 1]
    if adr.format == "adr-tools":
        if numbers:
            new_value = "Superseded by " + ", ".join(
                _link_text(t, adr.path.parent) for t in superseded_by
            )
        else:
            new_value = status.capitalize()
        indent = line[: len(line) - len(line.lstrip())]
        return _replace_line(text, adr.status_line, indent + new_value)
    value = status.capitalize()
    if numbers:
        value = "Superseded by " + ", ".join(f"ADR-{n:0{width_of(adr)}d}" for n in numbers)
    start = line.find(adr.status_text) if adr.status_text else -1
    if start < 0:
        raise UsageError(f"cannot find the status of {adr.path.name}; edit it by hand")
    return _replace_line(
        text, adr.status_line, line[:start] + value + line[start + len(adr.status_text) :]
    )


def rewrite_supersedes(adr: Adr, numbers: Sequence[int], targets: Sequence[Adr]) -> str:
    """The text of ``adr`` with its ``supersedes`` links set to ``numbers``."""
    ensure_editable(adr)
    text = adr.text
    if adr.front_matter is not None and adr.format == "sdd":
        return _set_front_matter_key(text, "supersedes", _format_numbers(list(numbers)))
    if adr.front_matter is not None and adr.format == "madr":
        if "supersedes" in adr.front_matter or numbers:
            return _set_front_matter_key(text, "supersedes", _format_numbers(list(numbers)))
        return text
    lines = text.splitlines()
    existing = [
        index + 1
        for index, line in enumerate(lines)
        if re.match(r"^\s*(?:[-*+]\s*)?(?:\*\*|__)?Supersedes\b", line, re.IGNORECASE)
    ]
    width = width_of(adr)
    if adr.format == "adr-tools":
        new_line = (
            "Supersedes " + ", ".join(_link_text(t, adr.path.parent) for t in targets)
            if targets
            else ""
        )
    else:
        new_line = (
            "- **Supersedes:** " + ", ".join(f"ADR-{n:0{width}d}" for n in numbers)
            if numbers
            else ""
        )
    if existing:
        if new_line:
            return _replace_line(text, existing[0], new_line)
        kept = [
            line
            for index, line in enumerate(text.splitlines(keepends=True))
            if index + 1 != existing[0]
        ]
        return "".join(kept)
    if not new_line:
        return text
    if adr.status_text is None:
        raise UsageError(
            f"cannot find where to record 'Supersedes' in {adr.path.name}; edit it by hand"
        )
    if adr.format == "adr-tools":
        return _insert_after(text, adr.status_line, "\n" + new_line)
    return _insert_after(text, adr.status_line, new_line)


@dataclass(frozen=True)
class StatusChange:
    path: Path
    number: int
    before: str | None
    after: str | None
    supersedes: tuple[int, ...]
    superseded_by: tuple[int, ...]
    unfinished: tuple[str, ...] = ()

    def as_dict(self, root: Path) -> dict[str, object]:
        return {
            "path": relative_posix(self.path, root),
            "id": self.number,
            "before": self.before,
            "after": self.after,
            "supersedes": list(self.supersedes),
            "superseded_by": list(self.superseded_by),
            "unfinished": list(self.unfinished),
        }


def status_document(changes: Sequence[StatusChange], root: Path) -> dict[str, object]:
    """The ``sdd adr status --json`` document."""
    return {"schema": "sdd.adr-status/1", "changed": [c.as_dict(root) for c in changes]}


def change_status(
    adrs: Sequence[Adr], number: int, status: str, by: int | None = None
) -> list[StatusChange]:
    """Set ADR ``number``'s status; ``superseded`` needs ``by`` and updates both records' links.

    Leaving ``superseded`` removes the old links from both records.
    """
    status = status.strip().lower()
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    target = find(adrs, number)
    if status == "superseded":
        if by is None:
            raise UsageError("'superseded' needs --by M: the ADR that supersedes this one")
        if by == number:
            raise UsageError("an ADR cannot supersede itself")
        successor = find(adrs, by)
    elif by is not None:
        raise UsageError("--by only goes with the status 'superseded'")
    else:
        successor = None
    writes: list[tuple[Adr, str]] = []
    if successor is not None:
        writes.append((target, rewrite_status(target, status, [successor])))
        links = tuple(dict.fromkeys([*successor.supersedes, number]))
        if links != successor.supersedes:
            partners = [a for a in adrs if a.number in links]
            writes.append((successor, rewrite_supersedes(successor, links, partners)))
    else:
        writes.append((target, rewrite_status(target, status, [])))
    # Former successors no longer supersede this record.
    for old in target.superseded_by:
        previous = next((a for a in adrs if a.number == old), None)
        if old == by or previous is None or number not in previous.supersedes:
            continue
        remaining = [n for n in previous.supersedes if n != number]
        partners = [a for a in adrs if a.number in remaining]
        writes.append((previous, rewrite_supersedes(previous, remaining, partners)))
    changes = []
    for adr, new_text in writes:
        if new_text != adr.text:
            write_atomic(adr.path, new_text)
        after = read_adr(adr.path, adr.number)
        changes.append(
            StatusChange(
                adr.path,
                adr.number,
                adr.status,
                after.status,
                after.supersedes,
                after.superseded_by,
                tuple(n for n, _ in unfinished_sections(after)) if adr.path == target.path else (),
            )
        )
    refresh_index(target.path.parent)
    return changes


def change_status_in(
    folder: Path, number: int, status: str, by: int | None = None
) -> list[StatusChange]:
    """``change_status`` on the records of ``folder``, read and written under the folder's
    lock: concurrent status changes (each editing two records) never lose an update."""
    with locked(folder):
        return change_status(load_adrs(folder), number, status, by)


def link_supersedes_in(folder: Path, new: Adr, old_numbers: Sequence[int]) -> list[Path]:
    """``link_supersedes`` on the records of ``folder``, read and written under its lock."""
    with locked(folder):
        return link_supersedes(load_adrs(folder), new, old_numbers)


def link_supersedes(adrs: Sequence[Adr], new: Adr, old_numbers: Sequence[int]) -> list[Path]:
    """After creating ``new`` with ``supersedes``: mark each old ADR superseded by it."""
    written = []
    for old_number in old_numbers:
        old = find(adrs, old_number)
        by = list(dict.fromkeys([*(n for n in old.superseded_by if n != new.number), new.number]))
        known = {a.path: a for a in [*adrs, new]}
        targets = [a for a in known.values() if a.number in by]
        new_text = rewrite_status(old, "superseded", targets)
        if new_text != old.text:
            write_atomic(old.path, new_text)
            written.append(old.path)
    return written
