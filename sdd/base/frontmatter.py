"""YAML front matter: split a Markdown document, parse its header safely, write one back.

The one grammar every reader uses (ADRs, PHRs, status): the document starts with a ``---``
line (after an optional byte order mark, blanks allowed after it); the header ends at the next
line that is ``---`` or ``...``. Readers that must cope with a header that never closes (PHRs)
search for ``CLOSING_LINE`` after ``opening_end`` themselves.

A header in the plain subset ``yamlsubset`` reads is parsed without importing PyYAML (most
headers; ADR-0150); any other goes to ``yamlio``, which reads it the same way or names the line
it cannot read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from sdd.base import yamlsubset

DELIMITER = "---"
CLOSINGS = (DELIMITER, "...")
# A closing line, searched for from the line feed that ends the opening line.
CLOSING_LINE = re.compile(r"\n(?:---|\.\.\.)[ \t\r]*(?=\n|$)")
BOM = "\ufeff"


def content_start(text: str) -> int:
    """Where the document starts: past a byte order mark."""
    return 1 if text.startswith(BOM) else 0


def opening_end(text: str) -> int | None:
    """Where the opening ``---`` line ends (its line feed, or the end of the text), or None
    when the document has no front matter."""
    start = content_start(text)
    end = text.find("\n", start)
    first = text[start:] if end < 0 else text[start:end]
    if first.rstrip() != DELIMITER:
        return None
    return len(text) if end < 0 else end


def is_closing(line: str) -> bool:
    """Whether a line (with or without its line ending) closes the front matter."""
    return line.rstrip("\r\n").rstrip() in CLOSINGS


class Document(NamedTuple):
    """A Markdown file cut into its front matter and body.

    ``has_front_matter``: the file starts with ``---``; ``closed``: a closing ``---`` was
    found. Line numbers are 1-based lines of the original file.
    """

    has_front_matter: bool
    closed: bool
    header: str
    header_line: int
    body: str
    body_line: int


def split(text: str) -> Document:
    start = content_start(text)
    if opening_end(text) is None:
        return Document(False, False, "", 0, text[start:], 1)
    lines = text[start:].splitlines(keepends=True)
    for index in range(1, len(lines)):
        if is_closing(lines[index]):
            header = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return Document(True, True, header, 2, body, index + 2)
    return Document(True, False, "".join(lines[1:]), 2, "", len(lines) + 1)


def _plain(header: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    return yamlsubset.load_typed(header) if len(header) <= yamlsubset.MAX_YAML_BYTES else None


def parse_header(document: Document, source: Path | str) -> Any:
    """The parsed header (``None`` when empty); ``ParseError`` with the file's line on bad YAML."""
    if not document.has_front_matter or not document.header.strip():
        return None
    plain = _plain(document.header)
    if plain is not None:
        return plain[0]
    from sdd.base import yamlio

    return yamlio.load(document.header, source, line_offset=document.header_line - 1)


def key_lines(document: Document, source: Path | str) -> dict[str, int]:
    """File line of each top-level key of the header, for precise diagnostics."""
    plain = _plain(document.header)
    if plain is not None:
        return {key: line + document.header_line for key, line in plain[1].items()}
    from sdd.base import yamlio

    tree = yamlio.compose(document.header, source, line_offset=document.header_line - 1)
    lines: dict[str, int] = {}
    if tree is not None and hasattr(tree, "value") and isinstance(tree.value, list):
        for item in tree.value:
            if isinstance(item, tuple):
                key_node = item[0]
                lines[str(key_node.value)] = key_node.start_mark.line + document.header_line
    return lines


def render(data: dict[str, Any], body: str) -> str:
    """A document with ``data`` as front matter (values quoted as YAML needs) and ``body``."""
    from sdd.base import yamlio

    return f"{DELIMITER}\n{yamlio.dump(data)}{DELIMITER}\n{body}"
