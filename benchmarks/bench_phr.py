"""``sdd phr validate`` over 5,000, 10,000 and 20,000 generated records (DESIGN §6: 10,000 in
≤ 1.5 s and ≤ 150 MB, linear), and ``sdd phr list`` over 40,000 (issue 13: at most 1.5× the
libyaml floor in every output mode, memory flat in N: also timed at 2,500 and 10,000, where
the peak MB beside 40,000's shows it). Records are
written as ``sdd phr new`` writes them, about 2 KB each, spread over 500 feature folders plus
constitution/ and general/. ``sdd phr validate`` (no result cache) is held to the goal of a
cold ``sdd validate``: at most 1.2× the libyaml floor. ``--quick``: validation at 2,000,
listing at 2,500 and 10,000."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks import harness
from benchmarks.harness import Result, read_floor_command, sdd_command, time_command

SIZES = (5_000, 10_000, 20_000)
FEATURES = 500
BUDGET_MS = {10_000: 1500.0}
BUDGET_MB = 150.0

PROMPT = (
    "Implement the {n}th slice of the feature: add the endpoint, its validation and tests.\n\n"
    "Context:\n- keep the public API stable\n- follow the constitution's testing rules\n\n"
    "```python\ndef handler(request):\n    return {{'ok': True, 'n': {n}}}\n```\n"
)
RESPONSE = (
    "Added the endpoint and six tests; all pass. Files: src/api/slice_{n}.py, "
    "tests/test_slice_{n}.py.\n" * 6
)


def _record(number: int, stage: str, feature: str) -> str:
    from sdd.base import yamlio
    from sdd.phr import record as phr

    front = {
        "id": phr.format_id(number),
        "title": f"Implement slice {number} of the feature",
        "stage": stage,
        "date": "2026-01-15",
        "surface": "agent",
        "model": "claude-sonnet-4-5",
        "feature": feature,
        "branch": feature,
        "user": "bench",
        "command": "/sp.implement",
        "labels": ["implementation", "api"],
        "links": {"spec": f"specs/{feature}/spec.md", "ticket": None, "adr": None, "pr": None},
        "files": [f"src/api/slice_{number}.py", f"tests/test_slice_{number}.py"],
        "tests": [f"tests/test_slice_{number}.py"],
    }
    return (
        f"---\n{yamlio.dump(front)}---\n\n## Prompt\n\n{phr.fence(PROMPT.format(n=number))}\n\n"
        f"## Response snapshot\n\n{phr.fence(RESPONSE.format(n=number))}\n\n"
        "## Outcome\n\n- ✅ Impact: endpoint added\n- 🧪 Tests: 6 passed\n- 📁 Files: 2\n"
        "- 🔁 Next prompts:\n- 🧠 Reflection:\n\n## Evaluation notes (flywheel)\n\n"
        "- Failure modes observed: none\n- Graders run and results (PASS/FAIL): PASS\n"
        "- Prompt variant (if applicable):\n- Next experiment (smallest change to try):\n"
    )


def generate(root: Path, count: int) -> None:
    """An sdd project at ``root`` holding ``count`` valid records."""
    from sdd.base.slugs import slugify
    from sdd.phr import record as phr

    (root / "sdd.yaml").write_text("version: 1\n", encoding="utf-8")
    features = [f"{n:03d}-feature-{n}" for n in range(1, FEATURES + 1)]
    for feature in features:
        (root / "specs" / feature).mkdir(parents=True)
    for number in range(1, count + 1):
        if number % 50 == 0:
            stage, route, feature = "general", "general", "none"
        elif number % 97 == 0:
            stage, route, feature = "constitution", "constitution", "none"
        else:
            feature = features[number % FEATURES]
            stage, route = ("spec", "plan", "tasks", "green", "red", "misc")[number % 6], feature
        folder = root / "history" / "prompts" / route
        folder.mkdir(parents=True, exist_ok=True)
        title = f"Implement slice {number} of the feature"
        name = phr.file_name(phr.format_id(number), slugify(title), stage)
        (folder / name).write_text(_record(number, stage, feature), encoding="utf-8")


LIST_SIZES = (2_500, 10_000, 40_000)
LIST_MODES = (("piped table", ()), ("--json", ("--json",)), ("--stage green", ("--stage", "green")))


def _list_results(runs: int) -> list[Result]:
    sdd = sdd_command()
    results = []
    for size in (2_500, 10_000) if harness.QUICK else LIST_SIZES:
        with tempfile.TemporaryDirectory(prefix="sdd-bench-phr-list-") as folder:
            root = Path(folder)
            generate(root, size)
            prompts = root / "history" / "prompts"
            floor, _ = time_command(read_floor_command(prompts), runs=runs, warmup=1)
            for mode, arguments in LIST_MODES:
                median, peak = time_command(
                    [*sdd, "--project", str(root), "phr", "list", *arguments], runs=runs, warmup=1
                )
                results.append(
                    Result(
                        f"sdd phr list, {mode}: {size:,} records",
                        median,
                        None,
                        runs,
                        peak,
                        floor_ms=floor,
                        floor_name="read + libyaml CSafeLoader front matter, same files",
                        goal=1.5,
                    )
                )
    return results


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    results = _list_results(runs)
    for size in (2_000,) if harness.QUICK else SIZES:
        with tempfile.TemporaryDirectory(prefix="sdd-bench-phr-") as folder:
            root = Path(folder)
            generate(root, size)
            repeats = max(3, runs // 3)
            floor, _ = time_command(
                read_floor_command(root / "history" / "prompts"), runs=repeats, warmup=1
            )
            median, peak = time_command(
                [*sdd, "--project", str(root), "phr", "validate", "--json"],
                runs=repeats,
                warmup=1,
            )
            results.append(
                Result(
                    f"sdd phr validate: {size:,} records",
                    median,
                    BUDGET_MS.get(size),
                    repeats,
                    peak,
                    floor_ms=floor,
                    floor_name="read + libyaml CSafeLoader front matter, same files",
                    goal=1.2,
                )
            )
    return results
