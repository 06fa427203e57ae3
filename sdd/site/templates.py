"""The site's templates: where they are found, the sandbox they render in, one digest of all.

Templates are files in ``templates/site/`` (a project may override any of them in its
template folder, ``site/``), rendered in Jinja2's sandbox with autoescape and
``StrictUndefined`` (ADR 0143).
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sdd import __version__
from sdd.base.errors import TemplateError
from sdd.project.project import Project

STATIC_FILES = ("site.css", "site.js")
PAGE_TEMPLATES = (
    "index.html",
    "feature.html",
    "adrs.html",
    "adr.html",
    "prompts.html",
    "route.html",
)


def template_folders(project: Project) -> tuple[str, ...]:
    """Where the site's templates are looked up: the project's ``site/`` template folder
    (``sdd templates eject site/site.css``) first, then the packaged defaults."""
    from sdd.base.paths import ensure_inside
    from sdd.base.templates import packaged_dir

    folders = []
    override = project.paths.templates / "site"
    if override.is_dir():
        ensure_inside(override, project.root)
        folders.append(str(override))
    folders.append(str(packaged_dir() / "site"))
    return tuple(folders)


def _environment(folders: tuple[str, ...]) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined

    from sdd.site.sandbox import SiteSandbox

    environment = SiteSandbox(
        loader=FileSystemLoader(list(folders), followlinks=False),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one environment per build: no need to stat templates per page
    )
    environment.filters["url"] = lambda value: quote(str(value), safe="/#")
    return environment


class Templates:
    """The site's templates and static files, and one digest of all of them."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        from sdd.base.paths import ensure_inside

        self.folders = folders
        digest = hashlib.sha256(__version__.encode())
        for folder in folders:
            for path in sorted(Path(folder).iterdir()):
                if path.is_file():
                    ensure_inside(path, Path(folder))  # a link out of the project is refused
                    digest.update(path.name.encode() + b"\0" + path.read_bytes())
            digest.update(b"\1")
        self.digest = digest.hexdigest()
        # One environment per build: a cached one would keep serving a default template
        # after the project ejected an override of the same name.
        self.environment = _environment(folders)

    def static(self, name: str) -> str:
        from sdd.base.fileio import read_text

        for folder in self.folders:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                return read_text(path)
        raise TemplateError(f"site file {name!r} not found")

    def prepare(self, names: tuple[str, ...]) -> None:
        """Compile ``names`` now (a template that fails to compile fails when rendered)."""
        import jinja2

        for name in names:
            with contextlib.suppress(jinja2.TemplateError):
                self.environment.get_template(name)

    def render(self, name: str, context: dict[str, Any]) -> str:
        import jinja2

        try:
            return str(self.environment.get_template(name).render(**context))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"site template syntax error: {exc.message}",
                path=exc.filename or name,
                line=exc.lineno,
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"site template failed: {exc}", path=name) from None


def packaged_templates() -> Templates:
    from sdd.base.templates import packaged_dir

    return Templates((str(packaged_dir() / "site"),))
