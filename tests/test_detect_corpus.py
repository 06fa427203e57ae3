"""The dev set: real commits with hand labels (../shared/corpus/diffs), scored and printed.

Run with ``-s`` to see the table. The bounds asserted are the ones the rules reach today,
kept a little below so a change in rules that loses real ground fails loudly.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sdd.detect.diff import parse
from sdd.detect.engine import detect
from sdd.detect.rulepack import load_rule_pack

CATEGORIES = ("auth", "database", "api-versioning", "middleware", "dependencies")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, predicted: bool, actual: bool, name: str) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.misses.append(f"+{name}")
        elif actual:
            self.fn += 1
            self.misses.append(f"-{name}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(corpus: Path) -> dict[str, Score]:
    folder = corpus / "diffs"
    pack = load_rule_pack()
    scores = {name: Score() for name in (*CATEGORIES, "verdict")}
    with (folder / "labels.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) >= 60
    for row in rows:
        labels = {c for c in row["categories"].split(",") if c and c != "none"}
        verdict = detect(parse((folder / row["file"]).read_bytes()), pack)
        found = {c.name for c in verdict.categories if c.significant}
        short = row["sha"][:8]
        for name in CATEGORIES:
            scores[name].add(name in found, name in labels, short)
        scores["verdict"].add(verdict.significant, bool(labels), short)
    return scores


def test_dev_set_precision_and_recall(corpus: Path) -> None:
    scores = evaluate(corpus)
    print()
    print(f"{'':16} {'precision':>9} {'recall':>7} {'tp':>3} {'fp':>3} {'fn':>3}  disagreements")
    for name, score in scores.items():
        print(
            f"{name:16} {score.precision:9.2f} {score.recall:7.2f} {score.tp:3} {score.fp:3} "
            f"{score.fn:3}  {' '.join(score.misses)}"
        )
    verdict = scores["verdict"]
    assert verdict.recall >= 0.95
    assert verdict.precision >= 0.90
    for name in CATEGORIES:
        assert scores[name].recall >= 0.85, name
        assert scores[name].precision >= 0.75, name


def test_every_corpus_diff_parses_and_scores(corpus: Path) -> None:
    pack = load_rule_pack()
    for path in sorted((corpus / "diffs").glob("*.diff")):
        patch = parse(path.read_bytes())
        assert patch.files, path.name
        assert patch.commits, path.name
        detect(patch, pack).as_dict(pack, explain=True)
