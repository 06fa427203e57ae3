"""Numbering and creating feature folders and their artifacts (``sdd feature new``,
``sdd plan``, ``sdd tasks``).

The next sequential number is one more than the largest number used by a feature folder or
by a local git branch named ``NNN-…``; it is chosen and claimed while holding a lock on the
specs folder, so concurrent ``sdd feature new`` never share a number.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from sdd.base import gitio
from sdd.base.errors import ParseError, RefusedError, UsageError
from sdd.features.folders import FEATURE_FOLDER, feature_number, list_features, spec_title
from sdd.project.project import Project

# Which artifact each one is made from: plan.md needs spec.md, tasks.md needs plan.md.
PREREQUISITE = {"plan.md": "spec.md", "tasks.md": "plan.md"}
SLUG_WORDS = 6
# Keeps a folder name well under the file systems' 255-byte limit (slugs are at most 60).
MAX_NUMBER = 999_999_999


def _numbers_in(names: list[str]) -> dict[int, str]:
    used: dict[int, str] = {}
    for name in names:
        number = feature_number(name)
        if number is not None and number.isdecimal():
            used.setdefault(int(number), name)
    return used


def used_numbers(project: Project) -> dict[int, str]:
    """Sequential numbers taken by feature folders or local ``NNN-*`` branches, with a holder."""
    used = _numbers_in(list_features(project))
    if gitio.toplevel(project.root) is not None:
        for number, branch in _numbers_in(gitio.local_branches(project.root)).items():
            used.setdefault(number, f"branch {branch}")
    return used


def next_number(used: dict[int, str]) -> int:
    return max(used, default=0) + 1


def format_number(number: int, digits: int) -> str:
    return f"{number:0{digits}d}"


# --- creation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedFeature:
    feature: str
    path: Path
    number: str
    branch: str | None

    def as_dict(self, project: Project) -> dict[str, object]:
        return {
            "schema": "sdd.feature-new/1",
            "feature": self.feature,
            "number": self.number,
            "path": project.rel(self.path),
            "branch": self.branch,
        }


def clean_title(title: str) -> str:
    """A title on one line; ``UsageError`` when nothing is left to name a folder with."""
    from sdd.base.slugs import has_slug_text

    if not title.isprintable() and any("\ud800" <= char <= "\udfff" for char in title):
        raise UsageError("the feature title is not valid UTF-8 text")
    cleaned = " ".join(title.split())
    if not cleaned:
        raise UsageError(
            "the feature title is empty; give a title, e.g. sdd feature new 'User login'"
        )
    if not has_slug_text(cleaned):
        raise UsageError(
            f"the title {title!r} has no letters or digits to name the folder with; "
            "give a real title or --short-name"
        )
    return cleaned


def _slug(title: str, short_name: str | None) -> str:
    from sdd.base.slugs import has_slug_text, slugify

    if short_name is not None:
        if not has_slug_text(short_name):
            raise UsageError(f"--short-name {short_name!r} has no letters or digits")
        return slugify(short_name)
    return slugify(title, max_words=SLUG_WORDS)


def _check_branch_allowed(project: Project) -> None:
    if gitio.toplevel(project.root) is None:
        raise UsageError("--branch needs a git repository; run 'git init' first")
    if gitio.has_head(project.root) and gitio.is_dirty(project.root, untracked=False):
        raise RefusedError(
            "the working tree has uncommitted changes to tracked files, which would move onto "
            "the new branch; commit or stash them first (nothing was created)"
        )


def _render_spec(project: Project, context: dict[str, str]) -> str:
    from sdd.features.kit_templates import render_artifact

    return render_artifact(project, "spec.md", context)


def create_feature(
    project: Project,
    title: str,
    *,
    number: int | None = None,
    short_name: str | None = None,
    branch: bool = False,
) -> CreatedFeature:
    """Create ``specs/<number>-<slug>/spec.md`` from the spec template, claiming the number.

    ``number`` asks for a specific sequential number (``UsageError`` naming the next free one
    when it is taken). ``branch`` also creates and checks out the git branch of that name,
    refusing when tracked files have uncommitted changes. Nothing is left behind on failure.
    """
    from sdd.base.fileio import create_exclusive, locked
    from sdd.project.folders import require_folders

    title = clean_title(title)
    slug = _slug(title, short_name)
    scheme = project.config.features.numbering
    if number is not None and scheme != "sequential":
        raise UsageError(
            "--number works with sequential numbering only (sdd.yaml features.numbering)"
        )
    if number is not None and not 1 <= number <= MAX_NUMBER:
        raise UsageError(f"--number must be between 1 and {MAX_NUMBER}")
    if branch:
        _check_branch_allowed(project)
    moment = datetime.datetime.now()
    specs = project.paths.specs
    require_folders(project, specs)
    with locked(specs):
        _remove_crash_leftovers(specs)
        if scheme == "timestamp":
            name = _claim_timestamp(specs, slug, moment)
        else:
            name = _claim_sequential(project, slug, number)
        folder = specs / name
        feature_id = feature_number(name) or name
        context = {
            "title": title,
            "feature": name,
            "number": feature_id,
            "date": moment.date().isoformat(),
            "description": title,
        }
        spec = folder / "spec.md"
        written = False
        try:
            written = create_exclusive(spec, _render_spec(project, context))
            if not written:
                raise RefusedError(f"{project.rel(spec)} already exists; nothing was overwritten")
            if branch:
                gitio.create_branch(project.root, name)
        except BaseException:
            _remove_claim(folder, spec if written else None)
            raise
    return CreatedFeature(name, spec, feature_id, name if branch else None)


def _claim_sequential(project: Project, slug: str, number: int | None) -> str:
    """Claim ``NNN-slug`` with the next free number, or ``number`` when it is free."""
    from sdd.base.paths import safe_join

    digits = project.config.features.digits
    used = used_numbers(project)
    free = next_number(used)
    if number is not None and number in used:
        raise UsageError(
            f"feature number {format_number(number, digits)} is taken by {used[number]}; "
            f"the next free number is {format_number(free, digits)}"
        )
    name = f"{format_number(number if number is not None else free, digits)}-{slug}"
    folder = safe_join(project.paths.specs, name)
    try:
        folder.mkdir()
    except FileExistsError:
        raise RefusedError(f"{project.rel(folder)} already exists") from None
    return name


def _claim_timestamp(specs: Path, slug: str, moment: datetime.datetime) -> str:
    """Claim ``YYYYMMDD-HHMMSS-slug``; a stamp taken in the same second moves on by a second."""
    taken = {feature_number(entry) for entry in os.listdir(specs)}
    for _ in range(3600):
        stamp = moment.strftime("%Y%m%d-%H%M%S")
        if stamp not in taken:
            try:
                (specs / f"{stamp}-{slug}").mkdir()
                return f"{stamp}-{slug}"
            except FileExistsError:
                pass
        moment += datetime.timedelta(seconds=1)
    raise RefusedError("no free timestamp for a new feature within the next hour")


def _remove_crash_leftovers(specs: Path) -> None:
    """Undo the claims of creators killed mid-way (called under the specs lock, so no creator
    is at work): their temporary files, then feature folders left empty (git keeps no empty
    folder, so nothing of the user's is lost)."""
    from sdd.base.fileio import remove_leftovers

    with contextlib.suppress(OSError):
        for entry in os.scandir(specs):
            if not entry.is_dir(follow_symlinks=False):
                continue
            folder = Path(entry.path)
            if (folder / "spec.md").exists():
                continue
            remove_leftovers(folder)
            with contextlib.suppress(OSError):
                folder.rmdir()


def _remove_claim(folder: Path, spec: Path | None) -> None:
    """Undo a claim: the spec this run wrote, and the folder if it is empty."""
    if spec is not None:
        with contextlib.suppress(FileNotFoundError):
            spec.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


@dataclass(frozen=True)
class CreatedArtifact:
    feature: str
    artifact: str
    path: Path
    overwritten: bool

    def as_dict(self, project: Project) -> dict[str, object]:
        return {
            "schema": "sdd.artifact-new/1",
            "feature": self.feature,
            "artifact": self.artifact,
            "path": project.rel(self.path),
            "overwritten": self.overwritten,
        }


def create_artifact(
    project: Project,
    feature: str,
    artifact: str,
    *,
    force: bool = False,
) -> CreatedArtifact:
    """Create ``plan.md`` or ``tasks.md`` of ``feature`` from its template.

    Refuses (``UsageError``) when the artifact it is made from is missing, and
    (``RefusedError``) when the artifact exists, unless ``force``.
    """
    from sdd.base.fileio import create_exclusive, read_text, write_atomic
    from sdd.base.paths import ensure_inside, is_within
    from sdd.features.kit_templates import render_artifact

    folder = project.paths.specs / feature
    target = folder / artifact
    # A feature folder or artifact symlinked out of the project is neither read nor written.
    ensure_inside(target, project.root)
    prerequisite = folder / PREREQUISITE[artifact]
    if not force and not prerequisite.is_file():
        raise UsageError(
            f"{project.rel(prerequisite)} does not exist; create it first "
            f"(or pass --force to create {artifact} anyway)"
        )
    if target.is_dir():
        raise RefusedError(f"{project.rel(target)} is a folder; move it away first")
    if not force and target.exists():
        raise RefusedError(f"{project.rel(target)} already exists; pass --force to overwrite it")
    title = None
    spec = folder / "spec.md"
    if spec.is_file() and is_within(spec.resolve(), project.root.resolve()):
        try:
            title = spec_title(read_text(spec))
        except ParseError:
            title = None
    match = FEATURE_FOLDER.match(feature)
    context = {
        "title": title
        or (match.group("slug").replace("-", " ").strip() if match else feature)
        or feature,
        "feature": feature,
        "number": match.group("number") if match else feature,
        "date": datetime.date.today().isoformat(),
    }
    content = render_artifact(project, artifact, context)
    if create_exclusive(target, content):
        return CreatedArtifact(feature, artifact, target, False)
    if not force:
        raise RefusedError(f"{project.rel(target)} already exists; pass --force to overwrite it")
    write_atomic(target, content)
    return CreatedArtifact(feature, artifact, target, True)
