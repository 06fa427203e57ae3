"""The PHR checker, run by ``sdd phr validate`` and by ``sdd validate`` (codes PHR001…PHR023).

Runs ``sdd.phr.record_checks.RecordChecker`` on every record, reports the files under the
prompts folder that are not records, and checks IDs across records. Each record is read once
and only small facts are kept per file (IDs for the duplicate checks), with no pairwise
comparison, so the cost is linear in the number of records. The codes and their severities
are listed in docs/diagnostics.md ("Prompt History Records").
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.base.diagnostics import Finding, error, warning
from sdd.base.errors import ParseError
from sdd.phr import record as phr
from sdd.phr.record_checks import RecordChecker

if TYPE_CHECKING:
    from sdd.base.filecache import FileResultCache, Identity
    from sdd.project.project import Project
    from sdd.project.selection import Selection

# ---------------------------------------------------------------------------------------------


def _duplicates(
    listed: list[tuple[phr.RecordFile, str]], selection: Selection
) -> Iterator[Finding]:
    """PHR017/PHR018 for the selected records of ``listed`` (each file with its shown path)."""
    by_folder: dict[tuple[str | None, int], list[tuple[phr.RecordFile, str]]] = defaultdict(list)
    by_number: dict[int, set[str | None]] = defaultdict(set)
    for file, shown in listed:
        number = file.name.number
        if number is not None:
            by_folder[(file.route, number)].append((file, shown))
            by_number[number].add(file.route)
    for (route, number), group in by_folder.items():
        for file, shown in group:
            if not selection.is_everything and not selection.includes(file.path):
                continue
            if len(group) > 1:
                others = ", ".join(other.path.name for other, _ in group if other is not file)
                yield error(
                    shown,
                    1,
                    "PHR017",
                    f"ID {number} is also used by {others} in the same folder",
                )
            routes = sorted(str(other) + "/" for other in by_number[number] - {route})
            if routes:
                routes_shown = ", ".join(routes[:4]) + (", …" if len(routes) > 4 else "")
                yield warning(shown, 1, "PHR018", f"ID {number} is also used in {routes_shown}")


# From this many records the files are checked by one forked worker per core: the per-file work
# is independent, and idle cores cut the wall time of a very large history. Below it one process
# is cheaper: forking and collecting cost more CPU time than they save on a shared machine, and
# one process checks 10,000 records within DESIGN §6's budget (ADR-0155).
PARALLEL_THRESHOLD = 20_000
_shared: tuple[Project, frozenset[str], list[tuple[phr.RecordFile, str]]] | None = None


def _check_files(
    project: Project, features: frozenset[str], batch: list[tuple[phr.RecordFile, str]]
) -> list[Finding]:
    findings: list[Finding] = []
    for file, shown in batch:
        if not phr.is_record_name(file.path.name):
            findings.append(
                warning(
                    shown,
                    1,
                    "PHR023",
                    "not read as a Prompt History Record (records are Markdown files, "
                    "*.prompt.md or *.md); move it out of the prompts folder",
                )
            )
            continue
        try:
            record = phr.open_record(file, project.root)
        except ParseError as exc:
            findings.append(error(shown, exc.line or 1, "PHR001", exc.message))
            continue
        findings.extend(RecordChecker(project, file, features, shown).run(record))
    return findings


def _check_slice(bounds: tuple[int, int]) -> list[Finding]:
    assert _shared is not None
    project, features, batch = _shared
    return _check_files(project, features, batch[bounds[0] : bounds[1]])


def _workers(count: int) -> int:
    if count < PARALLEL_THRESHOLD:  # (before importing multiprocessing: hooks check a few)
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _check_all(
    project: Project, features: frozenset[str], batch: list[tuple[phr.RecordFile, str]]
) -> list[Finding]:
    global _shared
    workers = _workers(len(batch))
    if workers == 1:
        return _check_files(project, features, batch)
    import multiprocessing

    step = -(-len(batch) // workers)
    bounds = [(start, start + step) for start in range(0, len(batch), step)]
    _shared = (project, features, batch)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [finding for part in pool.map(_check_slice, bounds) for finding in part]
    finally:
        _shared = None


def _selected(selection: Selection, file: phr.RecordFile) -> bool:
    """Whether ``file`` is selected; a link also by its folder, as a link leading out of the
    project resolves outside every selection and would go unreported."""
    if selection.is_everything or selection.includes(file.path):
        return True
    return file.link and selection.includes(file.path.parent)


def check(
    project: Project, selection: Selection, cache: FileResultCache | None = None
) -> Iterable[Finding]:
    """Findings for every selected record under the project's prompts folder. ``cache``: the
    findings of records unchanged since it was filled (its context covers the feature set
    and the configuration); the cross-file checks always run."""
    from sdd.features.folders import list_features

    prompts = project.paths.prompts
    if not selection.touches(prompts):
        return []
    fingerprint = None
    identities: dict[str, Identity] = {}
    if cache is not None and selection.is_everything:
        scan = cache.tree(prompts)  # before any file is read
        fingerprint, identities = (scan.digest, scan.newest), scan.identities
        unchanged = cache.get_whole(fingerprint[0])
        if unchanged is not None:
            return unchanged
    base, prefix = project.rel(prompts), str(prompts) + os.sep
    # Each file with its path as reported, in a list: a dict keyed by paths would hash each.
    listed = [
        (file, _shown(base, prompts, prefix, file.path))
        for file in phr.iter_record_files(prompts, everything=True)
    ]
    batch = listed if selection.is_everything else [p for p in listed if _selected(selection, p[0])]
    findings: list[Finding] = []
    if cache is not None:
        batch, findings, keys = _from_cache(cache, batch, identities)
    checked = _check_all(project, frozenset(list_features(project)), batch)
    if cache is not None:
        by_path: dict[str, list[Finding]] = {shown_path: [] for _, shown_path in batch}
        for finding in checked:
            by_path.setdefault(finding.path, []).append(finding)
        for shown_path, (key, current) in keys.items():
            cache.put(key, current, by_path[shown_path])
    findings.extend(checked)
    findings.extend(_duplicates(listed, selection))
    if cache is not None and fingerprint is not None:
        cache.put_whole(fingerprint, findings)
    return findings


def _shown(base: str, prompts: Path, prefix: str, path: Path) -> str:
    """``path`` as reported: below the prompts folder (``prefix``: its path and a separator)
    as ``base`` names it (string slicing; ``Path.relative_to`` costs much of a run that finds
    every result cached)."""
    text = str(path)
    if text.startswith(prefix):
        return f"{base}/{text[len(prefix) :].replace(os.sep, '/')}"
    return f"{base}/{path.relative_to(prompts).as_posix()}"


def _from_cache(
    cache: FileResultCache,
    batch: list[tuple[phr.RecordFile, str]],
    scanned: dict[str, Identity],
) -> tuple[list[tuple[phr.RecordFile, str]], list[Finding], dict[str, tuple[str, Identity | None]]]:
    """The records still to check, the cached findings of the others, and for each record to
    check (by its shown path) its cache key and its identity before it is read (from
    ``scanned``, the walk of the prompts folder taken before any file was read, when it
    holds the file)."""
    from sdd.base.filecache import identity

    left: list[tuple[phr.RecordFile, str]] = []
    found: list[Finding] = []
    identities: dict[str, tuple[str, Identity | None]] = {}
    for file, shown in batch:
        # A link's findings differ from its target's (PHR checks name links): part of the key.
        key = f"{shown}\0link" if file.link else shown
        current = scanned.get(str(file.path)) or identity(file.path)
        cached = cache.get(key, current)
        if cached is None:
            left.append((file, shown))
            identities[shown] = (key, current)
        else:
            found.extend(cached)
    return left, found, identities


def check_text(project: Project, path: Path, text: str) -> list[Finding]:
    """Findings for a record not yet written (``path`` is where it would go)."""
    from sdd.features.folders import list_features

    route = path.parent.name if path.parent.parent == project.paths.prompts else None
    file = phr.RecordFile(path, route, phr.parse_name(path.name))
    features = frozenset(list_features(project))
    return RecordChecker(project, file, features).run(phr.parse_record(text, path))
