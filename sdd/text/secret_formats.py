"""The secret formats ``sdd.text.secrets`` detects by their documented shape, as data."""

from __future__ import annotations

# The documented token formats of the major providers, as data: (kind, pattern). Every pattern
# starts with a literal, so that the regex engine can skip ahead at memchr speed; a match must
# start a word (checked in ``find_secrets``).
PROVIDER_TOKENS: tuple[tuple[str, str], ...] = (
    (
        "private-key",
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
        r"[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    ),
    ("private-key", r"AGE-SECRET-KEY-1[0-9A-Z]{58}"),
    ("aws-access-key", r"A(?:KIA|SIA|BIA|CCA)[0-9A-Z]{16}(?![0-9A-Za-z])"),
    ("github-token", r"gh[pousr]_[A-Za-z0-9]{36,255}"),
    ("github-token", r"github_pat_\w{22,255}"),
    ("gitlab-token", r"gl(?:pat|ptt|dt|rt|cbt|oas|soat|ffct|imt|agent)-[A-Za-z0-9_-]{20,}"),
    ("slack-token", r"xox[abposre]-[A-Za-z0-9-]{10,}"),
    ("slack-token", r"xapp-\d-[A-Za-z0-9-]{10,}"),
    (
        "slack-webhook",
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,}",
    ),
    (
        "discord-webhook",
        r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w-]{20,}",
    ),
    ("google-api-key", r"AIza[0-9A-Za-z_-]{35}"),
    ("google-oauth", r"GOCSPX-[A-Za-z0-9_-]{28}"),
    ("google-oauth", r"ya29\.[0-9A-Za-z_-]{20,}"),
    # Secret and restricted keys apart: a pattern that starts with a class is searched for
    # character by character, several times slower than one that starts with a literal.
    ("stripe-key", r"sk_(?:live|test)_[0-9a-zA-Z]{16,}"),
    ("stripe-key", r"rk_(?:live|test)_[0-9a-zA-Z]{16,}"),
    ("stripe-key", r"whsec_[0-9a-zA-Z]{24,}"),
    ("npm-token", r"npm_[A-Za-z0-9]{36}"),
    ("pypi-token", r"pypi-AgE[A-Za-z0-9_-]{50,}"),
    ("huggingface-token", r"hf_[A-Za-z0-9]{30,}"),
    ("sendgrid-key", r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}"),
    ("twilio-key", r"SK[0-9a-f]{32}(?![0-9A-Za-z])"),
    ("mailgun-key", r"key-[0-9a-f]{32}(?![0-9A-Za-z])"),
    ("digitalocean-token", r"do[opr]_v1_[a-f0-9]{64}"),
    ("shopify-token", r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"),
    ("atlassian-token", r"ATATT3[A-Za-z0-9_=-]{50,}"),
    ("linear-key", r"lin_api_[A-Za-z0-9]{40}"),
    ("databricks-token", r"dapi[a-f0-9]{32}(?![0-9A-Za-z])"),
    ("newrelic-key", r"NRAK-[A-Z0-9]{27}"),
    ("doppler-token", r"dp\.(?:pt|st|sa|ct|scim)\.[A-Za-z0-9]{40,}"),
    ("vault-token", r"hv[sb]\.[A-Za-z0-9_-]{24,}"),
    ("pulumi-token", r"pul-[a-f0-9]{40}"),
    ("sentry-token", r"sntry[su]_[A-Za-z0-9+/=_]{40,}"),
    ("grafana-token", r"gl(?:c|sa)_[A-Za-z0-9+/=_]{32,}"),
    ("api-key", r"sk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}"),
    ("jwt", r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
)
