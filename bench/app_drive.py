"""The app under a user's hands, for run.py: interaction timings and the peak memory.

usage: python bench/app_drive.py DB RUNS
Prints one JSON object: median ms of ``switch`` (key 3 until the actions table shows
rows), ``keystroke`` (one letter in the actions filter until the table is filtered),
``save`` (ctrl+s in a new-action form until the dashboard gauges count the new
action), ``pilot_ms`` (what the test pilot itself costs per key, not counted), and
``peak_mb``: the highest resident memory of this process (VmHWM) over the whole run:
start, dashboard with its gauges, switches, filtering, saves, quit.

It runs in its own process so that the memory figure is the app's alone, and so
that every size starts from a cold interpreter.  The app is the real one, driven
by Textual's test pilot in a headless terminal of 120 x 40; each timing runs from
the key press to the moment the result is there, watched by a task in the app's
own event loop, so the pilot's wait for the app to be idle afterwards is not
counted.  The repaint that follows is at most one frame (1/60 s) later.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path


def peak_rss_mb() -> float:
    """VmHWM of this process: the most resident memory it ever had, in MB (10^6 bytes)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    import resource  # not Linux: ru_maxrss is in KiB on Linux-likes, bytes on macOS

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1e6 if sys.platform == "darwin" else rss * 1024 / 1e6


async def drive(db_path: Path, runs: int) -> dict[str, float]:
    from coopterm.config import Config
    from coopterm.store import open_database
    from coopterm.ui.app import CooptermApp
    from coopterm.ui.forms.action import ActionForm
    from coopterm.ui.screens.actions import ActionsScreen
    from coopterm.ui.widgets.virtual_table import VirtualTable

    app = CooptermApp(opener=lambda: open_database(db_path, create=False, verify=False),  # as the CLI does
                      config=Config(path=db_path.with_name("bench-config.toml")), watch_interval=3600)
    results: dict[str, list[float]] = {"switch": [], "keystroke": [], "save": []}
    async with app.run_test(size=(120, 40)) as pilot:

        async def until(condition, limit: float = 60.0) -> float:
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

        for _ in range(runs):
            await pilot.press("1")
            await until(lambda: app.screen is dashboard)
            results["switch"].append(await timed(("3",), actions_shown))

        table = app.screen.query_one(VirtualTable)
        for letter in "coopération"[:runs]:
            await pilot.press("escape", "slash")
            before = table.source  # filtering gives the table a new window of rows
            results["keystroke"].append(await timed(
                (letter,), lambda letter=letter, before=before: app.screen.query_state.text == letter
                and table.source is not before))
        await pilot.press("escape")
        assert table.row_count > 0

        for i in range(runs):
            proposed = dashboard.data.tallies.actions.proposed
            await pilot.press("n")
            await until(lambda: isinstance(app.screen, ActionForm))
            form = app.screen
            form.query_one("#f-title").value = f"Action du banc d'essai {i}"
            form.query_one("#f-status").value = "done"
            results["save"].append(await timed(
                ("ctrl+s",), lambda proposed=proposed: dashboard.data.tallies.actions.proposed == proposed + 1))
        await pilot.press("q")
    return {k: statistics.median(v) * 1000 for k, v in results.items()} | {"pilot_ms": baseline * 1000}


def main() -> None:
    result = asyncio.run(drive(Path(sys.argv[1]), int(sys.argv[2])))
    result["peak_mb"] = peak_rss_mb()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
