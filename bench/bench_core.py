"""Benchmark of the core: open, status and export on synthetic plans of 1k, 10k and 100k actions.

Usage: python bench/bench_core.py [--sizes 1000,10000,100000] [--out bench/results-core.md]
Prints a table; generated databases are cached in bench/.cache/ (delete it to rebuild).
Each timing is the median of several runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import build  # noqa: E402

from coopterm.cli import status_document  # noqa: E402
from coopterm.store import export_copy, open_database  # noqa: E402


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def bench_size(n: int, runs: int) -> dict[str, float]:
    cache = HERE / ".cache"
    cache.mkdir(exist_ok=True)
    path = cache / f"core-{n}.db"
    row: dict[str, float] = {}
    if not path.exists():
        t0 = time.perf_counter()
        build(path, n)
        row["build_s"] = time.perf_counter() - t0
    with open_database(path, create=False):
        pass  # bring a cached file to the current schema before measuring anything
    row["size_mb"] = path.stat().st_size / 1e6

    def open_close():
        with open_database(path, create=False):
            pass

    row["open_ms"] = timed(open_close, runs) * 1000
    with open_database(path, create=False) as db:
        row["status_ms"] = timed(lambda: status_document(db), runs) * 1000
        with tempfile.TemporaryDirectory() as folder:
            counter = iter(range(10_000))
            row["export_ms"] = timed(lambda: export_copy(db, Path(folder) / f"x{next(counter)}.db"), runs) * 1000
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "coopterm", "status", "--json", "--db", str(path)]
    row["status_cli_ms"] = timed(lambda: subprocess.run(cmd, check=True, capture_output=True, env=env), runs) * 1000
    return row


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}; median of {args.runs} runs",
        "",
        "| actions | meetings | file MB | open ms | status (in process) ms | `coopterm status --json` ms | export ms |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        r = bench_size(n, args.runs)
        if "build_s" in r:
            print(f"(built {n} actions in {r['build_s']:.1f} s)", file=sys.stderr)
        lines.append(
            f"| {n:,} | {5 * n:,} | {r['size_mb']:.1f} | {r['open_ms']:.1f} | {r['status_ms']:.1f} | "
            f"{r['status_cli_ms']:.0f} | {r['export_ms']:.0f} |"
        )
        print(lines[-1], file=sys.stderr)
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
