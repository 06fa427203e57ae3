"""Which template an artifact is made from and checked against, and rendering a kit's template.

Lookup, first found: the project's override (``.sdd/templates/spec.md``); a spec-kit
repository's own template (``.specify/templates/spec-template.md``), which its README promises
``feature new``, ``plan`` and ``tasks`` render; sdd's packaged default. spec-kit templates are
not Jinja: they are copied with the tokens sdd knows the values of filled in (``[FEATURE
NAME]``, ``[###-feature-name]``, ``[DATE]``, ``$ARGUMENTS``), as spec-kit's own scripts copy
them, and their front matter (the command's metadata) dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from sdd.project.project import SPEC_KIT_TEMPLATES, Project

KIT_SUFFIX = "-template.md"


class TemplateSource(NamedTuple):
    path: Path
    kind: str  # "project" | "kit" | "default"
    shown: str  # how a message names it


def kit_template(project: Project, name: str) -> Path:
    """Where spec-kit keeps the template of artifact ``name`` (``spec.md``)."""
    return project.root / SPEC_KIT_TEMPLATES / (name.removesuffix(".md") + KIT_SUFFIX)


def template_source(project: Project, name: str) -> TemplateSource:
    """The template artifact ``name`` is made from (see the module docstring)."""
    from sdd.base.packaged import packaged_dir
    from sdd.base.paths import ensure_inside

    override = project.paths.templates / name
    if override.is_file():
        ensure_inside(override, project.root)
        return TemplateSource(override, "project", f"template {project.rel(override)}")
    kit = kit_template(project, name)
    if kit.is_file():
        ensure_inside(kit, project.root)
        return TemplateSource(kit, "kit", f"template {project.rel(kit)}")
    return TemplateSource(packaged_dir() / name, "default", f"the default {name} template")


def render_artifact(project: Project, name: str, context: dict[str, str]) -> str:
    """The text of a new artifact ``name`` made from its template with ``context``."""
    from sdd.base import templates

    source = template_source(project, name)
    if source.kind != "kit":
        return templates.render(name, context, project_dir=project.paths.templates)
    return fill_kit_template(_read(source.path), context)


def _read(path: Path) -> str:
    from sdd.base.fileio import read_text

    return read_text(path)


def fill_kit_template(text: str, context: dict[str, str]) -> str:
    """A spec-kit template with its front matter dropped and the known tokens filled in."""
    from sdd.base import frontmatter

    document = frontmatter.split(text)
    body = document.body.lstrip("\n") if document.closed else text
    title = context.get("title", "")
    values = {
        "[FEATURE NAME]": title,
        "[FEATURE]": title,
        "[###-feature-name]": context.get("feature", ""),
        "[DATE]": context.get("date", ""),
        "$ARGUMENTS": context.get("description", title),
    }
    for token, value in values.items():
        if value:
            body = body.replace(token, value)
    return body
