"""Markdown of artifacts rendered to HTML that cannot carry script (ADR 0140).

markdown-it-py renders CommonMark with tables and strikethrough. Raw HTML is off, so
``<script>`` in an artifact is text; a link must be a page anchor, a relative path, or use
http, https or mailto (``javascript:``, ``data:``, ``vbscript:`` … are refused and shown
as text). Relative links to a feature's own spec.md, plan.md or tasks.md become anchors on
its page; other relative links name a repository file the site does not hold, so they keep
their text and show the path, without an ``href`` that would lead nowhere. Headings get ids
prefixed by the artifact (``spec-user-scenarios``), and links to ``#heading`` follow them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SLUG_DROP = re.compile(r"[^\w\- ]+")


def heading_slug(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


def _link_allowed(url: str) -> bool:
    scheme = urlsplit(url.strip()).scheme.lower() if ":" in url else ""
    return not scheme or scheme in ALLOWED_SCHEMES


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    # With html off these rules only ever decline; skipping them changes no output (tested).
    parser.disable(["html_block", "html_inline"])
    parser.validateLink = _link_allowed  # type: ignore[method-assign]
    return parser


def prepare_parser() -> None:
    _parser()


def _rewrite(tokens: list[Any], prefix: str, artifacts: dict[str, str]) -> None:
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            slug = heading_slug(tokens[index + 1].content) or "section"
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            token.attrSet("id", f"{prefix}-{slug}" + (f"-{count}" if count else ""))
        if token.children:
            _rewrite_links(token.children, prefix, artifacts)


def _rewrite_links(children: list[Any], prefix: str, artifacts: dict[str, str]) -> None:
    for token in children:
        if token.type != "link_open":
            continue
        href = str(token.attrGet("href") or "")
        parts = urlsplit(href)
        if parts.scheme:
            continue
        if not parts.path:
            token.attrSet("href", f"#{prefix}-{parts.fragment}" if parts.fragment else "#")
            continue
        target = parts.path.rsplit("/", 1)[-1]
        if target in artifacts and "/" not in parts.path.strip("./"):
            token.attrSet("href", f"#{artifacts[target]}")
            continue
        token.attrs.pop("href", None)
        token.attrSet("class", "repo-path")
        token.attrSet("title", href)


def render_markdown(text: str, prefix: str, artifacts: dict[str, str] | None = None) -> str:
    """``text`` as HTML; ``prefix`` namespaces heading ids; ``artifacts`` maps sibling file
    names (``plan.md``) to the anchor of their section on the same page."""
    parser = _parser()
    tokens = parser.parse(text)
    _rewrite(tokens, prefix, artifacts or {})
    return str(parser.renderer.render(tokens, parser.options, {}))
