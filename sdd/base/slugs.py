"""Slugs for file and folder names: lower-case ASCII, never empty, never a path character.

Accents are transliterated (``Ünïcödé`` → ``unicode``) and other scripts romanised by
``anyascii``; a title with nothing left (only symbols) gets a stable hash-based slug.
"""

from __future__ import annotations

import re

MAX_SLUG_LENGTH = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _ascii(text: str) -> str:
    if text.isascii():  # NFC leaves ASCII as it is; anyascii's import alone costs a hook ~10 ms
        return text
    import unicodedata

    from anyascii import anyascii

    return str(anyascii(unicodedata.normalize("NFC", text)))


def slugify(title: str, *, max_length: int = MAX_SLUG_LENGTH, max_words: int | None = None) -> str:
    """A deterministic, non-empty slug of at most ``max_length`` characters."""
    words = [w for w in _NOT_SLUG.split(_ascii(title).lower()) if w]
    if max_words is not None:
        words = words[:max_words]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            if not slug:
                slug = word[:max_length]
            break
        slug = candidate
    if slug:
        return slug
    import hashlib

    digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"untitled-{digest}"


def has_slug_text(title: str) -> bool:
    """Whether ``title`` holds letters or digits for a slug (else ``slugify`` uses a hash)."""
    return any(word for word in _NOT_SLUG.split(_ascii(title).lower()))
