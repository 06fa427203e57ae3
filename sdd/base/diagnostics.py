"""Findings: what every checker reports, in one shape.

Printed as ``path:line: severity CODE message``; in JSON as
``{"path", "line", "severity", "code", "message"}`` with ``path`` relative to the project root.
Across the projects of a monorepo (``--all``) a finding also names its ``project`` (the
project's folder relative to the repository's top level), and is printed from the top level.
Codes are stable and listed in docs/diagnostics.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Finding(NamedTuple):
    path: str
    line: int
    severity: Severity
    code: str
    message: str
    project: str | None = None

    def format(self) -> str:
        shown = f"{self.project}/{self.path}" if self.project not in (None, ".") else self.path
        return f"{shown}:{self.line}: {self.severity} {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
        if self.project is not None:
            found["project"] = self.project
        return found

    def escalated(self) -> Finding:
        """The same finding as an error (``--strict``)."""
        if self.severity == "error":
            return self
        return self._replace(severity="error")

    def in_project(self, project: str) -> Finding:
        """The same finding, naming the project it belongs to (``"."`` for the top level)."""
        return self._replace(project=project)


def error(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path, line, "error", code, message)


def warning(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path, line, "warning", code, message)


class Report(NamedTuple):
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, findings: Iterable[Finding], *, strict: bool = False) -> Report:
        collected = (f.escalated() for f in findings) if strict else findings
        return cls(tuple(sorted(set(collected))))

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def as_dict(self, schema: str = "sdd.validate/1") -> dict[str, object]:
        return {
            "schema": schema,
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.as_dict() for f in self.findings],
        }
