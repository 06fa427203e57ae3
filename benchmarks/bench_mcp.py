"""``sdd mcp``: server start to the first tool result, and a ``validate`` call on a warm
server, beside the CLI doing the same (``sdd status --json``, ``sdd validate --json``).

The project is the features benchmark's (500 features, 10,000 PHRs; ``--quick``: a tenth).
Timed through the MCP SDK's own stdio client, as an agent would start and call the server.

Usage: ``python -m benchmarks.bench_mcp [--runs N] [--quick]``, or as a section of
``python -m benchmarks.run --only mcp``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_features import FEATURES, PHRS, generate
from benchmarks.harness import HEADER, Result, floor_ms, sdd_command, time_command


def _server_timings(root: Path, runs: int) -> tuple[float, float]:
    """Median ms from spawning the server to the first ``status`` result, and of a
    ``validate`` call on the warm server."""
    import anyio
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    server = StdioServerParameters(command=sdd_command()[0], args=["mcp"], cwd=root)
    starts: list[float] = []
    calls: list[float] = []

    async def once(validate_calls: int) -> None:
        start = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            async with (
                stdio_client(server, errlog=quiet) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                result = await session.call_tool("status", {})
                starts.append((time.perf_counter() - start) * 1000)
                if result.is_error:
                    raise SystemExit(f"sdd mcp status failed: {result.content}")
                for _ in range(validate_calls):
                    began = time.perf_counter()
                    result = await session.call_tool("validate", {})
                    calls.append((time.perf_counter() - began) * 1000)
                    if result.is_error:
                        raise SystemExit(f"sdd mcp validate failed: {result.content}")

    anyio.run(once, runs)  # one warm-up start; its validate calls are the timed ones
    starts.clear()
    for _ in range(runs):
        anyio.run(once, 0)
    return statistics.median(starts), statistics.median(calls)


def run(runs: int, *, features: int = FEATURES, phrs: int = PHRS) -> list[Result]:
    sdd = sdd_command()
    size = f"{features} features, {phrs} PHRs"
    with tempfile.TemporaryDirectory(prefix="sdd-bench-mcp-") as folder:
        root = Path(folder) / "project"
        generate(root, features=features, phrs=phrs)
        status_cli, _ = time_command([*sdd, "status", "--json"], runs=runs, cwd=root)
        validate_cli, _ = time_command([*sdd, "validate", "--json"], runs=runs, cwd=root)
        first_result, validate_call = _server_timings(root, runs)
    return [
        Result(f"CLI: sdd status --json ({size})", status_cli, None, runs),
        Result("MCP: server start to first tool result (status)", first_result, None, runs),
        Result(f"CLI: sdd validate --json ({size})", validate_cli, None, runs),
        Result("MCP: validate call on the running server", validate_call, None, runs),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a tenth of the project")
    options = parser.parse_args(argv)
    scale = 10 if options.quick else 1
    floor = floor_ms(max(options.runs, 5))
    print(HEADER)
    print(f"{'floor: python -c pass':<58} {floor:>9.1f}")
    results = run(options.runs, features=FEATURES // scale, phrs=PHRS // scale)
    for result in results:
        print(result.row(floor))
    cli_status, first, cli_validate, call = (r.median_ms for r in results)
    print(
        f"ratios: start+status / CLI status = {first / cli_status:.2f}; "
        f"validate call / CLI validate = {call / cli_validate:.2f}; "
        f"start+status / floor = {first / floor:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
