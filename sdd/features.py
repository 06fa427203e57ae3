"""Feature folders under ``specs/``: listing them and choosing the one a command works on."""

from __future__ import annotations

import re

from sdd import gitio
from sdd.errors import UsageError
from sdd.project import Project

FEATURE_FOLDER = re.compile(r"^(?P<number>\d+(?:-\d{6})?)-(?P<slug>.*)$")


def list_features(project: Project) -> list[str]:
    """Names of the feature folders (``NNN-slug`` or ``YYYYMMDD-HHMMSS-slug``), sorted."""
    specs = project.paths.specs
    if not specs.is_dir():
        return []
    return sorted(
        entry.name
        for entry in specs.iterdir()
        if entry.is_dir() and FEATURE_FOLDER.match(entry.name)
    )


def _choices(features: list[str]) -> str:
    return ", ".join(features) if features else "none yet (create one with 'sdd feature new')"


def _match(name: str, features: list[str]) -> str | None:
    if name in features:
        return name
    by_number = [f for f in features if f.startswith(f"{name}-")]
    return by_number[0] if len(by_number) == 1 else None


def resolve_feature(project: Project, name: str | None) -> str:
    """The feature to work on: ``name`` if given (a folder name or its number), else the
    current git branch when ``specs/<branch>`` exists. Never guesses: otherwise
    ``UsageError`` listing the features. (The CLI fills ``name`` from ``SDD_FEATURE``.)
    """
    features = list_features(project)
    if name:
        found = _match(name.strip().strip("/"), features)
        if found is None:
            raise UsageError(
                f"no feature {name!r} in {project.rel(project.paths.specs)}/; "
                f"features: {_choices(features)}"
            )
        return found
    if gitio.toplevel(project.root) is not None:
        branch = gitio.current_branch(project.root)
        if branch and branch in features:
            return branch
    raise UsageError(
        "no feature given and the current branch names none; pass the feature "
        f"(or set SDD_FEATURE); features: {_choices(features)}"
    )
