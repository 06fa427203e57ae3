"""The secret formats ``sdd.text.secrets`` detects by their documented shape, as data: each
provider token's pattern, and the literal text every match of it holds (its gate)."""

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
    ("stripe-key", r"[rs]k_(?:live|test)_[0-9a-zA-Z]{16,}"),
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
# Text that every match of a format holds (case as written), by pattern: a format's regex runs
# only on a text holding one of them, so that a record with no token pays a few substring
# searches instead of 35 scans (a property test generates matches of every pattern).
TOKEN_LITERALS: dict[str, tuple[str, ...]] = {
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
    r"[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)": ("-----BEGIN ",),
    r"AGE-SECRET-KEY-1[0-9A-Z]{58}": ("AGE-SECRET-KEY-1",),
    r"A(?:KIA|SIA|BIA|CCA)[0-9A-Z]{16}(?![0-9A-Za-z])": ("AKIA", "ASIA", "ABIA", "ACCA"),
    r"gh[pousr]_[A-Za-z0-9]{36,255}": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    r"github_pat_\w{22,255}": ("github_pat_",),
    r"gl(?:pat|ptt|dt|rt|cbt|oas|soat|ffct|imt|agent)-[A-Za-z0-9_-]{20,}": tuple(
        f"gl{kind}-"
        for kind in ("pat", "ptt", "dt", "rt", "cbt", "oas", "soat", "ffct", "imt", "agent")
    ),
    r"xox[abposre]-[A-Za-z0-9-]{10,}": ("xox",),
    r"xapp-\d-[A-Za-z0-9-]{10,}": ("xapp-",),
    r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,}": (
        "https://hooks.slack.com/",
    ),
    r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w-]{20,}": ("discord",),
    r"AIza[0-9A-Za-z_-]{35}": ("AIza",),
    r"GOCSPX-[A-Za-z0-9_-]{28}": ("GOCSPX-",),
    r"ya29\.[0-9A-Za-z_-]{20,}": ("ya29.",),
    r"[rs]k_(?:live|test)_[0-9a-zA-Z]{16,}": ("k_live_", "k_test_"),
    r"whsec_[0-9a-zA-Z]{24,}": ("whsec_",),
    r"npm_[A-Za-z0-9]{36}": ("npm_",),
    r"pypi-AgE[A-Za-z0-9_-]{50,}": ("pypi-AgE",),
    r"hf_[A-Za-z0-9]{30,}": ("hf_",),
    r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}": ("SG.",),
    r"SK[0-9a-f]{32}(?![0-9A-Za-z])": ("SK",),
    r"key-[0-9a-f]{32}(?![0-9A-Za-z])": ("key-",),
    r"do[opr]_v1_[a-f0-9]{64}": ("_v1_",),
    r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}": ("shp",),
    r"ATATT3[A-Za-z0-9_=-]{50,}": ("ATATT3",),
    r"lin_api_[A-Za-z0-9]{40}": ("lin_api_",),
    r"dapi[a-f0-9]{32}(?![0-9A-Za-z])": ("dapi",),
    r"NRAK-[A-Z0-9]{27}": ("NRAK-",),
    r"dp\.(?:pt|st|sa|ct|scim)\.[A-Za-z0-9]{40,}": ("dp.",),
    r"hv[sb]\.[A-Za-z0-9_-]{24,}": ("hvs.", "hvb."),
    r"pul-[a-f0-9]{40}": ("pul-",),
    r"sntry[su]_[A-Za-z0-9+/=_]{40,}": ("sntrys_", "sntryu_"),
    r"gl(?:c|sa)_[A-Za-z0-9+/=_]{32,}": ("glc_", "glsa_"),
    r"sk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}": ("sk-",),
    r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}": ("eyJ",),
}
