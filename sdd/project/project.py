"""Where the project is, which kit laid it out, and the resolved paths every command uses.

Root: ``--project``/``SDD_PROJECT`` if given; else the nearest folder upwards holding
``sdd.yaml``; else the git top level; else the working directory.

Layout detection (no config needed): native sdd; spec-kit (``.specify/``); Spec-Kit Plus
(``history/adr/``, or its ADR template ``.specify/templates/adr-template.md`` before the first
ADR); adr-tools (``.adr-dir``, or without it adr-tools' default ``doc/adr/`` holding a
numbered ADR, when there is no ``adr/`` folder). Explicit ``paths`` in ``sdd.yaml`` win over
what is detected, which wins over the defaults of DESIGN §2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sdd.base import gitio
from sdd.base.errors import UsageError
from sdd.base.paths import relative_posix, safe_join
from sdd.project.config import CONFIG_FILE, Config, load_config

DEFAULT_PATHS = {
    "specs": "specs",
    "constitution": "specs/constitution.md",
    "prompts": "history/prompts",
    "adr": "adr",
    "templates": ".sdd/templates",
}

SPEC_KIT_CONSTITUTION = ".specify/memory/constitution.md"
SPEC_KIT_TEMPLATES = ".specify/templates"
SPEC_KIT_PLUS_ADR = "history/adr"
SPEC_KIT_PLUS_ADR_TEMPLATE = ".specify/templates/adr-template.md"
ADR_TOOLS_FILE = ".adr-dir"
ADR_TOOLS_DEFAULT = "doc/adr"
_NUMBERED_ADR = re.compile(r"\d{4}-[^/]*\.md")


@dataclass(frozen=True)
class Layout:
    """The kit a project follows, and the markers that showed it."""

    kind: str  # "sdd" | "spec-kit" | "spec-kit-plus" | "adr-tools"
    markers: tuple[str, ...]
    detected_paths: dict[str, str] = field(default_factory=dict)


class ProjectPaths(NamedTuple):
    specs: Path
    constitution: Path
    prompts: Path
    adr: Path
    templates: Path

    def as_dict(self) -> dict[str, Path]:
        return {
            "specs": self.specs,
            "constitution": self.constitution,
            "prompts": self.prompts,
            "adr": self.adr,
            "templates": self.templates,
        }


class Project(NamedTuple):
    root: Path
    config: Config
    config_path: Path | None
    layout: Layout
    paths: ProjectPaths

    def rel(self, path: Path) -> str:
        """``path`` relative to the project root, with forward slashes."""
        return relative_posix(path, self.root)


def find_root(start: Path, explicit: Path | None = None) -> Path:
    if explicit is not None:
        root = explicit.expanduser()
        if not root.is_dir():
            raise UsageError(f"project folder {explicit} does not exist")
        return root.resolve()
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return gitio.toplevel(start) or start


def _read_adr_dir(root: Path) -> str | None:
    marker = root / ADR_TOOLS_FILE
    if not marker.is_file():
        return None
    try:
        first = marker.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return None
    return first[0].strip() if first and first[0].strip() else None


def _adr_tools_default(root: Path) -> bool:
    """adr-tools writes ``.adr-dir`` only when ``adr init`` is given a folder: without it its
    ADRs are in ``doc/adr/``. Adopted when that folder holds a numbered ADR and sdd's own
    ``adr/`` does not exist."""
    folder = root / ADR_TOOLS_DEFAULT
    if not folder.is_dir() or (root / DEFAULT_PATHS["adr"]).exists():
        return False
    try:
        return any(_NUMBERED_ADR.fullmatch(entry.name) for entry in folder.iterdir())
    except OSError:
        return False


def detect_layout(root: Path) -> Layout:
    """Recognise the kit whose folders are present at ``root``."""
    markers: list[str] = []
    detected: dict[str, str] = {}
    has_config = (root / CONFIG_FILE).is_file()
    if has_config:
        markers.append(CONFIG_FILE)
    spec_kit = False
    if (root / SPEC_KIT_CONSTITUTION).is_file():
        markers.append(SPEC_KIT_CONSTITUTION)
        detected["constitution"] = SPEC_KIT_CONSTITUTION
        spec_kit = True
    if (root / SPEC_KIT_TEMPLATES).is_dir():
        markers.append(SPEC_KIT_TEMPLATES + "/")
        spec_kit = True
    spec_kit_plus = (root / SPEC_KIT_PLUS_ADR).is_dir()
    if spec_kit_plus:
        markers.append(SPEC_KIT_PLUS_ADR + "/")
        detected["adr"] = SPEC_KIT_PLUS_ADR
    elif (root / SPEC_KIT_PLUS_ADR_TEMPLATE).is_file():
        markers.append(SPEC_KIT_PLUS_ADR_TEMPLATE)
        detected["adr"] = SPEC_KIT_PLUS_ADR
        spec_kit_plus = True
    adr_dir = _read_adr_dir(root)
    if adr_dir is not None:
        markers.append(ADR_TOOLS_FILE)
        detected.setdefault("adr", adr_dir)
    elif "adr" not in detected and _adr_tools_default(root):
        markers.append(ADR_TOOLS_DEFAULT + "/")
        detected["adr"] = ADR_TOOLS_DEFAULT
        adr_dir = ADR_TOOLS_DEFAULT
    if has_config:
        kind = "sdd"
    elif spec_kit_plus:
        kind = "spec-kit-plus"
    elif spec_kit:
        kind = "spec-kit"
    elif adr_dir is not None:
        kind = "adr-tools"
    else:
        kind = "sdd"
    return Layout(kind=kind, markers=tuple(markers), detected_paths=detected)


def resolve_paths(root: Path, config: Config, layout: Layout) -> ProjectPaths:
    configured = config.paths.as_dict()
    resolved: dict[str, Path] = {}
    for key, default in DEFAULT_PATHS.items():
        relative = configured.get(key) or layout.detected_paths.get(key) or default
        resolved[key] = safe_join(root, relative)
    return ProjectPaths(**resolved)


def open_project(start: Path | None = None, explicit: Path | None = None) -> Project:
    """Find and load the project containing ``start`` (default: the working directory)."""
    root = find_root(start or Path.cwd(), explicit)
    return load_project(root)


def load_project(root: Path) -> Project:
    config, config_path = load_config(root)
    layout = detect_layout(root)
    return Project(
        root=root,
        config=config,
        config_path=config_path,
        layout=layout,
        paths=resolve_paths(root, config, layout),
    )
