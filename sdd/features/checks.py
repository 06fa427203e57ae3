"""The feature-artifact checker of ``sdd validate``, and the analysis behind status and show.

Each feature folder is read once (spec.md, plan.md, tasks.md) and analysed in one pass:
required sections, placeholders, clarification markers, task lines, requirement IDs and
their coverage. Codes are listed in docs/diagnostics.md ("Feature artifacts").

Required sections come from the headings of the artifact's template (the project's override
in ``.sdd/templates/`` first, else the packaged default), so a customised template defines
its own. Of a template's headings of level 2 and below, one is required unless it

* holds a placeholder (``### User Story 1 - [Brief Title] (Priority: P1)``): an example to
  copy and rename, or
* carries a parenthesised note with "optional" or "if" (``*(optional)*``,
  ``*(include if the feature involves data)*``): optional;

the headings below an example or optional heading are not required either. A file has a
required section when one of its headings, compared without emphasis, parenthesised notes,
leading enumeration (``II.``, ``3.``) and case, equals the template's heading or starts with
it followed by a word boundary (``Phase 1: Setup (Shared Infrastructure)`` has
``Phase 1: Setup``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.base.diagnostics import Finding, Severity
from sdd.base.markdown import MarkdownText
from sdd.features.folders import (
    ARTIFACTS,
    FEATURE_FOLDER,
    ArtifactText,
    list_features,
    read_artifacts,
)
from sdd.features.requirements import (
    Requirement,
    RequirementKey,
    find_requirements,
    first_mentions,
    referenced_keys,
)
from sdd.features.tasks import TaskList, parse_tasks
from sdd.project.project import Project
from sdd.project.selection import Selection
from sdd.text.placeholders import Placeholder, find_in, scan_line

if TYPE_CHECKING:
    from sdd.base.filecache import FileResultCache

_ANNOTATION = re.compile(r"\(([^)]*)\)")  # searched only up to the last ")": see _notes
_OPTIONAL_NOTE = re.compile(r"\b(?:optional|if)\b", re.IGNORECASE)
_ENUMERATION = re.compile(r"^(?:[ivxlcdm]+|\d+(?:\.\d+)*|[a-z])[.)]\s+", re.IGNORECASE)
_GOOD_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class RequiredSection:
    title: str
    key: str


def _without_notes(text: str) -> str:
    """``text`` with each parenthesised note replaced by a space. Only the text up to the last
    ``)`` is searched: an opening after it cannot close, and trying each one to the end of
    the text took time quadratic in their number."""
    last = text.rfind(")") + 1
    return _ANNOTATION.sub(" ", text[:last]) + text[last:]


def _notes(text: str) -> list[str]:
    """The parenthesised notes of ``text`` (searched like ``_without_notes``)."""
    return _ANNOTATION.findall(text, 0, text.rfind(")") + 1)


@lru_cache(maxsize=4096)
def heading_key(text: str) -> str:
    """A heading reduced for comparison: no emphasis, notes, enumeration or case."""
    bare = text.replace("*", "").replace("`", "").replace("_", " ")
    bare = " ".join(_without_notes(bare).split()).lower()
    return _ENUMERATION.sub("", bare).strip(" :.-—–")


def _is_example(line: str) -> bool:
    return "{{" in line or "{%" in line or bool(scan_line(line, 1))


def _is_optional(text: str) -> bool:
    return any(_OPTIONAL_NOTE.search(note) for note in _notes(text))


def required_sections(template_text: str) -> tuple[RequiredSection, ...]:
    """The sections a file made from this template must keep (see the module docstring)."""
    document = MarkdownText(template_text)
    required: list[RequiredSection] = []
    skipped_level: int | None = None
    for level, text in document.heading_texts:
        if skipped_level is not None and level > skipped_level:
            continue
        skipped_level = None
        if level < 2:
            continue
        if _is_example("#" * level + " " + text) or _is_optional(text):
            skipped_level = level
            continue
        title = " ".join(_without_notes(text.replace("*", "")).split())
        required.append(RequiredSection(title, heading_key(text)))
    return tuple(required)


@lru_cache(maxsize=16)
def _sections_from(path: str, modified: int) -> tuple[RequiredSection, ...]:
    from sdd.base.fileio import read_text

    return required_sections(read_text(Path(path)))


@dataclass(frozen=True)
class Rules:
    """Required sections per artifact, and the template each list came from."""

    sections: dict[str, tuple[RequiredSection, ...]]
    sources: dict[str, str]


def load_rules(project: Project) -> Rules:
    """Required sections from the project's templates (override first), cached per run."""
    from sdd.base import templates
    from sdd.base.paths import ensure_inside

    sections: dict[str, tuple[RequiredSection, ...]] = {}
    sources: dict[str, str] = {}
    for name in ARTIFACTS:
        override = project.paths.templates / name
        if override.is_file():
            ensure_inside(override, project.root)
            path, shown = override, f"template {project.rel(override)}"
        else:
            path, shown = templates.packaged_dir() / name, f"the default {name} template"
        if not path.is_file():
            sections[name], sources[name] = (), shown
            continue
        sections[name] = _sections_from(str(path), path.stat().st_mtime_ns)
        sources[name] = shown
    return Rules(sections, sources)


def _has_section(keys: list[str], required: str) -> bool:
    for key in keys:
        if key == required or (key.startswith(required) and not key[len(required)].isalnum()):
            return True
    return False


@dataclass
class FeatureReport:
    """Everything one pass over a feature folder found."""

    name: str
    folder: Path
    artifacts: dict[str, ArtifactText]
    located: list[tuple[Path, Finding]] = field(default_factory=list)
    tasks: TaskList | None = None
    requirements: list[Requirement] = field(default_factory=list)
    clarifications: list[tuple[str, Placeholder]] = field(default_factory=list)
    uncovered: list[Requirement] = field(default_factory=list)
    coverage_checked: bool = False

    @property
    def findings(self) -> list[Finding]:
        return [finding for _, finding in self.located]

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "warning")


class _Reporter:
    def __init__(self, project: Project, report: FeatureReport) -> None:
        self.project = project
        self.report = report

    def add(
        self,
        path: Path,
        line: int,
        severity: Severity,
        code: str,
        message: str,
        *,
        selected_by: Path | None = None,
    ) -> None:
        """Report on ``path``; ``selected_by``: the path a validation selection is matched
        against instead (a link leading out of the project resolves outside every selection)."""
        finding = Finding(self.project.rel(path), max(line, 1), severity, code, message)
        self.report.located.append((selected_by or path, finding))


def _check_sections(
    out: _Reporter, artifact: ArtifactText, document: MarkdownText, rules: Rules
) -> None:
    required = rules.sections.get(artifact.name, ())
    if not required:
        return
    keys = [heading_key(text) for _, text in document.heading_texts]
    for section in required:
        if not _has_section(keys, section.key):
            out.add(
                artifact.path,
                1,
                "error",
                "FEAT012",
                f"missing required section '{section.title}' (from {rules.sources[artifact.name]})",
            )


def _check_placeholders(out: _Reporter, artifact: ArtifactText, document: MarkdownText) -> None:
    for found in find_in(document):
        if found.kind == "clarification":
            out.report.clarifications.append((artifact.name, found))
            severity: Severity = "warning" if artifact.name == "spec.md" else "error"
            out.add(
                artifact.path,
                found.line,
                severity,
                "FEAT014",
                f"unresolved clarification placeholder {found.text}",
            )
        else:
            out.add(
                artifact.path,
                found.line,
                "error",
                "FEAT013",
                f"template placeholder {found.text} left in {artifact.name}",
            )


def _check_tasks(out: _Reporter, artifact: ArtifactText, tasks: TaskList) -> None:
    for malformed in tasks.malformed:
        out.add(
            artifact.path,
            malformed.line,
            "error",
            "FEAT020",
            "malformed task line (expected '- [ ] T001 [P] [US1] Description'): "
            f"{malformed.text[:80]}",
        )
    ids = tasks.ids
    if len(set(ids)) != len(ids) or tasks.has_blank_description:
        first_line: dict[str, int] = {}
        for task in tasks.tasks:
            assert task.id is not None
            if task.id in first_line:
                out.add(
                    artifact.path,
                    task.line,
                    "error",
                    "FEAT021",
                    f"duplicate task ID {task.id} (first on line {first_line[task.id]})",
                )
            else:
                first_line[task.id] = task.line
            if not task.description:
                out.add(
                    artifact.path,
                    task.line,
                    "warning",
                    "FEAT022",
                    f"task {task.id} has no description",
                )
    if ids:
        return
    if tasks.total:
        out.add(
            artifact.path,
            tasks.checklist[0].line,
            "warning",
            "FEAT023",
            f"no task IDs: {tasks.total} checklist items are not spec-kit tasks "
            "('- [ ] T001 Description'), so 'sdd tasks done' cannot address them",
        )
    elif not tasks.has_malformed:
        out.add(artifact.path, 1, "warning", "FEAT023", "tasks.md holds no tasks")


def _check_requirement_ids(
    out: _Reporter, artifact: ArtifactText, requirements: list[Requirement]
) -> None:
    first: dict[RequirementKey, Requirement] = {}
    for requirement in requirements:
        earlier = first.get(requirement.key)
        if earlier is None:
            first[requirement.key] = requirement
            continue
        out.add(
            artifact.path,
            requirement.line,
            "error",
            "FEAT030",
            f"duplicate requirement ID {requirement.id} (first defined as {earlier.id} "
            f"on line {earlier.line})",
        )


def _check_coverage(
    out: _Reporter,
    spec: ArtifactText,
    requirements: list[Requirement],
    referring: list[tuple[ArtifactText, MarkdownText]],
) -> None:
    functional = [requirement for requirement in requirements if requirement.kind == "FR"]
    defined = {requirement.key for requirement in requirements}
    mentioned: set[RequirementKey] = set()
    for artifact, document in referring:
        keys = referenced_keys(document.text)
        mentioned |= keys
        unknown = {key for key in keys if key[0] == "FR" and key not in defined}
        if not functional or not unknown:
            continue
        for offset, shown in sorted(first_mentions(document.text, unknown).values()):
            out.add(
                artifact.path,
                document.line_of(offset),
                "warning",
                "FEAT032",
                f"{shown} is mentioned but not defined in spec.md",
            )
    names = " or ".join(artifact.name for artifact, _ in referring)
    seen: set[RequirementKey] = set()
    for requirement in functional:
        if requirement.key in mentioned or requirement.key in seen:
            continue
        seen.add(requirement.key)
        out.report.uncovered.append(requirement)
        out.add(
            spec.path,
            requirement.line,
            "warning",
            "FEAT031",
            f"coverage gap: {requirement.id} is not referenced by {names}",
        )


def analyse_feature(project: Project, folder: Path, rules: Rules) -> FeatureReport:
    """Read a feature folder once and run every feature-artifact check on it."""
    report = FeatureReport(folder.name, folder, read_artifacts(folder, project.root))
    out = _Reporter(project, report)
    if "spec.md" not in report.artifacts:
        out.add(folder, 1, "warning", "FEAT006", f"feature folder {folder.name} has no spec.md")
    documents: dict[str, MarkdownText] = {}
    for name, artifact in report.artifacts.items():
        if artifact.text is None:
            problem = artifact.problem
            line = problem.line if problem is not None and problem.line else 1
            message = problem.message if problem is not None else "unreadable"
            out.add(
                artifact.path,
                line,
                "error",
                "FEAT010",
                f"cannot read {name}: {message}",
                selected_by=folder if artifact.outside else None,
            )
            continue
        if not artifact.text.strip():
            out.add(artifact.path, 1, "error", "FEAT011", f"{name} is empty")
            continue
        document = MarkdownText(artifact.text)
        documents[name] = document
        _check_sections(out, artifact, document, rules)
        _check_placeholders(out, artifact, document)
        if name == "tasks.md":
            report.tasks = parse_tasks(document)
            _check_tasks(out, artifact, report.tasks)
        elif name == "spec.md":
            report.requirements = find_requirements(document)
            _check_requirement_ids(out, artifact, report.requirements)
    if "spec.md" in documents:
        referring = [
            (report.artifacts[name], documents[name])
            for name in ("plan.md", "tasks.md")
            if name in documents
        ]
        if referring:
            report.coverage_checked = True
            _check_coverage(out, report.artifacts["spec.md"], report.requirements, referring)
    return report


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
    by_number: dict[str, list[str]] = {}
    for entry in entries:
        if entry.name.startswith("."):
            continue
        match = FEATURE_FOLDER.match(entry.name)
        path = Path(entry.path)
        if entry.is_dir():
            if match is None:
                _nested(path, add)
                continue
            by_number.setdefault(match.group("number"), []).append(entry.name)
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
    for number, names in by_number.items():
        if len(names) < 2:
            continue
        for name in names:
            others = ", ".join(other for other in names if other != name)
            add(
                specs / name,
                "error",
                "FEAT002",
                f"feature number {number} is also used by {others}",
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


def check(
    project: Project, selection: Selection, cache: FileResultCache | None = None
) -> Iterable[Finding]:
    """The ``sdd validate`` checker for feature folders and their spec, plan and tasks.
    ``cache``: the findings of folders whose files are unchanged (its context covers the
    templates and the configuration); the checks across folders always run."""
    specs = project.paths.specs
    if not specs.is_dir() or not selection.touches(specs):
        return []
    rules = load_rules(project) if cache is None else None
    findings = [f for path, f in folder_findings(project) if selection.includes(path)]
    for name in list_features(project):
        folder = specs / name
        if not selection.is_everything and not selection.touches(folder):
            continue
        if cache is None:
            assert rules is not None
            located = analyse_feature(project, folder, rules).located
        else:
            located, rules = _cached_located(project, folder, rules, cache)
        findings.extend(f for path, f in located if selection.includes(path))
    return findings


def _cached_located(
    project: Project, folder: Path, rules: Rules | None, cache: FileResultCache
) -> tuple[list[tuple[Path, Finding]], Rules | None]:
    """A folder's located findings from ``cache`` while its files are unchanged (the
    rules are loaded only once a folder must be analysed)."""
    from sdd.base.filecache import decode_finding, encode_finding, tree_fingerprint

    stamp, newest = tree_fingerprint(folder)  # before any file is read
    payload = cache.get_payload(folder.name, stamp)
    if payload is not None:
        try:
            return [(Path(where), decode_finding(row)) for where, row in payload], rules
        except (TypeError, ValueError):  # a damaged entry is analysed again
            pass
    rules = rules or load_rules(project)
    located = analyse_feature(project, folder, rules).located
    rows = [[str(path), encode_finding(finding)] for path, finding in located]
    cache.put_payload(folder.name, stamp, newest, rows)
    return located, rules
