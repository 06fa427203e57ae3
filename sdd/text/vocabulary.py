"""What the placeholder rule (``sdd.text.placeholders``) compares brackets against.

The *vocabulary*: the bracketed tokens templates leave behind (sdd's packaged templates, the
kits' template lines of ``sdd.text.kit_tokens``, a project's overrides), normalised. The
*labels*: brackets a team uses to tag tasks, found in the tag position of a task line or
explained in a legend line, or configured. *Markers*: brackets that are never a token
(checkboxes, footnotes, alerts, identifiers, redactions, data).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache
from typing import NamedTuple

from sdd.base.markdown import MarkdownText

BRACKET = re.compile(r"\[([^\[\]\n]{1,120})\](?![(\[])")
_IDENTIFIER = re.compile(r"[A-Z]{1,4}-?\d+[A-Za-z]?")
_BARE_NUMBER = re.compile(r"\d+[A-Za-z]?")
_LIST_SEPARATOR = re.compile(r"\s*[,/]\s*|\s+")
_REDACTION_MARKER = re.compile(r"REDACTED:[a-z0-9-]+")
_NUMBER_LIST = re.compile(r"-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?)*")
_TRIVIAL_MARKERS = frozenset({" ", "x", "X", "P"})
_TASK_ID = r"(?:\*\*|__)?[A-Z]{1,4}-?\d+[A-Za-z]?(?:\*\*|__)?:?"
# The tags of a task line: the brackets right after its checkbox and task ID.
_TAG_RUN = re.compile(
    r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+(?:"
    + _TASK_ID
    + r"[ \t]+)?|"
    + _TASK_ID
    + r"[ \t]+)((?:\[[^\[\]\n]{1,40}\](?:[ \t]+|$))+)",
    re.MULTILINE,
)
# A legend line explains a bracketed label: ``- **[US1/2/3]**: user story numbers``,
# ``[RED] = failing test``; an explanation in brackets (``**[Entity 1]**: [What it is]``) is a
# template's slot, not a legend.
_LEGEND = re.compile(
    r"^[ \t>]*(?:[-*+][ \t]+)?(?:\*\*|__)?\[([^\[\]\n]{1,40})\](?:\*\*|__)?[ \t]*"
    r"(?::|=|—|–|->|→|-[ \t])[ \t]*(?:\*\*|__)?[^\[\s*_]",
    re.MULTILINE,
)
_INNER = re.compile(r"\[([^\[\]\n]{1,40})\]")


def normal(text: str) -> str:
    """A bracket's text as the vocabulary and label sets compare it."""
    return " ".join(text.split()).casefold()


class Vocabulary(NamedTuple):
    """The tokens templates leave behind and the labels a project declares (normalised)."""

    tokens: frozenset[str]
    labels: frozenset[str] = frozenset()

    def extended(self, templates: Iterable[str], labels: Iterable[str] = ()) -> Vocabulary:
        """This vocabulary with the tokens of more template texts and more labels."""
        tokens = set(self.tokens)
        for text in templates:
            tokens |= template_tokens(text)
        return Vocabulary(frozenset(tokens), self.labels | {normal(label) for label in labels})


def labels_in(text: str) -> set[str]:
    """Labels a document declares: task tags and legend entries (normalised)."""
    found: set[str] = set()
    if "[" not in text:
        return found
    for run in _TAG_RUN.findall(text):
        found.update(normal(inner) for inner in _INNER.findall(run))
    found.update(normal(inner) for inner in _LEGEND.findall(text))
    return found


class Labels:
    """The labels of some texts (``labels_in``) and of ``more``, found on first use: most
    documents hold no bracket that needs them."""

    def __init__(self, *texts: str, more: Container[str] | None = None) -> None:
        self._texts = texts
        self._more = more
        self._found: set[str] | None = None

    def __contains__(self, key: object) -> bool:
        if self._found is None:
            self._found = set()
            for text in self._texts:
                self._found |= labels_in(text)
        return key in self._found or (self._more is not None and key in self._more)


def template_tokens(text: str) -> set[str]:
    """The bracketed tokens of a template (normalised): every bracket outside code that is
    not a label, marker, identifier, link or data."""
    document = MarkdownText(text)
    labels = labels_in(document.prose)
    tokens: set[str] = set()
    for match in BRACKET.finditer(document.prose):
        inner = match.group(1).strip()
        start = match.start()
        if start and document.prose[start - 1] in "]\\":
            continue
        key = normal(inner)
        if key in labels or is_marker(inner) or not any(ch.isalpha() for ch in inner):
            continue
        tokens.add(key)
    return tokens


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The tokens of sdd's packaged templates and of the kits' templates."""
    from sdd.base.packaged import packaged_dir
    from sdd.text.kit_tokens import KIT_TEMPLATE_LINES

    texts = ["\n".join(KIT_TEMPLATE_LINES)]
    texts.extend(
        path.read_text("utf-8", errors="replace")
        for path in sorted(packaged_dir().glob("*.md"))
        if path.is_file()
    )
    return Vocabulary(frozenset()).extended(texts)


def _is_identifier_list(text: str) -> bool:
    parts = [part for part in _LIST_SEPARATOR.split(text) if part]
    if not parts or not _IDENTIFIER.fullmatch(parts[0]):
        return False
    return all(_IDENTIFIER.fullmatch(part) or _BARE_NUMBER.fullmatch(part) for part in parts)


def is_marker(inner: str) -> bool:
    """Checkboxes, footnotes, alerts, identifiers, redactions and data: never a token."""
    stripped = inner.strip()
    return (
        inner in _TRIVIAL_MARKERS
        or not stripped
        or stripped[0] in "^!\"'"
        or _is_identifier_list(stripped)
        or _REDACTION_MARKER.fullmatch(stripped) is not None
        or _NUMBER_LIST.fullmatch(stripped) is not None
    )
