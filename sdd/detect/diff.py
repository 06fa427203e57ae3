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


class MalformedDiff(ValueError):
    """The input holds no file section of a unified diff."""


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_MBOX_FROM = re.compile(r"^From ([0-9a-f]{7,64}) Mon Sep 17 00:00:00 2001$")
_SHOW_COMMIT = re.compile(r"^commit ([0-9a-f]{7,64})(?:\s|$)")
_SUBJECT_PREFIX = re.compile(r"^\s*(?:\[[^\]]*\]\s*)+")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def unquote_path(text: str) -> str:
    """A path as git prints it: C-quoted (``"a/\\303\\251.py"``) or plain."""
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        return text
    raw = bytearray()
    inner = text[1:-1]
    index = 0
    while index < len(inner):
        char = inner[index]
        if char == "\\" and index + 1 < len(inner):
            nxt = inner[index + 1]
            digits = inner[index + 1 : index + 4]
            if len(digits) == 3 and all(d in "01234567" for d in digits):
                raw.append(int(digits, 8) & 0xFF)
                index += 4
                continue
            if nxt in _ESCAPES:
                raw.append(_ESCAPES[nxt])
                index += 2
                continue
        raw.extend(char.encode("utf-8", "surrogateescape"))
        index += 1
    return raw.decode("utf-8", "replace")


def _strip_prefix(path: str) -> str:
    if len(path) > 2 and path[1] == "/" and path[0] in "abiwco":
        return path[2:]
    return path


def _header_path(text: str) -> str | None:
    """The path of a ``---``/``+++`` line's value; None for ``/dev/null``."""
    value = text
    if value.startswith('"'):
        end = _closing_quote(value)
        value = value[: end + 1] if end > 0 else value
    else:
        value = value.split("\t", 1)[0]
    value = value.rstrip("\t")
    if value == "/dev/null":
        return None
    return _strip_prefix(unquote_path(value))


def _closing_quote(text: str) -> int:
    index = 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == '"':
            return index
        index += 1
    return -1


def _paths_from_git_line(rest: str) -> tuple[str | None, str | None]:
    """``a/X b/Y`` (either side possibly quoted) → (X, Y); guesses when ambiguous."""
    if rest.startswith('"'):
        end = _closing_quote(rest)
        if end < 0:
            return None, None
        old = unquote_path(rest[: end + 1])
        new_text = rest[end + 1 :].strip()
        new = unquote_path(new_text) if new_text else old
        return _strip_prefix(old), _strip_prefix(new)
    if rest.endswith('"'):
        start = rest.rfind(' "')
        if start > 0:
            return _strip_prefix(rest[:start]), _strip_prefix(unquote_path(rest[start + 1 :]))
    # Unquoted: with no rename both halves are equal, which fixes where they split.
    length = len(rest)
    if length % 2 == 1:
        half = (length - 1) // 2
        old, new = rest[:half], rest[half + 1 :]
        if _strip_prefix(old) == _strip_prefix(new):
            return _strip_prefix(old), _strip_prefix(new)
    parts = rest.split(" b/", 1)
    if len(parts) == 2:
        return _strip_prefix(parts[0]), parts[1]
    return None, None


def _decode_subject(value: str) -> str:
    if "=?" not in value:
        return value
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError, UnicodeDecodeError):
        return value


def parse(data: bytes) -> Patch:
    """Parse a diff or patch series; ``MalformedDiff`` if non-blank input has no file in it."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
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
            old, new = _paths_from_git_line(line[11:])
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
            index = _read_hunk(lines, index, current)
            continue
        if first == "-" and line.startswith("--- ") and index + 1 < total:
            following = lines[index + 1]
            if following.startswith("+++ "):
                saw_anything_like_diff = True
                old = _header_path(line[4:])
                new = _header_path(following.rstrip("\r")[4:])
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
            old = _header_path(line[4:])
            change.old_path = old
            if old is None:
                change.status = ADDED
        elif line.startswith("+++ "):
            new = _header_path(line[4:])
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


def _read_hunk(lines: list[str], index: int, change: FileChange) -> int:
    header = _HUNK.match(lines[index])
    if header is None:
        return index + 1
    old_number = int(header.group(1))
    new_number = int(header.group(3))
    old_left = int(header.group(2)) if header.group(2) is not None else 1
    new_left = int(header.group(4)) if header.group(4) is not None else 1
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
    subject = _SUBJECT_PREFIX.sub("", _decode_subject(subject)).strip()
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
