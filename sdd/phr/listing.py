"""``sdd phr list`` and ``sdd phr show``: reading records back, filtered or one by one."""

from __future__ import annotations

import dataclasses
import datetime
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdd.base.errors import ParseError, UsageError
from sdd.base.spillsort import SpilledSort
from sdd.phr import record as phr
from sdd.phr.files import is_record_file
from sdd.project.project import Project


@dataclass(frozen=True, slots=True)  # a listing holds one per record: keep them small
class Entry:
    id: str
    date: str
    stage: str
    route: str
    title: str
    path: str
    labels: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "date": self.date,
            "stage": self.stage,
            "route": self.route,
            "title": self.title,
            "path": self.path,
            "labels": list(self.labels),
        }


def _front(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    front: dict[str, Any] = {}
    for key, value in data.items():
        front.setdefault(str(key).lower(), value)
    return front


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def read_entry(project: Project, file: phr.RecordFile) -> Entry | None:
    """The listing entry of a record file (None when it cannot be read as a record): its
    front matter's fields, else what the file name and folder say."""
    try:
        front = _front(phr.open_front_matter(file, project.root))
    except ParseError:
        return None
    labels = front.get("labels")
    return Entry(
        id=_text(front.get("id")) or (file.name.id or ""),
        date=_text(front.get("date")) or _text(front.get("date_iso")),
        stage=_text(front.get("stage")) or (file.name.stage or ""),
        route=file.route or "",
        title=_text(front.get("title")),
        path=project.rel(file.path),
        labels=tuple(str(x) for x in labels) if isinstance(labels, list) else (),
    )


def _order(record_id: str, route: str, path: str) -> tuple[int, str, str, str]:
    digits = record_id.lstrip("0") if record_id.isdecimal() else None
    # Ordered by length, then text: numeric order without int() (and its 4300-digit limit).
    return (len(digits), digits, route, path) if digits is not None else (-1, "", route, path)


def order_key(entry: Entry) -> tuple[int, str, str, str]:
    """Where ``entry`` goes in a listing: by ID (numerically), then route and path."""
    return _order(entry.id, entry.route, entry.path)


def _parse_since(since: str) -> datetime.date:
    found = phr.iso_date(since)
    if found is None:
        raise UsageError(f"--since {since!r} is not an ISO date (YYYY-MM-DD)")
    return found


def _route_matches(route: str, feature: str) -> bool:
    name = feature.strip().strip("/")
    return route == name or route.startswith(f"{name}-")


Row = tuple[str, str, str, str, str, str, tuple[str, ...]]  # an Entry's fields, as held sorted


_FIELD_INDEX = {field.name: index for index, field in enumerate(dataclasses.fields(Entry))}


def _row(entry: Entry) -> Row:
    return (entry.id, entry.date, entry.stage, entry.route, entry.title, entry.path, entry.labels)


def _row_order(row: Row) -> tuple[int, str, str, str]:
    return _order(row[0], row[3], row[5])


class Listing:
    """The records a listing found, in ``order_key`` order, to be iterated any number of
    times until closed. However many there are, a bounded number is held in memory
    (``SpilledSort``), so that ``sdd phr list`` prints them as it reads them back."""

    def __init__(self, rows: SpilledSort[Row]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Entry]:
        return (Entry(*row) for row in self._rows)

    def fields(self, *names: str) -> Fields:
        """The named fields of each entry, as table rows."""
        return Fields(self._rows, tuple(_FIELD_INDEX[name] for name in names))

    def close(self) -> None:
        self._rows.close()

    def __enter__(self) -> Listing:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@dataclass(frozen=True)
class Fields:
    """Some fields of each entry of a listing: sized, and iterable again, so that a table can
    measure its columns before printing them without holding the rows."""

    rows: SpilledSort[Row]
    indices: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        if len(self.indices) == 1:  # itemgetter gives the one field, not a row of it
            return ((row[self.indices[0]],) for row in self.rows)
        return map(operator.itemgetter(*self.indices), self.rows)


def open_listing(
    project: Project,
    *,
    stage: str | None = None,
    feature: str | None = None,
    label: str | None = None,
    since: str | None = None,
) -> Listing:
    """Records under the prompts folder matching every filter given, by ID (close it)."""
    if stage is not None and stage not in phr.STAGES:
        raise UsageError(f"unknown stage {stage!r}; stages: {', '.join(phr.STAGES)}")
    start = _parse_since(since) if since is not None else None
    rows = (
        _row(entry)
        for entry in _matching(project, stage=stage, feature=feature, label=label, start=start)
    )
    return Listing(SpilledSort(rows, key=_row_order))


def _matching(
    project: Project,
    *,
    stage: str | None,
    feature: str | None,
    label: str | None,
    start: datetime.date | None,
) -> Iterator[Entry]:
    for file in phr.iter_record_files(project.paths.prompts):
        if feature is not None and not _route_matches(file.route or "", feature):
            continue
        entry = read_entry(project, file)
        if entry is None:
            continue
        if stage is not None and entry.stage != stage:
            continue
        if label is not None and label not in entry.labels:
            continue
        if start is not None:
            dated = phr.iso_date(entry.date)
            if dated is None or dated < start:
                continue
        yield entry


def list_records(
    project: Project,
    *,
    stage: str | None = None,
    feature: str | None = None,
    label: str | None = None,
    since: str | None = None,
) -> list[Entry]:
    """``open_listing``'s records, held whole."""
    with open_listing(project, stage=stage, feature=feature, label=label, since=since) as found:
        return list(found)


def records_at(project: Project, paths: Iterable[Path]) -> list[Entry]:
    """The records among ``paths`` (record files under the prompts folder), by ID; files that
    are not records, or cannot be read, are left out."""
    prompts = project.paths.prompts.resolve()
    entries = []
    for path in paths:
        try:
            parts = path.resolve().relative_to(prompts).parts
        except ValueError:
            continue
        if not is_record_file(path.name) or not path.is_file():
            continue
        record_file = phr.RecordFile(
            path,
            parts[0] if len(parts) > 1 else None,
            phr.parse_name(path.name),
            path.is_symlink(),
        )
        entry = read_entry(project, record_file)
        if entry is not None:
            entries.append(entry)
    return sorted(entries, key=order_key)


@dataclass(frozen=True)
class Shown:
    path: str
    id: str
    front_matter: dict[str, Any]
    sections: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        """The ``sdd phr show --json`` document."""
        return {
            "schema": "sdd.phr-show/1",
            "path": self.path,
            "id": self.id,
            "front_matter": self.front_matter,
            "sections": self.sections,
        }


def _find(project: Project, reference: str) -> Path:
    prompts = project.paths.prompts
    if reference.strip().isdecimal() and len(reference.strip().lstrip("0")) <= 4000:
        number = int(reference)
        matches = [f.path for f in phr.iter_record_files(prompts) if f.name.number == number]
        if not matches:
            raise UsageError(f"no record with ID {reference} under {project.rel(prompts)}/")
        if len(matches) > 1:
            listed = ", ".join(project.rel(path) for path in matches)
            raise UsageError(f"ID {reference} is used by several records ({listed}); give the path")
        path = matches[0]
    else:
        path = Path(reference)
        if not path.is_absolute():
            path = Path.cwd() / path
        if not path.is_file():
            raise UsageError(f"no record {reference!r}; give an ID or a record's path")
    from sdd.base.paths import ensure_inside

    ensure_inside(path, project.root)
    if not path.is_file():  # a pipe would block the read
        raise UsageError(f"{project.rel(path)} is not a regular file; give a record")
    return path


def show_record(project: Project, reference: str) -> Shown:
    """The record with ID (or at path) ``reference``: front matter and section texts."""
    path = _find(project, reference)
    try:
        record = phr.read_record(path)
    except ParseError as problem:
        raise ParseError(problem.message, path=project.rel(path), line=problem.line) from None
    front = record.data if isinstance(record.data, dict) else {}
    name = phr.parse_name(path.name)
    sections = {name_: section.value()[0] for name_, section in record.sections.items()}
    record_id = front.get("id") if isinstance(front.get("id"), str) else None
    return Shown(project.rel(path), record_id or name.id or "", dict(front), sections)


def list_document(entries: Iterable[Entry]) -> dict[str, object]:
    """The ``sdd phr list --json`` document."""
    fields, key, items = list_document_parts(entries)
    return {**fields, key: list(items)}


def list_document_parts(
    entries: Iterable[Entry],
) -> tuple[dict[str, object], str, Iterator[dict[str, object]]]:
    """``list_document`` as the fields before its list, the list's key and the list's items
    (made as they are read), for printing one record at a time."""
    return {"schema": "sdd.phr-list/1"}, "records", (entry.as_dict() for entry in entries)
