"""YAML front matter: split a Markdown document, parse its header safely, write one back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdd.base import yamlio

DELIMITER = "---"


@dataclass(frozen=True)
class Document:
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
    start = 1 if text.startswith("\ufeff") else 0
    lines = text[start:].splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != DELIMITER:
        return Document(False, False, "", 0, text[start:], 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in (DELIMITER, "..."):
            header = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return Document(True, True, header, 2, body, index + 2)
    return Document(True, False, "".join(lines[1:]), 2, "", len(lines) + 1)


def parse_header(document: Document, source: Path | str) -> Any:
    """The parsed header (``None`` when empty); ``ParseError`` with the file's line on bad YAML."""
    if not document.has_front_matter or not document.header.strip():
        return None
    return yamlio.load(document.header, source, line_offset=document.header_line - 1)


def key_lines(document: Document, source: Path | str) -> dict[str, int]:
    """File line of each top-level key of the header, for precise diagnostics."""
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
    return f"{DELIMITER}\n{yamlio.dump(data)}{DELIMITER}\n{body}"
