"""The conflict review, kind by kind: what it shows and what keeping or taking the other
version does.  Records are written as the merge writes them (``tests/conflict_records.py``)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from coopterm.domain.actions import delete_action, next_action_number
from coopterm.domain.conflicts import (
    KEPT,
    TOOK_OTHER,
    keep_version,
    list_conflicts,
    take_other_version,
)
from coopterm.errors import InvalidInput
from coopterm.models import (
    Action,
    ActionPilot,
    ActionTown,
    Challenge,
    Conflict,
    Decision,
    History,
    MeetingAttendee,
    Person,
    Plan,
    Town,
    table_of,
)
from coopterm.store.rowdata import content_columns, json_value
from tests.conflict_records import (
    OTHER_DEVICE,
    OTHER_REPLICA,
    OTHER_TITLE,
    OTHER_WHEN,
    a_lead,
    a_meeting,
    actions_of,
    add_conflict,
    current_challenge,
    twin_action,
)


def only_view(db):
    with db.read() as s:
        (view,) = list_conflicts(s)
    return view


def answer(db, how, conflict_id):
    with db.write() as s:
        how(s, conflict_id)


def resolution(db, conflict_id):
    with db.read() as s:
        return s.get(Conflict, conflict_id).resolution


def last_change(db, row_id) -> dict:
    with db.read() as s:
        entry = s.exec(select(History).where(History.row_id == row_id)
                       .order_by(col(History.revision).desc())).first()
        return json.loads(entry.changes)


def whole(row) -> dict:
    values = {n: json_value(getattr(row, n)) for n in content_columns(table_of(type(row)))}
    return {**values, "deleted": row.deleted_at is not None}


# --- edit: one field ------------------------------------------------------------------------


@pytest.fixture
def title_conflict(demo_db):
    action = actions_of(demo_db, current_challenge(demo_db).id)[0]
    cid = add_conflict(demo_db, "edit", "action", action.id, {"title": action.title}, {"title": OTHER_TITLE})
    return action, cid


def test_an_edit_shows_the_field_both_values_and_which_copy_made_each(demo_db, title_conflict):
    action, cid = title_conflict
    view = only_view(demo_db)
    assert (view.id, view.kind, view.what, view.can_take_other) == (cid, "edit", "Action", True)
    assert view.label == f"2.1 {action.title}"
    assert [(f.field, f.label, f.kept, f.other) for f in view.fields] == [
        ("title", "Title", action.title, OTHER_TITLE)]
    assert view.kept_by == "this copy"
    assert view.other_by == f"{OTHER_DEVICE} (copy {OTHER_REPLICA.hex[:6]})"
    assert view.other_when == OTHER_WHEN


def test_the_kept_value_shown_is_the_rows_value_now(demo_db, title_conflict):
    action, _ = title_conflict
    with demo_db.write() as s:
        s.get(Action, action.id).title = "Titre revu depuis"
    assert [(f.kept, f.other) for f in only_view(demo_db).fields] == [("Titre revu depuis", OTHER_TITLE)]


def test_taking_the_other_value_of_one_field_leaves_every_other_field_alone(demo_db, title_conflict):
    action, cid = title_conflict
    with demo_db.write() as s:  # fields changed here after the merge, and another of its rows
        row = s.get(Action, action.id)
        row.progress, row.notes = 42, "Noté après la fusion"
    with demo_db.read() as s:
        before = whole(s.get(Action, action.id))
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        after = whole(s.get(Action, action.id))
    assert after == {**before, "title": OTHER_TITLE}
    assert (after["progress"], after["notes"]) == (42, "Noté après la fusion")
    assert last_change(demo_db, action.id) == {"title": [action.title, OTHER_TITLE]}  # one field, one change
    assert resolution(demo_db, cid) == TOOK_OTHER
    with demo_db.read() as s:
        assert list_conflicts(s) == []
        assert [c.resolution for c in list_conflicts(s, include_resolved=True)] == [TOOK_OTHER]


def test_keeping_closes_the_conflict_and_changes_nothing(demo_db, title_conflict):
    action, cid = title_conflict
    with demo_db.read() as s:
        before = whole(s.get(Action, action.id))
    answer(demo_db, keep_version, cid)
    with demo_db.read() as s:
        assert whole(s.get(Action, action.id)) == before
    assert resolution(demo_db, cid) == KEPT


def test_a_field_of_a_row_deleted_since_can_only_be_kept(demo_db, title_conflict):
    action, cid = title_conflict
    with demo_db.write() as s:
        delete_action(s, action.id)
    assert only_view(demo_db).can_take_other is False
    with pytest.raises(InvalidInput), demo_db.write() as s:
        take_other_version(s, cid)
    with demo_db.read() as s:
        assert s.get(Action, action.id).deleted_at is not None
    assert resolution(demo_db, cid) is None
    answer(demo_db, keep_version, cid)
    assert resolution(demo_db, cid) == KEPT


def test_an_edit_of_a_link_column_shows_names(demo_db):
    challenge = current_challenge(demo_db)
    action = actions_of(demo_db, challenge.id)[0]
    with demo_db.read() as s:
        other = s.exec(select(Challenge).where(Challenge.plan_id == challenge.plan_id,
                                               Challenge.number == 3)).one()
    add_conflict(demo_db, "edit", "action", action.id, {"challenge_id": action.challenge_id.hex},
                 {"challenge_id": other.id.hex})
    (field,) = only_view(demo_db).fields
    assert (field.label, field.kept, field.other) == ("Challenge", f"2 {challenge.title}", f"3 {other.title}")


def test_a_value_the_rules_refuse_next_to_the_fields_now_is_refused_and_nothing_is_written(demo_db):
    import datetime as dt

    action = actions_of(demo_db, current_challenge(demo_db).id)[0]
    with demo_db.write() as s:  # the start moved here since: the other copy's due date is now before it
        row = s.get(Action, action.id)
        row.start_date, row.due_date = dt.date(2021, 3, 1), dt.date(2021, 9, 30)
    cid = add_conflict(demo_db, "edit", "action", action.id, {"due_date": "2021-09-30"}, {"due_date": "2021-02-01"})
    with demo_db.read() as s:
        before = whole(s.get(Action, action.id))
    with pytest.raises(InvalidInput) as refused, demo_db.write() as s:
        take_other_version(s, cid)
    assert "breaks a rule of the plan" in str(refused.value)
    with demo_db.read() as s:
        assert whole(s.get(Action, action.id)) == before
    assert resolution(demo_db, cid) is None


def test_a_link_to_a_row_deleted_since_is_refused(demo_db):
    from coopterm.domain.challenges import delete_challenge

    challenge = current_challenge(demo_db)
    action = actions_of(demo_db, challenge.id)[0]
    with demo_db.read() as s:
        other = s.exec(select(Challenge).where(Challenge.plan_id == challenge.plan_id,
                                               Challenge.number == 3)).one()
    cid = add_conflict(demo_db, "edit", "action", action.id, {"challenge_id": challenge.id.hex},
                       {"challenge_id": other.id.hex})
    with demo_db.write() as s:
        delete_challenge(s, other.id)
    with pytest.raises(InvalidInput) as refused, demo_db.write() as s:
        take_other_version(s, cid)
    assert str(refused.value) == (f"The other value of Challenge is 3 {other.title}, which has been deleted since: "
                                  "keep the version in the plan.")
    with demo_db.read() as s:
        assert s.get(Action, action.id).challenge_id == challenge.id


# --- edit: a whole row, as records from before field-level merging hold it -------------------


def test_an_old_whole_row_record_shows_each_differing_field_and_takes_them_all(demo_db):
    action = actions_of(demo_db, current_challenge(demo_db).id)[1]
    with demo_db.read() as s:
        kept = whole(s.get(Action, action.id))
    other = {**kept, "title": OTHER_TITLE, "progress": 60}
    cid = add_conflict(demo_db, "edit", "action", action.id, kept, other)
    view = only_view(demo_db)
    assert [(f.field, f.kept, f.other) for f in view.fields] == [
        ("title", action.title, OTHER_TITLE), ("progress", str(action.progress), "60")]
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        assert whole(s.get(Action, action.id)) == other
    assert set(last_change(demo_db, action.id)) == {"title", "progress"}


# --- deleted ----------------------------------------------------------------------------------


def test_a_deletion_that_won_shows_the_edit_and_taking_it_brings_the_row_back(demo_db):
    action = actions_of(demo_db, current_challenge(demo_db).id)[0]
    with demo_db.read() as s:
        edited = {**whole(s.get(Action, action.id)), "progress": 75}
    with demo_db.write() as s:
        delete_action(s, action.id)
    cid = add_conflict(demo_db, "deleted", "action", action.id, {"deleted": True}, edited)
    view = only_view(demo_db)
    assert view.kind == "deleted" and view.can_take_other
    assert [(f.field, f.kept, f.other) for f in view.fields] == [
        ("deleted", "yes", "no"), ("progress", str(action.progress), "75")]
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        assert whole(s.get(Action, action.id)) == edited
    assert resolution(demo_db, cid) == TOOK_OTHER


def test_keeping_a_deletion_leaves_the_row_deleted(demo_db):
    action = actions_of(demo_db, current_challenge(demo_db).id)[0]
    with demo_db.read() as s:
        edited = {**whole(s.get(Action, action.id)), "progress": 75}
    with demo_db.write() as s:
        delete_action(s, action.id)
    cid = add_conflict(demo_db, "deleted", "action", action.id, {"deleted": True}, edited)
    answer(demo_db, keep_version, cid)
    with demo_db.read() as s:
        assert s.get(Action, action.id).deleted_at is not None
    assert resolution(demo_db, cid) == KEPT


# --- restored ---------------------------------------------------------------------------------


def restored(db, table, row_id, children):
    return add_conflict(db, "restored", table, row_id, {"deleted": False},
                        {"deleted": True, "children": [[t, i.hex] for t, i in children]})


def test_a_restored_defi_names_the_work_that_brought_it_back(demo_db):
    challenge = current_challenge(demo_db)
    action = actions_of(demo_db, challenge.id)[-1]
    restored(demo_db, "challenge", challenge.id, [("action", action.id)])
    view = only_view(demo_db)
    assert (view.kind, view.what, view.label) == ("restored", "Challenge", f"2 {challenge.title}")
    assert view.children == (f"Action 2.{action.number} {action.title}",)
    assert [(f.field, f.kept, f.other) for f in view.fields] == [("deleted", "no", "yes")]
    assert view.can_take_other


def test_taking_the_other_version_of_a_restored_defi_deletes_it_with_its_actions(demo_db):
    challenge = current_challenge(demo_db)
    actions = actions_of(demo_db, challenge.id)
    cid = restored(demo_db, "challenge", challenge.id, [("action", actions[-1].id)])
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        assert s.get(Challenge, challenge.id).deleted_at is not None
        assert all(s.get(Action, a.id).deleted_at is not None for a in actions)
        ids = [a.id for a in actions]
        for model in (ActionPilot, ActionTown):
            assert not s.exec(select(model).where(col(model.action_id).in_(ids),
                                                  col(model.deleted_at).is_(None))).all()
    assert resolution(demo_db, cid) == TOOK_OTHER


def test_keeping_a_restored_defi_keeps_it_and_its_actions(demo_db):
    challenge = current_challenge(demo_db)
    actions = actions_of(demo_db, challenge.id)
    cid = restored(demo_db, "challenge", challenge.id, [("action", actions[-1].id)])
    answer(demo_db, keep_version, cid)
    assert actions_of(demo_db, challenge.id) == actions
    with demo_db.read() as s:
        assert s.get(Challenge, challenge.id).deleted_at is None


def test_a_restored_meeting_taken_back_goes_with_its_attendees_and_decisions(demo_db):
    meeting = a_meeting(demo_db)
    with demo_db.read() as s:
        decision = s.exec(select(Decision).where(Decision.meeting_id == meeting.id)).first()
    cid = restored(demo_db, "meeting", meeting.id, [("decision", decision.id)])
    assert only_view(demo_db).children[0].startswith("Decision ")
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        assert s.get(type(meeting), meeting.id).deleted_at is not None
        for model in (MeetingAttendee, Decision):
            assert not s.exec(select(model).where(model.meeting_id == meeting.id,
                                                  col(model.deleted_at).is_(None))).all()


def test_a_restored_person_taken_back_is_deleted_by_the_persons_rule(demo_db):
    person, link = a_lead(demo_db)
    cid = restored(demo_db, "person", person.id, [("action_pilot", link.id)])
    view = only_view(demo_db)
    assert view.label == person.name and view.can_take_other
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        assert s.get(Person, person.id).deleted_at is not None
        assert not s.exec(select(ActionPilot).where(ActionPilot.person_id == person.id,
                                                    col(ActionPilot.deleted_at).is_(None))).all()


def test_a_restored_town_taken_back_is_deleted_by_the_towns_rule(demo_db):
    from coopterm.models import PlanTown

    with demo_db.read() as s:
        town = s.exec(select(Town).order_by(col(Town.id))).first()
        member = s.exec(select(PlanTown).where(PlanTown.town_id == town.id)).first()
    cid = restored(demo_db, "town", town.id, [("plan_town", member.id)])
    assert only_view(demo_db).can_take_other
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        assert s.get(Town, town.id).deleted_at is not None
        assert not s.exec(select(PlanTown).where(PlanTown.town_id == town.id,
                                                 col(PlanTown.deleted_at).is_(None))).all()
    assert resolution(demo_db, cid) == TOOK_OTHER


def test_a_restored_plan_taken_back_is_deleted_unless_it_is_the_current_one(demo_db):
    from coopterm.domain.plans import current_plan

    with demo_db.read() as s:
        current = current_plan(s)
        other = s.exec(select(Plan).where(Plan.id != current.id)).first()
        child = s.exec(select(Challenge).where(Challenge.plan_id == current.id)).first()
        other_child = s.exec(select(Challenge).where(Challenge.plan_id == other.id)).first()
    cid = restored(demo_db, "plan", current.id, [("challenge", child.id)])
    with pytest.raises(InvalidInput), demo_db.write() as s:
        take_other_version(s, cid)  # the current plan gives way to another first
    with demo_db.read() as s:
        assert s.get(Plan, current.id).deleted_at is None
    answer(demo_db, keep_version, cid)
    assert resolution(demo_db, cid) == KEPT
    cid = restored(demo_db, "plan", other.id, [("challenge", other_child.id)])
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        assert s.get(Plan, other.id).deleted_at is not None
        assert s.get(Challenge, other_child.id).deleted_at is not None


# --- same number ------------------------------------------------------------------------------


@pytest.fixture
def twins(demo_db):
    challenge = current_challenge(demo_db)
    first = actions_of(demo_db, challenge.id)[0]
    twin = twin_action(demo_db, challenge.id, first.number)
    cid = add_conflict(demo_db, "same_number", "action", twin, {"number": first.number},
                       {"number": first.number, "same_as": first.id.hex})
    return challenge, first, twin, cid


def test_two_actions_with_one_number_show_both_and_the_number_renumbering_gives(demo_db, twins):
    challenge, first, _, _ = twins
    highest = max(a.number for a in actions_of(demo_db, challenge.id))
    view = only_view(demo_db)
    assert (view.kind, view.label) == ("same_number", f"2.{first.number} {OTHER_TITLE}")
    assert view.same_as == f"2.{first.number} {first.title}"
    assert (view.number, view.renumber_to) == (f"2.{first.number}", f"2.{highest + 1}")
    assert [(f.field, f.kept, f.other) for f in view.fields] == [
        ("number", f"2.{first.number}", f"2.{highest + 1}")]
    assert view.can_take_other


def test_renumbering_gives_the_next_free_number_of_the_defi_as_a_new_change(demo_db, twins):
    challenge, first, twin, cid = twins
    with demo_db.read() as s:
        expected = next_action_number(s, challenge.id)
    answer(demo_db, take_other_version, cid)
    with demo_db.read() as s:
        renumbered = s.get(Action, twin)
        assert (renumbered.number, renumbered.title) == (expected, OTHER_TITLE)
        assert s.get(Action, first.id).number == first.number
    assert last_change(demo_db, twin) == {"number": [first.number, expected]}
    numbers = [a.number for a in actions_of(demo_db, challenge.id)]
    assert len(numbers) == len(set(numbers))
    assert resolution(demo_db, cid) == TOOK_OTHER


def test_keeping_two_actions_with_one_number_leaves_both(demo_db, twins):
    _, first, twin, cid = twins
    answer(demo_db, keep_version, cid)
    with demo_db.read() as s:
        assert s.get(Action, twin).number == first.number == s.get(Action, first.id).number
    assert resolution(demo_db, cid) == KEPT


def test_a_deleted_twin_is_not_renumbered(demo_db, twins):
    _, first, twin, cid = twins
    with demo_db.write() as s:
        delete_action(s, twin)
    view = only_view(demo_db)
    assert view.can_take_other is False and view.renumber_to == ""
    with pytest.raises(InvalidInput), demo_db.write() as s:
        take_other_version(s, cid)


# --- the list ---------------------------------------------------------------------------------


def test_every_kind_is_listed_oldest_first_and_a_damaged_record_still_reads(demo_db, twins):
    import datetime as dt

    challenge = current_challenge(demo_db)
    restored(demo_db, "challenge", challenge.id, [("action", twins[2])])
    with demo_db.write() as s:
        s.add(Conflict(kind="unheard-of", table_name="action", row_id=twins[1].id, kept_revision="garbage",
                       other_revision="", kept_values="[1, 2]", other_values="not json",
                       created_at=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)))
    with demo_db.read() as s:
        views = list_conflicts(s)
    assert [v.kind for v in views] == ["same_number", "restored", "edit"]
    assert views[-1].fields == () and views[-1].kept_by == ""
