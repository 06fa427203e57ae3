"""``sdd adr``: detect architecturally significant changes, create ADRs on consent, lifecycle."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli.adr_eval import eval_command
from sdd.cli.common import JsonOption, YesOption, project_from

if TYPE_CHECKING:
    from sdd.adr.record import Adr
    from sdd.detect.rulepack import RulePack
    from sdd.detect.source import DiffRequest, Source
    from sdd.detect.verdict import Verdict
    from sdd.project.project import Project

app = typer.Typer(
    help="Architecture Decision Records: detect, create (only on confirmation), lifecycle.",
    no_args_is_help=True,
)

StagedOption = Annotated[
    bool, typer.Option("--staged", help="Read the staged changes (default when any are staged).")
]
BaseOption = Annotated[
    str | None,
    typer.Option("--base", metavar="REF", help="Read merge-base(REF, HEAD)..HEAD: a pull request."),
]
RangeOption = Annotated[
    str | None, typer.Option("--range", metavar="A..B", help="Read the changes from A to B.")
]
CommitOption = Annotated[
    str | None, typer.Option("--commit", metavar="SHA", help="Read one commit's changes.")
]
DiffFileOption = Annotated[
    str | None,
    typer.Option(
        "--diff-file",
        metavar="FILE|-",
        help="Read a unified diff, git show or format-patch output (- for standard input).",
    ),
]


def _request(
    staged: bool,
    base: str | None,
    revision_range: str | None,
    commit: str | None,
    diff_file: str | None,
) -> DiffRequest:
    from sdd.detect.source import DiffRequest

    return DiffRequest(staged, base, revision_range, commit, diff_file)


def _stdin() -> object | None:
    stream = sys.stdin
    return getattr(stream, "buffer", None) if stream is not None else None


def _project_or_none(ctx: typer.Context, request: DiffRequest) -> Project | None:
    """The project; outside any project a diff file is still judged with the packaged rules."""
    from sdd.base.errors import ConfigError, SddError

    try:
        return project_from(ctx)
    except ConfigError:
        raise
    except SddError:
        if request.diff_file is not None:
            return None
        raise


def _judge(
    ctx: typer.Context, request: DiffRequest
) -> tuple[Project | None, Verdict, RulePack, Source]:
    from sdd.detect.source import open_source

    # Start git first: the diff is produced while the project and its configuration load.
    state = ctx.find_root().obj
    start = getattr(state, "project", None) or Path.cwd()
    pending = open_source(Path(start), request, _stdin())  # type: ignore[arg-type]
    try:
        project = _project_or_none(ctx, request)
        from sdd.detect import runner as detect
    except BaseException:
        pending.cancel()
        raise
    verdict, pack, source = detect.run(
        project,
        request,
        start=project.root if project is not None else Path.cwd(),
        pending=pending,
    )
    return project, verdict, pack, source


def _number(value: float) -> str:
    return f"{value:g}"


def _render_verdict(verdict: Verdict, pack: RulePack, source: Source, explain: bool) -> None:
    from sdd.cli import render

    considered = (
        f"{verdict.files_considered} of {verdict.files_changed} changed files "
        f"({verdict.files_excluded} excluded: tests, docs, CI, generated or ignored), "
        f"{verdict.lines_considered} changed lines"
    )
    render.emit(f"{source.label}: {considered}", style="dim")
    for note in verdict.notes:
        render.emit(note, style="dim")
    rules = {rule.id: rule for rule in pack.rules}
    for result in verdict.categories:
        if not (explain or result.significant):
            continue
        if result.covered:
            state = "covered by " + ", ".join(f"ADR-{n:04d}" for n in result.covered_by)
            style = "green"
        elif result.significant:
            state, style = "significant", "bold red"
        else:
            state, style = "below the threshold", "dim"
        render.emit("")
        render.emit(
            f"{result.name} — {result.title}: score {_number(result.score)} "
            f"(threshold {_number(result.threshold)}), {state}",
            style=style,
        )
        shown_rules: set[str] = set()
        for signal in result.signals:
            rule = rules.get(signal.rule)
            if explain and rule is not None and signal.rule not in shown_rules:
                shown_rules.add(signal.rule)
                render.emit(
                    f"  {signal.rule} (+{_number(rule.weight)}): {rule.description}", style="dim"
                )
            covered = (
                "  [covered by " + ", ".join(f"ADR-{n:04d}" for n in signal.covered_by) + "]"
                if signal.covered_by
                else ""
            )
            role = pack.roles.describe(signal.path) if explain else ""
            role = f" [{role}]" if role else ""
            render.emit(
                f"    {signal.path}:{signal.line}: {signal.rule} ({signal.side}){role} "
                f"{signal.text}{covered}"
            )
    render.emit("")
    message = verdict.message(pack)
    if message:
        render.emit(message, style="bold")
        render.emit(f"Proposed ADR title: {verdict.title(pack)}", style="dim")
        render.emit(
            "Nothing was written: create the record with 'sdd adr new' when you agree.",
            style="dim",
        )
    elif verdict.significant:
        covered = ", ".join(f"ADR-{n:04d}" for n in verdict.covered_by)
        render.emit(
            f"✓ architecturally significant, already documented by {covered}", style="green"
        )
    else:
        render.emit("✓ no architecturally significant change detected", style="green")


def detect(
    ctx: typer.Context,
    staged: StagedOption = False,
    base: BaseOption = None,
    revision_range: RangeOption = None,
    commit: CommitOption = None,
    diff_file: DiffFileOption = None,
    json_output: JsonOption = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also list what matched below the threshold.")
    ] = False,
    fail_on_significant: Annotated[
        bool,
        typer.Option(
            "--fail-on-significant",
            help="Exit 1 when the change is significant and no ADR covers it.",
        ),
    ] = False,
) -> None:
    """Detect architecturally significant changes in a diff (advisory: exit 0)."""
    from sdd.base.errors import ChecksFailed
    from sdd.cli import render

    request = _request(staged, base, revision_range, commit, diff_file)
    _project, verdict, pack, source = _judge(ctx, request)
    if json_output:
        document = verdict.as_dict(pack, explain=explain)
        document["source"] = {"kind": source.kind, "label": source.label}
        render.print_json(document)
    else:
        _render_verdict(verdict, pack, source, explain)
    if fail_on_significant and verdict.suggest:
        raise ChecksFailed("")


def _feature_links(project: Project, feature: str | None, adr_folder: Path) -> list[str]:
    import os

    if feature is None:
        return []
    links = []
    for name in ("spec.md", "plan.md"):
        path = project.paths.specs / feature / name
        if path.is_file():
            relative = Path(os.path.relpath(path, adr_folder)).as_posix()
            links.append(f"[{feature}/{name}]({relative})")
    return links


def new(
    ctx: typer.Context,
    title: Annotated[
        str | None,
        typer.Argument(help="Decision title (with --from-detect, defaults to the proposed one)."),
    ] = None,
    yes: YesOption = False,
    from_detect: Annotated[
        bool,
        typer.Option(
            "--from-detect",
            help="Fill Context with detection evidence and covers: with the touched paths.",
        ),
    ] = False,
    staged: StagedOption = False,
    base: BaseOption = None,
    revision_range: RangeOption = None,
    commit: CommitOption = None,
    diff_file: DiffFileOption = None,
    feature: Annotated[
        str | None,
        typer.Option(
            "--feature",
            envvar="SDD_FEATURE",
            help="Feature folder (or number) the decision belongs to; default: the branch's.",
        ),
    ] = None,
    supersedes: Annotated[
        list[int] | None,
        typer.Option("--supersedes", metavar="N", help="ADR this one supersedes (repeatable)."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Create an ADR after showing what will be written and asking for confirmation."""
    from sdd.adr import create as adrcreate
    from sdd.adr import index as adrindex
    from sdd.adr import record as adrs
    from sdd.adr import status as adrstatus
    from sdd.base.errors import UsageError
    from sdd.cli import render
    from sdd.features.folders import resolve_feature

    project = project_from(ctx)
    folder = project.paths.adr
    request = _request(staged, base, revision_range, commit, diff_file)
    if not from_detect and any([staged, base, revision_range, commit, diff_file]):
        raise UsageError("--staged, --base, --range, --commit and --diff-file need --from-detect")
    existing = adrs.load_adrs(folder)
    for number in supersedes or []:
        adrstatus.ensure_editable(adrs.find(existing, number))
    chosen_feature: str | None
    if feature:
        chosen_feature = resolve_feature(project, feature)
    else:
        try:
            chosen_feature = resolve_feature(project, None)
        except UsageError:
            chosen_feature = None
    context: str | None = None
    covers: list[str] = []
    references = _feature_links(project, chosen_feature, folder)
    if from_detect:
        from sdd.detect import runner as detect
        from sdd.detect.draft import detection_context

        verdict, pack, source = detect.run(project, request, start=project.root, stdin=_stdin())  # type: ignore[arg-type]
        if not verdict.significant:
            render.warn("the detection found no architecturally significant change")
        context, covers = detection_context(verdict, source.label)
        title = title or verdict.title(pack)
        references.append(f"Detected by `sdd adr detect` in {adrcreate.inline(source.label)}")
    if not title:
        raise UsageError('give the decision a title: sdd adr new "Title"')
    draft = adrcreate.plan_new(
        folder,
        title,
        feature=chosen_feature,
        supersedes=supersedes or [],
        covers=covers,
        context=context,
        references=references,
    )
    if not json_output:
        render.line(f"Will write {project.rel(draft.path)}")
        render.line(f"  number:  {draft.number:0{draft.width}d} (claimed when written)")
        render.line(f"  title:   {draft.title}")
        render.line(f"  status:  {draft.status}")
        render.line(f"  feature: {draft.feature or '-'}")
        if draft.supersedes:
            render.line(f"  supersedes: {', '.join(str(n) for n in draft.supersedes)}")
        if draft.covers:
            render.line(f"  covers:  {', '.join(draft.covers)}")
        render.line("  context:")
        for text in draft.context.splitlines():
            render.line(f"    {text}")
    render.confirm(f"Create ADR {draft.number:0{draft.width}d}?", assume_yes=yes)
    templates_dir = project.paths.templates
    number, path = adrcreate.create(
        draft, lambda n: adrcreate.render_draft(draft, n, templates_dir)
    )
    updated: list[Path] = []
    if draft.supersedes:
        created = adrs.read_adr(path, number)
        updated = adrstatus.link_supersedes(adrs.load_adrs(folder), created, list(draft.supersedes))
    adrindex.refresh_index(folder)
    if json_output:
        render.print_json(
            {
                "schema": "sdd.adr-new/1",
                "path": project.rel(path),
                "id": number,
                "title": draft.title,
                "status": draft.status,
                "feature": draft.feature,
                "covers": list(draft.covers),
                "updated": [project.rel(p) for p in updated],
            }
        )
        return
    render.success(f"created {project.rel(path)}")
    for other in updated:
        render.success(f"marked superseded: {project.rel(other)}")


def _record_row(record: Adr) -> list[str]:
    return [
        f"{record.number:04d}",
        record.title,
        record.status or "?",
        record.date or "",
        ", ".join(str(n) for n in record.superseded_by),
    ]


def list_command(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", metavar="S", help="Only records with this status.")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """List the ADRs with number, title, status and date."""
    from sdd.adr import record as adrs
    from sdd.base.errors import UsageError
    from sdd.cli import render

    project = project_from(ctx)
    records = adrs.load_adrs(project.paths.adr)
    if status is not None:
        wanted = status.strip().lower()
        if wanted not in adrs.STATUSES:
            raise UsageError(f"unknown status {status!r}; use one of {', '.join(adrs.STATUSES)}")
        records = [r for r in records if r.status == wanted]
    if json_output:
        render.print_json(
            {"schema": "sdd.adr-list/1", "adrs": [r.as_dict(project.root) for r in records]}
        )
        return
    if not records:
        render.note(f"no ADRs in {project.rel(project.paths.adr)}/")
        return
    render.table(
        ["number", "title", "status", "date", "superseded by"],
        [_record_row(r) for r in records],
    )


def show(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="ADR number.")],
    json_output: JsonOption = False,
) -> None:
    """Show one ADR."""
    from sdd.adr import record as adrs
    from sdd.base.errors import ParseError
    from sdd.cli import render

    project = project_from(ctx)
    record = adrs.find(adrs.load_adrs(project.paths.adr), number)
    where = project.rel(record.path)
    for problem in record.problems:
        if problem.kind == "unreadable":
            raise ParseError(f"cannot read the record: {problem.message}", path=where)
    if json_output:
        document = {
            "schema": "sdd.adr-show/1",
            **record.as_dict(project.root),
            "problems": [
                {"line": p.line, "kind": p.kind, "message": p.message} for p in record.problems
            ],
            "text": record.text,
        }
        render.print_json(document)
        return
    for problem in record.problems:
        render.warn(f"{where}:{problem.line}: {problem.message}")
    render.note(f"{where} ({record.format} format)")
    render.document(record.text)


def status(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="ADR number.")],
    new_status: Annotated[
        str,
        typer.Argument(metavar="STATUS", help="proposed|accepted|rejected|deprecated|superseded"),
    ],
    by: Annotated[
        int | None, typer.Option("--by", metavar="M", help="The ADR that supersedes this one.")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Change an ADR's status; 'superseded --by M' links both records."""
    from sdd.adr import record as adrs
    from sdd.adr import status as adrstatus
    from sdd.cli import render

    project = project_from(ctx)
    changes = adrstatus.change_status(adrs.load_adrs(project.paths.adr), number, new_status, by)
    if json_output:
        render.print_json(
            {
                "schema": "sdd.adr-status/1",
                "changed": [
                    {
                        "path": project.rel(c.path),
                        "id": c.number,
                        "before": c.before,
                        "after": c.after,
                        "supersedes": list(c.supersedes),
                        "superseded_by": list(c.superseded_by),
                        "unfinished": list(c.unfinished),
                    }
                    for c in changes
                ],
            }
        )
        return
    for change in changes:
        if change.number == number:
            render.success(f"{project.rel(change.path)}: {change.before or '?'} → {change.after}")
        else:
            links = ", ".join(str(n) for n in change.supersedes) or "none"
            render.success(f"{project.rel(change.path)}: supersedes {links}")
        if change.unfinished and change.after != "proposed":
            render.warn(
                f"{project.rel(change.path)} is {change.after} but still has sections to be "
                f"completed: {', '.join(change.unfinished)}"
            )


def index(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Write the ADR folder's README table (number, title, status, date, superseded by)."""
    from sdd.adr import index as adrindex
    from sdd.cli import render

    project = project_from(ctx)
    path, changed = adrindex.write_index(project.paths.adr)
    if json_output:
        render.print_json(
            {"schema": "sdd.adr-index/1", "path": project.rel(path), "changed": changed}
        )
        return
    if changed:
        render.success(f"wrote {project.rel(path)}")
    else:
        render.note(f"{project.rel(path)} is up to date")


def renumber(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the renames and edits without writing.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """After a merge: give the later of two same-numbered ADRs a free number, fix references."""
    from sdd.adr import renumber as adrrenumber
    from sdd.cli import render

    project = project_from(ctx)
    plan = adrrenumber.plan_renumber(
        project.root, project.paths.adr, [project.paths.prompts, project.paths.specs]
    )
    if not dry_run:
        adrrenumber.apply_renumber(plan)
    if json_output:
        render.print_json(
            {
                "schema": "sdd.adr-renumber/1",
                "dry_run": dry_run,
                "renumbered": [
                    {
                        "from": r.old_number,
                        "to": r.new_number,
                        "old_path": project.rel(r.old_path),
                        "new_path": project.rel(r.new_path),
                        "kept": project.rel(r.kept),
                    }
                    for r in plan.renumberings
                ],
                "edits": [
                    {
                        "path": project.rel(e.path),
                        "line": e.line,
                        "before": e.before,
                        "after": e.after,
                    }
                    for e in plan.edits
                ],
                "ambiguous": [
                    {"path": project.rel(e.path), "line": e.line, "text": e.before}
                    for e in plan.ambiguous
                ],
            }
        )
        return
    if plan.empty:
        render.success("no two ADRs share a number")
        return
    verb = "would rename" if dry_run else "renamed"
    for item in plan.renumberings:
        render.line(
            f"{verb} {project.rel(item.old_path)} → {project.rel(item.new_path)} "
            f"(ADR {item.old_number} stays with {project.rel(item.kept)})"
        )
    for edit in plan.edits:
        render.line(f"  {project.rel(edit.path)}:{edit.line}: {edit.before.strip()}")
        render.line(f"  {' ' * len(project.rel(edit.path))} → {edit.after.strip()}")
    for edit in plan.ambiguous:
        render.warn(
            f"{project.rel(edit.path)}:{edit.line}: left unchanged, may mean any ADR of "
            f"that number: {edit.before.strip()}"
        )
    if dry_run:
        render.note("dry run: nothing was written")


app.command("detect")(detect)
app.command("eval")(eval_command)
app.command("new")(new)
app.command("list")(list_command)
app.command("show")(show)
app.command("status")(status)
app.command("index")(index)
app.command("renumber")(renumber)
