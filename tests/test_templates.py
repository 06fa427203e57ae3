"""Templates: project override before the packaged default, eject, and the Jinja2 sandbox."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sdd.base import templates
from sdd.base.errors import TemplateError, UnsafePathError


def test_list_shows_every_default_with_its_source(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    listing = json.loads(sdd("templates", "list", "--json", ok=True).stdout)
    assert listing["schema"] == "sdd.templates/1"
    by_name = {t["name"]: t for t in listing["templates"]}
    assert by_name["constitution.md"]["source"] == "default"
    assert by_name["sdd.yaml"]["source"] == "default"


def test_eject_copies_the_default_and_refuses_to_overwrite(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("templates", "eject", "constitution.md", ok=True)
    ejected = project / ".sdd/templates/constitution.md"
    assert "ejected constitution.md" in result.stdout
    assert ejected.read_bytes() == (templates.packaged_dir() / "constitution.md").read_bytes()
    ejected.write_text("# Mine {{ project_name }}\n", encoding="utf-8")
    again = sdd("templates", "eject", "constitution.md")
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert ejected.read_text("utf-8") == "# Mine {{ project_name }}\n"
    listing = json.loads(sdd("templates", "list", "--json", ok=True).stdout)
    assert {"name": "constitution.md", "source": "project", "path": str(ejected)} in listing[
        "templates"
    ]


def test_eject_unknown_template_lists_the_names(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    result = sdd("templates", "eject", "nope.md")
    assert result.exit_code == 2
    assert "constitution.md" in result.stderr


def test_eject_refuses_names_that_leave_the_project(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    assert sdd("templates", "eject", "../../etc/passwd").exit_code == 2


def test_project_override_is_used_by_init(tmp_path: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".sdd/templates").mkdir(parents=True)
    (tmp_path / ".sdd/templates/constitution.md").write_text(
        "# {{ project_name }} rules\n", encoding="utf-8"
    )
    sdd("init", str(tmp_path), ok=True)
    assert (tmp_path / "specs/constitution.md").read_text("utf-8") == f"# {tmp_path.name} rules\n"


def test_trailing_newline_is_kept(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("a {{ x }}\n\n", encoding="utf-8")
    assert templates.render("t.md", {"x": 1}, project_dir=tmp_path) == "a 1\n\n"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ x.__dict__ }}",
    ],
)
def test_sandbox_refuses_attribute_escapes(tmp_path: Path, source: str) -> None:
    (tmp_path / "evil.md").write_text(source + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.render("evil.md", {"x": object()}, project_dir=tmp_path)
    assert "evil.md" in str(caught.value)


def test_undefined_variables_fail_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "u.md").write_text("line one\n{{ missing }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.render("u.md", {}, project_dir=tmp_path)
    assert "missing" in caught.value.message
    assert caught.value.line == 2


def test_syntax_errors_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "s.md").write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.render("s.md", {}, project_dir=tmp_path)
    assert caught.value.line == 2


def test_a_template_symlinked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret\n", encoding="utf-8")
    folder = tmp_path / "project/.sdd/templates"
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "constitution.md")
    with pytest.raises(UnsafePathError):
        templates.render("constitution.md", {}, project_dir=folder)


def test_packaged_templates_render_with_their_documented_context() -> None:
    context = {
        "project_name": "demo",
        "date": "2026-01-01",
        "layout": "sdd",
        "paths": {
            "specs": "specs",
            "constitution": "specs/constitution.md",
            "prompts": "history/prompts",
            "adr": "adr",
            "templates": ".sdd/templates",
        },
    }
    assert "demo" in templates.render("constitution.md", context)
    assert 'specs: "specs"' in templates.render("sdd.yaml", context)
