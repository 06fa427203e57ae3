"""``sdd phr``: create, validate, list and show Prompt History Records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdd.cli import completion
from sdd.cli.common import JsonOption, print_report_and_exit
from sdd.cli.invocation import project_from
from sdd.phr.schema import stage_choices

app = typer.Typer(help="Prompt History Records: create by stage, validate, list, show.")

MAX_INPUT_BYTES = 10 * 1024 * 1024

StageOption = Annotated[
    str,
    typer.Option(
        "--stage",
        autocompletion=completion.stages,
        help=f"{stage_choices()}.",
    ),
]
FeatureOption = Annotated[
    str | None,
    typer.Option(
        "--feature",
        envvar="SDD_FEATURE",
        autocompletion=completion.features,
        help="Feature folder (name or number); default: the current branch if specs/ has it.",
    ),
]


def _read_input(what: str, text: str | None, file: str | None, *, required: bool) -> str | None:
    """The text of ``--what`` or ``--what-file`` (``-`` reads stdin, the only stdin read)."""
    import sys

    from sdd.base.errors import UsageError

    if text is not None and file is not None:
        raise UsageError(f"give --{what} or --{what}-file, not both")
    if text is not None:
        return text
    if file is None:
        if required:
            raise UsageError(
                f"no {what} given; pass --{what} TEXT or --{what}-file FILE (- for stdin)"
            )
        return None
    from sdd.base.fileio import read_input

    stdin = getattr(sys.stdin, "buffer", None) if sys.stdin is not None else None
    data = read_input(file, what=what, flag=f"--{what}-file", limit=MAX_INPUT_BYTES, stdin=stdin)
    source = "stdin" if file == "-" else file
    if b"\x00" in data:
        raise UsageError(f"{source}: the {what} is binary (holds NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(f"{source}:{line}: the {what} is not valid UTF-8 text") from None


def _links(values: list[str]) -> dict[str, str]:
    from sdd.base.errors import UsageError

    links: dict[str, str] = {}
    for value in values:
        key, sep, target = value.partition("=")
        if not sep or not target:
            raise UsageError(f"--link {value!r}: write it as spec=…, ticket=…, adr=… or pr=…")
        links[key.strip()] = target.strip()
    return links


@app.command("new")
def new_command(
    ctx: typer.Context,
    stage: StageOption,
    title: Annotated[
        str, typer.Option("--title", help="Short title; the file name's slug comes from it.")
    ],
    feature: FeatureOption = None,
    prompt: Annotated[str | None, typer.Option("--prompt", help="The prompt, verbatim.")] = None,
    prompt_file: Annotated[
        str | None, typer.Option("--prompt-file", help="Read the prompt from FILE ('-': stdin).")
    ] = None,
    response: Annotated[
        str | None, typer.Option("--response", help="The response snapshot.")
    ] = None,
    response_file: Annotated[
        str | None,
        typer.Option("--response-file", help="Read the response from FILE ('-': stdin)."),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model that answered.")] = None,
    surface: Annotated[
        str, typer.Option("--surface", help="Where the prompt was given.")
    ] = "agent",
    command: Annotated[
        str | None, typer.Option("--command", help="Slash command used, if any.")
    ] = None,
    label: Annotated[
        list[str] | None, typer.Option("--label", help="A label (repeatable).")
    ] = None,
    file: Annotated[
        list[str] | None, typer.Option("--file", help="A file touched (repeatable).")
    ] = None,
    test: Annotated[
        list[str] | None, typer.Option("--test", help="A test run (repeatable).")
    ] = None,
    link: Annotated[
        list[str] | None,
        typer.Option("--link", help="spec=…, ticket=…, adr=… or pr=… (repeatable)."),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="ISO date (default: today).")] = None,
    branch: Annotated[
        str | None, typer.Option("--branch", help="Branch (default: git's current).")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="User (default: git config user.name).")
    ] = None,
    no_redact: Annotated[
        bool, typer.Option("--no-redact", help="Keep secrets found in the prompt and response.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write history/prompts/<route>/<ID>-<slug>.<stage>.prompt.md with the next free ID.

    \b
    Example: sdd phr new --stage spec --title "Login spec" --feature 001 --prompt-file prompt.txt
    """
    from sdd.base.errors import UsageError
    from sdd.cli import render
    from sdd.phr.create import NewRecord, create

    if prompt_file == "-" and response_file == "-":
        raise UsageError("only one of --prompt-file and --response-file can read stdin")
    project = project_from(ctx)
    request = NewRecord(
        stage=stage,
        title=title,
        prompt=_read_input("prompt", prompt, prompt_file, required=True) or "",
        response=_read_input("response", response, response_file, required=False),
        feature=feature,
        model=model,
        surface=surface,
        command=command,
        labels=tuple(label or ()),
        files=tuple(file or ()),
        tests=tuple(test or ()),
        links=_links(link or []),
        date=date,
        branch=branch,
        user=user,
        redact=not no_redact,
    )
    created = create(project, request)
    shown = project.rel(created.path)
    if as_json:
        render.print_json(created.as_dict(project.root))
        return
    render.success(f"created {shown} (ID {created.id})")
    for redaction in created.redactions:
        render.warn(
            f"redacted a secret ({redaction.kind}) in the {redaction.section.lower()} "
            f"(line {redaction.line});"
            " --no-redact keeps it"
        )
    render.findings(created.warnings)


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Record files or folders (default: every record).")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Check records: front matter, routing, file names, IDs, sections, placeholders, secrets.

    \b
    Example: sdd phr validate --strict
    """
    from sdd.base.diagnostics import Report
    from sdd.phr.checks import check
    from sdd.validation.validate import selection_for

    project = project_from(ctx)
    selection = selection_for(project, paths or [])
    report = Report.of(check(project, selection), strict=strict)
    print_report_and_exit(report, as_json=as_json)


@app.command("list")
def list_command(
    ctx: typer.Context,
    stage: Annotated[
        str | None,
        typer.Option("--stage", help="Only this stage.", autocompletion=completion.stages),
    ] = None,
    feature: Annotated[
        str | None,
        typer.Option(
            "--feature", help="Only this feature's folder.", autocompletion=completion.features
        ),
    ] = None,
    label: Annotated[
        str | None, typer.Option("--label", help="Only records with this label.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only records dated on or after DATE.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Records with their ID, date, stage, route and title, oldest ID first.

    \b
    Example: sdd phr list --stage red --feature 001
    """
    from sdd.cli import render
    from sdd.phr.listing import list_document_parts, open_listing

    project = project_from(ctx)
    with open_listing(project, stage=stage, feature=feature, label=label, since=since) as found:
        if as_json:
            render.print_json_items(*list_document_parts(found))
            return
        columns = ("id", "date", "stage", "route", "title")
        render.table(
            columns,
            found.fields(*columns),
            no_wrap=("id", "date"),
            empty="No PHRs match: create one with sdd phr new --stage STAGE --title TITLE.",
        )


@app.command("show")
def show_command(
    ctx: typer.Context,
    record: Annotated[str, typer.Argument(help="Record ID (7, 0007) or path.")],
    as_json: JsonOption = False,
) -> None:
    """One record's front matter and sections.

    \b
    Example: sdd phr show 7
    """
    from sdd.cli import render
    from sdd.phr.listing import show_record

    project = project_from(ctx)
    shown = show_record(project, record)
    if as_json:
        render.print_json(shown.as_dict())
        return
    render.markup(f"[bold]{render.escape(shown.path)}[/bold]")
    for key, value in shown.front_matter.items():
        render.line(f"{key}: {render.plain_value(value)}")
    for name, text in shown.sections.items():
        render.line("")
        render.markup(f"[bold]## {render.escape(name)}[/bold]")
        render.line(text)
