"""Artifacts rendered by cmark-gfm (ADR 0171): raw HTML is text, only safe links, heading ids
the traceability matrix can link to, tables and strikethrough."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base.markdown import MarkdownText
from sdd.site.markdown import heading_slug, render_markdown

# What cmark-gfm writes for Markdown, and the attributes the rewriting adds: anything else in
# the output would have come from the artifact.
ELEMENTS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "em", "strong", "del", "code", "pre",
    "ul", "ol", "li", "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
    "input", "details", "summary",
}  # fmt: skip
ATTRIBUTES = {
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "a": {"href", "title", "class"}, "img": {"src", "alt", "title"}, "ol": {"start"},
    "code": {"class"}, "th": {"style"}, "td": {"style"}, "li": {"class"},
    "input": {"type", "checked", "disabled"}, "details": {"class"},
}  # fmt: skip
INPUT_ATTRIBUTES = {("type", "checkbox"), ("checked", ""), ("disabled", "")}
ALIGNMENTS = {f"text-align: {side}" for side in ("left", "center", "right")}


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ELEMENTS:
            self.problems.append(f"element {tag}")
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()):
                self.problems.append(f"{tag} {name}={value!r}")
            elif name in ("href", "src"):
                scheme = (value or "").split(":", 1)[0].lower() if ":" in (value or "") else ""
                if scheme not in ("", "http", "https", "mailto"):
                    self.problems.append(f"{tag} {name}={value!r}")
            elif tag == "input" and (name, value) not in INPUT_ATTRIBUTES:
                self.problems.append(f"{tag} {name}={value!r}")
            elif name == "style" and value not in ALIGNMENTS:
                self.problems.append(f"{tag} style={value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ELEMENTS:
            self.problems.append(f"element /{tag}")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration {data!r}")


def markup_problems(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.problems


FRAGMENTS = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>",
        "<!-- c -->",
        "<?php x ?>",
        "<!DOCTYPE html>",
        "<![CDATA[ x ]]>",
        "<https://example.org/a?b=1&c=2>",
        "<javascript:alert(1)>",
        "<a@b.co>",
        "[x](javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](ftp://host/file)",
        "![i](data:image/png;base64,AA)",
        "[r]\n\n[r]: javascript:alert(1)",
        "[p](plan.md)",
        "[f](../src/app.py 'title')",
        "\\<b>",
        "\\\\<b>",
        "`<code>`",
        "\n```\n<pre>\n```\n",
        "\n    <indented>\n",
        "| a | <b> |\n|---|:-:|\n| 1 | 2 |\n",
        "~~<s>~~",
        "# <h1>",
        "\u2e2e",
        "\ufdd0",
        "> <blockquote>",
        "- <li>",
        "- [x] <done>",
        "- [ ] open",
        "---\n",
        "---\ntitle: <script>x</script>\n---\n",
    ]
)
MARKDOWN_CHARACTERS = st.text(
    alphabet="<>/\\`*_[]()!#:=-|~&;\"' \r\n\tax0é\u2e2e\ufdd0", max_size=40
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, MARKDOWN_CHARACTERS, st.text(max_size=20)), max_size=10))
def test_only_the_markup_of_markdown_reaches_the_page(pieces: list[str]) -> None:
    html = render_markdown("".join(pieces), "spec", {"plan.md": "plan"})
    assert markup_problems(html) == []


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("<div>\n*hi*\n</div>", "<p>&lt;div&gt;\n<em>hi</em>\n&lt;/div&gt;</p>"),
        ("a <b>bold</b> c", "<p>a &lt;b&gt;bold&lt;/b&gt; c</p>"),
        ("<!-- hidden -->", "<p>&lt;!-- hidden --&gt;</p>"),
        ("<?php echo 1; ?>", "<p>&lt;?php echo 1; ?&gt;</p>"),
        ("List<T> and Map<K, V>", "<p>List&lt;T&gt; and Map&lt;K, V&gt;</p>"),
        ("Vec**<T>**", "<p>Vec**&lt;T&gt;**</p>"),  # ``<`` is still punctuation
        ("\\<b> is escaped", "<p>&lt;b&gt; is escaped</p>"),
        ("`\\<b>` in code", "<p><code>\\&lt;b&gt;</code> in code</p>"),
        ("<https://example.org>", '<p><a href="https://example.org">https://example.org</a></p>'),
        ("<me@example.org>", '<p><a href="mailto:me@example.org">me@example.org</a></p>'),
        ("a \u2e2e and \ufdd0", "<p>a \u2e2e and \ufffd</p>"),
        ("[x](a<b)", '<p><a class="repo-path" title="a%3Cb">x</a></p>'),
    ],
)
def test_raw_html_is_text_and_the_rest_is_commonmark(source: str, shown: str) -> None:
    assert render_markdown(source, "spec").strip() == shown


def test_refused_links_and_images_keep_their_text() -> None:
    html = render_markdown(
        "[a](javascript:alert(1)) [b](VBScript:x) [c](ftp://h/f) ![d](data:image/png;base64,AA) "
        "[e](https://ok.example) [f](mailto:me@example.org)",
        "spec",
    )
    assert html == (
        '<p>a b c d <a href="https://ok.example">e</a> <a href="mailto:me@example.org">f</a></p>\n'
    )


def test_headings_get_prefixed_unique_ids_from_their_source_text() -> None:
    html = render_markdown(
        "# User Scenarios & Testing *(mandatory)* ##\n\n## Notes\n\n## Notes\n\n"
        "Setext title\n---\n\n> ### Quoted `code`\n\n#\n\n[up](#notes-1)",
        "plan",
    )
    assert [line.split(">")[0] for line in html.splitlines() if line.startswith("<h")] == [
        '<h1 id="plan-user-scenarios--testing-mandatory"',
        '<h2 id="plan-notes"',
        '<h2 id="plan-notes-1"',
        '<h2 id="plan-setext-title"',
        '<h3 id="plan-quoted-code"',
        '<h1 id="plan-section"',
    ]
    assert '<a href="#plan-notes-1">up</a>' in html


HEADING_WORDS = st.text(alphabet="ab1 _-*`[]()&<>#!.:é", min_size=1, max_size=20)


@settings(max_examples=200, deadline=None)
@given(st.lists(HEADING_WORDS, min_size=1, max_size=6))
def test_every_heading_sdd_reads_has_the_id_the_matrix_links_to(titles: list[str]) -> None:
    text = "\n\n".join(f"## {title}" for title in titles) + "\n"
    html = render_markdown(text, "plan")
    for heading in MarkdownText(text).headings:
        slug = heading_slug(heading.text) or "section"
        assert f' id="plan-{slug}' in html, (heading, html)


def test_windows_line_ends_give_the_same_headings() -> None:
    text = "# Title\n\nSetext\n===\n\n## `Code` <T>\n"
    assert render_markdown(text.replace("\n", "\r\n"), "spec") == render_markdown(text, "spec")
    assert '<h2 id="spec-code-t"><code>Code</code> &lt;T&gt;</h2>' in render_markdown(text, "spec")


def test_tables_and_strikethrough_render() -> None:
    html = render_markdown("| a | b |\n|--:|:-:|\n| 1 | ~~x~~ ~y~ |\n", "spec")
    assert '<th style="text-align: right">a</th>' in html
    assert '<td style="text-align: center"><del>x</del> ~y~</td>' in html


def test_front_matter_is_shown_folded_and_never_read_as_markdown() -> None:
    text = '---\ndescription: "Tasks <b>"\n---\n\n# Tasks: Demo\n\n## Phase 1\n'
    html = render_markdown(text, "tasks")
    assert "<h2" not in html.split("<h1")[0]  # not a setext heading
    assert html.startswith(
        '<details class="front-matter"><summary>Front matter</summary>'
        "<pre><code>description: &quot;Tasks &lt;b&gt;&quot;</code></pre></details>\n"
    )
    assert '<h1 id="tasks-tasks-demo">' in html and '<h2 id="tasks-phase-1">' in html
    for heading in MarkdownText(text).headings:
        assert f'id="tasks-{heading_slug(heading.text)}"' in html
    # The body keeps its lines: a front matter with a heading-like value changes no id.
    same = render_markdown("---\ntitle: Phase 1\n---\n# Tasks: Demo\n\n## Phase 1\n", "tasks")
    assert '<h2 id="tasks-phase-1">' in same


def test_a_document_without_closed_front_matter_is_all_markdown() -> None:
    assert render_markdown("---\nnot closed\n", "spec") == "<hr />\n<p>not closed</p>\n"
    assert render_markdown("text\n---\n", "spec") == '<h2 id="spec-text">text</h2>\n'


def test_task_list_items_are_checkboxes_a_reader_can_tell_apart() -> None:
    html = render_markdown("- [x] T001 done\n- [ ] T002 [P] open\n- plain [ ] item\n", "tasks")
    assert html == (
        "<ul>\n"
        '<li class="task done"><input type="checkbox" checked="" disabled="" /> T001 done</li>\n'
        '<li class="task open"><input type="checkbox" disabled="" /> T002 [P] open</li>\n'
        "<li>plain [ ] item</li>\n"
        "</ul>\n"
    )
    assert "[x]" not in render_markdown("1. [X] T003 shipped\n", "tasks")
