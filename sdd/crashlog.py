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
    """Write versions, arguments and the traceback of ``error``; return the log's path."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "sdd"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    path = folder / "sdd-crash.log"
    details = [
        f"time: {datetime.datetime.now().isoformat()}",
        f"sdd: {__version__}",
        f"python: {sys.version.split()[0]} ({platform.platform()})",
        f"argv: {sys.argv!r}",
        "",
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    ]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(details))
    return path
