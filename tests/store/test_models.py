"""What the database itself refuses, whatever code writes to it."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import select

from coopterm.domain.rows import alive, tombstone
from coopterm.models import (
    Action,
    Challenge,
    Funding,
    Meeting,
    Plan,
)
from coopterm.vocabulary import ActionStatus, MeetingKind


@pytest.fixture
def challenge(db, plan):
    with db.write() as s:
        c = Challenge(plan_id=plan.id, number=1, title="Défi 1")
        s.add(c)
    return c


def _add(db, row):
    with db.write() as s:
        s.add(row)
    return row


def _action(challenge, **kw):
    return Action(challenge_id=challenge.id, number=kw.pop("number", 1), title="A", **kw)


@pytest.mark.parametrize("progress", [-1, 101, 1000])
def test_progress_outside_0_100_is_refused(db, challenge, progress):
    with pytest.raises(IntegrityError):
        _add(db, _action(challenge, progress=progress))


@pytest.mark.parametrize("progress", [0, 55, 100])
def test_progress_inside_0_100_is_kept(db, challenge, progress):
    a = _add(db, _action(challenge, progress=progress))
    with db.read() as s:
        assert s.get(Action, a.id).progress == progress


def test_due_date_before_start_is_refused(db, challenge):
    with pytest.raises(IntegrityError):
        _add(db, _action(challenge, start_date=dt.date(2020, 5, 1), due_date=dt.date(2020, 4, 30)))


def test_unknown_status_is_refused_by_the_database(db, challenge):
    a = _add(db, _action(challenge))
    with pytest.raises(IntegrityError):
        with db.write() as s:
            s.connection().execute(text("UPDATE action SET status = 'finished' WHERE id = :i"), {"i": a.id.hex})


def test_status_is_stored_as_its_value(db, challenge):
    a = _add(db, _action(challenge, status=ActionStatus.IN_PROGRESS))
    with db.read() as s:
        raw = s.connection().execute(text("SELECT status FROM action WHERE id = :i"), {"i": a.id.hex}).scalar()
    assert raw == "in_progress"


def test_action_of_a_missing_challenge_is_refused(db, plan):
    with pytest.raises(IntegrityError):
        _add(db, Action(challenge_id=uuid.uuid4(), number=1, title="orphan"))


def test_survey_counts_are_all_or_nothing_and_not_negative(db, plan):
    when = dt.datetime(2020, 1, 1, 9, tzinfo=dt.timezone.utc)
    with pytest.raises(IntegrityError):
        _add(db, Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=when, survey_satisfied=3))
    with pytest.raises(IntegrityError):
        _add(db, Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=when, survey_very_satisfied=-1,
                         survey_satisfied=0, survey_not_very_satisfied=0, survey_not_satisfied=0))
    m = _add(db, Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=when, survey_very_satisfied=4,
                         survey_satisfied=3, survey_not_very_satisfied=1, survey_not_satisfied=0))
    with db.read() as s:
        assert s.get(Meeting, m.id).starts_at == when


def test_naive_datetimes_are_refused(db, plan):
    with pytest.raises(StatementError):
        _add(db, Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=dt.datetime(2020, 1, 1)))


def test_funding_is_whole_cents_and_not_negative(db, plan):
    with pytest.raises(IntegrityError):
        _add(db, Funding(plan_id=plan.id, funder="F", amount_cents=-100, year=2020))
    f = _add(db, Funding(plan_id=plan.id, funder="F", amount_cents=1_710_000, year=2017))
    with db.read() as s:
        stored = s.get(Funding, f.id).amount_cents
    assert stored == 1_710_000 and isinstance(stored, int)


def test_plan_period_must_not_end_before_it_starts(db):
    with pytest.raises(IntegrityError):
        _add(db, Plan(title="P", start_date=dt.date(2021, 1, 1), end_date=dt.date(2020, 1, 1)))


def test_plan_rhythm_must_be_at_least_one_week(db):
    with pytest.raises(IntegrityError):
        _add(db, Plan(title="P", start_date=dt.date(2021, 1, 1), end_date=dt.date(2022, 1, 1),
                      tech_group_every_weeks=0))


def test_a_failed_write_leaves_nothing_behind(db, challenge):
    with pytest.raises(IntegrityError):
        with db.write() as s:
            s.add(_action(challenge, number=1))
            s.add(_action(challenge, number=2, progress=150))
    with db.read() as s:
        assert s.exec(select(Action)).all() == []


def test_rows_are_stamped_with_utc_times_replica_and_increasing_revisions(db, challenge):
    a = _add(db, _action(challenge))
    with db.read() as s:
        first = s.get(Action, a.id)
    assert first.changed_by == db.replica_id
    assert first.created_at.tzinfo is not None and first.created_at.utcoffset() == dt.timedelta(0)
    with db.write() as s:
        row = s.get(Action, a.id)
        row.progress = 30
    with db.read() as s:
        second = s.get(Action, a.id)
    assert second.revision > first.revision
    assert second.updated_at >= first.updated_at
    assert second.created_at == first.created_at


def test_ids_are_time_ordered_uuid7(db, challenge):
    rows = [_add(db, _action(challenge, number=n)) for n in range(1, 6)]
    ids = [r.id for r in rows]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)


def test_deleting_leaves_a_tombstone(db, challenge):
    a = _add(db, _action(challenge))
    with db.write() as s:
        tombstone(s, s.get(Action, a.id))
    with db.read() as s:
        row = s.get(Action, a.id)
        assert row is not None and row.deleted_at is not None
        assert s.exec(select(Action).where(alive(Action))).all() == []


def test_one_flush_may_add_children_before_parents_links_are_checked_at_commit(db, plan):
    challenge = Challenge(plan_id=plan.id, number=2, title="Défi 2")
    with db.write() as s:
        s.add(Action(challenge_id=challenge.id, number=1, title="child first"))
        s.add(challenge)
    with db.read() as s:
        assert s.exec(select(Action)).one().challenge_id == challenge.id


def test_schema_compiles_for_postgresql():
    """The same models will run on a shared PostgreSQL server: nothing SQLite-only in them."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    dialect = postgresql.dialect()
    for table in SQLModel.metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        assert "AUTOINCREMENT" not in ddl and "CHAR(32)" not in ddl
        for index in table.indexes:
            CreateIndex(index).compile(dialect=dialect)
    assert "UUID" in str(CreateTable(Action.__table__).compile(dialect=dialect))
