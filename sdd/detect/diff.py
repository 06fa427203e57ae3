"""Unified diffs into files and changed lines: ``git diff``, ``git show``, ``git format-patch``.

Input is bytes, decoded as UTF-8 with replacement (a non-UTF-8 line never stops the parse); a
byte order mark and CRLF line ends are ignored. Hunks are read by the counts in their ``@@``
headers, so an email signature (``-- ``) after the last hunk is not a removed line, and a
truncated or hand-edited hunk ends at the first line that cannot belong to it. Paths come from
``--- a/…``/``+++ b/…`` (C-quoted paths are unquoted), ``rename``/``copy`` headers or the
``diff --git`` line; when the caller has the NUL-separated ``--raw -z`` records of the same
diff, their exact paths and statuses win. Binary files, mode changes, renames, copies and
deletions are kept as files with no changed lines. Each changed line is cut at
``MAX_LINE_CHARS`` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sdd.detect.diffpaths import decode_subject, header_path, paths_from_git_line
from sdd.detect.diffpaths import unquote_path as unquote_path

MAX_LINE_CHARS = 2000

ADDED = "added"
DELETED = "deleted"
MODIFIED = "modified"
RENAMED = "renamed"
COPIED = "copied"


@dataclass(frozen=True)
class CommitInfo:
    """A commit whose patch was read (``git show`` / ``format-patch``), for its trailers."""

    sha: str | None
    subject: str
    message: str


@dataclass
class Hunk:
    old_start: int
    new_start: int
    lines: list[str]  # raw lines with their ' ', '+', '-' prefix
    heading: str = ""  # what git printed after the range: the enclosing section or function


@dataclass
class FileChange:
    path: str
    old_path: str | None = None
    status: str = MODIFIED
    binary: bool = False
    old_mode: str | None = None
    new_mode: str | None = None
    hunks: list[Hunk] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    added_numbers: list[int] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    removed_numbers: list[int] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        if self.added_numbers:
            return self.added_numbers[0]
        if self.removed_numbers:
            return self.removed_numbers[0]
        return 1


@dataclass
class Patch:
    files: list[FileChange] = field(default_factory=list)
    commits: list[CommitInfo] = field(default_factory=list)
    skipped_combined: int = 0  # merge (combined) diffs, which carry no unified hunks
    short_hunks: list[ShortHunk] = field(default_factory=list)


@dataclass(frozen=True)
class ShortHunk:
    """A hunk holding fewer lines than its ``@@`` header counts (truncated or hand-edited)."""

    path: str
    diff_line: int  # line of the ``@@`` header in the input, from 1
    old_count: int
    new_count: int
    old_missing: int
    new_missing: int


class MalformedDiff(ValueError):
    """The input holds no file section of a unified diff."""


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_MBOX_FROM = re.compile(r"^From ([0-9a-f]{7,64}) Mon Sep 17 00:00:00 2001$")
_SHOW_COMMIT = re.compile(r"^commit ([0-9a-f]{7,64})(?:\s|$)")
_SUBJECT_PREFIX = re.compile(r"^\s*(?:\[[^\]]*\]\s*)+")


def parse(data: bytes) -> Patch:
    """Parse a diff or patch series; ``MalformedDiff`` if non-blank input has no file in it."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line, not a blank context line
    patch = Patch()
    current: FileChange | None = None
    total = len(lines)
    index = 0
    saw_anything_like_diff = False
    while index < total:
        line = lines[index]
        if line.endswith("\r"):
            line = line[:-1]
        first = line[:1]
        if first == "d" and line.startswith("diff --git "):
            saw_anything_like_diff = True
            old, new = paths_from_git_line(line[11:])
            current = FileChange(path=new or old or "", old_path=old)
            patch.files.append(current)
            index = _read_extended_headers(lines, index + 1, current)
            continue
        if first == "d" and line.startswith(("diff --cc ", "diff --combined ")):
            saw_anything_like_diff = True
            patch.skipped_combined += 1
            current = None
            index += 1
            continue
        if first == "@" and line.startswith("@@ ") and current is not None:
            index = _read_hunk(lines, index, current, patch.short_hunks)
            continue
        if first == "-" and line.startswith("--- ") and index + 1 < total:
            following = lines[index + 1]
            if following.startswith("+++ "):
                saw_anything_like_diff = True
                old = header_path(line[4:])
                new = header_path(following.rstrip("\r")[4:])
                current = FileChange(path=new or old or "", old_path=old)
                current.status = ADDED if old is None else DELETED if new is None else MODIFIED
                patch.files.append(current)
                index += 2
                continue
        if first == "F" and _MBOX_FROM.match(line):
            index = _read_email_header(lines, index, patch)
            current = None
            continue
        if first == "c" and _SHOW_COMMIT.match(line):
            index = _read_show_header(lines, index, patch)
            current = None
            continue
        index += 1
    if not patch.files and not saw_anything_like_diff and not patch.commits and text.strip():
        raise MalformedDiff("the input is not a unified diff (no 'diff --git' or '---/+++' lines)")
    for change in patch.files:
        if not change.path:
            change.path = change.old_path or "(unknown)"
    return patch


def _read_extended_headers(lines: list[str], index: int, change: FileChange) -> int:
    total = len(lines)
    while index < total:
        line = lines[index]
        if line.endswith("\r"):
            line = line[:-1]
        if line.startswith(("@@ ", "diff --git ", "diff --cc ")):
            return index
        if line.startswith("--- "):
            old = header_path(line[4:])
            change.old_path = old
            if old is None:
                change.status = ADDED
        elif line.startswith("+++ "):
            new = header_path(line[4:])
            if new is None:
                change.status = DELETED
            else:
                change.path = new
        elif line.startswith("new file mode "):
            change.status = ADDED
            change.new_mode = line[14:].strip()
        elif line.startswith("deleted file mode "):
            change.status = DELETED
            change.old_mode = line[18:].strip()
        elif line.startswith("old mode "):
            change.old_mode = line[9:].strip()
        elif line.startswith("new mode "):
            change.new_mode = line[9:].strip()
        elif line.startswith("rename from "):
            change.old_path = unquote_path(line[12:])
            change.status = RENAMED
        elif line.startswith("rename to "):
            change.path = unquote_path(line[10:])
            change.status = RENAMED
        elif line.startswith("copy from "):
            change.old_path = unquote_path(line[10:])
            change.status = COPIED
        elif line.startswith("copy to "):
            change.path = unquote_path(line[8:])
            change.status = COPIED
        elif line.startswith(("Binary files ", "GIT binary patch")):
            change.binary = True
        elif line.startswith(("index ", "similarity index ", "dissimilarity index ")):
            pass
        else:
            return index
        index += 1
    return index


def _read_hunk(lines: list[str], index: int, change: FileChange, short: list[ShortHunk]) -> int:
    header = _HUNK.match(lines[index])
    if header is None:
        return index + 1
    header_line = index + 1
    old_number = int(header.group(1))
    new_number = int(header.group(3))
    old_left = int(header.group(2)) if header.group(2) is not None else 1
    new_left = int(header.group(4)) if header.group(4) is not None else 1
    old_count, new_count = old_left, new_left
    added, added_numbers = change.added, change.added_numbers
    removed, removed_numbers = change.removed, change.removed_numbers
    index += 1
    start = index
    total = len(lines)
    limit = MAX_LINE_CHARS + 1
    while (old_left > 0 or new_left > 0) and index < total:
        line = lines[index]
        first = line[:1]
        if first == "+":
            if new_left <= 0:
                break
            added.append(line[1:limit])
            added_numbers.append(new_number)
            new_number += 1
            new_left -= 1
        elif first == "-":
            if old_left <= 0:
                break
            removed.append(line[1:limit])
            removed_numbers.append(old_number)
            old_number += 1
            old_left -= 1
        elif first == " " or not line:
            if old_left <= 0 or new_left <= 0:
                break
            old_number += 1
            new_number += 1
            old_left -= 1
            new_left -= 1
        elif first != "\\":
            break
        index += 1
    if old_left > 0 or new_left > 0:
        short.append(ShortHunk(change.path, header_line, old_count, new_count, old_left, new_left))
    heading = lines[start - 1][header.end() :].strip()[:MAX_LINE_CHARS]
    change.hunks.append(
        Hunk(int(header.group(1)), int(header.group(3)), lines[start:index], heading)
    )
    return index


def _read_email_header(lines: list[str], index: int, patch: Patch) -> int:
    """``From <sha> Mon Sep 17 …`` then mail headers, a blank line, the message, ``---``."""
    match = _MBOX_FROM.match(lines[index].rstrip("\r"))
    sha = match.group(1) if match else None
    index += 1
    total = len(lines)
    subject = ""
    last_header: str | None = None
    while index < total:
        line = lines[index].rstrip("\r")
        if not line:
            index += 1
            break
        if line[:1] in (" ", "\t") and last_header == "subject":
            subject += " " + line.strip()
        elif ":" in line:
            key, _, value = line.partition(":")
            last_header = key.strip().lower()
            if last_header == "subject":
                subject = value.strip()
        index += 1
    subject = _SUBJECT_PREFIX.sub("", decode_subject(subject)).strip()
    body: list[str] = []
    while index < total:
        line = lines[index].rstrip("\r")
        if line == "---" or line.startswith("diff --git ") or _MBOX_FROM.match(line):
            break
        body.append(line)
        index += 1
    message = "\n".join([subject, "", *body]).strip()
    patch.commits.append(CommitInfo(sha, subject, message))
    return index


def _read_show_header(lines: list[str], index: int, patch: Patch) -> int:
    """``git show`` default format: ``commit <sha>``, headers, blank, 4-space indented message."""
    match = _SHOW_COMMIT.match(lines[index].rstrip("\r"))
    sha = match.group(1) if match else None
    index += 1
    total = len(lines)
    while index < total and lines[index].rstrip("\r"):
        index += 1
    body: list[str] = []
    while index < total:
        line = lines[index].rstrip("\r")
        if line.startswith("    "):
            body.append(line[4:])
        elif line:
            break
        else:
            body.append("")
        index += 1
    message = "\n".join(body).strip()
    subject = message.splitlines()[0] if message else ""
    patch.commits.append(CommitInfo(sha, subject, message))
    return index


# --- git's NUL-separated raw records (``git diff --raw -z``) -------------------------------

_RAW_STATUS = {"A": ADDED, "D": DELETED, "M": MODIFIED, "T": MODIFIED, "R": RENAMED, "C": COPIED}


@dataclass(frozen=True)
class RawRecord:
    status: str
    path: str
    old_path: str | None
    old_mode: str
    new_mode: str


def split_raw(output: bytes) -> tuple[list[RawRecord], bytes]:
    """Split ``git diff --raw -z -p`` output into its raw records and the patch after them."""
    records: list[RawRecord] = []
    position = 0
    size = len(output)
    while position < size and output[position : position + 1] == b":":
        meta_end = output.find(b"\0", position)
        if meta_end < 0:
            break
        meta = output[position + 1 : meta_end].decode("ascii", "replace").split()
        if len(meta) < 5:
            break
        letter = meta[4][:1]
        paths: list[str] = []
        cursor = meta_end + 1
        for _ in range(2 if letter in ("R", "C") else 1):
            end = output.find(b"\0", cursor)
            if end < 0:
                end = size
            paths.append(output[cursor:end].decode("utf-8", "replace"))
            cursor = end + 1
        new_path = paths[-1]
        old_path = paths[0] if len(paths) == 2 else new_path
        records.append(
            RawRecord(_RAW_STATUS.get(letter, MODIFIED), new_path, old_path, meta[0], meta[1])
        )
        position = cursor
    while position < size and output[position : position + 1] in (b"\0", b"\n"):
        position += 1
    return records, output[position:]


def parse_git(output: bytes) -> Patch:
    """Parse ``git diff --raw -z -p`` output, taking exact paths from the raw records."""
    records, rest = split_raw(output)
    patch = parse(rest) if rest.strip() else Patch()
    if records and len(records) == len(patch.files):
        for record, change in zip(records, patch.files, strict=False):
            change.path = record.path
            change.old_path = record.old_path
            change.status = record.status
            if record.old_mode != record.new_mode and record.status == MODIFIED:
                change.old_mode, change.new_mode = record.old_mode, record.new_mode
    elif records and not patch.files:
        patch.files = [
            FileChange(path=r.path, old_path=r.old_path, status=r.status) for r in records
        ]
    return patch


def file_from_text(path: str, data: bytes) -> FileChange:
    """A new, not yet tracked file as an added file (binary content gives no lines)."""
    change = FileChange(path=path, old_path=None, status=ADDED)
    if b"\0" in data[:8192]:
        change.binary = True
        return change
    text = data.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    change.added = [line.rstrip("\r")[:MAX_LINE_CHARS] for line in lines]
    change.added_numbers = list(range(1, len(lines) + 1))
    change.hunks.append(Hunk(0, 1, ["+" + line for line in change.added]))
    return change
