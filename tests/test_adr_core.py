"""The ADR use cases called directly: ``adr new`` (prepare, then write), questions asked of
loaded records, status changes with their supersede links, and the body fields each format
writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.adr import new as adrnew
from sdd.adr.formats import format_of, scan_body, status_of
from sdd.adr.queries import (
    find,
    list_document,
    readable,
    unfinished_sections,
    width_of,
    with_status,
)
from sdd.adr.record import load_adrs
from sdd.adr.status import change_status_in
from sdd.base.errors import UsageError
from sdd.project.project import Project, load_project

ADR_TOOLS = """# 2. Use PostgreSQL

Date: 2024-03-01

## Status

Superseded by [3. Use SQLite](0003-use-sqlite.md)

## Context

```
## Status
not a heading: inside a fence
```
"""


@pytest.fixture
def loaded(project: Path) -> Project:
    return load_project(project)


def _new(loaded: Project, title: str, supersedes: tuple[int, ...] = ()) -> adrnew.Created:
    draft = adrnew.prepare(loaded, title, supersedes=supersedes)
    assert not draft.path.exists()  # preparing writes nothing
    return adrnew.write(loaded, draft)


def test_new_writes_the_next_number_and_links_what_it_supersedes(loaded: Project) -> None:
    first = _new(loaded, "Use PostgreSQL")
    second = _new(loaded, "Use SQLite", supersedes=(first.number,))
    assert (first.number, second.number) == (1, 2)
    assert second.updated == (first.path,)
    document = second.as_dict()
    assert document["schema"] == "sdd.adr-new/1" and document["id"] == 2
    records = load_adrs(loaded.paths.adr)
    assert find(records, 1).superseded_by == (2,) and find(records, 2).supersedes == (1,)
    with pytest.raises(UsageError, match='give the decision a title: sdd adr new "Title"'):
        adrnew.prepare(loaded, None)


def test_queries_over_loaded_records(loaded: Project) -> None:
    _new(loaded, "Use PostgreSQL")
    records = load_adrs(loaded.paths.adr)
    record = find(records, 1)
    assert width_of(record) == 4
    assert [heading for heading, _ in unfinished_sections(record)]  # a fresh draft
    assert with_status(records, "ACCEPTED") == [] and with_status(records, None) == records
    with pytest.raises(UsageError, match="unknown status 'done'"):
        with_status(records, "done")
    with pytest.raises(UsageError, match="no ADR numbered 7"):
        readable(records, 7, str)
    assert list_document(records, loaded.root)["schema"] == "sdd.adr-list/1"


def test_superseding_by_status_links_both_records(loaded: Project) -> None:
    _new(loaded, "Use PostgreSQL")
    _new(loaded, "Use SQLite")
    changes = change_status_in(loaded.paths.adr, 1, "superseded", by=2)
    assert [(c.number, c.after) for c in changes] == [(1, "superseded"), (2, "proposed")]
    records = load_adrs(loaded.paths.adr)
    assert find(records, 2).supersedes == (1,)
    with pytest.raises(UsageError, match="cannot supersede itself"):
        change_status_in(loaded.paths.adr, 2, "superseded", by=2)


def test_an_adr_tools_body_is_read_past_its_fences() -> None:
    fields = scan_body(ADR_TOOLS, 1)
    assert fields.title == "Use PostgreSQL"
    assert fields.bullets["date"] == ("2024-03-01", 3)
    assert fields.status_section[0][0].startswith("Superseded by")
    assert list(fields.sections) == ["status", "context"]
    args = (fields.sections, fields.bullets, fields.status_section)
    assert format_of(None, *args) == "adr-tools"
    assert status_of({}, {}, fields.bullets, fields.status_section)[1] == 7


@given(st.text(alphabet=st.sampled_from("#`~-*: \nStatusDate1x"), max_size=200))
def test_scanning_any_body_keeps_lines_inside_it(body: str) -> None:
    fields = scan_body(body, 5)
    count = len(body.splitlines())
    lines = [*fields.sections.values(), *(line for _, line in fields.bullets.values())]
    lines.extend(line for _, line in fields.status_section)
    assert all(5 <= line < 5 + count for line in lines)
