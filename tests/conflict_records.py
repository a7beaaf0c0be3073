"""Conflict records written straight into a file, one of each kind, in the formats the
merge writes them (``models.Conflict``), so the review is tested apart from the merge."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlmodel import col, select

from coopterm.models import Action, ActionPilot, Challenge, Conflict, History, Meeting, Person
from coopterm.store.rowdata import dumps

OTHER_REPLICA = uuid.UUID("7e57c0de-0000-4000-8000-00000000b0b0")
OTHER_DEVICE = "portable-monastir"
OTHER_WHEN = dt.datetime(2021, 6, 15, 8, 12, tzinfo=dt.timezone.utc)
OTHER_TITLE = "Atelier à Monastir"


def revision(when: dt.datetime, replica: uuid.UUID = OTHER_REPLICA) -> str:
    return f"{int(when.timestamp() * 1000):015d}-000000-{replica.hex}"


OTHER_REVISION = revision(OTHER_WHEN)


def add_conflict(db: Any, kind: str, table: str, row_id: uuid.UUID, kept: dict, other: dict, *,
                 kept_revision: str | None = None, other_revision: str = OTHER_REVISION,
                 found: dt.datetime | None = None) -> uuid.UUID:
    """One open conflict record, and a history entry for each revision the file has none
    for (the other copy's, as a merge brings it; this copy's, for a revision given here),
    so the review can say which machine made each side."""
    with db.write() as s:
        if kept_revision is None:
            kept_revision = s.exec(select(History.revision).where(History.row_id == row_id)
                                   .order_by(col(History.revision).desc())).first()
        conflict = Conflict(kind=kind, table_name=table, row_id=row_id, kept_revision=kept_revision,
                            other_revision=other_revision, kept_values=dumps(kept), other_values=dumps(other))
        if found is not None:
            conflict.created_at = found
        s.add(conflict)
        this = s.info["replica_id"]
        for rev, values in ((kept_revision, kept), (other_revision, other)):
            if s.exec(select(History).where(History.revision == rev)).first() is not None:
                continue
            mine = rev.endswith(this.hex)
            s.add(History(at=OTHER_WHEN, replica_id=this if mine else OTHER_REPLICA,
                          device="" if mine else OTHER_DEVICE, table_name=table, row_id=row_id, op="update",
                          revision=rev, changes=json.dumps({k: [None, v] for k, v in values.items()
                                                            if k != "children"})))
        return conflict.id


def current_challenge(db: Any) -> Challenge:
    """The demo plan's défi 2 (the current plan's), which has actions."""
    from coopterm.domain.plans import current_plan

    with db.read() as s:
        plan = current_plan(s)
        return s.exec(select(Challenge).where(Challenge.plan_id == plan.id, Challenge.number == 2)).one()


def actions_of(db: Any, challenge_id: uuid.UUID) -> list[Action]:
    with db.read() as s:
        return list(s.exec(select(Action).where(Action.challenge_id == challenge_id, col(Action.deleted_at).is_(None))
                           .order_by(col(Action.number))).all())


def twin_action(db: Any, challenge_id: uuid.UUID, number: int, title: str = OTHER_TITLE) -> uuid.UUID:
    """An action that has the number of another in its défi, as a merge of two copies leaves it."""
    with db.write() as s:
        action = Action(challenge_id=challenge_id, number=number, title=title)
        s.add(action)
        return action.id


def a_lead(db: Any) -> tuple[Person, ActionPilot]:
    """A live person of the current plan's actions and one of their links as lead."""
    challenge = current_challenge(db)
    with db.read() as s:
        link = s.exec(select(ActionPilot).join(Action, col(Action.id) == col(ActionPilot.action_id))
                      .where(Action.challenge_id == challenge.id, col(ActionPilot.deleted_at).is_(None))
                      .order_by(col(ActionPilot.id))).first()
        return s.get(Person, link.person_id), link


def a_meeting(db: Any) -> Meeting:
    """The first meeting with attendees and a decision."""
    from coopterm.models import Decision, MeetingAttendee

    with db.read() as s:
        for meeting in s.exec(select(Meeting).order_by(col(Meeting.starts_at))):
            if (s.exec(select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id)).first()
                    and s.exec(select(Decision).where(Decision.meeting_id == meeting.id)).first()):
                return meeting
    raise AssertionError("the demo has a meeting with attendees and decisions")
