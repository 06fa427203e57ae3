"""sdd.yaml: defaults, and every kind of mistake reported per field with file and line (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdd.base.errors import ConfigError
from sdd.project.config import Config, load_config, parse_config


def test_defaults_apply_without_a_file(tmp_path: Path) -> None:
    config, source = load_config(tmp_path)
    assert source is None
    assert config == Config()
    assert config.features.numbering == "sequential"


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    (tmp_path / "sdd.yaml").write_text("", encoding="utf-8")
    config, source = load_config(tmp_path)
    assert source == tmp_path / "sdd.yaml"
    assert config == Config()


def test_valid_file_is_loaded(tmp_path: Path) -> None:
    (tmp_path / "sdd.yaml").write_text(
        "paths:\n  specs: docs/specs\nfeatures:\n  numbering: timestamp\n", encoding="utf-8"
    )
    config, _ = load_config(tmp_path)
    assert config.paths.specs == "docs/specs"
    assert config.features.numbering == "timestamp"


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        ("version: 1\nfeatures:\n  digits: many\n", "features.digits", 3, "integer"),
        ("version: 1\npaths:\n  specs: s\n  spces: t\n", "paths.spces", 4, "unknown key"),
        ("features:\n  numbering: random\n", "features.numbering", 2, "sequential"),
        ("paths:\n  adr: ../outside\n", "paths.adr", 2, ".."),
        ("paths:\n  adr: /etc\n", "paths.adr", 2, "absolute"),
        ("detect:\n  threshold: -1\n", "detect.threshold", 2, "greater than"),
        ("colour: blue\n", "colour", 1, "unknown key"),
    ],
)
def test_field_problems_name_field_and_line(
    tmp_path: Path, text: str, field: str, line: int, words: str
) -> None:
    source = tmp_path / "sdd.yaml"
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source)
    problems = {p.field: p for p in caught.value.problems}
    assert field in problems
    assert problems[field].line == line
    assert words in problems[field].message


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = "features:\n  digits: x\n  numbering: y\nextra: 1\n"
    with pytest.raises(ConfigError) as caught:
        parse_config(text, tmp_path / "sdd.yaml")
    assert {p.field for p in caught.value.problems} == {
        "features.digits",
        "features.numbering",
        "extra",
    }


@pytest.mark.parametrize(
    ("text", "line"),
    [("paths:\n  specs: [unclosed\n", 3), ("a: b\n c: d\n: :\n", 2), ("- just\n- a list\n", 1)],
)
def test_broken_yaml_and_wrong_shape(tmp_path: Path, text: str, line: int) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, tmp_path / "sdd.yaml")
    assert caught.value.problems[0].line == line


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    with pytest.raises(ConfigError) as caught:
        parse_config(bomb, tmp_path / "sdd.yaml")
    assert "alias" in caught.value.problems[0].message


def test_cli_reports_config_errors_with_file_and_line_exit_2(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "sdd.yaml").write_text("features:\n  digits: many\n  colour: red\n", "utf-8")
    result = sdd("templates", "list")
    assert result.exit_code == 2
    assert "sdd.yaml:2: error CFG001 features.digits:" in result.stderr
    assert "sdd.yaml:3: error CFG001 features.colour: unknown key" in result.stderr
    assert "Traceback" not in result.output


def test_cli_reports_broken_yaml_exit_2(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "sdd.yaml").write_text("paths: {specs: [\n", "utf-8")
    result = sdd("templates", "list")
    assert result.exit_code == 2
    assert "sdd.yaml:" in result.stderr and "invalid YAML" in result.stderr


def test_binary_config_is_refused(project: Path, sdd) -> None:  # type: ignore[no-untyped-def]
    (project / "sdd.yaml").write_bytes(b"\x00\xff\xfe binary")
    result = sdd("templates", "list")
    assert result.exit_code == 2
    assert "binary" in result.stderr


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_either_loads_or_raises_config_error(text: str) -> None:
    try:
        parse_config(text, Path("sdd.yaml"))
    except ConfigError as error:
        assert error.problems
        assert all(p.line is None or p.line >= 1 for p in error.problems)


_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 9),
        st.floats(-2, 9, allow_nan=False),
        st.sampled_from(["specs", "docs/specs", "../x", "", "sequential", "timestamp", "a/b.md"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["specs", "x", "id", "glob"]), inner, max_size=3),
    ),
    max_leaves=6,
)
_sections = {
    "version": st.one_of(st.just(1), _values),
    "paths": st.one_of(
        st.dictionaries(
            st.sampled_from(["specs", "constitution", "prompts", "adr", "templates", "bogus"]),
            _values,
            max_size=4,
        ),
        _values,
    ),
    "features": st.one_of(
        st.fixed_dictionaries(
            {}, optional={"numbering": _values, "digits": st.one_of(st.integers(0, 7), _values)}
        ),
        _values,
    ),
    "detect": st.one_of(
        st.fixed_dictionaries(
            {}, optional={"threshold": _values, "rules": _values, "ignore": _values}
        ),
        _values,
    ),
    "extra": _values,
}


@settings(max_examples=400, deadline=None)
@given(st.fixed_dictionaries({}, optional=_sections))
def test_the_fast_builder_agrees_with_pydantic(data: dict[str, object]) -> None:
    """Whatever the pydantic-free builder accepts, pydantic accepts with the same result."""
    from pydantic import ValidationError

    from sdd.project.config import _build, _NotPlain, validated_by_pydantic

    try:
        fast = _build(Config, data)
    except _NotPlain:
        return
    try:
        slow = validated_by_pydantic(data)
    except ValidationError as error:  # pragma: no cover - the property under test
        raise AssertionError(f"fast builder accepted what pydantic refuses: {error}") from None
    assert fast == slow


def test_a_valid_file_loads_without_importing_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "sdd.yaml").write_text(
        "version: 1\npaths:\n  adr: docs/adr\nfeatures:\n  digits: 4\ndetect:\n  threshold: 2\n",
        encoding="utf-8",
    )
    code = (
        "import sys; from pathlib import Path; from sdd.project.config import load_config\n"
        f"config, _ = load_config(Path({str(tmp_path)!r}))\n"
        "print(config.paths.adr, config.features.digits, config.detect.threshold,"
        " 'pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["docs/adr", "4", "2.0", "False"], result.stderr


@pytest.mark.parametrize("value", ["2026-02-30", "9" * 5000])
def test_values_python_cannot_hold_are_config_errors(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(f"detect:\n  threshold: {value}\n", tmp_path / "sdd.yaml")
    assert "invalid YAML value" in caught.value.problems[0].message


def test_pydantic_validates_the_schema_as_declared() -> None:
    """pydantic reads each schema class through a dataclass made from it (ADR 0172): the same
    keys in the same order, the same defaults, nested classes as their own dataclasses."""
    import dataclasses
    import typing
    from typing import Any

    from sdd.project.config import _SCHEMA, _for_pydantic, validated_by_pydantic

    assert validated_by_pydantic({}) == Config()
    schema: Any
    for schema in _SCHEMA:
        twin = _for_pydantic(schema)
        fields = dataclasses.fields(twin)
        assert [f.name for f in fields] == list(schema._fields)
        made = twin()
        for field in fields:
            value = getattr(made, field.name)
            assert (value == schema._field_defaults[field.name]) or isinstance(
                value, tuple(map(_for_pydantic, _SCHEMA))
            )
        hints = typing.get_type_hints(schema, include_extras=True)
        twin_hints = typing.get_type_hints(twin, include_extras=True)
        for name, hint in hints.items():
            assert twin_hints[name] == (_for_pydantic(hint) if hint in _SCHEMA else hint)
