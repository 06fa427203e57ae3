"""Which folder holds a project's ADRs when sdd.yaml does not say (ADR 0175).

The folders teams keep ADRs in (sdd's ``adr/``, Spec-Kit Plus's ``history/adr/``, adr-tools'
``doc/adr/`` or ``.adr-dir``, ``docs/adr/``, MADR's ``docs/decisions/``): a folder holding
records wins over one holding none, and ``sdd doctor`` names any other folder holding records
sdd does not read (DOC010).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdd.project.adr_folders import folders_holding_records, is_adr_name
from sdd.validation.staged import validate_staged
from tests.support import build_file_tree, commit, git, stage

NYGARD = (
    "# 1. Use sessions\n\nDate: 2025-01-01\n\n## Status\n\nAccepted\n\n"
    "## Context\n\nWhy.\n\n## Decision\n\nWhat.\n\n## Consequences\n\nSo.\n"
)
MADR = (
    "---\nstatus: accepted\ndate: 2025-01-01\n---\n\n# Use sessions\n\n"
    "## Context and Problem Statement\n\nWhy.\n\n## Decision Outcome\n\nWhat.\n"
)
KIT_TEMPLATE = {".specify/templates/adr-template.md": "# ADR-[NNNN]: [Title]\n"}


def _doctor(sdd) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return json.loads(sdd("doctor", "--json").stdout)  # type: ignore[no-any-return]


def _adr_path(sdd) -> str:  # type: ignore[no-untyped-def]
    paths = _doctor(sdd)["paths"]
    assert isinstance(paths, dict)
    return str(paths["adr"]["path"])


def _listed(sdd) -> list[str]:  # type: ignore[no-untyped-def]
    return [a["path"] for a in json.loads(sdd("adr", "list", "--json", ok=True).stdout)["adrs"]]


def _codes(sdd) -> list[str]:  # type: ignore[no-untyped-def]
    problems = _doctor(sdd)["problems"]
    assert isinstance(problems, list)
    return [p["code"] for p in problems]


@pytest.mark.parametrize("folder", ["docs/adr", "docs/decisions", "docs/architecture/decisions"])
def test_a_known_folder_holding_records_is_read(repo: Path, sdd, monkeypatch, folder: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(
        repo, {f"{folder}/0001-use-sessions.md": MADR, f"{folder}/README.md": "# ADRs\n"}
    )
    assert _listed(sdd) == [f"{folder}/0001-use-sessions.md"]
    doctor = _doctor(sdd)
    assert doctor["layout"]["markers"] == [f"{folder}/"]  # type: ignore[index]
    result = sdd("validate", "--json")
    assert result.exit_code == 0, result.output
    assert "DOC010" not in _codes(sdd)


def test_a_folder_holding_no_record_is_not_adopted(repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(repo, {"docs/adr/README.md": "# ADRs\n", "docs/adr/template.md": "# [Title]\n"})
    assert _adr_path(sdd) == str(repo / "adr")
    assert _doctor(sdd)["layout"]["markers"] == []  # type: ignore[index]


def test_records_beat_the_folder_a_kit_template_implies(repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(repo, {**KIT_TEMPLATE, "docs/adr/0001-use-sessions.md": NYGARD})
    assert _adr_path(sdd) == str(repo / "docs/adr")
    assert _listed(sdd) == ["docs/adr/0001-use-sessions.md"]
    assert _doctor(sdd)["layout"]["kind"] == "spec-kit-plus"  # type: ignore[index]


def test_the_kit_template_still_names_history_adr_before_the_first_record(
    repo: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(repo, {**KIT_TEMPLATE, "docs/adr/README.md": "# ADRs\n"})
    assert _adr_path(sdd) == str(repo / "history/adr")
    sdd("adr", "new", "Use sessions", "--yes", ok=True)
    assert _listed(sdd) == ["history/adr/0001-use-sessions.md"]


def test_an_empty_adr_folder_loses_to_one_holding_records(repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(repo, {"doc/adr/0001-use-sessions.md": NYGARD})
    (repo / "adr").mkdir()
    assert _adr_path(sdd) == str(repo / "doc/adr")


def test_two_folders_holding_records_the_first_wins_and_doctor_names_the_other(
    repo: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(
        repo,
        {
            "sdd.yaml": "version: 1\n",
            "adr/0001-use-sessions.md": NYGARD,
            "docs/decisions/0001-a.md": MADR,
            "docs/decisions/0002-b.md": MADR,
        },
    )
    assert _adr_path(sdd) == str(repo / "adr")
    problems = _doctor(sdd)["problems"]
    assert [p["message"] for p in problems if p["code"] == "DOC010"] == [  # type: ignore[union-attr]
        "docs/decisions/ holds 2 ADRs that sdd does not read: it reads adr/ (the first folder "
        "holding records); set paths.adr: docs/decisions in sdd.yaml to read them"
    ]


def test_a_configured_folder_that_is_missing_names_the_folder_holding_records(
    repo: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(
        repo, {"sdd.yaml": "paths:\n  adr: records\n", "docs/adr/0001-use-sessions.md": NYGARD}
    )
    assert _adr_path(sdd) == str(repo / "records")
    doctor = _doctor(sdd)
    messages = [p["message"] for p in doctor["problems"] if "adr" in p["message"]]  # type: ignore[union-attr]
    assert messages == [
        f"adr path {repo / 'records'} does not exist yet",
        "docs/adr/ holds 1 ADR that sdd does not read: it reads records/ (paths.adr in "
        "sdd.yaml); set paths.adr: docs/adr in sdd.yaml to read them",
    ]
    build_file_tree(repo, {"sdd.yaml": "paths:\n  adr: docs/adr\n"})
    assert "DOC010" not in _codes(sdd)


def test_adr_dir_names_the_folder_even_when_another_holds_records(
    repo: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(
        repo, {".adr-dir": "./architecture/\n", "docs/adr/0001-use-sessions.md": NYGARD}
    )
    assert _adr_path(sdd) == str(repo / "architecture")
    assert "DOC010" in _codes(sdd)


@pytest.mark.parametrize("folder", ["history/adr", "docs/adr"])
def test_the_staged_snapshot_reads_the_same_folder(repo: Path, monkeypatch, folder: str) -> None:  # type: ignore[no-untyped-def]
    """With unstaged edits the hook validates an export of the index, which must hold the ADR
    folder once (it is both a layout folder and an artifact folder)."""
    monkeypatch.chdir(repo)
    build_file_tree(repo, {**KIT_TEMPLATE, f"{folder}/0001-use-sessions.md": NYGARD})
    git(repo, "add", "-A")
    assert commit(repo, "adrs").returncode == 0
    broken = NYGARD.replace("## Decision\n", "## Nothing\n").replace("# 1. Use", "# 2. Use")
    stage(repo, f"{folder}/0002-use-tokens.md", broken)
    (repo / f"{folder}/0001-use-sessions.md").write_text(NYGARD + "\nMore.\n", encoding="utf-8")
    result = validate_staged(repo)
    assert result.snapshot
    assert result.checked == (f"{folder}/0002-use-tokens.md",)
    assert [f.code for f in result.report.findings] == ["ADR010"]


def test_adr_names_and_counts(tmp_path: Path) -> None:
    for name in ("0001-x.md", "adr-12-x.md", "2026-05-21-x.md", "ADR_7.md", "12.md"):
        assert is_adr_name(name), name
    for name in ("README.md", "template.md", ".0001-x.md", "0001-x.txt", "index.md"):
        assert not is_adr_name(name), name
    build_file_tree(
        tmp_path, {"docs/adr/0001-x.md": "x", "docs/adr/0002-y.md": "y", "adr/notes.md": "n"}
    )
    (tmp_path / "history/adr/0003-z.md").mkdir(parents=True)  # a folder, not a record
    assert folders_holding_records(tmp_path) == [("docs/adr", 2)]
    build_file_tree(tmp_path, {"records/0009-w.md": "w"})
    assert folders_holding_records(tmp_path, ("records",)) == [("records", 1), ("docs/adr", 2)]


# --- required sections from the project's own ADR template ------------------------------------

SPANISH_TEMPLATE = (
    "# ADR-[NNNN]: [Título]\n\n- **Estado**: Proposed <!-- Proposed | Accepted -->\n\n"
    "## Contexto y problema\n\n[Qué fuerza esta decisión]\n\n## Decisión\n\n[La decisión]\n\n"
    "## Consecuencias\n\n[...]\n\n## Notas *(opcional, if any)*\n\n[...]\n"
)
SPANISH_RECORD = (
    "# ADR-0001: Usar sesiones\n\n- **Estado**: Accepted <!-- Proposed | Accepted -->\n\n"
    "## Contexto y problema\n\nPor qué.\n\n## Decisión\n\nQué.\n\n## Consecuencias\n\nAsí.\n"
)


def _adr010(sdd) -> list[str]:  # type: ignore[no-untyped-def]
    findings = json.loads(sdd("validate", "--json").stdout)["findings"]
    return [f["message"] for f in findings if f["code"] == "ADR010"]


def test_a_kit_template_in_other_words_defines_the_required_sections(
    repo: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    build_file_tree(
        repo,
        {
            ".specify/templates/adr-template.md": SPANISH_TEMPLATE,
            "docs/adr/0001-usar-sesiones.md": SPANISH_RECORD,
        },
    )
    assert _adr010(sdd) == []
    build_file_tree(
        repo, {"docs/adr/0002-otra.md": SPANISH_RECORD.replace("## Decisión", "## Otra")}
    )
    assert _adr010(sdd) == [
        "required section 'Decisión' is missing (from template .specify/templates/adr-template.md)"
    ]


def test_a_kit_template_naming_known_sections_keeps_the_formats_list(
    repo: Path, sdd, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    english = "# ADR-{{ID}}: {{TITLE}}\n\n## Context\n\n{{CONTEXT}}\n\n## Decision\n\n## Neutral\n"
    build_file_tree(
        repo,
        {
            ".specify/templates/adr-template.md": english,
            "history/adr/0001-usar-sesiones.md": SPANISH_RECORD,
        },
    )
    assert sorted(_adr010(sdd)) == [
        "required section 'Consequences' is missing",
        "required section 'Context' is missing",
        "required section 'Decision' is missing",
    ]


def test_sdds_own_template_translated_defines_the_sections_of_sdd_records(
    project: Path, sdd
) -> None:  # type: ignore[no-untyped-def]
    build_file_tree(
        project,
        {
            ".sdd/templates/adr.md": (
                "---\nid: {{ id }}\n---\n\n# {{ title }}\n\n## Контекст\n\n## Решение\n"
            ),
            "adr/0001-x.md": (
                "---\nid: 1\ntitle: X\nstatus: accepted\ndate: 2025-01-01\n---\n\n# X\n\n"
                "## Контекст\n\nПочему.\n\n## Решение\n\nЧто.\n"
            ),
        },
    )
    assert _adr010(sdd) == []
    (project / ".sdd/templates/adr.md").unlink()
    assert "required section 'Context' is missing" in _adr010(sdd)
