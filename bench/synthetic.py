"""Synthetic plans of any size, written through coopterm's own models and store.

Used by the benchmarks: N actions spread over four défis, five partner towns,
N/5 pilots, and 5 x N meetings (with surveys on one in four), committed in
batches as the app would, so the file looks like years of real use.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from coopterm.domain.plans import set_current_plan
from coopterm.models import (
    Action,
    ActionPilot,
    ActionTown,
    Challenge,
    Indicator,
    Meeting,
    Person,
    Plan,
    PlanTown,
    Town,
)
from coopterm.store import open_database
from coopterm.vocabulary import ActionStatus, MeetingKind

BATCH = 5_000
TOWNS = ("Katowice", "Monastir", "Sierre", "Tamatave", "Saint-Étienne")


def build(path: Path, actions: int, seed: int = 2019) -> Path:
    rng = random.Random(seed)
    start = dt.date(2019, 1, 1)
    with open_database(path) as db:
        with db.write() as s:
            plan = Plan(title=f"Synthetic plan, {actions} actions", start_date=start, end_date=dt.date(2021, 12, 31))
            towns = [Town(name=n) for n in TOWNS]
            s.add(plan)
            s.add_all(towns)
            s.flush()
            s.add_all(PlanTown(plan_id=plan.id, town_id=t.id) for t in towns)
            challenges = [Challenge(plan_id=plan.id, number=i, title=f"Défi {i}", transversal=i == 0) for i in range(4)]
            s.add_all(challenges)
            people = [Person(name=f"Pilote {i}", town_id=towns[i % 5].id) for i in range(max(1, actions // 5))]
            s.add_all(people)
            for key, target in (("completion_rate", 90), ("satisfaction_rate", 95), ("multilateral_share", 95),
                                ("new_projects", None)):
                s.add(Indicator(plan_id=plan.id, key=key, label=key, unit="%", target=target, computed=True))
            s.flush()
            set_current_plan(s, plan.id)
        statuses = list(ActionStatus)
        for first in range(0, actions, BATCH):
            with db.write() as s:
                rows = []
                for i in range(first, min(actions, first + BATCH)):
                    rows.append(Action(
                        challenge_id=challenges[i % 4].id, number=i // 4 + 1, title=f"Fiche-action {i} coopération",
                        status=rng.choice(statuses), progress=rng.randint(0, 100),
                        start_date=start, due_date=start + dt.timedelta(days=rng.randint(0, 1000)),
                    ))
                s.add_all(rows)
                s.flush()
                for a in rows:
                    for town in rng.sample(towns, rng.randint(1, 5)):
                        s.add(ActionTown(action_id=a.id, town_id=town.id))
                    s.add(ActionPilot(action_id=a.id, person_id=rng.choice(people).id))
        kinds = list(MeetingKind)
        for first in range(0, 5 * actions, BATCH):
            with db.write() as s:
                for i in range(first, min(5 * actions, first + BATCH)):
                    survey = {}
                    if i % 4 == 0:
                        survey = dict(survey_very_satisfied=rng.randint(0, 20),
                                      survey_satisfied=rng.randint(0, 20),
                                      survey_not_very_satisfied=rng.randint(0, 5),
                                      survey_not_satisfied=rng.randint(0, 2))
                    s.add(Meeting(
                        plan_id=plan.id, kind=kinds[i % len(kinds)], town_id=towns[i % 5].id,
                        starts_at=dt.datetime(2019, 1, 1, 9, tzinfo=dt.timezone.utc) + dt.timedelta(hours=i),
                        title=f"Réunion {i}", **survey,
                    ))
    return path


def cached_plan(actions: int, log=print) -> Path:
    """The synthetic plan of ``actions`` actions, built once into bench/.cache.

    Keyed by size and schema revision, so a schema change builds a new file rather
    than timing a migration.  Built under a temporary name and renamed when
    complete, so an interrupted build is never taken for a finished one.
    """
    import os
    import time

    from coopterm.store import schema

    cache = Path(__file__).resolve().parent / ".cache"
    cache.mkdir(exist_ok=True)
    path = cache / f"plan-{actions}-{schema.HEAD}.db"
    if path.exists():
        return path
    building = path.with_suffix(".building")
    for leftover in cache.glob(building.name + "*"):
        leftover.unlink()
    log(f"building a plan of {actions:,} actions into {path} (once)…")
    t0 = time.perf_counter()
    build(building, actions)
    os.replace(building, path)
    log(f"  built in {time.perf_counter() - t0:.0f} s")
    return path
