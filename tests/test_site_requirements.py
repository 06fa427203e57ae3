"""The requirement text the site's traceability matrix shows: the whole item a definition
wraps in, after a colon of either width, while the checks keep reading the first line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base.markdown import MarkdownText
from sdd.features.requirements import find_requirements, with_wrapped_text
from sdd.project.project import load_project
from sdd.site.build import build_site
from tests.site_support import seed_project

WRAPPED = """## Requirements

- **FR-001**：系统 MUST 允许用户输入数据库连接 URL 并保存
  至本地存储。
- **FR-002**: The system MUST cache the schema
  of every connection
lazily continued.
  - a nested item is not part of it
- **FR-003**: One line.
FR-004: A paragraph definition
FR-005: right after another one
goes on here.

> FR-006: quoted and
> wrapped

| FR-007 | a table row |
| --- | --- |
### FR-008: A heading
is one line

- FR-009: before code
```
FR-999: inside a fence
```
"""


def test_a_definition_takes_the_lines_its_item_wraps_onto() -> None:
    document = MarkdownText(WRAPPED)
    found = find_requirements(document)
    texts = {requirement.id: requirement.text for requirement in with_wrapped_text(document, found)}
    assert texts == {
        "FR-001": "系统 MUST 允许用户输入数据库连接 URL 并保存至本地存储。",
        "FR-002": "The system MUST cache the schema of every connection lazily continued.",
        "FR-003": "One line.",
        "FR-004": "A paragraph definition",
        "FR-005": "right after another one goes on here.",
        "FR-006": "quoted and wrapped",
        "FR-007": "a table row",
        "FR-008": "A heading",
        "FR-009": "before code",
    }
    # What the checks compare (ANL007) and report stays the first line.
    assert [requirement.text for requirement in found][:2] == [
        "系统 MUST 允许用户输入数据库连接 URL 并保存",
        "The system MUST cache the schema",
    ]


LINES = st.sampled_from(
    ["", "- **FR-001**: a", "  wrapped", "FR-002：b", "lazy", "> FR-003: c", "> more",
     "| FR-004 | d |", "## FR-005: e", "```", "* item", "---", "\r"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=14))
def test_wrapping_keeps_each_definition_and_only_adds_text_after_it(lines: list[str]) -> None:
    document = MarkdownText("\n".join(lines))
    found = find_requirements(document)
    wrapped = with_wrapped_text(document, found)
    assert [(r.id, r.line, r.key) for r in wrapped] == [(r.id, r.line, r.key) for r in found]
    for before, after in zip(found, wrapped, strict=True):
        assert after.text.startswith(before.text)
        assert "\n" not in after.text


def test_the_matrix_shows_the_whole_requirement_without_the_colon(tmp_path: Path) -> None:
    root = seed_project(tmp_path / "project")
    spec = root / "specs" / "001-order-history" / "spec.md"
    spec.write_text(
        spec.read_text("utf-8").replace(
            "- **FR-002**: System MUST show the total of each order.",
            "- **FR-002**：System MUST show the total\n  of each order.",
        ),
        "utf-8",
    )
    build_site(load_project(root), tmp_path / "site")
    page = (tmp_path / "site" / "features" / "001-order-history.html").read_text("utf-8")
    row = page.split('<tr id="req-FR-002"')[1].split("</tr>")[0]
    assert '<div class="sub">System MUST show the total of each order.</div>' in row
