"""``sdd clarify``: list a feature's open clarifications, or answer one in place.

``sdd clarify [FEATURE]`` lists; ``sdd clarify answer ID "text"`` resolves one. Feature
folders are always named ``NNN-slug``, so a feature can never be called ``answer``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sdd.cli.common import JsonOption
from sdd.cli.invocation import project_from

FeatureOption = Annotated[
    str | None,
    typer.Option(
        "--feature",
        envvar="SDD_FEATURE",
        show_default=False,
        help="Feature for answer (default: SDD_FEATURE, else the current branch).",
    ),
]


def clarify(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar='[FEATURE] | answer ID "TEXT"',
            show_default=False,
            help="A feature to list the open questions of, or answer, an ID and the answer.",
        ),
    ] = None,
    feature: FeatureOption = None,
    as_json: JsonOption = False,
) -> None:
    """List open [NEEDS CLARIFICATION] markers and open questions, or answer one.

    \b
    sdd clarify [FEATURE]              every open question, with file, line and ID
    sdd clarify answer ID "answer"     replace the marker by the answer and record
                                       "- Q: … → A: …" under the spec's ## Clarifications

    \b
    Example: sdd clarify answer C1 "Email and password, no social login"
    """
    from sdd.base.errors import UsageError

    arguments = list(words or [])
    if arguments and arguments[0] == "answer":
        if len(arguments) != 3:
            raise UsageError('expected: sdd clarify answer ID "answer text"')
        _answer(ctx, feature, arguments[1], arguments[2], as_json)
        return
    if len(arguments) > 1:
        raise UsageError("expected 'sdd clarify [FEATURE]' or 'sdd clarify answer ID \"text\"'")
    _list(ctx, arguments[0] if arguments else feature, as_json)


def _list(ctx: typer.Context, feature: str | None, as_json: bool) -> None:
    from sdd.cli import render
    from sdd.features.clarify import open_in_feature

    questions = open_in_feature(project_from(ctx), feature)
    for shown, message in questions.unreadable:
        render.warn(f"{shown}: not read: {message}")
    if as_json:
        render.print_json(questions.as_dict())
        return
    project, name, found = questions.project, questions.feature, questions.open
    if not found:
        render.success(f"{name}: no open clarifications")
        return
    for item in found:
        render.line(f"{item.id}  {project.rel(item.path)}:{item.line}  {item.question}")
    count = len(found)
    render.note(
        f"{count} open question{'s' if count != 1 else ''}; "
        f'answer one with: sdd clarify answer {found[0].id} "…"'
        + (f" --feature {name}" if feature else "")
    )


def _answer(
    ctx: typer.Context, feature: str | None, clarification_id: str, text: str, as_json: bool
) -> None:
    from sdd.cli import render
    from sdd.features.answers import answer_in_feature

    answered = answer_in_feature(project_from(ctx), feature, clarification_id, text)
    if as_json:
        render.print_json(answered.as_dict())
        return
    item, result, project = answered.result.clarification, answered.result, answered.project
    render.success(f"{item.id} answered in {project.rel(item.path)}:{item.line}")
    render.note(f"recorded under ## Clarifications / ### Session {result.session} in spec.md")
