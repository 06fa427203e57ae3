"""The layering of ``sdd/``, read from the imports themselves (docs/architecture.md).

Each package sits in one tier; a module may import its own package and the tiers below it,
never a tier above or a peer in its own tier. Only ``sdd.cli`` may import typer or rich.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sdd"

# Lowest first. Packages in one tier are independent of each other.
TIERS: tuple[tuple[str, ...], ...] = (
    ("base",),
    ("text",),
    ("project",),
    ("features",),
    ("phr",),
    ("adr",),
    ("detect",),
    ("validation",),
    ("overview",),
    ("hooks", "agents"),
    ("pr",),
    ("site",),
    ("demo", "mcp"),
    ("cli",),
    ("__main__", "hookrun"),
)
UI_LIBRARIES = ("typer", "rich", "click")
TIER_OF = {name: rank for rank, names in enumerate(TIERS) for name in names}


def _modules() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py") if "service" not in path.relative_to(PACKAGE).parts
    )


_MODULE_NAMES = {
    ".".join(("sdd", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    for path in _modules()
}


def _home(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, at any depth (lazy imports count), with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "sdd":
                found.extend((node.lineno, f"sdd.{alias.name}") for alias in node.names)
                continue
            found.append((node.lineno, node.module))
            # ``from sdd.cli import completion`` imports the module sdd.cli.completion too.
            found.extend(
                (node.lineno, f"{node.module}.{alias.name}")
                for alias in node.names
                if f"{node.module}.{alias.name}" in _MODULE_NAMES
            )
    return found


def test_every_package_has_a_tier() -> None:
    homes = {_home(path) for path in _modules()} - {"__init__"}
    assert homes <= set(TIER_OF), f"add {sorted(homes - set(TIER_OF))} to TIERS"


def test_subpackage_init_files_are_empty() -> None:
    """Importing a package costs nothing: start-up and the hook stay lazy."""
    for init in PACKAGE.glob("*/__init__.py"):
        assert init.read_text(encoding="utf-8").strip() == "", init


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_respect_the_layers(path: Path) -> None:
    home = _home(path)
    if home == "__init__":
        return
    rank = TIER_OF[home]
    wrong: list[str] = []
    for line, module in _imports(path):
        top = module.split(".")[0]
        if top in UI_LIBRARIES and home != "cli":
            wrong.append(f"line {line}: {module} (only sdd.cli may import a UI library)")
        if top != "sdd" or module in ("sdd", "sdd.__version__"):
            continue
        target = module.split(".")[1]
        if target == home:
            continue
        target_rank = TIER_OF.get(target)
        if target_rank is None:
            wrong.append(f"line {line}: {module} has no tier")
        elif target_rank >= rank:
            wrong.append(f"line {line}: {module} ({target}, tier {target_rank} ≥ {rank})")
    assert not wrong, f"{path.relative_to(PACKAGE)} imports upwards:\n" + "\n".join(wrong)


def test_no_import_cycles_between_modules() -> None:
    graph: dict[str, set[str]] = {}
    names = {}
    for path in _modules():
        name = ".".join(("sdd", *path.relative_to(PACKAGE).with_suffix("").parts))
        names[name.removesuffix(".__init__")] = path
    for name, path in names.items():
        graph[name] = {module for _, module in _imports(path) if module in names and module != name}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for child in sorted(graph[node]):
            if state.get(child) == 1:
                cycle = [*trail[trail.index(child) :], child] if child in trail else [node, child]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if child not in state:
                visit(child, [*trail, child])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
