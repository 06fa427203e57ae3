"""The one place templates are found and rendered.

Lookup order: the project's template folder (``.sdd/templates/`` by default) first, then the
defaults packaged with sdd. Rendering uses Jinja2's ``SandboxedEnvironment`` with
``StrictUndefined`` and keeps the trailing newline, so an untrusted repository's templates
can neither reach Python internals nor silently render an empty value.

A cloned repository's templates are code written by someone else, so rendering is bounded:
``MAX_SECONDS`` of time, ``MAX_OUTPUT_CHARS`` of output (and of any string or list one
operation builds), Python's recursion limit; past a bound the render fails with a
``TemplateError`` naming the template (exit 2). A template, or a file it includes, that is a
symlink leading out of its template folder is refused, naming the link.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sdd.base.errors import RefusedError, TemplateError, UnsafePathError, UsageError
from sdd.base.packaged import packaged_dir as packaged_dir
from sdd.base.paths import ensure_inside, is_within, safe_join

MAX_SECONDS = 5.0
MAX_OUTPUT_CHARS = 4_000_000
# ``2 ** n`` with n beyond this many bits of result is refused before Python computes it.
MAX_POWER_BITS = 64_000
# A width or precision this long in a format string (``'%999999999s'``) is refused.
_HUGE_WIDTH = re.compile(r"\d{7,}")
_LIMITS = threading.local()


class _LimitExceeded(Exception):
    """A template went past a rendering bound; becomes a ``TemplateError``."""


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


def _check_time() -> None:
    deadline: float | None = getattr(_LIMITS, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise _LimitExceeded(f"took longer than {MAX_SECONDS:g} s")


def _check_size(size: int, what: str) -> None:
    if size > MAX_OUTPUT_CHARS:
        raise _LimitExceeded(f"{what} would be {size:,} long (limit {MAX_OUTPUT_CHARS:,})")


def _check_format(text: object) -> None:
    if isinstance(text, str) and _HUGE_WIDTH.search(text):
        raise _LimitExceeded(f"a format width in {text[:40]!r} is too large")


class _BoundedRange:
    """``range`` for templates: at most the sandbox's ``MAX_RANGE`` items, and iterating it
    checks the time bound (nested loops add no calls the sandbox could check)."""

    def __init__(self, *args: int) -> None:
        from jinja2.sandbox import safe_range

        self._range = safe_range(*args)

    def __iter__(self) -> Iterator[int]:
        for index, value in enumerate(self._range):
            if not index & 1023:
                _check_time()
            yield value

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, item: Any) -> Any:
        return self._range[item]

    def __contains__(self, item: object) -> bool:
        return item in self._range

    def __reversed__(self) -> Iterator[int]:
        return iter(list(self)[::-1])


def _bounded_filter(function: Callable[..., Any], *, width_at: int | None) -> Callable[..., Any]:
    """A filter whose width argument (``center``, ``indent``, ``wordwrap``) is bounded."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_time()
        if width_at is not None and len(args) > width_at and isinstance(args[width_at], int):
            _check_size(args[width_at], "a filter width")
        for key in ("width",):
            if isinstance(kwargs.get(key), int):
                _check_size(kwargs[key], "a filter width")
        return function(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):
        if hasattr(function, attribute):
            setattr(bounded, attribute, getattr(function, attribute))
    return bounded


def _bounded_environment_class() -> type[Any]:
    from jinja2.runtime import Context
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedEnvironment(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.globals["range"] = _BoundedRange
            # The width is the filter's second argument (after the value, or after the
            # environment/context a pass_* filter is given first).
            for name in ("center", "indent", "wordwrap", "truncate"):
                function = self.filters[name]
                offset = 2 if hasattr(function, "jinja_pass_arg") else 1
                self.filters[name] = _bounded_filter(function, width_at=offset)
            self.filters["format"] = _bounded_filter(self.filters["format"], width_at=None)

        def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
            _check_time()
            if operator == "*":
                for sequence, count in ((left, right), (right, left)):
                    if isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int):
                        _check_size(len(sequence) * count, "a repeated string or list")
            elif operator == "**":
                if isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
                    _check_size(abs(left).bit_length() * right // 16, "a power")
                    if abs(left).bit_length() * right > MAX_POWER_BITS:
                        raise _LimitExceeded("a power is too large")
            elif operator == "%":
                _check_format(left)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _check_time()
            if getattr(__obj, "__name__", None) in ("format", "format_map"):
                _check_format(getattr(__obj, "__self__", None))
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj: Any, attribute: str) -> Any:
            _check_time()
            return super().getattr(obj, attribute)

    return BoundedEnvironment


def _loader_class() -> type[Any]:
    from jinja2 import FileSystemLoader

    class ContainedLoader(FileSystemLoader):
        """A file loader that refuses a template (or an ``{% include %}``d file) that is a
        symlink leading out of the folder it was found in."""

        def get_source(self, environment: Any, template: str) -> Any:
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            folders = [Path(folder).resolve() for folder in self.searchpath]
            if not any(is_within(real, folder) for folder in folders):
                raise UnsafePathError(
                    f"template {template!r} ({filename}) leads outside the template folder "
                    f"(to {real}); refusing to read it"
                )
            return source, filename, uptodate

    return ContainedLoader


@lru_cache(maxsize=8)
def _environment(project_dir: str | None) -> Any:
    from jinja2 import StrictUndefined

    search = [project_dir] if project_dir else []
    search.append(str(packaged_dir()))
    return _bounded_environment_class()(
        loader=_loader_class()(search, followlinks=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _bounded_render(template: Any, context: dict[str, Any]) -> str:
    """Render with the time and output bounds: the time is checked by the sandbox's hooks
    and, on the main thread, by a timer signal (a loop in the template makes no calls)."""
    _LIMITS.deadline = time.monotonic() + MAX_SECONDS
    use_timer = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    previous: Any = None
    if use_timer:

        def stop(signum: int, frame: object) -> None:
            raise _LimitExceeded(f"took longer than {MAX_SECONDS:g} s")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, MAX_SECONDS)
    try:
        chunks: list[str] = []
        size = 0
        for chunk in template.generate(**context):
            size += len(chunk)
            _check_size(size, "the output")
            chunks.append(chunk)
        return "".join(chunks)
    finally:
        if use_timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _LIMITS.deadline = None


def render_file(path: Path, context: dict[str, Any]) -> str:
    """Render one template file outside the lookup folders (sdd's own packaged data files)
    in the same sandboxed, strict environment."""
    import jinja2

    try:
        return _bounded_render(_environment(None).from_string(path.read_text("utf-8")), context)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template failed: {exc}", path=path) from None
    except (_LimitExceeded, RecursionError, MemoryError) as exc:
        raise TemplateError(_limit_message(exc), path=path) from None


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
        return _bounded_render(template, context)
    except (_LimitExceeded, RecursionError, MemoryError) as exc:
        raise TemplateError(_limit_message(exc), path=template.filename or name) from None
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


def _limit_message(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "template refused: it recurses too deeply (a macro calling itself?)"
    if isinstance(exc, MemoryError):
        return "template refused: it ran out of memory"
    return f"template refused: it {exc}"


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
