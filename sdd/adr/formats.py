"""How ADR formats write their fields (see ``sdd.adr.record`` for the formats): the title, the
sections, ``Key: value`` field lines, a ``## Status`` section; which format a record is in, and
where its status is written."""

import re
from typing import Any, NamedTuple

from sdd.adr.status_words import is_status_key
from sdd.base.patterns import compiled

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")  # "# C#" keeps its "#"
_TITLE_PREFIX = re.compile(r"^(?:ADR[-\s]?\d+\s*[:.\-–—]\s*|\d+\s*[.:\-–—)]\s*)", re.IGNORECASE)
# "- **Status:** Accepted", "- **Status**: Accepted", "* Status: accepted", and the same
# fields as plain lines under the title: "**Status**: Accepted", "**Status:** Accepted".
# The key may be in any script ("Статус: Принято", "状态：已接受").
_BULLET = re.compile(
    r"^\s*(?:[-*+]\s*)?(?:\*\*|__)?(?P<key>[^\W\d_](?:[^\W\d_]| ){1,30}?)\s*"
    r"(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：]|[:：])\s*(?P<value>.*?)\s*$"
)
_PLAIN_FIELD = re.compile(r"^(?P<key>Status|Date|Feature)\s*:\s*(?P<value>.+?)\s*$", re.IGNORECASE)
# A kit's template lists the choices in a comment after the value ("Accepted <!-- Proposed |
# Accepted | Deprecated -->"): what is rendered, and chosen, is the text outside it.
_COMMENT = r"<!--.*?-->"


def _visible(text: str) -> str:
    return compiled(_COMMENT).sub("", text).strip() if "<!--" in text else text


class BodyFields(NamedTuple):
    title: str
    sections: dict[str, int]  # lower-case heading → line
    bullets: dict[str, tuple[str, int]]  # lower-case key → (value, line)
    status_section: list[tuple[str, int]]  # the lines of a ``## Status`` section


def scan_body(body: str, body_line: int) -> BodyFields:
    """The fields of a record's body (after its front matter, starting on ``body_line``):
    fenced code skipped."""
    lines = body.splitlines()
    sections: dict[str, int] = {}
    title = ""
    bullets: dict[str, tuple[str, int]] = {}
    status_section: list[tuple[str, int]] = []
    in_status = False
    fence = False
    for offset, line in enumerate(lines):
        number_here = body_line + offset
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        heading = _HEADING.match(line)
        if heading:
            level, name = len(heading.group(1)), heading.group(2).strip()
            if level == 1 and not title:
                title = _TITLE_PREFIX.sub("", name).strip()
            else:
                sections.setdefault(name.lower().strip(" :"), number_here)
            in_status = is_status_key(name)
            continue
        if in_status:
            if _visible(line.strip()):
                status_section.append((_visible(line.strip()), number_here))
            continue
        bullet = _BULLET.match(line) or _PLAIN_FIELD.match(line)
        if bullet:
            key = bullet.group("key").strip().lower()
            if is_status_key(key):
                key = "status"
            bullets.setdefault(key, (_visible(bullet.group("value").strip()), number_here))
    return BodyFields(title, sections, bullets, status_section)


def format_of(
    header: dict[str, Any] | None,
    sections: dict[str, int],
    bullets: dict[str, tuple[str, int]],
    status_section: list[tuple[str, int]],
) -> str:
    if header is not None and ("id" in header or "superseded_by" in header or "covers" in header):
        return "sdd"
    if "context and problem statement" in sections or "decision outcome" in sections:
        return "madr"
    if header is not None and "status" in header:
        return "madr"
    if any(is_status_key(name) for name in sections):
        return "adr-tools"
    if "status" in bullets:
        return "spec-kit-plus"
    return "sdd" if header is not None else "unknown"


def status_of(
    data: dict[str, Any],
    key_lines: dict[str, int],
    bullets: dict[str, tuple[str, int]],
    status_section: list[tuple[str, int]],
) -> tuple[str | None, int]:
    if "status" in data and data["status"] is not None:
        return str(data["status"]).strip(), key_lines.get("status", 1)
    if "status" in bullets:
        return bullets["status"]
    for text, line in status_section:
        if not text.lower().startswith(
            ("supersedes", "amends", "amended by", "clarified by", "clarifies")
        ):
            return text, line
    if status_section:
        return status_section[0]
    return None, key_lines.get("status", 1)
