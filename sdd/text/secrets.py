"""Secrets in free text (prompts, responses): detection and redaction by a documented pattern list.

What is detected (``kind`` in brackets):

* private keys: a PEM ``-----BEGIN … PRIVATE KEY-----`` block, up to its END line (``private-key``);
* cloud and VCS tokens: AWS access key IDs ``AKIA…``/``ASIA…`` (``aws-access-key``), GitHub tokens
  ``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_``/``github_pat_`` (``github-token``), GitLab
  ``glpat-`` (``gitlab-token``), Slack ``xox?-`` (``slack-token``), Google ``AIza…``
  (``google-api-key``), Stripe ``sk_live_``/``rk_live_`` (``stripe-key``), OpenAI/Anthropic style
  ``sk-…`` keys (``api-key``);
* JSON Web Tokens: three base64url parts whose first two start ``eyJ`` (``jwt``);
* credential assignments: a name containing password, passwd, pwd, secret, token, api_key,
  access_key, client_secret or private_key, then ``=`` and a value, or ``:`` and a quoted value
  (``credential``); only the value is redacted;
* credentials in URLs: ``scheme://user:PASSWORD@host`` (``url-password``); only the password.

Values that read as placeholders are not secrets: shorter than 6 characters, starting with
``<``, ``{``, ``$``, ``%``, ``[`` or ``*``, references such as ``os.environ[…]`` or
``process.env.X``, or containing words like ``your``, ``example``, ``changeme``, ``secret``,
``password``, ``xxx``. Redaction replaces the secret with ``[REDACTED:<kind>]``, a marker that
the placeholder rule does not flag (it holds lower-case letters) and that is never detected again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MARKER = "[REDACTED:{kind}]"

# Every pattern starts with a literal, so that the regex engine can skip ahead at memchr speed.
_TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "private-key",
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            r"[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)"
        ),
    ),
    ("aws-access-key", re.compile(r"A(?:KIA|SIA|BIA|CCA)[0-9A-Z]{16}(?![0-9A-Za-z])")),
    ("github-token", re.compile(r"gh[pousr]_[A-Za-z0-9]{36,255}")),
    ("github-token", re.compile(r"github_pat_\w{22,255}")),
    ("gitlab-token", re.compile(r"glpat-[A-Za-z0-9_-]{20,}")),
    ("slack-token", re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,}")),
    ("google-api-key", re.compile(r"AIza[0-9A-Za-z_-]{35}")),
    ("stripe-key", re.compile(r"k_live_[0-9a-zA-Z]{16,}")),
    ("api-key", re.compile(r"sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}")),
    ("jwt", re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
)
# A credential is a value after ``=`` (quoted or not) or a quoted value after ``:``, whose name
# (just before the operator) holds one of the credential words.
_OPERATOR_VALUE = re.compile(
    r"=[ \t]*(?P<q1>[\"']?)(?P<v1>[^\s\"'`,;]{6,})(?P=q1)"
    r"|:[ \t]*(?P<q2>[\"'])(?P<v2>[^\s\"'`]{6,})(?P=q2)"
)
_CREDENTIAL_NAME = re.compile(
    r"(?i)(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)"
    r"[A-Za-z0-9_-]*[\"']?[ \t]*$"
)
_URL_PASSWORD = re.compile(r"://[^/\s:@]+:(?P<v>[^/\s:@]{6,})@")
_NOT_A_VALUE = re.compile(
    r"^[<{$%\[*]|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$|[()\[\]]|xxx|\*\*\*|\.\.\."
    r"|(?i:your|example|sample|dummy|changeme|placeholder|redacted|secret|passw|here|same-)"
)
_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
_BASE64URL_RUN = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Secret:
    kind: str
    start: int
    end: int
    line: int  # 1-based line of ``start`` in the scanned text


def _starts_a_word(text: str, start: int) -> bool:
    return start == 0 or not _WORD_CHAR.match(text, start - 1)


def _credentials(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _OPERATOR_VALUE.finditer(text):
        line_start = text.rfind("\n", max(0, match.start() - 80), match.start()) + 1
        if not _CREDENTIAL_NAME.search(text, max(line_start, match.start() - 80), match.start()):
            continue
        group = "v1" if match.group("v1") is not None else "v2"
        if not _NOT_A_VALUE.search(match.group(group)):
            spans.append((match.start(group), match.end(group), "credential"))
    for match in _URL_PASSWORD.finditer(text):
        if not _NOT_A_VALUE.search(match.group("v")):
            spans.append((match.start("v"), match.end("v"), "url-password"))
    return spans


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
            run = _BASE64URL_RUN.match(text, start)
            position = run.end() if run is not None else start + 3


def find_secrets(text: str) -> list[Secret]:
    """Every secret in ``text``, by position, never overlapping."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in _TOKEN_PATTERNS:
        matches = _jwt_matches(pattern, text) if kind == "jwt" else pattern.finditer(text)
        for match in matches:
            start = match.start()
            if kind == "stripe-key":
                start -= 1
                if start < 0 or text[start] not in "rs":
                    continue
            if _starts_a_word(text, start):
                spans.append((start, match.end(), kind))
    spans.extend(_credentials(text))
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
