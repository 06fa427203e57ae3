"""Problems with the names and places of feature folders under the specs folder, and
templates left unfilled outside any feature folder (codes FEAT001–FEAT007)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from sdd.base.diagnostics import Finding, Severity
from sdd.features.folders import ARTIFACTS, FEATURE_FOLDER, feature_number
from sdd.project.project import Project

_GOOD_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A file holding this many placeholders, or one in its title, is a template never filled in.
UNFILLED_TOKENS = 3


def _same_number(number: str) -> str:
    """``007`` and ``7`` are the same feature number."""
    return "-".join(part.lstrip("0") or "0" for part in number.split("-"))


_AddFolderFinding = Callable[[Path, Severity, str, str], None]


def folder_findings(project: Project) -> list[tuple[Path, Finding]]:
    """Problems with the names and places of feature folders under ``specs/``."""
    specs = project.paths.specs
    located: list[tuple[Path, Finding]] = []

    def add(path: Path, severity: Severity, code: str, message: str) -> None:
        finding = Finding(project.rel(path), 1, severity, code, message)
        located.append((path, finding))

    try:
        entries = sorted(os.scandir(specs), key=lambda entry: entry.name)
    except OSError:
        return located
    by_number: dict[str, list[str]] = {}  # "7" for 007-x and 7-x alike
    for entry in entries:
        if entry.name.startswith("."):
            continue
        match = FEATURE_FOLDER.match(entry.name)
        path = Path(entry.path)
        if entry.is_dir():
            if match is None:
                _nested(path, add)
                _unfilled_templates(project, path, add)
                continue
            by_number.setdefault(_same_number(match.group("number")), []).append(entry.name)
            slug = match.group("slug")
            if not slug:
                add(path, "error", "FEAT001", f"feature folder {entry.name} has an empty slug")
            elif not _GOOD_SLUG.fullmatch(slug):
                add(
                    path,
                    "warning",
                    "FEAT003",
                    f"feature folder slug {slug!r} is not lower-case letters, digits and hyphens",
                )
        elif (
            match is not None and entry.name.endswith(".md") and path != project.paths.constitution
        ):
            add(
                path,
                "warning",
                "FEAT004",
                f"{entry.name} lies directly in {project.rel(specs)}/; a feature's spec belongs in "
                f"{project.rel(specs)}/{entry.name[:-3]}/spec.md",
            )
        elif entry.name.endswith(".md") and path != project.paths.constitution:
            _unfilled_template(project, path, add)
    for names in by_number.values():
        if len(names) < 2:
            continue
        number = feature_number(names[0]) or names[0]
        for name in names:
            others = ", ".join(other for other in names if other != name)
            add(
                specs / name,
                "error",
                "FEAT002",
                f"feature number {feature_number(name) or number} is also used by {others}",
            )
    return located


def _nested(folder: Path, add: _AddFolderFinding) -> None:
    """Feature folders one level down (``specs/phase-1/001-x/``), which sdd cannot see."""
    try:
        children = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for child in children:
        if (
            child.is_dir()
            and FEATURE_FOLDER.match(child.name)
            and any((Path(child.path) / name).is_file() for name in ARTIFACTS)
        ):
            add(
                Path(child.path),
                "warning",
                "FEAT005",
                f"feature folder nested in {folder.name}/; sdd only sees feature folders "
                "directly under the specs folder",
            )


def _unfilled_templates(project: Project, folder: Path, add: _AddFolderFinding) -> None:
    """Artifacts in a folder that is not a feature's (``specs/master/plan.md``)."""
    for name in ARTIFACTS:
        path = folder / name
        if path.is_file() and not path.is_symlink():
            _unfilled_template(project, path, add)


def _unfilled_template(project: Project, path: Path, add: _AddFolderFinding) -> None:
    from sdd.base.errors import ParseError
    from sdd.base.fileio import read_text
    from sdd.base.markdown import MarkdownText
    from sdd.text.placeholders import find_in

    try:
        document = MarkdownText(read_text(path))
    except (ParseError, OSError):
        return
    found = find_in(document)
    headings = document.headings
    title_line = headings[0].line if headings and headings[0].level == 1 else None
    in_title = any(placeholder.line == title_line for placeholder in found)
    if len(found) < UNFILLED_TOKENS and not in_title:
        return
    first = found[0]
    add(
        path,
        "error",
        "FEAT007",
        f"{path.name} is a template never filled in ({len(found)} placeholders, the first "
        f"{first.shown} on line {first.line}), outside any feature folder: fill it in "
        f"{project.rel(project.paths.specs)}/NNN-slug/ or delete it",
    )
