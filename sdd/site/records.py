"""The prompt history records as the site needs them: each record's listing entry and the
requirements its text mentions, read once per build (ADR 0170).

Entries are read and ordered exactly as ``sdd phr list`` reads them (``sdd.phr.listing``),
so the site and the terminal agree. What a record yields depends on its bytes alone, so it is
kept in ``.sdd/cache`` under the file's identity (size, modification and change times,
inode: ``sdd.base.filecache``) and the context digest of ``sdd validate``'s cache (sdd's
version and sources, the configuration, the layout, the feature folders): an entry is used
only while the file and that context are unchanged, and a file written within the racy window
is not stored. A rebuild after one file changed reads only that file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sdd.base.errors import ParseError
from sdd.base.filecache import identity
from sdd.features.requirements import RequirementKey, referenced_keys
from sdd.phr import record as phr
from sdd.phr.listing import Entry, order_key, read_entry
from sdd.project.project import Project

CACHE_NAME = "sdd.site.records"


@dataclass(frozen=True)
class Records:
    entries: list[Entry]  # in the order of ``sdd phr list``
    mentions: dict[str, frozenset[RequirementKey]]  # by ``Entry.path``


def _encode(entry: Entry | None, keys: frozenset[RequirementKey]) -> list[Any]:
    if entry is None:
        return [None, []]
    fields = [entry.id, entry.date, entry.stage, entry.route, entry.title, entry.path]
    return [[*fields, list(entry.labels)], sorted(list(key) for key in keys)]


def _decode(payload: Any) -> tuple[Entry | None, frozenset[RequirementKey]]:
    """``ValueError``/``TypeError`` when damaged (the record is then read again)."""
    row, keys = payload
    if row is None:
        return None, frozenset()
    record_id, date, stage, route, title, path, labels = row
    if not all(isinstance(value, str) for value in (record_id, date, stage, route, title, path)):
        raise ValueError("damaged entry")
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ValueError("damaged labels")
    found: set[RequirementKey] = set()
    for kind, number, suffix in keys:
        if not isinstance(kind, str) or not isinstance(suffix, str):
            raise ValueError("damaged key")
        found.add((kind, int(number), suffix))
    return Entry(record_id, date, stage, route, title, path, tuple(labels)), frozenset(found)


def _mentions(file: phr.RecordFile) -> frozenset[RequirementKey]:
    from sdd.base.fileio import read_text

    try:
        return frozenset(referenced_keys(read_text(file.path, limit=phr.MAX_RECORD_BYTES)))
    except (OSError, ParseError):
        return frozenset()


def read_records(project: Project) -> Records:
    """Every record under the prompts folder that ``sdd phr list`` lists, with what it
    mentions; unchanged records come from the cache."""
    from sdd.validation.cache import open_cache

    cache = open_cache(project, CACHE_NAME)
    entries: list[Entry] = []
    mentions: dict[str, frozenset[RequirementKey]] = {}
    for file in phr.iter_record_files(project.paths.prompts):
        key = str(file.path)  # under the project's paths, which the context digest covers
        current = identity(file.path)  # before the file is read
        stamp = repr(current)
        found: tuple[Entry | None, frozenset[RequirementKey]] | None = None
        payload = cache.get_payload(key, stamp) if current is not None else None
        if payload is not None:
            try:
                found = _decode(payload)
            except (TypeError, ValueError):
                found = None
        if found is None:
            entry = read_entry(project, file)  # refuses links out of the project, as listing does
            found = (entry, _mentions(file) if entry is not None else frozenset())
            if current is not None:
                cache.put_payload(key, stamp, max(current[1], current[2]), _encode(*found))
        entry, keys = found
        if entry is not None:
            entries.append(entry)
            mentions[entry.path] = keys
    cache.save()
    return Records(sorted(entries, key=order_key), mentions)
