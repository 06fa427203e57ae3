"""The CLI as users run it: exit codes, one-line errors, the installed executable, startup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sdd import __version__
from sdd.base.errors import (
    ChecksFailed,
    ConfigError,
    ConfirmationRequired,
    RefusedError,
    SddError,
    UnsafePathError,
    UsageError,
)
from sdd.base.failure import exit_code_for, failure_for
from sdd.cli.render import confirm
from sdd.project import doctor
from tests.conftest import sdd_executable


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ChecksFailed("x"), 1),
        (UsageError("x"), 2),
        (ConfigError("x", path="sdd.yaml", problems=[]), 2),
        (RefusedError("x"), 2),
        (UnsafePathError("x"), 2),
        (ConfirmationRequired("x"), 2),
        (SddError("x"), 2),
        (RuntimeError("x"), 3),
        (KeyboardInterrupt(), 130),
    ],
)
def test_exit_codes_are_mapped_in_one_place(error: BaseException, code: int) -> None:
    assert exit_code_for(error) == code


def test_a_failure_is_one_json_document_for_json_commands() -> None:
    failure = failure_for(UsageError("no such feature", hint="sdd status lists them"), log=False)
    assert failure.as_dict() == {
        "schema": "sdd.error/1",
        "ok": False,
        "exit_code": 2,
        "error": "no such feature",
        "hint": "sdd status lists them",
        "findings": [],
    }


def test_unexpected_errors_print_one_line_and_where_the_log_is(
    project: Path,
    sdd,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(doctor, "diagnose", boom)
    result = sdd("doctor")
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "RuntimeError: disk on fire" in lines[0]
    log = Path(lines[0].split("details in ")[1].rstrip(")"))
    assert "Traceback" in log.read_text("utf-8")
    assert "Traceback" not in result.output


def test_unknown_project_folder_is_a_usage_error(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("--project", str(tmp_path / "missing"), "templates", "list")
    assert result.exit_code == 2


def test_sdd_project_environment_variable(project: Path, tmp_path: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SDD_PROJECT", str(project))
    report = json.loads(sdd("doctor", "--json", ok=True).stdout)
    assert report["root"] == str(project)


def test_root_is_found_by_walking_up_to_sdd_yaml(project: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    deep = project / "specs/some/deep"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert json.loads(sdd("doctor", "--json", ok=True).stdout)["root"] == str(project)


def test_root_falls_back_to_git_top_level(repo: Path, sdd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (repo / "src").mkdir()
    monkeypatch.chdir(repo / "src")
    assert json.loads(sdd("doctor", "--json").stdout)["root"] == str(repo)


def test_confirm_without_terminal_names_yes() -> None:
    with pytest.raises(ConfirmationRequired, match="--yes"):
        confirm("Create ADR 0001?", assume_yes=False)
    confirm("Create ADR 0001?", assume_yes=True)


CONFIRM_SCRIPT = """
import sys
from pathlib import Path
import typer
from sdd.cli.main import SddGroup
from sdd.cli.render import confirm
app = typer.Typer(cls=SddGroup)
@app.command()
def make(target: Path, yes: bool = False) -> None:
    confirm(f"Write {target}?", assume_yes=yes)
    target.write_text("written")
@app.command()
def other() -> None: ...
app()
"""


@pytest.mark.parametrize("stdin", ["closed", "devnull"])
def test_confirmation_with_stdin_closed_exits_2_and_writes_nothing(
    tmp_path: Path, stdin: str
) -> None:
    target = tmp_path / "out.txt"
    command = [sys.executable, "-c", CONFIRM_SCRIPT, "make", str(target)]
    if stdin == "closed":
        result = subprocess.run(
            ["bash", "-c", '"$@" <&-', "bash", *command], capture_output=True, text=True
        )
    else:
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert "--yes" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()
    ok = subprocess.run(
        [*command, "--yes"], stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    assert ok.returncode == 0 and target.read_text() == "written"


def test_installed_executable_version_and_help(sdd_exe) -> None:  # type: ignore[no-untyped-def]
    version = sdd_exe("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"sdd {__version__}"
    helped = sdd_exe("--help")
    assert helped.returncode == 0
    for command in ("init", "doctor", "templates"):
        assert command in helped.stdout


def test_installed_executable_init_and_doctor(tmp_path: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    created = sdd_exe("init", "demo", "--git", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    checked = sdd_exe("doctor", "--json", cwd=tmp_path / "demo")
    assert checked.returncode == 0, checked.stdout
    assert json.loads(checked.stdout)["ok"] is True


def test_python_dash_m_sdd_works(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sdd", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0 and result.stdout.startswith("sdd ")


def test_bad_arguments_exit_2_without_traceback(sdd_exe) -> None:  # type: ignore[no-untyped-def]
    result = sdd_exe("init", "--no-such-flag")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_no_color_and_pipes_get_plain_text(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    result = sdd_exe("doctor", cwd=project, env={"NO_COLOR": "1", "FORCE_COLOR": ""})
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout


def test_startup_imports_no_heavy_library() -> None:
    code = (
        "import sys; sys.argv=['sdd','--help']\n"
        "from sdd.cli.main import app\n"
        "try:\n    app(prog_name='sdd')\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('pydantic','jinja2','git','yaml','rich') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="


def test_validating_an_empty_project_imports_no_heavy_library(project: Path) -> None:
    """The fixed cost of a command (issue 13): sdd.yaml as sdd init writes it is read without
    PyYAML (ADR-0150), and nothing to check imports no checker's libraries."""
    code = (
        "import sys; sys.argv=['sdd','validate']\n"
        "from sdd.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('pydantic','jinja2','git','yaml','rich','markdown_it','cmarkgfm') "
        "if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=project
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="


def test_init_and_doctor_work_with_the_network_off(tmp_path: Path) -> None:
    """Run the installed executable in a network namespace with no interfaces up."""
    import shutil

    if shutil.which("unshare") is None:
        pytest.skip("unshare is not available")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here")

    exe = sdd_executable()
    script = f'"{exe}" init demo --git && cd demo && "{exe}" doctor --json'
    result = subprocess.run(
        ["unshare", "-n", "bash", "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout[result.stdout.index("{") :])["ok"] is True


def test_names_that_are_not_utf_8_print_without_failing(project: Path, sdd_exe) -> None:  # type: ignore[no-untyped-def]
    """A file name that is not UTF-8: text output keeps its bytes, JSON stays valid UTF-8,
    even when stdout is a strict UTF-8 stream."""
    name = os.fsdecode(b"0001-b\xffd.general.prompt.md")
    (project / "history/prompts/general" / name).write_text("---\nid: 1\n---\n", "utf-8")
    env = {"PYTHONIOENCODING": "utf-8:strict"}
    text = subprocess.run(
        [sdd_executable(), "validate"], cwd=project, capture_output=True, env={**os.environ, **env}
    )
    assert text.returncode == 1, text.stderr
    assert b"Traceback" not in text.stderr
    assert b"history/prompts/general/0001-b\xffd.general.prompt.md:" in text.stdout
    as_json = sdd_exe("validate", "--json", cwd=project, env=env)
    assert as_json.returncode == 1, as_json.stderr
    paths = {f["path"] for f in json.loads(as_json.stdout)["findings"]}
    assert "history/prompts/general/0001-b\ufffdd.general.prompt.md" in paths
