"""sdd doctor: what it reports, and exit 1 when something is wrong."""

from __future__ import annotations

import json
from pathlib import Path


def test_doctor_on_a_fresh_project_is_clean(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(sdd("doctor", "--json", ok=True).stdout)
    assert report["schema"] == "sdd.doctor/1"
    assert report["ok"] is True
    assert report["root"] == str(project)
    assert report["layout"] == {"kind": "sdd", "markers": ["sdd.yaml"]}
    assert report["git"]["repository"] == str(project)
    assert report["git"]["version"]
    assert report["paths"]["adr"] == {"path": str(project / "adr"), "exists": True}
    assert report["problems"] == []


def test_doctor_human_output(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("doctor", ok=True)
    assert "project root" in result.stdout and "no problems found" in result.stdout


def test_doctor_warnings_then_their_count_in_a_merged_log(project: Path) -> None:
    import subprocess

    from tests.conftest import sdd_executable

    (project / "history/prompts").rename(project / "history/elsewhere")
    result = subprocess.run(
        [sdd_executable(), "doctor"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    warning = next(i for i, text in enumerate(lines) if text.startswith("warning: DOC003"))
    assert any("project root" in text for text in lines[:warning])
    assert lines[-1] == "no errors, 1 warning"
    assert "above" not in result.stdout


def test_doctor_reports_config_problems_and_exits_1(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "sdd.yaml").write_text("features:\n  digits: x\n", encoding="utf-8")
    result = sdd("doctor", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["config"]["problems"][0]["field"] == "features.digits"
    assert report["config"]["problems"][0]["line"] == 2


def test_doctor_outside_a_project_exits_1(tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = sdd("doctor", "--json")
    assert result.exit_code == 1
    codes = [p["code"] for p in json.loads(result.stdout)["problems"]]
    assert "DOC002" in codes


def test_doctor_lists_template_overrides(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("templates", "eject", "constitution.md", ok=True)
    (project / ".sdd/templates/stray.md").write_text("x\n", encoding="utf-8")
    report = json.loads(sdd("doctor", "--json", ok=True).stdout)
    names = {t["name"]: t["overrides_default"] for t in report["template_overrides"]}
    assert names == {"constitution.md": True, "stray.md": False}
    assert any(p["code"] == "DOC006" for p in report["problems"])


def test_doctor_without_git_repository_warns(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    sdd("init", str(tmp_path), ok=True)
    report = json.loads(sdd("--project", str(tmp_path), "doctor", "--json", ok=True).stdout)
    assert report["git"]["repository"] is None
    assert [p["code"] for p in report["problems"]] == ["DOC005"]
