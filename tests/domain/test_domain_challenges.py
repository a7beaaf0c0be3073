"""Défis: checked input, writes that change only what changed, and deletion that
takes the défi's actions and their links with it."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from sqlmodel import func, select

from coopterm import present
from coopterm.domain.actions import ActionQuery, count_actions, create_action
from coopterm.domain.challenges import (
    ChallengeInput,
    challenge_choices,
    challenge_rows,
    challenge_summaries,
    create_challenge,
    delete_challenge,
    next_challenge_number,
    update_challenge,
    validate_challenge,
)
from coopterm.domain.indicators import ActionTally, tally_actions
from coopterm.domain.validation import WHOLE_MAX, FormErrors
from coopterm.errors import InvalidInput
from coopterm.i18n import set_language, t
from coopterm.models import Action, ActionPilot, ActionTown, Challenge, History, Person, PlanTown, Town


def make(db, plan, **data):
    with db.write() as s:
        return create_challenge(s, plan.id, {"title": "Insertion professionnelle", **data})


def revisions(db):
    with db.read() as s:
        return {c.id: c.revision for c in s.exec(select(Challenge))}


def live_challenges(db):
    with db.read() as s:
        return len(s.exec(select(Challenge).where(Challenge.deleted_at.is_(None))).all())


# --- validation ---------------------------------------------------------------------


def test_a_form_is_read_as_typed():
    assert validate_challenge({"number": " 2 ", "title": " Jeunesse ", "description": " d "}) == ChallengeInput(
        number=2, title="Jeunesse", description="d", transversal=False)
    transversal = validate_challenge({"title": "Structurer", "transversal": True, "number": ""})
    assert (transversal.number, transversal.transversal) == (0, True)
    assert validate_challenge({"title": "x", "transversal": "false"}).transversal is False


@pytest.mark.parametrize(("data", "field", "key"), [
    ({"title": ""}, "title", "form.error.title_required"),
    ({"title": "  "}, "title", "form.error.title_required"),
    ({"title": "x" * 301}, "title", None),
    ({"title": "Défi", "number": "0"}, "number", "form.error.challenge_number"),
    ({"title": "Défi", "number": "-1"}, "number", "form.error.challenge_number"),
    ({"title": "Défi", "number": "un"}, "number", "form.error.challenge_number"),
    ({"title": "Défi", "number": "3", "transversal": True}, "number", "form.error.transversal_number"),
])
def test_invalid_input_names_the_field_and_saves_nothing(db, plan, data, field, key):
    with pytest.raises(FormErrors) as refused, db.write() as s:
        create_challenge(s, plan.id, data)
    assert set(refused.value.errors) == {field}
    if key:
        assert refused.value.errors[field] == t(key, max=present.number(WHOLE_MAX))
    assert live_challenges(db) == 0


def test_messages_are_in_french_too():
    set_language("fr")
    with pytest.raises(FormErrors) as refused:
        validate_challenge({"title": ""})
    assert refused.value.errors == {"title": "Le titre est obligatoire."}


# --- writes ----------------------------------------------------------------------------


def test_numbers_are_given_in_turn_and_the_transversal_one_is_zero(db, plan):
    first = make(db, plan)
    make(db, plan, title="Jeunesse")
    make(db, plan, title="Structurer", transversal=True)
    assert first.changed and first.plan_id == plan.id and first.tally_delta == ActionTally()
    with db.read() as s:
        assert [(r.code, r.number, r.title) for r in challenge_rows(s, plan.id)] == [
            ("T", 0, "Structurer"), ("1", 1, "Insertion professionnelle"), ("2", 2, "Jeunesse")]
        assert next_challenge_number(s, plan.id) == 3
        assert [label for _, label in challenge_choices(s, plan.id)] == [
            "T \u2014 Structurer", "1 \u2014 Insertion professionnelle", "2 \u2014 Jeunesse"]


def test_a_number_used_by_a_live_defi_is_refused(db, plan):
    first = make(db, plan, number=1)
    make(db, plan, title="Structurer", transversal=True)
    before = revisions(db)
    with pytest.raises(FormErrors) as refused:
        make(db, plan, number=1, title="Doublon")
    assert set(refused.value.errors) == {"number"}
    assert "Insertion professionnelle" in refused.value.errors["number"]
    with pytest.raises(FormErrors) as refused:
        make(db, plan, title="Second transversal", transversal=True)
    assert set(refused.value.errors) == {"transversal"}
    assert revisions(db) == before
    with db.write() as s:
        delete_challenge(s, first.id)
    make(db, plan, number=1, title="Le numéro d'un défi supprimé est libre")


def test_other_plans_do_not_take_numbers(db, plan):
    from coopterm.models import Plan

    with db.write() as s:
        other = Plan(title="Autre", start_date=dt.date(2016, 1, 1), end_date=dt.date(2018, 12, 31))
        s.add(other)
    make(db, plan, number=1)
    make(db, other, number=1)


def test_an_edit_writes_only_what_changed(db, plan):
    one = make(db, plan)
    two = make(db, plan, title="Jeunesse")
    before = revisions(db)
    with db.write() as s:
        same = update_challenge(s, one.id, {"title": "Insertion professionnelle", "number": "1"})
    assert not same.changed and revisions(db) == before
    with db.write() as s:
        changed = update_challenge(s, one.id, {"title": "Insertion", "description": "Emploi des jeunes"})
    assert changed.changed
    after = revisions(db)
    assert after[one.id] != before[one.id] and after[two.id] == before[two.id]
    with pytest.raises(FormErrors) as refused, db.write() as s:
        update_challenge(s, one.id, {"title": "Insertion", "number": 2})
    assert set(refused.value.errors) == {"number"}
    with db.write() as s:
        update_challenge(s, two.id, {"title": "Jeunesse", "number": 5})
    with db.read() as s:
        assert [(r.code, r.title, r.description) for r in challenge_rows(s, plan.id)] == [
            ("1", "Insertion", "Emploi des jeunes"), ("5", "Jeunesse", "")]
        row = challenge_rows(s, plan.id)[0]
    assert validate_challenge(row.form_values()) == ChallengeInput(
        number=1, title="Insertion", description="Emploi des jeunes")


def test_writes_to_a_missing_defi_or_plan_are_refused(db, plan):
    with pytest.raises(InvalidInput), db.write() as s:
        update_challenge(s, uuid.uuid4(), {"title": "x"})
    with pytest.raises(InvalidInput), db.write() as s:
        delete_challenge(s, uuid.uuid4())
    with pytest.raises(InvalidInput), db.write() as s:
        create_challenge(s, uuid.uuid4(), {"title": "x"})


def test_deleting_a_defi_takes_its_actions_and_their_links(db, plan):
    with db.write() as s:
        towns = [Town(name=n) for n in ("Katowice", "Monastir", "Sierre")]
        s.add_all(towns)
        s.flush()
        s.add_all(PlanTown(plan_id=plan.id, town_id=town.id) for town in towns)
        anna = Person(name="Anna Nowak")
        s.add(anna)
    doomed = make(db, plan)
    kept = make(db, plan, title="Jeunesse")
    with db.write() as s:
        made = [create_action(s, {"challenge_id": doomed.id, "title": f"Fiche {i}", "status": status,
                                  "pilots": [anna.id], "towns": [t.id for t in towns[:n]]})
                for i, (status, n) in enumerate((("done", 3), ("planned", 1), ("in_progress", 3)))]
        survivor = create_action(s, {"challenge_id": kept.id, "title": "Reste", "pilots": [anna.id],
                                     "towns": [t.id for t in towns]})
    with db.read() as s:
        before = tally_actions(s, plan.id)
        summaries_before = challenge_summaries(s, plan.id)
    assert [x.actions for x in summaries_before] == [3, 1]
    with db.write() as s:
        change = delete_challenge(s, doomed.id)
    assert change.changed and change.tally_delta == ActionTally(-3, -1, -2)
    with db.read() as s:
        assert before + change.tally_delta == tally_actions(s, plan.id) == ActionTally(1, 0, 1)
        assert s.get(Challenge, doomed.id).deleted_at is not None
        for m in made:
            assert s.get(Action, m.id).deleted_at is not None
            for model in (ActionPilot, ActionTown):
                assert all(link.deleted_at is not None
                           for link in s.exec(select(model).where(model.action_id == m.id)))
        assert s.get(Action, survivor.id).deleted_at is None
        assert all(link.deleted_at is None for model in (ActionPilot, ActionTown)
                   for link in s.exec(select(model).where(model.action_id == survivor.id)))
        assert [r.title for r in challenge_rows(s, plan.id)] == ["Jeunesse"]
        assert count_actions(s, plan.id, ActionQuery()) == 1
    with db.write() as s:
        again = delete_challenge(s, doomed.id)
    assert not again.changed and again.tally_delta == ActionTally()


# --- the set-based deletion records what the row-by-row one did -----------------------------


def _delete_one_by_one(session, challenge_id):
    """How a défi was deleted before deletion became set-based (each row loaded and
    tombstoned, stamped by the flush): the reference the set-based one must match."""
    from coopterm.domain.actions import tombstone_links
    from coopterm.domain.rows import tombstone

    actions = session.exec(select(Action).where(Action.challenge_id == challenge_id,
                                                Action.deleted_at.is_(None))).all()
    tombstone(session, session.get(Challenge, challenge_id))
    for action in actions:
        tombstone(session, action)
    tombstone_links(session, [a.id for a in actions])


def _twin(db, path):
    """A byte copy of ``db`` (same replica id): the same deletion made on each must write the same."""
    import sqlite3

    from coopterm.store import open_database

    source = db.connect()
    target = sqlite3.connect(path)
    source.backup(target)
    target.close()
    source.close()
    return open_database(path)


def _written_since(db, mark):
    """What a deletion wrote: each shared row's state, and the history entries after ``mark``,
    without what differs by nature between two runs (entry ids, revisions' times)."""
    import sqlite3

    from coopterm.models import SHARED_TABLES

    conn = sqlite3.connect(db.path)
    try:
        rows = {}
        for model in SHARED_TABLES:
            for row_id, deleted, changed_by, revised in conn.execute(
                    f"SELECT id, deleted_at IS NOT NULL, changed_by, revision > ? FROM {model.__tablename__}",
                    (mark,)):
                rows[row_id] = (model.__tablename__, deleted, changed_by, revised)
        entries = conn.execute(
            "SELECT h.table_name, h.row_id, h.op, h.base_revision, h.changes, h.replica_id, h.device, "
            "h.revision, h.at, t.revision, t.updated_at, t.deleted_at, h.id FROM history h "
            "JOIN (SELECT id, revision, updated_at, deleted_at FROM action UNION ALL "
            "      SELECT id, revision, updated_at, deleted_at FROM challenge UNION ALL "
            "      SELECT id, revision, updated_at, deleted_at FROM action_pilot UNION ALL "
            "      SELECT id, revision, updated_at, deleted_at FROM action_town) t ON t.id = h.row_id "
            "WHERE h.revision > ? ORDER BY h.table_name, h.row_id", (mark,)).fetchall()
        last = conn.execute("SELECT value FROM meta WHERE key = 'last_revision'").fetchone()[0]
    finally:
        conn.close()
    revisions = [e[7] for e in entries]
    # every entry carries its row's new revision and time, each revision handed out once,
    # above what the copy had handed out before, and the clock kept at the highest
    assert all(e[7] == e[9] and e[8] == e[10] and e[11] is not None for e in entries)
    assert len(set(revisions)) == len(revisions) and min(revisions) > mark and max(revisions) == last
    assert all(uuid.UUID(hex=e[12]).version == 7 and uuid.UUID(hex=e[12]).hex == e[12] for e in entries)
    # times written as the ORM writes them
    shapes = {re.sub(r"\d", "9", e[i]) for e in entries for i in (8, 11)}
    return rows, [(*e[:7], shapes) for e in entries]


@pytest.fixture
def doomed_world(db, plan):
    """A défi of twelve actions with pilots and towns, one action already deleted and one
    link already removed (neither is deleted again), beside a défi that stays."""
    from coopterm.domain.actions import delete_action, update_action

    with db.write() as s:
        towns = [Town(name=n) for n in ("Katowice", "Monastir", "Sierre")]
        people = [Person(name=n) for n in ("Anna Nowak", "Adel Janeb")]
        s.add_all([*towns, *people])
        s.flush()
        s.add_all(PlanTown(plan_id=plan.id, town_id=town.id) for town in towns)
    doomed, kept = make(db, plan), make(db, plan, title="Jeunesse")
    with db.write() as s:
        ids = [create_action(s, {"challenge_id": doomed.id, "title": f"Fiche {i}", "status": "planned",
                                 "pilots": [p.id for p in people[:1 + i % 2]],
                                 "towns": [t.id for t in towns[:1 + i % 3]]}).id for i in range(12)]
        create_action(s, {"challenge_id": kept.id, "title": "Reste", "pilots": [people[0].id],
                          "towns": [t.id for t in towns]})
    with db.write() as s:
        delete_action(s, ids[0])
        update_action(s, ids[1], {"challenge_id": doomed.id, "title": "Fiche 1", "pilots": [people[0].id],
                                  "towns": [towns[0].id]})
    return doomed.id


def test_the_set_based_deletion_writes_what_the_row_by_row_one_did(db, tmp_path, doomed_world):
    twin = _twin(db, tmp_path / "twin.db")
    try:
        with db.read() as s:
            mark = s.exec(select(func.max(History.revision))).one()
        with db.write() as s:
            delete_challenge(s, doomed_world)
            # set-based: not one action or link was loaded as an object to be deleted
            assert not [o for o in s.identity_map.values() if isinstance(o, (Action, ActionPilot, ActionTown))]
        with twin.write() as s:
            _delete_one_by_one(s, doomed_world)
        rows, entries = _written_since(db, mark)
        reference_rows, reference_entries = _written_since(twin, mark)
    finally:
        twin.close()
    assert rows == reference_rows
    assert entries == reference_entries
    # the défi, its eleven live actions, and their live links (pilots and towns)
    assert len(entries) == 1 + 11 + 16 + 22
    assert {e[2] for e in entries} == {"delete"} and {e[4] for e in entries} == {"{}"}


def test_a_merge_after_a_set_based_deletion_brings_it_and_what_the_other_copy_did(db, tmp_path, doomed_world):
    from coopterm.store import export_copy, open_database
    from coopterm.store.merge import merge_copy
    from tests.store.test_merge import content

    export_copy(db, tmp_path / "laptop.db")
    with open_database(tmp_path / "laptop.db") as laptop:
        with laptop.write() as s:  # meanwhile on the laptop: one action of the défi edited, one added elsewhere
            action = s.exec(select(Action).where(Action.challenge_id == doomed_world,
                                                 Action.deleted_at.is_(None)).order_by(Action.id)).first()
            action.notes = "Vu avec Monastir"
            s.add(action)
        with db.write() as s:
            delete_challenge(s, doomed_world)
        merge_copy(db, laptop.path)
        merge_copy(laptop, db.path)
    assert content(db.path) == content(tmp_path / "laptop.db")
    with db.read() as s:
        live = s.exec(select(Action).where(Action.challenge_id == doomed_world,
                                           Action.deleted_at.is_(None))).all()
        assert live == []  # the deletion wins over the concurrent edit (kept as a conflict)
        assert s.get(Challenge, doomed_world).deleted_at is not None


def test_each_defis_count_and_progress_are_read_from_an_index_alone(db, plan):
    """``ix_action_progress_by_challenge`` holds the défi, the tombstone and the progress:
    the défis screen and the dashboard never read the actions' rows to count them."""
    make(db, plan)
    with db.read() as s:
        raw = s.connection().connection.driver_connection
        captured = []
        raw.set_trace_callback(captured.append)
        challenge_summaries(s, plan.id)
        raw.set_trace_callback(None)
        [summary] = [sql for sql in captured if "avg(" in sql]
        steps = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + summary)]
    assert any("action USING COVERING INDEX ix_action_progress_by_challenge" in step for step in steps), steps
