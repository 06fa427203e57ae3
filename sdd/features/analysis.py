"""What ``sdd analyze`` reports: findings with a severity, the coverage table, and the
JSON document (``sdd.analyze/1``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["critical", "high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class AnalysisFinding:
    path: str
    line: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True)
class CoverageRow:
    """One requirement or success criterion and what covers it."""

    id: str
    line: int
    tasks: tuple[str, ...]
    in_plan: bool

    @property
    def covered(self) -> bool:
        return bool(self.tasks) or (self.id.startswith("SC") and self.in_plan)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "line": self.line,
            "tasks": list(self.tasks),
            "plan": self.in_plan,
            "covered": self.covered,
        }


@dataclass
class Analysis:
    feature: str
    artifacts: tuple[str, ...]
    findings: list[AnalysisFinding] = field(default_factory=list)
    coverage: list[CoverageRow] = field(default_factory=list)

    @property
    def critical(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "critical")

    def counts(self) -> dict[str, int]:
        return {level: sum(1 for f in self.findings if f.severity == level) for level in SEVERITIES}

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": "sdd.analyze/1",
            "feature": self.feature,
            "artifacts": list(self.artifacts),
            "ok": self.critical == 0,
            "counts": self.counts(),
            "findings": [finding.as_dict() for finding in self.findings],
            "coverage": [row.as_dict() for row in self.coverage],
        }


class Findings:
    """Where the checks of ``sdd analyze`` add their findings."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis

    def add(self, path: str, line: int, severity: Severity, code: str, message: str) -> None:
        self.analysis.findings.append(AnalysisFinding(path, max(line, 1), severity, code, message))
