"""The sdd block in a rules file: inserted, updated and left alone around the user's text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base.errors import ParseError
from sdd.base.managed_block import BEGIN, END, NOTE, apply_block, render_block

BLOCK = "## Rules\n\nUse sdd.\n"


def test_no_file_gives_header_and_block() -> None:
    result = apply_block(None, BLOCK, source="CLAUDE.md", header="---\nx: 1\n---\n\n")
    assert result.action == "created"
    assert result.text == f"---\nx: 1\n---\n\n{BEGIN}\n{NOTE}\n## Rules\n\nUse sdd.\n{END}\n"


def test_file_without_block_gets_it_after_a_blank_line() -> None:
    mine = "# My project\n\nAlways run the tests.\n"
    result = apply_block(mine, BLOCK, source="CLAUDE.md")
    assert result.action == "inserted"
    assert result.text == mine + "\n" + render_block(BLOCK)


def test_file_without_final_newline_keeps_its_last_line_whole() -> None:
    result = apply_block("last line", BLOCK, source="CLAUDE.md")
    assert result.text == "last line\n\n" + render_block(BLOCK)


def test_empty_file_gets_only_the_block() -> None:
    assert apply_block("", BLOCK, source="x").text == render_block(BLOCK)


def test_older_block_is_replaced_and_user_text_around_it_kept() -> None:
    before = "# Mine\n\nintro text\n"
    after = "\n## My own section\n\nkeep me\n"
    old = f"{BEGIN}\n{NOTE}\nold rules\nmore old rules\n{END}\n"
    result = apply_block(before + old + after, BLOCK, source="AGENTS.md")
    assert result.action == "updated"
    assert result.text == before + render_block(BLOCK) + after
    again = apply_block(result.text, BLOCK, source="AGENTS.md")
    assert again.action == "unchanged" and again.text == result.text


def test_user_edits_inside_the_block_are_replaced_but_nothing_outside() -> None:
    text = f"top\n{BEGIN}\nsomeone edited this\n{END}\nbottom\n"
    result = apply_block(text, BLOCK, source="x")
    assert result.text.startswith("top\n") and result.text.endswith(f"{END}\nbottom\n")
    assert "someone edited" not in result.text


def test_crlf_file_keeps_crlf_everywhere() -> None:
    mine = "# Mine\r\n\r\nwindows text\r\n"
    inserted = apply_block(mine, BLOCK, source="x").text
    assert inserted.startswith(mine)
    assert "\n" not in inserted.replace("\r\n", "")
    updated = apply_block(inserted.replace("Use sdd.", "old"), BLOCK, source="x")
    assert updated.action == "updated" and updated.text == inserted


def test_markers_with_extra_spaces_are_recognised() -> None:
    text = "a\n  <!--  sdd:begin  -->\nold\n<!-- sdd:end -->   \nb\n"
    result = apply_block(text, BLOCK, source="x")
    assert result.text == "a\n" + render_block(BLOCK) + "b\n"


def test_block_at_the_end_without_final_newline() -> None:
    text = f"mine\n{BEGIN}\nold\n{END}"
    result = apply_block(text, BLOCK, source="x")
    assert result.text == "mine\n" + render_block(BLOCK)


def test_byte_order_mark_is_kept() -> None:
    result = apply_block("\ufeff# Mine\n", BLOCK, source="x")
    assert result.text.startswith("\ufeff# Mine\n")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (f"{BEGIN}\na\n{END}\n{BEGIN}\nb\n{END}\n", 4, "2 times"),
        (f"x\n{BEGIN}\nno end\n", 2, "no matching sdd:end"),
        (f"x\ny\n{END}\n", 3, "no matching sdd:begin"),
        (f"{END}\nx\n{BEGIN}\n", 1, "before sdd:begin"),
        (f"{BEGIN}\n{END}\n{END}\n", 3, "2 times"),
    ],
)
def test_broken_markers_are_a_clear_error(text: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        apply_block(text, BLOCK, source="CLAUDE.md")
    assert caught.value.line == line
    assert words in caught.value.message
    assert "CLAUDE.md" in str(caught.value)
    assert caught.value.hint and "nothing was written" in caught.value.hint


_user_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300).filter(
    lambda t: "sdd:begin" not in t and "sdd:end" not in t
)


@settings(max_examples=300)
@given(before=_user_text, after=_user_text)
def test_user_text_is_never_lost(before: str, after: str) -> None:
    inserted = apply_block(before, BLOCK, source="x").text
    assert inserted.startswith(before)
    assert apply_block(inserted, BLOCK, source="x").action == "unchanged"
    sandwich = before + ("\n" if before and not before.endswith("\n") else "")
    sandwich += render_block("old\n") + after
    updated = apply_block(sandwich, BLOCK, source="x")
    assert updated.text.startswith(sandwich[: sandwich.index(BEGIN)])
    assert updated.text.endswith(after)
