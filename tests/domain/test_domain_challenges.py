"""Défis: checked input, writes that change only what changed, and deletion that
takes the défi's actions and their links with it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlmodel import select

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
from coopterm.models import Action, ActionPilot, ActionTown, Challenge, Person, PlanTown, Town


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
