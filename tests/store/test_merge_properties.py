"""Properties of merging, over random edits made on two copies with skewed clocks.

Each example starts from two exports of one small plan, applies a random sequence
of edits, deletions, creations, link changes and one-way merges on either copy
(each copy's clock off by its own amount, up to years), then checks:
- merging A into B and B into A gives the same content (order-independent);
- merging the same copy again changes nothing (idempotent);
- nothing committed on either side is lost: every row is there, and every version
  either won, was seen by the side that changed it afterwards, or is kept as a
  conflict for review;
- a deletion is never undone by a merge;
- an edit made after receiving the other copy's work wins, whatever the clocks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import tempfile
import time
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from coopterm.domain.actions import delete_action
from coopterm.models import Action, ActionTown, Challenge, Plan, Town
from coopterm.store import export_copy, open_database
from coopterm.store.merge import merge_copy
from tests.store.test_merge import content

YEAR_MS = 365 * 86_400_000


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "plan.db"
    with open_database(path) as db, db.write() as s:
        plan = Plan(title="Plan", start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31))
        towns = [Town(name=n) for n in ("Katowice", "Monastir", "Sierre")]
        s.add(plan)
        s.add_all(towns)
        s.flush()
        challenge = Challenge(plan_id=plan.id, number=1, title="Défi 1")
        s.add(challenge)
        s.flush()
        for i in range(4):
            action = Action(challenge_id=challenge.id, number=i + 1, title=f"Action {i + 1}")
            s.add(action)
            s.flush()
            s.add(ActionTown(action_id=action.id, town_id=towns[i % 3].id))
    return path


@contextlib.contextmanager
def clock(offset_ms: int):
    """This copy's wall clock, off by ``offset_ms``."""
    import coopterm.clock as module

    real = module.time
    module.time = types.SimpleNamespace(time_ns=lambda: time.time_ns() + offset_ms * 1_000_000)
    try:
        yield
    finally:
        module.time = real


ops = st.lists(
    st.tuples(
        st.sampled_from("ab"),
        st.sampled_from(["edit", "edit", "progress", "delete", "create", "link", "sync"]),
        st.integers(0, 5),
        st.text(alphabet="abcdéèçàÉ ✓", min_size=1, max_size=8),
    ),
    max_size=12,
)


def apply(db, kind: str, index: int, text: str) -> None:
    with db.write() as s:
        actions = s.exec(select(Action).where(Action.deleted_at.is_(None)).order_by(Action.id)).all()
        if kind == "create" or not actions:
            challenge = s.exec(select(Challenge)).first()
            s.add(Action(challenge_id=challenge.id, number=100 + index, title=text))
            return
        action = actions[index % len(actions)]
        if kind == "edit":
            action.title = text
        elif kind == "progress":
            action.progress = (index * 5) % 101
        elif kind == "delete":
            delete_action(s, action.id)  # as the app deletes: its towns go with it
        elif kind == "link":
            towns = s.exec(select(Town).order_by(Town.id)).all()
            town = towns[index % len(towns)]
            live = s.exec(select(ActionTown).where(ActionTown.action_id == action.id,
                                                   ActionTown.town_id == town.id,
                                                   ActionTown.deleted_at.is_(None))).first()
            if live is None:
                s.add(ActionTown(action_id=action.id, town_id=town.id))
            else:
                live.deleted_at = dt.datetime.now(dt.timezone.utc)


def versions(path: Path) -> dict[tuple[str, str], tuple[str, bool]]:
    """(table, id) -> (revision, deleted) for every row of the plan's tables."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in ("plan", "town", "challenge", "action", "action_town"):
            for row_id, revision, deleted in conn.execute(f"SELECT id, revision, deleted_at IS NOT NULL FROM {table}"):
                out[(table, row_id)] = (revision, bool(deleted))
        return out
    finally:
        conn.close()


def seen_revisions(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        seen = set()
        for row_id, revision, base in conn.execute("SELECT row_id, revision, base_revision FROM history"):
            seen.add((row_id, revision))
            if base:
                seen.add((row_id, base))
        return seen
    finally:
        conn.close()


def conflict_losers(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT row_id, other_revision FROM conflict"))
    finally:
        conn.close()


def restored(path: Path) -> set[tuple[str, str]]:
    """Rows a merge brought back because the other copy added work under them."""
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT table_name, row_id FROM conflict WHERE kind = 'restored'"))
    finally:
        conn.close()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Cases worth trying every run, whatever the random search finds.
@example(steps=[("a", "delete", 0, "x"), ("b", "edit", 0, "y")], skew_a=0, skew_b=0)
@example(steps=[("b", "edit", 0, "y"), ("a", "delete", 0, "x")], skew_a=YEAR_MS, skew_b=0)
@example(steps=[("a", "edit", 1, "x"), ("b", "progress", 1, "y")], skew_a=-YEAR_MS, skew_b=YEAR_MS)
@example(steps=[("a", "edit", 2, "x"), ("b", "sync", 0, "-"), ("b", "edit", 2, "z"), ("a", "link", 2, "-")],
         skew_a=2 * YEAR_MS, skew_b=-2 * YEAR_MS)
@given(steps=ops, skew_a=st.integers(-3 * YEAR_MS, 3 * YEAR_MS), skew_b=st.integers(-3 * YEAR_MS, 3 * YEAR_MS))
def test_merging_is_order_independent_idempotent_and_loses_nothing(template, steps, skew_a, skew_b):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        with open_database(template) as base:
            export_copy(base, folder / "a.db")
            export_copy(base, folder / "b.db")
        with open_database(folder / "a.db") as a, open_database(folder / "b.db") as b:
            sides = {"a": (a, b, skew_a), "b": (b, a, skew_b)}
            for side, kind, index, text in steps:
                db, other, skew = sides[side]
                with clock(skew):
                    if kind == "sync":
                        merge_copy(db, other.path)
                    else:
                        apply(db, kind, index, text)
            before_a, before_b = versions(a.path), versions(b.path)
            deleted = {key for key, (_, gone) in {**before_a, **before_b}.items() if gone}
            deleted |= {key for key, (_, gone) in before_b.items() if gone}

            export_copy(a, folder / "a2.db")
            export_copy(b, folder / "b2.db")
        with open_database(folder / "a2.db") as a2, open_database(folder / "b2.db") as b2:
            with clock(skew_a):
                merge_copy(a2, folder / "b.db")
            with clock(skew_b):
                merge_copy(b2, folder / "a.db")
            assert content(a2.path) == content(b2.path)  # order-independent

            with clock(skew_a):
                assert merge_copy(a2, folder / "b.db").changes == 0  # idempotent
                assert merge_copy(a2, b2.path).changes == 0  # and both sides agree

            merged = versions(a2.path)
            seen = seen_revisions(a2.path)
            losers = conflict_losers(a2.path)
            for before in (before_a, before_b):
                for key, (revision, _) in before.items():
                    assert key in merged, f"{key} lost"
                    kept = merged[key][0]
                    assert kept == revision or (key[1], revision) in seen or (key[1], revision) in losers, (
                        f"{key}: version {revision} neither kept, superseded nor in conflict")
            brought_back = restored(a2.path)
            for key in deleted:
                assert merged[key][1] or key in brought_back, f"deletion of {key} undone, and not for review"


def test_an_edit_made_after_receiving_the_other_copy_wins_whatever_the_clocks(template, tmp_path):
    with open_database(template) as base:
        export_copy(base, tmp_path / "a.db")
        export_copy(base, tmp_path / "b.db")
    with open_database(tmp_path / "a.db") as a, open_database(tmp_path / "b.db") as b:
        with clock(+2 * YEAR_MS):  # a's clock runs two years ahead
            apply(a, "edit", 0, "fait à Katowice")
        with clock(-2 * YEAR_MS):  # b's is two years behind
            merge_copy(b, a.path)
            apply(b, "edit", 0, "corrigé à Sierre")
        with clock(+2 * YEAR_MS):
            result = merge_copy(a, b.path)
        assert result.tables["action"].conflicts == 0
        with a.read() as s:
            titles = {x.title for x in s.exec(select(Action))}
        assert "corrigé à Sierre" in titles and "fait à Katowice" not in titles
