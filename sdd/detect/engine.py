"""The engine of ``sdd adr detect``: which diff to read, signals with line evidence, a verdict.

The rules are data (``sdd.detect.rulepack``). How a diff is read (each step keeps precision up):

1. Files matching the pack's ``exclude`` globs (tests, docs, CI, generated, assets) or the
   config's ``ignore`` are left out.
2. One literal scan (``sdd.detect.prefilter``) finds the changed lines each content rule could
   match.
3. Among those lines, an added and a removed line that are equal once whitespace and trailing
   commas are ignored cancel out (moved code and reformatting say nothing), and comments are
   cut (a keyword in a comment, or code quoted in backticks, is no evidence).
4. Each rule's expression then runs on its remaining lines, within one line. Rules with a
   ``key`` group compare keys between removed and added lines (a route added, removed, or
   renamed). Path rules need a changed line that is not a comment, or an added or deleted
   file. Dependency rules read manifests (``sdd.detect.manifests``).
5. A category's score is the sum of the weights of its distinct rules that fired; it is
   significant at the threshold. Signals whose paths an ADR ``covers:``, or that a commit
   trailer ``ADR: NNNN`` claims, are covered: a category whose uncovered score stays below the
   threshold is shown as covered and not suggested.
"""

from __future__ import annotations

from sdd.detect.diff import Patch
from sdd.detect.manifests import model as manifests
from sdd.detect.reader import DiffReader
from sdd.detect.reader import selects as selects
from sdd.detect.rulekinds import MAX_EVIDENCE_PER_RULE as MAX_EVIDENCE_PER_RULE
from sdd.detect.rulekinds import dependency_rule, keyed_rule, line_rule, once, path_rule
from sdd.detect.rulekinds import key_of as key_of
from sdd.detect.rulemodel import RulePack
from sdd.detect.verdict import CategoryResult, Coverage, Signal, Verdict


def detect(patch: Patch, pack: RulePack, coverage: Coverage | None = None) -> Verdict:
    """Score ``patch`` against ``pack``; pure (no git, no files: ``run`` keeps the cache)."""
    coverage = coverage or Coverage()
    reader = DiffReader(patch, pack, coverage)
    manifest_files = []
    for position in sorted(reader.index.matching(pack.manifest_glob_patterns)):
        for patterns, fmt in pack.manifest_patterns:
            if position in reader.index.matching(patterns):
                manifest_files.append((reader.files[position], fmt))
                break
    changes: list[manifests.DependencyChange] = []
    notes: list[str] = []
    if manifest_files:
        from sdd.detect.manifests.changes import dependency_changes, manifest_notes

        changes = dependency_changes(manifest_files, pack.dev_tools.matches)
        notes = manifest_notes(manifest_files)
    content_rules = [r for r in pack.rules if r.match_source is not None and reader.mask(r)]
    reader.prepare(content_rules)
    by_category: dict[str, list[Signal]] = {}
    for rule in pack.rules:
        if rule.dependency is not None:
            signals = dependency_rule(reader, rule, changes) if changes else []
        else:
            positions = reader.mask(rule)
            if not positions:
                continue
            if rule.is_path_rule:
                signals = path_rule(reader, rule, positions)
            elif rule.keyed:
                signals = keyed_rule(reader, rule, positions)
            else:
                signals = line_rule(reader, rule, positions)
        if signals:
            by_category.setdefault(rule.category, []).extend(once(signals))
    weights = {rule.id: rule.weight for rule in pack.rules}
    results = []
    for name, signals in by_category.items():
        fired = sorted({s.rule for s in signals})
        uncovered = {s.rule for s in signals if not s.covered_by}
        results.append(
            CategoryResult(
                name=name,
                title=pack.category(name).title,
                score=sum(weights[r] for r in fired),
                uncovered_score=sum(weights[r] for r in uncovered),
                threshold=pack.threshold,
                signals=tuple(signals),
                rules=tuple(fired),
                covered_by=tuple(sorted({n for s in signals for n in s.covered_by})),
            )
        )
    results.sort(key=lambda r: (-r.score, r.name))
    return Verdict(
        categories=tuple(results),
        threshold=pack.threshold,
        files_changed=reader.files_changed,
        files_considered=len(reader.files),
        files_excluded=reader.excluded,
        lines_considered=reader.lines_considered,
        dependency_changes=tuple(changes),
        files_moved=reader.moved,
        notes=tuple(notes),
        commits=tuple(c.sha or c.subject for c in patch.commits),
    )
