"""``sdd pr checklist``: a pull request's review checklist, every line read from the repository.

Sections, in order (a section whose subject the range does not touch is left out):

* the feature (``--feature``, ``SDD_FEATURE``, the branch's folder, else the one feature folder
  the changes touch): links to its artifacts, tasks done and open, functional requirements no
  task references, open clarification markers;
* the Prompt History Records added in the range;
* architecturally significant changes (``sdd adr detect`` on the range): covered by an ADR, or
  "needs an ADR" with the ``/sp.adr`` suggestion; the ADRs written in the range;
* API changes, migrations and dependencies (``sdd.pr.sections.api``, ``sdd.pr.sections.migrations``,
  ``sdd.pr.sections.dependencies``);
* authentication changes (the detector's auth signals) and secrets in the added lines
  (``sdd.text.secrets``);
* ``sdd validate`` findings for the artifacts changed in the range.

Paths are relative to the repository's top level (as the pull request shows them). The Markdown
is rendered from the ``pr-checklist.md`` template (``sdd templates eject pr-checklist.md`` to
change it); ``--json`` gives the same content as data (schema ``sdd.pr-checklist/1``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sdd.base import gitio
from sdd.base.errors import UsageError
from sdd.base.paths import relative_posix
from sdd.detect.diff import DELETED
from sdd.pr.changes import Base, ChangeRange, Facts, read_range
from sdd.pr.items import (
    FAIL,
    INFO,
    PASS,
    REVIEW,
    STATES,
    Evidence,
    Item,
    Section,
    capped,
    code,
    listed,
    one_line,
    plural,
)

if TYPE_CHECKING:
    from sdd.adr.record import Adr
    from sdd.base.diagnostics import Report
    from sdd.overview.status import FeatureDetail
    from sdd.project.project import Project

SCHEMA = "sdd.pr-checklist/1"
TEMPLATE = "pr-checklist.md"
MARKS = {PASS: "✔", FAIL: "✘", REVIEW: "[ ]", INFO: ""}
ARTIFACT_NAMES = ("spec.md", "plan.md", "tasks.md")
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


@dataclass(frozen=True)
class Checklist:
    base: Base
    merge_base: str
    head: str
    branch: str | None
    commits: tuple[gitio.CommitPaths, ...]
    files: tuple[tuple[str, str], ...]  # (path, status)
    feature: FeatureInfo | None
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()
    validation: Report | None = None
    command: str = "sdd pr checklist"

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @property
    def ok(self) -> bool:
        return not any(item.state == FAIL for item in self.items)

    @property
    def counts(self) -> dict[str, int]:
        return {state: sum(1 for item in self.items if item.state == state) for state in STATES}

    @property
    def summary(self) -> str:
        head = f"branch {code(self.branch)}" if self.branch else "detached HEAD"
        if not self.files:
            return f"No changes: {head} adds nothing to {code(self.base.ref)}; nothing to check."
        return (
            f"Changes of {head} against {code(self.base.ref)}: "
            f"{plural(len(self.files), 'file')} in {plural(len(self.commits), 'commit')}."
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": SCHEMA,
            "ok": self.ok,
            "summary": self.summary,
            "counts": self.counts,
            "base": {
                "ref": self.base.ref,
                "chosen_by": self.base.chosen_by,
                "merge_base": self.merge_base,
            },
            "head": {"sha": self.head, "branch": self.branch},
            "commits": [
                {"sha": c.sha, "subject": c.subject, "files": list(c.paths)} for c in self.commits
            ],
            "files": [{"path": path, "status": status} for path, status in self.files],
            "feature": self.feature.as_dict() if self.feature is not None else None,
            "notes": list(self.notes),
            "sections": [section.as_dict() for section in self.sections],
            "validation": self.validation.as_dict() if self.validation is not None else None,
        }


# --- building --------------------------------------------------------------------------------


@dataclass
class _Builder:
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


def _link_base(top: Path, branch: str | None, head: str) -> str:
    """``https://github.com/OWNER/REPO/blob/REF/`` when ``origin`` is on GitHub, else ""."""
    url = gitio.config_value(top, "remote.origin.url")
    found = _GITHUB.match(url.strip()) if url else None
    if found is None:
        return ""
    return f"https://github.com/{found.group('repo')}/blob/{quote(branch or head)}/"


def _choose_feature(builder: _Builder, explicit: str | None) -> tuple[str | None, str | None]:
    """The feature and how it was chosen; (None, None) with a note when none can be."""
    from sdd.features.folders import list_features, resolve_feature

    project = builder.project
    if explicit is not None and explicit.strip():
        return resolve_feature(project, explicit), "option"
    try:
        return resolve_feature(project, None), "branch"
    except UsageError:
        pass
    known = set(list_features(project))
    specs = builder.top_path(project.paths.specs).rstrip("/") + "/"
    touched = sorted(
        {
            change.path[len(specs) :].split("/", 1)[0]
            for change in builder.change.patch.files
            if change.path.startswith(specs)
        }
        & known
    )
    if len(touched) == 1:
        return touched[0], "changes"
    branch = builder.change.branch
    specs_shown = code(builder.top_path(project.paths.specs) + "/")
    where = f"the branch {code(branch)} names no folder in {specs_shown}" if branch else ""
    where = where or "HEAD is detached"
    touches = (
        f"the changes touch {len(touched)} feature folders ({listed([code(t) for t in touched])})"
        if touched
        else "the changes touch no feature folder"
    )
    builder.notes.append(f"No feature section: no `--feature` was given, {where}, and {touches}.")
    return None, None


def _feature_section(builder: _Builder, detail: FeatureDetail, info: FeatureInfo) -> Section:
    from sdd.features.requirements import referenced_keys

    report = detail.report
    links = []
    for name, path in info.artifacts.items():
        links.append(builder.link(name, path) if path is not None else f"{name} missing")
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


def _feature(
    builder: _Builder, explicit: str | None
) -> tuple[Section, FeatureInfo, dict[str, str]] | None:
    """The feature's section, its description, and the texts of its artifacts by
    (top-relative) path, in the order a justification is searched: plan, spec, tasks."""
    from sdd.features.folders import spec_title
    from sdd.overview.status import feature_detail

    name, chosen_by = _choose_feature(builder, explicit)
    if name is None or chosen_by is None:
        return None
    detail = feature_detail(builder.project, name)
    folder = builder.project.paths.specs / name
    artifacts = {
        artifact: builder.top_path(folder / artifact)
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
    return _feature_section(builder, detail, info), info, texts


def _phr_section(builder: _Builder, facts: Facts) -> Section:
    from sdd.phr.listing import records_at

    added = builder.changed_under(builder.project.paths.prompts, statuses=("added",))
    entries = records_at(builder.project, [builder.change.top / path for path in added])
    if entries:
        item = Item(
            "phr.recorded",
            PASS,
            f"{plural(len(entries), 'Prompt History Record')} added in this range:",
            capped(
                f"{code(entry.id)} {entry.stage} — {one_line(entry.title) or '(no title)'} "
                f"({code(builder.from_project(entry.path))})"
                for entry in entries
            ),
        )
    elif any(facts.path_set("code").matches(change.path) for change in facts.considered):
        item = Item(
            "phr.recorded",
            FAIL,
            "no Prompt History Record was added in this range, which changes code",
        )
    else:
        item = Item(
            "phr.recorded",
            INFO,
            "no Prompt History Record was added in this range (it changes no code)",
        )
    return Section("phr", "Prompt history", (item,))


def _adr_label(builder: _Builder, number: int, records: dict[int, Adr]) -> str:
    record = records.get(number)
    if record is None:
        return f"ADR-{number:04d}"
    path = builder.top_path(record.path)
    return f"{builder.link(record.label(), path)} {one_line(record.title)}"


def _adr_section(builder: _Builder, records: dict[int, Adr]) -> Section:
    verdict, pack = builder.change.verdict, builder.change.pack
    items = []
    for result in verdict.categories:
        if not result.significant:
            continue
        evidence = [
            f"{s.rule}: {Evidence(s.path, s.line, s.text).markdown()}" for s in result.signals
        ]
        if result.covered:
            labels = ", ".join(_adr_label(builder, n, records) for n in result.covered_by)
            items.append(
                Item(
                    f"adr.{result.name}",
                    PASS,
                    f"{result.title}: covered by {labels}",
                    capped(evidence, 6),
                )
            )
            continue
        # The suggestion of this category alone, in the detector's (Spec-Kit Plus) wording.
        message = dataclasses.replace(verdict, categories=(result,)).message(pack)
        items.append(
            Item(
                f"adr.{result.name}",
                FAIL,
                f"{result.title}: needs an ADR. {message}",
                capped(evidence, 6),
            )
        )
    if not items:
        items.append(
            Item("adr.none", PASS, "no architecturally significant change (`sdd adr detect`)")
        )
    written = builder.changed_under(builder.project.paths.adr, statuses=("added", "modified"))
    by_path = {builder.top_path(record.path): record for record in records.values()}
    shown = [by_path[path] for path in written if path in by_path]
    if shown:
        items.append(
            Item(
                "adr.written",
                INFO,
                f"{plural(len(shown), 'ADR')} written in this range:",
                tuple(
                    f"{_adr_label(builder, r.number, records)} ({r.status or 'no status'})"
                    for r in shown
                ),
            )
        )
    for note in verdict.notes:
        items.append(Item("adr.note", INFO, one_line(note)))
    return Section("adr", "Architecture decisions", tuple(items))


def _secrets_in_range(facts: Facts) -> list[Evidence]:
    """Possible secrets on added lines (kind only: the value is never repeated)."""
    from sdd.text.secrets import find_secrets

    found = []
    for change in facts.files:
        if not change.added:
            continue
        for secret in find_secrets("\n".join(change.added)):
            number = change.added_numbers[secret.line - 1]
            found.append(Evidence(change.path, number, secret.kind))
    return found


def _secrets_item(found: list[Evidence], added: int) -> Item:
    if found:
        return Item(
            "secrets",
            FAIL,
            f"{plural(len(found), 'possible secret')} in the added lines",
            capped(f"{code(f'{e.path}:{e.line}')} {e.text}" for e in found),
        )
    return Item("secrets", PASS, f"no secret in the {plural(added, 'added line')} of this range")


def _auth_sections(facts: Facts) -> list[Section]:
    """Authentication (the detector's auth signals, for a security review) with the secrets
    check; the secrets alone, in their own section, when they are found outside it."""
    signals = facts.signals("auth")
    found = _secrets_in_range(facts)
    added = sum(len(change.added) for change in facts.files)
    if signals:
        files = sorted({signal.path for signal in signals})
        review = Item(
            "auth.review",
            REVIEW,
            f"security review of the authentication changes in {listed([code(p) for p in files])}",
            capped(f"{s.side}: {Evidence(s.path, s.line, s.text).markdown()}" for s in signals),
        )
        return [Section("auth", "Authentication", (review, _secrets_item(found, added)))]
    if found:
        return [Section("secrets", "Secrets", (_secrets_item(found, added),))]
    return []


def _artifact_paths(builder: _Builder) -> list[Path]:
    """The artifacts the range adds or changes that exist in the working tree: ``sdd.yaml``
    and what the pre-commit hook validates (Markdown in the artifact folders, the
    constitution)."""
    from sdd.project.artifacts import artifact_scope, is_artifact
    from sdd.project.config import CONFIG_FILE

    project = builder.project
    scope = artifact_scope(project)
    prefix = f"{builder.root_in_top}/" if builder.root_in_top else ""
    found = []
    for change in builder.change.patch.files:
        if change.status == DELETED or not change.path.startswith(prefix):
            continue
        relative = change.path[len(prefix) :]
        if relative == CONFIG_FILE or is_artifact(relative, scope):
            path = project.root / relative
            if path.is_file():
                found.append(path)
    return found


def _validation_section(builder: _Builder) -> tuple[Section, Report | None]:
    from sdd.project.selection import Selection
    from sdd.validation.validate import validate

    paths = _artifact_paths(builder)
    if not paths:
        item = Item(
            "validate",
            INFO,
            "no sdd artifact (spec, plan, tasks, PHR, ADR, constitution, `sdd.yaml`) changed "
            "in this range",
        )
        return Section("validate", "Validation", (item,)), None
    report = validate(builder.project, Selection.of(paths))
    artifacts = plural(len(paths), "changed artifact")
    details = capped(
        f"{code(builder.from_project(f.path) + ':' + str(f.line))} {f.severity} {f.code} "
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


def _records(project: Project) -> dict[int, Adr]:
    from sdd.adr import record as adr

    if not project.paths.adr.is_dir():
        return {}
    return {record.number: record for record in adr.load_adrs(project.paths.adr)}


def build(project: Project, *, base: str | None = None, feature: str | None = None) -> Checklist:
    """The checklist of the changes from ``merge-base(base, HEAD)`` to HEAD."""
    from sdd.pr.sections.api import api_section
    from sdd.pr.sections.dependencies import dependencies_section
    from sdd.pr.sections.migrations import migrations_section

    change = read_range(project, base)
    root = project.root.resolve()
    builder = _Builder(
        project,
        change,
        relative_posix(root, change.top) if root != change.top else "",
        _link_base(change.top, change.branch, change.head),
    )
    if change.dirty:
        builder.notes.append(
            "The working tree has uncommitted changes: they are not in this range, but the "
            "feature and validation facts are read from the working tree."
        )
    command = "sdd pr checklist" + (f" --base {base}" if base else "")
    command += f" --feature {feature}" if feature else ""
    files = tuple((c.path, c.status) for c in change.patch.files)
    common: dict[str, Any] = {
        "base": change.base,
        "merge_base": change.merge_base,
        "head": change.head,
        "branch": change.branch,
        "commits": change.commits,
        "files": files,
        "command": command,
    }
    if change.empty:
        return Checklist(feature=None, sections=(), notes=tuple(builder.notes), **common)
    chosen = _feature(builder, feature)
    records = _records(project)
    sections: list[Section] = []
    info: FeatureInfo | None = None
    texts: dict[str, str] = {}
    if chosen is not None:
        feature_section, info, texts = chosen
        sections.append(feature_section)
    # Where a decision may be written down: the feature's artifacts, then the ADRs.
    for number in sorted(records):
        texts[builder.top_path(records[number].path)] = records[number].text
    facts = Facts(change, texts, info.artifacts.get("plan.md") if info is not None else None)
    sections.append(_phr_section(builder, facts))
    sections.append(_adr_section(builder, records))
    for section in (api_section(facts), migrations_section(facts), dependencies_section(facts)):
        if section is not None:
            sections.append(section)
    sections.extend(_auth_sections(facts))
    validation, report = _validation_section(builder)
    sections.append(validation)
    return Checklist(
        feature=info,
        sections=tuple(sections),
        notes=tuple(builder.notes),
        validation=report,
        **common,
    )


# --- output ----------------------------------------------------------------------------------


def render_markdown(project: Project, checklist: Checklist) -> str:
    """The checklist as Markdown, through the ``pr-checklist.md`` template."""
    from sdd.base import templates

    context = {
        "summary": checklist.summary,
        "notes": list(checklist.notes),
        "counts": checklist.counts,
        "sections": [section.as_dict() for section in checklist.sections],
        "marks": MARKS,
        "command": checklist.command,
        "checklist": checklist.as_dict(),
    }
    return templates.render(TEMPLATE, context, project_dir=project.paths.templates)


def write_output(destination: Path, text: str) -> Path:
    """Write ``text`` to ``destination`` (relative to the working directory) atomically.

    The path is the user's explicit choice: any folder is allowed and a previous checklist is
    replaced (through a symlink, which stays); the folder must exist, and the path must not
    be a folder or another non-regular file (a device, a pipe), which a rename would replace.
    """
    from sdd.base.fileio import write_atomic

    target = destination if destination.is_absolute() else Path.cwd() / destination
    try:
        if target.is_symlink():
            target = target.resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop
        raise UsageError(f"--output {destination}: {error}") from None
    if target.is_dir():
        raise UsageError(f"--output {destination} is a folder; give a file name")
    if target.exists() and not target.is_file():
        raise UsageError(
            f"--output {destination} is not a regular file; give a file name, or leave "
            "--output out to print the checklist"
        )
    if not target.parent.is_dir():
        raise UsageError(f"--output {destination}: the folder {target.parent} does not exist")
    try:
        write_atomic(target, text)
    except OSError as error:
        raise UsageError(
            f"--output {destination}: cannot write it ({error.strerror or error})"
        ) from None
    return target
