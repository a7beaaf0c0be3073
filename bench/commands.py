"""coopterm's command line, timed as a script meets it: wall time of a fresh process.

Each command runs in a subprocess with Python's start-up and imports included, next
to ``python -c "import sqlmodel"`` in the same run: what any SQLModel program pays
before it does anything, the yardstick of the ``status`` target.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

RECENT_DAYS = 7


def coopterm_argv() -> list[str]:
    """coopterm as a person types it: the venv's console script, else ``python -m coopterm``."""
    script = Path(sys.executable).with_name("coopterm")
    return [str(script)] if script.exists() else [sys.executable, "-m", "coopterm"]


def wall(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds the command takes, and what it printed; a failure stops the benchmark."""
    t0 = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=1800)
    seconds = time.perf_counter() - t0
    if out.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return seconds, out.stdout


def command_line(db: Path, copy: Path, report: Path, env: dict[str, str]) -> dict[str, float]:
    """One run of each command, ``import sqlmodel`` first; seconds, and the lines ``history`` printed."""
    coop = [*coopterm_argv(), "--lang", "fr", "--db", str(db)]
    since = (dt.date.today() - dt.timedelta(days=RECENT_DAYS)).isoformat()
    out: dict[str, float] = {}
    out["sqlmodel"], _ = wall([sys.executable, "-c", "import sqlmodel"], env)
    out["status"], _ = wall([*coop, "status"], env)
    out["history"], printed = wall([*coop, "history", "--since", since], env)
    out["history_lines"] = len(printed.splitlines())
    out["report"], _ = wall([*coop, "report", "-o", str(report), "--force"], env)
    out["import"], _ = wall([*coop, "import", "--dry-run", str(copy)], env)
    return out
