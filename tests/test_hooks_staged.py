"""What the pre-commit hook validates (the staged content), and the hook entry itself."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdd.base.diagnostics import Finding, error
from sdd.hooks import run as hookrun
from sdd.project.project import Project
from sdd.project.selection import Selection
from sdd.validation import validate
from sdd.validation.staged import validate_files, validate_staged
from tests.support import commit, git, head, stage


def flag_broken(project: Project, selection: Selection) -> Iterator[Finding]:
    """Stand-in checker: an error for each line holding BROKEN in a selected artifact; it
    names the absolute path in its message, as cross-file messages may."""
    for folder in (project.paths.specs, project.paths.prompts, project.paths.adr):
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            if not selection.includes(path):
                continue
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if "BROKEN" in line:
                    yield error(project.rel(path), number, "TST001", f"broken line in {path}")


@pytest.fixture
def checked(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed sdd project whose validation runs the stand-in checker."""
    monkeypatch.setattr(validate, "load_checkers", lambda *names: [flag_broken])
    git(project, "add", "-A", check=False)
    assert commit(project, "init").returncode == 0
    return project


SPEC = "specs/001-login/spec.md"


def test_staged_artifacts_are_validated_in_place_when_the_tree_matches(checked: Path) -> None:
    stage(checked, SPEC, "# Login\n\nBROKEN\n")
    result = validate_staged(checked)
    assert not result.snapshot
    assert result.checked == (SPEC,)
    assert [f.format() for f in result.report.findings] == [
        f"{SPEC}:3: error TST001 broken line in {checked / SPEC}"
    ]


def test_staged_broken_then_fixed_in_the_working_tree_still_fails(checked: Path) -> None:
    path = stage(checked, SPEC, "# Login\n\nBROKEN\n")
    path.write_text("# Login\n\nfixed but not staged\n", encoding="utf-8")
    result = validate_staged(checked)
    assert result.snapshot and not result.ok
    finding = result.report.findings[0]
    assert (finding.path, finding.line) == (SPEC, 3)
    assert finding.message == f"broken line in {checked / SPEC}", "no temporary path leaks"


def test_staged_good_then_broken_in_the_working_tree_passes(checked: Path) -> None:
    path = stage(checked, SPEC, "# Login\n")
    path.write_text("# Login\nBROKEN\n", encoding="utf-8")
    result = validate_staged(checked)
    assert result.snapshot and result.ok and result.checked == (SPEC,)


def test_an_unstaged_edit_to_another_artifact_is_not_seen(checked: Path) -> None:
    stage(checked, "specs/002-other/spec.md", "# Other\n")
    assert commit(checked).returncode == 0
    (checked / "specs/002-other/spec.md").write_text("BROKEN\n", encoding="utf-8")
    stage(checked, SPEC, "# Login\n")
    result = validate_staged(checked)
    assert result.snapshot and result.ok


def test_only_staged_artifacts_are_reported(checked: Path) -> None:
    stage(checked, "specs/002-old/spec.md", "BROKEN already committed\n")
    assert commit(checked, env={"SDD_SKIP_HOOKS": "1"}).returncode == 0
    stage(checked, SPEC, "# Login\n")
    stage(checked, "docs/notes.md", "BROKEN but not an artifact\n")
    stage(checked, "specs/001-login/diagram.txt", "BROKEN but not Markdown\n")
    result = validate_staged(checked)
    assert result.ok and result.checked == (SPEC,)


def test_nothing_staged_that_matters_checks_nothing(checked: Path) -> None:
    stage(checked, "src/app.py", "x = 1\n")
    result = validate_staged(checked)
    assert result.ok and result.checked == () and result.project is None


def test_a_staged_deletion_is_not_validated(checked: Path) -> None:
    stage(checked, SPEC, "BROKEN\n")
    assert commit(checked, env={"SDD_SKIP_HOOKS": "1"}).returncode == 0
    git(checked, "rm", "-q", SPEC, check=False)
    assert validate_staged(checked).checked == ()


def test_the_staged_config_decides_the_folders_in_a_snapshot(checked: Path) -> None:
    config = (checked / "sdd.yaml").read_text("utf-8")
    stage(checked, "sdd.yaml", config.replace('specs: "specs"', 'specs: "features"'))
    (checked / "sdd.yaml").write_text(config, encoding="utf-8")  # unstaged: back to specs/
    stage(checked, "features/001-a/spec.md", "BROKEN\n")
    stage(checked, SPEC, "BROKEN\n")
    result = validate_staged(checked)
    assert result.snapshot
    assert [f.path for f in result.report.findings] == ["features/001-a/spec.md"]
    assert result.checked == ("sdd.yaml", "features/001-a/spec.md")


def test_a_project_in_a_sub_folder(repo: Path, sdd, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(validate, "load_checkers", lambda *names: [flag_broken])
    sdd("init", str(repo / "svc"), ok=True)
    stage(repo, "svc/specs/001-a/spec.md", "BROKEN\n")
    stage(repo, "specs/001-a/spec.md", "BROKEN, outside the project\n")
    result = validate_staged(repo, "svc")
    assert [f.path for f in result.report.findings] == ["specs/001-a/spec.md"]
    assert result.project is not None and result.project.root == repo / "svc"
    (repo / "svc/specs/001-a/spec.md").write_text("fixed\n", encoding="utf-8")
    snapshot = validate_staged(repo, "svc")
    assert snapshot.snapshot and [f.path for f in snapshot.report.findings] == [
        "specs/001-a/spec.md"
    ]


def test_validate_files_for_the_framework(checked: Path) -> None:
    (checked / SPEC).parent.mkdir(parents=True)
    (checked / SPEC).write_text("BROKEN\n", encoding="utf-8")
    result = validate_files(checked, [SPEC, "README.md", "src/x.py"])
    assert result.checked == (SPEC,) and not result.ok
    (checked / "sdd.yaml").write_text("paths: [1]\n", encoding="utf-8")
    broken = validate_files(checked, ["README.md"])
    assert [f.code for f in broken.report.findings] == ["CFG001"]


# --- pushed ranges ----------------------------------------------------------------------------


def _commit_file(root: Path, name: str) -> str:
    stage(root, name, f"{name}\n")
    assert commit(root, name, env={"SDD_SKIP_HOOKS": "1"}).returncode == 0
    return head(root)


@pytest.fixture
def pushed(repo: Path, tmp_path: Path) -> tuple[Path, str]:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote), check=False)
    git(repo, "remote", "add", "origin", str(remote), check=False)
    assert git(repo, "push", "-q", "origin", "main", check=False).returncode == 0
    return repo, head(repo)


ZERO = "0" * 40


def test_ranges_of_an_updated_branch(pushed: tuple[Path, str]) -> None:
    repo, remote_head = pushed
    new = _commit_file(repo, "a.txt")
    line = f"refs/heads/main {new} refs/heads/main {remote_head}\n"
    assert hookrun.pushed_ranges(repo, "origin", line) == [f"{remote_head}..{new}"]


def test_ranges_of_a_new_branch_start_after_what_the_remote_has(
    pushed: tuple[Path, str],
) -> None:
    repo, remote_head = pushed
    git(repo, "checkout", "-q", "-b", "feature", check=False)
    _commit_file(repo, "a.txt")
    tip = _commit_file(repo, "b.txt")
    line = f"refs/heads/feature {tip} refs/heads/feature {ZERO}\n"
    assert hookrun.pushed_ranges(repo, "origin", line) == [f"{remote_head}..{tip}"]


def test_ranges_skip_deletions_unknown_lines_and_whole_histories(repo: Path) -> None:
    tip = head(repo)
    text = (
        f"refs/heads/gone {ZERO} refs/heads/gone {tip}\n"
        "garbage\n"
        f"refs/heads/main {tip} refs/heads/main {ZERO}\n"  # remote has nothing: root commit
    )
    assert hookrun.pushed_ranges(repo, "origin", text) == []


def test_a_remote_commit_unknown_here_counts_as_a_new_branch(pushed: tuple[Path, str]) -> None:
    repo, remote_head = pushed
    new = _commit_file(repo, "a.txt")
    line = f"refs/heads/main {new} refs/heads/main {'f' * 40}\n"
    assert hookrun.pushed_ranges(repo, "origin", line) == [f"{remote_head}..{new}"]


# --- the hook entry ---------------------------------------------------------------------------


def test_usage_errors_of_the_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert hookrun.main([]) == 2
    assert hookrun.main(["commit-msg"]) == 2
    assert "unknown hook mode" in capsys.readouterr().err


def test_sdd_errors_block_pre_commit_but_never_detection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # not a repository: git fails
    assert hookrun.main(["pre-commit", "--project=."]) == 2
    err = capsys.readouterr().err
    assert "sdd: pre-commit: git diff failed" in err and "SDD_SKIP_HOOKS=1" in err
    assert hookrun.main(["post-commit", "--project=."]) == 0


def test_unexpected_errors_print_one_line_and_the_log(
    checked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sdd.validation.staged.validate_staged", boom)
    stage(checked, SPEC, "# Login\n")
    assert hookrun.main(["pre-commit", "--project=."]) == 3
    lines = capsys.readouterr().err.strip().splitlines()
    assert "RuntimeError: disk on fire (details in " in lines[0]
    log = Path(lines[0].split("details in ")[1].rstrip(")"))
    assert "Traceback" in log.read_text("utf-8")


def test_the_framework_entry_honours_sdd_skip_hooks(
    checked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (checked / "sdd.yaml").write_text("version: 9\n", encoding="utf-8")
    assert hookrun.main(["validate", "sdd.yaml"]) == 1
    assert "SKIP=sdd-validate" in capsys.readouterr().err
    monkeypatch.setenv("SDD_SKIP_HOOKS", "1")
    assert hookrun.main(["validate", "sdd.yaml"]) == 0


HEAVY = ("yaml", "pydantic", "typer", "rich", "git", "jinja2", "click")

IMPORTS = """
import sys
from sdd.hooks.run import main
code = main(["pre-commit", "--project=."])
print(code, ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def _imports_when_staged(root: Path) -> tuple[str, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS.format(heavy=HEAVY)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    code, _, modules = result.stdout.strip().splitlines()[-1].partition(" ")
    return code, set(filter(None, modules.split(",")))


def test_the_entry_imports_nothing_heavy_when_no_artifact_is_staged(project: Path) -> None:
    stage(project, "src/app.py", "x = 1\n")
    assert _imports_when_staged(project) == ("0", set())


def test_validating_artifacts_never_imports_typer_rich_or_gitpython(project: Path) -> None:
    stage(project, SPEC, "# Login\n")
    code, modules = _imports_when_staged(project)
    assert code == "1", "an unfinished spec is reported by the feature checker"
    assert modules <= {"yaml", "pydantic"}, modules


LIGHT = """
import sys
from sdd.hooks.run import main
code = main(["pre-commit", "--project=.", "--folders=0", "--"])
unused = ("sdd.hooks.install", "sdd.base.templates", "sdd.adr.renumber", "sdd.features.tasks",
          "anyascii", "json", "shutil", "tempfile", "hashlib", "dataclasses", "inspect")
print(code, "imported:" + ",".join(m for m in unused if m in sys.modules))
"""


def test_validating_a_spec_a_phr_and_an_adr_imports_only_what_they_need(project: Path) -> None:
    """What the hook validates here needs no installer (the drift check included), renderer,
    renumbering, tasks parser, transliteration, JSON, shutil, tempfile, OpenSSL's hashlib, or
    dataclasses and the inspect module it imports: sdd's records on this path are NamedTuples
    and plain classes (issue 13, ADR 0172)."""
    from tests.hooks_support import PHR_PATH, good_phr

    stage(project, SPEC, "# Login\n")
    stage(project, "adr/0001-sessions.md", "---\nid: 1\ntitle: Sessions\n---\n\n# Sessions\n")
    stage(project, PHR_PATH, good_phr())
    result = subprocess.run(
        [sys.executable, "-c", LIGHT], cwd=project, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "1 imported:", result.stdout + result.stderr


def test_plain_front_matter_and_configuration_are_read_without_pyyaml(project: Path) -> None:
    """A PHR and an ADR with plain headers, in a project configured by sdd init (ADR-0150)."""
    from tests.hooks_support import PHR_PATH, good_phr

    stage(project, PHR_PATH, good_phr())
    stage(
        project,
        "adr/0001-sessions.md",
        "---\nid: 1\ntitle: Sessions\nstatus: accepted\ndate: 2026-11-27\n"
        "feature: 001-login\nsupersedes: null\ncovers:\n  - src/login.py  # the entry\n---\n"
        "\n# ADR-0001: Sessions\n\n## Context\n\nLogins.\n",
    )
    code, modules = _imports_when_staged(project)
    assert code == "1", "the unfinished ADR is reported"
    assert modules == set(), modules


def test_a_repository_that_is_no_sdd_project_is_left_alone(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared core.hooksPath folder runs the hook in every repository."""
    monkeypatch.setattr(validate, "load_checkers", lambda *names: [flag_broken])
    stage(repo, "specs/api.md", "BROKEN, but this repository does not use sdd\n")
    result = validate_staged(repo)
    assert result.ok and result.checked == ()
    stage(repo, ".specify/memory/constitution.md", "# Constitution\n")  # a spec-kit layout
    assert not validate_staged(repo).ok


def test_the_crash_log_never_follows_a_planted_link_and_takes_any_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache folder cannot be made (a file is in the way): the log goes to the shared
    temporary folder, where a link at its name is replaced, not written through."""
    from sdd.base.failure import write_crash_log

    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(shared))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (shared / "sdd-crash.log").symlink_to(victim)
    try:
        raise RuntimeError("no such file: " + os.fsdecode(b"caf\xe9"))
    except RuntimeError as error:
        path = write_crash_log(error)
    assert path == shared / "sdd-crash.log" and not path.is_symlink()
    assert victim.read_text("utf-8") == "precious\n"
    assert "RuntimeError: no such file: caf\\udce9" in path.read_text("utf-8")
