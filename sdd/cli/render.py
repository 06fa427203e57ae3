"""The one place sdd prints: rich for people, plain JSON for programs.

Colour follows rich's rules (``NO_COLOR``, ``FORCE_COLOR``, a terminal or not); JSON is
written with the standard library so that ``--json`` never pays for rich.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import sys
from collections.abc import Iterable, Sequence, Sized
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sdd.base.errors import ConfirmationRequired, RefusedError

if TYPE_CHECKING:
    from rich.console import Console

    from sdd.base.diagnostics import Finding, Report


@lru_cache(maxsize=1)
def console() -> Console:
    from rich.console import Console

    return Console(soft_wrap=not _is_terminal(sys.stdout), highlight=False)


@lru_cache(maxsize=1)
def error_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(document: dict[str, Any]) -> str:
    """The text ``print_json`` prints (for writing the same document to a file).

    A name git gave as bytes that are not UTF-8 is held with surrogate escapes; JSON must be
    valid UTF-8, so each such byte becomes U+FFFD there.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    return _LONE_SURROGATE.sub("\ufffd", text)


def tolerate_undecodable_names() -> None:
    """Let stdout print names that are not UTF-8 as the bytes they are (as git does), instead of
    failing with an encoding error half-way through a listing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="surrogateescape")


def print_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json_text(document))
    sys.stdout.flush()


def print_json_items(fields: dict[str, Any], key: str, items: Iterable[Any]) -> None:
    """Print the document ``{**fields, key: list(items)}`` (``key`` not among ``fields``)
    exactly as ``print_json`` prints it, writing each item as it comes: a long list is never
    held whole, as items or as text."""
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False, default=str)
    empty = encoder.encode({**fields, key: []})  # ends with the list: '"key": []\n}'
    opening = empty[: -len("]\n}")]
    written = False
    for item in items:
        text = encoder.encode(item).replace("\n", "\n    ")  # strings hold no raw line break
        chunk = f"{',' if written else opening}\n    {text}"
        sys.stdout.write(_LONE_SURROGATE.sub("\ufffd", chunk))
        written = True
    sys.stdout.write("\n  ]\n}\n" if written else _LONE_SURROGATE.sub("\ufffd", empty) + "\n")
    sys.stdout.flush()


def document(text: str) -> None:
    """Print a whole document (Markdown, a generated file) exactly as it is."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def line(text: str = "", *, style: str | None = None) -> None:
    """Print plain text (no markup interpretation); styled through rich only for a terminal.

    Text for a pipe or a file is written directly, so that a command's output there never pays
    for importing rich.
    """
    if _plain_stdout():
        sys.stdout.write(text + "\n")
        return
    console().print(text, style=style, markup=False)


def markup(text: str) -> None:
    """Print text containing rich markup written by sdd itself (never user input)."""
    console().print(text)


def _is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is an open terminal (a closed or missing stream is not)."""
    try:
        return stream is not None and bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _plain_stdout() -> bool:
    """Whether stdout takes plain text: not a terminal and no colour forced (rich not needed)."""
    import os

    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE"):
        return False
    return not _is_terminal(sys.stdout)


# Hot commands (``adr detect`` in hooks and CI) print through this name.
emit = line


def progress(message: str, *, as_json: bool = False) -> contextlib.AbstractContextManager[Any]:
    """A spinner with ``message`` on stderr while long work runs, only for a person watching:
    stderr is a terminal and no ``--json``. Pipes, files, CI logs and hooks see nothing."""
    if as_json or not _is_terminal(sys.stderr):
        return contextlib.nullcontext()
    return error_console().status(message, spinner="dots")


def success(text: str, *, err: bool = False) -> None:
    """A done line; ``err``: on stderr, so that stdout keeps only the command's output."""
    if not err and _plain_stdout():
        sys.stdout.write(f"✓ {text}\n")
        return
    (error_console() if err else console()).print(f"[green]✓[/green] {escape(text)}")


def note(text: str) -> None:
    line(text, style="dim")


def warn(text: str) -> None:
    error_console().print(f"[yellow]warning:[/yellow] {escape(text)}")


def error(text: str) -> None:
    error_console().print(f"[bold red]error:[/bold red] {escape(text)}")


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    no_wrap: Sequence[str] = (),
    empty: str | None = None,
) -> None:
    """A table; the columns named in ``no_wrap`` are never folded (identifiers, names).

    When stdout is not a terminal (a pipe, a file, CI) the table is plain aligned columns that
    never break a word, whatever the width, and are easy to grep or cut; sized ``rows`` (a
    list, a listing's fields) are then read twice, measured and printed, never copied.
    ``empty``: the sentence printed instead of a table without rows (every listing says the
    same way that it found nothing).
    """
    if not isinstance(rows, Sized):
        rows = list(rows)
    if not rows and empty is not None:
        note(empty)
        return
    if _plain_stdout():
        if title:
            sys.stdout.write(f"{title}\n")
        _plain_table(columns, rows)
        return
    from rich.table import Table

    grid = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        grid.add_column(column, overflow="fold", no_wrap=column in no_wrap)
    for row in rows:
        grid.add_row(*("" if cell is None else escape(str(cell)) for cell in row))
    console().print(grid)


def _cells(row: Sequence[Any]) -> list[str]:
    return ["" if cell is None else str(cell) for cell in row]


def _plain_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    widths = [len(column) for column in columns]
    for row in rows:
        widths = list(map(max, widths, map(len, _cells(row))))
    write = sys.stdout.write
    for row in itertools.chain([columns], rows):
        cells = _cells(row)
        if len(cells) != len(widths):
            raise ValueError(f"a row of {len(cells)} cells in a table of {len(widths)} columns")
        write("  ".join(map(str.ljust, cells, widths)).rstrip() + "\n")
    sys.stdout.flush()


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def findings(items: Iterable[Finding]) -> None:
    """One line per finding: ``path:line: severity CODE message`` (coloured on a terminal)."""
    if _plain_stdout():
        plain_findings(items)
        return
    out = console()
    for finding in items:
        style = _SEVERITY_STYLE.get(finding.severity, "")
        out.print(
            f"{escape(finding.path)}:{finding.line}: [{style}]{finding.severity}[/{style}] "
            f"[bold]{finding.code}[/bold] {escape(finding.message)}"
        )


def report_summary(report: Report, *, checked: int | None = None) -> None:
    files = f" in {checked} file{'s' if checked != 1 else ''}" if checked is not None else ""
    if report.ok and not report.warnings:
        success(f"no problems{files}")
        return
    parts = [f"{report.errors} error{'s' if report.errors != 1 else ''}"]
    parts.append(f"{report.warnings} warning{'s' if report.warnings != 1 else ''}")
    line(f"{', '.join(parts)}{files}", style="red" if not report.ok else "yellow")


def confirm(question: str, *, assume_yes: bool, flag: str = "--yes") -> None:
    """Ask ``question``; return when confirmed.

    Never prompts without a terminal: raises ``ConfirmationRequired`` naming ``flag``.
    A "no" raises ``RefusedError``. Either way nothing has been written.
    """
    if assume_yes:
        return
    if not _is_terminal(sys.stdin):
        raise ConfirmationRequired(
            f"{question} needs confirmation and there is no terminal to ask on; "
            f"pass {flag} to confirm (nothing was written)"
        )
    from rich.prompt import Confirm

    if not Confirm.ask(question, console=console(), default=False):
        raise RefusedError("not confirmed; nothing was written")


def plain(text: str, *, err: bool = False) -> None:
    """Write one line as is, to stdout or stderr."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def plain_value(value: Any) -> str:
    """A front-matter value as a person reads it, never a Python repr (``None``, ``{...}``)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(plain_value(item) for item in value) or "-"
    if isinstance(value, dict):
        parts = [
            f"{key}={plain_value(item)}"
            for key, item in value.items()
            if item not in (None, "", [], {})
        ]
        return ", ".join(parts) or "-"
    return str(value)


def plain_findings(items: Iterable[Finding]) -> None:
    """One line per finding, ``path:line: severity CODE message``, without colour."""
    for finding in items:
        plain(finding.format())
