"""Regular expressions compiled on first use.

Compiling a pattern costs from 0.3 to 4 million instructions (0.1 to 1 ms); compiled at import,
it is paid by every process that imports its module, used or not. The pre-commit hook imports
the checkers of each kind of artifact it validates and, on a given commit, uses few of their
patterns (issue 13, ADR 0172): a pattern that most runs do not need is kept as its text and
compiled here the first time it is asked for.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, once per process."""
    return re.compile(pattern, flags)
