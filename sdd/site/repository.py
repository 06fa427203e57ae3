"""``sdd site --all``: one site per sdd project of a repository, under one folder, with an
index of the projects (``sdd.overview.repository`` finds and loads them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sdd import __version__
from sdd.overview.repository import ProjectState
from sdd.site.build import (
    BuildResult,
    build_site,
    previous_manifest,
    write_pages,
)
from sdd.site.templates import packaged_templates

TOP_PROJECT_FOLDER = "_top"  # the site of a project at the repository's top level


@dataclass(frozen=True)
class ProjectSite:
    state: ProjectState
    folder: str  # relative to the output folder
    result: BuildResult | None  # None: the project could not be loaded


@dataclass(frozen=True)
class RepositorySites:
    """What ``sdd site --all`` built: the index of the projects and each project's site."""

    index: BuildResult
    sites: list[ProjectSite]

    def as_dict(self) -> dict[str, object]:
        return {
            **self.index.as_dict(),
            "projects": [
                {
                    "project": site.state.name,
                    "folder": site.folder,
                    "site": site.result.as_dict() if site.result else None,
                }
                for site in self.sites
            ],
        }


def site_folder(state: ProjectState) -> str:
    return state.entry.relative or TOP_PROJECT_FOLDER


def build_all(
    states: list[ProjectState], output: Path, *, base_url: str | None = None
) -> RepositorySites:
    """A site per loadable project in ``output/<project folder>/`` and ``output/index.html``
    listing every project (a broken one with its findings)."""
    previous = previous_manifest(output).pages  # refuses a folder that is not a site
    sites = []
    base = (base_url or "").rstrip("/")
    for state in states:
        folder = site_folder(state)
        result = None
        if state.project is not None:
            result = build_site(
                state.project,
                output / folder,
                base_url=f"{base}/{folder}/" if base else None,
            )
        sites.append(ProjectSite(state, folder, result))
    templates = packaged_templates()
    index = templates.render(
        "repository.html",
        {
            "version": __version__,
            "canonical": f"{base}/index.html" if base else "",
            "projects": [
                {
                    "name": site.state.name,
                    "layout": site.state.entry.layout.kind,
                    "href": f"{quote(site.folder)}/index.html" if site.result else None,
                    "problems": [
                        finding.in_project(site.state.name).format()
                        for finding in site.state.problems
                    ],
                }
                for site in sites
            ],
        },
    )
    pages = {"index.html": index, "site.css": templates.static("site.css")}
    result = write_pages(output, pages, previous)
    return RepositorySites(result, sites)
