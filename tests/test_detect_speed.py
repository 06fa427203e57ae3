"""What keeps ``sdd adr detect`` fast must not change its answers: the path index against
``GlobSet``, the literal scanner against a plain search line by line, and a rule pack read from
its cache against the same pack read from YAML."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdd.base.globs import GlobSet, check_glob
from sdd.base.paths import user_cache_folder
from sdd.detect import packcache
from sdd.detect.diff import parse
from sdd.detect.engine import detect
from sdd.detect.packcache import FilePackCache
from sdd.detect.pathindex import PathIndex, glob_literals
from sdd.detect.prefilter import LiteralScanner, fold
from sdd.detect.rulepack import PACK_PATH, load_rule_pack
from sdd.detect.runner import pack_for

REPO_ROOT = Path(__file__).resolve().parent.parent

# --- globs are tried only on the paths holding their literal ---------------------------------


@pytest.mark.parametrize(
    ("glob", "expected"),
    [
        ("**/alembic/versions/*.py", {"versions"}),
        ("*.{yml,yaml}", {".yml", ".yaml"}),
        ("migrations/", {"migrations"}),
        ("{Dockerfile,Containerfile}", {"Dockerfile", "Containerfile"}),
        ("**", None),
        ("*", None),
        ("[!a]bc/d", {"bc"}),
    ],
)
def test_each_glob_names_a_literal_its_paths_hold(glob: str, expected: set[str] | None) -> None:
    found = glob_literals(glob)
    assert (set(found) if found is not None else None) == expected


@given(
    st.lists(st.text("ab/*?[]{}!,.\\ ", min_size=1, max_size=10), min_size=1, max_size=4),
    st.lists(st.text("ab/.{},[]!*", max_size=8), max_size=8),
)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_the_path_index_matches_what_globset_matches(globs: list[str], paths: list[str]) -> None:
    globs = [g for g in globs if g.strip() and check_glob(g) is None]
    assert PathIndex(paths).matching(globs) == GlobSet(globs).matching(paths)


def test_a_glob_whose_literal_no_path_holds_is_never_compiled() -> None:
    from sdd.detect.rulemodel import glob_set

    glob_set.cache_clear()
    index = PathIndex(["src/buffer.c", "include/buffer.h"])
    assert index.matching(["**/alembic/versions/*.py", "**/*.go"]) == set()
    assert glob_set.cache_info().currsize == 0
    assert index.matching(["**/*.c"]) == {0}


# --- the literal scanner finds exactly the lines that hold a literal --------------------------

_LITERALS = st.lists(
    st.tuples(st.text("aB1_ .(\n", min_size=2, max_size=5), st.booleans()),
    min_size=1,
    max_size=6,
)


@pytest.mark.parametrize("mode", ["direct", "trie", "no literal check"])
@given(lines=st.lists(st.text("aAbB01_ .(\t", max_size=12), max_size=12), literals=_LITERALS)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_the_scanner_finds_every_line_holding_a_literal(
    mode: str, lines: list[str], literals: list[tuple[str, bool]]
) -> None:
    keyed = {
        f"k{i}": [(fold(text) if case else text, case)] for i, (text, case) in enumerate(literals)
    }
    scanner = LiteralScanner(keyed)
    if mode == "trie":
        scanner.DIRECT_WORK = -1
    if mode == "no literal check":
        scanner.LITERAL_CHECK = -1
    text = "\n".join(lines)
    expected: dict[str, set[int]] = {}
    for key, [(searched, case)] in keyed.items():
        for start in range(len(text)):
            haystack = fold(text) if case else text
            if haystack.startswith(searched, start):
                expected.setdefault(key, set()).add(text.count("\n", 0, start))
    assert scanner.scan(text) == expected


def test_numbered_lines_make_a_small_vocabulary_and_few_live_literals() -> None:
    scanner = LiteralScanner({"a": [("create_table(", False)], "b": [("module.exports", False)]})
    lines = [f"item_{n} = compute_{n}(value_{n})" for n in range(5000)]
    lines.append("op.create_table('users')")
    assert scanner.live("\n".join(lines)) == [("create_table(", False)]
    assert scanner.scan("\n".join(lines)) == {"a": {5000}}


def test_a_literal_is_searched_only_where_its_casing_and_every_piece_occur() -> None:
    scanner = LiteralScanner(
        {"a": [("JWT", False)], "b": [("jwt", True)], "c": [(" = json(", False)]}
    )
    text = "token = jwt.encode(payload)\nitem = Json(x)"
    assert scanner.live(text) == [("jwt", True)]
    assert scanner.scan(text) == {"b": {0}}
    assert sorted(scanner.live("data = json(x)\nJWT")) == [
        (" = json(", False),
        ("JWT", False),
        ("jwt", True),
    ]


# --- the packaged pack is cached, validated, by its digest -------------------------------------


def _pack_fields(pack: object) -> dict[str, object]:
    fields = {f.name: getattr(pack, f.name) for f in dataclasses.fields(pack)}  # type: ignore[arg-type]
    fields.pop("_prefilters")
    fields.pop("known_literals")
    for name in ("libraries", "path_sets", "locks"):
        fields[name] = {key: value.patterns for key, value in fields[name].items()}  # type: ignore[attr-defined]
    fields["roles"] = [(r, e, tuple(g)) for r, e, g in fields["roles"].entries]  # type: ignore[attr-defined]
    return fields


def test_a_pack_read_from_the_cache_equals_the_pack_read_from_yaml(tmp_path: Path) -> None:
    cache = FilePackCache(tmp_path / "pack.json")
    fresh = load_rule_pack(cache=cache)
    cache.save()
    assert (tmp_path / "pack.json").is_file()
    cached = load_rule_pack(cache=FilePackCache(tmp_path / "pack.json"))
    assert cached.known_literals
    assert _pack_fields(cached) == _pack_fields(fresh)
    for rule in fresh.rules:
        assert cached.prefilter(rule) == fresh.prefilter(rule), rule.id
    for text in DIFFS:
        patch = parse(text)
        verdict = detect(patch, cached)
        assert verdict == detect(patch, fresh)
    assert verdict.significant


DIFFS = [
    b"diff --git a/app/main.py b/app/main.py\n--- a/app/main.py\n+++ b/app/main.py\n"
    b"@@ -1,2 +1,4 @@\n app = FastAPI()\n+app.add_middleware(GZipMiddleware)\n"
    b"+app.add_middleware(CORSMiddleware, allow_origins=['*'])\n x = 1\n",
    b"diff --git a/package.json b/package.json\n--- a/package.json\n+++ b/package.json\n"
    b'@@ -3,3 +3,4 @@\n   "dependencies": {\n+    "passport-jwt": "^4.0.1",\n'
    b'     "express": "^4.19.2"\n   }\n',
    b"diff --git a/internal/router.go b/internal/router.go\n--- a/internal/router.go\n"
    b'+++ b/internal/router.go\n@@ -10,2 +10,2 @@\n-\tv1 := r.Group("/api/v1")\n'
    b'+\tv2 := r.Group("/api/v2")\n \tv2.GET("/users", listUsers)\n',
    b"diff --git a/alembic/versions/0002_orders.py b/alembic/versions/0002_orders.py\n"
    b"new file mode 100644\n--- /dev/null\n+++ b/alembic/versions/0002_orders.py\n"
    b"@@ -0,0 +1,3 @@\n+def upgrade():\n"
    b"+    op.create_table('orders', sa.Column('id', sa.Integer))\n"
    b"+    op.add_column('users', sa.Column('plan', sa.String))\n",
]


def test_a_cached_run_imports_no_yaml_parser_and_compiles_no_rule_for_another_stack(
    tmp_path: Path,
) -> None:
    code = (
        "import sys\n"
        "from sdd.detect.packcache import FilePackCache\n"
        "from sdd.detect.runner import pack_for\n"
        "from sdd.detect.engine import detect\n"
        "from sdd.detect.diff import parse\n"
        "from sdd.detect import rulemodel\n"
        f"cache = FilePackCache(__import__('pathlib').Path({str(tmp_path / 'c.json')!r}))\n"
        "pack = pack_for(None, cache)\n"
        "cache.save()\n"
        "print('yaml' in sys.modules)\n"
        "rulemodel.compiled.cache_clear()\n"
        "patch = parse(b'--- a/src/buffer.c\\n+++ b/src/buffer.c\\n'\n"
        "              b'@@ -1 +1 @@\\n-int x;\\n+long x;\\n')\n"
        "detect(patch, pack)\n"
        "print(rulemodel.compiled.cache_info().currsize)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs[0][0] == "True"  # the first run parses the YAML and keeps it
    assert runs[1] == ["False", "0"]


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"\xff\xfe", b'{"fingerprint": 1}\n{}', b"[]\n[]", b"x" * 100],
)
def test_a_corrupt_pack_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pack.json"
    path.write_bytes(content)
    cache = FilePackCache(path)
    pack = pack_for(None, cache)
    assert not pack.known_literals
    cache.save()
    assert load_rule_pack(cache=FilePackCache(path)).known_literals


def test_a_cache_entry_that_does_not_build_falls_back_to_the_yaml(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    cache = FilePackCache(path)
    load_rule_pack(cache=cache)
    cache.save()
    head, _, body = path.read_bytes().partition(b"\n")
    entry = json.loads(body)
    entry["data"]["rules"][0]["weight"] = "heavy"
    cache.put(json.loads(head)["digest"], entry)
    cache.save()
    assert FilePackCache(path).get(json.loads(head)["digest"]) is not None
    pack = pack_for(None, FilePackCache(path))
    assert not pack.known_literals
    assert all(rule.weight > 0 for rule in pack.rules)


def test_an_edited_pack_or_another_sdd_misses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pack.json"
    cache = FilePackCache(path)
    load_rule_pack(cache=cache)
    cache.save()
    edited = tmp_path / "default.yaml"
    edited.write_text(PACK_PATH.read_text("utf-8").replace("threshold: 3", "threshold: 4"), "utf-8")
    assert not load_rule_pack(pack_path=edited, cache=FilePackCache(path)).known_literals
    assert load_rule_pack(cache=FilePackCache(path)).known_literals
    monkeypatch.setattr(packcache, "fingerprint", lambda: "another version")
    assert not load_rule_pack(cache=FilePackCache(path)).known_literals


def test_loading_a_pack_without_a_cache_writes_nothing() -> None:
    load_rule_pack()
    pack_for(None)
    folder = user_cache_folder()
    assert folder is not None and not list(folder.glob("rulepack-*"))


def test_each_version_keeps_its_own_pack_file_and_old_ones_are_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(packcache, "KEEP", 2)
    for version in range(4):
        monkeypatch.setattr(packcache, "fingerprint", lambda v=version: f"{v:016d}" + "f" * 16)
        cache = FilePackCache()
        load_rule_pack(cache=cache)
        cache.save()
        assert cache.path is not None and cache.path.is_file()
    kept = sorted(p.name for p in (tmp_path / "sdd").iterdir())
    assert len(kept) == 2
    assert f"-{3:016d}-" in kept[-1] and f"-{2:016d}-" in kept[0]
    assert load_rule_pack(cache=FilePackCache()).known_literals
    edited = tmp_path / "default.yaml"
    edited.write_text(PACK_PATH.read_text("utf-8").replace("threshold: 3", "threshold: 4"), "utf-8")
    cache = FilePackCache()
    load_rule_pack(pack_path=edited, cache=cache)
    cache.save()
    assert load_rule_pack(pack_path=edited, cache=FilePackCache()).known_literals
    assert load_rule_pack(cache=FilePackCache()).known_literals  # another pack, another file
