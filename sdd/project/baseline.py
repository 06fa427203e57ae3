"""The baseline: findings a team accepted when it adopted sdd, kept in a committed file.

``sdd validate --baseline`` records today's findings in ``.sdd/baseline.json``; later runs and
the pre-commit hook leave those out and report only new ones. A finding is known by its file,
its code and the text of its line with whitespace collapsed, never by its line number: lines
moving up or down keep a finding baselined, while an edit of that line, a rename of the file or
a new finding of the same kind elsewhere is reported. Each key carries a count, so that a file
that had two identical findings and now has three reports one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from sdd.base.diagnostics import Finding
from sdd.base.errors import ParseError

BASELINE_FILE = ".sdd/baseline.json"
SCHEMA = "sdd.baseline/1"

Key = tuple[str, str, str]


def _normalised(line: str) -> str:
    return " ".join(line.split())


class LineTexts:
    """The lines of the files findings point at, each file read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lines: dict[str, list[str]] = {}

    def at(self, path: str, line: int) -> str:
        lines = self._lines.get(path)
        if lines is None:
            try:
                text = (self.root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            lines = self._lines[path] = text.splitlines()
        return _normalised(lines[line - 1]) if 0 < line <= len(lines) else ""


def key_of(finding: Finding, texts: LineTexts) -> Key:
    return (finding.path, finding.code, texts.at(finding.path, finding.line))


class Baseline(NamedTuple):
    """The accepted findings, counted by key."""

    counts: Counter[Key]

    @property
    def size(self) -> int:
        return sum(self.counts.values())

    @classmethod
    def of(cls, findings: Iterable[Finding], root: Path) -> Baseline:
        texts = LineTexts(root)
        return cls(Counter(key_of(finding, texts) for finding in findings))

    def new_findings(self, findings: Iterable[Finding], root: Path) -> tuple[list[Finding], int]:
        """The findings not in the baseline, and how many were left out as baselined."""
        left = Counter(self.counts)
        texts = LineTexts(root)
        fresh: list[Finding] = []
        known = 0
        for finding in sorted(findings):
            key = key_of(finding, texts)
            if left[key] > 0:
                left[key] -= 1
                known += 1
            else:
                fresh.append(finding)
        return fresh, known

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": SCHEMA,
            "findings": [
                {"path": path, "code": code, "line_text": text, "count": count}
                for (path, code, text), count in sorted(self.counts.items())
            ],
        }

    def dumps(self) -> str:
        import json

        return json.dumps(self.as_dict(), indent=1, ensure_ascii=False) + "\n"


def _invalid(path: Path, message: str) -> ParseError:
    return ParseError(message, path=str(path))


def load_baseline(root: Path) -> Baseline | None:
    """The project's baseline, None without one; ``ParseError`` when it cannot be read."""
    path = root / BASELINE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise _invalid(path, f"cannot read the baseline: {error}") from None
    try:
        import json  # only a project with a baseline pays for it

        document = json.loads(text)
        counts: Counter[Key] = Counter()
        for entry in document["findings"]:
            key = (str(entry["path"]), str(entry["code"]), str(entry["line_text"]))
            counts[key] += int(entry.get("count", 1))
    except (ValueError, KeyError, TypeError) as error:
        raise _invalid(
            path, f"not a baseline ({error}); rewrite it with 'sdd validate --baseline'"
        ) from None
    return Baseline(counts)


def write_baseline(root: Path, baseline: Baseline) -> Path:
    from sdd.base.fileio import write_atomic

    path = root / BASELINE_FILE
    write_atomic(path, baseline.dumps())
    return path
