"""The fast paths of reading and checking a Prompt History Record (issue 13) find what a plain
reading finds: sections and fences line by line, a section's fenced text, a whole value that
is a placeholder, the gate of the secret scan's case folding, and a file read in one call."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base.fileio import read_text
from sdd.base.patterns import compiled
from sdd.phr import record as phr
from sdd.text import secrets
from sdd.text.placeholders import is_placeholder_value, scan_line
from sdd.text.vocabulary import BRACKET, is_marker

_FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_MARK = re.compile(r" {0,3}(?:##?[ \t]|```|~~~)")


def _sections_read_line_by_line(
    body: str, body_line: int
) -> tuple[list[tuple[str, int, str]], int | None]:
    """DESIGN §3's reading of a record's body, one line at a time: a line whose first mark
    (after up to three spaces) is "#"/"##" and a blank may be a section heading (at no indent,
    outside a fence); one whose first mark is a run of backticks or tildes opens or closes a
    fence."""
    lines = body.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    headings: list[tuple[str, int, int, int]] = []
    fence: str | None = None
    fence_line: int | None = None
    for number, (line, start) in enumerate(zip(lines, starts, strict=True)):
        mark = _MARK.match(line)
        if mark is None:
            continue
        if mark.group(0).lstrip(" ")[0] == "#":
            heading = compiled(phr._SECTION_HEADING).match(line)
            if heading is not None and fence is None and not line.startswith(" "):
                name = phr._SECTION_NAMES[" ".join(heading.group(1).lower().split())]
                content = min(start + len(line) + 1, len(body))
                headings.append((name, body_line + number, start, content))
            continue
        fence_mark = _FENCE_LINE.match(line)
        assert fence_mark is not None
        run, rest = fence_mark.groups()
        if fence is None:
            if not (run[0] == "`" and "`" in rest):
                fence, fence_line = run, body_line + number
        elif run[0] == fence[0] and len(run) >= len(fence) and not rest.strip():
            fence = None
    found: dict[str, tuple[str, int, str]] = {}
    for position, (name, line_number, _, content) in enumerate(headings):
        end = headings[position + 1][2] if position + 1 < len(headings) else len(body)
        found.setdefault(name, (name, line_number, body[min(content, end) : end]))
    return list(found.values()), (fence_line if fence is not None else None)


_BODY_PIECES = st.sampled_from(
    [
        "## Prompt",
        "# Outcome",
        "## response snapshot",
        "##\tEvaluation notes",
        "## Evaluation notes (flywheel):",
        "## Evaluation notes(flywheel)",
        "## Outcome  :  ",
        "###",
        "## ",
        "## Other",
        "#Prompt",
        " ## Prompt",
        "   ```",
        "    ```",
        "```",
        "````",
        "```text",
        "`x`",
        "~~~",
        "~~~~",
        " ",
        "\t",
        "\n",
        "\n",
        "\r",
        "a",
        ":",
        "😀",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_BODY_PIECES, max_size=30).map("".join), st.integers(1, 40))
def test_sections_are_the_ones_a_line_by_line_reading_finds(body: str, body_line: int) -> None:
    sections, open_fence = phr.find_sections(body, body_line)
    found = [(s.name, s.line, s.content) for s in sections.values()]
    assert (found, open_fence) == _sections_read_line_by_line(body, body_line)


def _section_value_line_by_line(content: str) -> tuple[str, bool]:
    """The fenced text when a backtick fence opens on the first line that is not blank (blanks
    and a carriage return before its line feed) and the first line closing it is followed only
    by blank space; else the stripped text."""
    lines = content.split("\n")
    first = 0
    while first < len(lines) - 1 and re.fullmatch(r"[ \t]*\r?", lines[first]):
        first += 1
    opener = re.fullmatch(r"(`{3,})([^`\n]*)", lines[first]) if first < len(lines) - 1 else None
    if opener is not None:
        closing = re.compile(rf" {{0,3}}`{{{len(opener.group(1))},}}[ \t]*\r?")
        for index in range(first + 1, len(lines)):
            if closing.fullmatch(lines[index]):
                if "\n".join(lines[index + 1 :]).strip():
                    break
                return "\n".join(lines[first + 1 : index]), True
    return content.strip(), False


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["```", "````", "```text", "`", "\n", "\n", " ", "   ", "\t", "\r", "a"]),
        max_size=30,
    ).map("".join)
)
def test_a_section_value_is_its_fenced_text_as_a_line_by_line_reading_finds(
    content: str,
) -> None:
    assert phr.section_value(content) == _section_value_line_by_line(content)


def _placeholder_value_by_scan(value: str) -> bool:
    """``is_placeholder_value`` without its first-character gate."""
    stripped = value.strip()
    if not stripped:
        return False
    hits = scan_line(stripped, 1, labels=frozenset())
    if len(hits) == 1 and hits[0].text == stripped:
        return True
    match = BRACKET.fullmatch(stripped)
    return (
        match is not None
        and not is_marker(match.group(1))
        and any(ch.isalpha() for ch in match.group(1))
    )


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("[", "]", "{{", "}}", "{%", "%}", "$ARGUMENTS", "ACTION REQUIRED"),
                *("NEEDS CLARIFICATION", "FEATURE", "Name", " ", "\n", ":", "x", "`"),
                *("<!--", "-->", "e.g.", "(", "|", "**"),
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_the_first_character_gate_of_placeholder_values_hides_none(value: str) -> None:
    assert is_placeholder_value(value) == _placeholder_value_by_scan(value)


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from("aK \u0130\u0131\u0132\u017e\u017f\u2129\u212a\u00e9😀")))
def test_the_byte_search_for_folded_letters_finds_them_exactly(text: str) -> None:
    data = text.encode("utf-8")
    assert secrets._holds_equated(data) == (re.search(secrets._EQUATED, text) is not None)


def test_a_file_whose_size_stat_does_not_tell_is_read_to_its_end() -> None:
    status = Path("/proc/self/status")
    if sys.platform != "linux" or not status.exists():
        pytest.skip("needs Linux /proc")
    assert status.stat().st_size == 0
    assert "Name:" in read_text(status)


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    for size in (0, 1, 4095, 4096, 70_000):
        path.write_text("é" * size, encoding="utf-8")
        assert read_text(path) == "é" * size
