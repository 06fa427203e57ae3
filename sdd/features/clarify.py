"""Open clarifications of a feature (``sdd clarify``); answering them: ``sdd.features.answers``.

Two kinds of open question are found in a feature's spec.md, plan.md and tasks.md:

* a ``[NEEDS CLARIFICATION: question]`` marker (the grammar of ``sdd.text.placeholders``,
  so code and HTML comments never count);
* a list item that ends with ``?`` under a heading holding "Open Question(s)", and not yet
  followed by ``→ A:`` on its line.

Each has an ID that does not depend on line numbers (``C`` and six hex digits of the file,
the question and its occurrence), so answering one leaves the IDs of the others unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.base.markdown import MarkdownText
from sdd.features.folders import ARTIFACTS
from sdd.text.placeholders import find_in

if TYPE_CHECKING:
    from sdd.project.project import Project

_MARKER_QUESTION = re.compile(r"^\[\s*NEEDS CLARIFICATION\s*[:\-—–]?\s*(.*?)\s*\]$", re.I | re.S)
_OPEN_QUESTIONS_HEADING = re.compile(r"\bopen questions?\b", re.IGNORECASE)
_QUESTION_ITEM = re.compile(
    r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(.+\?)[ \t*_]*$"
)
ANSWERED = "→ A:"
_ANY_HEADING = re.compile(r"^#{1,6}[ \t]")


@dataclass(frozen=True)
class Clarification:
    """One open question: where it stands and what it asks."""

    id: str
    artifact: str  # spec.md, plan.md or tasks.md
    path: Path
    line: int
    column: int
    text: str  # the marker or the question as written
    question: str
    kind: str  # "marker" | "open-question"

    def as_dict(self, shown_path: str) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "path": shown_path,
            "line": self.line,
            "column": self.column,
            "question": self.question,
            "text": self.text,
        }


def _question_of(marker: str) -> str:
    match = _MARKER_QUESTION.match(marker.strip())
    question = match.group(1) if match else marker
    # A question wrapped over several lines is recorded on one.
    return re.sub(r"\s*\n\s*", " ", question).strip() or "(no question given)"


def _make_id(artifact: str, question: str, occurrence: int) -> str:
    digest = hashlib.sha1(f"{artifact}\0{question}\0{occurrence}".encode()).hexdigest()
    return "C" + digest[:6]


def find_clarifications(artifact: str, path: Path, text: str) -> list[Clarification]:
    """The open clarifications of one artifact, in document order."""
    document = MarkdownText(text)
    found: list[tuple[int, int, str, str, str]] = []
    for placeholder in find_in(document):
        if placeholder.kind == "clarification":
            found.append(
                (
                    placeholder.line,
                    placeholder.column,
                    placeholder.text,
                    _question_of(placeholder.text),
                    "marker",
                )
            )
    found.extend(_open_questions(document))
    found.sort()
    seen: dict[str, int] = {}
    result: list[Clarification] = []
    for line, column, written, question, kind in found:
        occurrence = seen.get(question, 0)
        seen[question] = occurrence + 1
        result.append(
            Clarification(
                _make_id(artifact, question, occurrence),
                artifact,
                path,
                line,
                column,
                written,
                question,
                kind,
            )
        )
    return result


def _open_questions(document: MarkdownText) -> list[tuple[int, int, str, str, str]]:
    sections = [h for h in document.headings if _OPEN_QUESTIONS_HEADING.search(h.text)]
    if not sections:
        return []
    lines = document.prose.split("\n")
    originals = document.text.split("\n")
    found: list[tuple[int, int, str, str, str]] = []
    for heading in sections:
        for index in range(heading.line, len(lines)):
            prose = lines[index].rstrip("\r")
            if _ANY_HEADING.match(prose):
                break
            match = _QUESTION_ITEM.match(prose)
            if match is None or ANSWERED in prose or "[NEEDS CLARIFICATION" in prose.upper():
                continue
            written = originals[index].rstrip("\r")
            question = written[match.start(1) : match.end(1)].strip().strip("*_").strip()
            found.append(
                (
                    index + 1,
                    match.start(1) + 1,
                    written[match.start(1) : match.end(1)],
                    question,
                    "open-question",
                )
            )
    return found


def feature_clarifications(folder: Path, texts: dict[str, str]) -> list[Clarification]:
    """The open clarifications of a feature, artifact by artifact (spec, plan, tasks)."""
    found: list[Clarification] = []
    for name in ARTIFACTS:
        if name in texts:
            found.extend(find_clarifications(name, folder / name, texts[name]))
    return found


@dataclass(frozen=True)
class FeatureQuestions:
    """``sdd clarify [FEATURE]``: the open questions of one feature, the artifacts that could
    not be read (shown path, why), and the JSON document."""

    project: Project
    feature: str
    open: list[Clarification]
    unreadable: list[tuple[str, str]]

    def as_dict(self) -> dict[str, object]:
        return {
            "schema": "sdd.clarifications/1",
            "feature": self.feature,
            "open": [item.as_dict(self.project.rel(item.path)) for item in self.open],
        }


def open_in_feature(project: Project, feature: str | None) -> FeatureQuestions:
    """The open clarifications of ``feature`` (default: the branch's) in ``project``."""
    from sdd.features.folders import read_artifacts, resolve_feature

    name = resolve_feature(project, feature)
    folder = project.paths.specs / name
    artifacts = read_artifacts(folder, project.root)
    texts: dict[str, str] = {}
    unreadable: list[tuple[str, str]] = []
    for artifact, read in artifacts.items():
        if artifact not in ARTIFACTS:
            continue
        if read.text is not None:
            texts[artifact] = read.text
        elif read.problem is not None:
            unreadable.append((project.rel(folder / artifact), read.problem.message))
    return FeatureQuestions(project, name, feature_clarifications(folder, texts), unreadable)
