"""Sync with a PostgreSQL hub, timed: publishing a plan, a laptop's first pull, a sync with
10 % changed each way, and a sync with nothing to do.

usage: python bench/sync_bench.py [--size 10000] [--runs 3]

A throwaway PostgreSQL cluster is started for the run (tests/postgres.py: ``initdb`` in a
temporary folder, as the ``postgres`` user under root).  Laptop A starts from the cached
synthetic plan, laptop B from an empty file.  Each run: A and B change a different random
10 % of actions and meetings (through the ORM, as the app does), A syncs (sends its
changes), then B syncs — the timed sync, which brings A's changes and sends its own — and
A syncs again.  Targets (issue 16): the two-way sync ≤ 5 s at 10k actions; a sync with
nothing to do ≤ 0.5 s, in-process and as the `coopterm sync` command.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import change_tenth  # noqa: E402
from synthetic import cached_plan  # noqa: E402

from coopterm.store import open_database  # noqa: E402
from coopterm.store.hub import init_hub  # noqa: E402
from coopterm.store.sync import sync  # noqa: E402
from tests.postgres import PostgresServer  # noqa: E402

TARGET_TWO_WAY_S, TARGET_NOTHING_S = 5.0, 0.5


def timed(action) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = action()
    return time.perf_counter() - t0, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print where the two-way sync spends its time")
    args = parser.parse_args()
    source = cached_plan(args.size, log=lambda *a: print(*a, file=sys.stderr))
    server = PostgresServer().start()
    folder = Path(tempfile.mkdtemp(prefix="coopterm-sync-bench-"))
    try:
        url = server.libpq_url(server.new_database())
        init_hub(url)
        shutil.copyfile(source, folder / "a.db")
        with open_database(folder / "a.db", create=False) as a:
            publish, _ = timed(lambda: sync(a, url))
        with open_database(folder / "b.db") as b:
            first_pull, _ = timed(lambda: sync(b, url))
        two_way, nothing, counts = [], [], {}
        for run in range(args.runs):
            change_tenth(folder / "a.db", seed=100 + run, tag=f"A{run}")
            change_tenth(folder / "b.db", seed=200 + run, tag=f"B{run}")
            with open_database(folder / "a.db", create=False) as a:
                sync(a)
            with open_database(folder / "b.db", create=False) as b:
                if args.profile and run == 0:
                    import cProfile
                    import pstats

                    profile = cProfile.Profile()
                    profile.runcall(sync, b)
                    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
                    continue
                seconds, result = timed(lambda: sync(b))
                two_way.append(seconds)
                counts = {"received": result.received, "sent": result.sent}
                nothing.append(timed(lambda: sync(b))[0])
            with open_database(folder / "a.db", create=False) as a:
                sync(a)
        command = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "coopterm", "sync", "--db", str(folder / "b.db")], check=True,
                           capture_output=True)
            command.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sqlmodel"], check=True)
        import_sqlmodel = time.perf_counter() - t0
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    ok = lambda value, target: "✓" if value <= target else "✗"  # noqa: E731
    median_two_way, median_nothing = statistics.median(two_way), statistics.median(nothing)
    print(f"| {args.size:,} actions | seconds | target |")
    print("|---|---:|---:|")
    print(f"| publish the plan to an empty hub (first sync) | {publish:.2f} | — |")
    print(f"| a new laptop's first sync (the whole plan) | {first_pull:.2f} | — |")
    print(f"| sync with 10 % changed each way ({counts.get('received', 0):,} changes received, "
          f"{counts.get('sent', 0):,} sent) | {median_two_way:.2f} {ok(median_two_way, TARGET_TWO_WAY_S)} | "
          f"{TARGET_TWO_WAY_S:g} |")
    print(f"| sync with nothing to do, in the app | {median_nothing:.3f} {ok(median_nothing, TARGET_NOTHING_S)} | "
          f"{TARGET_NOTHING_S:g} |")
    print(f"| `coopterm sync` with nothing to do (Python start-up included) | {statistics.median(command):.2f} | "
          f"— (`import sqlmodel` alone: {import_sqlmodel:.2f}) |")


if __name__ == "__main__":
    main()
