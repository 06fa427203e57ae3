"""Where the diff of ``sdd adr detect`` comes from: git (staged, working tree, base, range,
commit) or a file, and the commit messages whose ``ADR: NNNN`` trailers may cover it.

Kept apart from the engine so that the command can start its ``git diff`` before it imports
the rules machinery: git produces a large diff while the project and the rule pack load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sdd.base.errors import GitError, ParseError, UsageError
from sdd.detect.diff import FileChange, Patch

if TYPE_CHECKING:
    from sdd.base.gitio import PendingOutput

MAX_DIFF_BYTES = 512 * 1024 * 1024
_TRAILER = re.compile(r"^\s*ADR\s*:\s*(?P<value>.+?)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class DiffRequest:
    """Which changes to read; at most one of the fields is set (none: staged, else worktree)."""

    staged: bool = False
    base: str | None = None
    revision_range: str | None = None
    commit: str | None = None
    diff_file: str | None = None  # a path, or "-" for stdin

    def check(self) -> None:
        chosen = [
            name
            for name, value in (
                ("--staged", self.staged),
                ("--base", self.base),
                ("--range", self.revision_range),
                ("--commit", self.commit),
                ("--diff-file", self.diff_file),
            )
            if value
        ]
        if len(chosen) > 1:
            raise UsageError(f"choose one of {', '.join(chosen)}")
        for value in (self.base, self.revision_range, self.commit):
            if value is not None and (not value.strip() or value.startswith("-")):
                raise UsageError(f"{value!r} is not a revision")


@dataclass(frozen=True)
class Source:
    kind: str  # staged | worktree | base | range | commit | diff-file
    label: str
    patch: Patch
    messages: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label}


def trailer_numbers(messages: Iterable[str]) -> tuple[int, ...]:
    """ADR numbers named by ``ADR: NNNN`` trailers (``ADR: 0031, ADR-0032`` names two)."""
    found: list[int] = []
    for message in messages:
        for match in _TRAILER.finditer(message):
            for part in re.split(r"[,\s]+", match.group("value")):
                digits = re.fullmatch(r"(?:ADR-?)?#?(\d{1,6})", part.strip(), re.IGNORECASE)
                if digits:
                    found.append(int(digits.group(1)))
    return tuple(dict.fromkeys(found))


def _read_diff_file(name: str, stdin: IO[bytes] | None) -> bytes:
    from sdd.base.fileio import read_input

    return read_input(name, what="diff", flag="--diff-file", limit=MAX_DIFF_BYTES, stdin=stdin)


def _untracked(root: Path) -> list[FileChange]:
    from sdd.base import gitio
    from sdd.detect.diff import file_from_text

    changes = []
    for raw in gitio.untracked_files(root):
        path = root / raw.decode("utf-8", "surrogateescape")
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > 4 * 1024 * 1024:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        changes.append(file_from_text(raw.decode("utf-8", "replace"), data))
    return changes


@dataclass
class PendingSource:
    """A source whose ``git diff`` may still be running (see ``gitio.PendingOutput``)."""

    kind: str
    label: str
    root: Path | None = None
    pending: PendingOutput | None = None
    patch: Patch | None = None
    messages: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    with_untracked: bool = False

    def finish(self) -> Source:
        from sdd.detect import diff as diffparse

        patch = self.patch
        if patch is None:
            patch = diffparse.parse_git(self.pending.result()) if self.pending else Patch()
        if self.with_untracked and self.root is not None:
            patch.files.extend(_untracked(self.root))
        return Source(self.kind, self.label, patch, self.messages, self.notes)

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()


def open_source(start: Path, request: DiffRequest, stdin: IO[bytes] | None = None) -> PendingSource:
    """Start reading the patch the request names (git runs while the caller loads its rules)."""
    from sdd.base import gitio
    from sdd.detect import diff as diffparse

    request.check()
    if request.diff_file is not None:
        data = _read_diff_file(request.diff_file, stdin)
        label = "standard input" if request.diff_file == "-" else request.diff_file
        try:
            patch = diffparse.parse(data)
        except diffparse.MalformedDiff as exc:
            raise ParseError(str(exc), path=label) from None
        messages = tuple(c.message for c in patch.commits)
        return PendingSource(
            "diff-file", label, patch=patch, messages=messages, notes=_diff_notes(patch)
        )
    root = gitio.toplevel(start)
    if root is None:
        raise GitError(
            f"{start} is not inside a git repository",
            hint="pass --diff-file FILE (or - for standard input) to read a diff instead",
        )
    if request.commit is not None:
        sha = gitio.resolve_commit(root, request.commit)
        parent = gitio.first_parent(root, sha) or gitio.empty_tree(root)
        pending = gitio.revisions_diff(root, parent, sha)
        messages = tuple(c.message for c in gitio.commit_messages(root, f"{sha}^!"))
        return PendingSource("commit", f"commit {sha[:12]}", root, pending, messages=messages)
    if request.revision_range is not None:
        spec = request.revision_range
        if ".." not in spec:
            raise UsageError(f"--range wants A..B or A...B, not {spec!r}")
        symmetric = "..." in spec
        old, _, new = spec.partition("...") if symmetric else spec.partition("..")
        new_sha = gitio.resolve_commit(root, new or "HEAD")
        if symmetric:
            old_sha = gitio.merge_base(root, old or "HEAD", new_sha)
        else:
            old_sha = gitio.resolve_commit(root, old or "HEAD")
        pending = gitio.revisions_diff(root, old_sha, new_sha)
        messages = tuple(c.message for c in gitio.commit_messages(root, f"{old_sha}..{new_sha}"))
        return PendingSource("range", spec, root, pending, messages=messages)
    if request.base is not None:
        base = gitio.merge_base(root, request.base)
        pending = gitio.revisions_diff(root, base, "HEAD")
        messages = tuple(c.message for c in gitio.commit_messages(root, f"{base}..HEAD"))
        label = f"{request.base} (merge base {base[:12]})..HEAD"
        return PendingSource("base", label, root, pending, messages=messages)
    if request.staged or gitio.has_staged_changes(root):
        return PendingSource("staged", "staged changes", root, gitio.staged_diff(root))
    if not gitio.has_head(root):
        note = "the repository has no commits yet and nothing is staged: nothing to compare"
        return PendingSource("worktree", "working tree", root, patch=Patch(), notes=(note,))
    return PendingSource(
        "worktree",
        "working tree against HEAD",
        root,
        gitio.worktree_diff(root),
        with_untracked=True,
    )


def _diff_notes(patch: Patch) -> tuple[str, ...]:
    """What a diff file could not say: silence about an empty or cut input is not success."""
    if not patch.files and not patch.skipped_combined and not patch.commits:
        return ("the input held no change: there was nothing to judge",)
    return tuple(
        f"{short.path}: the hunk at line {short.diff_line} of the input holds fewer lines than its"
        f" header counts ({short.old_count - short.old_missing} of {short.old_count} old,"
        f" {short.new_count - short.new_missing} of {short.new_count} new): truncated or"
        " hand-edited, only the lines present were judged"
        for short in patch.short_hunks
    )
