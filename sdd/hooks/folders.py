"""The artifact folders a hook script watches, and their fingerprint baked into the script.

Apart from ``sdd.hooks.install`` because the pre-commit hook compares the fingerprint on every
commit that stages an artifact (HOOK001) and should not import the installer to do it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.base.errors import ConfigError

if TYPE_CHECKING:
    from sdd.project.project import Project


def folders_digest(pathspecs: Iterable[str]) -> str:
    """A short fingerprint of the pathspecs a script was written with (drift detection)."""
    return _sha256_hex("\0".join(sorted(pathspecs)).encode())[:12]


def _sha256_hex(data: bytes) -> str:
    """SHA-256 from CPython's built-in module where there is one: ``hashlib`` loads OpenSSL
    (about 2 ms, each pre-commit run that stages an artifact) for these twelve digits."""
    for name in ("_sha2", "_sha256"):  # Python 3.12 and later; 3.10 and 3.11
        try:
            builtin = importlib.import_module(name)
        except ImportError:
            continue
        digest: str = builtin.sha256(data).hexdigest()
        return digest
    import hashlib

    return hashlib.sha256(data).hexdigest()


def repository_pathspecs(project: Project, top: Path) -> tuple[str, ...]:
    """What the script's prefilter watches: ``project``'s artifacts, and in a monorepo those
    of every other project of the repository too (one hook serves them all)."""
    from sdd.project.artifacts import artifact_pathspecs, glob_escape
    from sdd.project.discovery import discover_projects
    from sdd.project.project import load_project

    specs = set(artifact_pathspecs(project, top))
    for entry in discover_projects(top):
        if entry.root.resolve() == project.root.resolve():
            continue
        try:
            specs.update(artifact_pathspecs(load_project(entry.root), top))
        except ConfigError:  # a broken sdd.yaml: everything in its folder may matter
            folder = glob_escape(entry.relative)
            specs.update({f":(top,glob){folder}/**/*.md", f":(top,glob){folder}/**/sdd.yaml"})
    return tuple(sorted(specs))
