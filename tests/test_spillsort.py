"""Sorting in bounded memory (``sdd.base.spillsort``) and printing a JSON list as it comes
(``render.print_json_items``): the same order and the same bytes as doing it whole."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.base import spillsort
from sdd.base.spillsort import SpilledSort
from sdd.cli import render


@contextlib.contextmanager
def tiny_runs(run_size: int = 3, batch_size: int = 2, fan_in: int = 2) -> Iterator[None]:
    """Runs, batches and merges small enough that a handful of items spill and merge in
    several rounds."""
    saved = (spillsort.RUN_SIZE, spillsort.BATCH_SIZE, spillsort.FAN_IN)
    spillsort.RUN_SIZE, spillsort.BATCH_SIZE, spillsort.FAN_IN = run_size, batch_size, fan_in
    try:
        yield
    finally:
        spillsort.RUN_SIZE, spillsort.BATCH_SIZE, spillsort.FAN_IN = saved


_items = st.lists(st.tuples(st.integers(-3, 3), st.text(max_size=4)), max_size=60)


@given(
    items=_items,
    run_size=st.integers(1, 7),
    batch_size=st.integers(1, 4),
    fan_in=st.integers(2, 4),
)
def test_the_order_is_sorteds_ties_included_however_the_items_are_cut(
    items: list[tuple[int, str]], run_size: int, batch_size: int, fan_in: int
) -> None:
    # Keyed on the number alone: items with the same number keep their input order.
    with (
        tiny_runs(run_size, batch_size, fan_in),
        SpilledSort(items, key=lambda item: item[0]) as found,
    ):
        expected = sorted(items, key=lambda item: item[0])
        assert len(found) == len(items)
        assert list(found) == expected
        assert list(found) == expected  # read again


def test_items_that_fit_in_one_run_never_touch_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_file() -> None:
        raise AssertionError("a temporary file was made")

    monkeypatch.setattr(spillsort, "_temporary_file", no_file)
    with tiny_runs(run_size=5), SpilledSort([3, 1, 2, 0], key=int) as found:
        assert list(found) == [0, 1, 2, 3]


def test_runs_stay_in_memory_when_no_temporary_file_can_be_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("no writable temporary folder")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    items = [(n * 7919 % 101, str(n)) for n in range(100)]
    with tiny_runs(), SpilledSort(items, key=lambda item: item[0]) as found:
        assert list(found) == sorted(items, key=lambda item: item[0])


def test_a_failing_source_closes_the_file_it_made() -> None:
    made: list[Any] = []
    original = spillsort._temporary_file

    def recorded() -> Any:
        made.append(original())
        return made[-1]

    def source() -> Iterator[int]:
        yield from range(10)
        raise OSError("unreadable")

    with tiny_runs(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(spillsort, "_temporary_file", recorded)
        with pytest.raises(OSError, match="unreadable"):
            SpilledSort(source(), key=int)
    assert made and made[0].closed


# -- a JSON list printed item by item ----------------------------------------------------------

_text = st.text(alphabet=st.sampled_from(["a", "é", '"', "\\", "\n", "\t", "\udcff", "/"]))
_scalar = st.one_of(st.none(), st.booleans(), st.integers(), _text)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)


def _printed(print_it: Any, *args: Any) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print_it(*args)
    return out.getvalue()


@given(
    fields=st.dictionaries(_text, _value, max_size=3), key=_text, items=st.lists(_value, max_size=4)
)
def test_a_list_printed_item_by_item_is_the_document_printed_whole(
    fields: dict[str, Any], key: str, items: list[Any]
) -> None:
    fields.pop(key, None)
    whole = _printed(render.print_json, {**fields, key: items})
    assert _printed(render.print_json_items, fields, key, iter(items)) == whole


# -- a plain table over rows read twice -------------------------------------------------------


class Twice:
    """Sized rows that can be read twice and no more: a table measures, then prints."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        self.rows, self.reads = rows, 0

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        self.reads += 1
        assert self.reads <= 2
        return iter(self.rows)


def test_a_plain_table_over_sized_rows_aligns_them_without_copying(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    rows = [("7", "a long title", ""), ("12", "b", "x")]
    expected = "id  title         note\n7   a long title\n12  b             x\n"
    assert _printed(render.table, ("id", "title", "note"), Twice(rows)) == expected
    assert _printed(render.table, ("id", "title", "note"), iter(rows)) == expected
