"""Dependency changes read from the changed lines of manifests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdd.detect.diff import parse
from sdd.detect.manifests.changes import dependency_changes
from sdd.detect.manifests.model import image_parts, major_of, normalize
from sdd.detect.rulepack import load_rule_pack


def _changes(diff: str) -> list[tuple[str, str]]:
    pack = load_rule_pack()
    files = []
    for change in parse(diff.encode()).files:
        for globs, fmt in pack.manifests:
            if globs.matches(change.path):
                files.append((change, fmt))
                break
    return sorted((c.kind, c.name) for c in dependency_changes(files, pack.dev_tools.matches))


def _diff(path: str, hunk: str, start: int = 1) -> str:
    lines = hunk.strip("\n").splitlines()
    old = sum(1 for line in lines if not line.startswith("+"))
    new = sum(1 for line in lines if not line.startswith("-"))
    header = f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n"
    return f"{header}@@ -{start},{old} +{start},{new} @@\n{hunk.strip(chr(10))}\n"


@pytest.mark.parametrize(
    ("spec", "major"),
    [
        ("^1.2.3", 1),
        ("<2.0", 1),
        (">2.0", 2),
        (">=0.114.2,<1.0.0", 0),
        ("~=3.1", 3),
        ("v1.9.0", 1),
        ("17", 17),
        ("12-alpine", 12),
        ("latest", None),
        ("*", None),
    ],
)
def test_major_of(spec: str, major: int | None) -> None:
    assert major_of(spec) == major


def test_names_are_normalised_per_ecosystem() -> None:
    assert normalize("Python_Jose[cryptography]", "python") == "python-jose"
    assert normalize("github.com/golang-jwt/jwt/v5", "go") == "github.com/golang-jwt/jwt"
    assert image_parts("docker.io/library/postgres:17-alpine") == ("postgres", "17-alpine")
    assert image_parts("${IMAGE}:latest") is None


def test_package_json_runtime_added_dev_ignored_and_swap() -> None:
    hunk = """
   "dependencies": {
-    "@hapi/joi": "^17.1.0",
+    "joi": "^17.3.0",
     "express": "^4.17.1"
   },
   "devDependencies": {
+    "left-pad": "^1.0.0",
     "eslint": "^7.0.0"
"""
    assert _changes(_diff("package.json", hunk)) == [
        ("added", "joi"),
        ("removed", "@hapi/joi"),
        ("swapped", "joi"),
    ]


def test_patch_bumps_and_reformatting_are_not_changes() -> None:
    hunk = """
   "dependencies": {
-    "mongoose": "^5.13.2",
-    "winston": "^3.2.1"
+    "mongoose": "^5.13.20",
+    "winston": "^3.2.1",
+    "xss-clean": "^0.1.1"
"""
    assert _changes(_diff("package.json", hunk)) == [("added", "xss-clean")]


def test_pyproject_poetry_to_pep621_rewrite_keeps_the_same_dependencies() -> None:
    hunk = """
-[tool.poetry.dependencies]
-python = "^3.10"
-fastapi = {extras = ["standard"], version = "^0.114.2"}
-gunicorn = "^22.0.0"
-pydantic = ">2.0"
+[project]
+dependencies = [
+    "fastapi[standard]<1.0.0,>=0.114.2",
+    "pydantic>2.0",
+]
-[tool.poetry.group.dev.dependencies]
-pytest = "^7.4.3"
+[tool.uv]
+dev-dependencies = [
+    "pytest<8.0.0,>=7.4.3",
+    "left-pad>=1",
+]
"""
    assert _changes(_diff("pyproject.toml", hunk)) == [("removed", "gunicorn")]


def test_pyproject_major_upgrade_and_dev_group() -> None:
    hunk = """
 fastapi = "^0.109.1"
-pydantic = "<2.0"
+pydantic = ">2.0"
+pydantic-settings = "^2.2.1"
"""
    assert _changes(_diff("pyproject.toml", hunk, start=10)) == [
        ("added", "pydantic-settings"),
        ("major", "pydantic"),
    ]


def test_requirements_files_and_dev_requirements() -> None:
    diff = _diff("requirements.txt", "-Django==3.2.1\n+Django==4.2.0\n+celery>=5\n") + _diff(
        "requirements-dev.txt", "+black==24.1\n+left-pad==1\n"
    )
    assert _changes(diff) == [("added", "celery"), ("major", "django")]


def test_go_mod_gradle_maven_cargo_gemfile() -> None:
    diff = (
        _diff(
            "go.mod",
            " require (\n-\tgithub.com/gin-gonic/gin v1.8.0\n+\tgithub.com/gin-gonic/gin v1.9.1\n"
            "+\tgithub.com/golang-jwt/jwt/v5 v5.0.0\n+\tgolang.org/x/sys v0.1.0 // indirect\n )",
        )
        + _diff(
            "build.gradle",
            "+    implementation 'io.jsonwebtoken:jjwt-api:0.11.5'\n"
            "+    testImplementation 'org.junit.jupiter:junit-jupiter:5.9.0'",
        )
        + _diff(
            "pom.xml",
            "+    <dependency>\n+      <groupId>org.springframework.boot</groupId>\n"
            "+      <artifactId>spring-boot-starter-security</artifactId>\n+    </dependency>",
        )
        + _diff("Cargo.toml", ' [dependencies]\n-tokio = "0.2"\n+tokio = { version = "1" }')
        + _diff("Gemfile", "+gem 'devise', '~> 4.9'\n group :test do\n+  gem 'rspec'\n end")
    )
    assert _changes(diff) == [
        ("added", "devise"),
        ("added", "github.com/golang-jwt/jwt"),
        ("added", "jjwt-api"),
        ("added", "spring-boot-starter-security"),
        ("major", "tokio"),
    ]


def test_container_images_in_compose_and_dockerfiles() -> None:
    diff = _diff(
        "docker-compose.yml",
        "-    image: postgres:12\n+    image: postgres:17\n-    image: rabbitmq:3",
    ) + _diff("Dockerfile", "-FROM python:3.10-slim AS base\n+FROM python:3.12-slim AS base")
    assert _changes(diff) == [("major", "postgres"), ("removed", "rabbitmq")]


def test_compose_overrides_for_development_are_ignored() -> None:
    diff = _diff("docker-compose.override.yml", "+    image: mailhog/mailhog:latest")
    assert _changes(diff) == []


def test_go_modules_named_like_go_mod_directives_are_dependencies() -> None:
    hunk = (
        " require (\n"
        "+\treplacer.dev/strings v1.2.0\n"
        "+\texcludes.io/filter v0.3.0\n"
        "+\texclude.dev/x v1.0.0\n"
        "+(\n"
        " )\n"
        " replace (\n"
        "+\texample.com/old => example.com/new v1.0.0\n"
        " )\n"
    )
    assert _changes(_diff("go.mod", hunk)) == [
        ("added", "exclude.dev/x"),
        ("added", "excludes.io/filter"),
        ("added", "replacer.dev/strings"),
    ]


@pytest.mark.parametrize("alias", ["springBoot", "spring_boot", "spring.boot", "spring-boot"])
def test_a_version_catalog_alias_in_any_gradle_spelling_names_its_artifact(alias: str) -> None:
    hunk = f"""
 [versions]
-{alias} = "2.7.18"
+{alias} = "3.2.0"
"""
    assert _changes(_diff("gradle/libs.versions.toml", hunk)) == [("major", "spring-boot")]


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9_.\-]{0,20}", fullmatch=True))
def test_a_catalog_alias_reads_as_one_lower_case_kebab_name(alias: str) -> None:
    from sdd.detect.manifests.jvm import _catalog_alias

    name = _catalog_alias(alias)
    assert name == name.lower() and "_" not in name and "." not in name
    assert _catalog_alias(name) == name


@pytest.mark.parametrize(
    "header",
    ['"express@npm:^4.18.2":', "express@^4.18.2, express@^4.19.0:", '"express@^4.18.2":'],
)
def test_yarn_lock_headers_classic_and_berry_name_the_package(header: str) -> None:
    hunk = f"""
 {header}
-  version: 4.19.2
+  version: 5.0.0
"""
    assert _changes(_diff("yarn.lock", hunk)) == [("lock-major", "express")]


def test_pnpm_importers_name_a_package_then_its_resolved_version() -> None:
    hunk = """
   .:
     dependencies:
       next:
-        specifier: 13.5.6
-        version: 13.5.6(react-dom@18.2.0)(react@18.2.0)
+        specifier: 14.2.3
+        version: 14.2.3(react-dom@18.2.0)(react@18.2.0)
"""
    assert _changes(_diff("pnpm-lock.yaml", hunk, start=7)) == [("lock-major", "next")]


def test_pnpm_importers_dev_dependencies_and_package_metadata_are_not_upgrades() -> None:
    dev = """
     devDependencies:
       eslint:
-        specifier: ^8.57.0
-        version: 8.57.0
+        specifier: ^9.4.0
+        version: 9.4.0
"""
    assert _changes(_diff("pnpm-lock.yaml", dev)) == []
    metadata = """
   next@14.2.3:
     peerDependenciesMeta:
       '@opentelemetry/api':
-        optional: false
+        optional: true
"""
    assert _changes(_diff("pnpm-lock.yaml", metadata)) == []
