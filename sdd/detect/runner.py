"""The I/O edge of detection: read the requested diff, load the project's rules and ADRs, judge,
and keep the prefilter cache (``detect`` itself stays pure)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sdd.base.errors import UsageError
from sdd.base.globs import GlobSet
from sdd.detect.engine import detect
from sdd.detect.packcache import FilePackCache
from sdd.detect.prefilter import save_cache
from sdd.detect.rulepack import RulePack
from sdd.detect.source import DiffRequest, PendingSource, Source, open_source, trailer_numbers
from sdd.detect.verdict import Coverage, Verdict

if TYPE_CHECKING:
    from sdd.adr.record import Adr
    from sdd.detect.diff import Patch
    from sdd.detect.rulepack import PackCache
    from sdd.project.project import Project


def _has_adr_files(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(e.name[:1].isdigit() or e.name[:3].lower() == "adr" for e in entries)
    except OSError:
        return False


def project_coverage(
    project: Project | None, trailers: Sequence[int]
) -> tuple[Coverage, tuple[str, ...]]:
    """ADRs that document changes: ``covers:`` of proposed/accepted records, and trailers."""
    records: list[Adr] = []
    covering: frozenset[str] = frozenset()
    if project is not None and _has_adr_files(project.paths.adr):
        from sdd.adr.record import COVERING_STATUSES, load_adrs

        records = load_adrs(project.paths.adr)
        covering = COVERING_STATUSES
    covers = []
    for record in records:
        if record.status in covering and record.covers:
            usable = [glob for glob in record.covers if glob.strip()]
            try:
                covers.append((record.number, GlobSet(usable)))
            except (re.error, UsageError):
                continue
    notes = []
    known = {record.number for record in records}
    accepted = []
    for number in trailers:
        if records and number not in known:
            notes.append(
                f"a commit trailer names ADR {number}, which does not exist; it covers nothing"
            )
            continue
        accepted.append(number)
    return Coverage(tuple(covers), tuple(accepted)), tuple(notes)


def pack_for(project: Project | None, cache: PackCache | None = None) -> RulePack:
    """The packaged rules with the project's ``detect`` settings applied.

    ``cache``: where the validated packaged pack is kept between runs. A pack that cannot be
    built from what the cache holds is read and validated again, as without one."""
    from sdd.base.errors import ParseError
    from sdd.detect.rulepack import load_rule_pack

    settings = project.config.detect if project is not None else None
    try:
        if settings is None:
            return load_rule_pack(cache=cache)
        return load_rule_pack(
            extra_rules=settings.rules,
            ignore=settings.ignore,
            threshold=settings.threshold,
            config_path=project.config_path if project is not None else None,
            cache=cache,
        )
    except (ParseError, LookupError, TypeError, ValueError, AttributeError):
        if cache is None:
            raise
        return pack_for(project)


def judge(project: Project | None, patch: Patch, pack: RulePack, source: Source) -> Verdict:
    """``patch`` (the source's, or one project's part of it) against ``project``'s ADRs."""
    coverage, notes = project_coverage(project, trailer_numbers(source.messages))
    verdict = detect(patch, pack, coverage)
    if source.notes or notes:
        verdict = replace(verdict, notes=(*source.notes, *notes, *verdict.notes))
    return verdict


def run(
    project: Project | None,
    request: DiffRequest,
    *,
    start: Path,
    stdin: IO[bytes] | None = None,
    pending: PendingSource | None = None,
    inside: str = "",
) -> tuple[Verdict, RulePack, Source]:
    """Read the requested diff and judge it against the project's rules and ADRs.

    ``pending``: a source the caller already opened (so git ran while the project loaded).
    ``inside``: judge only the changed paths under this folder (``dir/``, one project of a
    monorepo); the source's patch is then those paths only.
    """
    if pending is None:
        pending = open_source(start, request, stdin)
    cache = FilePackCache()
    try:
        pack = pack_for(project, cache)
    except BaseException:
        pending.cancel()
        raise
    source = pending.finish()
    if inside:
        files = [change for change in source.patch.files if change.path.startswith(inside)]
        source = replace(source, patch=replace(source.patch, files=files))
    verdict = judge(project, source.patch, pack, source)
    cache.save()
    save_cache()
    return verdict, pack, source
