"""The dev set: real commits with hand labels (../shared/corpus/diffs), scored by ``sdd adr eval``.

Run with ``-s`` to see the table. Clear rows only (a ``DOUBT:`` reason marks a row a careful
reviewer could label either way). The verdict bounds are the issue's bar; the per-category and
per-ecosystem bounds are the ones the rules reach today, kept a little below so a change in
rules that loses real ground fails loudly.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sdd.cli.main import app
from sdd.detect.diff import parse
from sdd.detect.engine import detect
from sdd.detect.evaluation import Evaluation, evaluate, read_labels
from sdd.detect.rulepack import load_rule_pack

# category: (recall, precision) reached on the clear rows, less a margin
CATEGORY_BOUNDS = {
    "auth": (0.95, 0.90),
    "database": (0.95, 0.95),
    "api-versioning": (0.70, 0.95),
    "middleware": (0.95, 0.90),
    "dependencies": (0.85, 0.95),
}
# The bar (recall 0.95, precision 0.90) in every ecosystem with at least 8 commits.
ECOSYSTEM_BOUNDS = (0.95, 0.90)


def _evaluation(corpus: Path) -> Evaluation:
    folder = corpus / "diffs"
    pack = load_rule_pack()
    rows = read_labels(folder / "labels.tsv", known_categories=pack.categories)
    assert len(rows) >= 131
    return evaluate(rows, folder, pack, labels="labels.tsv")


def test_dev_set_precision_and_recall(corpus: Path) -> None:
    result = _evaluation(corpus)
    print()
    for name, score in [
        ("verdict", result.verdict),
        *result.categories.items(),
        *sorted(result.ecosystems.items()),
    ]:
        print(
            f"{name:16} {score.commits:4} {score.precision:9.2f} {score.recall:7.2f} "
            f"-{' -'.join(score.false_negatives)} +{' +'.join(score.false_positives)}"
        )
    assert result.doubtful_left_out > 0
    assert result.verdict.recall >= 0.95
    assert result.verdict.precision >= 0.90
    for name, (recall, precision) in CATEGORY_BOUNDS.items():
        assert result.categories[name].recall >= recall, name
        assert result.categories[name].precision >= precision, name
    assert set(result.ecosystems) >= {"python", "node", "dotnet", "rust", "go", "elixir"}
    for name, score in result.ecosystems.items():
        if score.commits >= 8:
            assert score.recall >= ECOSYSTEM_BOUNDS[0], name
            assert score.precision >= ECOSYSTEM_BOUNDS[1], name


def test_adr_eval_prints_the_same_figures(corpus: Path) -> None:
    labels = corpus / "diffs" / "labels.tsv"
    outcome = CliRunner().invoke(app, ["adr", "eval", str(labels), "--json"])
    assert outcome.exit_code == 0, outcome.output
    import json

    document = json.loads(outcome.output)
    expected = _evaluation(corpus)
    assert document["schema"] == "sdd.adr-eval/1"
    assert document["verdict"]["tp"] == expected.verdict.tp
    assert document["verdict"]["false_negatives"] == expected.verdict.false_negatives
    assert document["commits"] == expected.commits


def test_every_corpus_diff_parses_and_scores(corpus: Path) -> None:
    pack = load_rule_pack()
    for path in sorted((corpus / "diffs").glob("*.diff")):
        patch = parse(path.read_bytes())
        assert patch.files, path.name
        assert patch.commits, path.name
        detect(patch, pack).as_dict(pack, explain=True)
