"""Where ``sdd validate`` keeps per-file results, and the context they are valid for.

The cache lives in the project's ``.sdd/cache/`` (git-ignored by the ``.gitignore`` it
writes there). Its context digest covers everything besides a file's own identity that can
change a finding: sdd's version and its source files (an edited checker in a development
install), the configuration file's bytes, the resolved layout and paths, the set of feature
folders, and the templates a project overrides (ADR-0100).

A whole-project run whose artifact folders are unchanged as a whole is answered from one
entry without importing a checker (``whole_run``). That is sound because the checkers read
only the artifact folders, the constitution and what the context covers; a checker that comes
to read anything else must add it to ``context_digest``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from sdd.base.diagnostics import Finding
from sdd.base.filecache import (
    FileResultCache,
    Identity,
    TreeScan,
    decode_finding,
    encode_finding,
    identity,
    scan_tree,
)
from sdd.project.project import SPEC_KIT_CONSTITUTION, SPEC_KIT_TEMPLATES, Project

CACHE_FOLDER = ".sdd/cache"
_PACKAGE = Path(__file__).resolve().parent.parent


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.rglob(pattern)) if folder.is_dir() else []


def context_digest(project: Project, checker: str) -> str:
    """The digest of what, besides each file, decides the findings of ``checker``."""
    from sdd import __version__
    from sdd.features.folders import list_features

    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        digest.update(repr(parts).encode("utf-8", "surrogateescape") + b"\0")

    add("checker", checker, __version__)
    add("package", _package_digest())
    if project.config_path is not None:
        try:
            add("config", project.config_path.read_bytes())
        except OSError as error:
            add("config", str(error))
    add("layout", project.layout.kind, project.layout.markers)
    add("paths", sorted((name, str(path)) for name, path in project.paths.as_dict().items()))
    add("features", list_features(project))
    for folder in (project.paths.templates, project.root / SPEC_KIT_TEMPLATES):
        for template in _files(folder, "*"):
            add("template", str(template), identity(template))
    return digest.hexdigest()


def _package_identities() -> list[tuple[str, Identity | None]]:
    """The relative path and identity of everything in sdd's package but compiled bytecode,
    sorted. A walk with ``os.scandir``: pathlib's ``rglob`` with a ``relative_to`` per file
    took ~15 ms, a sixth of a warm ``sdd validate``."""
    found: list[tuple[str, Identity | None]] = []
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(_PACKAGE / relative if relative else _PACKAGE) as scan:
            for entry in scan:
                if entry.name == "__pycache__":
                    continue
                name = f"{relative}/{entry.name}" if relative else entry.name
                try:
                    status = entry.stat()
                except OSError:  # a dangling link, as ``identity`` sees it
                    found.append((name, None))
                    continue
                found.append(
                    (name, (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino))
                )
                if entry.is_dir():
                    pending.append(name)
    found.sort()
    return found


@lru_cache(maxsize=1)
def _package_digest() -> str:
    """The identities of sdd's own files (code, default templates, rule packs), once per
    process, at its first validation: a long-lived process keeps running the code it loaded,
    which files edited afterwards no longer describe."""
    digest = hashlib.sha256()
    for entry in _package_identities():
        digest.update(repr(entry).encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def open_cache(
    project: Project, checker: str, trees: dict[Path, TreeScan] | None = None
) -> FileResultCache:
    """The cache of ``checker``; ``trees``: the artifact folders as this run scanned them
    before reading any file, for the checker to reuse."""
    name = checker.replace(":", ".").replace("/", ".")
    path = project.root / CACHE_FOLDER / f"validate-{name}.json"
    return FileResultCache(path, context_digest(project, checker), trees)


def _inputs_stamp(project: Project, trees: dict[Path, TreeScan]) -> tuple[str, int]:
    """A digest of every file the checkers read, and the newest time among them; the scans of
    the artifact folders are left in ``trees``."""
    digest = hashlib.sha256()
    newest = 0
    paths = project.paths
    for folder in (paths.specs, paths.prompts, paths.adr):
        scan = trees[folder] = scan_tree(folder)
        digest.update(f"{folder}\0{scan.digest}\n".encode("utf-8", "surrogateescape"))
        newest = max(newest, scan.newest)
    for single in (paths.constitution, project.root / SPEC_KIT_CONSTITUTION):
        found = identity(single)
        digest.update(f"{single}\0{found}\n".encode("utf-8", "surrogateescape"))
        newest = max(newest, found[1], found[2]) if found else newest
    return digest.hexdigest(), newest


def whole_run(
    project: Project, compute: Callable[[dict[Path, TreeScan]], list[Finding]]
) -> list[Finding]:
    """The findings of a whole-project run: stored ones while no input changed, else
    ``compute(trees)`` (which uses the per-file caches for what did not change, and the scans
    of the artifact folders taken here, before any file was read)."""
    cache = open_cache(project, "all")
    trees: dict[Path, TreeScan] = {}
    stamp, newest = _inputs_stamp(project, trees)  # before any file is read
    payload = cache.get_payload("all", stamp)
    if payload is not None:
        try:
            return [decode_finding(row) for row in payload]
        except (TypeError, ValueError):  # a damaged entry: run the checkers
            pass
    findings = compute(trees)
    cache.put_payload("all", stamp, newest, [encode_finding(f) for f in findings])
    cache.save()
    return findings
