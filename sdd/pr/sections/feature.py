"""The feature section of a PR checklist: its artifacts, tasks, coverage and clarifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdd.base.errors import UsageError
from sdd.pr.context import ChecklistContext, FeatureInfo
from sdd.pr.items import (
    FAIL,
    PASS,
    Item,
    Section,
    capped,
    code,
    listed,
    one_line,
    plural,
)

if TYPE_CHECKING:
    from sdd.overview.status import FeatureDetail

ARTIFACT_NAMES = ("spec.md", "plan.md", "tasks.md")


def choose_feature(
    context: ChecklistContext, explicit: str | None
) -> tuple[str | None, str | None]:
    """The feature and how it was chosen; (None, None) with a note when none can be."""
    from sdd.features.folders import list_features, resolve_feature

    project = context.project
    if explicit is not None and explicit.strip():
        return resolve_feature(project, explicit), "option"
    try:
        return resolve_feature(project, None), "branch"
    except UsageError:
        pass
    known = set(list_features(project))
    specs = context.top_path(project.paths.specs).rstrip("/") + "/"
    touched = sorted(
        {
            change.path[len(specs) :].split("/", 1)[0]
            for change in context.change.patch.files
            if change.path.startswith(specs)
        }
        & known
    )
    if len(touched) == 1:
        return touched[0], "changes"
    branch = context.change.branch
    specs_shown = code(context.top_path(project.paths.specs) + "/")
    where = f"the branch {code(branch)} names no folder in {specs_shown}" if branch else ""
    where = where or "HEAD is detached"
    touches = (
        f"the changes touch {len(touched)} feature folders ({listed([code(t) for t in touched])})"
        if touched
        else "the changes touch no feature folder"
    )
    context.notes.append(f"No feature section: no `--feature` was given, {where}, and {touches}.")
    return None, None


def feature_section(context: ChecklistContext, detail: FeatureDetail, info: FeatureInfo) -> Section:
    from sdd.features.requirements import referenced_keys

    report = detail.report
    links = []
    for name, path in info.artifacts.items():
        links.append(context.link(name, path) if path is not None else f"{name} missing")
    missing = [name for name, path in info.artifacts.items() if path is None]
    items = [Item("feature.artifacts", FAIL if missing else PASS, " · ".join(links))]
    tasks_path = info.artifacts.get("tasks.md")
    tasks = report.tasks
    if tasks_path is not None and tasks is not None:
        if tasks.total == 0:
            items.append(Item("feature.tasks", FAIL, f"{code(tasks_path)} lists no tasks"))
        else:
            open_tasks = detail.open_tasks
            items.append(
                Item(
                    "feature.tasks",
                    PASS if not open_tasks else FAIL,
                    f"tasks: {tasks.done}/{tasks.total} done"
                    + (f", {len(open_tasks)} open:" if open_tasks else ""),
                    capped(
                        (
                            f"{task.id + ' ' if task.id else ''}{one_line(task.description)} "
                            f"({code(f'{tasks_path}:{task.line}')})"
                        )
                        for task in open_tasks
                    ),
                )
            )
        functional = [r for r in report.requirements if r.kind == "FR"]
        tasks_text = report.artifacts["tasks.md"].text or ""
        if functional:
            mentioned = referenced_keys(tasks_text)
            seen: set[tuple[str, int, str]] = set()
            uncovered = []
            for requirement in functional:
                if requirement.key not in mentioned and requirement.key not in seen:
                    seen.add(requirement.key)
                    uncovered.append(requirement)
            spec_path = info.artifacts["spec.md"]
            if uncovered:
                items.append(
                    Item(
                        "feature.coverage",
                        FAIL,
                        f"{len(uncovered)} of {plural(len(functional), 'functional requirement')} "
                        "without a task:",
                        capped(
                            f"{r.id} {one_line(r.text)} ({code(f'{spec_path}:{r.line}')})"
                            for r in uncovered
                        ),
                    )
                )
            else:
                items.append(
                    Item(
                        "feature.coverage",
                        PASS,
                        f"every functional requirement ({len(functional)}) has a task",
                    )
                )
    if report.clarifications:
        items.append(
            Item(
                "feature.clarifications",
                FAIL,
                f"{plural(len(report.clarifications), 'clarification marker')} still open:",
                capped(
                    code(f"{info.artifacts.get(name) or name}:{marker.line}")
                    + f" {one_line(marker.text)}"
                    for name, marker in report.clarifications
                ),
            )
        )
    title = f"Feature {code(info.name)}" + (f": {one_line(info.title)}" if info.title else "")
    note = (
        "Chosen because the changes touch only this feature's folder."
        if info.chosen_by == "changes"
        else None
    )
    return Section("feature", title, tuple(items), note)


def chosen_feature(
    context: ChecklistContext, explicit: str | None
) -> tuple[Section, FeatureInfo, dict[str, str]] | None:
    """The feature's section, its description, and the texts of its artifacts by
    (top-relative) path, in the order a justification is searched: plan, spec, tasks."""
    from sdd.features.folders import spec_title
    from sdd.overview.status import feature_detail

    name, chosen_by = choose_feature(context, explicit)
    if name is None or chosen_by is None:
        return None
    detail = feature_detail(context.project, name)
    folder = context.project.paths.specs / name
    artifacts = {
        artifact: context.top_path(folder / artifact)
        if artifact in detail.report.artifacts
        else None
        for artifact in ARTIFACT_NAMES
    }
    spec = detail.report.artifacts.get("spec.md")
    title = spec_title(spec.text) if spec is not None and spec.text else None
    info = FeatureInfo(name, title, chosen_by, artifacts)
    texts = {}
    for artifact in ("plan.md", "spec.md", "tasks.md"):
        read = detail.report.artifacts.get(artifact)
        path = artifacts[artifact]
        if read is not None and read.text is not None and path is not None:
            texts[path] = read.text
    return feature_section(context, detail, info), info, texts
