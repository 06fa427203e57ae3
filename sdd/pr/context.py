"""What every section of a pull request's checklist reads: the project, the range of changes,
and how a path is shown and linked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sdd.base import gitio
from sdd.base.paths import relative_posix

if TYPE_CHECKING:
    from sdd.pr.changes import ChangeRange
    from sdd.project.project import Project

_GITHUB = re.compile(
    r"^(?:https://(?:[^@/]+@)?|ssh://git@|git@)github\.com[:/](?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?$"
)


@dataclass(frozen=True)
class FeatureInfo:
    name: str
    title: str | None
    chosen_by: str  # option | branch | changes
    artifacts: dict[str, str | None]  # artifact name → path (None: missing)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "chosen_by": self.chosen_by,
            "artifacts": dict(self.artifacts),
        }


@dataclass
class ChecklistContext:
    project: Project
    change: ChangeRange
    root_in_top: str  # the project root relative to the top level ("" when they are one)
    link_base: str
    notes: list[str] = field(default_factory=list)

    def top_path(self, path: Path) -> str:
        """An absolute path inside the repository, relative to its top level."""
        return relative_posix(path.resolve(), self.change.top)

    def from_project(self, relative: str) -> str:
        """A path relative to the project root, relative to the top level instead."""
        return f"{self.root_in_top}/{relative}" if self.root_in_top else relative

    def link(self, text: str, path: str) -> str:
        return f"[{text}]({self.link_base}{quote(path, errors='surrogateescape')})"

    def changed_under(self, folder: Path, *, statuses: tuple[str, ...] = ()) -> list[str]:
        """Changed paths (top-relative) inside ``folder``, optionally with these statuses."""
        prefix = self.top_path(folder).rstrip("/") + "/"
        return [
            change.path
            for change in self.change.patch.files
            if change.path.startswith(prefix) and (not statuses or change.status in statuses)
        ]


def github_link_base(top: Path, branch: str | None, head: str) -> str:
    """``https://github.com/OWNER/REPO/blob/REF/`` when ``origin`` is on GitHub, else ""."""
    url = gitio.config_value(top, "remote.origin.url")
    found = _GITHUB.match(url.strip()) if url else None
    if found is None:
        return ""
    return f"https://github.com/{found.group('repo')}/blob/{quote(branch or head)}/"
