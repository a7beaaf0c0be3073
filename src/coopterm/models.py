"""The tables of a coopterm database, named as the partnership speaks of its plan.

Every table but ``meta`` holds shared plan data and derives from :class:`Row`,
which carries what merging copies made on different laptops needs: a UUIDv7 id
(or, for a row that is one thing by meaning on every copy, such as a link or a
computed indicator, an id derived from that meaning: ``domain/keys.py``),
timezone-aware UTC creation and change times, a tombstone (``deleted_at``) instead
of erasing, the replica that made the last change, and that change's revision on
a hybrid logical clock.  The stamps are set by the store when a session flushes,
never by hand.

The schema stays portable: no SQLite-only types or syntax here.  Integrity rules
that the database can keep (ranges, allowed values, links) are CHECK and FOREIGN
KEY constraints; rules that need a message for the user are in ``domain``.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from coopterm.clock import utcnow, uuid7
from coopterm.vocabulary import ActionStatus, MeetingKind, ProjectScope

# Named constraints keep Alembic batch migrations on SQLite (which rebuild tables)
# and a later PostgreSQL schema in step.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def table_of(model: type[SQLModel]) -> sa.Table:
    """The table of a table model, as SQLAlchemy describes it."""
    return model.__table__  # type: ignore[attr-defined]  # set by SQLModel's metaclass, undeclared


def _enum(kind: type[enum.Enum], name: str) -> sa.Enum:
    """Store the member's value as text, checked by a CHECK constraint on every backend."""
    return sa.Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def _search_key() -> Any:
    """The row's searchable text folded (``coopterm.folding``), kept by the store on
    every write so that the list filters read it instead of folding every row."""
    return Field(default="", sa_column_kwargs={"server_default": ""})


def _one_row_per_link(table: str, owner: str, other: str) -> sa.Index:
    """One row per link, tombstones included: a link's id is derived from its two ends
    (``domain/keys.py``), so the link removed and made again is its old row revived, and
    the same link made on two copies is one row once merged (migration 0007 unified the
    rows older copies had made twice)."""
    return sa.Index(f"uq_{table}_{owner}_{other}", owner, other, unique=True)


def _fk(target: str, *, nullable: bool = False, index: bool = True) -> Any:
    return Field(default=None, foreign_key=target, nullable=nullable, index=index)


class Meta(SQLModel, table=True):
    """Settings of this database file only (its replica id, the current plan); never merged."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str


class Row(SQLModel):
    """Columns every shared row carries so that copies of the database can be merged."""

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    deleted_at: dt.datetime | None = Field(default=None)
    changed_by: uuid.UUID | None = Field(default=None, nullable=False)
    revision: str | None = Field(default=None, nullable=False, max_length=64)


class Plan(Row, table=True):
    """A programme (plan d'action) with its period and vision; a database may hold several."""

    __tablename__ = "plan"
    __table_args__ = (
        sa.CheckConstraint("end_date >= start_date", name="period"),
        sa.CheckConstraint(
            "tech_group_every_weeks >= 1 AND coordination_every_weeks >= 1", name="rhythm"
        ),
    )
    title: str
    start_date: dt.date
    end_date: dt.date
    vision: str = ""
    description: str = ""
    # The governance rhythm of seed 001: a technical group every six weeks in each
    # town, a coordination call every eight weeks.
    tech_group_every_weeks: int = Field(default=6, sa_column_kwargs={"server_default": "6"})
    coordination_every_weeks: int = Field(default=8, sa_column_kwargs={"server_default": "8"})
    # The IANA zone meetings are shown and typed in (``domain.zones``); they are stored in UTC.
    time_zone: str = Field(default="UTC", max_length=64, sa_column_kwargs={"server_default": "UTC"})


class Town(Row, table=True):
    """A partner town (ville partenaire); shared by the plans it takes part in."""

    __tablename__ = "town"
    name: str
    country: str = ""
    # The IANA zone of the meetings held in the town; "" for the plan's (``domain.zones``).
    time_zone: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    search_key: str = _search_key()


class PlanTown(Row, table=True):
    """Membership of a town in a plan."""

    __tablename__ = "plan_town"
    __table_args__ = (_one_row_per_link("plan_town", "plan_id", "town_id"),)
    plan_id: uuid.UUID = _fk("plan.id")
    town_id: uuid.UUID = _fk("town.id")


class Person(Row, table=True):
    """Someone who leads actions (pilote) or takes part in meetings."""

    __tablename__ = "person"
    name: str
    organisation: str = ""
    town_id: uuid.UUID | None = _fk("town.id", nullable=True)
    role: str = ""
    email: str = ""
    phone: str = ""
    search_key: str = _search_key()


class Challenge(Row, table=True):
    """A défi of a plan; the transversal one (coordinating the plan) has number 0."""

    __tablename__ = "challenge"
    __table_args__ = (sa.CheckConstraint("number >= 0", name="number"),)
    plan_id: uuid.UUID = _fk("plan.id")
    number: int
    title: str
    description: str = ""
    transversal: bool = False


class Action(Row, table=True):
    """A fiche-action: numbered within its défi, shown as "2.1"."""

    __tablename__ = "action"
    __table_args__ = (
        sa.CheckConstraint("number >= 1", name="number"),
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        sa.CheckConstraint(
            "due_date IS NULL OR start_date IS NULL OR due_date >= start_date", name="dates"
        ),
        # The actions table of the app reads one window of a sorted, filtered list.
        # Each index below starts with a sort order and also holds every column the
        # filters read (the text filter reads ``search_key``), so a window is read from
        # the index alone, in order, even at offset 50,000 of 100,000 actions (domain/actions.py).
        sa.Index("ix_action_by_code", "challenge_id", "number", "id", "deleted_at", "status", "search_key"),
        sa.Index("ix_action_by_status", "status", "challenge_id", "number", "id", "deleted_at", "search_key"),
        sa.Index("ix_action_by_title", "title", "id", "challenge_id", "deleted_at", "status", "search_key"),
        sa.Index("ix_action_by_due", "due_date", "id", "challenge_id", "deleted_at", "status", "search_key"),
        sa.Index("ix_action_by_progress", "progress", "id", "challenge_id", "deleted_at", "status", "search_key"),
        # Each défi's count and mean progress (défis screen, dashboard), from the index alone.
        sa.Index("ix_action_progress_by_challenge", "challenge_id", "deleted_at", "progress"),
    )
    challenge_id: uuid.UUID = _fk("challenge.id")
    number: int
    title: str
    description: str = ""
    status: ActionStatus = Field(
        default=ActionStatus.PLANNED, sa_type=_enum(ActionStatus, "action_status")
    )
    progress: int = 0
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    notes: str = ""
    search_key: str = _search_key()


class ActionTown(Row, table=True):
    """A partner town involved in an action; three or more make it multilateral."""

    __tablename__ = "action_town"
    # The actions of a town (filter, search by town name), read from the index alone.
    __table_args__ = (
        sa.Index("ix_action_town_by_town", "town_id", "deleted_at", "action_id"),
        # The live towns of an action (the multilateral rule), from the index alone (0010).
        sa.Index("ix_action_town_by_action", "action_id", "deleted_at", "town_id"),
        _one_row_per_link("action_town", "action_id", "town_id"),
    )
    action_id: uuid.UUID = _fk("action.id")
    town_id: uuid.UUID = _fk("town.id")


class ActionPilot(Row, table=True):
    """A person leading an action; ``position`` keeps the order the plan gives them."""

    __tablename__ = "action_pilot"
    __table_args__ = (
        sa.CheckConstraint("position >= 0", name="position"),
        # The actions of a person (filter, search by pilot name), read from the index alone.
        sa.Index("ix_action_pilot_by_person", "person_id", "deleted_at", "action_id"),
        _one_row_per_link("action_pilot", "action_id", "person_id"),
    )
    action_id: uuid.UUID = _fk("action.id")
    person_id: uuid.UUID = _fk("person.id")
    position: int = 0


_SURVEY = (
    "survey_very_satisfied",
    "survey_satisfied",
    "survey_not_very_satisfied",
    "survey_not_satisfied",
)


class Meeting(Row, table=True):
    """A réunion; survey counts are all empty until a satisfaction survey is collected."""

    __tablename__ = "meeting"
    __table_args__ = (
        *(sa.CheckConstraint(f"{c} IS NULL OR {c} >= 0", name=c) for c in _SURVEY),
        sa.CheckConstraint(
            " AND ".join(f"{c} IS NULL" for c in _SURVEY)
            + " OR "
            + " AND ".join(f"{c} IS NOT NULL" for c in _SURVEY),
            name="survey_complete",
        ),
        # A plan's meetings counted and their answers added up from the index alone (0010).
        sa.Index("ix_meeting_by_plan", "plan_id", "deleted_at", *_SURVEY),
        # The meetings table reads the live meetings of a plan newest first, one window at a
        # time: this index holds them in that order, with every column the filters read, so
        # a window and a filtered count are read from the index alone (migration 0009).
        sa.Index("ix_meeting_by_start", "plan_id", "deleted_at", "starts_at", "id", "kind", "town_id", "search_key"),
    )
    plan_id: uuid.UUID = _fk("plan.id")
    kind: MeetingKind = Field(sa_type=_enum(MeetingKind, "meeting_kind"))
    starts_at: dt.datetime = Field(index=True)
    town_id: uuid.UUID | None = _fk("town.id", nullable=True)
    remote: bool = False
    title: str = ""
    agenda: str = ""
    minutes: str = ""
    survey_very_satisfied: int | None = None
    survey_satisfied: int | None = None
    survey_not_very_satisfied: int | None = None
    survey_not_satisfied: int | None = None
    search_key: str = _search_key()


class MeetingAttendee(Row, table=True):
    """A person who took part in a meeting."""

    __tablename__ = "meeting_attendee"
    __table_args__ = (_one_row_per_link("meeting_attendee", "meeting_id", "person_id"),)
    meeting_id: uuid.UUID = _fk("meeting.id")
    person_id: uuid.UUID = _fk("person.id")


class Decision(Row, table=True):
    """A decision taken in a meeting, optionally about an action, open until done."""

    __tablename__ = "decision"
    meeting_id: uuid.UUID = _fk("meeting.id")
    text: str
    action_id: uuid.UUID | None = _fk("action.id", nullable=True)
    done: bool = False


class Funding(Row, table=True):
    """A funder's contribution for a year, in euro cents (never a float)."""

    __tablename__ = "funding"
    __table_args__ = (
        sa.CheckConstraint("amount_cents >= 0", name="amount"),
        sa.CheckConstraint("year >= 1900 AND year <= 2200", name="year"),
    )
    plan_id: uuid.UUID = _fk("plan.id")
    funder: str
    amount_cents: int = Field(sa_type=sa.BigInteger)
    year: int
    action_id: uuid.UUID | None = _fk("action.id", nullable=True)
    note: str = ""
    search_key: str = _search_key()


class NewProject(Row, table=True):
    """A new project that arose from the cooperation (the plan's fourth indicator)."""

    __tablename__ = "new_project"
    plan_id: uuid.UUID = _fk("plan.id")
    title: str
    scope: ProjectScope = Field(sa_type=_enum(ProjectScope, "project_scope"))
    origin_action_id: uuid.UUID | None = _fk("action.id", nullable=True)
    started_on: dt.date | None = None
    description: str = ""
    search_key: str = _search_key()


class NewProjectTown(Row, table=True):
    """A partner town taking part in a new project."""

    __tablename__ = "new_project_town"
    __table_args__ = (_one_row_per_link("new_project_town", "project_id", "town_id"),)
    project_id: uuid.UUID = _fk("new_project.id")
    town_id: uuid.UUID = _fk("town.id")


class Indicator(Row, table=True):
    """A success indicator; computed ones have a ``key`` and are never typed in."""

    __tablename__ = "indicator"
    __table_args__ = (
        sa.CheckConstraint("(computed AND key IS NOT NULL) OR (NOT computed AND key IS NULL)",
                           name="computed_key"),
        # One row per computed indicator of a plan (its id is derived from both, domain/keys.py);
        # manual indicators have no key, and NULLs are distinct in a unique index.
        sa.Index("uq_indicator_plan_id_key", "plan_id", "key", unique=True),
    )
    plan_id: uuid.UUID = _fk("plan.id")
    key: str | None = Field(default=None, max_length=40)
    label: str
    unit: str = ""
    target: float | None = None
    baseline_value: float | None = None
    baseline_date: dt.date | None = None
    computed: bool = False
    position: int = 0


class Measurement(Row, table=True):
    """A dated value of a manual indicator."""

    __tablename__ = "measurement"
    indicator_id: uuid.UUID = _fk("indicator.id")
    measured_on: dt.date
    value: float
    note: str = ""


class History(SQLModel, table=True):
    """One create, change or delete of a shared row: what, old and new values, when, which copy.

    Written in the same transaction as the change itself (``store/history.py``) and
    never changed afterwards; merges copy the entries a copy lacks, so every copy
    ends with the whole story.  ``base_revision`` is the revision the change was
    made on: the set of revisions a copy has recorded for a row is what it has
    seen of that row, which is how a merge tells an edit made after seeing the
    other copy's version from an edit made without knowing it.
    """

    __tablename__ = "history"
    __table_args__ = (
        sa.Index("ix_history_row", "row_id", "revision"),
        sa.Index("ix_history_at", "at"),
    )
    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    at: dt.datetime
    replica_id: uuid.UUID
    device: str = ""
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID
    op: str = Field(max_length=10)  # create, update, delete, restore, merge (a version made of two), unify (0007)
    revision: str = Field(max_length=64)
    base_revision: str | None = Field(default=None, max_length=64)
    changes: str = "{}"  # JSON: {"column": [old, new]}


class Conflict(Row, table=True):
    """Something a merge settled that a person should look at (``store/merge.py``).

    ``kind`` says what: ``edit`` (both copies changed the same field of a row: the
    values of that field only), ``deleted`` (one copy deleted a row the other
    changed: the changed version whole), ``restored`` (one copy deleted a row the
    other added work under, so the row was brought back) or ``same_number`` (two
    copies each created an action with one number in one défi).  The row keeps the
    winning values; the others are kept here so the user can take them instead.
    The id is derived from what was found, so two copies that find the same
    conflict record it once.
    """

    __tablename__ = "conflict"
    kind: str = Field(default="edit", max_length=20, sa_column_kwargs={"server_default": "edit"})
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID = Field(index=True)
    kept_revision: str = Field(max_length=64)
    other_revision: str = Field(max_length=64)
    kept_values: str  # JSON of the winning version when the conflict was found
    other_values: str  # JSON of the other version
    resolution: str | None = Field(default=None, max_length=20)  # None (open), kept, took_other


SHARED_TABLES: tuple[type[Row], ...] = (
    Plan, Town, PlanTown, Person, Challenge, Action, ActionTown, ActionPilot,
    Meeting, MeetingAttendee, Decision, Funding, NewProject, NewProjectTown,
    Indicator, Measurement,
)
"""Every merged table, parents before children."""

SEARCHED: dict[type[Row], tuple[str, ...]] = {
    Town: ("name",),
    Person: ("name", "organisation"),
    Action: ("title",),
    Meeting: ("title",),
    Funding: ("funder", "note"),
    NewProject: ("title",),
}
"""The tables a list filters by typed text, and the columns folded into their ``search_key``.
The key is derived, never edited: history and conflicts leave it out (``store.rowdata``)."""

SYNC_TABLES: tuple[type[SQLModel], ...] = (*SHARED_TABLES, Conflict, History)
"""Everything a merge brings from a copy: the plan's rows, then conflicts and history."""
