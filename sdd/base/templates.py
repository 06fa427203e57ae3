"""The one place templates are found and rendered.

Lookup order: the project's template folder (``.sdd/templates/`` by default) first, then the
defaults packaged with sdd. Rendering uses Jinja2's ``SandboxedEnvironment`` with
``StrictUndefined`` and keeps the trailing newline, so an untrusted repository's templates
can neither reach Python internals nor silently render an empty value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sdd.base.errors import RefusedError, TemplateError, UsageError
from sdd.base.paths import ensure_inside, safe_join

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def packaged_dir() -> Path:
    """The default templates: inside the installed wheel, or the checkout's ``templates/``."""
    for candidate in (_PACKAGE_DIR / "_templates", _PACKAGE_DIR.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateError("the packaged templates are missing; reinstall sdd")


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    source: str  # "project" | "default"
    path: Path
    overrides_default: bool

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "source": self.source, "path": str(self.path)}


def _names_in(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            found[path.relative_to(folder).as_posix()] = path
    return found


def list_document(infos: list[TemplateInfo]) -> dict[str, object]:
    """The ``sdd templates list --json`` document."""
    return {"schema": "sdd.templates/1", "templates": [info.as_dict() for info in infos]}


def list_templates(project_dir: Path) -> list[TemplateInfo]:
    """Every template by name, with where it will be taken from."""
    defaults = _names_in(packaged_dir())
    project = _names_in(project_dir)
    infos = []
    for name in sorted(set(defaults) | set(project)):
        if name in project:
            infos.append(TemplateInfo(name, "project", project[name], name in defaults))
        else:
            infos.append(TemplateInfo(name, "default", defaults[name], False))
    return infos


def eject(name: str, project_dir: Path, project_root: Path) -> Path:
    """Copy the default template ``name`` into the project for editing; never overwrite."""
    defaults = _names_in(packaged_dir())
    if name not in defaults:
        # "spec" for "spec.md": the name without its extension, when that names one template.
        stems = [known for known in defaults if known.rsplit(".", 1)[0] == name]
        name = stems[0] if len(stems) == 1 else name
    if name not in defaults:
        known = ", ".join(sorted(defaults))
        raise UsageError(f"no default template named {name!r}; templates: {known}")
    destination = safe_join(project_dir, name)
    ensure_inside(destination, project_root)
    if destination.exists():
        raise RefusedError(
            f"{destination} already exists; edit it, or delete it to eject the default again"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    from sdd.base.fileio import create_exclusive

    if not create_exclusive(destination, defaults[name].read_bytes()):
        raise RefusedError(f"{destination} already exists")
    return destination


@lru_cache(maxsize=8)
def _environment(project_dir: str | None) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    search = [project_dir] if project_dir else []
    search.append(str(packaged_dir()))
    return SandboxedEnvironment(
        loader=FileSystemLoader(search, followlinks=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_file(path: Path, context: dict[str, Any]) -> str:
    """Render one template file outside the lookup folders (sdd's own packaged data files)
    in the same sandboxed, strict environment."""
    import jinja2

    try:
        return str(_environment(None).from_string(path.read_text("utf-8")).render(**context))
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template failed: {exc}", path=path) from None


def render(name: str, context: dict[str, Any], *, project_dir: Path | None = None) -> str:
    """Render template ``name`` with ``context``; ``TemplateError`` names the file and line."""
    import jinja2
    from jinja2.exceptions import SecurityError

    folder = str(project_dir) if project_dir is not None and project_dir.is_dir() else None
    environment = _environment(folder)
    try:
        template = environment.get_template(name)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"template {name!r} not found") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}", path=exc.filename or name, line=exc.lineno
        ) from None
    if folder is not None and template.filename and template.filename.startswith(folder):
        ensure_inside(Path(template.filename), Path(folder))
    try:
        return str(template.render(**context))
    except SecurityError as exc:
        raise TemplateError(
            f"template refused by the sandbox: {exc}", path=template.filename or name
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"template uses an undefined value: {exc.message}",
            path=template.filename or name,
            line=_error_line(exc, template.filename),
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template failed: {exc}", path=template.filename or name) from None


def _error_line(exc: BaseException, filename: str | None) -> int | None:
    """The template line an exception was raised at, from the rendered frames."""
    traceback = exc.__traceback__
    line = None
    while traceback is not None:
        frame = traceback.tb_frame
        if filename and frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line
