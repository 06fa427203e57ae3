"""The artifact folders a hook script watches, and their fingerprint baked into the script.

Apart from ``sdd.hooks.install`` because the pre-commit hook compares the fingerprint on every
commit that stages an artifact (HOOK001) and should not import the installer to do it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.base.errors import ConfigError

if TYPE_CHECKING:
    from sdd.project.project import Project


def folders_digest(pathspecs: Iterable[str]) -> str:
    """A short fingerprint of the pathspecs a script was written with (drift detection)."""
    import hashlib

    return hashlib.sha256("\0".join(sorted(pathspecs)).encode()).hexdigest()[:12]


def repository_pathspecs(project: Project, top: Path) -> tuple[str, ...]:
    """What the script's prefilter watches: ``project``'s artifacts, and in a monorepo those
    of every other project of the repository too (one hook serves them all)."""
    from sdd.project.artifacts import artifact_pathspecs
    from sdd.project.discovery import discover_projects
    from sdd.project.project import load_project

    specs = set(artifact_pathspecs(project, top))
    for entry in discover_projects(top):
        if entry.root.resolve() == project.root.resolve():
            continue
        try:
            specs.update(artifact_pathspecs(load_project(entry.root), top))
        except ConfigError:  # a broken sdd.yaml: everything in its folder may matter
            folder = re.sub(r"([*?\[\]\\])", r"\\\1", entry.relative)
            specs.update({f":(top,glob){folder}/**/*.md", f":(top,glob){folder}/**/sdd.yaml"})
    return tuple(sorted(specs))
