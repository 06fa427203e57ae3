"""The tools' work: call the core and return the same documents as the ``--json`` commands.

Plain functions of a project and their arguments, with no protocol in them, so that the
server stays a thin layer and each document can be compared with its command's ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdd.base.errors import UsageError
from sdd.project.project import Project

if TYPE_CHECKING:
    from sdd.adr.create import Draft
    from sdd.detect.source import DiffRequest

MAX_TEXT_BYTES = 10 * 1024 * 1024

Document = dict[str, Any]


def status(project: Project) -> Document:
    from sdd.overview.status import project_status, status_document

    return status_document(project_status(project))


def show(project: Project, feature: str | None) -> Document:
    from sdd.overview.status import feature_detail

    return dict(feature_detail(project, feature).as_dict())


def validate(project: Project, paths: list[str], *, staged: bool, strict: bool) -> Document:
    from sdd.validation.validate import selection_for
    from sdd.validation.validate import validate as run_validation

    # Relative paths are the project's, not the server's working directory.
    given = [project.root / path for path in paths]
    report = run_validation(project, selection_for(project, given, staged=staged), strict=strict)
    return report.as_dict()


def feature_new(
    project: Project, title: str, *, number: int | None, short_name: str | None, branch: bool
) -> Document:
    from sdd.features.create import create_feature

    created = create_feature(project, title, number=number, short_name=short_name, branch=branch)
    return created.as_dict(project)


def artifact_path(project: Project, feature: str | None, artifact: str) -> tuple[str, Path]:
    """The feature's name and where its ``artifact`` (plan.md, tasks.md) lives."""
    from sdd.features.folders import resolve_feature

    name = resolve_feature(project, feature)
    return name, project.paths.specs / name / artifact


def create_artifact(project: Project, feature: str, artifact: str, *, force: bool) -> Document:
    from sdd.features.create import create_artifact as create

    return create(project, feature, artifact, force=force).as_dict(project)


def tasks_flip(project: Project, feature: str | None, ids: list[str], *, done: bool) -> Document:
    from sdd.features.progress import mark_in_feature

    return mark_in_feature(project, ids, feature=feature, done=done).as_dict()


def _bounded(what: str, text: str | None) -> None:
    if text is not None and len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise UsageError(f"the {what} is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    if text is not None and "\x00" in text:
        raise UsageError(f"the {what} is binary (holds NUL bytes), not text")


def phr_new(project: Project, fields: dict[str, Any]) -> Document:
    from sdd.phr.create import NewRecord, create

    _bounded("prompt", fields["prompt"])
    _bounded("response", fields.get("response"))
    request = NewRecord(
        stage=fields["stage"],
        title=fields["title"],
        prompt=fields["prompt"],
        response=fields.get("response"),
        feature=fields.get("feature"),
        model=fields.get("model"),
        surface=fields.get("surface") or "agent",
        command=fields.get("command"),
        labels=tuple(fields.get("labels") or ()),
        files=tuple(fields.get("files") or ()),
        tests=tuple(fields.get("tests") or ()),
        links=dict(fields.get("links") or {}),
        date=fields.get("date"),
        branch=fields.get("branch"),
        user=fields.get("user"),
        redact=fields.get("redact", True),
    )
    return create(project, request).as_dict(project.root)


def phr_list(
    project: Project,
    *,
    stage: str | None,
    feature: str | None,
    label: str | None,
    since: str | None,
) -> Document:
    from sdd.phr.listing import list_document, list_records

    return list_document(
        list_records(project, stage=stage, feature=feature, label=label, since=since)
    )


def phr_show(project: Project, record: str) -> Document:
    from sdd.phr.listing import show_record

    return show_record(project, record).as_dict()


def adr_detect(
    project: Project,
    *,
    staged: bool,
    base: str | None,
    revision_range: str | None,
    commit: str | None,
    explain: bool,
) -> Document:
    from sdd.detect import runner
    from sdd.detect.source import DiffRequest

    request = DiffRequest(staged, base, revision_range, commit, None)
    verdict, pack, source = runner.run(project, request, start=project.root)
    return verdict.as_dict(pack, explain=explain, source=source)


def adr_list(project: Project, status: str | None) -> Document:
    from sdd.adr.queries import list_document, with_status
    from sdd.adr.record import load_adrs

    records = with_status(load_adrs(project.paths.adr), status)
    return list_document(records, project.root)


def adr_show(project: Project, number: int) -> Document:
    from sdd.adr.queries import readable
    from sdd.adr.record import load_adrs

    record = readable(load_adrs(project.paths.adr), number, project.rel)
    return record.show_document(project.root)


def adr_status(project: Project, number: int, status: str, by: int | None) -> Document:
    from sdd.adr import status as adrstatus

    changes = adrstatus.change_status_in(project.paths.adr, number, status, by)
    return adrstatus.status_document(changes, project.root)


def pr_checklist(project: Project, *, base: str | None, feature: str | None) -> Document:
    from sdd.pr import checklist

    return dict(checklist.build(project, base=base, feature=feature).as_dict())


def adr_draft(
    project: Project,
    title: str | None,
    feature: str | None,
    supersedes: list[int],
    detection: DiffRequest | None = None,
) -> Draft:
    """What ``adr new`` would write, before anyone agreed to it.

    ``detection``: fill Context with the evidence of that diff and ``covers:`` with its paths
    (``adr new --from-detect``); the title defaults to the proposed one.
    """
    from sdd.adr.new import prepare
    from sdd.detect.draft import detect_for_adr

    detected = detect_for_adr(project, detection, None) if detection is not None else None
    return prepare(project, title, feature=feature, supersedes=supersedes, detected=detected)


def adr_preview(project: Project, draft: Draft) -> str:
    """The text the record would have under its planned number."""
    from sdd.adr import create as adrcreate

    return adrcreate.render_draft(draft, draft.number, project.paths.templates)


def adr_write(project: Project, draft: Draft) -> Document:
    from sdd.adr.new import write

    return write(project, draft).as_dict()


def clarifications(project: Project, feature: str | None) -> Document:
    from sdd.features.clarify import open_in_feature

    return open_in_feature(project, feature).as_dict()


def clarify_answer(
    project: Project, feature: str | None, clarification_id: str, text: str
) -> Document:
    from sdd.features.answers import answer_in_feature

    _bounded("answer", text)
    return answer_in_feature(project, feature, clarification_id, text).as_dict()


def tasks_next(project: Project, feature: str | None) -> Document:
    from sdd.features.task_order import next_in_feature

    return next_in_feature(project, feature).as_dict()


def analyze(project: Project, feature: str | None) -> Document:
    from sdd.features.analyze import analyse
    from sdd.features.folders import resolve_feature

    return dict(analyse(project, resolve_feature(project, feature)).as_dict())
