"""``sdd adr eval``: detection measured against hand-labelled commits.

A labels file is tab-separated with a header naming at least ``file`` (a diff beside it or in
the diffs folder) and ``categories`` (comma-separated, ``none`` for a change that needs no
ADR). Optional columns: ``repo`` (scores per repository and per ecosystem), ``ecosystem``
(else inferred from the files the repository's diffs touch), ``sha``, ``reason`` (a reason
holding ``DOUBT:`` marks a row a careful reviewer could label either way; left out unless
asked for).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sdd.base.errors import UsageError
from sdd.detect.diff import MalformedDiff, Patch, parse
from sdd.detect.engine import detect
from sdd.detect.rulepack import RulePack

SCHEMA = "sdd.adr-eval/1"
NONE = "none"
DOUBT = "DOUBT:"
VERDICT = "verdict"

# The language a source file is written in names the ecosystem of the repository that holds it.
_ECOSYSTEM_OF_SUFFIX = {
    ".py": "python",
    ".js": "node",
    ".mjs": "node",
    ".cjs": "node",
    ".ts": "node",
    ".tsx": "node",
    ".jsx": "node",
    ".go": "go",
    ".java": "jvm",
    ".kt": "jvm",
    ".kts": "jvm",
    ".scala": "jvm",
    ".cs": "dotnet",
    ".fs": "dotnet",
    ".rb": "ruby",
    ".php": "php",
    ".rs": "rust",
    ".ex": "elixir",
    ".exs": "elixir",
}


@dataclass(frozen=True)
class LabelledCommit:
    file: str
    line: int
    categories: frozenset[str]
    repo: str = ""
    sha: str = ""
    ecosystem: str = ""
    doubtful: bool = False

    @property
    def name(self) -> str:
        return self.sha[:8] or self.file


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    def add(self, predicted: bool, actual: bool, name: str) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.false_positives.append(name)
        elif actual:
            self.fn += 1
            self.false_negatives.append(name)
        else:
            self.tn += 1

    @property
    def commits(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, object]:
        return {
            "commits": self.commits,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "false_positives": list(self.false_positives),
            "false_negatives": list(self.false_negatives),
        }


@dataclass
class Evaluation:
    labels: str
    commits: int = 0
    doubtful_left_out: int = 0
    categories: dict[str, Score] = field(default_factory=dict)
    verdict: Score = field(default_factory=Score)
    ecosystems: dict[str, Score] = field(default_factory=dict)  # the verdict per ecosystem
    repositories: dict[str, Score] = field(default_factory=dict)  # the verdict per repository
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": SCHEMA,
            "labels": self.labels,
            "commits": self.commits,
            "doubtful_left_out": self.doubtful_left_out,
            "verdict": self.verdict.as_dict(),
            "categories": {name: s.as_dict() for name, s in self.categories.items()},
            "ecosystems": {name: s.as_dict() for name, s in sorted(self.ecosystems.items())},
            "repositories": {name: s.as_dict() for name, s in sorted(self.repositories.items())},
            "notes": list(self.notes),
        }


def read_labels(path: Path, *, known_categories: Iterable[str]) -> list[LabelledCommit]:
    """The rows of a labels file; a usage error names the file and line of a bad row."""
    known = {*known_categories, NONE}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read the labels ({error.strerror})") from None
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    columns = set(reader.fieldnames or ())
    missing = {"file", "categories"} - columns
    if missing:
        raise UsageError(f"{path}:1: the header lacks the column(s) {', '.join(sorted(missing))}")
    rows = []
    for number, row in enumerate(reader, start=2):
        file = (row.get("file") or "").strip()
        if not file:
            raise UsageError(f"{path}:{number}: the row names no diff file")
        categories = frozenset(
            c.strip() for c in (row.get("categories") or "").split(",") if c.strip()
        )
        unknown = categories - known
        if unknown:
            raise UsageError(
                f"{path}:{number}: unknown categor{'y' if len(unknown) == 1 else 'ies'} "
                f"{', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})"
            )
        rows.append(
            LabelledCommit(
                file=file,
                line=number,
                categories=categories - {NONE},
                repo=(row.get("repo") or "").strip(),
                sha=(row.get("sha") or "").strip(),
                ecosystem=(row.get("ecosystem") or "").strip(),
                doubtful=DOUBT in (row.get("reason") or ""),
            )
        )
    return rows


def ecosystem_of(patches: Iterable[Patch]) -> str:
    """The ecosystem whose source files the patches touch most (``other`` when none)."""
    counts: Counter[str] = Counter()
    for patch in patches:
        for change in patch.files:
            found = _ECOSYSTEM_OF_SUFFIX.get(PurePosixPath(change.path).suffix.lower())
            if found:
                counts[found] += 1
    return counts.most_common(1)[0][0] if counts else "other"


def evaluate(
    rows: Sequence[LabelledCommit],
    diffs: Path,
    pack: RulePack,
    *,
    labels: str = "",
    include_doubtful: bool = False,
) -> Evaluation:
    """Detect each labelled diff with ``pack`` and score the predictions against the labels."""
    categories = list(pack.categories)
    result = Evaluation(labels=labels, categories={name: Score() for name in categories})
    patches: dict[int, Patch] = {}
    for row in rows:
        path = diffs / row.file
        try:
            patches[row.line] = parse(path.read_bytes())
        except OSError as error:
            result.notes.append(f"line {row.line}: {row.file}: cannot read ({error.strerror})")
        except MalformedDiff as error:
            result.notes.append(f"line {row.line}: {row.file}: not a diff ({error})")
    by_repo: dict[str, list[Patch]] = {}
    for row in rows:
        if row.repo and row.line in patches:
            by_repo.setdefault(row.repo, []).append(patches[row.line])
    inferred = {repo: ecosystem_of(found) for repo, found in by_repo.items()}
    for row in rows:
        patch = patches.get(row.line)
        if patch is None:
            continue
        if row.doubtful and not include_doubtful:
            result.doubtful_left_out += 1
            continue
        result.commits += 1
        verdict = detect(patch, pack)
        found = {c.name for c in verdict.categories if c.significant}
        for name in categories:
            result.categories[name].add(name in found, name in row.categories, row.name)
        needs_adr = bool(row.categories)
        result.verdict.add(verdict.significant, needs_adr, row.name)
        ecosystem = row.ecosystem or inferred.get(row.repo, "")
        if ecosystem:
            result.ecosystems.setdefault(ecosystem, Score()).add(
                verdict.significant, needs_adr, row.name
            )
        if row.repo:
            result.repositories.setdefault(row.repo, Score()).add(
                verdict.significant, needs_adr, row.name
            )
    labelled = {c for row in rows for c in row.categories}
    # A category the labels never use was not judged by whoever labelled: it has no score.
    result.categories = {n: s for n, s in result.categories.items() if n in labelled}
    return result
