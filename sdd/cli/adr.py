"""``sdd adr``: detect architecturally significant changes, create ADRs on consent, lifecycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli import completion
from sdd.cli.adr_detect import (
    BaseOption,
    CommitOption,
    DiffFileOption,
    RangeOption,
    StagedOption,
    detect,
    request_from,
    stdin_bytes,
)
from sdd.cli.adr_eval import eval_command
from sdd.cli.common import JsonOption, YesOption
from sdd.cli.invocation import project_from

if TYPE_CHECKING:
    from sdd.adr.record import Adr

app = typer.Typer(
    help="Architecture Decision Records: detect, create (only on confirmation), lifecycle.",
    no_args_is_help=True,
)


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
    request = request_from(staged, base, revision_range, commit, diff_file)
    if not from_detect and any([staged, base, revision_range, commit, diff_file]):
        raise UsageError("--staged, --base, --range, --commit and --diff-file need --from-detect")
    detected = None
    if from_detect:
        from sdd.detect.draft import detect_for_adr

        detected = detect_for_adr(project, request, stdin_bytes())  # type: ignore[arg-type]
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
    from sdd.adr.queries import list_document, with_status
    from sdd.adr.record import load_adrs
    from sdd.cli import render

    project = project_from(ctx)
    records = with_status(load_adrs(project.paths.adr), status)
    if json_output:
        render.print_json(list_document(records, project.root))
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
    from sdd.adr.queries import readable
    from sdd.adr.record import load_adrs
    from sdd.cli import render

    project = project_from(ctx)
    record = readable(load_adrs(project.paths.adr), number, project.rel)
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
