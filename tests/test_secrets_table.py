"""Secrets in PHRs, table-driven: every provider format and generic shape is redacted in every
field sdd writes (the file name included); real records of other teams are the negatives.

Tokens are assembled from pieces so that no scanner mistakes this file for a leak.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sdd.text.secrets import PROVIDER_TOKENS, find_secrets, redact

A40 = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD"
HEX32 = "0123456789abcdef" * 2
HEX64 = HEX32 * 2

# (what, text, the secret in it)
POSITIVES: list[tuple[str, str, str]] = [
    ("aws access key id", "key AKIA" + "IOSFODNN7EXAMPLZ", "AKIA" + "IOSFODNN7EXAMPLZ"),
    (
        "aws secret key, no name",
        "aws creds: wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "QQQQKEY123",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "QQQQKEY123",
    ),
    ("github token", "ghp_" + A40[:36], "ghp_" + A40[:36]),
    (
        "github fine-grained",
        "github_pat_" + "11ABCDEFG0" + A40[:30],
        "github_pat_11ABCDEFG0" + A40[:30],
    ),
    ("gitlab token", "glpat-" + "xYz12AbC34dEf56GhI78", "glpat-xYz12AbC34dEf56GhI78"),
    ("slack token", "xoxb-" + "123456789012-abcdefABCDEF", "xoxb-123456789012-abcdefABCDEF"),
    (
        "slack webhook",
        "post to https://hooks.slack.com/services/" + "T0000/B0000/XXXXabcd1234XXXX",
        "https://hooks.slack.com/services/T0000/B0000/XXXXabcd1234XXXX",
    ),
    (
        "discord webhook",
        "https://discord.com/api/webhooks/" + "123456/abcdefghijABCDEFGHIJ12",
        "https://discord.com/api/webhooks/123456/abcdefghijABCDEFGHIJ12",
    ),
    ("google api key", "AIza" + "SyA" + "1" * 32, "AIzaSyA" + "1" * 32),
    ("google oauth secret", "GOCSPX-" + "a" * 28, "GOCSPX-" + "a" * 28),
    (
        "stripe live",
        "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    ),
    (
        "stripe test",
        "sk_" + "test_" + "4eC39HqLyjWDarjtT1zdp7dc",
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    ),
    (
        "stripe restricted",
        "rk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc",
        "rk_live_4eC39HqLyjWDarjtT1zdp7dc",
    ),
    ("stripe webhook", "whsec_" + "a1B2c3D4e5F6g7H8i9J0k1L2", "whsec_a1B2c3D4e5F6g7H8i9J0k1L2"),
    ("npm token", "//registry.npmjs.org/:_authToken=npm_" + A40[:36], "npm_" + A40[:36]),
    ("pypi token", "pypi-AgE" + "IcHlwaS5vcmc" + "A" * 50, "pypi-AgEIcHlwaS5vcmc" + "A" * 50),
    (
        "hugging face",
        "HF hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
        "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
    ),
    (
        "sendgrid",
        "SG." + "ngeVfQFYQlKU0ufo8x5d1A" + "." + "TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr",
        "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",
    ),
    ("twilio", "SK" + HEX32, "SK" + HEX32),
    ("mailgun", "key-" + HEX32, "key-" + HEX32),
    ("digitalocean", "dop_v1_" + HEX64, "dop_v1_" + HEX64),
    ("shopify", "shpat_" + HEX32, "shpat_" + HEX32),
    ("databricks", "dapi" + HEX32, "dapi" + HEX32),
    ("vault", "hvs." + "CAESIJ" + "a" * 24, "hvs.CAESIJ" + "a" * 24),
    ("openai", "sk-" + "proj-" + A40, "sk-proj-" + A40),
    ("anthropic", "sk-" + "ant-api03-" + A40, "sk-ant-api03-" + A40),
    (
        "jwt",
        "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0In0" + ".abcdefghijkl",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijkl",
    ),
    (
        "pem key",
        "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
        "MIIE",
    ),
    (
        "azure account key",
        "DefaultEndpointsProtocol=https;AccountName=x;AccountKey="
        + "Zm9vYmFyYmF6cXV4"
        + "==;EndpointSuffix=core",
        "Zm9vYmFyYmF6cXV4==",
    ),
    ("yaml password", "db:\n  password: " + "Tr0ub4dor3x\n", "Tr0ub4dor3x"),
    ("env password", "DB_PASSWORD=" + "Tr0ub4dor3x\n", "Tr0ub4dor3x"),
    (
        "quoted passphrase",
        'password = "' + 'correct horse battery staple"',
        "correct horse battery staple",
    ),
    ("bearer header", "Authorization: Bearer " + "abc123DEF456ghi789", "abc123DEF456ghi789"),
    (
        "basic header",
        "curl -H 'Authorization: Basic " + "dXNlcjpwYXNzd29yZA=='",
        "dXNlcjpwYXNzd29yZA==",
    ),
    ("url password", "postgres://admin:" + "s3cr3tPa55@db:5432/app", "s3cr3tPa55"),
    (
        "url token",
        "https://" + "ghx" + "9AbCdEfGhIjKlMnOpQrSt@github.com/o/r.git",
        "ghx9AbCdEfGhIjKlMnOpQrSt",
    ),
    ("age key", "AGE-SECRET-KEY-1" + "Q" * 58, "AGE-SECRET-KEY-1" + "Q" * 58),
    ("slack app token", "xapp-" + "1-A0123456789-abcdef", "xapp-1-A0123456789-abcdef"),
    ("google access token", "ya29." + "a0AfH6SMC" + "x" * 20, "ya29.a0AfH6SMC" + "x" * 20),
    ("atlassian", "ATATT3" + "xFfGF0" + "a" * 50, "ATATT3xFfGF0" + "a" * 50),
    ("linear", "lin_api_" + A40, "lin_api_" + A40),
    ("new relic", "NRAK-" + "A1B2C3D4E5" * 2 + "F6G7H8I", "NRAK-" + "A1B2C3D4E5" * 2 + "F6G7H8I"),
    ("doppler", "dp.pt." + A40 + "xyz", "dp.pt." + A40 + "xyz"),
    ("pulumi", "pul-" + HEX32 + "01234567", "pul-" + HEX32 + "01234567"),
    ("sentry", "sntrys_" + "eyJpYXQiOjE2" + "a" * 40, "sntrys_eyJpYXQiOjE2" + "a" * 40),
    ("grafana", "glsa_" + A40[:32] + "_" + "0a1b2c3d", "glsa_" + A40[:32] + "_0a1b2c3d"),
    ("query api key", "GET /v1?api_key=" + "Zx81kLmQ2wEr7TyU&x=1", "Zx81kLmQ2wEr7TyU"),
]

NEGATIVES: list[tuple[str, str]] = [
    ("keyword argument", "client = Client(access_token=access_token, timeout=5)"),
    ("variable", "user = User(hashed_password=bcrypt_hash)"),
    ("type annotation", "interface Login {\n  password: string;\n}"),
    ("name about a token", 'decode(token, token_type="access")'),
    ("version pin", '"js-tokens": "^4.0.0",'),
    ("environment reference", "password = os.environ['DB_PASSWORD']"),
    ("placeholder", "API_KEY=<your-api-key>"),
    ("git sha", "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it"),
    ("prose", "The token expires after an hour; the secret is rotated daily."),
    ("bearer word", "use a Bearer token in the header"),
    ("signal", '"signal-exit": "^3.0.7"'),
]


@pytest.mark.parametrize(("what", "text", "secret"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_every_documented_format_is_redacted(what: str, text: str, secret: str) -> None:
    redacted, found = redact(text)
    assert found, what
    assert secret not in redacted, (what, redacted)
    assert "[REDACTED:" in redacted


@pytest.mark.parametrize(("what", "text"), NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_code_and_placeholders_are_not_secrets(what: str, text: str) -> None:
    assert find_secrets(text) == [], what


def test_every_provider_pattern_has_a_positive_case() -> None:
    import re

    texts = "\n".join(text for _, text, _ in POSITIVES)
    for kind, pattern in PROVIDER_TOKENS:
        assert re.search(pattern, texts), f"no test case for {kind}: {pattern}"


def test_every_provider_pattern_starts_with_a_literal() -> None:
    # The regex engine skips to a leading literal fast, and reads a text character by
    # character for a leading class or group.
    for kind, pattern in PROVIDER_TOKENS:
        assert pattern[0] not in "[(\\.", f"{kind}: {pattern}"


def test_the_real_records_of_other_teams_hold_no_false_positives(corpus: Path) -> None:
    records = sorted((corpus / "phr").rglob("*.md"))
    assert records
    flagged = [(p.name, s.kind) for p in records for s in find_secrets(p.read_text("utf-8"))]
    assert flagged == []


SECRET_IN_TITLE = "rotate " + "AKIA" + "IOSFODNN7EXAMPLZ"


def test_secrets_in_the_title_and_labels_never_reach_the_file_or_its_name(
    project: Path, sdd
) -> None:  # type: ignore[no-untyped-def]
    token = "ghp_" + A40[:36]
    result = sdd(
        "phr",
        "new",
        "--stage",
        "general",
        "--title",
        SECRET_IN_TITLE,
        "--label",
        token,
        "--prompt",
        'password = "correct horse battery staple"',
    )
    assert result.exit_code == 0, result.output
    written = [p for p in (project / "history/prompts").rglob("*.md")]
    assert len(written) == 1
    record = written[0]
    assert "akia" not in record.name.lower() and "AKIA" not in record.name
    text = record.read_text("utf-8")
    for secret in ("AKIA" + "IOSFODNN7EXAMPLZ", token, "correct horse battery staple"):
        assert secret not in text
