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

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd.base import gitio
from sdd.base.errors import UsageError
from sdd.base.paths import relative_posix
from sdd.pr.changes import Base, Facts, read_range
from sdd.pr.context import FeatureInfo
from sdd.pr.items import (
    FAIL,
    INFO,
    PASS,
    REVIEW,
    STATES,
    Item,
    Section,
    code,
    plural,
)

if TYPE_CHECKING:
    from sdd.adr.record import Adr
    from sdd.base.diagnostics import Report
    from sdd.overview.repository import ProjectState
    from sdd.project.project import Project

SCHEMA = "sdd.pr-checklist/1"
TEMPLATE = "pr-checklist.md"
MARKS = {PASS: "✔", FAIL: "✘", REVIEW: "[ ]", INFO: ""}


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


def _records(project: Project) -> dict[int, Adr]:
    from sdd.adr import record as adr

    if not project.paths.adr.is_dir():
        return {}
    return {record.number: record for record in adr.load_adrs(project.paths.adr)}


def build(
    project: Project,
    *,
    base: str | None = None,
    feature: str | None = None,
    only_project: bool = False,
) -> Checklist:
    """The checklist of the changes from ``merge-base(base, HEAD)`` to HEAD (with
    ``only_project``, of the changes inside the project's folder: one project of a monorepo)."""
    from sdd.pr.context import ChecklistContext, github_link_base
    from sdd.pr.sections.api import api_section
    from sdd.pr.sections.dependencies import dependencies_section
    from sdd.pr.sections.feature import chosen_feature
    from sdd.pr.sections.migrations import migrations_section
    from sdd.pr.sections.records import adr_section, phr_section
    from sdd.pr.sections.security import auth_sections
    from sdd.pr.sections.validation import validation_section

    change = read_range(project, base, only_project=only_project)
    root = project.root.resolve()
    context = ChecklistContext(
        project,
        change,
        relative_posix(root, change.top) if root != change.top else "",
        github_link_base(change.top, change.branch, change.head),
    )
    if change.dirty:
        context.notes.append(
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
        return Checklist(feature=None, sections=(), notes=tuple(context.notes), **common)
    chosen = chosen_feature(context, feature)
    records = _records(project)
    sections: list[Section] = []
    info: FeatureInfo | None = None
    texts: dict[str, str] = {}
    if chosen is not None:
        feature_section, info, texts = chosen
        sections.append(feature_section)
    # Where a decision may be written down: the feature's artifacts, then the ADRs.
    for number in sorted(records):
        texts[context.top_path(records[number].path)] = records[number].text
    facts = Facts(change, texts, info.artifacts.get("plan.md") if info is not None else None)
    sections.append(phr_section(context, facts))
    sections.append(adr_section(context, records))
    for section in (api_section(facts), migrations_section(facts), dependencies_section(facts)):
        if section is not None:
            sections.append(section)
    sections.extend(auth_sections(facts))
    validation, report = validation_section(context)
    sections.append(validation)
    return Checklist(
        feature=info,
        sections=tuple(sections),
        notes=tuple(context.notes),
        validation=report,
        **common,
    )


@dataclass(frozen=True)
class RepositoryChecklists:
    """``sdd pr checklist --all``: a checklist per project the changes touch."""

    checklists: tuple[tuple[ProjectState, Checklist], ...]

    @property
    def ok(self) -> bool:
        return all(checklist.ok for _, checklist in self.checklists)

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": "sdd.pr-checklist-all/1",
            "ok": self.ok,
            "projects": [{"project": state.name, **c.as_dict()} for state, c in self.checklists],
        }


def build_all(top: Path, *, base: str | None = None) -> RepositoryChecklists:
    """A checklist per project of the repository that the changes touch (monorepos), each
    judged with that project's configuration, rules and ADRs."""
    from sdd.overview.repository import load_projects

    checklists = []
    for state in load_projects(top):
        if state.project is None:
            continue
        checklist = build(state.project, base=base, only_project=True)
        if checklist.files:
            checklists.append((state, checklist))
    return RepositoryChecklists(tuple(checklists))


def render_all_markdown(result: RepositoryChecklists) -> str:
    """The checklists of ``build_all`` as one Markdown document, a section per project."""
    if not result.checklists:
        return "No project of this repository is touched by the changes; nothing to check.\n"
    parts = []
    for state, checklist in result.checklists:
        assert state.project is not None
        body = render_markdown(state.project, checklist).splitlines()
        shifted = "\n".join("#" + line if line.startswith("#") else line for line in body)
        parts.append(f"# Project `{state.name}`\n\n{shifted.strip()}\n")
    return "\n".join(parts)


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
