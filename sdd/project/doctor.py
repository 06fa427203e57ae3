"""``sdd doctor``: what sdd sees of the project, and what is wrong with it."""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from pathlib import Path

from sdd import __version__
from sdd.base import gitio, templates
from sdd.base.errors import ConfigError, ConfigProblem, SddError
from sdd.base.paths import is_within, relative_posix
from sdd.project.adr_folders import folders_holding_records
from sdd.project.config import Config, load_config
from sdd.project.project import (
    ADR_TOOLS_FILE,
    Layout,
    ProjectPaths,
    detect_layout,
    find_root,
    resolve_paths,
)


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "code": self.code, "message": self.message}


@dataclass
class Diagnosis:
    root: Path
    layout: Layout
    config_path: Path | None
    config_problems: list[ConfigProblem]
    paths: ProjectPaths | None
    git_version: str | None
    git_toplevel: Path | None
    git_branch: str | None
    overrides: list[templates.TemplateInfo]
    problems: list[Problem] = field(default_factory=list)
    # Findings recorded in ``.sdd/baseline.json`` (left out of validation), None without one.
    baselined: int | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": "sdd.doctor/1",
            "ok": self.ok,
            "sdd_version": __version__,
            "python": platform.python_version(),
            "root": str(self.root),
            "layout": {"kind": self.layout.kind, "markers": list(self.layout.markers)},
            "config": {
                "path": str(self.config_path) if self.config_path else None,
                "problems": [p.as_dict() for p in self.config_problems],
            },
            "paths": {
                name: {"path": str(path), "exists": path.exists()}
                for name, path in (self.paths.as_dict().items() if self.paths else [])
            },
            "git": {
                "version": self.git_version,
                "repository": str(self.git_toplevel) if self.git_toplevel else None,
                "branch": self.git_branch,
            },
            "template_overrides": [
                {"name": t.name, "path": str(t.path), "overrides_default": t.overrides_default}
                for t in self.overrides
            ],
            "problems": [p.as_dict() for p in self.problems],
            "baselined": self.baselined,
        }


def _unread_adr_folders(root: Path, adr: Path, config: Config, layout: Layout) -> list[Problem]:
    """DOC010: a candidate ADR folder holding records sdd does not read (ADR 0175)."""
    if not is_within(adr, root):
        return []
    chosen = relative_posix(adr, root)
    if config.paths.adr:
        reason = "paths.adr in sdd.yaml"
    elif ADR_TOOLS_FILE in layout.markers:
        reason = f"named by {ADR_TOOLS_FILE}"
    else:
        reason = "the first folder holding records"
    problems = []
    for folder, count in folders_holding_records(root, (chosen,)):
        if folder == chosen:
            continue
        records = f"{count} ADR{'s' if count != 1 else ''}"
        problems.append(
            Problem(
                "warning",
                "DOC010",
                f"{folder}/ holds {records} that sdd does not read: it reads {chosen}/ "
                f"({reason}); set paths.adr: {folder} in sdd.yaml to read them",
            )
        )
    return problems


def diagnose(start: Path, explicit: Path | None = None) -> Diagnosis:
    root = find_root(start, explicit)
    layout = detect_layout(root)
    problems: list[Problem] = []
    config_problems: list[ConfigProblem] = []
    config_path: Path | None = None
    try:
        config, config_path = load_config(root)
    except ConfigError as exc:
        config, config_path = Config(), Path(str(exc.path))
        config_problems = exc.problems
        for problem in exc.problems:
            where = f"{exc.path}:{problem.line or 1}"
            field_name = f"{problem.field}: " if problem.field else ""
            problems.append(Problem("error", "CFG001", f"{where}: {field_name}{problem.message}"))

    paths: ProjectPaths | None = None
    try:
        paths = resolve_paths(root, config, layout)
    except SddError as exc:
        problems.append(Problem("error", "DOC001", str(exc)))

    if config_path is None and not layout.markers:
        problems.append(
            Problem("error", "DOC002", f"{root} is not an sdd project; run 'sdd init' there")
        )
    elif paths is not None:
        for name, path in paths.as_dict().items():
            if name != "templates" and not path.exists():
                problems.append(
                    Problem("warning", "DOC003", f"{name} path {path} does not exist yet")
                )
        problems.extend(_unread_adr_folders(root, paths.adr, config, layout))

    git_version = gitio.version()
    git_top: Path | None = None
    branch: str | None = None
    if git_version is None:
        problems.append(Problem("error", "DOC004", "git is not installed or not on PATH"))
    else:
        git_top = gitio.toplevel(root)
        if git_top is None:
            problems.append(
                Problem("warning", "DOC005", "not a git repository: hooks and detection need one")
            )
        else:
            branch = gitio.current_branch(root)

    overrides: list[templates.TemplateInfo] = []
    if paths is not None:
        overrides = [t for t in templates.list_templates(paths.templates) if t.source == "project"]
        for template in overrides:
            if not template.overrides_default:
                problems.append(
                    Problem(
                        "warning",
                        "DOC006",
                        f"template override {template.name} matches no default template",
                    )
                )
    baselined: int | None = None
    try:
        from sdd.project.baseline import load_baseline

        found = load_baseline(root)
        baselined = found.size if found is not None else None
    except SddError as exc:
        problems.append(Problem("error", "DOC009", str(exc)))
    return Diagnosis(
        root=root,
        layout=layout,
        config_path=config_path,
        config_problems=config_problems,
        paths=paths,
        git_version=git_version,
        git_toplevel=git_top,
        git_branch=branch,
        overrides=overrides,
        problems=problems,
        baselined=baselined,
    )
