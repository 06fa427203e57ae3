"""The baseline (``sdd validate --baseline``): known findings left out, new ones reported,
stable under line moves; the hook and ``sdd doctor`` see it too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdd.base.diagnostics import Finding, error
from sdd.hooks import run as hookrun
from sdd.project.baseline import BASELINE_FILE, load_baseline
from sdd.project.project import Project, load_project
from sdd.project.selection import Selection
from sdd.validation import validate
from sdd.validation.staged import validate_staged
from tests.support import commit, git, stage

SPEC = "specs/001-login/spec.md"


def flag_broken(project: Project, selection: Selection) -> Iterator[Finding]:
    """Stand-in checker: an error for each line holding BROKEN in a selected artifact."""
    folder = project.paths.specs
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        if selection.includes(path):
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if "BROKEN" in line:
                    yield error(project.rel(path), number, "TST001", "broken line")


@pytest.fixture
def checked(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(validate, "load_checkers", lambda *names: [flag_broken])
    stage(project, SPEC, "# Login\n\nBROKEN one\n\nBROKEN   two\n")
    git(project, "add", "-A", check=False)
    assert commit(project, "init").returncode == 0
    return project


def _new(root: Path) -> list[str]:
    report = validate.validate(load_project(root), Selection.everything())
    return [f"{f.path}:{f.line}" for f in report.findings]


def test_baselined_findings_are_left_out_and_survive_line_moves(checked: Path) -> None:
    assert len(_new(checked)) == 2
    baseline, written = validate.record_baseline(load_project(checked))
    assert baseline.size == 2 and written == checked / BASELINE_FILE
    assert _new(checked) == []
    spec = checked / SPEC
    spec.write_text("# Login\n\nintro\nmore intro\n\n  BROKEN   one\n\nBROKEN two\n", "utf-8")
    assert _new(checked) == []  # moved and re-indented: the same findings


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("edit", [f"{SPEC}:3"]),
        ("repeat", [f"{SPEC}:6"]),
        ("rename", ["specs/001-login/renamed.md:3", "specs/001-login/renamed.md:5"]),
        ("new file", ["specs/002-other/spec.md:1"]),
    ],
)
def test_every_new_finding_is_reported(checked: Path, change: str, expected: list[str]) -> None:
    validate.record_baseline(load_project(checked))
    spec = checked / SPEC
    if change == "edit":
        spec.write_text("# Login\n\nBROKEN one, edited\n\nBROKEN two\n", "utf-8")
    elif change == "repeat":
        spec.write_text(spec.read_text("utf-8") + "BROKEN one\n", "utf-8")
    elif change == "rename":
        spec.rename(spec.with_name("renamed.md"))
    else:
        (checked / "specs/002-other").mkdir()
        (checked / "specs/002-other/spec.md").write_text("BROKEN one\n", "utf-8")
    assert _new(checked) == expected


def test_the_file_is_stable_and_sorted(checked: Path) -> None:
    validate.record_baseline(load_project(checked))
    first = (checked / BASELINE_FILE).read_text("utf-8")
    (checked / SPEC).write_text("\n\n# Login\n\nBROKEN one\n\nBROKEN two\n", "utf-8")
    validate.record_baseline(load_project(checked))
    assert (checked / BASELINE_FILE).read_text("utf-8") == first
    document = json.loads(first)
    assert document["schema"] == "sdd.baseline/1"
    assert [entry["line_text"] for entry in document["findings"]] == ["BROKEN one", "BROKEN two"]


def test_the_hook_reports_only_new_findings(checked: Path) -> None:
    validate.record_baseline(load_project(checked))
    git(checked, "add", "-A", check=False)
    stage(checked, SPEC, "# Login\n\nBROKEN one\n\nBROKEN two\nBROKEN three\n")
    result = validate_staged(checked)
    assert [f.line for f in result.report.findings] == [6]
    # Snapshot path (the work tree differs from the index): the same judgement.
    (checked / SPEC).write_text("unstaged edit\n", "utf-8")
    result = validate_staged(checked)
    assert result.snapshot and [f.line for f in result.report.findings] == [6]


def test_cli_records_the_baseline_and_doctor_counts_it(checked: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    assert sdd("validate").exit_code == 1
    result = sdd("validate", "--baseline")
    assert result.exit_code == 0 and "2 finding(s) baselined" in result.output
    result = sdd("validate")
    assert result.exit_code == 0 and "2 baselined finding(s) not shown" in result.output
    doctor = json.loads(sdd("doctor", "--json").output)
    assert doctor["baselined"] == 2
    assert sdd("validate", "--baseline", "specs").exit_code == 2


def test_a_broken_baseline_is_refused_with_its_name(checked: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (checked / BASELINE_FILE).write_text("{not json", "utf-8")
    result = sdd("validate")
    assert result.exit_code == 2 and "baseline.json" in result.output
    with pytest.raises(Exception, match="sdd validate --baseline"):
        load_baseline(checked)


def test_the_hook_caps_what_it_prints(
    checked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(3):
        stage(checked, f"specs/00{number + 2}-x/spec.md", "BROKEN\n" * 8)
    assert hookrun.main(["pre-commit", "--project=."]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 3 * hookrun.FINDINGS_PER_FILE
    assert "9 more findings not shown (24 errors" in captured.err
    assert "run 'sdd validate'" in captured.err
