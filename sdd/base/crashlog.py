"""The crash log: where an unexpected error's traceback goes, so users see one line only."""

from __future__ import annotations

import datetime
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

from sdd import __version__


def write_crash_log(error: BaseException) -> Path:
    """Write versions, arguments and the traceback of ``error``; return the log's path.

    In the user's cache folder, else the temporary folder; replaced atomically, so a link
    planted at the log's name in a shared temporary folder is replaced, never followed.
    """
    from sdd.base.fileio import write_atomic

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
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    try:
        path = Path(base) / "sdd" / "sdd-crash.log"
        write_atomic(path, content)
    except OSError:
        path = Path(tempfile.gettempdir()) / "sdd-crash.log"
        write_atomic(path, content)
    return path
