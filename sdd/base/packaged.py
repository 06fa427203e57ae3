"""Where the data packaged with sdd lives: its default templates.

Apart from ``sdd.base.templates`` (the Jinja2 rendering, its bounds and its dataclass) because
validation only needs to find the default templates to read their headings and vocabulary.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sdd.base.errors import TemplateError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def packaged_dir() -> Path:
    """The default templates: inside the installed wheel, or the checkout's ``templates/``."""
    for candidate in (_PACKAGE_DIR / "_templates", _PACKAGE_DIR.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateError("the packaged templates are missing; reinstall sdd")
