"""Detection: ``sdd adr detect`` on a generated 2,000-file, 50,000-line diff (budget 500 ms).

Measured as whole processes, three ways: the diff read from a file (``--diff-file``), the same
changes staged in a real repository (``git diff --cached`` included, and timed alone as the
floor), and ``--json`` output.
A small diff is measured against ``sdd --help`` in the same run (budget: twice its median), once
in a stack the rules know and once in a language none of them names (which should pay nothing
for them). With the corpus present (../shared/corpus), ``sdd adr eval`` prints the dev set's
precision and recall per ecosystem.
"""

from __future__ import annotations

import json
import random
import subprocess
import tempfile
from pathlib import Path

from benchmarks.harness import Result, git, sdd_command, time_command

FILES = 2000
LINES = 50_000

_TEMPLATES = {
    "py": [
        "def handler_{n}(request, value):",
        "    result = compute_{n}(value, factor={n})",
        '    return {{"id": {n}, "name": name_{n}}}',
        "    # tidy item {n}",
        "import module_{n}",
        "    if value > {n}:",
        '        logger.info("processed %s", value)',
    ],
    "js": [
        'const item{n} = require("./item{n}");',
        "function handle{n}(req, res) {{",
        "  return res.json({{ id: {n} }});",
        "// note {n}",
        "  if (value > {n}) {{ total += value; }}",
        "module.exports = {{ handle{n} }};",
    ],
    "ts": [
        "export const value{n}: number = {n};",
        "export function compute{n}(input: string): string {{",
        '  return input.trim() + "{n}";',
        "interface Shape{n} {{ id: number; name: string }}",
    ],
    "go": [
        "func Handle{n}(w http.ResponseWriter, r *http.Request) {{",
        "\tvalue := compute({n})",
        '\tfmt.Fprintf(w, "%d", value)',
        "type Item{n} struct {{ ID int }}",
    ],
    "java": [
        "public class Service{n} {{",
        "    private final int value = {n};",
        "    public int compute(int input) {{ return input * {n}; }}",
        "    // comment {n}",
    ],
}
# A few real signals so the engine does its full work (evidence, keys, manifests).
_SIGNALS = {
    "src/app/main.py": ["app.add_middleware(CORSMiddleware, allow_origins=['*'])"],
    "src/app/security.py": ["import jwt", "token = jwt.encode(payload, key, algorithm='HS256')"],
    "migrations/versions/0001_users.py": ["op.create_table('users', sa.Column('id', sa.Integer))"],
}


def file_contents(seed: int = 7) -> dict[str, tuple[list[str], list[str]]]:
    """path → (old lines, new lines) for the generated change."""
    rnd = random.Random(seed)
    exts = list(_TEMPLATES)
    per_file = LINES // FILES
    files: dict[str, tuple[list[str], list[str]]] = {}
    for index in range(FILES - len(_SIGNALS)):
        ext = exts[index % len(exts)]
        templates = _TEMPLATES[ext]
        old = [rnd.choice(templates).format(n=index * 100 + k) for k in range(per_file // 3)]
        new = [
            rnd.choice(templates).format(n=index * 100 + 50 + k) for k in range(per_file - len(old))
        ]
        files[f"src/pkg{index % 40}/module_{index}.{ext}"] = (old, new)
    for path, lines in _SIGNALS.items():
        files[path] = ([], lines)
    return files


def unified_diff(files: dict[str, tuple[list[str], list[str]]]) -> bytes:
    out = []
    for path, (old, new) in files.items():
        if old:
            out.append(f"diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n")
            out.append(f"--- a/{path}\n+++ b/{path}\n@@ -1,{len(old)} +1,{len(new)} @@\n")
        else:
            out.append(f"diff --git a/{path} b/{path}\nnew file mode 100644\n")
            out.append(f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(new)} @@\n")
        out.extend(f"-{line}\n" for line in old)
        out.extend(f"+{line}\n" for line in new)
    return "".join(out).encode("utf-8")


def staged_repository(folder: Path, files: dict[str, tuple[list[str], list[str]]]) -> Path:
    root = folder / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for path, (old, _new) in files.items():
        if old:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(old) + "\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    for path, (_old, new) in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(new) + "\n", encoding="utf-8")
    git(root, "add", "-A")
    return root


SMALL_PYTHON = (
    "diff --git a/app/main.py b/app/main.py\n--- a/app/main.py\n+++ b/app/main.py\n"
    "@@ -1,2 +1,3 @@\n app = FastAPI()\n+app.add_middleware(GZipMiddleware)\n x = 1\n"
)
SMALL_C = (
    "diff --git a/src/buffer.c b/src/buffer.c\n--- a/src/buffer.c\n+++ b/src/buffer.c\n"
    "@@ -1,2 +1,3 @@\n #include <stdlib.h>\n+static size_t grow(size_t n) { return n * 2; }\n"
    " int x;\n"
)
# The one git call ``--staged`` makes for the diff, as sdd.base.gitio runs it.
STAGED_DIFF = [
    "git", "-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff", "--no-textconv",
    "--no-renames", "--no-relative", "--raw", "-z", "-p", "--src-prefix=a/", "--dst-prefix=b/",
    "--cached", "--",
]  # fmt: skip
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "diffs" / "labels.tsv"


def small_diffs(sdd: list[str], folder: Path, runs: int) -> list[Result]:
    help_median, help_peak = time_command([*sdd, "--help"], runs=runs, cwd=folder)
    results = [Result("sdd --help (the peer of a small diff)", help_median, None, runs, help_peak)]
    for name, text in (("python", SMALL_PYTHON), ("c, no known stack", SMALL_C)):
        path = folder / f"small-{name[0]}.diff"
        path.write_text(text, encoding="utf-8")
        median, peak = time_command(
            [*sdd, "adr", "detect", "--diff-file", str(path)], runs=runs, cwd=folder
        )
        label = f"adr detect, a 1-line diff ({name}); budget 2x --help"
        results.append(
            Result(
                label,
                median,
                2 * help_median,
                runs,
                peak,
                peer_ms=help_median,
                peer_name="sdd --help",
                goal=2,
                goal_of="peer",
            )
        )
    return results


def corpus_figures(sdd: list[str]) -> None:
    """Print the dev set's figures as ``sdd adr eval`` measures them (clear rows)."""
    if not CORPUS.exists():
        print("(corpus absent: no precision/recall figures)")
        return
    completed = subprocess.run(
        [*sdd, "adr", "eval", str(CORPUS), "--json"], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        print(f"adr eval failed: {completed.stderr.strip()}")
        return
    document = json.loads(completed.stdout)
    rows = [("verdict", document["verdict"]), *document["ecosystems"].items()]
    for name, score in rows:
        print(
            f"adr eval {name:<10} commits {score['commits']:>3}  precision "
            f"{score['precision']:.2f}  recall {score['recall']:.2f}"
        )


def run(runs: int) -> list[Result]:
    sdd = sdd_command()
    files = file_contents()
    results = []
    corpus_figures(sdd)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results.extend(small_diffs(sdd, folder, runs))
        diff = folder / "change.diff"
        diff.write_bytes(unified_diff(files))
        outside = folder / "outside"
        outside.mkdir()
        median, peak = time_command(
            [*sdd, "adr", "detect", "--diff-file", str(diff)], runs=runs, cwd=outside
        )
        results.append(
            Result("adr detect --diff-file (2,000 files, 50,000 lines)", median, 500, runs, peak)
        )
        median, peak = time_command(
            [*sdd, "adr", "detect", "--json", "--diff-file", str(diff)], runs=runs, cwd=outside
        )
        results.append(Result("adr detect --json --diff-file (same diff)", median, 500, runs, peak))
        root = staged_repository(folder, files)
        floor, _ = time_command(STAGED_DIFF, runs=runs, cwd=root)
        results.append(Result("git diff --cached (the floor of --staged)", floor, None, runs))
        median, peak = time_command([*sdd, "adr", "detect", "--staged"], runs=runs, cwd=root)
        results.append(
            Result(
                "adr detect --staged in a repository (same change)",
                median,
                500,
                runs,
                peak,
                floor_ms=floor,
                floor_name="git diff --cached, as sdd runs it",
            )
        )
    return results
