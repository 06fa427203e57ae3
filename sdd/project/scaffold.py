"""``sdd init``: create the layout of DESIGN §2, or adopt the one a kit already made.

Idempotent and non-destructive: an existing file is kept unless ``force`` is given, and a
second run reports that nothing changed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from sdd.base import gitio, templates
from sdd.base.errors import RefusedError, UsageError
from sdd.base.fileio import create_exclusive, write_atomic
from sdd.base.paths import relative_posix
from sdd.project.config import CONFIG_FILE, Config, load_config
from sdd.project.project import (
    ADR_TOOLS_FILE,
    DEFAULT_PATHS,
    Layout,
    detect_layout,
    resolve_paths,
)

KEEP_FILE = ".gitkeep"


@dataclass(frozen=True)
class Adopted:
    path: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class InitResult:
    root: Path
    layout: str
    created: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    adopted: list[Adopted] = field(default_factory=list)
    git_initialised: bool = False
    left_out: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.overwritten or self.git_initialised)

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": "sdd.init/1",
            "root": str(self.root),
            "layout": self.layout,
            "created": self.created,
            "overwritten": self.overwritten,
            "skipped": self.skipped,
            "adopted": [item.as_dict() for item in self.adopted],
            "git_initialised": self.git_initialised,
            "changed": self.changed,
            "left_out": self.left_out,
        }


_ADOPTION_REASONS = {
    "constitution": "spec-kit constitution",
    "adr": "existing ADR folder",
}


def _write(path: Path, content: str, root: Path, force: bool, result: InitResult) -> None:
    shown = relative_posix(path, root)
    if create_exclusive(path, content):
        result.created.append(shown)
    elif force:
        write_atomic(path, content)
        result.overwritten.append(shown)
    else:
        result.skipped.append(shown)


def _folder(path: Path, root: Path, result: InitResult) -> None:
    shown = relative_posix(path, root) + "/"
    if path.is_dir():
        result.skipped.append(shown)
        return
    if path.exists():
        raise UsageError(f"{shown} exists and is not a folder", path=path)
    path.mkdir(parents=True)
    result.created.append(shown)


def _keep_empty_folders(result: InitResult, root: Path) -> None:
    """Put a .gitkeep in each folder created empty, so that the layout survives a clone."""
    for shown in result.created:
        folder = root / shown
        if shown.endswith("/") and folder.is_dir() and not any(folder.iterdir()):
            create_exclusive(folder / KEEP_FILE, "")


_ALL_PARTS = frozenset({"features", "prompts", "adr"})


def _parts(layout: Layout, specs: Path, full: bool) -> frozenset[str]:
    """What the layout uses. A team that only keeps ADRs (adr-tools, before or after sdd.yaml
    joined it) gets no feature folders, no constitution claiming principles it never agreed to
    and no prompt history, unless it asks for them (``full``) or already has specs."""
    kit_markers = set(layout.markers) - {CONFIG_FILE}
    if not full and kit_markers == {ADR_TOOLS_FILE} and not specs.exists():
        return frozenset({"adr"})
    return _ALL_PARTS


def _refuse_beside_projects(root: Path) -> None:
    from sdd.project.discovery import discover_projects

    inner = [entry for entry in discover_projects(root) if entry.relative]
    if not inner:
        return
    shown = ", ".join(f"{e.relative}/ ({e.layout.kind})" for e in inner[:6])
    more = f" and {len(inner) - 6} more" if len(inner) > 6 else ""
    raise RefusedError(
        f"{root} holds sdd projects in sub-folders: {shown}{more}; sdd works on each as it "
        "is (sdd projects, sdd status --all), so nothing was created here",
        hint="run sdd init inside a sub-folder to set one up, or pass --root to create a "
        "project at this folder too",
    )


def init_project(
    directory: Path,
    *,
    force: bool = False,
    git: bool = False,
    full: bool = False,
    beside_projects: bool = False,
) -> InitResult:
    """Lay out ``directory`` for sdd; in a kit's layout, only the parts that kit uses (unless
    ``full``), listing the rest in ``left_out``. A folder that is no project itself but holds
    projects in sub-folders (a monorepo) is refused unless ``beside_projects``: sdd already
    works on those as they are."""
    root = directory.expanduser()
    if root.exists() and not root.is_dir():
        raise UsageError(f"{directory} exists and is not a folder")
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()

    layout = detect_layout(root)
    if not layout.markers and not beside_projects:
        _refuse_beside_projects(root)
    result = InitResult(root=root, layout=layout.kind)
    if git and gitio.toplevel(root) is None:
        gitio.init_repository(root)
        result.git_initialised = True

    config_file = root / CONFIG_FILE
    if config_file.is_file() and not force:
        config, _ = load_config(root)
    else:
        config = Config()
    paths = resolve_paths(root, config, layout)
    for key, relative in sorted(layout.detected_paths.items()):
        if (root / relative).exists():
            result.adopted.append(Adopted(relative, _ADOPTION_REASONS.get(key, key)))

    today = datetime.date.today().isoformat()
    configured = config.paths.as_dict()
    chosen = {
        key: configured.get(key) or layout.detected_paths.get(key) or default
        for key, default in DEFAULT_PATHS.items()
    }
    context = {"paths": chosen, "layout": layout.kind, "project_name": root.name, "date": today}
    _write(config_file, templates.render(CONFIG_FILE, context), root, force, result)

    parts = _parts(layout, paths.specs, full)
    wanted: list[tuple[str, Path, str | None]] = [("features", paths.specs, None)]
    if "constitution" not in layout.detected_paths:
        wanted.append(("features", paths.constitution, "constitution.md"))
    wanted += [("prompts", paths.prompts / route, None) for route in ("constitution", "general")]
    if "adr" not in layout.detected_paths:
        wanted.append(("adr", paths.adr, None))
    for part, path, template in wanted:
        if part not in parts:
            if not path.exists():
                result.left_out.append(relative_posix(path, root) + ("" if template else "/"))
        elif template is None:
            _folder(path, root, result)
        else:
            content = templates.render(template, context, project_dir=paths.templates)
            _write(path, content, root, force, result)
    if parts == _ALL_PARTS:
        _folder(paths.templates, root, result)
    _keep_empty_folders(result, root)
    return result
