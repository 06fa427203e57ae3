"""``sdd clarify``: listing open questions and answering them in place, on real repositories."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.features.answers import answer_clarification, record_in_spec
from sdd.features.clarify import find_clarifications

SPEC = """# Feature Specification: Login

**Created**: 2026-01-01

## User Scenarios & Testing

Users sign in with [NEEDS CLARIFICATION: auth method not specified - email, SSO?].

## Requirements

- **FR-001**: System MUST keep sessions for [NEEDS CLARIFICATION: how long?].
- **FR-002**: System MUST lock accounts after [NEEDS CLARIFICATION: how many attempts?] failures.

`[NEEDS CLARIFICATION: in code, not a question]`

## Open Questions

- Should admins bypass the lock?
- Already settled? → A: yes
"""


def _feature(project: Path, spec: str = SPEC) -> Path:
    folder = project / "specs" / "001-login"
    folder.mkdir(parents=True)
    (folder / "spec.md").write_text(spec, encoding="utf-8")
    return folder


def test_lists_markers_and_open_questions_with_lines(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    _feature(project)
    result = sdd("clarify", "001", "--json", ok=True)
    document = json.loads(result.stdout)
    assert document["feature"].startswith("001-")  # the feature, not its last artifact's name
    found = document["open"]
    assert [(item["line"], item["kind"]) for item in found] == [
        (7, "marker"),
        (11, "marker"),
        (12, "marker"),
        (18, "open-question"),
    ]
    assert found[1]["question"] == "how long?"
    assert found[0]["path"] == "specs/001-login/spec.md"
    assert len({item["id"] for item in found}) == 4


def test_three_markers_answered_then_validation_has_none_left(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    folder = _feature(project)
    assert "FEAT014" in sdd("validate").stdout
    answers = {
        "auth method not specified - email, SSO?": "email and password",
        "how long?": "30 days",
        "how many attempts?": "5",
    }
    for question, text in answers.items():
        found = json.loads(sdd("clarify", "001", "--json", ok=True).stdout)["open"]
        target = next(item for item in found if item["question"] == question)
        sdd("clarify", "answer", target["id"], text, "--feature", "001", ok=True)
    spec = (folder / "spec.md").read_text(encoding="utf-8")
    today = datetime.date.today().isoformat()
    assert "Users sign in with email and password." in spec
    assert "- **FR-001**: System MUST keep sessions for 30 days." in spec
    assert "lock accounts after 5 failures." in spec
    assert f"## Clarifications\n\n### Session {today}\n\n- Q: auth method not specified" in spec
    assert (
        "- Q: how long? → A: 30 days\n- Q: how many attempts? → A: 5\n\n## User Scenarios" in spec
    )
    assert "FEAT014" not in sdd("validate").stdout
    remaining = json.loads(sdd("clarify", "001", "--json", ok=True).stdout)["open"]
    assert [item["kind"] for item in remaining] == ["open-question"]


def test_every_other_byte_is_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "001-x"
    folder.mkdir()
    spec = SPEC.replace("\n", "\r\n")
    (folder / "spec.md").write_bytes(spec.encode())
    item = find_clarifications("spec.md", folder / "spec.md", spec)[1]
    answer_clarification(folder, item.id, "30 days", today=datetime.date(2026, 2, 3))
    written = (folder / "spec.md").read_bytes().decode()
    expected = record_in_spec(
        spec.replace("[NEEDS CLARIFICATION: how long?]", "30 days"),
        "how long?",
        "30 days",
        "2026-02-03",
    )
    assert written == expected
    assert "\n" not in written.replace("\r\n", "")
    before, _, after = written.partition("## Clarifications\r\n\r\n### Session 2026-02-03\r\n\r\n")
    assert after.startswith("- Q: how long? → A: 30 days\r\n\r\n## User Scenarios")
    assert before + after.split("\r\n", 2)[2] == spec.replace(
        "[NEEDS CLARIFICATION: how long?]", "30 days"
    )


def test_existing_session_gets_the_next_bullet() -> None:
    spec = (
        "# Spec\n\n## Clarifications\n\n### Session 2026-01-01\n\n- Q: a → A: b\n\n"
        "## Requirements\n\ntext\n"
    )
    same_day = record_in_spec(spec, "c", "d", "2026-01-01")
    assert same_day == spec.replace("- Q: a → A: b\n", "- Q: a → A: b\n- Q: c → A: d\n")
    next_day = record_in_spec(spec, "c", "d", "2026-01-02")
    assert next_day == spec.replace(
        "- Q: a → A: b\n", "- Q: a → A: b\n\n### Session 2026-01-02\n\n- Q: c → A: d\n"
    )


def test_open_question_keeps_its_text_and_gets_the_answer(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    folder = _feature(project)
    found = json.loads(sdd("clarify", "001", "--json", ok=True).stdout)["open"]
    question = found[-1]
    sdd("clarify", "answer", question["id"], "No", "--feature", "001", ok=True)
    assert "- Should admins bypass the lock? → A: No\n" in (folder / "spec.md").read_text()


def test_unknown_id_and_empty_answer_change_nothing(project: Path, sdd, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    folder = _feature(project)
    before = (folder / "spec.md").read_bytes()
    result = sdd_exe("clarify", "answer", "C000000", "x", "--feature", "001", cwd=project)
    assert result.returncode == 2
    assert "no open clarification 'C000000'" in result.stderr and "Traceback" not in result.stderr
    found = json.loads(sdd("clarify", "001", "--json", ok=True).stdout)["open"]
    assert sdd("clarify", "answer", found[0]["id"], "  ", "--feature", "001").exit_code == 2
    assert sdd("clarify", "answer", found[0]["id"], "--feature", "001").exit_code == 2
    assert (folder / "spec.md").read_bytes() == before


def test_nothing_open_says_so(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    _feature(project, "# Spec\n\n## Requirements\n\n- **FR-001**: done.\n")
    result = sdd_exe("clarify", "001", cwd=project)
    assert result.returncode == 0 and "no open clarifications" in result.stdout


@settings(max_examples=60, deadline=None)
@given(
    body=st.text(alphabet=st.sampled_from("ab #-\n[]:?`"), max_size=200),
    answer=st.text(alphabet=st.sampled_from("xyz 1"), min_size=1, max_size=10).filter(str.strip),
)
def test_answer_only_replaces_the_marker_and_adds_the_record(body: str, answer: str) -> None:
    text = body + "\nSee [NEEDS CLARIFICATION: which one?] here.\n"
    found = [c for c in find_clarifications("spec.md", Path("spec.md"), text) if c.kind == "marker"]
    if not found:
        return  # the generated body opened a code fence that hides the marker
    resolved = text.replace("[NEEDS CLARIFICATION: which one?]", answer.strip(), 1)
    recorded = record_in_spec(resolved, "which one?", answer.strip(), "2026-01-01")
    assert f"- Q: which one? → A: {answer.strip()}" in recorded
    kept = recorded.split("\n")
    original = resolved.split("\n")
    # Only lines are inserted: the original lines appear in order.
    position = 0
    for line in original:
        position = kept.index(line, position) + 1


def test_a_marker_in_the_plan_is_answered_there_and_recorded_in_the_spec(
    project: Path, sdd
) -> None:  # type: ignore[no-untyped-def]
    folder = _feature(project, "# Spec\n\n## Requirements\n\n- **FR-001**: done.\n")
    plan = "# Plan\n\n## Technical Context\n\n**Storage**: [NEEDS CLARIFICATION: which database?]\n"
    (folder / "plan.md").write_text(plan, encoding="utf-8")
    (item,) = json.loads(sdd("clarify", "001", "--json", ok=True).stdout)["open"]
    assert item["path"] == "specs/001-login/plan.md" and item["line"] == 5
    answered = json.loads(
        sdd("clarify", "answer", item["id"], "PostgreSQL 16", "--feature", "001", "--json").stdout
    )
    assert answered["written"] == ["specs/001-login/spec.md", "specs/001-login/plan.md"]
    assert (folder / "plan.md").read_text() == plan.replace(
        "[NEEDS CLARIFICATION: which database?]", "PostgreSQL 16"
    )
    spec = (folder / "spec.md").read_text()
    assert spec.startswith("# Spec\n\n## Clarifications\n\n### Session ")
    assert "- Q: which database? → A: PostgreSQL 16\n\n## Requirements" in spec


def test_links_are_followed_inside_the_project_and_refused_outside(
    project: Path, tmp_path: Path, sdd_exe
) -> None:  # type: ignore[no-untyped-def]
    folder = project / "specs" / "001-login"
    folder.mkdir(parents=True)
    shared = project / "docs" / "login-spec.md"
    shared.parent.mkdir()
    shared.write_text(SPEC, encoding="utf-8")
    (folder / "spec.md").symlink_to(shared)
    listed = json.loads(sdd_exe("clarify", "001", "--json", cwd=project).stdout)["open"]
    answered = sdd_exe(
        "clarify", "answer", listed[1]["id"], "30 days", "--feature", "001", cwd=project
    )
    assert answered.returncode == 0, answered.stderr
    assert (folder / "spec.md").is_symlink()
    assert "sessions for 30 days." in shared.read_text(encoding="utf-8")
    outside = tmp_path / "outside-spec.md"
    outside.write_text(SPEC, encoding="utf-8")
    (folder / "spec.md").unlink()
    (folder / "spec.md").symlink_to(outside)
    refused = sdd_exe("clarify", "answer", listed[2]["id"], "5", "--feature", "001", cwd=project)
    assert refused.returncode == 2 and "links outside the project" in refused.stderr
    assert outside.read_text(encoding="utf-8") == SPEC


WRAPPED = """# Feature Specification: Checks

## Verification

- Proven on the pull request itself and by a deliberately broken commit. [NEEDS CLARIFICATION: is
  the negative check a one-off experiment, or a documented manual step?]

## Edge cases

- Pull requests from forks. [NEEDS CLARIFICATION: are forks allowed?]
"""


def test_a_question_wrapped_over_two_lines_is_found_shown_on_one_and_answered_in_place(
    project: Path,
    sdd,  # type: ignore[no-untyped-def]
) -> None:
    folder = _feature(project, WRAPPED)
    found = json.loads(sdd("clarify", "001", "--json", ok=True).stdout)["open"]
    assert [(item["line"], item["question"]) for item in found] == [
        (5, "is the negative check a one-off experiment, or a documented manual step?"),
        (10, "are forks allowed?"),
    ]
    report = json.loads(sdd("validate", "--json").stdout)
    wrapped = [f for f in report["findings"] if f["code"] == "FEAT014" and f["line"] == 5]
    assert len(wrapped) == 1 and "\n" not in wrapped[0]["message"]
    assert "documented manual step?]" in wrapped[0]["message"]
    listed = sdd("clarify", "001", ok=True).stdout
    assert "--feature 001" in listed  # the feature came from the argument, not the branch
    sdd(
        "clarify", "answer", found[0]["id"], "A documented manual step", "--feature", "001", ok=True
    )
    text = (folder / "spec.md").read_text(encoding="utf-8")
    assert "broken commit. A documented manual step\n\n## Edge cases" in text
    assert "- Q: is the negative check a one-off experiment, or a documented manual step?" in text
    remaining = json.loads(sdd("clarify", "001", "--json", ok=True).stdout)["open"]
    assert [item["question"] for item in remaining] == ["are forks allowed?"]
