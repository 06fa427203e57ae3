"""The one failure policy of every entry point: which exit code an error gets, what the user
reads about it, and where the traceback of an unexpected one is kept.

Exit codes: 0 success; 1 a check found errors (``ChecksFailed``); 2 usage, configuration or a
refused action (every other ``SddError``); 3 an unexpected internal error, reported in one line
naming the log that holds the traceback; 130 interrupted. A reader that went away (a closed
pipe) is success: there is nobody left to tell. The CLI renders a ``Failure`` with colour, the
hook entry as plain lines; neither decides anything of its own.
"""

from __future__ import annotations

import datetime
import platform
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from sdd import __version__
from sdd.base.errors import ChecksFailed, ConfigError, SddError

EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Failure:
    """What an entry point tells the user about an error, and the exit code it ends with.

    ``findings`` are ready-made ``path:line: error CODE message`` lines (configuration
    problems); ``message`` is one sentence; ``hint`` says what to do.
    """

    exit_code: int
    message: str | None = None
    hint: str | None = None
    findings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The document a refused or failed ``--json`` command prints instead of its own."""
        return {
            "schema": "sdd.error/1",
            "ok": False,
            "exit_code": self.exit_code,
            "error": self.message,
            "hint": self.hint,
            "findings": list(self.findings),
        }


def exit_code_for(error: BaseException) -> int:
    """The one place an error becomes an exit code."""
    return failure_for(error, log=False).exit_code


def failure_for(error: BaseException, *, log: bool = True) -> Failure:
    """The exit code and the words for ``error``; an unexpected one is logged first."""
    if isinstance(error, ChecksFailed):
        return Failure(EXIT_CHECKS_FAILED, error.message or None)
    if isinstance(error, ConfigError):
        lines = tuple(
            f"{error.path}:{problem.line or 1}: error CFG001 "
            + (f"{problem.field}: " if problem.field else "")
            + problem.message
            for problem in error.problems
        )
        return Failure(EXIT_USAGE, None if lines else str(error), error.hint, lines)
    if isinstance(error, SddError):
        return Failure(EXIT_USAGE, str(error), error.hint)
    if isinstance(error, KeyboardInterrupt):
        return Failure(EXIT_INTERRUPTED, "interrupted")
    if isinstance(error, BrokenPipeError):
        return Failure(EXIT_OK)
    if not log:
        return Failure(EXIT_INTERNAL)
    try:
        where = f"details in {write_crash_log(error)}"
    except OSError:
        where = "no log could be written"
    return Failure(
        EXIT_INTERNAL, f"an unexpected error occurred: {type(error).__name__}: {error} ({where})"
    )


def write_crash_log(error: BaseException) -> Path:
    """Write versions, arguments and the traceback of ``error``; return the log's path.

    In sdd's folder of the user's cache (``user_cache_folder``: a relative ``XDG_CACHE_HOME``
    is ignored, as the XDG specification says), else the temporary folder; replaced
    atomically, so a link planted at the log's name in a shared temporary folder is replaced,
    never followed.
    """
    from sdd.base.fileio import write_atomic
    from sdd.base.paths import user_cache_folder

    details = [
        f"time: {datetime.datetime.now().isoformat()}",
        f"sdd: {__version__}",
        f"python: {sys.version.split()[0]} ({platform.platform()})",
        f"argv: {sys.argv!r}",
        "",
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    ]
    # A message may hold a file name that is not UTF-8 (a lone surrogate).
    content = "\n".join(details).encode("utf-8", "backslashreplace")
    folder = user_cache_folder()
    if folder is not None:
        path = folder / "sdd-crash.log"
        try:
            write_atomic(path, content)
            return path
        except OSError:
            pass  # a file in the way, no room, no right to write: the temporary folder then
    import tempfile

    path = Path(tempfile.gettempdir()) / "sdd-crash.log"
    write_atomic(path, content)
    return path
