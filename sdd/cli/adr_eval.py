"""``sdd adr eval``: measure detection against hand-labelled commits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sdd.cli.common import JsonOption

if TYPE_CHECKING:
    from sdd.detect.evaluation import Evaluation, Score


def _row(name: str, score: Score) -> list[str]:
    return [
        name,
        str(score.commits),
        f"{score.precision:.2f}",
        f"{score.recall:.2f}",
        str(score.tp),
        str(score.fp),
        str(score.fn),
        str(score.tn),
    ]


COLUMNS = ("", "commits", "precision", "recall", "tp", "fp", "fn", "tn")


def _render(result: Evaluation) -> None:
    from sdd.cli import render

    left_out = (
        f", {result.doubtful_left_out} doubtful left out (--with-doubtful to include)"
        if result.doubtful_left_out
        else ""
    )
    render.emit(f"{result.labels}: {result.commits} labelled commits{left_out}", style="dim")
    for note in result.notes:
        render.emit(note, style="dim")
    render.emit("")
    rows = [_row("verdict", result.verdict)]
    rows += [_row(name, score) for name, score in result.categories.items()]
    render.table(COLUMNS, rows)
    for title, scores in (("ecosystem", result.ecosystems), ("repository", result.repositories)):
        if scores:
            render.emit("")
            rows = [_row(n, s) for n, s in sorted(scores.items())]
            render.table((title, *COLUMNS[1:]), rows)
    misses = [("verdict", result.verdict), *result.categories.items()]
    if any(s.false_positives or s.false_negatives for _, s in misses):
        render.emit("")
        render.emit("misses (- needs an ADR, not found; + found, labelled otherwise):")
        for name, score in misses:
            shown = [f"-{n}" for n in score.false_negatives]
            shown += [f"+{n}" for n in score.false_positives]
            if shown:
                render.emit(f"  {name}: {' '.join(shown)}")


def eval_command(
    ctx: typer.Context,
    labels: Annotated[
        Path,
        typer.Argument(
            metavar="LABELS.tsv",
            help="Tab-separated labels: file, categories (comma-separated or none); "
            "optional repo, sha, ecosystem, reason (DOUBT: marks a doubtful row).",
        ),
    ],
    diffs: Annotated[
        Path | None,
        typer.Option(
            "--diffs",
            metavar="DIR",
            help="Folder of the labelled diffs (default: the labels file's folder).",
        ),
    ] = None,
    with_doubtful: Annotated[
        bool, typer.Option("--with-doubtful", help="Also score rows marked DOUBT:.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Score detection on labelled commits: recall, precision and misses per category.

    \b
    Example: sdd adr eval labels.tsv --diffs diffs/
    """
    from sdd.base.errors import ConfigError, SddError
    from sdd.cli import render
    from sdd.cli.invocation import project_from
    from sdd.detect.evaluation import evaluate, read_labels
    from sdd.detect.prefilter import save_cache
    from sdd.detect.rulepack import RulePack, load_rule_pack

    pack: RulePack
    try:
        project = project_from(ctx)
    except ConfigError:
        raise
    except SddError:
        pack = load_rule_pack()
    else:
        settings = project.config.detect
        pack = load_rule_pack(
            extra_rules=settings.rules,
            ignore=settings.ignore,
            threshold=settings.threshold,
            config_path=project.config_path,
        )
    rows = read_labels(labels, known_categories=pack.categories)
    result = evaluate(
        rows,
        diffs if diffs is not None else labels.parent,
        pack,
        labels=str(labels),
        include_doubtful=with_doubtful,
    )
    save_cache()
    if json_output:
        render.print_json(result.as_dict())
    else:
        _render(result)
