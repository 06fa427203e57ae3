"""Secrets in free text (prompts, responses): detection and redaction by a documented pattern list.

What is detected (``kind`` in brackets):

* provider tokens in their documented formats, listed as data in ``PROVIDER_TOKENS`` (private
  keys, AWS, GitHub, GitLab, Slack and its webhooks, Discord webhooks, Google, Stripe, npm, PyPI,
  Hugging Face, SendGrid, Twilio, Mailgun, DigitalOcean, Shopify, Atlassian, Linear, Databricks,
  New Relic, Doppler, Vault, Pulumi, Sentry, Grafana, OpenAI/Anthropic ``sk-…``, JWTs);
* an AWS secret access key (40 base64 characters) shortly after "aws" or an access key ID
  (``aws-secret-key``);
* credential assignments: a name containing password, passwd, pwd, passphrase, secret, token,
  api_key, access_key, private_key, account_key (Azure ``AccountKey=``), auth_key or ``sig``,
  then ``=`` and a value, ``:`` or ``=`` and a quoted value (a passphrase may hold spaces), or
  a YAML/.env line ``name: value`` (``credential``); only the value is redacted. Names about a
  credential (``token_type``, ``secret_name``) and values that are code (``access_token=
  access_token``, ``password: string;``, ``hashed_password=bcrypt_hash``) or versions are not;
* ``Authorization`` headers (``Bearer``, ``Basic``, ``token`` …) and bare bearer tokens with a
  digit (``authorization``);
* credentials in URLs: ``scheme://user:PASSWORD@host`` (``url-password``) and
  ``https://TOKEN@host`` (``url-token``).

Values that read as placeholders are not secrets: shorter than 6 characters, starting with
``<``, ``{``, ``$``, ``%``, ``[`` or ``*``, references such as ``os.environ[…]`` or
``process.env.X``, or containing words like ``your``, ``example``, ``changeme``, ``secret``,
``password``, ``changethis``, ``xxx``. Redaction replaces the secret with ``[REDACTED:<kind>]``,
a marker that the placeholder rule does not flag (it holds lower-case letters) and that is never
detected again.
"""

import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from sdd.base.patterns import compiled
from sdd.text.secret_formats import PROVIDER_TOKENS as PROVIDER_TOKENS

MARKER = "[REDACTED:{kind}]"


@cache
def _token_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The token formats, compiled on first use (each hook run that scans nothing would pay
    about 10 ms for them at import). Every pattern starts with its literal, and the regex
    engine's own search for that literal is the prefilter: it skips a text without it
    faster than a Python substring test per format does (measured; ADR-0155)."""
    return tuple((kind, re.compile(pattern)) for kind, pattern in PROVIDER_TOKENS)


# The patterns below run behind gates (words a text must hold) or on what a first pattern found,
# so they are kept as text and compiled on first use (``compiled``): a hook run scanning a
# record without credentials would pay about 4 ms to compile them at import (ADR 0172).

# An AWS secret access key has no prefix: 40 base64 characters, standing alone, with upper and
# lower case and digits, and "aws" or an access key ID shortly before it.
_AWS_SECRET = r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
_AWS_CONTEXT = r"(?i)aws|A(?:KIA|SIA)[0-9A-Z]{16}"
# ``Authorization: Bearer …`` / ``Basic …`` / ``token …`` headers, and a bare bearer token.
_AUTH_HEADER = (
    r"(?i)authorization[\"']?[ \t]*[:=][ \t]*[\"']?"
    r"(?:(?:bearer|basic|token|bot|digest|negotiate)[ \t]+)?(?P<v>[A-Za-z0-9._~+/=:-]{8,})"
)
_BEARER = r"(?i)\bbearer[ \t]+(?P<v>[A-Za-z0-9._~+/-]{16,}=*)"
# A YAML or .env line ``password: value`` with an unquoted value.
_KEY_LINE = (
    r"(?im)^[ \t]*(?:-[ \t]*)?(?:export[ \t]+)?[\"']?(?P<name>[A-Za-z0-9_.-]{0,60})[\"']?"
    r"[ \t]*:[ \t]+(?P<v>[^\s#\"'|>&*!{\[][^\s#]{5,})[ \t]*(?:#.*)?$"
)
# ``https://TOKEN@host`` (a token as the URL's user, as GitHub and GitLab accept).
_URL_TOKEN = r"://(?P<v>[A-Za-z0-9_-]{20,})@"
# A credential is a value after ``=`` (quoted or not) or a quoted value after ``:``, whose name
# (just before the operator) holds one of the credential words.
_OPERATOR_VALUE = (
    r"=[ \t]*(?P<q1>[\"']?)(?P<v1>[^\s\"'`,;&]{6,})(?P=q1)"
    r"|[:=][ \t]*(?P<q2>[\"'])(?P<v2>[^\"'`\n]{6,200})(?P=q2)"
)
_CREDENTIAL_WORDS = (
    r"passw(?:or)?d|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"
    r"|account[_-]?key|shared[_-]?access[_-]?key|auth[_-]?key|(?<![A-Za-z])sig(?![A-Za-z])"
)
_CREDENTIAL_NAME = rf"(?i)(?:{_CREDENTIAL_WORDS})[A-Za-z0-9_-]*[\"']?[ \t]*$"
# Names about a credential rather than holding one: ``token_type``, ``secret_name``.
_ABOUT_A_CREDENTIAL = (
    r"(?i)[_-](?:type|name|id|url|uri|path|file|expires?\w*|len(?:gth)?|field|count|audience\w*"
    r"|service\w*|manager|hash(?:er)?|salt|header|prefix|format|kind|version|ttl|lifetime)"
    r"[\"']?[ \t]*$"
)
_VERSION = r"^[\^~<>=v]*\d+(?:\.[\dx*]+)+"
_CREDENTIAL_KEY = rf"(?i)(?:{_CREDENTIAL_WORDS})"
# A keyword argument passed on under its own name (``access_token=access_token``) or any
# snake_case name holding a credential word is code, not a secret.
_IDENTIFIER = r"[a-z_][a-z0-9_]*"
_URL_PASSWORD = r"://[^/\s:@]+:(?P<v>[^/\s:@]{6,})@"
_NOT_A_VALUE = (
    r"^[<{$%\[*]|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$|[()\[\]]|xxx|\*\*\*|\.\.\."
    r"|(?i:your|example|sample|dummy|changeme|changethis|placeholder|redacted|secret|passw|here|same-)"
)
_WORD_CHAR = r"[A-Za-z0-9_]"
_BASE64URL_RUN = r"[A-Za-z0-9_-]*"


class Secret(NamedTuple):
    kind: str
    start: int
    end: int
    line: int  # 1-based line of ``start`` in the scanned text


def _starts_a_word(text: str, start: int) -> bool:
    return start == 0 or not compiled(_WORD_CHAR).match(text, start - 1)


def _is_value(value: str, *, quoted: bool = False) -> bool:
    """Whether ``value`` after a credential name reads as a secret, not code or a placeholder:
    a variable (``access_token=access_token``, ``hashed_password=bcrypt_hash``), a type
    (``password: string;``), a version, or a value that names a credential itself."""
    if (
        compiled(_NOT_A_VALUE).search(value)
        or compiled(_VERSION).match(value)
        or compiled(_CREDENTIAL_KEY).search(value)
    ):
        return False
    if quoted and " " in value:
        return len(value.split()) <= 8  # a passphrase, not a sentence
    if quoted:
        return True
    bare = value.rstrip(",;")
    code = bare != value or "_" in bare or bare in ("string", "str", "number", "bool", "boolean")
    return not (compiled(_IDENTIFIER).fullmatch(bare.lower()) and code)


def _names_a_credential(text: str, start: int, end: int) -> bool:
    return bool(
        compiled(_CREDENTIAL_NAME).search(text, start, end)
        and not compiled(_ABOUT_A_CREDENTIAL).search(text, start, end)
    )


# The gates of the case-blind patterns below: each needs one of these words (``_CREDENTIAL_
# WORDS``) in the text, looked for in a folding of it that keeps every case-blind match: lower
# case, and the non-ASCII letters that Python's case-blind matching equates with ASCII ones
# made ASCII (a test derives that list from ``re`` itself).
_CREDENTIAL_LITERALS = ("passw", "pwd", "passphrase", "secret", "token", "key", "sig")
_AWS_LITERALS = ("aws", "akia", "asia")
_CREDENTIAL_BYTES = tuple(word.encode("ascii") for word in _CREDENTIAL_LITERALS)
_AWS_BYTES = tuple(word.encode("ascii") for word in _AWS_LITERALS)
FOLD_TO_ASCII = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_EQUATED = "[" + "".join(FOLD_TO_ASCII) + "]"
_EQUATED_BYTES = tuple(char.encode("utf-8") for char in FOLD_TO_ASCII)


def _holds_equated(data: bytes) -> bool:
    """Whether UTF-8 ``data`` holds a letter of ``FOLD_TO_ASCII``: its lead byte first (one
    memchr), its whole sequence only then; searching the ``str`` for them took longer than
    the rest of the gates on text with an emoji."""
    return any(sequence[:1] in data and sequence in data for sequence in _EQUATED_BYTES)


def folded(text: str) -> str:
    """``text`` as the literal gates compare it: ``word in folded(text)`` whenever a
    case-blind pattern of ``word`` matches in ``text``. (``str.translate`` would cost more
    than the scan it gates on text with any non-ASCII character.)"""
    if text.isascii() or compiled(_EQUATED).search(text) is None:
        return text.lower()
    return compiled(_EQUATED).sub(lambda match: FOLD_TO_ASCII[match.group()], text).lower()


@cache
def _searches(words: tuple[bytes, ...]) -> tuple[re.Pattern[bytes], ...]:
    """The gate words as patterns: the regex engine finds a short literal in bytes faster
    than ``bytes.__contains__`` does (its skip table gains little on a short needle)."""
    return tuple(re.compile(re.escape(word)) for word in words)


def _holds_any(data: bytes, words: tuple[bytes, ...]) -> bool:
    return any(search.search(data) is not None for search in _searches(words))


def _credentials(text: str, view: "_View") -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    if _holds_any(view.lower, _CREDENTIAL_BYTES):
        lower = folded(text)
        _named_credentials(text, _lines_holding(text, lower, _CREDENTIAL_LITERALS), spans)
    if b"authorization" in view.lower or b"bearer" in view.lower:
        _authorization(text, spans)
    if b"@" in view.data and _holds_any(view.data, (b"://",)):
        _url_credentials(text, spans)
    if _holds_any(view.lower, _AWS_BYTES):
        _aws_secrets(text, spans)
    return spans


class _View:
    """What the gates search: the text's UTF-8 bytes, where substring search runs at memchr
    speed however wide the text's characters are (one emoji makes every character of a
    ``str`` four bytes wide). No character beyond ASCII encodes to an ASCII byte, so an ASCII
    word is in the bytes exactly when it is in the text; ``lower`` folds as ``folded`` does."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "surrogatepass")
        if text.isascii() or not _holds_equated(self.data):
            self.lower = self.data.lower()  # bytes.lower folds ASCII letters only: enough
        else:
            self.lower = folded(text).encode("utf-8", "surrogatepass")


def _lines_holding(text: str, lower: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """The (start, end) of each line of ``text`` where ``lower`` (its folding, of the same
    length) holds one of ``words``, in order."""
    found: set[tuple[int, int]] = set()
    for word in words:
        at = lower.find(word)
        while at >= 0:
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            found.add((text.rfind("\n", 0, at) + 1, end))
            at = lower.find(word, end)
    return sorted(found)


def _named_credentials(
    text: str, lines: list[tuple[int, int]], spans: list[tuple[int, int, str]]
) -> None:
    """A name holding a credential word is on the line of its value (neither pattern crosses a
    line feed), so only the ``lines`` holding such a word are scanned."""
    for start, end in lines:
        for match in compiled(_OPERATOR_VALUE).finditer(text, start, end):
            line_start = text.rfind("\n", max(0, match.start() - 80), match.start()) + 1
            if not _names_a_credential(text, max(line_start, match.start() - 80), match.start()):
                continue
            group = "v1" if match.group("v1") is not None else "v2"
            if _is_value(match.group(group), quoted=group == "v2"):
                spans.append((match.start(group), match.end(group), "credential"))
    for start, end in lines:
        for match in compiled(_KEY_LINE).finditer(text, start, end):
            name = match.group("name")
            if _names_a_credential(name, 0, len(name)) and _is_value(match.group("v")):
                spans.append((match.start("v"), match.end("v"), "credential"))


def _authorization(text: str, spans: list[tuple[int, int, str]]) -> None:
    for pattern, kind in ((_AUTH_HEADER, "authorization"), (_BEARER, "authorization")):
        for match in compiled(pattern).finditer(text):
            value = match.group("v")
            if kind == "authorization" and pattern == _BEARER and not re.search(r"\d", value):
                continue
            if not compiled(_NOT_A_VALUE).search(value):
                spans.append((match.start("v"), match.end("v"), kind))


def _url_credentials(text: str, spans: list[tuple[int, int, str]]) -> None:
    for match in compiled(_URL_PASSWORD).finditer(text):
        if not compiled(_NOT_A_VALUE).search(match.group("v")):
            spans.append((match.start("v"), match.end("v"), "url-password"))
    for match in compiled(_URL_TOKEN).finditer(text):
        if not compiled(_NOT_A_VALUE).search(match.group("v")):
            spans.append((match.start("v"), match.end("v"), "url-token"))


def _aws_secrets(text: str, spans: list[tuple[int, int, str]]) -> None:
    for match in compiled(_AWS_SECRET).finditer(text):
        value = match.group()
        if (
            any(c.isupper() for c in value)
            and any(c.islower() for c in value)
            and any(c.isdigit() for c in value)
            and value.count("/") <= 3
            and compiled(_AWS_CONTEXT).search(text, max(0, match.start() - 300), match.start())
        ):
            spans.append((match.start(), match.end(), "aws-secret-key"))


def _jwt_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer`` finds for JWTs, trying one start per run of base64url
    characters: every start in a run reaches the same run end and the same rest, so when one
    fails the later ones fail too (trying them all took time quadratic in the run)."""
    position = 0
    while (start := text.find("eyJ", position)) >= 0:
        match = pattern.match(text, start)
        if match is not None:
            yield match
            position = match.end()
        else:
            run = compiled(_BASE64URL_RUN).match(text, start)
            position = run.end() if run is not None else start + 3


def find_secrets(text: str) -> list[Secret]:
    """Every secret in ``text``, by position, never overlapping."""
    spans: list[tuple[int, int, str]] = []
    view = _View(text)
    for kind, pattern in _token_patterns():
        if kind == "jwt":
            matches: Iterator[re.Match[str]] = _jwt_matches(pattern, text)
        else:
            # Most texts hold no token: one search says so without building an iterator,
            # which costs more than the search on a short text.
            first = pattern.search(text)
            if first is None:
                continue
            matches = pattern.finditer(text, first.start())
        for match in matches:
            start = match.start()
            if _starts_a_word(text, start):
                spans.append((start, match.end(), kind))
    spans.extend(_credentials(text, view))
    if not spans:
        return []
    found: list[Secret] = []
    last_end = -1
    line, counted = 1, 0  # lines are counted forward from the previous secret: one pass
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < last_end:
            continue
        line += text.count("\n", counted, start)
        counted = start
        found.append(Secret(kind, start, end, line))
        last_end = end
    return found


def redact(text: str) -> tuple[str, list[Secret]]:
    """``text`` with every secret replaced by its marker, and the secrets that were replaced."""
    found = find_secrets(text)
    if not found:
        return text, []
    pieces: list[str] = []
    position = 0
    for secret in found:
        pieces.append(text[position : secret.start])
        pieces.append(MARKER.format(kind=secret.kind))
        position = secret.end
    pieces.append(text[position:])
    return "".join(pieces), found
