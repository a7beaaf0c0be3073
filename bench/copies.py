"""The benchmark's working copies of a synthetic plan, and what the screen should show on them.

The cached plans (synthetic.py) are never written to.  Each size is measured on a
copy in a temporary folder, prepared once for the measurements that need more than
the plan as built:

- its change history is spread over the last 1000 days (every entry was written the
  day the plan was built, so ``history --since`` last week would print all of it, not
  a recent week's worth);
- a second copy, exported as a field copy is and with 10 actions changed through
  coopterm's own models and store, for ``import --dry-run``.

Every town of the synthetic plans is on about 60 % of its actions (each action has
one to five of the five towns), and each of its four défis holds a quarter of them
(25,000 at 100k): the filter and delete measurements need no other data.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from coopterm.store import open_database

HISTORY_DAYS = 1000


def working_copy(source: Path, dest: Path) -> Path:
    """A copy of the cached plan at ``dest``, brought to this coopterm's schema, its history aged."""
    shutil.copyfile(source, dest)
    open_database(dest, create=False).close()  # migrates when the cache is older than this coopterm
    age_history(dest)
    return dest


def age_history(path: Path) -> None:
    """Spread the history entries over the last ``HISTORY_DAYS`` days, one day per entry in turn.

    Bench set-up only: one UPDATE with the sqlite3 module, in one transaction; the
    revisions and everything a merge compares are left alone.
    """
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE history SET at = strftime('%Y-%m-%d %H:%M:%S', at, printf('-%d days', 1 + rowid % ?))"
            " || substr(at, 20)", (HISTORY_DAYS,))
    conn.close()


def ten_change_copy(db_path: Path, dest: Path, changes: int = 10, seed: int = 15) -> Path:
    """An exported copy of ``db_path`` in which ``changes`` actions were changed as the app changes them."""
    from sqlmodel import select

    from coopterm.models import Action
    from coopterm.store.export import export_copy
    from coopterm.vocabulary import ActionStatus

    with open_database(db_path, create=False) as db:
        export_copy(db, dest)
    rng = random.Random(seed)
    with open_database(dest, create=False) as db:
        with db.read() as s:
            ids = sorted(s.exec(select(Action.id).where(Action.deleted_at.is_(None))).all())
        chosen = rng.sample(ids, changes)
        with db.write() as s:
            for row in s.exec(select(Action).where(Action.id.in_(chosen))):
                row.title = f"{row.title} (terrain)"
                row.progress = rng.randint(0, 100)
                row.status = rng.choice(list(ActionStatus))
    return dest


@dataclass
class Expected:
    """The completion rate the dashboard's first gauge shows, kept in step with the actions
    the benchmark adds (each journey saves one planned action: one more proposed, none done)."""

    done: int
    proposed: int
    target: float | None

    def added(self, count: int = 1) -> None:
        self.proposed += count

    def gauge_text(self) -> str:
        from coopterm import present

        return present.percent(Fraction(self.done, self.proposed) * 100, lang="fr")


def expected_figures(db_path: Path) -> Expected:
    """What the plan's first indicator stands on, read through the workspace as ``status`` does."""
    from coopterm.workspace import Workspace

    with open_database(db_path, create=False, verify=False) as db:
        status = Workspace(db).plans.status(dt.date.today())
    if status is None:
        raise RuntimeError(f"{db_path} has no current plan")
    first = status.indicators[0]
    if first.key != "completion_rate":
        raise RuntimeError(f"the first gauge is {first.key}, the benchmark expects the completion rate")
    return Expected(first.details["done"], first.details["proposed"], first.target)


def challenge_ids(db_path: Path) -> list[tuple[object, int]]:
    """The live défis (id, live actions), the largest first: what the delete measurement removes."""
    from coopterm.workspace import Workspace

    with open_database(db_path, create=False, verify=False) as db:
        data = Workspace(db)
        plan = data.plans.current()
        assert plan is not None
        summaries = data.challenges.summaries(plan.id)
    return sorted(((s.challenge.id, s.actions) for s in summaries), key=lambda x: -x[1])
