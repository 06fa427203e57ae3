"""``sdd.site.records``: PHRs read once, kept under their file identity, never stale."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.base import filecache
from sdd.phr.listing import Entry, list_records
from sdd.project.project import load_project
from sdd.site.build import build_site
from sdd.site.records import CACHE_NAME, _decode, _encode, read_records
from tests.site_support import SEEDED_PHR, seed_project

PHR = "history/prompts/001-order-history/0001-plan-order-history.plan.prompt.md"
SECOND = "history/prompts/001-order-history/0002-tasks-order-history.tasks.prompt.md"


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago count as settled, so the cache stores them."""
    monkeypatch.setattr(filecache, "RACY_SECONDS", 0.0)


def _cache_file(root: Path) -> Path:
    return root / ".sdd" / "cache" / f"validate-{CACHE_NAME}.json"


@pytest.mark.usefixtures("trusting")
def test_records_are_the_listing_read_fresh_or_from_the_cache(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    (root / SECOND).write_text(
        SEEDED_PHR.replace('"0001"', '"0002"').replace("stage: plan", "stage: tasks"), "utf-8"
    )
    (root / "history/prompts/001-order-history/0003-broken.plan.prompt.md").write_text(
        "---\nid: [\n---\n", "utf-8"
    )
    project = load_project(root)
    fresh = read_records(project)
    assert _cache_file(root).is_file()
    cached = read_records(project)
    assert fresh == cached
    assert fresh.entries == list_records(project)
    assert fresh.mentions[PHR] == {("FR", 1, ""), ("FR", 2, "")}


@pytest.mark.usefixtures("trusting")
def test_a_changed_record_is_read_again_and_the_page_shows_it(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    build_site(load_project(root), tmp_path / "site")
    record = root / PHR
    text = record.read_text("utf-8")
    # same size: only the identity (times, inode) tells the change
    record.write_text(text.replace("Plan FR-001 and FR-002.", "Plan FR-003 and FR-002."), "utf-8")
    build_site(load_project(root), tmp_path / "site")
    page = (tmp_path / "site" / "features" / "001-order-history.html").read_text("utf-8")
    matrix = page.split('<tr id="req-FR-003"')[1].split("</tr>")[0]
    assert "0001" in matrix
    assert read_records(load_project(root)).mentions[PHR] == {("FR", 3, ""), ("FR", 2, "")}


@pytest.mark.usefixtures("trusting")
def test_a_damaged_cache_is_read_around(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    project = load_project(root)
    fresh = read_records(project)
    cache = _cache_file(root)
    document = cache.read_text("utf-8")
    cache.write_text(document.replace('"plan"', "7").replace('"FR"', "null"), "utf-8")
    assert read_records(project) == fresh
    cache.write_text("{not json", "utf-8")
    assert read_records(project) == fresh


TEXT = st.text(max_size=12)


@given(
    st.builds(Entry, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, st.lists(TEXT, max_size=3).map(tuple)),
    st.frozensets(st.tuples(st.sampled_from(["FR", "SC"]), st.integers(0, 999), TEXT)),
)
def test_what_is_stored_reads_back_as_it_was(
    entry: Entry, keys: frozenset[tuple[str, int, str]]
) -> None:
    import json

    assert _decode(json.loads(json.dumps(_encode(entry, keys)))) == (entry, keys)


@given(st.recursive(st.none() | st.integers() | st.text(max_size=4), st.lists, max_leaves=12))
def test_a_damaged_entry_raises_only_what_the_reader_catches(payload: object) -> None:
    with contextlib.suppress(TypeError, ValueError):
        _decode(payload)
