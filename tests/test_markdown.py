"""The little Markdown structure sdd needs: code regions, the prose copy, headings, lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base.markdown import Heading, MarkdownText, code_spans


def test_prose_blanks_code_and_keeps_offsets() -> None:
    text = "# Title\r\n```\n# not a heading\n```\n<!-- a\n## hidden -->\n## Real ##\ntail"
    document = MarkdownText(text)
    assert len(document.prose) == len(text)
    assert document.prose.count("\n") == text.count("\n")
    assert "not a heading" not in document.prose and "hidden" not in document.prose
    assert document.headings == (Heading(1, 1, "Title"), Heading(7, 2, "Real"))
    assert document.heading_texts == ((1, "Title"), (2, "Real"))


def test_line_numbers_in_any_order() -> None:
    document = MarkdownText("a\nb\nc\n")
    assert [document.line_of(offset) for offset in (4, 0, 2, 5, 1)] == [3, 1, 2, 3, 1]
    assert document.line_at(2) == "b"


def test_code_spans() -> None:
    assert code_spans("a `b` and ``c ` d`` e") == [(2, 5), (10, 19)]
    assert code_spans("no spans") == []
    assert code_spans("```a` b") == [(2, 5)]  # no closing "```": one backtick opens later
    assert code_spans("``a`b`") == [(1, 4)]
    assert code_spans("`a\nb` `c`") == [(4, 7)]  # a span never crosses a line feed
    assert code_spans("x ```` y ``") == [(3, 11)]  # "``" closes what is left of "````"


def test_runs_of_backticks_are_paired_in_one_pass() -> None:
    # Backtracking over a run of n backticks took time cubic in n: 800 took 3 s.
    assert code_spans("`" * 100_000 + " text") == []
    assert code_spans("``" * 50_000 + "`") == []
    assert len(code_spans("a`" * 100_000)) == 50_000


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["```", "~~~", "`", "#", " ", "\n", "\r", "<!--", "-->", "a"])))
def test_prose_always_aligns_with_the_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    document = MarkdownText(text)
    prose = document.prose
    assert len(prose) == len(text)
    assert all(p == t or p == " " for p, t in zip(prose, text, strict=True))
    assert [i for i, c in enumerate(prose) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]


def test_comments_inline_and_as_blocks() -> None:
    text = "a <!-- open\nnext <!-- x --> b\n  <!-- block\nstill hidden -->\nafter\n<!-- to the end"
    prose = MarkdownText(text).prose
    assert prose.splitlines() == [
        "a <!-- open",  # an inline comment that does not close on its line is text
        "next" + " " * 12 + "b",
        " " * 12,
        " " * 16,
        "after",
        " " * 15,
    ]


def test_huge_texts_of_comments_and_fences_are_scanned_in_one_pass() -> None:
    # Each used to be searched again from every comment or fence: minutes for these sizes.
    unclosed = "a <!-- b\n" * 200_000
    assert MarkdownText(unclosed).prose == unclosed
    comments = "<!-- a -->\n" * 200_000 + "```\ncode\n"
    prose = MarkdownText(comments).prose
    assert prose.count("a") == 0 and prose.endswith("\n   \n    \n")
    inline = "x <!--a-->" * 200_000
    assert MarkdownText(inline).prose == "x         " * 200_000


def test_closing_hashes_of_headings() -> None:
    document = MarkdownText(
        "# Title ##\n## ###\n### a#\n#### b # c ##\n##### " + " " * 100_000 + "x#y#"
    )
    assert [text for _, text in document.heading_texts] == [
        "Title",
        "",
        "a#",
        "b # c",
        "x#y#",  # a long blank run before it used to be backtracked over from every blank
    ]
