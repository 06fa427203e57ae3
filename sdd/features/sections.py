"""Required sections of spec.md, plan.md and tasks.md, read from the artifact's template.

The template is the one the artifact is made from (``sdd.features.kit_templates``: the
project's override, a spec-kit repository's ``.specify/templates/*-template.md``, else the
packaged default), so a customised or translated template defines its own sections. Of a
template's headings of level 2 and below, one is required unless it

* holds a placeholder (``### User Story 1 - [Brief Title] (Priority: P1)``): an example to
  copy and rename, or
* carries a parenthesised note with "optional" or "if" (``*(optional)*``,
  ``*(include if the feature involves data)*``): optional;

the headings below an example or optional heading are not required either.

A tasks.md has no required section (ADR 0176): its headings group its tasks in phases and
comment on their order, an example structure (spec-kit's template calls its phases sample
tasks to replace) that teams name in their own words and language. What it must hold is
tasks, which FEAT023 checks.

A file has a required section when one of its headings, compared without emphasis,
parenthesised notes, leading enumeration (``II.``, ``3.``), phase numbers (``Phase 0: Setup``
is ``Phase 1: Setup`` renumbered) and case, equals the template's heading, one of its aliases
(``features.headings`` in ``sdd.yaml``), or starts with one followed by a word boundary
(``Phase 1: Setup (Shared Infrastructure)`` has ``Phase 1: Setup``).

A file written in another language than its template (``## ユーザーシナリオとテスト *(必須)*``)
is recognised by structure: a required section not found by name is matched by the next
heading of the same level, under the same parent, whose text is in another script. When a
section is still missing from such a file, the message says how to teach sdd its headings.
"""

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from sdd.base.markdown import MarkdownText
from sdd.features.folders import ARTIFACTS
from sdd.project.project import Project
from sdd.text.placeholders import scan_line
from sdd.text.vocabulary import Vocabulary, default_vocabulary

_ANNOTATION = re.compile(r"\(([^)]*)\)")  # searched only up to the last ")": see _notes
_OPTIONAL_NOTE = re.compile(r"\b(?:optional|if)\b", re.IGNORECASE)
_ENUMERATION = re.compile(r"^(?:[ivxlcdm]+|\d+(?:\.\d+)*|[a-z])[.)]\s+", re.IGNORECASE)
_PHASE_NUMBER = re.compile(r"^(phase|step|stage|part)\s+(?:\d+[a-z]?|[ivx]+|n)\+?(?=\s*[:.\-—–])")
# Artifacts whose template headings are an example structure, never required (ADR 0176).
_WITHOUT_REQUIRED_SECTIONS = frozenset({"tasks.md"})
TEACH_HINT = (
    "if the file names it in another language or with its own headings, teach sdd its "
    "headings: change them in 'sdd templates eject {name}', or list them under "
    "features.headings in sdd.yaml"
)


class RequiredSection(NamedTuple):
    title: str
    key: str
    level: int = 2


def _without_notes(text: str) -> str:
    """``text`` with each parenthesised note replaced by a space. Only the text up to the last
    ``)`` is searched: an opening after it cannot close, and trying each one to the end of
    the text took time quadratic in their number."""
    last = text.rfind(")") + 1
    return _ANNOTATION.sub(" ", text[:last]) + text[last:]


def _notes(text: str) -> list[str]:
    """The parenthesised notes of ``text`` (searched like ``_without_notes``)."""
    return _ANNOTATION.findall(text, 0, text.rfind(")") + 1)


@lru_cache(maxsize=4096)
def heading_key(text: str) -> str:
    """A heading reduced for comparison: no emphasis, notes, enumeration, phase number or case."""
    bare = text.replace("*", "").replace("`", "").replace("_", " ")
    bare = " ".join(_without_notes(bare).split()).lower()
    bare = _ENUMERATION.sub("", bare)
    return _PHASE_NUMBER.sub(r"\1", bare).strip(" :.-—–")


def is_foreign(text: str) -> bool:
    """Whether a heading is written mostly in a script other than Latin."""
    latin = other = 0
    for character in text:
        if character.isalpha():
            if character.isascii() or "\u00c0" <= character <= "\u024f":
                latin += 1
            else:
                other += 1
    return other > latin


def _is_example(line: str, vocabulary: Vocabulary) -> bool:
    return "{{" in line or "{%" in line or bool(scan_line(line, 1, vocabulary=vocabulary))


def _is_optional(text: str) -> bool:
    return any(_OPTIONAL_NOTE.search(note) for note in _notes(text))


def required_sections(template_text: str) -> tuple[RequiredSection, ...]:
    """The sections a file made from this template must keep (see the module docstring)."""
    document = MarkdownText(template_text)
    vocabulary = default_vocabulary().extended([template_text])  # its own tokens are examples
    required: list[RequiredSection] = []
    skipped_level: int | None = None
    for level, text in document.heading_texts:
        if skipped_level is not None and level > skipped_level:
            continue
        skipped_level = None
        if level < 2:
            continue
        if _is_example("#" * level + " " + text, vocabulary) or _is_optional(text):
            skipped_level = level
            continue
        title = " ".join(_without_notes(text.replace("*", "")).split())
        required.append(RequiredSection(title, heading_key(text), level))
    return tuple(required)


@lru_cache(maxsize=16)
def _sections_from(path: str, modified: int) -> tuple[RequiredSection, ...]:
    return required_sections(_read(path))


def template_sections(path: Path) -> tuple[RequiredSection, ...]:
    """The required sections of the template at ``path``, cached per file and modification
    time (``ParseError``/``OSError`` when it cannot be read)."""
    return _sections_from(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _tokens_from(path: str, modified: int) -> str:
    return _read(path)


def _read(path: str) -> str:
    from sdd.base.fileio import read_text

    return read_text(Path(path))


class Rules(NamedTuple):
    """Required sections per artifact, the template each list came from, the heading aliases
    of ``sdd.yaml`` (key → alias keys) and the placeholder vocabulary of the templates."""

    sections: dict[str, tuple[RequiredSection, ...]]
    sources: dict[str, str]
    aliases: Mapping[str, frozenset[str]]
    vocabulary: Vocabulary


def _aliases(configured: Mapping[str, object]) -> dict[str, frozenset[str]]:
    aliases: dict[str, frozenset[str]] = {}
    for title, names in configured.items():
        listed = [names] if isinstance(names, str) else names if isinstance(names, list) else []
        keys = {heading_key(name) for name in listed if isinstance(name, str) and name.strip()}
        if keys:
            aliases[heading_key(title)] = aliases.get(heading_key(title), frozenset()) | keys
    return aliases


def _template_texts(project: Project) -> list[str]:
    """The texts of the project's own templates: overrides and spec-kit's, for the vocabulary."""
    from sdd.project.project import SPEC_KIT_TEMPLATES

    texts: list[str] = []
    for folder, pattern in (
        (project.paths.templates, "*.md"),
        (project.root / SPEC_KIT_TEMPLATES, "*-template.md"),
    ):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                try:
                    texts.append(_tokens_from(str(path), path.stat().st_mtime_ns))
                except (OSError, ValueError):
                    continue
    return texts


def load_rules(project: Project) -> Rules:
    """Required sections from the project's templates (override first), cached per run."""
    from sdd.base.errors import ParseError
    from sdd.features.kit_templates import template_source

    sections: dict[str, tuple[RequiredSection, ...]] = {}
    sources: dict[str, str] = {}
    for name in ARTIFACTS:
        source = template_source(project, name)
        sources[name] = source.shown
        if name in _WITHOUT_REQUIRED_SECTIONS or not source.path.is_file():
            sections[name] = ()
            continue
        try:
            sections[name] = _sections_from(str(source.path), source.path.stat().st_mtime_ns)
        except ParseError:
            sections[name] = ()
    features = project.config.features
    vocabulary = default_vocabulary().extended(_template_texts(project), features.labels)
    return Rules(sections, sources, _aliases(features.headings), vocabulary)


def _has_key(keys: Sequence[str], wanted: str) -> int:
    """The index of the first of ``keys`` that is ``wanted`` or starts with it, else -1."""
    for index, key in enumerate(keys):
        if key == wanted or (key.startswith(wanted) and not key[len(wanted)].isalnum()):
            return index
    return -1


def locate_sections(
    headings: Sequence[tuple[int, str]],
    required: Sequence[RequiredSection],
    aliases: Mapping[str, frozenset[str]],
) -> tuple[list[int], bool]:
    """Where each required section is among ``headings`` (level, text; level 2 and below):
    its index, -1 when missing; and whether there are headings in another script (a missing
    section may be there, untaught)."""
    keys = [heading_key(text) for _, text in headings]
    foreign: list[bool] | None = None  # worked out only when a section is not found by name
    found: list[int] = []
    position = 0
    for section in required:
        index = _has_key(keys, section.key)
        for alias in aliases.get(section.key, ()):
            if index < 0:
                index = _has_key(keys, alias)
        if index < 0:
            if foreign is None:
                foreign = [is_foreign(text) for _, text in headings]
            if any(foreign):
                index = _next_foreign(headings, foreign, position, section.level)
        if index >= position:
            position = index + 1
        found.append(index)
    return found, foreign is not None and any(foreign)


def missing_sections(
    headings: Sequence[tuple[int, str]],
    required: Sequence[RequiredSection],
    aliases: Mapping[str, frozenset[str]],
) -> tuple[list[RequiredSection], bool]:
    """The required sections a file with ``headings`` (level, text) lacks, and whether it
    has headings in another script (its missing sections may be there, untaught)."""
    below_title = [heading for heading in headings if heading[0] >= 2]
    found, foreign = locate_sections(below_title, required, aliases)
    return [section for section, index in zip(required, found, strict=True) if index < 0], foreign


def find_section(
    headings: Sequence[tuple[int, str]], title: str, rules: Rules, artifact: str
) -> int:
    """The index in ``headings`` of the section ``title`` of ``artifact``, found as the section
    check finds it (by name, a ``features.headings`` alias, or its place in a translated
    file when the template has it); -1 when the file has none."""
    below_title = [index for index, heading in enumerate(headings) if heading[0] >= 2]
    wanted = heading_key(title)
    required = rules.sections.get(artifact, ())
    if any(section.key == wanted for section in required):
        found, _ = locate_sections([headings[i] for i in below_title], required, rules.aliases)
        index = found[[section.key for section in required].index(wanted)]
    else:  # not in the template: no place to find it by, only its names
        keys = [heading_key(headings[i][1]) for i in below_title]
        index = -1
        for name in (wanted, *rules.aliases.get(wanted, ())):
            if index < 0:
                index = _has_key(keys, name)
    return below_title[index] if index >= 0 else -1


def _next_foreign(
    headings: Sequence[tuple[int, str]], foreign: Sequence[bool], start: int, level: int
) -> int:
    for index in range(start, len(headings)):
        heading_level = headings[index][0]
        if heading_level < level:
            return -1
        if heading_level == level and foreign[index]:
            return index
    return -1
