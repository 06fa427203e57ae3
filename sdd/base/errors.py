"""The one family of errors the core raises.

Exit codes come from one place, ``sdd.base.failure``, which every entry point uses:
``ChecksFailed`` → 1, every other ``SddError`` → 2, anything else → 3.
"""

from __future__ import annotations

from pathlib import Path


class SddError(Exception):
    """An error the user can act on: printed as one line, never as a traceback."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class UsageError(SddError):
    """Bad arguments, or something the user named does not exist."""


class ConfigError(SddError):
    """A configuration file is broken; ``problems`` holds one entry per field."""

    def __init__(self, message: str, *, path: Path | str, problems: list[ConfigProblem]) -> None:
        first = problems[0].line if problems else None
        super().__init__(message, path=path, line=first)
        self.problems = problems


class ConfigProblem:
    """One problem in a configuration file, located by line."""

    __slots__ = ("field", "line", "message")

    def __init__(self, field: str, line: int | None, message: str) -> None:
        self.field = field
        self.line = line
        self.message = message

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "line": self.line, "message": self.message}


class ParseError(SddError):
    """A file could not be parsed (broken YAML, binary content, too large)."""


class RefusedError(SddError):
    """An action was refused to protect the user's data (would overwrite, no consent)."""


class ConfirmationRequired(RefusedError):
    """A question needed an answer, but there was no terminal to ask it on."""


class UnsafePathError(RefusedError):
    """A path from input would leave the project (``..``, absolute, or a symlink out)."""


class TemplateError(SddError):
    """A template failed to render (undefined variable, sandbox violation, syntax)."""


class GitError(SddError):
    """git is missing, or a git command failed."""


class ChecksFailed(SddError):
    """A check found errors; the findings were already reported."""
