"""The fast reader of plain YAML (``sdd.base.yamlsubset``) agrees with PyYAML or declines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base import frontmatter, yamlio, yamlsubset
from sdd.base.yamlsubset import load_flat, load_typed
from sdd.project.config import parse_config

_plain = st.text(alphabet=st.sampled_from(list("aZ09 -_:#.+<=xeE'\"[]{},é")), max_size=12)
_scalar = st.one_of(
    _plain,
    st.sampled_from(
        [
            *("null", "~", "", "true", "Off", "yes", "y", "n", "NO", "on"),
            *("0", "7", "010", "08", "-3", "+4", "1_000", "0x1F", "0b11", "1:30", "190:20:30"),
            *("1.5", ".5", "1e3", "1.0e+3", ".inf", "-.Inf", ".NaN", "<<", "=", "=x"),
            *("2026-11-27", "2026-02-30", "2026-1-2", "2026-11-27 10:00:00"),
            *("2026-11-27T10:00:00Z", "1:60"),
            *("001-login", "12abc", "3 apples", "'2026-11-27'", '"7"', "'a''b'", "a # note"),
        ]
    ),
)
_comment = st.sampled_from(["", "", " # why", "  #", "#x"])
_key = st.sampled_from(["id", "title", "date", "on", "yes", "Null", "links", "k-2"])
_line = st.one_of(
    st.builds(lambda k, v, c: f"{k}: {v}{c}", _key, _scalar, _comment),
    st.builds(lambda k, c: f"{k}:{c}", _key, _comment),
    st.builds(lambda i, v, c: f"{i}- {v}{c}", st.sampled_from(["", "  ", " "]), _scalar, _comment),
    st.builds(
        lambda i, k, v, c: f"{i}{k}: {v}{c}",
        st.sampled_from(["  ", "    "]),
        _key,
        _scalar,
        _comment,
    ),
    st.builds(lambda v, c: f"labels: [{v}]{c}", _scalar, _comment),
    st.builds(lambda v, w: f"labels: [{v}, {w}]", _scalar, _scalar),
    st.sampled_from(["headings: {}", "headings: { }", "headings: {a: 1}", "# a comment", "  # x"]),
    _scalar,
)


def _agrees(fast: Any, text: str, slow_loader: Any) -> None:
    try:
        slow = slow_loader(text)
    except Exception as exc:
        pytest.fail(f"the fast reader accepted YAML that PyYAML rejects ({exc}): {text!r}")
    assert fast == slow, text
    assert [type(v) for v in fast.values()] == [type(v) for v in slow.values()], text


@settings(max_examples=2000, deadline=None)
@given(st.lists(_line, max_size=8))
def test_typed_reader_agrees_with_pyyaml_whenever_it_answers(lines: list[str]) -> None:
    text = "\n".join(lines)
    fast = load_typed(text)
    if fast is None:
        return
    _agrees(fast[0], text, yaml.safe_load)
    _agrees(fast[0], text, lambda t: yamlio.load(t, "x"))
    tree = yamlio.compose(text, "x")
    assert tree is not None
    composed = {str(key.value): key.start_mark.line for key, _ in tree.value}
    assert fast[1] == composed, text


@settings(max_examples=1000, deadline=None)
@given(st.lists(_line, max_size=8))
def test_flat_reader_agrees_with_the_untyped_loader_whenever_it_answers(lines: list[str]) -> None:
    text = "\n".join(lines)
    fast = load_flat(text)
    if fast is not None:
        _agrees(fast, text, lambda t: yamlio.load_untyped(t, "x"))


# Lines ending in blanks or a carriage return: the reader matches every line in one pass and
# strips a value's trailing blanks itself.
_ended_line = st.builds(
    lambda line, end: line + end, _line, st.sampled_from(["", " ", "   ", "\r", " \r", "\t"])
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_ended_line, max_size=8))
def test_both_readers_agree_with_pyyaml_on_lines_ending_in_blanks(lines: list[str]) -> None:
    text = "\n".join(lines)
    typed = load_typed(text)
    if typed is not None:
        _agrees(typed[0], text, yaml.safe_load)
    flat = load_flat(text)
    if flat is not None:
        _agrees(flat, text, lambda t: yamlio.load_untyped(t, "x"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: 7\nfeature: 001-login\n", {"id": 7, "feature": "001-login"}),
        ("a: 'it''s' # note\nb: \"x # y\"  # z\n", {"a": "it's", "b": "x # y"}),
        ("ignore:   # globs\n  - a  # first\n  -\n", {"ignore": ["a", None]}),
        ("# header\nlabels: []  # none\nheadings: {}\non_call: yes\n", None),
    ],
)
def test_comments_and_types(text: str, expected: dict[str, Any] | None) -> None:
    fast = load_typed(text)
    wanted = expected if expected is not None else yaml.safe_load(text)
    assert fast is not None and fast[0] == wanted


@pytest.mark.parametrize(
    "text",
    [
        "n: 010\n",  # octal in YAML 1.1
        "n: 1.5\n",
        "t: 2026-11-27 10:00:00\n",
        "d: 2026-02-30\n",  # PyYAML names the problem
        "yes: 1\n",  # a boolean key
        "a:\n  b:\n    - c\n",  # deeper than one level
        "a: b\n  c\n",  # a multi-line scalar
        "a: [b] x\n",
    ],
)
def test_what_it_cannot_read_with_certainty_is_declined(text: str) -> None:
    assert load_typed(text) is None


def test_header_lines_come_from_the_fast_reader_like_from_pyyaml() -> None:
    text = "---\nid: 3\n\n# decided\nstatus: accepted\ncovers:\n  - a\n---\nbody\n"
    document = frontmatter.split(text)
    assert frontmatter.parse_header(document, "x.md") == {
        "id": 3,
        "status": "accepted",
        "covers": ["a"],
    }
    assert frontmatter.key_lines(document, "x.md") == {"id": 2, "status": 5, "covers": 6}


def test_the_configuration_sdd_init_writes_is_read_without_pyyaml(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "sdd", "init", str(tmp_path / "p")], check=True, capture_output=True
    )
    config = tmp_path / "p/sdd.yaml"
    text = config.read_text("utf-8")
    fast = load_typed(text)
    assert fast is not None and fast[0] == yaml.safe_load(text)
    assert parse_config(text, config).features.digits == 3
    code = (
        "import sys; from pathlib import Path; from sdd.project.config import load_config\n"
        f"load_config(Path({str(tmp_path / 'p')!r})); print('yaml' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


# The class the reader's check stands for (ADR-0150, ADR 0172).
UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def test_unusual_characters_are_the_complement_of_what_the_reader_takes_as_it_is() -> None:
    import re

    from sdd.base.yamlsubset import _has_unusual

    taken = re.compile(
        "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff\n]"
    )
    for code in range(0x110000):
        character = chr(code)
        assert _has_unusual(character) is (taken.match(character) is None), hex(code)
        assert _has_unusual(f"key: é{character}") is (taken.match(character) is None), hex(code)
    assert not _has_unusual("key: ASCII\n") and not _has_unusual("key: 需求 — ok\n")


@given(st.text())
def test_unusual_characters_anywhere_in_a_text_are_found(text: str) -> None:
    from sdd.base.yamlsubset import _has_unusual

    assert _has_unusual(text) is (UNUSUAL.search(text) is not None)


def test_the_ascii_check_for_unusual_characters_agrees_with_the_class() -> None:
    from sdd.base.yamlsubset import _has_unusual

    for code in range(0x80):
        text = f"key: a{chr(code)}b\nnext: c"
        assert _has_unusual(text) == (UNUSUAL.search(text) is not None), hex(code)


@settings(max_examples=500)
@given(st.from_regex(re.compile(yamlsubset._NOT_TEXT_PATTERN, re.X), fullmatch=True))
def test_what_yaml_would_not_read_as_text_holds_only_the_characters_checked_first(
    value: str,
) -> None:
    """A plain scalar with a character outside ``_NOT_TEXT_CHARACTERS`` is text without the
    number patterns being compiled (ADR 0172): none of their matches holds such a character."""
    assert yamlsubset._NOT_TEXT_CHARACTERS.issuperset(value), value
