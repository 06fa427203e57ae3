"""The built wheel ships the templates, and an installed wheel finds them outside a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.support import offline_venv


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO_ROOT)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr}")
    return next(out.glob("sdd_cli-*.whl"))


def test_wheel_contains_every_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(REPO_ROOT / "templates").as_posix()
        for p in (REPO_ROOT / "templates").rglob("*")
        if p.is_file()
    }
    assert shipped
    for name in shipped:
        assert f"sdd/_templates/{name}" in names, name


@pytest.mark.slow
def test_installed_wheel_runs_init_and_doctor_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    venv = offline_venv(tmp_path / "venv")
    python = venv / "bin/python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        check=True,
        capture_output=True,
    )
    located = subprocess.run(
        [str(python), "-c", "import sdd.base.templates as t; print(t.packaged_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert located.endswith("sdd/_templates"), located
    assert str(REPO_ROOT) not in located
    sdd = venv / "bin/sdd"
    init = subprocess.run([str(sdd), "init", "demo"], cwd=tmp_path, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    doctor = subprocess.run(
        [str(sdd), "doctor"], cwd=tmp_path / "demo", capture_output=True, text=True
    )
    assert (tmp_path / "demo/specs/constitution.md").is_file()
    assert "DOC005" in doctor.stderr  # no git repository: a warning, so exit 0
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
