"""The project's documents as MCP resources: constitution, feature artifacts, ADRs, PHRs.

Listed fresh on every request (an agent creates them while the server runs), named
``sdd://project/<path relative to the project>``; only a listed document can be read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp.types import Resource
from pydantic import AnyUrl

from sdd.project.project import Project

SCHEME = "sdd://project/"
ARTIFACTS = ("spec.md", "plan.md", "tasks.md")


def documents(project: Project) -> list[tuple[Path, str, str]]:
    """Every document served: its path, a name and a description."""
    from sdd.adr.record import load_adrs
    from sdd.features.folders import list_features
    from sdd.phr.listing import list_records

    found: list[tuple[Path, str, str]] = []
    if project.paths.constitution.is_file():
        found.append((project.paths.constitution, "constitution", "The project's principles"))
    for feature in list_features(project):
        for artifact in ARTIFACTS:
            path = project.paths.specs / feature / artifact
            if path.is_file():
                found.append((path, f"{feature}/{artifact}", f"Feature {feature}: {artifact}"))
    for record in load_adrs(project.paths.adr):
        found.append((record.path, f"ADR-{record.number:04d}", record.title))
    for entry in list_records(project, stage=None, feature=None, label=None, since=None):
        found.append((project.root / entry.path, f"PHR-{entry.id}", entry.title))
    return found


def uri_of(project: Project, path: Path) -> str:
    return SCHEME + project.rel(path)


class SddServer(MCPServer[Any]):
    """An MCP server whose resources are the project's documents of the moment."""

    def __init__(self, project: Callable[[], Project], **settings: Any) -> None:
        super().__init__(**settings)
        self._project = project

    async def list_resources(self) -> list[Resource]:
        project = self._project()
        return [
            Resource(
                uri=uri_of(project, path),
                name=name,
                description=description,
                mime_type="text/markdown",
            )
            for path, name, description in documents(project)
        ]

    async def read_resource(
        self, uri: AnyUrl | str, context: Any = None
    ) -> Iterable[ReadResourceContents]:
        from sdd.base.fileio import read_text

        project = self._project()
        for path, _name, _description in documents(project):
            if uri_of(project, path) == str(uri):
                text = read_text(path)
                return [ReadResourceContents(content=text, mime_type="text/markdown")]
        raise ResourceNotFoundError(f"no sdd document at {uri}")
