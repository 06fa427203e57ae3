"""Markdown of artifacts rendered to HTML that cannot carry script (ADR 0171, after 0140).

cmark-gfm (GitHub's CommonMark parser, through ``cmarkgfm``) renders CommonMark with tables
and strikethrough. It never sees raw HTML: before parsing, every ``<`` that does not open an
autolink (``<https://…>``) or follow a backslash escape is replaced by a placeholder
punctuation mark, and the placeholder is written back as ``&lt;``, so ``<script>`` in an
artifact is text, as it was with markdown-it-py's ``html`` off. cmark-gfm's own safe mode
stays on behind that. A link must be a page anchor, a relative path, or use http, https or
mailto (``javascript:``, ``data:``, ``vbscript:`` … are refused and only the link's text
is shown). Relative links to a feature's own spec.md, plan.md or tasks.md become anchors on
its page; other relative links name a repository file the site does not hold, so they keep
their text and show the path, without an ``href`` that would lead nowhere. Headings get ids
prefixed by the artifact (``spec-user-scenarios``) from their source text, and links to
``#heading`` follow them.

cmark-gfm's HTML is rewritten afterwards with regular expressions, which is sound only
because no markup reaches it from the artifact: every ``<`` in its output opens an element
cmark-gfm wrote, and text inside attributes is escaped.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

from sdd.base import frontmatter

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SLUG_DROP = re.compile(r"[^\w\- ]+")

# ``<`` is punctuation for CommonMark's emphasis rules, so its stand-in must be too; the
# reversed question mark is one cmark-gfm knows. The artifact's own reversed question marks
# travel as a noncharacter (Unicode reserves those for such internal use), and the artifact's
# own noncharacter of that kind becomes the replacement character.
_LESS_THAN = "\u2e2e"
_OWN_LESS_THAN = "\ufdd0"
_ENCODED = {  # the stand-ins as cmark-gfm percent-encodes them in a URL
    "%E2%B8%AE": "%3C",
    "%EF%B7%90": "%E2%B8%AE",
}
# CommonMark autolinks (spec 6.5): the only ``<`` cmark-gfm may see, since it reads them as
# links and never as HTML (an HTML tag name holds no ``:`` or ``@``).
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\x00-\x20<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*)>"
)
_LESS_THAN_RUN = re.compile(r"(\\*)<")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEADING = re.compile(r'<h([1-6]) data-sourcepos="(\d+):(\d+)-(\d+):(\d+)">')
_SOURCEPOS = re.compile(r' data-sourcepos="[^"]*"')
_LINK = re.compile(r'<a href="([^"]*)"( title="[^"]*")?>(.*?)</a>', re.DOTALL)
_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"(?: title="[^"]*")? />')
_EXTENSIONS = ["table", "strikethrough", "tasklist"]
# cmark-gfm's task list items; the class lets the stylesheet drop the bullet and mark a done
# task by more than the tick (the checkbox's state is what a screen reader announces).
_TASK_ITEMS = {
    '<li><input type="checkbox" checked="" disabled="" />': (
        '<li class="task done"><input type="checkbox" checked="" disabled="" />'
    ),
    '<li><input type="checkbox" disabled="" />': (
        '<li class="task open"><input type="checkbox" disabled="" />'
    ),
}


def heading_slug(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


def _link_allowed(url: str) -> bool:
    scheme = urlsplit(url.strip()).scheme.lower() if ":" in url else ""
    return not scheme or scheme in ALLOWED_SCHEMES


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _without_raw_html(text: str) -> str:
    """``text`` with every ``<`` that could open raw HTML replaced by the placeholder. A
    ``<`` after an odd number of backslashes is escaped (text, or literal inside code),
    and one that opens an autolink is read as a link."""
    text = text.replace(_OWN_LESS_THAN, "\ufffd").replace(_LESS_THAN, _OWN_LESS_THAN)

    def replace(match: re.Match[str]) -> str:
        backslashes = match.group(1)
        if len(backslashes) % 2 or _AUTOLINK.match(text, match.end() - 1):
            return match.group(0)
        return backslashes + _LESS_THAN

    return _LESS_THAN_RUN.sub(replace, text) if "<" in text else text


def _options() -> int:
    from cmarkgfm.cmark import Options

    return int(
        Options.CMARK_OPT_SOURCEPOS
        | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
        | Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
    )


def prepare_parser() -> None:
    """Load cmark-gfm now, so that forked workers share it."""
    from cmarkgfm import cmark

    cmark.core_extensions_ensure_registered()


def _heading_text(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    """A heading's source text from cmark-gfm's source position (lines and byte columns from
    1): an ATX heading is one line, its span ending before any closing ``#``; a setext
    heading is its lines above the underline."""
    (first_line, first_column), (last_line, last_column) = start, end
    first = lines[first_line - 1].encode("utf-8")
    if first_line == last_line:
        raw = first[first_column - 1 : last_column].decode("utf-8", "replace")
        return raw.lstrip(" \t").lstrip("#").strip(" \t")
    stop = last_line if last_column else last_line - 1
    content = [first[first_column - 1 :].decode("utf-8", "replace"), *lines[first_line:stop]]
    while content and not content[-1].strip():
        content.pop()
    return "\n".join(line.lstrip(" \t>").strip() for line in content[:-1]).strip()


def _with_heading_ids(html: str, source: str, prefix: str) -> str:
    if "<h" not in html:
        return html
    lines = _LINE_BREAK.split(source) if "\r" in source else source.split("\n")
    seen: dict[str, int] = {}

    def identify(match: re.Match[str]) -> str:
        level, *position = match.groups()
        first_line, first_column, last_line, last_column = map(int, position)
        text = _heading_text(lines, (first_line, first_column), (last_line, last_column))
        slug = heading_slug(text.replace(_LESS_THAN, "<").replace(_OWN_LESS_THAN, _LESS_THAN))
        slug = slug or "section"
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        return f'<h{level} id="{prefix}-{slug}' + (f"-{count}" if count else "") + '">'

    return _HEADING.sub(identify, html)


def _link_target(href: str, prefix: str, artifacts: dict[str, str]) -> str | None:
    """Where a link on the page leads; None when it leads nowhere on the site (a
    repository path)."""
    parts = urlsplit(href)
    if parts.scheme:
        return href
    if not parts.path:
        return f"#{prefix}-{parts.fragment}" if parts.fragment else "#"
    target = parts.path.rsplit("/", 1)[-1]
    if target in artifacts and "/" not in parts.path.strip("./"):
        return f"#{artifacts[target]}"
    return None


def _with_links(html: str, prefix: str, artifacts: dict[str, str]) -> str:
    def rewrite(match: re.Match[str]) -> str:
        written, title, inner = match.groups()
        href = unescape(written)
        if not href or not _link_allowed(href):  # cmark-gfm empties a dangerous URL
            return inner
        target = _link_target(href, prefix, artifacts)
        if target == href:
            return match.group(0)
        if target is None:
            return f'<a class="repo-path" title="{_escape(href)}">{inner}</a>'
        return f'<a href="{_escape(target)}"{title or ""}>{inner}</a>'

    def refuse_image(match: re.Match[str]) -> str:
        source, alt = match.groups()
        return match.group(0) if source and _link_allowed(unescape(source)) else alt

    if "<img " in html:
        html = _IMAGE.sub(refuse_image, html)
    return _LINK.sub(rewrite, html) if "<a " in html else html


def _render(source: str) -> str:
    from cmarkgfm import cmark

    return str(cmark.markdown_to_html_with_extensions(source, _options(), _EXTENSIONS))


def _without_front_matter(text: str) -> tuple[str, str]:
    """The YAML front matter of ``text`` (``sdd.base.frontmatter``'s grammar; empty when
    there is none or it never closes) and the text with its lines left blank: the body keeps
    its line numbers, and the header is never read as Markdown (spec-kit's tasks template
    opens with ``description:`` and ``---``, a setext heading to a Markdown parser)."""
    document = frontmatter.split(text)
    if not document.closed:
        return "", text
    head = text[: len(text) - len(document.body)]
    return document.header, "\n" * len(_LINE_BREAK.findall(head)) + document.body


def _front_matter_html(header: str) -> str:
    if not header.strip():
        return ""
    return (
        '<details class="front-matter"><summary>Front matter</summary>'
        f"<pre><code>{_escape(header.rstrip())}</code></pre></details>\n"
    )


def render_markdown(text: str, prefix: str, artifacts: dict[str, str] | None = None) -> str:
    """``text`` as HTML; ``prefix`` namespaces heading ids; ``artifacts`` maps sibling file
    names (``plan.md``) to the anchor of their section on the same page. Front matter is
    shown as it is written, folded, before the document."""
    header, body = _without_front_matter(text)
    source = _without_raw_html(body)
    html = _with_heading_ids(_render(source), source, prefix)
    html = _SOURCEPOS.sub("", html)
    if "<input " in html:
        for item, marked in _TASK_ITEMS.items():
            html = html.replace(item, marked)
    if _LESS_THAN in html or _OWN_LESS_THAN in html:
        html = html.replace(_LESS_THAN, "&lt;").replace(_OWN_LESS_THAN, _LESS_THAN)
    if "%" in html:
        for encoded, meant in _ENCODED.items():
            html = html.replace(encoded, meant)
    return _front_matter_html(header) + _with_links(html, prefix, artifacts or {})
