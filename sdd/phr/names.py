"""What a Prompt History Record's path says: ``<prompts>/<route>/<ID>-<slug>.<stage>.prompt.md``
(DESIGN §3), the names other kits write (``PHR-001-slug``, ``20250521-slug.md``), the route
folder a stage belongs in, and whether a slug abbreviates a title. Nothing here reads a file.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sdd.phr.files import KIT_SUFFIXES, SUFFIX, is_record_file
from sdd.phr.schema import STAGES

OWN_ROUTE_STAGES = frozenset({"constitution", "general"})
FEATURE_STAGES = frozenset(STAGES) - OWN_ROUTE_STAGES
MIN_ID_DIGITS = 4

# ``0001-slug.spec``, ``PHR-001-slug``; a record named by its date (``20250521-slug``,
# ``2025-05-21-slug``) has no ID in its name.
_FILE_NAME = re.compile(
    r"^(?:PHR[-_]?)?(?P<id>\d+)[-_](?P<slug>.+?)(?:\.(?P<stage>[A-Za-z][\w-]*))?$", re.IGNORECASE
)
_DATE_PREFIX = r"^(?:19|20)\d\d-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])(?:[-_T]\d{4,6})?[-_]"
_DATED_NAME = re.compile(
    _DATE_PREFIX + r"(?P<slug>.+?)(?:\.(?P<stage>[A-Za-z][\w-]*))?$", re.DOTALL
)
_DATED = re.compile(_DATE_PREFIX)
_LEADING_ID = re.compile(r"^(?:PHR[-_]?)?(\d+)-", re.IGNORECASE)


def route_for(stage: str, feature: str | None) -> str:
    """The folder under the prompts folder that records of ``stage`` belong in."""
    if stage in OWN_ROUTE_STAGES:
        return stage
    if not feature:
        raise ValueError(f"stage {stage!r} needs a feature")
    return feature


def format_id(number: int) -> str:
    return str(number).zfill(MIN_ID_DIGITS)


def file_name(record_id: str, slug: str, stage: str) -> str:
    return f"{record_id}-{slug}.{stage}{SUFFIX}"


class RecordName(NamedTuple):
    """What a record's file name says: ``<ID>-<slug>.<stage>.prompt.md``."""

    id: str | None
    slug: str | None
    stage: str | None
    suffix_ok: bool

    @property
    def number(self) -> int | None:
        # An ID too long for int() (Python's 4300-digit limit) names no record one can ask for.
        if self.id is None or len(self.id.lstrip("0")) > 4000:
            return None
        return int(self.id)


def is_record_name(name: str) -> bool:
    """Whether a file under the prompts folder is read as a record (``sdd.phr.files``)."""
    return is_record_file(name)


def parse_name(name: str) -> RecordName:
    suffix_ok = name.endswith(SUFFIX)
    suffix = next((end for end in KIT_SUFFIXES if name.endswith(end)), None)
    stem = name[: -len(suffix)] if suffix else name.rsplit(".", 1)[0]
    dated = _DATED_NAME.match(stem)
    if dated is not None:
        return RecordName(None, dated.group("slug"), dated.group("stage"), suffix_ok)
    match = _FILE_NAME.match(stem)
    if match is None:
        leading = None if _DATED.match(name) else _LEADING_ID.match(name)
        return RecordName(leading.group(1) if leading else None, None, None, suffix_ok)
    return RecordName(match.group("id"), match.group("slug"), match.group("stage"), suffix_ok)


def slug_abbreviates(slug: str, expected: str) -> bool:
    """Whether ``slug`` is ``expected`` with words dropped, shortened or run together, as other
    kits make them (``create-backend-spec`` for "Create Backend API Specification")."""
    if slug == expected:
        return True
    wanted = [part for part in slug.lower().split("-") if part]
    words = [part for part in expected.split("-") if part]
    position = 0
    for part in wanted:
        while position < len(words):
            joined = ""
            matched = False
            for end in range(position, len(words)):
                joined += words[end]
                if joined == part or (end == position and words[end].startswith(part)):
                    position = end + 1
                    matched = True
                    break
                if not part.startswith(joined):
                    break
            if matched:
                break
            position += 1
        else:
            return False
    return True
