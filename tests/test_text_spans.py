"""The span helpers of the text rules: blanking keeps columns, merging makes disjoint spans,
closed spans end on their own line."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from sdd.text.spans import blank, closed_spans, match_end, merged

SPANS = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda s: (s[0], s[0] + s[1]))
)


@given(SPANS)
def test_merged_spans_are_ordered_disjoint_and_cover_the_same_places(
    spans: list[tuple[int, int]],
) -> None:
    union = merged(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(union))
    covered = {i for start, end in spans for i in range(start, end)}
    assert {i for start, end in union for i in range(start, end)} == covered


@given(st.text(max_size=80), SPANS)
def test_blank_keeps_the_length_and_every_character_outside_the_spans(
    text: str, spans: list[tuple[int, int]]
) -> None:
    inside = [(start, min(end, len(text))) for start, end in merged(spans) if start < len(text)]
    result = blank(text, inside)
    assert len(result) == len(text)
    covered = {i for start, end in inside for i in range(start, end)}
    for index, char in enumerate(result):
        assert char == (" " if index in covered else text[index])


def test_closed_spans_close_on_their_line_only() -> None:
    text = "a {{ x }} b {{ open\n}} c {% y %}"
    closing = {"{{": "}}", "{%": "%}"}
    spans = closed_spans(text, re.compile(r"\{\{|\{%"), lambda opening: closing[opening])
    assert [text[start:end] for start, end in spans] == ["{{ x }}", "{% y %}"]


def test_match_end_stays_put_when_nothing_matches() -> None:
    assert match_end(re.compile(r"[ *]*"), "  **x", 0) == 4
    assert match_end(re.compile(r"y"), "x", 0) == 0
