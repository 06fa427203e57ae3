"""The rule pack: globs, literal prefilters, validation, and extension from sdd.yaml."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdd.base.errors import ConfigError, ParseError
from sdd.base.globs import GlobSet, check_glob, escape
from sdd.detect import prefilter, rulepack
from sdd.detect.prefilter import LiteralScanner, fold, required_literals, trie_pattern
from sdd.detect.rulepack import load_rule_pack
from tests.conftest import REPO_ROOT


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
    assert any(
        (literal in fold(text)) if ignore_case else (literal in text)
        for literal, ignore_case in literals
    )


def test_literal_scanner_finds_lines_by_literal_with_overlaps() -> None:
    scanner = LiteralScanner(
        {
            "a": [("jwt.encode(", False)],
            "b": [("encode(", False)],
            "c": [("@@", False)],
            "d": [("zzz", False)],
        }
    )
    lines = ["x = 1", "t = jwt.encode(p)", "  @@index([a])", "encode(x)"]
    found = scanner.scan("\n".join(lines))
    assert found == {"a": {1}, "b": {1, 3}, "c": {2}}
    assert re.fullmatch(trie_pattern(["ab", "abc", "b"]), "abc")


def test_case_insensitive_literals_are_found_in_every_casing_the_pattern_matches() -> None:
    literals = required_literals(re.compile(r"(?i:create\s+table)"))
    assert literals in ((("create", True),), (("table", True),))
    pattern = re.compile(r"(?i)featureflag|paymentgateway")
    literals = required_literals(pattern)
    assert literals == (("featureflag", True), ("paymentgateway", True))
    lines = ["x = 1", "if featureFlag:", "gw = PaymentGateway()", "FEATUREFLAG = 1", "ſeature"]
    # Non-ASCII characters that re folds to ASCII letters keep every offset in place.
    lines += ["İ = 'ıſ'; FeatureFlag()", "PAYMENTGATEWAY"]
    found = LiteralScanner({"rule": literals}).scan("\n".join(lines))
    assert found == {"rule": {i for i, line in enumerate(lines) if pattern.search(line)}}
    assert found == {"rule": {1, 2, 3, 5, 6}}


def test_folding_keeps_offsets_and_covers_what_ignorecase_matches() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert len(fold(every)) == len(every)
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for char in re.findall(f"(?i){letter}", every):
            assert fold(char) == letter.lower(), (letter, char)


def test_non_ascii_case_insensitive_letters_give_no_literal() -> None:
    # Folding covers ASCII only: "(?i)größe" must not become a literal that misses "GRÖẞE".
    assert required_literals(re.compile(r"(?i)größe")) == (("gr", True),)
    assert required_literals(re.compile(r"größe")) == (("größe", False),)


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
        # Exponential backtracking: (a|aa)+$ took 49 s on a 40-character line.
        ({"id": "x.bad", "category": "auth", "match": "(a|aa)+$"}, "match", "exponential"),
        ({"id": "x.bad", "category": "auth", "match": r"(\w+\s?)*$"}, "match", "exponential"),
        (
            {"id": "x.bad", "category": "auth", "paths": ["*.py"], "path_regex": "(x+)+y"},
            "path_regex",
            "exponential",
        ),
        # A second rule with the same id would silently replace the first.
        ({"id": "fine.rule", "category": "auth", "match": "b"}, "id", "used twice"),
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
    twice = tmp_path / "twice.yaml"
    rule = "  - id: a.b\n    category: auth\n    match: x\n"
    twice.write_text(f"version: 1\nrules:\n{rule}{rule}", encoding="utf-8")
    with pytest.raises(ParseError, match=r"rule id 'a\.b' is used twice"):
        rulepack.load_rule_pack(pack_path=twice)


# --- the prefilter cache in ~/.cache/sdd and the parser fallback ---------------------------------

AUTH_DIFF = (
    b"diff --git a/app/auth.py b/app/auth.py\n--- a/app/auth.py\n+++ b/app/auth.py\n"
    b"@@ -1,1 +1,3 @@\n x\n+from jose import jwt\n+token = jwt.encode(payload, SECRET)\n"
)


def _auth_signals() -> list[tuple[str, int]]:
    """Run detection with a fresh rule pack (its literals come through the cache), then keep
    the cache as the I/O edge (``sdd.detect.runner.run``) does."""
    from sdd.detect.diff import parse
    from sdd.detect.engine import detect

    verdict = detect(parse(AUTH_DIFF), load_rule_pack())
    prefilter.save_cache()
    return sorted((s.rule, s.line) for c in verdict.categories for s in c.signals)


def test_detect_itself_writes_nothing(fresh_cache: Path) -> None:
    from sdd.detect.diff import parse
    from sdd.detect.engine import detect

    detect(parse(AUTH_DIFF), load_rule_pack())
    assert not fresh_cache.parent.exists()


EXPECTED_AUTH = [("auth.credentials", 3), ("auth.library-import", 2), ("auth.path", 2)]


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder and no cache loaded in this process; the cache file's path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(prefilter, "_cache", None)
    monkeypatch.setattr(prefilter, "_cache_dirty", False)
    path = prefilter._cache_path()
    assert path is not None and path.is_relative_to(tmp_path)
    return path


def _auth_keys() -> list[str]:
    """Cache keys of the auth rules with a pattern that read app/auth.py."""
    rules = load_rule_pack().rules
    return [
        f"{r.match.flags}:{r.match.pattern}"
        for r in rules
        if r.match and r.category == "auth" and (r.paths is None or r.paths.matches("app/auth.py"))
    ]


def test_the_cache_is_written_atomically_and_read_back(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdd.base import fileio

    writes: list[Path] = []
    real = fileio.write_atomic

    def spy(path: Path, content: str | bytes, **kwargs: object) -> None:
        writes.append(path)
        real(path, content)

    monkeypatch.setattr(fileio, "write_atomic", spy)
    assert _auth_signals() == EXPECTED_AUTH
    assert writes == [fresh_cache]
    assert [p.name for p in fresh_cache.parent.iterdir()] == [fresh_cache.name]
    document = json.loads(fresh_cache.read_text("utf-8"))
    assert document["fingerprint"] == prefilter._fingerprint()
    assert set(_auth_keys()) <= set(document["entries"])
    monkeypatch.setattr(prefilter, "_cache", None)
    assert _auth_signals() == EXPECTED_AUTH
    assert writes == [fresh_cache]  # everything came from the cache: nothing new to write


def test_a_cache_from_another_sdd_version_is_ignored_and_replaced(fresh_cache: Path) -> None:
    # Literals that match nothing, as a changed extraction in another version could leave.
    stale = {key: [["zz-never-zz", False]] for key in _auth_keys()}
    fresh_cache.parent.mkdir(parents=True)
    fresh_cache.write_text(json.dumps({"fingerprint": "other", "entries": stale}), "utf-8")
    assert _auth_signals() == EXPECTED_AUTH
    document = json.loads(fresh_cache.read_text("utf-8"))
    assert document["fingerprint"] == prefilter._fingerprint()
    assert "zz-never-zz" not in fresh_cache.read_text("utf-8")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"fingerprint": "x", "entr',  # truncated
        b"\x00\xff\xfe binary junk",
        b"[" * 100_000,  # deeper than the JSON parser recurses
        b"[1, 2, 3]",
        b'{"fingerprint": null, "entries": []}',
    ],
)
def test_a_corrupt_cache_never_crashes_or_misleads(fresh_cache: Path, content: bytes) -> None:
    fresh_cache.parent.mkdir(parents=True)
    fresh_cache.write_bytes(content)
    assert _auth_signals() == EXPECTED_AUTH
    assert json.loads(fresh_cache.read_text("utf-8"))["fingerprint"] == prefilter._fingerprint()


def test_cache_entries_of_the_wrong_shape_are_dropped(fresh_cache: Path) -> None:
    keys = _auth_keys()
    shapes: list[object] = [[[1, 2]], [["x", True, 3]], "jwt", [["j", False]], [], {"a": 1}]
    entries = {key: shapes[i % len(shapes)] for i, key in enumerate(keys)}
    fresh_cache.parent.mkdir(parents=True)
    document = {"fingerprint": prefilter._fingerprint(), "entries": entries}
    fresh_cache.write_text(json.dumps(document), "utf-8")
    assert _auth_signals() == EXPECTED_AUTH


def test_an_unwritable_cache_folder_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be\n", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(prefilter, "_cache", None)
    monkeypatch.setattr(prefilter, "_cache_dirty", False)
    assert _auth_signals() == EXPECTED_AUTH
    assert blocker.read_text("utf-8").startswith("a file")


def test_no_cache_without_an_absolute_cache_or_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", "relative-home")
    monkeypatch.setattr(prefilter, "_cache", None)
    monkeypatch.setattr(prefilter, "_cache_dirty", False)
    assert prefilter._cache_path() is None
    assert _auth_signals() == EXPECTED_AUTH
    assert list(tmp_path.iterdir()) == []


def test_without_the_regex_parser_detection_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "_sre_parse", None)
    monkeypatch.setattr(prefilter, "_cache", {})
    monkeypatch.setattr(prefilter, "_cache_dirty", False)
    assert required_literals(re.compile("jwt.encode")) is None
    assert _auth_signals() == EXPECTED_AUTH


@pytest.mark.parametrize(
    ("blocked", "expected"),
    [
        ([], "[('jwt', False)]"),
        (["re._parser"], "[('jwt', False)]"),  # Python 3.10: sre_parse
        (["re._parser", "sre_parse"], "None"),
    ],
)
def test_the_regex_parser_is_found_on_every_python_or_not_used(
    blocked: list[str], expected: str
) -> None:
    code = (
        "import sys, re, warnings\n"
        "warnings.simplefilter('error')\n"
        f"for name in {blocked!r}: sys.modules[name] = None\n"
        "from sdd.detect import prefilter\n"
        "found = prefilter.required_literals(re.compile('jwt'))\n"
        "print(list(found) if found else None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


# --- patterns from sdd.yaml must run in linear time ------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [r"(a|aa)+$", r"(a+)+$", r"(\w*\s?)*$", r"(a+b?)+c", r"(?:foo|foobar)*x", r"^(\d+)*$"],
)
def test_catastrophic_shapes_are_named(pattern: str) -> None:
    from sdd.detect.backtracking import backtracking_risk

    assert backtracking_risk(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [r"\bstripe\.", r"(?:/[\w.-]+)*/v\d+", r"([a-z]+\.)+com", r"(?:ab|cd)+", r"a*b*c", r"(\w|\d)+"],
)
def test_patterns_with_one_way_to_match_are_accepted(pattern: str) -> None:
    from sdd.detect.backtracking import backtracking_risk

    assert backtracking_risk(pattern) is None


def test_every_packaged_pattern_passes_the_backtracking_check() -> None:
    from sdd.detect.backtracking import backtracking_risk

    for rule in load_rule_pack().rules:
        for pattern in (rule.match, rule.key_match, rule.path_regex):
            if pattern is not None:
                assert backtracking_risk(pattern.pattern) is None, rule.id


@given(st.from_regex(r"[a()|+*?\\dws.]{1,12}", fullmatch=True))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_the_check_never_raises(pattern: str) -> None:
    from sdd.detect.backtracking import backtracking_risk

    result = backtracking_risk(pattern)
    assert result is None or "repeat" in result
