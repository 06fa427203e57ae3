"""``sdd adr``: detect architecturally significant changes, create ADRs on consent, lifecycle."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli import completion
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
    every_project: Annotated[
        bool,
        typer.Option(
            "--all", help="Judge each project's part of the change with its own rules and ADRs."
        ),
    ] = False,
) -> None:
    """Detect architecturally significant changes in a diff (advisory: exit 0).

    \b
    Example: sdd adr detect --base main --explain
    """
    from sdd.base.errors import ChecksFailed
    from sdd.cli import render

    request = _request(staged, base, revision_range, commit, diff_file)
    if every_project:
        suggest = _detect_all(request, json_output=json_output, explain=explain)
        if fail_on_significant and suggest:
            raise ChecksFailed("")
        return

    with render.progress("Reading the changes and judging them…", as_json=json_output):
        _project, verdict, pack, source = _judge(ctx, request)
    if json_output:
        document = verdict.as_dict(pack, explain=explain)
        document["source"] = {"kind": source.kind, "label": source.label}
        render.print_json(document)
    else:
        _render_verdict(verdict, pack, source, explain)
    if fail_on_significant and verdict.suggest:
        raise ChecksFailed("")


def _detect_all(request: DiffRequest, *, json_output: bool, explain: bool) -> bool:
    """``detect --all``: one verdict per touched project; whether any suggests an ADR."""
    from sdd.cli import render
    from sdd.overview.repository import detect_all, repository_top

    with render.progress("Reading the changes and judging them…", as_json=json_output):
        results, source = detect_all(repository_top(Path.cwd()), request, _stdin())  # type: ignore[arg-type]
    suggest = any(result.verdict.suggest for result in results)
    if json_output:
        projects = [result.as_dict(explain=explain) for result in results]
        render.print_json(
            {
                "schema": "sdd.adr-detect/1",
                "significant": any(result.verdict.significant for result in results),
                "suggest": suggest,
                "categories": [
                    {**category, "project": project["project"]}
                    for project in projects
                    for category in project["categories"]  # type: ignore[attr-defined]
                ],
                "projects": projects,
                "source": {"kind": source.kind, "label": source.label},
            }
        )
        return suggest
    if not results:
        render.line("No project of this repository is touched by the change.")
    for result in results:
        render.markup(f"[bold]project {render.escape(result.state.name)}[/bold]")
        _render_verdict(result.verdict, result.pack, source, explain)
    return suggest


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
            autocompletion=completion.features,
            help="Feature folder (or number) the decision belongs to; default: the branch's.",
        ),
    ] = None,
    supersedes: Annotated[
        list[int] | None,
        typer.Option("--supersedes", metavar="N", help="ADR this one supersedes (repeatable)."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Create an ADR after showing what will be written and asking for confirmation.

    \b
    Example: sdd adr new "Use PostgreSQL for persistence" --feature 001 --yes
    """
    from sdd.adr.new import prepare, write
    from sdd.base.errors import UsageError
    from sdd.cli import render

    project = project_from(ctx)
    request = _request(staged, base, revision_range, commit, diff_file)
    if not from_detect and any([staged, base, revision_range, commit, diff_file]):
        raise UsageError("--staged, --base, --range, --commit and --diff-file need --from-detect")
    detected = None
    if from_detect:
        from sdd.detect.draft import detect_for_adr

        detected = detect_for_adr(project, request, _stdin())  # type: ignore[arg-type]
        if not detected.significant:
            render.warn("the detection found no architecturally significant change")
    draft = prepare(project, title, feature=feature, supersedes=supersedes or [], detected=detected)
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
    created = write(project, draft)
    if json_output:
        render.print_json(created.as_dict())
        return
    render.success(f"created {project.rel(created.path)}")
    for other in created.updated:
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
    """List the ADRs with number, title, status and date.

    \b
    Example: sdd adr list --status accepted
    """
    from sdd.adr import record as adrs
    from sdd.cli import render

    project = project_from(ctx)
    records = adrs.with_status(adrs.load_adrs(project.paths.adr), status)
    if json_output:
        render.print_json(adrs.list_document(records, project.root))
        return
    if not records:
        render.note(
            f"No ADRs yet in {project.rel(project.paths.adr)}/: create one with "
            "sdd adr new 'Title'."
        )
        return
    render.table(
        ["number", "title", "status", "date", "superseded by"],
        [_record_row(r) for r in records],
    )


def show(
    ctx: typer.Context,
    number: Annotated[
        int, typer.Argument(help="ADR number.", autocompletion=completion.adr_numbers)
    ],
    json_output: JsonOption = False,
) -> None:
    """Show one ADR.

    \b
    Example: sdd adr show 3
    """
    from sdd.adr import record as adrs
    from sdd.cli import render

    project = project_from(ctx)
    record = adrs.readable(adrs.load_adrs(project.paths.adr), number, project.rel)
    where = project.rel(record.path)
    if json_output:
        render.print_json(record.show_document(project.root))
        return
    for problem in record.problems:
        render.warn(f"{where}:{problem.line}: {problem.message}")
    render.note(f"{where} ({record.format} format)")
    render.document(record.text)


def status(
    ctx: typer.Context,
    number: Annotated[
        int, typer.Argument(help="ADR number.", autocompletion=completion.adr_numbers)
    ],
    new_status: Annotated[
        str,
        typer.Argument(metavar="STATUS", help="proposed|accepted|rejected|deprecated|superseded"),
    ],
    by: Annotated[
        int | None, typer.Option("--by", metavar="M", help="The ADR that supersedes this one.")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Change an ADR's status; 'superseded --by M' links both records.

    \b
    Example: sdd adr status 3 superseded --by 7
    """
    from sdd.adr import status as adrstatus
    from sdd.cli import render

    project = project_from(ctx)
    changes = adrstatus.change_status_in(project.paths.adr, number, new_status, by)
    if json_output:
        render.print_json(adrstatus.status_document(changes, project.root))
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
    """Write the ADR folder's README table (number, title, status, date, superseded by).

    \b
    Example: sdd adr index
    """
    from sdd.adr import index as adrindex
    from sdd.cli import render

    project = project_from(ctx)
    path, changed = adrindex.write_index(project.paths.adr)
    if json_output:
        render.print_json(adrindex.index_document(path, changed, project.root))
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
    """After a merge: give the later of two same-numbered ADRs a free number, fix references.

    \b
    Example: sdd adr renumber --dry-run
    """
    from sdd.adr import renumber as adrrenumber
    from sdd.cli import render

    project = project_from(ctx)
    plan = adrrenumber.renumber(
        project.root,
        project.paths.adr,
        [project.paths.prompts, project.paths.specs],
        dry_run=dry_run,
    )
    if json_output:
        render.print_json(plan.as_dict(project.root, dry_run=dry_run))
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
