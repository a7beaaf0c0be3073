"""Properties of merging, over random edits made on two copies with skewed clocks.

Each example starts from two exports of one small plan, applies a random sequence
of edits through the app's own rules (titles, progress, notes and dates of actions, their
towns and pilots, deletions of actions and of the défi, creations that may reuse a
number, the target of a computed indicator) and one-way merges on either copy
(each copy's clock off by its own amount, up to years), then checks:
- merging A into B and B into A gives the same content (order-independent);
- merging the same copy again changes nothing (idempotent);
- nothing committed on either side is lost: every row is there, and every field
  value either is in the merged row, was seen by the other side before it changed
  that field, or is kept in a conflict for review;
- a deletion is never undone by a merge, unless work added under the deleted row
  on the other copy brought it back, which the conflict review then says;
- no live row hangs under a deleted one, and a natural key (an action's town or
  pilot, a plan's computed indicator) has one live row;
- an edit made after receiving the other copy's work wins, whatever the clocks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import tempfile
import time
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from coopterm.domain.actions import action_detail, create_action, delete_action, update_action
from coopterm.domain.challenges import delete_challenge
from coopterm.domain.manual_indicators import set_computed_target
from coopterm.models import SHARED_TABLES, Action, ActionTown, Challenge, Person, Plan, Town, table_of
from coopterm.store import export_copy, open_database
from coopterm.store.merge import merge_copy
from coopterm.store.rowdata import content_columns
from tests.store.merging import orphans
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
        s.add_all(Person(name=n) for n in ("Adel Janeb", "Ewa Nowak"))
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
        st.sampled_from(["edit", "edit", "progress", "notes", "dates", "delete", "create", "link", "pilot",
                         "drop_challenge", "target", "sync"]),
        st.integers(0, 5),
        st.text(alphabet="abcdéèçàÉ ✓", min_size=1, max_size=8).filter(str.strip),  # a title, never blank
    ),
    max_size=12,
)


def apply(db, kind: str, index: int, text: str) -> None:
    with db.write() as s:
        actions = s.exec(select(Action).where(Action.deleted_at.is_(None)).order_by(Action.id)).all()
        challenge = s.exec(select(Challenge)).first()
        if kind == "target":
            set_computed_target(s, challenge.plan_id, "new_projects", str(index))
            return
        if kind == "drop_challenge":
            delete_challenge(s, challenge.id)  # its actions and their links go with it
            return
        if kind == "create" or not actions:
            if challenge.deleted_at is None:
                # The next free number: the same on both copies, so two creations share it.
                create_action(s, {"challenge_id": challenge.id, "title": f"Action {text}"})
            return
        action = actions[index % len(actions)]
        if kind == "edit":
            action.title = text
        elif kind == "progress":
            action.progress = (index * 5) % 101
        elif kind == "notes":
            action.notes = text
        elif kind == "dates":  # one date of the first action moved, agreeing with the other on this copy
            action = actions[0]
            day = dt.date(2019, 1 + index * 2, 1 + len(text))
            if index % 2 == 0 and (action.due_date is None or action.due_date >= day):
                action.start_date = day
            elif index % 2 == 1 and (action.start_date is None or action.start_date <= day):
                action.due_date = day
        elif kind == "delete":
            delete_action(s, action.id)  # as the app deletes: its towns go with it
        elif kind in ("link", "pilot"):
            # Toggle one town or pilot of the action through the form's rule.
            field, model = ("towns", Town) if kind == "link" else ("pilots", Person)
            values = action_detail(s, action.id).form_values()
            choices = s.exec(select(model.id).where(model.deleted_at.is_(None)).order_by(model.id)).all()
            chosen = choices[index % len(choices)]
            linked = list(values[field])
            values[field] = [i for i in linked if i != chosen] if chosen in linked else [*linked, chosen]
            update_action(s, action.id, values)


def versions(path: Path) -> dict[tuple[str, str], tuple[str, bool]]:
    """(table, id) -> (revision, deleted) for every row of the plan's tables."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for model in SHARED_TABLES:
            table = model.__tablename__
            for row_id, revision, deleted in conn.execute(f"SELECT id, revision, deleted_at IS NOT NULL FROM {table}"):
                out[(table, row_id)] = (revision, bool(deleted))
        return out
    finally:
        conn.close()


def fields(path: Path, *, live: bool = True) -> dict[tuple[str, str], dict[str, object]]:
    """(table, id) -> {field: value as stored} for every live row (or every row)."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for model in SHARED_TABLES:
            names = content_columns(table_of(model))
            for row in conn.execute(f"SELECT id, {', '.join(names)} FROM {model.__tablename__} "
                                    f"WHERE {'deleted_at IS NULL' if live else '1'}"):
                out[(model.__tablename__, row[0])] = dict(zip(names, row[1:]))
        return out
    finally:
        conn.close()


def field_revisions(path: Path) -> dict[tuple[str, str], str]:
    """(row id, field) -> the revision of the latest change of the field this file records."""
    conn = sqlite3.connect(path)
    try:
        out: dict[tuple[str, str], str] = {}
        for row_id, revision, changes in conn.execute(
                "SELECT row_id, revision, changes FROM history WHERE op <> 'merge'"):
            for name in json.loads(changes):
                out[(row_id, name)] = max(out.get((row_id, name), ""), revision)
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


def kept_for_review(path: Path) -> set[tuple[str, str, str]]:
    """(row id, field, value as JSON) of every value a conflict keeps for review."""
    conn = sqlite3.connect(path)
    try:
        return {(row_id, name, json.dumps(value)) for row_id, other in conn.execute(
            "SELECT row_id, other_values FROM conflict") for name, value in json.loads(other).items()}
    finally:
        conn.close()


def restored(path: Path) -> set[tuple[str, str]]:
    """Rows a merge brought back because the other copy added work under them."""
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT table_name, row_id FROM conflict WHERE kind = 'restored'"))
    finally:
        conn.close()


NATURAL_KEYS = {"action_town": ("action_id", "town_id"), "action_pilot": ("action_id", "person_id"),
                "indicator": ("plan_id", "key")}


def doubled_natural_keys(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return [(table, *row) for table, (one, two) in NATURAL_KEYS.items() for row in conn.execute(
            f"SELECT {one}, {two}, count(*) FROM {table} WHERE deleted_at IS NULL AND {two} IS NOT NULL "
            f"GROUP BY {one}, {two} HAVING count(*) > 1")]
    finally:
        conn.close()


def assert_nothing_lost(side: Path, other: Path, merged: Path) -> None:
    """Every field value of ``side`` is in the merged row, was seen by ``other`` before it
    changed that field, or is kept in a conflict; every row of it is still there."""
    # A deleted row keeps its values in its tombstone: a value equal to them is not lost.
    merged_versions, merged_fields = versions(merged), fields(merged, live=False)
    assert versions(side).keys() <= merged_versions.keys(), "rows lost"
    other_seen, revisions, review = seen_revisions(other), field_revisions(side), kept_for_review(merged)
    for key, values in fields(side).items():
        now = merged_fields.get(key)
        for name, value in values.items():
            if now is not None and now[name] == value:
                continue
            revision = revisions.get((key[1], name))
            if revision is None or (key[1], revision) in other_seen:
                continue  # never changed here, or changed on the other copy after seeing it
            assert (key[1], name, json.dumps(value)) in review, (
                f"{key} {name}={value!r} ({side.name}) neither kept, superseded nor in conflict")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Cases worth trying every run, whatever the random search finds.
@example(steps=[("a", "delete", 0, "x"), ("b", "edit", 0, "y")], skew_a=0, skew_b=0)
@example(steps=[("b", "edit", 0, "y"), ("a", "delete", 0, "x")], skew_a=YEAR_MS, skew_b=0)
@example(steps=[("a", "edit", 1, "x"), ("b", "progress", 1, "y")], skew_a=-YEAR_MS, skew_b=YEAR_MS)
@example(steps=[("a", "edit", 2, "x"), ("b", "sync", 0, "-"), ("b", "edit", 2, "z"), ("a", "link", 2, "-")],
         skew_a=2 * YEAR_MS, skew_b=-2 * YEAR_MS)
@example(steps=[("a", "link", 4, "-"), ("b", "link", 4, "-")], skew_a=YEAR_MS, skew_b=-YEAR_MS)
@example(steps=[("a", "pilot", 1, "-"), ("b", "pilot", 1, "-"), ("b", "link", 0, "-")], skew_a=0, skew_b=0)
@example(steps=[("a", "edit", 0, "x"), ("b", "notes", 0, "y"), ("b", "progress", 0, "-")],
         skew_a=-YEAR_MS, skew_b=YEAR_MS)
@example(steps=[("a", "drop_challenge", 0, "-"), ("b", "create", 0, "née à Monastir")], skew_a=YEAR_MS, skew_b=0)
@example(steps=[("a", "create", 0, "x"), ("b", "create", 0, "y")], skew_a=0, skew_b=YEAR_MS)
@example(steps=[("a", "target", 5, "-"), ("b", "target", 3, "-")], skew_a=YEAR_MS, skew_b=-YEAR_MS)
@example(steps=[("a", "dates", 5, "x"), ("b", "sync", 0, "-"), ("a", "dates", 4, "x"), ("b", "dates", 3, "")],
         skew_a=0, skew_b=YEAR_MS)
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

            assert_nothing_lost(folder / "a.db", folder / "b.db", a2.path)
            assert_nothing_lost(folder / "b.db", folder / "a.db", a2.path)
            merged = versions(a2.path)
            brought_back = restored(a2.path)
            for key in deleted:
                assert merged[key][1] or key in brought_back, f"deletion of {key} undone, and not for review"
            assert orphans(a2.path) == []
            assert doubled_natural_keys(a2.path) == []


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
