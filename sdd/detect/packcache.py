"""The packaged rule pack, validated, kept in the user's cache folder between runs.

Parsing the pack's YAML and compiling every rule to validate it costs more than judging a small
diff; neither depends on anything but the pack's text and the code that reads it. So the first
run keeps the pack's data with what validation found (each rule's ``key`` group, its prefilter
literals, each manifest format's ecosystem) in ``$XDG_CACHE_HOME/sdd`` (``~/.cache/sdd``), and
later runs build the pack from that, compiling a rule only when a diff needs it. Each version
of sdd and of the pack has its own file (both are in its name); the ``KEEP`` newest are kept.

The entry is keyed by the pack's SHA-256 and a fingerprint of the code that validated it (sdd's
version, Python's, and the sources of the modules whose logic the facts come from): an edited
pack or another version of sdd misses and is validated again. Read defensively: a file too
large, unreadable, of another shape or whose checksum does not hold is ignored (and replaced by
the next write). Written atomically (``sdd.base.fileio.write_atomic``); a cache that cannot be
written is simply not kept. Only the I/O edge (``sdd.detect.runner``) uses it: loading a pack
without a cache writes nothing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sdd.base.paths import user_cache_folder
from sdd.detect.prefilter import valid_literals

FORMAT = 1
MAX_BYTES = 4 * 1024 * 1024
KEEP = 16  # the most recent files kept, one per version of sdd in use
_PREFIX = f"rulepack-{FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}-"
_HERE = Path(__file__).resolve().parent
# The modules whose logic the kept facts (or the validation they stand for) come from.
_SOURCES = (
    _HERE / "rulepack.py",
    _HERE / "rulebuild.py",
    _HERE / "rulemodel.py",
    _HERE / "prefilter.py",
    _HERE / "scanner.py",
    _HERE / "roles.py",
    _HERE / "manifests" / "formats.py",
)


def cache_path(digest: str) -> Path | None:
    """Where this version of sdd keeps the pack with this digest: one file per version and
    pack, so that two used side by side do not keep replacing each other's entry."""
    folder = user_cache_folder()
    if folder is None:
        return None
    return folder / f"{_PREFIX}{fingerprint()[:16]}-{digest[:16]}.json"


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    from sdd import __version__

    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    for source in _SOURCES:
        try:
            digest.update(source.read_bytes())
        except OSError:  # pragma: no cover - an install without sources: version only
            digest.update(source.name.encode("utf-8"))
    return digest.hexdigest()[:32]


def valid_entry(entry: object) -> bool:
    """Whether ``entry`` has the shape ``load_rule_pack`` reads facts in."""
    if not isinstance(entry, dict) or not isinstance(entry.get("data"), dict):
        return False
    keyed, literals, formats = entry.get("keyed"), entry.get("literals"), entry.get("formats")
    return (
        isinstance(keyed, dict)
        and all(isinstance(k, str) and isinstance(v, bool) for k, v in keyed.items())
        and isinstance(literals, dict)
        and all(isinstance(k, str) and valid_literals(v) for k, v in literals.items())
        and isinstance(formats, dict)
        and all(
            isinstance(k, str)
            and isinstance(v, list)
            and len(v) == 2
            and isinstance(v[0], str)
            and isinstance(v[1], bool)
            for k, v in formats.items()
        )
    )


class FilePackCache:
    """The cache files: the pack read once, written at the end of the run when it missed.

    ``path``: one file to use whatever the version and pack (tests); by default each version
    and pack has its own file in the user's cache folder."""

    def __init__(self, path: Path | None = None) -> None:
        self._explicit = path
        self.path = path  # the file last read or offered for writing
        self._pending: bytes | None = None

    def _file(self, digest: str) -> Path | None:
        self.path = self._explicit if self._explicit is not None else cache_path(digest)
        return self.path

    def get(self, digest: str) -> Mapping[str, Any] | None:
        path = self._file(digest)
        if path is None:
            return None
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
            if len(raw) > MAX_BYTES:
                return None
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("fingerprint") != fingerprint():
                return None
            if header.get("digest") != digest:
                return None
            if header.get("checksum") != hashlib.sha256(body).hexdigest():
                return None
            entry = json.loads(body)
        except (OSError, ValueError, RecursionError):
            return None
        return entry if valid_entry(entry) else None

    def put(self, digest: str, entry: dict[str, Any]) -> None:
        self._file(digest)
        body = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        header = {
            "fingerprint": fingerprint(),
            "digest": digest,
            "checksum": hashlib.sha256(body).hexdigest(),
        }
        self._pending = json.dumps(header).encode("utf-8") + b"\n" + body

    def save(self) -> None:
        """Write what ``put`` was given; a cache that cannot be written is not kept."""
        if self._pending is None or self.path is None:
            return
        from sdd.base.fileio import write_atomic

        with contextlib.suppress(OSError, ValueError):
            write_atomic(self.path, self._pending)
            _prune(self.path.parent)
        self._pending = None


def _prune(folder: Path) -> None:
    """Remove all but the ``KEEP`` most recently written pack files (older versions')."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(_PREFIX) and entry.name.endswith(".json"):
                found.append((entry.stat().st_mtime_ns, entry.path))
    for _mtime, path in sorted(found, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(path)
