"""The literal gates of the secret scan's credential patterns (``sdd.text.secrets``) never hide a
secret: every string a gated pattern matches holds one of the words its gate looks for."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.text import secrets
from sdd.text.secrets import FOLD_TO_ASCII, find_secrets, folded

_LOOKAROUND = re.compile(r"\(\?<?[!=][^()]*\)")


def _matches(pattern: str, flags: int = 0) -> st.SearchStrategy[str]:
    """Strings the pattern matches in full (lookarounds dropped: they only narrow it)."""
    return st.from_regex(re.compile(_LOOKAROUND.sub("", pattern), flags), fullmatch=True)


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (secrets._CREDENTIAL_WORDS, secrets._CREDENTIAL_LITERALS),
        (r"authorization", ("authorization",)),
        (r"bearer", ("bearer",)),
        (r"aws|A(?:KIA|SIA)", secrets._AWS_LITERALS),
    ],
)
@settings(max_examples=200)
@given(data=st.data())
def test_a_case_blind_match_holds_a_gate_literal_once_folded(
    pattern: str, literals: tuple[str, ...], data: st.DataObject
) -> None:
    match = data.draw(_matches(pattern, re.IGNORECASE))
    assert any(literal in folded(match) for literal in literals), (pattern, match)
    # The gates search the UTF-8 bytes, also beside characters beyond ASCII.
    for text in (match, f"\U0001f9ea {match} \u00e9"):
        lower = secrets._View(text).lower
        assert any(literal.encode() in lower for literal in literals), (pattern, text)


def test_the_folding_covers_every_letter_re_equates_with_ascii() -> None:
    letter = re.compile("(?i)[a-z]")
    equated = {
        chr(code) for code in range(128, 0x110000) if letter.fullmatch(chr(code)) is not None
    }
    assert equated == set(FOLD_TO_ASCII)
    for char, ascii_letter in FOLD_TO_ASCII.items():
        assert re.fullmatch(f"(?i){ascii_letter}", char)


@pytest.mark.parametrize(
    "text",
    [
        "db_pa\u017f\u017fword = 'hunter2hunter2'",  # long s: re reads it as "s"
        "API_\u212aEY=Zm9vYmFyYmF6cXV4",  # Kelvin sign: re reads it as "k"
        "AUTHOR\u0130ZATION: Bearer abcdef0123456789xyz",
        "curl https://user:s3cr3tpass@example.com/",
        "AWS key wJalrXUtnFEMI/K7MDENG/bPxRfiCYQQQQKEY123",
    ],
)
def test_secrets_behind_each_gate_are_still_found(text: str) -> None:
    assert find_secrets(text), text


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("aAkKsSiI\u017f\u212a\u0130\u0131 =:'\"_-/@.0123456789")))
def test_folding_keeps_every_credential_word(text: str) -> None:
    if re.search(f"(?i){secrets._CREDENTIAL_WORDS}", text):
        assert any(word in folded(text) for word in secrets._CREDENTIAL_LITERALS)


def _whole_text_scan(text: str) -> list[tuple[int, int, str]]:
    """What the credential scan found before it was restricted to lines holding a word."""
    spans: list[tuple[int, int, str]] = []
    secrets._named_credentials(text, [(0, len(text))], spans)
    return sorted(spans)


_PIECES = st.sampled_from(
    [
        "password",
        "api_key",
        "TOKEN",
        "sig",
        "pa\u017f\u017fwd",
        "secret_name",
        "x",
        " ",
        "\t",
        "\n",
        "=",
        ": ",
        "'",
        '"',
        "hunter2hunter2",
        "s3cr3t-v4lue",
        "export ",
        "- ",
        "# c",
        "->",
    ]
)


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_scanning_only_lines_with_a_credential_word_finds_the_same(text: str) -> None:
    lower = folded(text)
    lines = secrets._lines_holding(text, lower, secrets._CREDENTIAL_LITERALS)
    restricted: list[tuple[int, int, str]] = []
    if lines:
        secrets._named_credentials(text, lines, restricted)
    assert sorted(restricted) == _whole_text_scan(text)
