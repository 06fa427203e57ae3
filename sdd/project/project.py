"""Where the project is, which kit laid it out, and the resolved paths every command uses.

Root: ``--project``/``SDD_PROJECT`` if given; else the nearest folder upwards holding
``sdd.yaml``; else the git top level; else the working directory.

Layout detection (no config needed): native sdd; spec-kit (``.specify/``); Spec-Kit Plus
(``history/adr/``, or its ADR template ``.specify/templates/adr-template.md`` before the first
ADR); adr-tools (``.adr-dir``, or adr-tools' default ``doc/adr/`` holding records). The ADR
folder is the first candidate holding records (``sdd.project.adr_folders``, ADR 0175), so
``docs/adr/`` or ``docs/decisions/`` are read where a team keeps them. Explicit ``paths`` in
``sdd.yaml`` win over what is detected, which wins over the defaults of DESIGN §2.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from sdd.base import gitio
from sdd.base.errors import UsageError
from sdd.base.paths import relative_posix, safe_join
from sdd.project.adr_folders import KNOWN_ADR_FOLDERS, SPEC_KIT_PLUS_ADR, holds_records
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
SPEC_KIT_PLUS_ADR_TEMPLATE = ".specify/templates/adr-template.md"
ADR_TOOLS_FILE = ".adr-dir"
ADR_TOOLS_DEFAULT = "doc/adr"


class Layout(NamedTuple):
    """The kit a project follows, the markers that showed it and the folders it implies."""

    kind: str  # "sdd" | "spec-kit" | "spec-kit-plus" | "adr-tools"
    markers: tuple[str, ...]
    detected_paths: dict[str, str]


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
    return _named_folder(first[0]) if first and first[0].strip() else None


def _named_folder(relative: str) -> str:
    """``./docs/adr/`` → ``docs/adr``: a folder named in a marker file, as sdd writes it."""
    return relative.strip().removeprefix("./").rstrip("/") or "."


def _adr_folder(root: Path, kit_folder: bool, adr_dir: str | None) -> str | None:
    """The ADR folder of a project without ``paths.adr`` (ADR 0175); None: sdd's default.

    The folder ``.adr-dir`` names, as adr-tools does; else the first folder holding records,
    ``history/adr`` (Spec-Kit Plus) then the known folders in order; else ``history/adr`` when
    the kit is there (its folder, or its ADR template before the first ADR)."""
    if adr_dir is not None:
        return adr_dir
    for relative in (SPEC_KIT_PLUS_ADR, *KNOWN_ADR_FOLDERS):
        if holds_records(root / relative):
            return relative
    return SPEC_KIT_PLUS_ADR if kit_folder else None


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
    elif (root / SPEC_KIT_PLUS_ADR_TEMPLATE).is_file():
        markers.append(SPEC_KIT_PLUS_ADR_TEMPLATE)
        spec_kit_plus = True
    adr_dir = _read_adr_dir(root)
    if adr_dir is not None:
        markers.append(ADR_TOOLS_FILE)
    adr_folder = _adr_folder(root, spec_kit_plus, adr_dir)
    if adr_folder is not None and adr_folder != DEFAULT_PATHS["adr"]:
        detected["adr"] = adr_folder
        if adr_folder not in (adr_dir, SPEC_KIT_PLUS_ADR):
            markers.append(adr_folder + "/")
    adr_tools = adr_dir is not None or adr_folder == ADR_TOOLS_DEFAULT
    if has_config:
        kind = "sdd"
    elif spec_kit_plus:
        kind = "spec-kit-plus"
    elif spec_kit:
        kind = "spec-kit"
    elif adr_tools:
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
