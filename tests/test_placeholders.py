"""The placeholder grammar on spec-kit's own shapes, and on every real file of the corpus.

The corpus expectations below were written by reading each file (every bracket, template
marker and clarification marker outside code), not by running the tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sdd.text.placeholders import find_placeholders, is_placeholder_value, scan_line


@pytest.mark.parametrize(
    ("line", "tokens"),
    [
        # the tokens of the kits' and sdd's templates (single words only in a slot)
        ("### User Story 1 - [Brief Title] (Priority: P1)", ["[Brief Title]"]),
        ("## Phase 3: User Story 1 - [Title] (Priority: P1) 🎯 MVP", ["[Title]"]),
        ("# Feature Specification: [Feature Name]", ["[Feature Name]"]),
        (
            "[Describe this user journey in plain language]",
            ["[Describe this user journey in plain language]"],
        ),
        (
            "**Why this priority**: [Explain the value and why it has this priority level]",
            ["[Explain the value and why it has this priority level]"],
        ),
        ("**Spec**: [link]", ["[link]"]),
        (
            "1. **Given** [initial state], **When** [action], **Then** [expected outcome]",
            ["[initial state]", "[action]", "[expected outcome]"],
        ),
        ("| [e.g., 4th project] | [current need] |", ["[e.g., 4th project]", "[current need]"]),
        (
            '- **FR-001**: System MUST [specific capability, e.g., "log in"]',
            ['[specific capability, e.g., "log in"]'],
        ),
        ("- [ ] T012 [P] [US1] Integration test for [user journey]", ["[user journey]"]),
        ("**Branch**: 001-x | **Date**: [DATE] | **Spec**: [link]", ["[DATE]", "[link]"]),
        ("# [PROJECT_NAME] Constitution", ["[PROJECT_NAME]"]),
        ("# [CHECKLIST TYPE] Checklist: login", ["[CHECKLIST TYPE]"]),
        ("ACTION REQUIRED: replace the tree below", ["ACTION REQUIRED"]),
        ("**Storage**: NEEDS CLARIFICATION", ["NEEDS CLARIFICATION"]),
        (
            "- [ ] [NEEDS CLARIFICATION: which store?] decide",
            ["[NEEDS CLARIFICATION: which store?]"],
        ),
        # labels, legends, status markers and notes a team wrote on purpose
        ("- [ ] T012 [P] [US1] [task description]", []),
        ("- [X] T001 [RED] Write the failing parser test", []),
        ("- [ ] **T002** [GREEN] [TDD] Make it pass", []),
        ("- [ ] T003 [PR-A] [US#] Split the migration", []),
        ("- [x] T004 [FN] [ST] [CR] [POLISH] tidy", []),
        ("- **[US1/2/3]**: user story numbers", []),
        ("[RED] = a failing test first", []),
        ("- [ ] T005 [US1/2] shared work", []),
        ("- Deploy preview [In Progress]", []),
        ("- **[RESOLVED 2026-07-10]** Use 404 for a foreign resource", []),
        ("- [DONE 2025-01-31] migrate the sessions", []),
        ("**Date**: [e.g., 2026-07-10]", ["[e.g., 2026-07-10]"]),
        ("**Date**: [YYYY-MM-DD]", ["[YYYY-MM-DD]"]),
        ("**Status**: [Pending]", []),
        ("load_project(...) [1 SELECT] then render", []),
        ("A sentence that says [DONE] in passing", []),
        ("- [x] No [NEEDS CLARIFICATION] markers remain", []),
        ("For each NEEDS CLARIFICATION → research task", []),
        ("- [Some free text] in a list", []),
        ("- What happens when [BOUNDARY CONDITION]?", ["[BOUNDARY CONDITION]"]),
        ("- **[PRINCIPLE]**: [DESCRIPTION OF IT]", ["[PRINCIPLE]", "[DESCRIPTION OF IT]"]),
        ("## Phase [NN]: Polish", ["[NN]"]),
        # real prose that merely holds brackets
        ("- **[Story]**: Which user story this task belongs to (e.g., US1, US2, US3)", []),
        ("### User Story 1: New User Registration (P1) [Independent]", []),
        ("- [ ] T004 Migrate PATCH /api/events/[id] to requireAuth() in src/app/route.ts", []),
        ('- [X] Build OpenAI prompt: "Break down this task into subtasks: [task details]"', []),
        ('A 404-style message is shown: "This [event/teacher] could not be found."', []),
        ("**Storage**: In-memory (List[Task] with dataclass)", []),
        ("- [X] T077  [US5a] Create useCountToggle hook", []),
        ("- [ ] T005 [US1, US2] shared work", []),
        ("[spec]: https://example.com/spec", []),
        ("Escaped \\[NOT A TOKEN] text", []),
        ("text <!-- [HIDDEN] --> more", []),
        ("see [docs][API] and ![alt](x.png)", []),
    ],
)
def test_slot_and_example_rules(line: str, tokens: list[str]) -> None:
    assert [p.text for p in find_placeholders(line)] == tokens


def test_html_comments_and_unclosed_fences() -> None:
    text = (
        "<!--\n  [IGNORED TOKEN] {{ x }}\n-->\n"
        "visible [DATE]\n"
        "    ```bash\n    echo [NOT FLAGGED]\n    ```\n"
        "after [OWNER NAME]\n"
        "```\nnever closed [HIDDEN]\n"
    )
    assert [(p.line, p.text) for p in find_placeholders(text)] == [
        (4, "[DATE]"),
        (8, "[OWNER NAME]"),
    ]


def test_a_fence_with_an_info_string_does_not_close_a_block() -> None:
    text = "```\n```python\n[INSIDE]\n```\n[OUTSIDE]\n"
    assert [(p.line, p.text) for p in find_placeholders(text)] == [(5, "[OUTSIDE]")]


def test_code_spans_hide_placeholders_and_reported_text_is_original() -> None:
    found = find_placeholders("**Branch**: `[###-feature-name]` | **Date**: [DATE]")
    assert [(p.column, p.text) for p in found] == [(46, "[DATE]")]
    found = find_placeholders("- **Layout**: [THE REAL `src/` TREE]")
    assert [p.text for p in found] == ["[THE REAL `src/` TREE]"]


def test_whole_value_slots() -> None:
    assert is_placeholder_value("[Brief title of the prompt]")
    assert not is_placeholder_value("Login [beta]")


# Expected findings per corpus file: (line, text). Every file not listed has none.
CORPUS_PLACEHOLDERS: dict[str, list[tuple[int, str]]] = {
    # The plan was never filled in at the top: the header still holds the template's tokens
    # (the ``[###-feature-name]`` ones are in code spans, which the grammar leaves alone).
    "NihalGhauri__Hackthon-II-phase-1-console-todo-app/001-console-todo-app/plan.md": [
        (1, "[FEATURE]"),
        (3, "[DATE]"),
        (3, "[link]"),
    ],
    # The Complexity Tracking table kept the template's example rows.
    "bilalinit__evolution-of-todo/005-fastapi-backend/plan.md": [
        (144, "[e.g., 4th project]"),
        (144, "[current need]"),
        (144, "[why 3 projects insufficient]"),
        (145, "[e.g., Repository pattern]"),
        (145, "[specific problem]"),
        (145, "[why direct DB access insufficient]"),
    ],
}


def _corpus_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "specs").rglob("*.md"))


def test_every_corpus_file_has_exactly_the_placeholders_a_reviewer_flags(corpus: Path) -> None:
    files = _corpus_files(corpus)
    assert len(files) == 46
    unexpected = set(CORPUS_PLACEHOLDERS) - {
        f.relative_to(corpus / "specs").as_posix() for f in files
    }
    assert not unexpected
    for path in files:
        name = path.relative_to(corpus / "specs").as_posix()
        found = [(p.line, p.text) for p in find_placeholders(path.read_text("utf-8"))]
        assert found == CORPUS_PLACEHOLDERS.get(name, []), name


def test_corpus_placeholders_point_at_their_lines(corpus: Path) -> None:
    for name, expected in CORPUS_PLACEHOLDERS.items():
        lines = (corpus / "specs" / name).read_text("utf-8").split("\n")
        for line, text in expected:
            assert text in lines[line - 1]


@pytest.mark.parametrize(
    ("line", "tokens"),
    [
        ("| [CELL ONE] | [CELL] | [Cell] |", ["[CELL ONE]", "[CELL]"]),
        ("[Title]: [VALUE]", ["[VALUE]"]),  # a reference definition, then a slot
        ("  [label]: https://example.com", []),
        ("- [ ] [Do it] [Then this]", []),  # two brackets side by side: neither stands alone
        ("{{ [A] }} [FOO BAR]", ["{{ [A] }}", "[FOO BAR]"]),
        ("[NEEDS CLARIFICATION: [X Y]] [Z W]", ["[NEEDS CLARIFICATION: [X Y]", "[Z W]"]),
        ("Status: **[Draft]**", []),  # a status marker
        ("Owner: **[OWNER]**", ["[OWNER]"]),
        ("**Given** [initial state], and **When** [action]", ["[initial state]", "[action]"]),
    ],
)
def test_slots_among_other_brackets_on_one_line(line: str, tokens: list[str]) -> None:
    assert [p.text for p in scan_line(line, 1)] == tokens


@pytest.mark.slow
def test_lines_of_many_brackets_are_scanned_in_one_pass() -> None:
    # Each bracket used to copy the line before and after it: hours for lines this long.
    count = 100_000
    cells = scan_line("| [AB] " * count, 7)
    assert len(cells) == count and cells[-1].column == 7 * count - 4 and cells[0].line == 7
    assert scan_line("x [a] " * count, 1) == []
    assert scan_line("[a]: x " * count, 1) == []
    mixed = scan_line("{{ [A] }} [FOO BAR]" * count, 1)
    assert len(mixed) == 2 * count
    assert [p.kind for p in mixed[:2]] == ["template", "token"]
    assert len(find_placeholders(("| [AB] " * 1000 + "\n") * 100)) == 100_000


@pytest.mark.parametrize(
    "line",
    [
        "x [a b] " + "{{" * 200_000,  # openings that never close used to be searched to the end
        "x [a b] " + "{%" * 200_000,
        "x [a b] " + "<!--" * 200_000,
        "x [a b] " + "[NEEDS CLARIFICATION " * 50_000,
        "x [a b] " + "`" * 100_000,
    ],
)
def test_openings_that_never_close_are_scanned_in_one_pass(line: str) -> None:
    assert [p.text for p in scan_line(line, 1)] == []
    closed = scan_line(line + " {{ x }}", 1)
    assert [p.kind for p in closed] == ["template"] and closed[0].text.endswith("{{ x }}")


def test_template_and_clarification_marks_close_on_their_line() -> None:
    assert [p.text for p in scan_line("{{ a\n}} {% b %} $ARGUMENTS", 1)] == [
        "{% b %}",
        "$ARGUMENTS",
    ]
    assert [
        p.text for p in scan_line("[NEEDS CLARIFICATION: x\n] [needs clarification: y]", 1)
    ] == ["[needs clarification: y]"]
    assert scan_line("$ARGUMENTSX <!-- [FOO] --> <!-- [BAR BAZ]", 1)[0].text == "[BAR BAZ]"
