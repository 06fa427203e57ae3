"""Feature folders under ``specs/``: listing, choosing and reading them.

A feature folder is named ``NNN-slug`` (sequential numbering) or ``YYYYMMDD-HHMMSS-slug``
(``features.numbering: timestamp`` in ``sdd.yaml``) and holds ``spec.md``, ``plan.md`` and
``tasks.md``. Numbering and creating them: ``sdd.features.create``.
"""

import os
import re
from pathlib import Path
from typing import NamedTuple

from sdd.base import gitio
from sdd.base.errors import ParseError, UsageError
from sdd.base.patterns import compiled
from sdd.project.project import Project

FEATURE_FOLDER = re.compile(r"^(?P<number>\d+(?:-\d{6})?)-(?P<slug>.*)$")
ARTIFACTS = ("spec.md", "plan.md", "tasks.md")
NOT_REGULAR = "it is not a regular file (a pipe, socket or device); refusing to read it"
# Matched against a line without trailing blanks (a lazy "(.+?)[ \t]*$" would backtrack over
# every blank run inside the title).
_SPEC_TITLE = r"^#[ \t]+(?:Feature Specification|Feature Spec[^:]*)?:?[ \t]*(.+)$"


def list_features(project: Project) -> list[str]:
    """Names of the feature folders (``NNN-slug`` or ``YYYYMMDD-HHMMSS-slug``), sorted."""
    specs = project.paths.specs
    if not specs.is_dir():
        return []
    return sorted(
        entry.name
        for entry in os.scandir(specs)
        if FEATURE_FOLDER.match(entry.name) and entry.is_dir()
    )


def feature_number(name: str) -> str | None:
    """The number part of a feature or branch name (``001`` of ``001-auth``), if any."""
    match = FEATURE_FOLDER.match(name)
    return match.group("number") if match else None


def _choices(features: list[str]) -> str:
    return ", ".join(features) if features else "none yet (create one with 'sdd feature new')"


def _match(name: str, features: list[str]) -> str | None:
    if name in features:
        return name
    by_number = [f for f in features if f.startswith(f"{name}-")]
    if not by_number and name.isdecimal():
        wanted = int(name)
        by_number = [
            f
            for f in features
            if (number := feature_number(f) or "").isdecimal() and int(number) == wanted
        ]
    if len(by_number) > 1:
        raise UsageError(
            f"feature number {name} is ambiguous: {', '.join(by_number)}; give the full name"
        )
    return by_number[0] if by_number else None


def resolve_feature(project: Project, name: str | None, *, command: str | None = None) -> str:
    """The feature to work on: ``name`` if given (a folder name, its number, or its path),
    else the current git branch when ``specs/<branch>`` exists. Never guesses: otherwise
    ``UsageError`` listing the features. (The CLI fills ``name`` from ``SDD_FEATURE``.)

    ``command``: a command taking the feature as its argument (``sdd analyze``), named in
    the error; without it the error names the ``--feature`` option.
    """
    features = list_features(project)
    if name and name.strip():
        cleaned = name.strip().rstrip("/\\")
        cleaned = cleaned.replace("\\", "/").rsplit("/", 1)[-1]
        found = _match(cleaned, features)
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
    example = features[0] if features else "NNN-name"
    how = f"'{command} {example}'" if command else "--feature NAME"
    raise UsageError(
        f"no feature given and the current branch names none; name it with {how}, or set "
        f"SDD_FEATURE=NAME; features: {_choices(features)}"
    )


class ArtifactText(NamedTuple):
    """One artifact file as read from disk: its text, or the reason it could not be read."""

    name: str
    path: Path
    text: str | None
    problem: ParseError | None = None
    outside: bool = False  # a symbolic link leading out of the project, left unread


def read_artifacts(folder: Path, root: Path) -> dict[str, ArtifactText]:
    """The artifacts present in a feature folder, each read once (never raises on bad files).

    An artifact that is a symbolic link leading outside ``root`` is not read (DESIGN §4).
    """
    from sdd.base.fileio import read_text
    from sdd.base.paths import is_within

    try:
        with os.scandir(folder) as entries:
            present = {
                entry.name: (entry.is_symlink(), entry.is_file())
                for entry in entries
                if entry.name in ARTIFACTS
            }
    except OSError:
        return {}
    found: dict[str, ArtifactText] = {}
    for name in ARTIFACTS:
        if name not in present:
            continue
        path = folder / name
        link, regular = present[name]
        if link and not is_within(path.resolve(), root.resolve()):
            problem = ParseError(
                f"it links outside the project (to {path.resolve()}); refusing to read it",
                path=path,
            )
            found[name] = ArtifactText(name, path, None, problem, outside=True)
            continue
        if not regular and path.exists() and not path.is_dir():  # reading would block
            problem = ParseError(NOT_REGULAR, path=path)
            found[name] = ArtifactText(name, path, None, problem)
            continue
        try:
            found[name] = ArtifactText(name, path, read_text(path))
        except ParseError as problem:
            found[name] = ArtifactText(name, path, None, problem)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            found[name] = ArtifactText(name, path, None, ParseError(reason, path=path))
    return found


def spec_title(spec_text: str) -> str | None:
    """The title from a spec's first heading (``# Feature Specification: Title`` → ``Title``)."""
    for line in spec_text.splitlines()[:20]:
        if line.startswith("# "):
            match = compiled(_SPEC_TITLE).match(line.rstrip())
            return match.group(1) if match else None
    return None
