"""Actions by status and the latest changes of a plan."""

from __future__ import annotations

import datetime as dt

import pytest

from coopterm.domain.activity import actions_by_status, latest_changes
from coopterm.domain.rows import tombstone
from coopterm.models import (
    Action,
    Challenge,
    Funding,
    Meeting,
    NewProject,
    Plan,
)
from coopterm.vocabulary import ActionStatus, MeetingKind, ProjectScope


def when(minute: int) -> dt.datetime:
    return dt.datetime(2021, 3, 1, 10, minute, tzinfo=dt.timezone.utc)


@pytest.fixture
def other_plan(db):
    with db.write() as s:
        row = Plan(title="Other", start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31))
        s.add(row)
    return row


def add(db, *rows):
    with db.write() as s:
        s.add_all(rows)
    return rows


def test_actions_by_status_counts_live_actions_of_live_challenges(db, plan, other_plan):
    t, one, gone = (Challenge(plan_id=plan.id, number=n, title=f"D{n}", transversal=n == 0) for n in (0, 1, 2))
    elsewhere = Challenge(plan_id=other_plan.id, number=1, title="Elsewhere")
    add(db, t, one, gone, elsewhere)
    add(
        db,
        Action(challenge_id=t.id, number=1, title="a", status=ActionStatus.DONE),
        Action(challenge_id=one.id, number=1, title="b", status=ActionStatus.DONE),
        Action(challenge_id=one.id, number=2, title="c", status=ActionStatus.IN_PROGRESS),
        Action(challenge_id=one.id, number=3, title="d", status=ActionStatus.ABANDONED),
        Action(challenge_id=gone.id, number=1, title="in a deleted défi", status=ActionStatus.PLANNED),
        Action(challenge_id=elsewhere.id, number=1, title="other plan", status=ActionStatus.PLANNED),
    )
    with db.write() as s:
        tombstone(s, s.get(Challenge, gone.id))
        deleted = Action(challenge_id=one.id, number=4, title="deleted", status=ActionStatus.POSTPONED)
        s.add(deleted)
        s.flush()
        tombstone(s, deleted)
    with db.read() as s:
        counts = actions_by_status(s, plan.id)
    assert list(counts) == list(ActionStatus)  # every status, in order, zeros included
    assert counts == {
        ActionStatus.PLANNED: 0,
        ActionStatus.IN_PROGRESS: 1,
        ActionStatus.DONE: 2,
        ActionStatus.POSTPONED: 0,
        ActionStatus.ABANDONED: 1,
    }


def test_actions_by_status_of_an_empty_plan(db, plan):
    with db.read() as s:
        assert set(actions_by_status(s, plan.id).values()) == {0}


@pytest.fixture
def history(db, plan, other_plan):
    """One row of each kind, changed one minute apart, in a known order."""
    transversal = Challenge(plan_id=plan.id, number=0, title="Structurer le partenariat", transversal=True,
                            updated_at=when(1))
    two = Challenge(plan_id=plan.id, number=2, title="Insertion", updated_at=when(2))
    add(db, transversal, two)
    action = Action(challenge_id=two.id, number=1, title="Poursuivre le concours", updated_at=when(3))
    meeting = Meeting(plan_id=plan.id, kind=MeetingKind.COORDINATION, title="Coordination",
                      starts_at=dt.datetime(2021, 2, 20, 9, tzinfo=dt.timezone.utc), updated_at=when(4))
    funding = Funding(plan_id=plan.id, funder="Région", amount_cents=1_250_000, year=2020, updated_at=when(5))
    project = NewProject(plan_id=plan.id, title="Pépinière", scope=ProjectScope.BILATERAL, updated_at=when(6))
    foreign = Meeting(plan_id=other_plan.id, kind=MeetingKind.FORUM, title="Not ours",
                      starts_at=dt.datetime(2021, 2, 20, 9, tzinfo=dt.timezone.utc), updated_at=when(59))
    add(db, action, meeting, funding, project, foreign)
    return {"transversal": transversal, "two": two, "action": action, "meeting": meeting,
            "funding": funding, "project": project}


def changes(db, plan, limit=8):
    with db.read() as s:
        return latest_changes(s, plan.id, limit)


def test_latest_changes_newest_first_across_tables(db, plan, history):
    found = changes(db, plan)
    assert [c.kind for c in found] == ["new_project", "funding", "meeting", "action", "challenge", "challenge"]
    assert [c.updated_at for c in found] == [when(m) for m in (6, 5, 4, 3, 2, 1)]
    assert all(c.updated_at.tzinfo is not None and c.updated_at.utcoffset() == dt.timedelta(0) for c in found)
    assert not any(c.deleted for c in found)
    assert found[0].id == history["project"].id


def test_each_change_carries_what_its_label_is_written_from(db, plan, history):
    """Names, days and amounts, not text: the dashboard writes them (change_label)."""
    found = {c.kind: c for c in changes(db, plan)}
    assert found["action"].name == "2.1 Poursuivre le concours"
    meeting = found["meeting"]
    assert (meeting.name, meeting.day) == ("Coordination", dt.date(2021, 2, 20))
    funding = found["funding"]
    assert (funding.name, funding.amount_cents, funding.year) == ("Région", 1_250_000, 2020)
    assert found["new_project"].name == "Pépinière"
    challenges = {c.name for c in changes(db, plan) if c.kind == "challenge"}
    assert challenges == {"T Structurer le partenariat", "2 Insertion"}


def test_limit_keeps_the_newest(db, plan, history):
    assert [c.kind for c in changes(db, plan, limit=2)] == ["new_project", "funding"]
    assert changes(db, plan, limit=0) == []


def test_an_edit_or_a_deletion_is_the_latest_change(db, plan, history):
    with db.write() as s:
        action = s.get(Action, history["action"].id)
        action.progress = 40
        s.add(action)
    first = changes(db, plan)[0]
    assert (first.kind, first.id, first.deleted) == ("action", history["action"].id, False)
    assert first.updated_at > when(59)

    with db.write() as s:
        tombstone(s, s.get(Meeting, history["meeting"].id))
    first = changes(db, plan)[0]
    assert (first.kind, first.deleted) == ("meeting", True)


def test_many_rows_in_one_table_still_merge_with_the_others(db, plan, history):
    add(db, *(Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, title=f"Forum {i}",
                      starts_at=dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc), updated_at=when(10 + i))
              for i in range(20)))
    found = changes(db, plan, limit=3)
    assert [c.name for c in found] == ["Forum 19", "Forum 18", "Forum 17"]
