"""The constitution finding of ``sdd analyze`` (ANL004): a MUST principle the plan's
Constitution Check never names.

A *MUST principle* is a ``###`` heading of the constitution whose section holds ``MUST``
(RFC 2119, upper case) or whose title says ``NON-NEGOTIABLE``; the Constitution Check of
plan.md names it when the principle's title (without enumeration and notes) appears in that
section, case-insensitively, or its ordinal as the constitution writes it (``II.``, ``二、``)
opens a line, list item or table cell there (plans cite ``| II. Test-First | ✅ |`` or a
shortened title). The section is found as the required-section check finds it
(``sdd.features.sections.find_section``): by name, by a ``features.headings`` alias
(``宪法检查``), or by its place in a plan written in another language than its template.
"""

from __future__ import annotations

import re
from pathlib import Path

from sdd.base.markdown import MarkdownText
from sdd.features.analysis import Findings
from sdd.features.sections import Rules, find_section, heading_key
from sdd.project.project import Project

_MUST = re.compile(r"\bMUST\b|NON-NEGOTIABLE")
# A principle's ordinal: a Roman numeral with a full stop, or a CJK numeral with "、" (Arabic
# "1." is left out: a numbered list in the check would name every principle).
_ORDINAL = re.compile(r"^(?:[IVXLC]+\.|[一二三四五六七八九十]+、)(?=\s|\S)")
CONSTITUTION_CHECK = "Constitution Check"


def must_principles(text: str) -> list[tuple[int, str]]:
    """The MUST principles of a constitution: (line, title) of each (see the module docstring)."""
    document = MarkdownText(text)
    headings = list(document.headings)
    lines = document.prose.split("\n")
    found: list[tuple[int, str]] = []
    for index, heading in enumerate(headings):
        if heading.level != 3:
            continue
        end = next((h.line for h in headings[index + 1 :] if h.level <= 3), len(lines) + 1)
        body = "\n".join(lines[heading.line - 1 : end - 1])
        if _MUST.search(body):
            found.append((heading.line, heading.text.strip()))
    return found


def constitution_findings(
    out: Findings, project: Project, plan_path: str, plan: MarkdownText, rules: Rules
) -> None:
    from sdd.base.errors import ParseError
    from sdd.base.fileio import read_text

    path: Path = project.paths.constitution
    if not path.is_file():
        return
    try:
        text = read_text(path)
    except (ParseError, OSError):
        return
    principles = must_principles(text)
    if not principles:
        return
    check = _section(plan, rules)
    if check is None:
        out.add(
            plan_path,
            1,
            "high",
            "ANL004",
            f"plan.md has no Constitution Check section; the constitution has "
            f"{len(principles)} MUST principle(s)",
        )
        return
    line, body = check
    folded = " ".join(body.split()).casefold()
    for _, title in principles:
        key = heading_key(title)
        if key and key.casefold() not in folded and not _cited_by_ordinal(title, body):
            out.add(
                plan_path,
                line,
                "high",
                "ANL004",
                f"the Constitution Check never names the MUST principle '{title}' "
                f"({project.rel(path)})",
            )


def _cited_by_ordinal(title: str, body: str) -> bool:
    ordinal = _ORDINAL.match(title.strip().lstrip("*_ "))
    if ordinal is None:
        return False
    opening = r"(?:^|\|)[ \t>]*(?:[-*+][ \t]+)?(?:\*\*|__)?"
    return re.search(opening + re.escape(ordinal.group()), body, re.MULTILINE) is not None


def _section(document: MarkdownText, rules: Rules) -> tuple[int, str] | None:
    """The line and body of the plan's Constitution Check section, if it has one."""
    headings = list(document.headings)
    index = find_section(
        [(h.level, h.text) for h in headings], CONSTITUTION_CHECK, rules, "plan.md"
    )
    if index < 0:
        return None
    heading = headings[index]
    lines = document.prose.split("\n")
    end = next((h.line for h in headings[index + 1 :] if h.level <= heading.level), len(lines) + 1)
    return heading.line, "\n".join(lines[heading.line : end - 1])
