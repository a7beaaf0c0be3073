"""coopterm's benchmark: one command, the tables, checked against the targets.

Usage: python bench/run.py [--sizes 1000,10000,100000] [--runs 5] [--quick] [--only GROUP,...]
                           [--out bench/results.md]

For each size (N actions, 5 x N meetings, with their change history) it measures, on a
working copy of the cached plan (copies.py):

- **in a real terminal** (terminal.py, journeys.py: tmux 120 x 40, the screen read every
  10 ms, a fresh process each time, the bare Textual app of bare_app.py started just
  before each coopterm): launch until the dashboard's first gauge shows the plan's real
  figure, against the bare app's first line (target 2x); the first visit of screens 2-7
  from the key to the screen's rows (target 150 ms at 100k); in the actions screen the
  later visit, ``End``, the town filter, a filter keystroke and save → gauges (100 ms
  at 100k), and the app's peak memory (VmHWM, under 250 MB at 100k);
- **the command line** (commands.py): ``status`` against ``python -c "import sqlmodel"``
  in the same run (target 1.5x at 100k), ``history --since`` last week, ``report``,
  ``import --dry-run`` of a copy with 10 changed actions;
- **deleting a défi** (a quarter of the actions, 25,000 at 100k) through the workspace as
  the défis screen does (target 1 s at 100k);
- the in-process figures kept from before: switch / keystroke / save (app_drive.py),
  first frame against the bare app (app_start.py), export against ``sqlite3``'s
  ``.backup``, and at 10k the merge of two copies that each changed 10 %.

Timings are medians of ``--runs`` runs (``--quick``: 2 runs, merge once); ``--only``
measures some groups of columns (tables.GROUPS) while iterating.  A table of cost against
size follows.  Plans are built once through coopterm's own models and store and cached in
bench/.cache, keyed by size and schema revision; every measurement works on a copy in a
temporary folder, so the cache is never modified.  coopterm is the one installed beside
this Python (its console script), so the same harness measures any version.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bare_app import FIRST_LINE  # noqa: E402
from commands import command_line, coopterm_argv  # noqa: E402
from copies import challenge_ids, expected_figures, ten_change_copy, working_copy  # noqa: E402
from journeys import Coopterm, bare_start, first_visit, journey, start_only  # noqa: E402
from synthetic import cached_plan  # noqa: E402
from tables import GROUPS, render  # noqa: E402
from terminal import TmuxServer, normalised  # noqa: E402

from coopterm.store import open_database  # noqa: E402

MERGE_SIZE = 10_000


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def median_of(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


# --- the machine ------------------------------------------------------------------

def load_average() -> float | None:
    """The 1-minute load average: how much else the machine was running (not on every system)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def machine(loads: list[float | None]) -> list[str]:
    """The machine, and its 1-minute load average before each size and at the end: on a
    shared machine the figures are only comparable within one run."""
    cpu = platform.processor() or platform.machine()
    ram = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    system = platform.platform()
    try:
        pretty = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        system = f"{pretty.get('PRETTY_NAME', '').strip(chr(34))} ({platform.system()} {platform.release()})"
    except OSError:
        pass
    cli = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores; RAM {ram}",
        f"- OS: {system}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} (Python's), "
        f"sqlite3 command line {cli[0] if cli else '?'}, Textual {metadata.version('textual')}, "
        f"SQLAlchemy {metadata.version('sqlalchemy')}, SQLModel {metadata.version('sqlmodel')}",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        "- Load average (1 min) before each size and at the end: "
        + " / ".join("?" if x is None else f"{x:.1f}" for x in loads),
    ]


# --- the measurements ---------------------------------------------------------------

def cold_start(kind: str, db: Path | None) -> float:
    cmd = [sys.executable, str(HERE / "app_start.py"), kind] + ([str(db)] if db else [])
    t0 = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=300).stdout.split()
    return float(out[0]) - t0


def first_frames(db: Path, runs: int) -> tuple[float, float]:
    """Median first frame of the bare app and of coopterm, alternated so both see the same machine."""
    bare, coop = [], []
    for _ in range(runs):
        bare.append(cold_start("bare", None))
        coop.append(cold_start("coopterm", db))
    return statistics.median(bare), statistics.median(coop)


def app_drive(db: Path, runs: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(HERE / "app_drive.py"), str(db), str(runs)],
                         capture_output=True, text=True, timeout=1200)
    if out.returncode:
        raise RuntimeError(f"app_drive.py failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def export_vs_backup(db_path: Path, folder: Path, runs: int) -> tuple[float, float]:
    """Median seconds of export_copy and of `sqlite3 SRC ".backup DEST"`.

    Each run starts with the disk's write-back done (``os.sync``, not counted), and
    the two alternate which goes first, so neither pays for the other's writes.
    """
    from coopterm.store.export import export_copy

    def backup(dest: Path) -> None:
        subprocess.run(["sqlite3", str(db_path), f".backup '{dest}'"], check=True, capture_output=True)

    samples: dict[str, list[float]] = {"ours": [], "theirs": []}
    with open_database(db_path, create=False) as db:
        steps = [("theirs", backup), ("ours", lambda dest: export_copy(db, dest))]
        for i in range(runs):
            for name, fn in steps if i % 2 == 0 else steps[::-1]:
                dest = folder / f"{name}-{i}.db"
                os.sync()
                t0 = time.perf_counter()
                fn(dest)
                samples[name].append(time.perf_counter() - t0)
                dest.unlink()
    return statistics.median(samples["ours"]), statistics.median(samples["theirs"])


def change_tenth(path: Path, seed: int, tag: str) -> None:
    """Change a random 10 % of the actions and 10 % of the meetings, through the ORM as the app does."""
    from sqlmodel import select

    from coopterm.models import Action, Meeting
    from coopterm.vocabulary import ActionStatus

    rng = random.Random(seed)
    statuses = list(ActionStatus)
    with open_database(path, create=False) as db:
        for model in (Action, Meeting):
            with db.read() as s:
                ids = sorted(s.exec(select(model.id)).all())
            chosen = rng.sample(ids, len(ids) // 10)
            for first in range(0, len(chosen), 1000):
                with db.write() as s:
                    for row in s.exec(select(model).where(model.id.in_(chosen[first:first + 1000]))):
                        row.title = f"{row.title} ({tag})"
                        if model is Action:
                            row.progress = rng.randint(0, 100)
                            row.status = rng.choice(statuses)
                        else:
                            row.minutes = f"Compte rendu {tag}"


@dataclass
class MergeFigures:
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def merge_bench(source: Path, folder: Path, runs: int) -> MergeFigures:
    from coopterm.store.export import export_copy
    from coopterm.store.merge import merge_copy

    a, b = folder / "pilot-a.db", folder / "pilot-b.db"
    with open_database(source, create=False) as db:
        export_copy(db, a)
        export_copy(db, b)
    t0 = time.perf_counter()
    change_tenth(a, seed=1, tag="A")
    change_tenth(b, seed=2, tag="B")
    log(f"  (two copies changed 10 % each in {time.perf_counter() - t0:.1f} s)")
    samples, result = [], None
    for i in range(runs):
        target = folder / f"merge-{i}.db"
        shutil.copyfile(b, target)
        with open_database(target, create=False) as db:
            t0 = time.perf_counter()
            result = merge_copy(db, a)
            samples.append(time.perf_counter() - t0)
        for p in folder.glob(f"merge-{i}.db*"):
            p.unlink()
    tables = result.tables.values()
    return MergeFigures(statistics.median(samples), {
        "added": sum(c.added for c in tables), "changed": sum(c.changed for c in tables),
        "deleted": sum(c.deleted for c in tables), "conflicts": sum(c.conflicts for c in tables),
        "history": result.history_added,
    })


def delete_challenges(db_path: Path, count: int) -> tuple[list[float], int]:
    """Seconds to delete each of the ``count`` largest défis, as the défis screen does
    (the workspace's ``challenges.delete``, one transaction); and how many actions the
    first one held."""
    from coopterm.workspace import Workspace

    chosen = challenge_ids(db_path)[:count]
    samples = []
    with open_database(db_path, create=False, verify=False) as db:
        data = Workspace(db)
        for challenge_id, _ in chosen:
            t0 = time.perf_counter()
            data.challenges.delete(challenge_id)
            samples.append(time.perf_counter() - t0)
    return samples, chosen[0][1]


def terminal_env(folder: Path) -> dict[str, str]:
    """What every measured process runs with: bytecode caches allowed (a start would
    otherwise recompile), UTC times, a preferences file of the benchmark's own."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env |= {"TZ": "UTC", "COOPTERM_CONFIG": str(folder / "config.toml")}
    return env


def bench_size(n: int, runs: int, merge_runs: int, only: set[str]) -> dict:
    source = cached_plan(n, log=log)
    row: dict = {"n": n, "file_mb": source.stat().st_size / 1e6}
    samples: dict[str, list[float]] = defaultdict(list)
    row["samples"] = samples
    with tempfile.TemporaryDirectory(prefix="coopterm-bench-") as tmp:
        folder = Path(tmp)
        db = working_copy(source, folder / "plan.db")
        env = terminal_env(folder)
        expected = expected_figures(db)
        if "cli" in only:
            log(f"{n:,} actions: a copy with 10 changed actions, for import --dry-run…")
            copy = ten_change_copy(db, folder / "terrain.db")
        bare = [sys.executable, str(HERE / "bare_app.py")]
        argv = [*coopterm_argv(), "--lang", "fr", "--db", str(db)]

        def app() -> Coopterm:
            return Coopterm(argv, re.compile(re.escape(normalised(expected.gauge_text())) + " / "))

        if only & {"start", "visits", "journey"}:
            with TmuxServer(env) as server:
                log(f"{n:,} actions: in a terminal (one start of each, not counted, to warm the caches)…")
                bare_start(server, bare, FIRST_LINE)
                start_only(server, app())
                for i in range(runs):
                    log(f"  run {i + 1}/{runs}")
                    if "visits" in only:
                        for digit in (2, 4, 5, 6, 7):
                            samples["bare"].append(bare_start(server, bare, FIRST_LINE))
                            started, shown = first_visit(server, app(), digit)
                            samples["start"].append(started)
                            samples[f"visit{digit}"].append(shown)
                    elif "start" in only:
                        samples["bare"].append(bare_start(server, bare, FIRST_LINE))
                        samples["start"].append(start_only(server, app()))
                    if "journey" in only:
                        samples["bare"].append(bare_start(server, bare, FIRST_LINE))
                        steps = journey(server, app(), last_action=n - 1, run=i)
                        expected.added()
                        for key, value in steps.items():
                            samples[key].append(value)
        if "cli" in only:
            log(f"{n:,} actions: the command line…")
            for _ in range(runs):
                for key, value in command_line(db, copy, folder / "report.md", env).items():
                    samples[key].append(value)
        if "frame" in only:
            log(f"{n:,} actions: first frames in-process…")
            row["bare_s"], row["coop_s"] = first_frames(db, runs)
        if "export" in only:
            log(f"{n:,} actions: export…")
            row["export_s"], row["backup_s"] = export_vs_backup(db, folder, runs)
        if "merge" in only and n == MERGE_SIZE:
            log(f"{n:,} actions: merge…")
            row["merge"] = merge_bench(db, folder, merge_runs)
        if "inprocess" in only:
            log(f"{n:,} actions: the app, key by key, in-process…")
            row["inprocess"] = app_drive(db, runs)  # its saves add actions to this copy
        if "delete" in only:
            log(f"{n:,} actions: deleting défis…")
            samples["delete"], row["delete_actions"] = delete_challenges(db, min(runs, 4))  # last: it empties défis
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 runs, merge once")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"measure only these groups of columns, out of {','.join(GROUPS)}")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if only - set(GROUPS):
        parser.error(f"unknown group(s): {', '.join(sorted(only - set(GROUPS)))}; known: {', '.join(GROUPS)}")
    runs = 2 if args.quick else args.runs
    merge_runs = 1 if args.quick else 3
    rows, loads = [], []
    for size in args.sizes.split(","):
        loads.append(load_average())
        rows.append(bench_size(int(size), runs, merge_runs, only))
    loads.append(load_average())
    for r in rows:
        if "inprocess" in r:
            log(f"({r['n']:,}: the pilot's own wait per key, not counted: {r['inprocess']['pilot_ms']:.0f} ms)")
    doc = "\n".join(["# coopterm benchmark", "", "`python bench/run.py " + " ".join(sys.argv[1:]) + "`",
                     "", *machine(loads), "", render(rows, runs), ""])
    print(doc)
    args.out.write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
