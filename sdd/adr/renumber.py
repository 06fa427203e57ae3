"""Renumbering after a merge brought two ADRs with one number.

The record git added first keeps the number; each later one is renamed to the next free number,
and references to it in other ADRs, PHRs and specs are rewritten: links by file name always,
number-only references (``ADR-0003``, ``supersedes: 3``) only where git shows the referring file
was changed together with the renamed record. Other number-only references are reported as
ambiguous and left unchanged.

Applying is resumable: the final content of every file it touches is written to a journal
(``.sdd-renumber.json`` in the ADR folder) before any file changes, and the next run (after a
crash or kill -9) replays the journal before planning anything new. Replaying is idempotent.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sdd.adr.index import refresh_index
from sdd.adr.journal import JOURNAL as JOURNAL
from sdd.adr.journal import pending_journal as pending_journal
from sdd.adr.queries import width_of
from sdd.adr.record import Adr, load_adrs
from sdd.base.errors import GitError, ParseError, RefusedError
from sdd.base.fileio import locked, read_text, write_atomic
from sdd.base.paths import ensure_inside, is_within, relative_posix


@dataclass(frozen=True)
class Edit:
    path: Path
    line: int
    before: str
    after: str


@dataclass(frozen=True)
class Renumbering:
    old_number: int
    new_number: int
    old_path: Path
    new_path: Path
    kept: Path  # the record that keeps the number


@dataclass(frozen=True)
class RenumberPlan:
    renumberings: tuple[Renumbering, ...]
    edits: tuple[Edit, ...]  # every changed line, the renamed records' own lines included
    ambiguous: tuple[Edit, ...]  # number-only references that may mean any of the records

    @property
    def empty(self) -> bool:
        return not self.renumberings

    def as_dict(self, root: Path, *, dry_run: bool) -> dict[str, object]:
        """The ``sdd adr renumber --json`` document."""

        def rel(path: Path) -> str:
            return relative_posix(path, root)

        return {
            "schema": "sdd.adr-renumber/1",
            "dry_run": dry_run,
            "renumbered": [
                {
                    "from": r.old_number,
                    "to": r.new_number,
                    "old_path": rel(r.old_path),
                    "new_path": rel(r.new_path),
                    "kept": rel(r.kept),
                }
                for r in self.renumberings
            ],
            "edits": [
                {"path": rel(e.path), "line": e.line, "before": e.before, "after": e.after}
                for e in self.edits
            ],
            "ambiguous": [
                {"path": rel(e.path), "line": e.line, "text": e.before} for e in self.ambiguous
            ],
        }


def _age(root: Path, adr: Adr) -> tuple[float, str, str]:
    from sdd.base import gitio

    added: float | None = None
    try:
        if gitio.git_executable() is not None and gitio.toplevel(root) is not None:
            found = gitio.first_added_time(root, adr.path)
            added = float(found) if found is not None else None
    except GitError:
        added = None
    return (added if added is not None else float("inf"), adr.date or "9999", adr.path.name)


def _related_files(root: Path, adr: Adr) -> set[Path] | None:
    from sdd.base import gitio

    try:
        top = gitio.toplevel(root)
        if top is None:
            return None
        return {(top / name).resolve() for name in gitio.files_changed_with(root, adr.path)}
    except GitError:
        return None


def _reference_files(root: Path, folders: Iterable[Path]) -> list[Path]:
    """The Markdown files that may refer to ADRs; files symlinked out of the project are
    neither read nor rewritten."""
    found: dict[Path, None] = {}
    real_root = root.resolve()
    for folder in folders:
        if folder.is_file() and folder.suffix == ".md":
            found[folder] = None
        elif folder.is_dir():
            for path in sorted(folder.rglob("*.md")):
                if path.is_file() and not any(
                    part.startswith(".") for part in path.relative_to(folder).parts
                ):
                    found[path] = None
    return [path for path in found if is_within(path.resolve(), real_root)]


def _bare_patterns(number: int, *, own: bool) -> list[re.Pattern[str]]:
    """Number-only references to ADR ``number``; ``own``: in the record itself (id, heading)."""
    keys = "supersedes|superseded_by|adr" + ("|id" if own else "")
    patterns = [
        re.compile(rf"(?P<prefix>\bADR[-_ ]?)(?P<digits>0*{number})\b", re.IGNORECASE),
        re.compile(
            rf"^(?P<prefix>\s*(?:-\s*)?(?:{keys})\s*:\s*(?:\[[^\]]*?)?)(?P<digits>0*{number})\b"
        ),
    ]
    if own:
        patterns.append(re.compile(rf"^(?P<prefix>#\s+)(?P<digits>0*{number})(?=\.)"))
    return patterns


def _digits_replacer(new_number: int) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return match.group("prefix") + _renumber_digits(match.group("digits"), new_number)

    return replace


def _renumber_digits(digits: str, new_number: int) -> str:
    return (
        f"{new_number:0{max(len(digits), len(str(new_number)))}d}"
        if digits.startswith("0")
        else str(new_number)
    )


def plan_renumber(root: Path, adr_folder: Path, reference_folders: Sequence[Path]) -> RenumberPlan:
    """Give every later record that shares a number with an earlier one the next free number."""
    adrs = load_adrs(adr_folder)
    groups: dict[int, list[Adr]] = {}
    for adr in adrs:
        groups.setdefault(adr.number, []).append(adr)
    next_free = max((a.number for a in adrs), default=0) + 1
    renumberings: list[tuple[Renumbering, Adr]] = []
    for number in sorted(groups):
        group = groups[number]
        if len(group) < 2:
            continue
        ordered = sorted(group, key=lambda a: _age(root, a))
        for later in ordered[1:]:
            width = width_of(later)
            new_path = (
                adr_folder / f"{next_free:0{width}d}-{later.slug}.md"
                if later.slug
                else adr_folder / f"{next_free:0{width}d}.md"
            )
            renumberings.append(
                (Renumbering(number, next_free, later.path, new_path, ordered[0].path), later)
            )
            next_free += 1
    if not renumberings:
        return RenumberPlan((), (), ())
    files = _reference_files(root, [adr_folder, *reference_folders])
    texts: dict[Path, list[str]] = {}
    for path in files:
        try:
            texts[path] = read_text(path).splitlines()
        except (OSError, ParseError):
            continue
    # One line may refer to several renamed records: each renumbering edits the line as the
    # previous ones left it, and the plan holds one edit per line, from original to final.
    changed: dict[tuple[Path, int], str] = {}
    ambiguous: dict[tuple[Path, int], Edit] = {}
    for renumbering, adr in renumberings:
        related = _related_files(root, adr)
        kept_related = _related_files(root, next(a for a in adrs if a.path == renumbering.kept))
        old_name, new_name = renumbering.old_path.name, renumbering.new_path.name
        by_name = re.compile(rf"(?<![\w-]){re.escape(old_name)}(?![\w-])")
        bare_other = _bare_patterns(renumbering.old_number, own=False)
        bare_own = _bare_patterns(renumbering.old_number, own=True)
        replace_digits = _digits_replacer(renumbering.new_number)
        for path, lines in texts.items():
            if path == renumbering.kept:
                continue
            own = path == renumbering.old_path
            resolved = path.resolve()
            certain = own or (
                related is not None
                and resolved in related
                and (kept_related is None or resolved not in kept_related)
            )
            for index, original in enumerate(lines):
                where = (path, index + 1)
                line = changed.get(where, original)
                after = by_name.sub(new_name, line)
                bare_after = after
                for pattern in bare_own if own else bare_other:
                    bare_after = pattern.sub(replace_digits, bare_after)
                if bare_after != after:
                    if certain:
                        after = bare_after
                    else:
                        ambiguous.setdefault(where, Edit(path, index + 1, original, bare_after))
                if after != line:
                    changed[where] = after
    edits = tuple(
        Edit(path, line, texts[path][line - 1], after) for (path, line), after in changed.items()
    )
    return RenumberPlan(tuple(r for r, _ in renumberings), edits, tuple(ambiguous.values()))


def apply_renumber(plan: RenumberPlan) -> None:
    """Rename the records and rewrite the referring lines, resumably.

    Refuses before writing anything when a new name is already taken. The final content of
    every touched file goes to the journal first; then each file is written atomically, each
    renamed record's old name removed, and the journal deleted.
    """
    if plan.empty:
        return
    for renumbering in plan.renumberings:
        ensure_inside(renumbering.old_path, renumbering.old_path.parent)
    taken = [r.new_path for r in plan.renumberings if _exists(r.new_path)]
    if taken:
        raise RefusedError(f"{taken[0]} already exists; nothing was renamed")
    by_file: dict[Path, dict[int, str]] = {}
    for edit in plan.edits:
        by_file.setdefault(edit.path, {})[edit.line] = edit.after
    moved = {r.old_path: r.new_path for r in plan.renumberings}
    writes: list[dict[str, str]] = []
    for path in dict.fromkeys([*by_file, *moved]):
        lines = read_text(path).splitlines(keepends=True)  # line ends kept as written
        for line_number, new in by_file.get(path, {}).items():
            old = lines[line_number - 1]
            lines[line_number - 1] = new + old[len(old.splitlines()[0]) :]
        entry = {"path": str(moved.get(path, path)), "content": "".join(lines)}
        if path in moved:
            entry["remove"] = str(path)
        writes.append(entry)
    folder = plan.renumberings[0].old_path.parent
    write_atomic(
        folder / JOURNAL, json.dumps({"schema": "sdd.renumber-journal/1", "writes": writes})
    )
    _replay(folder)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _replay(folder: Path) -> bool:
    """Finish a renumbering whose journal is in ``folder``; return whether there was one."""
    journal = folder / JOURNAL
    if not journal.is_file() or journal.is_symlink():
        return False
    try:
        document = json.loads(read_text(journal))
        writes = [
            (Path(item["path"]), str(item["content"]), item.get("remove"))
            for item in document["writes"]
        ]
    except (ParseError, ValueError, KeyError, TypeError):
        raise RefusedError(
            f"{journal} is damaged; an interrupted 'sdd adr renumber' cannot be finished",
            hint="check the ADR folder by hand ('sdd validate'), then delete the journal",
        ) from None
    for path, content, _ in writes:
        write_atomic(path, content)
    for _, _, remove in writes:
        if remove:
            with contextlib.suppress(FileNotFoundError):
                Path(remove).unlink()
    journal.unlink()
    refresh_index(folder)
    return True


def renumber(
    root: Path, adr_folder: Path, reference_folders: Sequence[Path], *, dry_run: bool = False
) -> RenumberPlan:
    """Plan and (unless ``dry_run``) apply a renumbering under the ADR folder's lock, after
    finishing any renumbering a crash interrupted."""
    if dry_run:
        return plan_renumber(root, adr_folder, reference_folders)
    with locked(adr_folder):
        _replay(adr_folder)
        plan = plan_renumber(root, adr_folder, reference_folders)
        apply_renumber(plan)
    return plan
