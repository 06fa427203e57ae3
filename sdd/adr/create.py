"""Creating an ADR: the draft ``sdd adr new`` shows, then an exclusive write under a free number.

A number is claimed with an exclusive claim file (``.NNNN.claim``) and the record itself is
created exclusively, so concurrent creators never share a number. Writes go through
``sdd.base.fileio``.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sdd.adr.record import ADR_FILE, DEFAULT_WIDTH, TO_BE_COMPLETED, adr_files
from sdd.base.errors import RefusedError, UsageError
from sdd.base.fileio import create_exclusive, process_alive, remove_leftovers

CLAIM_SUFFIX = ".claim"
STALE_CLAIM_SECONDS = 60.0


@dataclass(frozen=True)
class Draft:
    """What ``sdd adr new`` will write (its number may still move if another creator wins)."""

    number: int
    width: int
    path: Path
    title: str
    slug: str
    status: str
    date: str
    feature: str | None
    supersedes: tuple[int, ...]
    covers: tuple[str, ...]
    context: str
    references: tuple[str, ...]


def number_width(folder: Path) -> int:
    widths = [len(ADR_FILE.match(p.name).group("number")) for _, p in adr_files(folder)]  # type: ignore[union-attr]
    if not widths:
        return DEFAULT_WIDTH
    common = max(set(widths), key=widths.count)
    return max(3, common)


def _claims(folder: Path) -> list[int]:
    numbers: list[int] = []
    if not folder.is_dir():
        return numbers
    now = time.time()
    for entry in folder.glob(f".*{CLAIM_SUFFIX}"):
        match = re.fullmatch(rf"\.(\d+){re.escape(CLAIM_SUFFIX)}", entry.name)
        if not match:
            continue
        try:
            if now - entry.stat().st_mtime > STALE_CLAIM_SECONDS or _claimant_gone(entry):
                entry.unlink()
                continue
        except FileNotFoundError:
            continue
        numbers.append(int(match.group(1)))
    return numbers


def _claimant_gone(claim: Path) -> bool:
    """Whether the process that wrote ``claim`` (its pid is the content) has died."""
    try:
        text = claim.read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return text.isdigit() and not process_alive(int(text))


def next_number(folder: Path) -> int:
    used = [number for number, _ in adr_files(folder)] + _claims(folder)
    return max(used, default=0) + 1


def validate_title(title: str) -> str:
    cleaned = title.strip()
    if not cleaned:
        raise UsageError("the ADR title is empty")
    # Line and paragraph separators and NEL end a line too (str.splitlines, YAML).
    if any(unicodedata.category(char) == "Cs" for char in cleaned):
        raise UsageError("the ADR title is not valid UTF-8 text")
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in cleaned):
        raise UsageError("the ADR title must be one line without control characters")
    if len(cleaned) > 200:
        raise UsageError("the ADR title is longer than 200 characters")
    return cleaned


def plan_new(
    folder: Path,
    title: str,
    *,
    feature: str | None = None,
    supersedes: Iterable[int] = (),
    covers: Iterable[str] = (),
    context: str | None = None,
    references: Iterable[str] = (),
    today: datetime.date | None = None,
) -> Draft:
    from sdd.base.slugs import slugify

    cleaned = validate_title(title)
    slug = slugify(cleaned)
    number = next_number(folder)
    width = number_width(folder)
    date = (today or datetime.date.today()).isoformat()
    default_context = (
        f"*{TO_BE_COMPLETED} the problem, the forces at play and the constraints that make this "
        "decision necessary.*"
    )
    return Draft(
        number=number,
        width=width,
        path=folder / f"{number:0{width}d}-{slug}.md",
        title=cleaned,
        slug=slug,
        status="proposed",
        date=date,
        feature=feature,
        supersedes=tuple(dict.fromkeys(supersedes)),
        covers=tuple(dict.fromkeys(covers)),
        context=context.strip() if context and context.strip() else default_context,
        references=tuple(references),
    )


def inline(text: str) -> str:
    """``text`` safe on one Markdown line and inside a code span (a path may hold anything)."""
    return "".join(
        "'" if char == "`" else "?" if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in text
    )


def _yaml_value(value: object) -> str:
    """A value as a YAML flow scalar or list (JSON is YAML), keeping non-ASCII text readable."""
    import json

    return json.dumps(value, ensure_ascii=False)


def render_draft(draft: Draft, number: int, templates_dir: Path | None) -> str:
    """The record's text from the ``adr.md`` template (project copy first, then the default).

    Template variables: ``id``, ``number`` (zero-padded), ``title``, ``status``, ``date``,
    ``feature``, ``supersedes``, ``covers``, ``context``, ``references``, ``to_be_completed``,
    and ``yaml`` (the same values quoted for front matter: ``yaml.title`` …).
    """
    from sdd.base import templates

    supersedes = list(draft.supersedes) or None
    if supersedes is not None and len(supersedes) == 1:
        supersedes_value: object = supersedes[0]
    else:
        supersedes_value = supersedes
    return templates.render(
        "adr.md",
        {
            "id": number,
            "number": f"{number:0{draft.width}d}",
            "title": draft.title,
            "status": draft.status,
            "date": draft.date,
            "feature": draft.feature,
            "supersedes": list(draft.supersedes),
            "covers": list(draft.covers),
            "context": draft.context,
            "references": list(draft.references),
            "to_be_completed": TO_BE_COMPLETED,
            "yaml": {
                "title": _yaml_value(draft.title),
                "feature": _yaml_value(draft.feature),
                "supersedes": _yaml_value(supersedes_value),
                "covers": _yaml_value(list(draft.covers)),
            },
        },
        project_dir=templates_dir,
    )


def create(draft: Draft, render: Callable[[int], str], *, attempts: int = 200) -> tuple[int, Path]:
    """Write the ADR under the first free number from ``draft.number`` on; return it and the path.

    A number is claimed with an exclusive claim file, checked free among the ADR files, then the
    record is created exclusively and the claim released; a concurrent creator that loses any
    step moves on to the next number.
    """
    folder = draft.path.parent
    folder.mkdir(parents=True, exist_ok=True)
    remove_leftovers(folder)
    for _ in range(attempts):
        number = next_number(folder)
        claim = folder / f".{number:0{draft.width}d}{CLAIM_SUFFIX}"
        if not create_exclusive(claim, f"{os.getpid()}\n"):
            time.sleep(0.005)
            continue
        try:
            if any(existing == number for existing, _ in adr_files(folder)):
                continue
            path = folder / f"{number:0{draft.width}d}-{draft.slug}.md"
            if create_exclusive(path, render(number)):
                return number, path
        finally:
            with contextlib.suppress(FileNotFoundError):
                claim.unlink()
    raise RefusedError(f"could not claim a free ADR number in {folder} after {attempts} attempts")
