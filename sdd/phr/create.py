"""``sdd phr new``: route a record by stage, allocate its ID, redact secrets, write it once.

IDs: the largest ID in any record file name under the prompts folder, plus one, at least four
digits. Allocation and the exclusive create happen holding ``fileio.locked`` on the prompts
folder (ADR-0021), so that concurrent creators get distinct IDs even with different slugs; the
record itself is still published with ``fileio.create_exclusive`` and the next ID is tried when
a name is taken.
Nothing is written unless the rendered record passes the PHR checks and reads back unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sdd.base import gitio, templates
from sdd.base.diagnostics import Finding
from sdd.base.errors import GitError, RefusedError, UsageError
from sdd.base.fileio import create_exclusive, locked
from sdd.base.paths import relative_posix
from sdd.base.slugs import slugify
from sdd.phr import record as phr
from sdd.phr import schema
from sdd.project.folders import require_folders
from sdd.project.project import Project
from sdd.text.secrets import redact

TEMPLATE = "phr.prompt.md"
MAX_ATTEMPTS = 1000


@dataclass(frozen=True)
class NewRecord:
    """What the user asked for; ``None`` fields are filled from the clock, git and config."""

    stage: str
    title: str
    prompt: str
    response: str | None = None
    feature: str | None = None
    model: str | None = None
    surface: str | None = "agent"
    command: str | None = None
    labels: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)
    date: str | None = None
    branch: str | None = None
    user: str | None = None
    redact: bool = True


@dataclass(frozen=True)
class Redaction:
    section: str
    kind: str
    line: int

    def as_dict(self) -> dict[str, object]:
        return {"section": self.section, "kind": self.kind, "line": self.line}


@dataclass(frozen=True)
class Created:
    path: Path
    id: str
    route: str
    stage: str
    feature: str | None
    redactions: tuple[Redaction, ...]
    warnings: tuple[Finding, ...]

    def as_dict(self, root: Path) -> dict[str, object]:
        """The ``sdd phr new --json`` document."""
        return {
            "schema": "sdd.phr-new/1",
            "path": relative_posix(self.path, root),
            "id": self.id,
            "route": self.route,
            "stage": self.stage,
            "feature": self.feature,
            "redacted": [r.as_dict() for r in self.redactions],
            "findings": [f.as_dict() for f in self.warnings],
        }


def _one_line(name: str, value: str | None) -> None:
    if value is not None and any(ch in value for ch in "\n\r\x00"):
        raise UsageError(f"{name} must be a single line of text")


def _check_text(name: str, value: str) -> None:
    if "\x00" in value:
        raise UsageError(f"the {name} holds NUL bytes; give text, not binary data")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"the {name} is not valid UTF-8 text") from None


def _check_title(title: str) -> None:
    if not title.strip():
        raise UsageError("the title is empty; give a short title for the record")
    if not any(unicodedata.category(ch)[0] in "LNS" for ch in title):
        raise UsageError(
            f"title {title!r} has no letters, digits or symbols to name the file; give a real title"
        )


def _validate(request: NewRecord) -> None:
    if request.stage not in schema.STAGES:
        raise UsageError(f"unknown stage {request.stage!r}; stages: {', '.join(schema.STAGES)}")
    _check_title(request.title)
    _check_text("title", request.title)
    _check_text("prompt", request.prompt)
    if not request.prompt.strip():
        raise UsageError("the prompt is empty; a record must hold the prompt it records")
    if request.response is not None:
        _check_text("response", request.response)
    for name in ("model", "surface", "command", "date", "branch", "user"):
        _one_line(f"--{name}", getattr(request, name))
    for name in ("labels", "files", "tests"):
        for value in getattr(request, name):
            _one_line(f"each --{name[:-1]}", value)
    for key, value in request.links.items():
        if key not in schema.LINK_KEYS:
            raise UsageError(
                f"unknown link {key!r}; links: {', '.join(schema.LINK_KEYS)} (as key=value)"
            )
        _one_line(f"--link {key}", value)
    if request.date is not None and phr.iso_date(request.date) is None:
        raise UsageError(f"date {request.date!r} is not an ISO date (YYYY-MM-DD)")


def _git_user(root: Path) -> str | None:
    try:
        return gitio.config_value(root, "user.name")
    except GitError:
        return None


def _git_branch(root: Path) -> str | None:
    try:
        if gitio.toplevel(root) is None:
            return None
        return gitio.current_branch(root)
    except GitError:
        return None


def _filled(project: Project, request: NewRecord) -> NewRecord:
    """``request`` with the date, branch and user taken from the clock and git if not given."""
    return dataclasses.replace(
        request,
        date=request.date or datetime.date.today().isoformat(),
        branch=request.branch if request.branch is not None else _git_branch(project.root),
        user=request.user if request.user is not None else _git_user(project.root),
    )


def _redacted_fields(request: NewRecord) -> tuple[NewRecord, list[Redaction]]:
    """``request`` with secrets redacted from every one-line field sdd writes, the title
    (which also names the file) and labels included."""
    redactions: list[Redaction] = []

    def clean(field: str, value: str | None) -> str | None:
        if value is None:
            return None
        text, found = redact(value)
        redactions.extend(Redaction(field, secret.kind, 1) for secret in found)
        return text

    changes: dict[str, object] = {
        name: clean(name, getattr(request, name))
        for name in ("title", "model", "surface", "command", "branch", "user")
    }
    for name in ("labels", "files", "tests"):
        changes[name] = tuple(clean(name, value) for value in getattr(request, name))
    changes["links"] = {key: clean(f"link {key}", value) for key, value in request.links.items()}
    return dataclasses.replace(request, **changes), redactions  # type: ignore[arg-type]


def _redacted(request: NewRecord) -> tuple[str, str | None, tuple[Redaction, ...]]:
    if not request.redact:
        return request.prompt, request.response, ()
    prompt, found = redact(request.prompt)
    redactions = [Redaction("Prompt", s.kind, s.line) for s in found]
    response = request.response
    if response is not None:
        response, found = redact(response)
        redactions.extend(Redaction("Response snapshot", s.kind, s.line) for s in found)
    return prompt, response, tuple(redactions)


def render(
    project: Project,
    request: NewRecord,
    record_id: str,
    feature: str | None,
    prompt: str,
    response: str | None,
) -> str:
    """The text of the record (``request`` filled), rendered from the ``phr.prompt.md``
    template."""
    from sdd.base import yamlio

    values: dict[str, object] = {
        "id": record_id,
        "title": request.title,
        "stage": request.stage,
        "date": request.date,
        "surface": request.surface,
        "model": request.model,
        "feature": feature or "none",
        "branch": request.branch,
        "user": request.user,
        "command": request.command,
        "labels": list(request.labels),
        "links": {key: request.links.get(key) for key in schema.LINK_KEYS},
        "files": list(request.files),
        "tests": list(request.tests),
    }
    front = {key.name: values[key.name] for key in schema.SCHEMA}  # the schema's order
    context = {
        "front_matter": yamlio.dump(front),
        "prompt": phr.fence(prompt),
        "response": phr.fence(response) if response is not None else "",
        "files": list(request.files),
        "tests": list(request.tests),
        "title": request.title,
        "stage": request.stage,
        "id": record_id,
    }
    return templates.render(TEMPLATE, context, project_dir=project.paths.templates)


def _verify(
    project: Project, path: Path, text: str, prompt: str, response: str | None
) -> list[Finding]:
    """Refuse a record that would not pass the checks or would not read back as given."""
    from sdd.phr.checks import check_text

    findings = check_text(project, path, text)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise UsageError(
            f"the record would not pass validation ({first.code} {first.message}); "
            "nothing was written"
        )
    record = phr.parse_record(text, path)
    if record.prompt != prompt or (response is not None and record.response != response):
        raise UsageError(
            "the record template does not keep the prompt and response verbatim "
            f"(check {TEMPLATE} in {project.rel(project.paths.templates)}/); nothing was written"
        )
    return [f for f in findings if f.severity != "error"]


def create(project: Project, request: NewRecord) -> Created:
    """Write a new record for ``request``; ``UsageError`` (nothing written) when it cannot."""
    from sdd.base.paths import safe_join
    from sdd.features.folders import resolve_feature

    _validate(request)
    feature = (
        resolve_feature(project, request.feature) if request.stage in phr.FEATURE_STAGES else None
    )
    route = phr.route_for(request.stage, feature)
    folder = safe_join(project.paths.prompts, route)
    require_folders(project, folder)
    request = _filled(project, request)
    prompt, response, redactions = _redacted(request)
    if request.redact:
        request, in_fields = _redacted_fields(request)
        redactions = (*redactions, *in_fields)
    slug = slugify(request.title)
    # Render and check once before taking the lock: a record that would not pass fails at
    # once, and concurrent creators hold the lock only to number and write (milliseconds).
    draft = phr.format_id(1)
    draft_text = render(project, request, draft, feature, prompt, response)
    _verify(
        project, folder / phr.file_name(draft, slug, request.stage), draft_text, prompt, response
    )
    with locked(project.paths.prompts):
        for _ in range(MAX_ATTEMPTS):
            record_id = phr.format_id(phr.largest_id(project.paths.prompts) + 1)
            path = folder / phr.file_name(record_id, slug, request.stage)
            text = render(project, request, record_id, feature, prompt, response)
            warnings = _verify(project, path, text, prompt, response)
            if create_exclusive(path, text):
                return Created(
                    path, record_id, route, request.stage, feature, redactions, tuple(warnings)
                )
    raise RefusedError(f"no free record ID after {MAX_ATTEMPTS} attempts in {project.rel(folder)}/")
