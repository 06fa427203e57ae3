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


# --- templates are code from the repository: bounded in time, size and recursion --------------

HOSTILE = {
    "nested-range": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
    "{% endfor %}done\n",
    "string-multiply": "{{ 'x' * 100000000000 }}\n",
    "list-multiply": "{{ ([1] * 100000000)|length }}\n",
    "power": "{{ 2 ** 1000000000 }}\n",
    "recursive-macro": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}\n",
    "format-width": "{{ '%999999999s' % 'x' }}\n",
    "format-method": "{{ '{:>999999999}'.format('x') }}\n",
    "center-width": "{{ 'x'|center(1000000000) }}\n",
    "output-size": "{% for i in range(100000) %}{{ 'y' * 100 }}{% endfor %}\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_templates_fail_with_a_clear_error_naming_the_template(
    tmp_path: Path, name: str
) -> None:
    (tmp_path / "spec.md").write_text(HOSTILE[name], encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.render("spec.md", {}, project_dir=tmp_path)
    assert caught.value.path is not None and str(caught.value.path).endswith("spec.md")
    assert "refused" in caught.value.message


def test_a_hostile_template_is_exit_2_through_the_cli(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    folder = project / ".sdd/templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spec.md").write_text(HOSTILE["recursive-macro"], encoding="utf-8")
    result = sdd("feature", "new", "Hostile template")
    assert result.exit_code == 2, result.output
    assert "spec.md" in result.stderr and "Traceback" not in result.output


def test_bounded_templates_still_render_ordinary_loops(tmp_path: Path) -> None:
    source = "{% for i in range(3) %}{{ i }}{% endfor %} {{ range(4)|length }} {{ 'ab' * 2 }}\n"
    (tmp_path / "ok.md").write_text(source, encoding="utf-8")
    assert templates.render("ok.md", {}, project_dir=tmp_path) == "012 4 abab\n"


def test_an_included_symlink_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "id_rsa"
    secret.parent.mkdir()
    secret.write_text("PRIVATE KEY\n", encoding="utf-8")
    folder = tmp_path / "project" / ".sdd" / "templates"
    folder.mkdir(parents=True)
    (folder / "key.md").symlink_to(secret)
    (folder / "spec.md").write_text("{% include 'key.md' %}\n", encoding="utf-8")
    with pytest.raises(UnsafePathError) as caught:
        templates.render("spec.md", {}, project_dir=folder)
    assert "key.md" in caught.value.message and "PRIVATE" not in caught.value.message


def test_a_committed_include_of_a_symlink_out_is_refused_by_feature_new(
    project: Path, sdd, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY MATERIAL\n", encoding="utf-8")
    folder = project / ".sdd/templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.md").symlink_to(secret)
    (folder / "spec.md").write_text("# {{ title }}\n{% include 'notes.md' %}\n", "utf-8")
    result = sdd("feature", "new", "Leaky")
    assert result.exit_code == 2, result.output
    assert "notes.md" in result.stderr
    assert not any("PRIVATE KEY" in p.read_text("utf-8") for p in project.rglob("spec.md"))
