"""The validation section of a PR checklist: ``sdd validate`` on the changed artifacts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sdd.detect.diff import DELETED
from sdd.pr.context import ChecklistContext
from sdd.pr.items import (
    FAIL,
    INFO,
    PASS,
    Item,
    Section,
    capped,
    code,
    one_line,
    plural,
)

if TYPE_CHECKING:
    from sdd.base.diagnostics import Report


def _artifact_paths(context: ChecklistContext) -> list[Path]:
    """The artifacts the range adds or changes that exist in the working tree: ``sdd.yaml``
    and what the pre-commit hook validates (Markdown in the artifact folders, the
    constitution)."""
    from sdd.project.artifacts import artifact_scope, is_artifact
    from sdd.project.config import CONFIG_FILE

    project = context.project
    scope = artifact_scope(project)
    prefix = f"{context.root_in_top}/" if context.root_in_top else ""
    found = []
    for change in context.change.patch.files:
        if change.status == DELETED or not change.path.startswith(prefix):
            continue
        relative = change.path[len(prefix) :]
        if relative == CONFIG_FILE or is_artifact(relative, scope):
            path = project.root / relative
            if path.is_file():
                found.append(path)
    return found


def validation_section(context: ChecklistContext) -> tuple[Section, Report | None]:
    from sdd.project.selection import Selection
    from sdd.validation.validate import validate

    paths = _artifact_paths(context)
    if not paths:
        item = Item(
            "validate",
            INFO,
            "no sdd artifact (spec, plan, tasks, PHR, ADR, constitution, `sdd.yaml`) changed "
            "in this range",
        )
        return Section("validate", "Validation", (item,)), None
    report = validate(context.project, Selection.of(paths))
    artifacts = plural(len(paths), "changed artifact")
    details = capped(
        f"{code(context.from_project(f.path) + ':' + str(f.line))} {f.severity} {f.code} "
        f"{one_line(f.message)}"
        for f in report.findings
    )
    if report.errors:
        text = (
            f"`sdd validate`: {plural(report.errors, 'error')}, "
            f"{plural(report.warnings, 'warning')} in the {artifacts}"
        )
        state = FAIL
    elif report.warnings:
        text = f"`sdd validate`: no errors, {plural(report.warnings, 'warning')} in the {artifacts}"
        state = PASS
    else:
        text = f"`sdd validate`: no findings in the {artifacts}"
        state = PASS
    return Section("validate", "Validation", (Item("validate", state, text, details),)), report
