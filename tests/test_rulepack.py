"""The rule pack: globs, literal prefilters, validation, and extension from sdd.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdd import rulepack
from sdd.errors import ConfigError
from sdd.globs import GlobSet, check_glob, escape
from sdd.prefilter import LiteralScanner, required_literals, trie_pattern
from sdd.rulepack import load_rule_pack


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("*.py", "a.py", True),
        ("*.py", "deep/down/a.py", True),
        ("*.py", "a.pyc", False),
        ("src/*.py", "src/a.py", True),
        ("src/*.py", "src/x/a.py", False),
        ("src/**/*.py", "src/a.py", True),
        ("src/**/*.py", "src/x/y/a.py", True),
        ("**/tests/**", "tests/t.py", True),
        ("**/tests/**", "a/tests/b/t.py", True),
        ("migrations/", "app/migrations/0001.py", True),
        ("migrations/", "migrations.py", False),
        ("*.{js,ts}", "x.ts", True),
        ("[!.]*.txt", ".hidden.txt", False),
        ("/top.py", "top.py", True),
        ("Dockerfile*", "backend/Dockerfile.prod", True),
    ],
)
def test_glob_semantics(glob: str, path: str, expected: bool) -> None:
    assert GlobSet([glob]).matches(path) is expected


def test_escaped_paths_match_themselves_only() -> None:
    for path in ["a[1]/b*.py", "x{y}.py", "q?.md", "plain/p.py"]:
        assert GlobSet([escape(path)]).matches(path)
    assert not GlobSet([escape("b*.py")]).matches("bb.py")
    assert check_glob("") is not None
    assert check_glob("src/**") is None


def test_every_packaged_rule_loads_and_has_a_description() -> None:
    pack = load_rule_pack()
    assert pack.threshold == 3
    assert {"auth", "database", "api-versioning", "middleware", "dependencies"} <= set(
        pack.categories
    )
    ids = [rule.id for rule in pack.rules]
    assert len(ids) == len(set(ids))
    for rule in pack.rules:
        assert rule.description, rule.id
        assert rule.category in pack.categories, rule.id


# Rules whose matches need no literal: they read every line of their (few) files.
UNFILTERED = {"database.model-field", "api.contract-breaking", "infra.terraform-resource"}


def test_content_rules_have_a_literal_prefilter() -> None:
    pack = load_rule_pack()
    for rule in pack.rules:
        if rule.match is None:
            continue
        literals = required_literals(rule.match)
        if rule.id in UNFILTERED:
            continue
        assert literals, f"{rule.id} has no literal prefilter: it would scan every line"


def _matching_strings(pattern: re.Pattern[str]) -> st.SearchStrategy[str]:
    return st.from_regex(pattern.pattern, fullmatch=False).filter(lambda s: "\n" not in s)


@pytest.mark.parametrize(
    "rule_id",
    [r.id for r in load_rule_pack().rules if r.match is not None and r.id not in UNFILTERED],
)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_prefilter_literals_are_in_every_match(rule_id: str, data: st.DataObject) -> None:
    """Soundness: a line the rule matches always holds one of its literals."""
    rule = next(r for r in load_rule_pack().rules if r.id == rule_id)
    assert rule.match is not None
    literals = required_literals(rule.match)
    assert literals
    try:
        text = data.draw(_matching_strings(rule.match))
    except Exception:  # pragma: no cover - hypothesis cannot build strings for some constructs
        pytest.skip("hypothesis cannot generate matches for this pattern")
    found = rule.match.search(text)
    if found is None:  # lookarounds can make a generated string fail the real pattern
        return
    ignore_case = [lit.lower() for lit in literals]
    assert any(lit in text for lit in literals) or any(
        lit in text.lower() for lit in ignore_case if lit.islower()
    )


def test_literal_scanner_finds_lines_by_literal_with_overlaps() -> None:
    scanner = LiteralScanner({"a": ["jwt.encode("], "b": ["encode("], "c": ["@@"], "d": ["zzz"]})
    lines = ["x = 1", "t = jwt.encode(p)", "  @@index([a])", "encode(x)"]
    text = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found = scanner.scan(text, starts)
    assert found == {"a": {1}, "b": {1, 3}, "c": {2}}
    assert re.fullmatch(trie_pattern(["ab", "abc", "b"]), "abc")


def test_case_insensitive_literals_are_scanned_in_three_casings() -> None:
    literals = required_literals(re.compile(r"(?i:create\s+table)"))
    assert literals is not None
    assert {"create", "CREATE", "Create"} <= set(literals) or {"table", "TABLE", "Table"} <= set(
        literals
    )


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sdd.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_rules_extend_override_and_disable(tmp_path: Path) -> None:
    config = _config(tmp_path, "detect: {}\n")
    pack = load_rule_pack(
        extra_rules=[
            {
                "id": "payments.stripe",
                "category": "payments",
                "match": r"\bstripe\.",
                "weight": 3,
                "description": "payment provider calls",
            },
            {"id": "auth.path", "weight": 2},
            {"id": "middleware.path", "enabled": False},
        ],
        ignore=["vendor/**"],
        threshold=4,
        config_path=config,
    )
    rules = {rule.id: rule for rule in pack.rules}
    assert rules["payments.stripe"].origin == "sdd.yaml"
    assert rules["auth.path"].weight == 2 and rules["auth.path"].path_regex is not None
    assert "middleware.path" not in rules
    assert pack.threshold == 4
    assert pack.exclude.matches("vendor/lib/x.py")
    assert pack.category("payments").title == "Payments"


@pytest.mark.parametrize(
    ("rule", "key", "words"),
    [
        ({"id": "x.bad", "category": "auth", "match": "(unclosed"}, "match", "regular expression"),
        ({"id": "x.bad", "category": "auth", "match": "a", "patern": "b"}, "patern", "unknown key"),
        (
            {"id": "x.bad", "category": "auth", "match": "a", "weight": 0},
            "weight",
            "greater than 0",
        ),
        ({"id": "x.bad", "category": "auth", "paths": ["@nope"]}, "paths", "unknown path set"),
        ({"id": "x.bad", "category": "auth", "match": "a", "sides": ["renamed"]}, "sides", "key"),
        ({"id": "x.bad", "category": "auth"}, "match", "needs match"),
        ({"id": "Bad Id", "category": "auth", "match": "a"}, "id", "lower-case"),
        ({"id": "x.bad", "category": "auth", "dependency": ["upgraded"]}, "dependency", "not one"),
    ],
)
def test_a_bad_rule_names_the_rule_the_key_and_the_line(
    tmp_path: Path, rule: dict[str, object], key: str, words: str
) -> None:
    config = _config(
        tmp_path,
        "version: 1\ndetect:\n  rules:\n    - id: fine.rule\n      category: auth\n"
        "      match: ok\n    - placeholder: true\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_rule_pack(
            extra_rules=[{"id": "fine.rule", "category": "auth", "match": "ok"}, rule],
            config_path=config,
        )
    problem = caught.value.problems[0]
    assert problem.field == f"detect.rules.1.{key}"
    assert words in problem.message
    assert str(rule["id"]) in problem.message or key == "id"
    assert problem.line == 7


def test_the_packaged_pack_is_checked_too(tmp_path: Path) -> None:
    broken = tmp_path / "pack.yaml"
    broken.write_text(
        "version: 1\nrules:\n  - id: a.b\n    category: auth\n    match: '(x'\n", encoding="utf-8"
    )
    with pytest.raises(Exception, match=r"rule 'a\.b'"):
        rulepack.load_rule_pack(pack_path=broken)
