"""``sdd adr detect``: judge a diff for architecturally significant changes (advisory)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli.common import JsonOption
from sdd.cli.invocation import project_from

if TYPE_CHECKING:
    from sdd.detect.rulepack import RulePack
    from sdd.detect.source import DiffRequest, Source
    from sdd.detect.verdict import Verdict
    from sdd.project.project import Project

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


def request_from(
    staged: bool,
    base: str | None,
    revision_range: str | None,
    commit: str | None,
    diff_file: str | None,
) -> DiffRequest:
    from sdd.detect.source import DiffRequest

    return DiffRequest(staged, base, revision_range, commit, diff_file)


def stdin_bytes() -> object | None:
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
    pending = open_source(Path(start), request, stdin_bytes())  # type: ignore[arg-type]
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

    request = request_from(staged, base, revision_range, commit, diff_file)
    if every_project:
        suggest = _detect_all(request, json_output=json_output, explain=explain)
        if fail_on_significant and suggest:
            raise ChecksFailed("")
        return

    with render.progress("Reading the changes and judging them…", as_json=json_output):
        _project, verdict, pack, source = _judge(ctx, request)
    if json_output:
        render.print_json(verdict.as_dict(pack, explain=explain, source=source))
    else:
        _render_verdict(verdict, pack, source, explain)
    if fail_on_significant and verdict.suggest:
        raise ChecksFailed("")


def _detect_all(request: DiffRequest, *, json_output: bool, explain: bool) -> bool:
    """``detect --all``: one verdict per touched project; whether any suggests an ADR."""
    from sdd.cli import render
    from sdd.overview.repository import detect_all, repository_top

    with render.progress("Reading the changes and judging them…", as_json=json_output):
        verdicts = detect_all(repository_top(Path.cwd()), request, stdin_bytes())  # type: ignore[arg-type]
    if json_output:
        render.print_json(verdicts.as_dict(explain=explain))
        return verdicts.suggest
    if not verdicts.projects:
        render.line("No project of this repository is touched by the change.")
    for result in verdicts.projects:
        render.markup(f"[bold]project {render.escape(result.state.name)}[/bold]")
        _render_verdict(result.verdict, result.pack, verdicts.source, explain)
    return verdicts.suggest
