"""Benchmark of the app on synthetic plans of 1k, 10k and 100k actions.

Usage: python bench/bench_app.py [--sizes 1000,10000,100000] [--runs 5] [--out bench/results-app.md]

- first frame: cold start in a fresh process until the dashboard is painted, as a
  ratio to a bare Textual app started the same way in the same run (median of runs);
  "gauges" is when the database has been opened and the gauges filled;
- switch: key 3 until the actions table shows its rows;
- keystroke: one letter typed in the actions filter until the table is filtered;
- save: ctrl+s in a new-action form until the dashboard gauges show the new action.

Interaction timings are measured in the real app driven by Textual's test pilot:
from the key press to the moment the result is there (rows in the table, gauges
updated), watched by a task running in the app's own event loop; the pilot's
wait for the app to be idle afterwards is not counted.  The repaint that follows
is at most one frame (1/60 s) later.  Databases come from bench/.cache (built by bench_core.py's generator
if missing) and are copied to a temporary folder, so the cache is never modified.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import build  # noqa: E402

TARGET_RATIO, TARGET_MS = 1.5, 100


def cold_start(kind: str, db: Path | None) -> tuple[float, float | None]:
    cmd = [sys.executable, str(HERE / "app_start.py"), kind] + ([str(db)] if db else [])
    t0 = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout.split()
    frame = float(out[0]) - t0
    gauges = float(out[1]) - t0 if len(out) > 1 else None
    return frame, gauges


async def interactions(db_path: Path, folder: Path, runs: int) -> dict[str, float]:
    from coopterm.config import Config
    from coopterm.store import open_database
    from coopterm.ui.app import CooptermApp
    from coopterm.ui.screens.actions import ActionForm, ActionsScreen
    from coopterm.ui.widgets.virtual_table import VirtualTable

    app = CooptermApp(opener=lambda: open_database(db_path, create=False),
                      config=Config(path=folder / "config.toml"), watch_interval=3600)
    results: dict[str, list[float]] = {"switch": [], "keystroke": [], "save": []}
    async with app.run_test(size=(120, 40)) as pilot:

        async def until(condition, limit: float = 30.0) -> float:
            end = time.perf_counter() + limit
            while not condition():
                if time.perf_counter() > end:
                    raise TimeoutError
                await asyncio.sleep(0.0002)
            return time.perf_counter()

        async def timed(keys: tuple[str, ...], condition) -> float:
            """Seconds from sending ``keys`` until ``condition`` holds."""
            watcher = asyncio.create_task(until(condition))
            await asyncio.sleep(0)
            t0 = time.perf_counter()
            await pilot.press(*keys)
            return await watcher - t0

        await until(lambda: getattr(app.screen, "data", None) is not None)
        dashboard = app.screen
        t0 = time.perf_counter()
        await pilot.press("z")  # bound to nothing: what the pilot itself costs
        baseline = time.perf_counter() - t0

        def actions_shown() -> bool:
            return isinstance(app.screen, ActionsScreen) and app.screen.query_one(VirtualTable).row_count > 0

        for i in range(runs):
            await pilot.press("1")
            await until(lambda: app.screen is dashboard)
            results["switch"].append(await timed(("3",), actions_shown))

        table = app.screen.query_one(VirtualTable)
        for letter in "coopération"[:runs]:
            await pilot.press("escape", "slash")
            results["keystroke"].append(await timed((letter,), lambda letter=letter: app.screen.query_state.text == letter
                                                    and table.source.query.text == letter))
        await pilot.press("escape")

        for i in range(runs):
            proposed = dashboard.data.tallies.actions.proposed
            await pilot.press("n")
            await until(lambda: isinstance(app.screen, ActionForm))
            form = app.screen
            form.query_one("#f-title").value = f"Action du banc d'essai {i}"
            form.query_one("#f-status").value = "done"
            results["save"].append(await timed(("ctrl+s",), lambda: dashboard.data.tallies.actions.proposed == proposed + 1))
        assert table.row_count > 0
        await pilot.press("q")
    return {k: statistics.median(v) * 1000 for k, v in results.items()} | {"pilot_ms": baseline * 1000}


def source_db(n: int) -> Path:
    cache = HERE / ".cache"
    cache.mkdir(exist_ok=True)
    path = cache / f"core-{n}.db"
    if not path.exists():
        build(path, n)
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; median of {args.runs} runs; targets: first frame within "
        f"{TARGET_RATIO}x the bare app, switch, keystroke and save within {TARGET_MS} ms at 100k",
        "",
        "| actions | bare app first frame s | coopterm first frame s | ratio | gauges filled s | switch ms | keystroke ms | save → gauges ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            db = folder / "plan.db"
            shutil.copy(source_db(n), db)
            from coopterm.store import open_database

            open_database(db, create=False).close()  # migrate once, outside the timings
            bare, coop, gauges = [], [], []
            for _ in range(args.runs):
                bare.append(cold_start("bare", None)[0])
                frame, filled = cold_start("coopterm", db)
                coop.append(frame)
                gauges.append(filled)
            r = asyncio.run(interactions(db, folder, args.runs))
        b, c, g = statistics.median(bare), statistics.median(coop), statistics.median(gauges)
        lines.append(f"| {n:,} | {b:.3f} | {c:.3f} | {c / b:.2f} | {g:.2f} | {r['switch']:.0f} | "
                     f"{r['keystroke']:.0f} | {r['save']:.0f} |")
        print(lines[-1], f"(the pilot's own wait per key: {r['pilot_ms']:.0f} ms, not counted)", file=sys.stderr)
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
