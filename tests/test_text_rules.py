"""Shared text rules: slugs, front matter and the placeholder grammar (property-based too)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base import frontmatter
from sdd.base.errors import ParseError
from sdd.base.slugs import MAX_SLUG_LENGTH, slugify
from sdd.text.placeholders import find_placeholders, is_placeholder_value


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Ünïcödé", "unicode"),
        ("User Auth: JWT + OAuth2!", "user-auth-jwt-oauth2"),
        ("  --Leading and trailing--  ", "leading-and-trailing"),
        ("../../etc/passwd", "etc-passwd"),
        ("Crème brûlée façade", "creme-brulee-facade"),
    ],
)
def test_slug_examples(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize("title", ["日本語のタイトル", "Привет мир", "🚀🔥", "...", "ⅷ", ""])
def test_other_scripts_and_symbols_still_give_a_slug(title: str) -> None:
    slug = slugify(title)
    assert slug and slug == slugify(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)


@settings(max_examples=500)
@given(st.text())
def test_slug_is_always_safe_bounded_and_deterministic(title: str) -> None:
    slug = slugify(title)
    assert 0 < len(slug) <= MAX_SLUG_LENGTH
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert slug == slugify(title)


def test_front_matter_split_and_lines() -> None:
    text = "---\nid: 7\ntitle: Hello\n---\n\n## Prompt\n\nhi\n"
    doc = frontmatter.split(text)
    assert doc.has_front_matter and doc.closed
    assert frontmatter.parse_header(doc, "x.md") == {"id": 7, "title": "Hello"}
    assert frontmatter.key_lines(doc, "x.md") == {"id": 2, "title": 3}
    assert doc.body_line == 5
    assert text.splitlines()[doc.body_line - 1 + 1] == "## Prompt"


def test_front_matter_that_never_closes() -> None:
    doc = frontmatter.split("---\nid: 1\n\n## Prompt\nhello\n")
    assert doc.has_front_matter and not doc.closed


def test_front_matter_errors_carry_the_file_line() -> None:
    doc = frontmatter.split("---\nid: 1\ntitle: [broken\n---\nbody\n")
    with pytest.raises(ParseError) as caught:
        frontmatter.parse_header(doc, Path("x.md"))
    assert caught.value.line is not None and caught.value.line >= 3


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=20).filter(lambda k: k.strip() == k and k),
        st.one_of(st.text(), st.integers(), st.none(), st.lists(st.text(), max_size=3)),
        max_size=6,
    ),
    st.text(),
)
def test_front_matter_round_trips_any_values(data: dict[str, object], body: str) -> None:
    text = frontmatter.render(data, body)
    doc = frontmatter.split(text)
    assert doc.closed
    assert (frontmatter.parse_header(doc, "x.md") or {}) == data
    assert doc.body == body


@pytest.mark.parametrize(
    ("line", "tokens"),
    [
        ("# Feature Specification: [FEATURE NAME]", ["[FEATURE NAME]"]),
        ("**Branch**: `[###-feature-name]` | **Date**: [DATE]", ["[DATE]"]),
        ("**Branch**: [###-feature-name]", ["[###-feature-name]"]),
        ("Title: {{ title }} and {% if x %}", ["{{ title }}", "{% if x %}"]),
        ("Run with $ARGUMENTS now", ["$ARGUMENTS"]),
        ("- [ ] T001 [P] [US1] Create model in src/models.py", []),
        ("- [x] T002 done", []),
        ("- [X] T003 done", []),
        ("See [the docs](https://example.com) and [REF][1]", []),
        ("[API]: https://example.com", []),
        ("Covers [FR-001] and [SC-002]", []),
        ("> [!NOTE]", []),
        ("Footnote[^1]", []),
        ("Use `[PROJECT_NAME]` literally", []),
        (
            "FR-006: System MUST [NEEDS CLARIFICATION: auth method?]",
            ["[NEEDS CLARIFICATION: auth method?]"],
        ),
        ("An [ordinary bracket] aside", []),
        ('labels: ["api", "auth"]', []),
        ("sizes: [1, 2.5, 3]", []),
        ("[REDACTED:aws-access-key]", []),
        ("**Spec**: [link]", ["[link]"]),
    ],
)
def test_placeholder_grammar(line: str, tokens: list[str]) -> None:
    assert [p.text for p in find_placeholders(line)] == tokens


def test_fenced_code_is_ignored_and_lines_are_counted() -> None:
    text = "intro [DATE]\n```md\n[FEATURE NAME]\n{{ x }}\n```\n~~~\n[X Y]\n~~~\nend [FEATURE]\n"
    found = find_placeholders(text, first_line=10)
    assert [(p.line, p.text) for p in found] == [(10, "[DATE]"), (18, "[FEATURE]")]


def test_whole_value_placeholders() -> None:
    assert is_placeholder_value("{{ TITLE }}")
    assert is_placeholder_value(" [DATE] ")
    assert not is_placeholder_value("Add login [DATE]")
    assert not is_placeholder_value("")


@settings(max_examples=300)
@given(st.text())
def test_placeholder_scan_never_fails_and_stays_in_range(text: str) -> None:
    lines = text.split("\n")  # lines as editors and git count them
    for found in find_placeholders(text):
        assert 1 <= found.line <= len(lines)
        assert found.text in lines[found.line - 1]
