"""Moves are not decisions: a deleted and an added file that hold the same lines are one move.

sdd reads diffs without rename detection (every path exact), and diffs made elsewhere may have
it off too, so ``git mv Dockerfile docker/Dockerfile`` arrives as a deletion and an addition,
and a moved migrations folder as many. A deletion and an addition with the same content are
dropped; a pair with the same file name that shares most of its lines becomes one renamed file
whose changed lines are only the edits, so the move is judged on its edits. Renames git already
detected (``R100``) carry no changed lines and no status rule fires on them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from hashlib import blake2b
from pathlib import PurePosixPath

from sdd.detect.diff import ADDED, DELETED, RENAMED, FileChange

# A pair with the same name is one file moved and edited when this share of its lines survived.
MIN_SHARED = 0.5


def _content_key(lines: Sequence[str]) -> bytes:
    digest = blake2b(digest_size=16)
    for line in lines:
        digest.update(line.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.digest()


def _edited_move(old: FileChange, new: FileChange) -> FileChange | None:
    before, after = Counter(old.removed), Counter(new.added)
    shared = sum((before & after).values())
    if shared < MIN_SHARED * max(len(old.removed), len(new.added), 1):
        return None
    kept_removed = before - after
    kept_added = after - before
    removed, removed_numbers = _only(old.removed, old.removed_numbers, kept_removed)
    added, added_numbers = _only(new.added, new.added_numbers, kept_added)
    return replace(
        new,
        old_path=old.path,
        status=RENAMED,
        added=added,
        added_numbers=added_numbers,
        removed=removed,
        removed_numbers=removed_numbers,
    )


def _only(
    lines: Sequence[str], numbers: Sequence[int], wanted: Counter[str]
) -> tuple[list[str], list[int]]:
    left = Counter(wanted)
    kept: list[str] = []
    kept_numbers: list[int] = []
    for line, number in zip(lines, numbers, strict=False):
        if left[line] > 0:
            left[line] -= 1
            kept.append(line)
            kept_numbers.append(number)
    return kept, kept_numbers


def pair_moves(files: Sequence[FileChange]) -> tuple[list[FileChange], int]:
    """The files with moves folded: (files, how many deletion/addition pairs were moves)."""
    deleted = [c for c in files if c.status == DELETED and not c.binary]
    added = [c for c in files if c.status == ADDED and not c.binary]
    if not deleted or not added:
        return list(files), 0
    by_content: dict[bytes, list[FileChange]] = {}
    for change in added:
        by_content.setdefault(_content_key(change.added), []).append(change)
    dropped: set[int] = set()
    replaced: dict[int, FileChange] = {}
    moves = 0
    unmatched: list[FileChange] = []
    for old in deleted:
        candidates = by_content.get(_content_key(old.removed))
        if candidates:
            new = candidates.pop()
            dropped.update((id(old), id(new)))
            moves += 1
        else:
            unmatched.append(old)
    by_name: dict[str, list[FileChange]] = {}
    for change in added:
        if id(change) not in dropped:
            by_name.setdefault(PurePosixPath(change.path).name, []).append(change)
    for old in unmatched:
        same_name = by_name.get(PurePosixPath(old.path).name)
        if not same_name or len(same_name) != 1:
            continue
        edited = _edited_move(old, same_name[0])
        if edited is not None:
            dropped.add(id(old))
            replaced[id(same_name[0])] = edited
            by_name.pop(PurePosixPath(old.path).name)
            moves += 1
    kept = [replaced.get(id(c), c) for c in files if id(c) not in dropped]
    return kept, moves
