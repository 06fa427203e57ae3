"""``sdd adr new`` as a use case: prepare a draft (nothing written), then write it on consent.

The command line only gathers options, shows the draft, asks for confirmation and prints the
result; evidence from a detection run arrives as ``Detected`` (``sdd.detect.draft`` makes it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.adr import create as adrcreate
from sdd.adr import index as adrindex
from sdd.adr import queries
from sdd.adr import record as adrs
from sdd.adr import status as adrstatus
from sdd.base.errors import UsageError
from sdd.features.folders import resolve_feature

if TYPE_CHECKING:
    from sdd.project.project import Project

SCHEMA = "sdd.adr-new/1"


@dataclass(frozen=True)
class Detected:
    """What a detection run contributes to a new ADR."""

    significant: bool
    title: str | None
    context: str
    covers: tuple[str, ...]
    source_label: str


@dataclass(frozen=True)
class Created:
    """The written ADR and the records marked superseded by it, with its JSON document."""

    project: Project
    draft: adrcreate.Draft
    number: int
    path: Path
    updated: tuple[Path, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": SCHEMA,
            "path": self.project.rel(self.path),
            "id": self.number,
            "title": self.draft.title,
            "status": self.draft.status,
            "feature": self.draft.feature,
            "covers": list(self.draft.covers),
            "updated": [self.project.rel(path) for path in self.updated],
        }


def _feature_links(project: Project, feature: str | None, adr_folder: Path) -> list[str]:
    if feature is None:
        return []
    links = []
    for name in ("spec.md", "plan.md"):
        path = project.paths.specs / feature / name
        if path.is_file():
            relative = Path(os.path.relpath(path, adr_folder)).as_posix()
            links.append(f"[{feature}/{name}]({relative})")
    return links


def _feature(project: Project, feature: str | None) -> str | None:
    """The named feature; else the branch's, when the branch names one (an ADR may have none)."""
    if feature:
        return resolve_feature(project, feature)
    try:
        return resolve_feature(project, None)
    except UsageError:
        return None


def prepare(
    project: Project,
    title: str | None,
    *,
    feature: str | None = None,
    supersedes: Sequence[int] = (),
    detected: Detected | None = None,
) -> adrcreate.Draft:
    """The ADR that would be written (nothing is written); every superseded record is checked."""
    folder = project.paths.adr
    existing = adrs.load_adrs(folder)
    for number in supersedes:
        adrstatus.ensure_editable(queries.find(existing, number))
    chosen = _feature(project, feature)
    references = _feature_links(project, chosen, folder)
    context: str | None = None
    covers: tuple[str, ...] = ()
    if detected is not None:
        context, covers = detected.context, detected.covers
        title = title or detected.title
        label = adrcreate.inline(detected.source_label)
        references.append(f"Detected by `sdd adr detect` in {label}")
    if not title:
        raise UsageError('give the decision a title: sdd adr new "Title"')
    return adrcreate.plan_new(
        folder,
        title,
        feature=chosen,
        supersedes=supersedes,
        covers=covers,
        context=context,
        references=references,
    )


def write(project: Project, draft: adrcreate.Draft) -> Created:
    """Write ``draft`` under the next free number, link superseded records, refresh the index."""
    folder = project.paths.adr
    templates_dir = project.paths.templates
    number, path = adrcreate.create(
        draft, lambda n: adrcreate.render_draft(draft, n, templates_dir)
    )
    updated: list[Path] = []
    if draft.supersedes:
        created = adrs.read_adr(path, number)
        updated = adrstatus.link_supersedes_in(folder, created, list(draft.supersedes))
    adrindex.refresh_index(folder)
    return Created(project, draft, number, path, tuple(updated))
