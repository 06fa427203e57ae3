"""Answering a feature's open clarifications in place (``sdd clarify answer``).

Answering replaces the marker with the answer (an open question keeps its text and gets
`` → A: answer``), and records ``- Q: question → A: answer`` under the spec's
``## Clarifications`` / ``### Session YYYY-MM-DD``, spec-kit's convention: the section is
created before the spec's first level-2 heading when missing, the session at the end of the
section. Every other byte is kept; each file is written atomically under the feature lock.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sdd.base.errors import ParseError, UnsafePathError, UsageError
from sdd.base.markdown import MarkdownText
from sdd.base.paths import is_within
from sdd.features.clarify import ANSWERED, Clarification, feature_clarifications
from sdd.features.folders import ARTIFACTS

if TYPE_CHECKING:
    from sdd.project.project import Project

_CLARIFICATIONS_HEADING = re.compile(r"^##[ \t]+Clarifications[ \t#]*$", re.IGNORECASE)
_SESSION_HEADING = re.compile(r"^###[ \t]+Session[ \t]+(\d{4}-\d{2}-\d{2})[ \t#]*$", re.IGNORECASE)
_LEVEL2 = re.compile(r"^##[ \t]")
_LEVEL1_OR_2 = re.compile(r"^#{1,2}[ \t]")
_ANY_HEADING = re.compile(r"^#{1,6}[ \t]")


@dataclass(frozen=True)
class Answer:
    """What ``answer`` changed: the question resolved and the files written."""

    clarification: Clarification
    answer: str
    session: str
    written: tuple[Path, ...]


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _read(path: Path, shown: str) -> str:
    from sdd.base.fileio import read_text

    try:
        return read_text(path)
    except ParseError as problem:
        raise ParseError(problem.message, path=shown, line=problem.line) from None


def _resolved_text(text: str, clarification: Clarification, answer: str) -> str:
    """``text`` with the clarification on its line resolved by ``answer``."""
    newline_positions = [-1] + [i for i, ch in enumerate(text) if ch == "\n"]
    line_start = newline_positions[clarification.line - 1] + 1
    start = line_start + clarification.column - 1
    end = start + len(clarification.text)
    if text[start:end] != clarification.text:
        raise UsageError(f"the text at line {clarification.line} changed while answering")
    if clarification.kind == "marker":
        return text[:start] + answer + text[end:]
    return text[:end] + f" {ANSWERED} {answer}" + text[end:]


def record_in_spec(spec_text: str, question: str, answer: str, session: str) -> str:
    """``spec_text`` with ``- Q: question → A: answer`` under today's session of the
    ``## Clarifications`` section (both created when missing); nothing else changes."""
    newline = _newline(spec_text)
    bullet = f"- Q: {question} {ANSWERED} {answer}"
    lines = spec_text.split("\n")
    prose_lines = MarkdownText(spec_text).prose.split("\n")
    section = next(
        (
            i
            for i, line in enumerate(prose_lines)
            if _CLARIFICATIONS_HEADING.match(line.rstrip("\r"))
        ),
        None,
    )
    insert: list[str]
    if section is None:
        first_level2 = next(
            (i for i, line in enumerate(prose_lines) if _LEVEL2.match(line) and i > 0),
            None,
        )
        block = ["## Clarifications", "", f"### Session {session}", "", bullet, ""]
        if first_level2 is None:
            at = len(lines)
            if lines and lines[-1] == "":
                at -= 1
            insert = ([""] if at and lines[at - 1].strip() else []) + block[:-1]
            if at == len(lines):
                insert.append("")
        else:
            at = first_level2
            insert = block
        return _join(lines[:at] + insert + lines[at:], newline)
    section_end = next(
        (i for i in range(section + 1, len(lines)) if _LEVEL1_OR_2.match(prose_lines[i])),
        len(lines),
    )
    session_line = next(
        (
            i
            for i in range(section + 1, section_end)
            if (match := _SESSION_HEADING.match(prose_lines[i].rstrip("\r")))
            and match.group(1) == session
        ),
        None,
    )
    if session_line is None:
        at = _last_content(lines, section, section_end) + 1
        insert = ["", f"### Session {session}", "", bullet]
    else:
        session_end = next(
            (i for i in range(session_line + 1, section_end) if _ANY_HEADING.match(prose_lines[i])),
            section_end,
        )
        at = _last_content(lines, session_line, session_end) + 1
        insert = [bullet] if at > session_line + 1 else ["", bullet]
    return _join(lines[:at] + insert + lines[at:], newline)


def _last_content(lines: list[str], start: int, end: int) -> int:
    """The index of the last non-blank line in ``lines[start:end]`` (``start`` at least)."""
    for index in range(end - 1, start, -1):
        if lines[index].strip():
            return index
    return start


def _join(lines: list[str], newline: str) -> str:
    if newline == "\n":
        return "\n".join(lines)
    # Lines read from a CRLF file keep their "\r"; inserted lines get one.
    fixed = [
        line if line.endswith("\r") or index == len(lines) - 1 else line + "\r"
        for index, line in enumerate(lines)
    ]
    return "\n".join(fixed)


def answer_clarification(
    folder: Path,
    clarification_id: str,
    answer: str,
    *,
    today: datetime.date | None = None,
    shown_folder: str | None = None,
    root: Path | None = None,
) -> Answer:
    """Resolve one open clarification of the feature in ``folder`` with ``answer``.

    The ID is looked up afresh under the feature lock; an unknown ID raises ``UsageError``
    listing the open ones. Needs the feature's spec.md (where the answer is recorded). An
    artifact that is a symbolic link is changed where it leads; one leading outside ``root``
    (the project) is neither read nor written, and a spec.md doing so is refused.
    """
    from sdd.base.fileio import locked, write_atomic

    answer = " ".join(answer.split())
    if not answer:
        raise UsageError("the answer is empty; give the text that resolves the question")
    wanted = clarification_id.strip().upper()
    shown = shown_folder or str(folder)
    spec = folder / "spec.md"
    if not spec.is_file():
        raise UsageError(f"{shown}/spec.md does not exist; answers are recorded there")
    session = (today or datetime.date.today()).isoformat()
    with locked(folder):
        targets: dict[str, Path] = {}
        for name in ARTIFACTS:
            path = folder / name
            if path.is_file():
                target = _target(path, root)
                if target is not None:
                    targets[name] = target
                elif name == "spec.md":
                    raise UnsafePathError(
                        f"{shown}/spec.md links outside the project (to {path.resolve()}); "
                        "nothing was changed"
                    )
        texts = {name: _read(target, f"{shown}/{name}") for name, target in targets.items()}
        open_items = feature_clarifications(folder, texts)
        chosen = next((c for c in open_items if c.id.upper() == wanted), None)
        if chosen is None:
            known = ", ".join(c.id for c in open_items) or "none are open"
            raise UsageError(
                f"no open clarification {clarification_id!r} in {shown} (open: {known}); "
                "nothing was changed"
            )
        changed = dict(texts)
        changed[chosen.artifact] = _resolved_text(texts[chosen.artifact], chosen, answer)
        changed["spec.md"] = record_in_spec(changed["spec.md"], chosen.question, answer, session)
        written: list[Path] = []
        for name in ARTIFACTS:
            if name in changed and changed[name] != texts[name]:
                write_atomic(targets[name], changed[name].encode("utf-8"))
                written.append(folder / name)
    return Answer(chosen, answer, session, tuple(written))


def _target(path: Path, root: Path | None) -> Path | None:
    """Where reading and writing ``path`` lands (its link's target), or None when that
    lies outside ``root``: such a file is neither read nor written."""
    real = path.resolve()
    if root is not None and not is_within(real, root.resolve()):
        return None
    return real


@dataclass(frozen=True)
class FeatureAnswer:
    """``sdd clarify answer``: what was answered in which feature, with its JSON document."""

    project: Project
    feature: str
    result: Answer

    def as_dict(self) -> dict[str, object]:
        item = self.result.clarification
        return {
            "schema": "sdd.clarification-answer/1",
            "feature": self.feature,
            "id": item.id,
            "question": item.question,
            "answer": self.result.answer,
            "session": self.result.session,
            "resolved": {"path": self.project.rel(item.path), "line": item.line},
            "written": [self.project.rel(path) for path in self.result.written],
        }


def answer_in_feature(
    project: Project, feature: str | None, clarification_id: str, answer: str
) -> FeatureAnswer:
    """Answer one open clarification of ``feature`` (default: the branch's) in ``project``."""
    from sdd.base.paths import ensure_inside
    from sdd.features.folders import resolve_feature

    name = resolve_feature(project, feature)
    folder = ensure_inside(project.paths.specs / name, project.root)
    shown = project.rel(project.paths.specs / name)
    result = answer_clarification(
        folder, clarification_id, answer, shown_folder=shown, root=project.root
    )
    return FeatureAnswer(project, name, result)
