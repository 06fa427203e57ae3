"""A per-file cache of check results, keyed on what decides them (ADR-0100).

A run that finds nothing changed must not read every file again. Each entry holds the
file's identity as ``os.stat`` gives it (size, ``mtime_ns``, ``ctime_ns``, inode; a link's
target, not the link) and the findings computed from it; the whole cache also carries a
*context* digest of everything else the findings depend on (sdd's version, the configuration,
the set of feature folders, templates). An entry is used only when the context and the
identity are both equal; anything else recomputes. ``ctime`` changes on every write and
rename and cannot be set back by a program, so a file edited to the same size with its
``mtime`` restored is still seen.

Racy entries are not stored: a file whose times lie within ``RACY_SECONDS`` of the run's start
could be written again within the same clock tick without its identity changing.

The cache file is replaced atomically (temporary file and rename), so concurrent runs never
read half a file; the last writer wins, and a lost write only costs the next run time. An
unreadable or foreign cache file counts as empty.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdd.base.diagnostics import Finding

RACY_SECONDS = 2.0
_FORMAT = 1

Identity = tuple[int, int, int, int]


def identity(path: Path) -> Identity | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def _encode(findings: Iterable[Finding]) -> list[list[object]]:
    return [encode_finding(f) for f in findings]


def encode_finding(finding: Finding) -> list[object]:
    return [finding.path, finding.line, finding.severity, finding.code, finding.message]


def decode_finding(row: list[Any]) -> Finding:
    """A finding back from ``encode_finding``; ``ValueError``/``TypeError`` when damaged."""
    path, line, severity, code, message = row
    if severity not in ("error", "warning"):
        raise ValueError(f"unknown severity {severity!r}")
    return Finding(str(path), int(line), severity, str(code), str(message))


def _decode(rows: list[list[Any]]) -> list[Finding]:
    return [decode_finding(row) for row in rows]


@dataclass(frozen=True)
class TreeScan:
    """What one walk of a folder saw: the digest of the names and identities of everything
    under it, the newest time among them, and each entry's identity by its path string (as
    ``identity`` gives it: links followed)."""

    digest: str
    newest: int
    identities: dict[str, Identity]


def tree_fingerprint(folder: Path) -> tuple[str, int]:
    """A digest of the names and identities of everything under ``folder`` (hidden and
    linked folders are not entered: no walk of sdd's enters them), and the newest time seen.
    Equal digests mean no file below was added, removed, renamed or written."""
    scan = scan_tree(folder)
    return scan.digest, scan.newest


def scan_tree(folder: Path) -> TreeScan:
    """``tree_fingerprint`` and, from the same walk, the identity of every entry."""
    import hashlib

    entries: list[tuple[str, int, int, int, int, bool] | tuple[str]] = []
    identities: dict[str, Identity] = {}
    newest = 0
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            scan = os.scandir(current)
        except OSError as error:
            entries.append((f"{current}\0{error.errno}",))
            continue
        with scan:
            for entry in scan:
                try:
                    status = entry.stat()
                except OSError:  # a dangling link
                    entries.append((entry.path,))
                    continue
                link = entry.is_symlink()
                found = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
                identities[entry.path] = found
                entries.append((entry.path, *found, link))
                if status.st_mtime_ns > newest or status.st_ctime_ns > newest:
                    newest = max(status.st_mtime_ns, status.st_ctime_ns)
                if not link and entry.is_dir() and not entry.name.startswith("."):
                    pending.append(entry.path)
    entries.sort()
    digest = hashlib.sha256(repr(entries).encode("utf-8", "surrogateescape"))
    return TreeScan(digest.hexdigest(), newest, identities)


class FileResultCache:
    """Findings per file under ``path`` (a JSON file), valid for one ``context`` digest."""

    def __init__(self, path: Path, context: str, trees: dict[Path, TreeScan] | None = None) -> None:
        self.path = path
        self.context = context
        self.trees = trees if trees is not None else {}
        self.started_ns = time.time_ns()
        self._loaded: dict[str, list[object]] | None = None
        self._new: dict[str, list[object]] = {}
        self._whole: tuple[str, list[list[Any]]] | None = None
        self.hits = 0

    @property
    def _old(self) -> dict[str, list[object]]:
        if self._loaded is None:
            entries = self._read(self.path).get("entries")
            self._loaded = entries if isinstance(entries, dict) else {}
        return self._loaded

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            document = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            return {}
        return document if document.get("context") == self.context else {}

    @property
    def _whole_path(self) -> Path:
        return self.path.with_name(self.path.stem + ".tree.json")

    def tree(self, folder: Path) -> TreeScan:
        """The scan of ``folder`` this run took before reading any file (one walk shared by
        the run's checkers), else a new one."""
        scan = self.trees.get(folder)
        if scan is None:
            scan = self.trees[folder] = scan_tree(folder)
        return scan

    def get_whole(self, fingerprint: str) -> list[Finding] | None:
        """All findings of the last run whose tree had ``fingerprint``; it is kept as is."""
        document = self._read(self._whole_path)
        if document.get("tree") != fingerprint:
            return None
        try:
            findings = _decode(document["findings"])
        except (KeyError, TypeError, ValueError):
            return None
        self._whole = (fingerprint, document["findings"])
        self._loaded = self._new = {}  # nothing to rewrite
        return findings

    def put_whole(self, fingerprint: tuple[str, int], findings: Iterable[Finding]) -> None:
        """Remember every finding of a tree with ``fingerprint`` unless it is too fresh."""
        if fingerprint[1] < self.started_ns - int(RACY_SECONDS * 1e9):
            self._whole = (fingerprint[0], _encode(findings))

    def get(self, key: str, current: Identity | None) -> list[Finding] | None:
        """The findings stored for ``key`` if its file still has identity ``current``."""
        entry = self._old.get(key)
        if entry is None or current is None or len(entry) != 2 or entry[0] != list(current):
            return None
        try:
            findings = _decode(entry[1])  # type: ignore[arg-type]
        except (TypeError, ValueError):  # a damaged entry is recomputed
            return None
        self._new[key] = entry
        self.hits += 1
        return findings

    def put(self, key: str, current: Identity | None, findings: Iterable[Finding]) -> None:
        """Remember ``findings`` for ``key`` as of identity ``current`` (taken before the
        file was read), unless the file is too fresh to be trusted."""
        if current is None:
            return
        racy = self.started_ns - int(RACY_SECONDS * 1e9)
        if current[1] >= racy or current[2] >= racy:
            return
        self._new[key] = [list(current), _encode(findings)]

    def get_payload(self, key: str, stamp: str) -> Any | None:
        """What ``put_payload`` stored for ``key`` with the same ``stamp`` (a digest of all
        the inputs, such as a ``tree_fingerprint``), else None."""
        entry = self._old.get(key)
        if not isinstance(entry, list) or len(entry) != 2 or entry[0] != stamp:
            return None
        self._new[key] = entry
        self.hits += 1
        return entry[1]

    def put_payload(self, key: str, stamp: str, newest_ns: int, payload: Any) -> None:
        """Remember ``payload`` (JSON data) for ``key`` and ``stamp`` unless the newest time
        among its inputs is too fresh to be trusted."""
        if newest_ns < self.started_ns - int(RACY_SECONDS * 1e9):
            self._new[key] = [stamp, payload]

    def save(self, *, prune: bool = True) -> None:
        """Write the entries used or computed in this run; ``prune``: drop the others (a run
        that saw every file), else keep them (they are checked on use). Never fails the run:
        a cache that cannot be written is simply not there next time."""
        writes: list[tuple[Path, dict[str, Any]]] = []
        entries = self._new if prune or self._loaded is None else {**self._loaded, **self._new}
        if self._loaded is not None and entries != self._loaded:
            writes.append((self.path, {"entries": entries}))
        if self._whole is not None and self._read(self._whole_path).get("tree") != self._whole[0]:
            writes.append((self._whole_path, {"tree": self._whole[0], "findings": self._whole[1]}))
        if not writes:
            return
        from sdd.base.fileio import write_atomic

        try:
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                write_atomic(ignore, "# sdd's cache: never committed\n*\n")
            for path, content in writes:
                document = {"format": _FORMAT, "context": self.context, **content}
                # No fsync: a cache file a crash damages reads as empty (never as stale).
                text = json.dumps(document, separators=(",", ":"))
                write_atomic(path, text, durable=False)
        except OSError:
            pass
