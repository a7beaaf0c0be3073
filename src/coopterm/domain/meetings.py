"""Réunions: checked writes, windowed reads, the "next meeting" of a series, and the
meetings that discussed an action.

Writes follow ``domain.actions``: the caller wraps each one in its own
``with db.write() as session:``; a refusal raises
:class:`~coopterm.domain.validation.FormErrors` (one message per field) before
anything is written; the result is a :class:`~coopterm.domain.changes.Change`
whose ``tally_delta`` is always ``ActionTally()`` (meetings do not count in the
action tallies): the dashboard then recounts in its worker, which moves the
satisfaction gauge when survey results were saved.  Deleting a meeting
tombstones it with its attendees and decisions.

Times: ``Meeting.starts_at`` is stored timezone-aware in UTC (one reference for a
file that travels between laptops in several countries).  Forms, the table, the
detail and the report show and take it in the meeting's local zone, by the one
rule of ``domain.zones``: its town's zone, else the plan's.  Reads resolve that
zone (``MeetingRow.zone``) so that no screen converts by a rule of its own.

Reads return plain frozen dataclasses.  The meetings table asks for one window
at a time (``count_meetings`` + ``fetch_meetings``, newest first, on the
``starts_at`` index); attendee counts and town names are read for the window only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from pydantic import ConfigDict, field_validator, model_validator
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from coopterm import present
from coopterm.clock import as_utc
from coopterm.domain import zones
from coopterm.domain.actions import action_choices
from coopterm.domain.changes import Change
from coopterm.domain.indicators import ActionTally, SurveyTally, satisfaction_rate
from coopterm.domain.keys import link_id
from coopterm.domain.matching import contains_text
from coopterm.domain.numbering import action_code
from coopterm.domain.persons import people_choices, town_choices
from coopterm.domain.rows import alive, tombstone
from coopterm.domain.validation import (
    WHOLE_MAX,
    FormErrors,
    blank,
    checked,
    parse_date,
    parse_id,
    parse_whole,
    refuse,
    ticked,
    title,
)
from coopterm.errors import InvalidInput
from coopterm.i18n import t
from coopterm.models import Action, Challenge, Decision, Meeting, MeetingAttendee, Person, Plan, Town
from coopterm.vocabulary import ActionStatus, MeetingKind

UTC = dt.timezone.utc
SURVEY_FIELDS = ("survey_very_satisfied", "survey_satisfied", "survey_not_very_satisfied", "survey_not_satisfied")
DEFAULT_NEXT_WEEKS = 4
"""Weeks between a meeting and the next one for kinds the plan gives no rhythm (forum, seminar…)."""
DEFAULT_TIME = "09:00"
_TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})")
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


def kind_label(kind: MeetingKind | str) -> str:
    """ "technical follow-up group", "groupe de suivi technique"…"""
    return t(f"meeting_kind.{MeetingKind(kind).value}")


def kind_short(kind: MeetingKind | str) -> str:
    """The kind in a few letters, for the table's narrow column."""
    return t(f"meeting_kind_short.{MeetingKind(kind).value}")


def kind_choices() -> list[tuple[str, str]]:
    """(value, label) of every kind, in the vocabulary's order."""
    return [(k.value, kind_label(k)) for k in MeetingKind]


def parse_time(value: object) -> dt.time:
    """A time of day from "09:30", "9:30" or "9h30"; ``ValueError`` otherwise (blank too)."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and (m := _TIME.fullmatch(value.strip())):
        return dt.time(int(m[1]), int(m[2]))
    raise ValueError(value)


def satisfaction(counts: Sequence[int | None]) -> Fraction | None:
    """One meeting's ``indicators.satisfaction_rate`` from its four survey counts (in
    ``SURVEY_FIELDS`` order); ``None`` without a survey or without answers."""
    known = [c for c in counts if c is not None]
    if len(known) < len(counts):
        return None
    return satisfaction_rate(SurveyTally(*known))


# --- input --------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    text: str
    action_id: uuid.UUID | None = None
    done: bool = False
    id: uuid.UUID | None = None
    """The decision this line edits; ``None`` for a new one."""


def _optional_id(value: object, field: str, message_key: str) -> uuid.UUID | None:
    if blank(value):
        return None
    try:
        return parse_id(value)
    except ValueError:
        raise refuse(field, t(message_key)) from None


class MeetingInput(SQLModel):
    """A meeting as a form or code gives it, checked.  Survey counts: all four or none."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    kind: MeetingKind
    date: dt.date
    time: dt.time = dt.time(9, 0)
    town_id: uuid.UUID | None = None
    remote: bool = False
    title: str
    agenda: str = ""
    minutes: str = ""
    attendees: tuple[uuid.UUID, ...] = ()
    decisions: tuple[DecisionInput, ...] = ()
    survey_very_satisfied: int | None = None
    survey_satisfied: int | None = None
    survey_not_very_satisfied: int | None = None
    survey_not_satisfied: int | None = None

    def starts_at(self, zone: str) -> dt.datetime:
        """The typed date and time, read on the clocks of ``zone``, in UTC."""
        return zones.to_utc(self.date, self.time, zone)

    @property
    def survey(self) -> tuple[int | None, ...]:
        return tuple(getattr(self, name) for name in SURVEY_FIELDS)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> MeetingKind:
        try:
            return MeetingKind(value)
        except ValueError:
            raise refuse("kind", t("meeting_form.error.kind")) from None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> dt.date:
        try:
            day = parse_date(value)
        except ValueError:
            raise refuse("date", t("form.error.date")) from None
        if day is None:
            raise refuse("date", t("meeting_form.error.date_required"))
        return day

    @field_validator("time", mode="before")
    @classmethod
    def _time(cls, value: object) -> dt.time:
        if blank(value):
            raise refuse("time", t("meeting_form.error.time"))
        try:
            return parse_time(value)
        except ValueError:
            raise refuse("time", t("meeting_form.error.time")) from None

    @field_validator("town_id", mode="before")
    @classmethod
    def _town(cls, value: object) -> uuid.UUID | None:
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        return _optional_id(value, "town_id", "form.error.town_unknown")

    @field_validator("remote", mode="before")
    @classmethod
    def _remote(cls, value: object) -> bool:
        return ticked(value)

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return title(value)

    @field_validator("agenda", "minutes", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        return "" if value is None else str(value).strip()

    @field_validator("attendees", mode="before")
    @classmethod
    def _attendees(cls, value: Iterable[object] | None) -> tuple[uuid.UUID, ...]:
        ids: list[uuid.UUID] = []
        for item in value or ():
            parsed = _optional_id(item, "attendees", "meeting_form.error.attendee_unknown")
            if parsed is not None and parsed not in ids:
                ids.append(parsed)
        return tuple(ids)

    @field_validator("decisions", mode="before")
    @classmethod
    def _decisions(cls, value: Iterable[DecisionInput | Mapping[str, Any]] | None) -> tuple[DecisionInput, ...]:
        decisions = []
        for n, item in enumerate(value or (), 1):
            if isinstance(item, DecisionInput):
                decisions.append(item)
                continue
            text = str(item.get("text") or "").strip()
            action_id = item.get("action_id")
            if isinstance(action_id, (list, tuple)):
                action_id = action_id[0] if action_id else None
            action = _optional_id(action_id, "decisions", "meeting_form.error.decision_action")
            if not text:
                if action is None:
                    continue  # an empty line left in the form
                raise refuse("decisions", t("meeting_form.error.decision_text", number=n))
            decisions.append(DecisionInput(text, action, ticked(item.get("done")),
                                           _optional_id(item.get("id"), "decisions", "form.error.invalid")))
        return tuple(decisions)

    @field_validator(*SURVEY_FIELDS, mode="before")
    @classmethod
    def _count(cls, value: object, info: Any) -> int | None:
        if blank(value):
            return None
        number = parse_whole(value)
        if number is None or isinstance(value, str) and value.strip().endswith("%"):
            raise refuse(info.field_name, t("meeting_form.error.survey_count", max=present.number(WHOLE_MAX)))
        return number

    @model_validator(mode="after")
    def _whole(self) -> "MeetingInput":
        if self.remote and self.town_id is not None:
            raise refuse("remote", t("meeting_form.error.remote_and_town"))
        filled = [c is not None for c in self.survey]
        if any(filled) and not all(filled):
            raise refuse("survey", t("meeting_form.error.survey_partial"))
        return self


def validate_meeting(data: Mapping[str, Any]) -> MeetingInput:
    return checked(MeetingInput, data, {"title": t("form.error.title_required")})


def _as_input(data: MeetingInput | Mapping[str, Any]) -> MeetingInput:
    return data if isinstance(data, MeetingInput) else validate_meeting(data)


# --- checks that need the database -----------------------------------------------------


def _plan_action_ids(session: Session, plan_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    return set(session.exec(
        select(col(Action.id)).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(col(Action.id).in_(ids), alive(Action), alive(Challenge), col(Challenge.plan_id) == plan_id)
    ).all())


def _check(session: Session, plan_id: uuid.UUID, data: MeetingInput) -> None:
    errors: dict[str, str] = {}
    if data.town_id is not None:
        town = session.get(Town, data.town_id)
        if town is None or town.deleted_at is not None:
            errors["town_id"] = t("form.error.town_unknown")
    if data.attendees:
        found = set(session.exec(select(col(Person.id)).where(col(Person.id).in_(data.attendees), alive(Person))).all())
        if found != set(data.attendees):
            errors["attendees"] = t("meeting_form.error.attendee_unknown")
    wanted = [d.action_id for d in data.decisions if d.action_id is not None]
    if set(wanted) - _plan_action_ids(session, plan_id, wanted):
        errors["decisions"] = t("meeting_form.error.decision_action")
    if errors:
        raise FormErrors(errors)


def zone_of(session: Session, plan_id: uuid.UUID, town_id: uuid.UUID | None, remote: bool) -> str:
    """The zone a meeting of ``plan_id`` held in ``town_id`` (or remote) is shown in
    (``zones.meeting_zone`` over the plan's and the town's zones)."""
    plan = session.get(Plan, plan_id)
    town = session.get(Town, town_id) if town_id is not None and not remote else None
    return zones.meeting_zone(plan.time_zone if plan is not None else zones.UTC_ZONE,
                              town.time_zone if town is not None else None, remote)


def meeting_zone_of(session: Session, meeting: Meeting) -> str:
    """The zone ``meeting`` is shown and typed in."""
    return zone_of(session, meeting.plan_id, meeting.town_id, meeting.remote)


def local_start_of(session: Session, meeting: Meeting) -> dt.datetime:
    """When ``meeting`` starts on the clocks of its zone: its ``.date()`` is the day the
    partners met, which is the UTC day before for a meeting at 01:00 in Tamatave."""
    return zones.to_local(meeting.starts_at, meeting_zone_of(session, meeting))


def own_town_zones(session: Session, plan_id: uuid.UUID, plan_zone: str) -> dict[uuid.UUID, str]:
    """The zone of each town the plan met in that names one other than ``plan_zone`` (the
    others are on the plan's clocks).  Towns are few: one small query."""
    met_in = select(Meeting.town_id).where(Meeting.plan_id == plan_id, col(Meeting.town_id).is_not(None)).distinct()
    rows = session.exec(select(Town.id, Town.time_zone).where(col(Town.id).in_(met_in), Town.time_zone != "")).all()
    return {town_id: zone for town_id, zone in rows if zone != plan_zone}


def on_local_days(plan_zone: str, town_zones: Mapping[uuid.UUID, str], first: dt.date | None,
                  last: dt.date | None) -> Any:
    """Meetings whose day, on the clocks of their own zone (``zones.meeting_zone``), is between
    ``first`` and ``last`` (both included; ``None``: open), as one SQL condition.

    Each zone's days are turned into UTC bounds here, in Python, so the database compares
    stored times only (its index on ``starts_at`` serves); ``town_zones`` is
    :func:`own_town_zones`, the towns whose clocks differ from the plan's.
    """
    def between(zone: str) -> Any:
        bounds = []
        if first is not None:
            bounds.append(col(Meeting.starts_at) >= zones.to_utc(first, dt.time(0), zone))
        if last is not None:
            bounds.append(col(Meeting.starts_at) < zones.to_utc(last + dt.timedelta(days=1), dt.time(0), zone))
        return sa.and_(sa.true(), *bounds)

    by_zone: dict[str, list[uuid.UUID]] = {}
    for town, zone in town_zones.items():
        by_zone.setdefault(zone, []).append(town)
    # "is not null" spelled out: SQL's NOT of an unknown is unknown, which would drop the meetings without a town
    in_own_town = sa.and_(sa.not_(col(Meeting.remote)), col(Meeting.town_id).is_not(None),
                          col(Meeting.town_id).in_(list(town_zones)))
    return sa.or_(
        sa.and_(sa.not_(in_own_town), between(plan_zone)),
        *(sa.and_(sa.not_(col(Meeting.remote)), col(Meeting.town_id).in_(ids), between(zone))
          for zone, ids in by_zone.items()),
    )


def _live_meeting(session: Session, meeting_id: uuid.UUID) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.deleted_at is not None:
        raise InvalidInput("record.meeting_missing")
    return meeting


# --- writes ---------------------------------------------------------------------------------


def _row_values(session: Session, plan_id: uuid.UUID, data: MeetingInput) -> dict[str, Any]:
    """The meeting's columns; the typed time is read in the zone of the town (or plan) chosen."""
    starts_at = data.starts_at(zone_of(session, plan_id, data.town_id, data.remote))
    return {
        "kind": data.kind, "starts_at": starts_at, "town_id": data.town_id, "remote": data.remote,
        "title": data.title, "agenda": data.agenda, "minutes": data.minutes,
        **{name: getattr(data, name) for name in SURVEY_FIELDS},
    }


def _sync_attendees(session: Session, meeting_id: uuid.UUID, wanted: Sequence[uuid.UUID]) -> bool:
    """Make the meeting's live attendees exactly ``wanted``: removed ones are tombstoned,
    returning ones revived rather than duplicated."""
    changed = False
    seen: set[uuid.UUID] = set()
    for row in session.exec(select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting_id)).all():
        keep = row.person_id in wanted and row.person_id not in seen
        if keep:
            seen.add(row.person_id)
            if row.deleted_at is not None:
                row.deleted_at = None
                session.add(row)
                changed = True
        elif row.deleted_at is None:
            tombstone(session, row)
            changed = True
    for person_id in wanted:
        if person_id not in seen:
            session.add(MeetingAttendee(id=link_id(MeetingAttendee, meeting_id, person_id), meeting_id=meeting_id,
                                        person_id=person_id))
            changed = True
    return changed


def _sync_decisions(session: Session, meeting_id: uuid.UUID, wanted: Sequence[DecisionInput]) -> bool:
    """Update the decisions the form kept (by id), add the new ones, tombstone the removed ones."""
    existing = {d.id: d for d in session.exec(
        select(Decision).where(Decision.meeting_id == meeting_id, alive(Decision)))}
    changed = False
    kept: set[uuid.UUID] = set()
    for item in wanted:
        row = existing.get(item.id) if item.id is not None else None
        if row is None or row.id in kept:
            session.add(Decision(meeting_id=meeting_id, text=item.text, action_id=item.action_id, done=item.done))
            changed = True
            continue
        kept.add(row.id)
        values = {"text": item.text, "action_id": item.action_id, "done": item.done}
        if any(getattr(row, k) != v for k, v in values.items()):
            row.sqlmodel_update(values)
            session.add(row)
            changed = True
    for decision_id, row in existing.items():
        if decision_id not in kept:
            tombstone(session, row)
            changed = True
    return changed


def create_meeting(session: Session, plan_id: uuid.UUID, data: MeetingInput | Mapping[str, Any]) -> Change:
    """Add a meeting with its attendees and decisions."""
    data = _as_input(data)
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise InvalidInput("record.plan_missing")
    _check(session, plan_id, data)
    meeting = Meeting(plan_id=plan_id, **_row_values(session, plan_id, data))
    session.add(meeting)
    _sync_attendees(session, meeting.id, data.attendees)
    _sync_decisions(session, meeting.id, data.decisions)
    return Change(meeting.id, plan_id, True, ActionTally())


def update_meeting(session: Session, meeting_id: uuid.UUID, data: MeetingInput | Mapping[str, Any]) -> Change:
    """Change what differs, attendees and decisions included."""
    data = _as_input(data)
    meeting = _live_meeting(session, meeting_id)
    _check(session, meeting.plan_id, data)
    changed = False
    for name, value in _row_values(session, meeting.plan_id, data).items():
        current = getattr(meeting, name)
        if isinstance(current, dt.datetime):
            current = as_utc(current)
        if current != value:
            setattr(meeting, name, value)
            changed = True
    if changed:
        session.add(meeting)
    changed |= _sync_attendees(session, meeting_id, data.attendees)
    changed |= _sync_decisions(session, meeting_id, data.decisions)
    return Change(meeting_id, meeting.plan_id, changed, ActionTally())


def delete_meeting(session: Session, meeting_id: uuid.UUID) -> Change:
    """Tombstone the meeting, its attendees and its decisions."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise InvalidInput("record.meeting_missing")
    if meeting.deleted_at is not None:
        return Change(meeting_id, meeting.plan_id, False, ActionTally())
    tombstone(session, meeting)
    for model in (MeetingAttendee, Decision):
        for row in session.exec(select(model).where(model.meeting_id == meeting_id, alive(model))):
            tombstone(session, row)
    return Change(meeting_id, meeting.plan_id, True, ActionTally())


def save_meeting(session: Session, plan_id: uuid.UUID, meeting_id: uuid.UUID | None,
                 data: Mapping[str, Any]) -> Change:
    """Create or update from a submitted form; FormErrors (nothing written) when it is refused."""
    if meeting_id is None:
        return create_meeting(session, plan_id, data)
    return update_meeting(session, meeting_id, data)


# --- reading: the table ---------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingQuery:
    """Which meetings the table shows: every word of ``text`` in the title (accents and
    case aside, ``domain.matching``), a kind, a town, a period (both ends included; a
    meeting's day is read on the clocks of its own zone, as the table shows it)."""

    text: str = ""
    kind: MeetingKind | None = None
    town_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class MeetingRow:
    id: uuid.UUID
    starts_at: dt.datetime
    """As stored (UTC)."""
    kind: MeetingKind
    title: str
    town_name: str | None
    remote: bool
    attendees: int
    satisfaction: Fraction | None
    """Percent of (very) satisfied answers; ``None`` without a survey."""
    zone: str = zones.UTC_ZONE
    """The zone the meeting is shown in (``domain.zones``)."""

    @property
    def local_start(self) -> dt.datetime:
        """``starts_at`` on the clocks of ``zone``."""
        return zones.to_local(self.starts_at, self.zone)


def _conditions(session: Session, plan_id: uuid.UUID, query: MeetingQuery) -> list[Any]:
    conditions: list[Any] = [Meeting.plan_id == plan_id, alive(Meeting)]
    if query.kind is not None:
        conditions.append(Meeting.kind == MeetingKind(query.kind))
    if query.town_id is not None:
        conditions.append(Meeting.town_id == query.town_id)
    if query.date_from is not None or query.date_to is not None:
        plan = session.get(Plan, plan_id)
        zone = zones.meeting_zone(plan.time_zone if plan is not None else zones.UTC_ZONE, None, True)
        conditions.append(on_local_days(zone, own_town_zones(session, plan_id, zone), query.date_from, query.date_to))
    if query.text.strip():
        conditions.append(contains_text(Meeting, query.text))
    return conditions


def count_meetings(session: Session, plan_id: uuid.UUID, query: MeetingQuery = MeetingQuery()) -> int:
    return int(session.exec(
        select(func.count()).select_from(Meeting).where(*_conditions(session, plan_id, query))).one())


def fetch_meetings(session: Session, plan_id: uuid.UUID, query: MeetingQuery = MeetingQuery(),
                   offset: int = 0, limit: int = 40, *, from_end: bool = False) -> list[MeetingRow]:
    """The rows ``offset`` to ``offset + limit`` of the table, newest first; with
    ``from_end``, the ``limit`` rows that end ``offset`` rows before the oldest (read
    oldest first, then turned round), so the end of the table skips a few rows, not
    500,000."""
    if limit <= 0:
        return []
    order = (col(Meeting.starts_at), col(Meeting.id)) if from_end else \
        (col(Meeting.starts_at).desc(), col(Meeting.id).desc())
    found = list(session.exec(
        select(Meeting, Town.name, Town.time_zone)
        .outerjoin(Town, sa.and_(col(Town.id) == col(Meeting.town_id), alive(Town)))
        .where(*_conditions(session, plan_id, query))
        .order_by(*order)
        .offset(max(0, offset)).limit(limit)
    ).all())
    if from_end:
        found.reverse()
    ids = [m.id for m, _, _ in found]
    plan = session.get(Plan, plan_id)
    plan_zone = plan.time_zone if plan is not None else zones.UTC_ZONE
    counts: dict[uuid.UUID, int] = {}
    if ids:
        counts = dict(session.exec(
            select(MeetingAttendee.meeting_id, func.count(func.distinct(MeetingAttendee.person_id)))
            .join(Person, col(Person.id) == col(MeetingAttendee.person_id))
            .where(col(MeetingAttendee.meeting_id).in_(ids), alive(MeetingAttendee), alive(Person))
            .group_by(col(MeetingAttendee.meeting_id))
        ).all())
    return [
        MeetingRow(m.id, as_utc(m.starts_at),
                   MeetingKind(m.kind), m.title, town, m.remote, int(counts.get(m.id, 0)),
                   satisfaction([getattr(m, f) for f in SURVEY_FIELDS]),
                   zones.meeting_zone(plan_zone, town_zone, m.remote))
        for m, town, town_zone in found
    ]


def validate_period(data: Mapping[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """The period filter's dates (each optional); FormErrors for a bad date or an end before the start."""
    errors: dict[str, str] = {}
    days: dict[str, dt.date | None] = {}
    for name in ("date_from", "date_to"):
        try:
            days[name] = parse_date(data.get(name))
        except ValueError:
            errors[name] = t("form.error.date")
    if not errors and days["date_from"] and days["date_to"] and days["date_to"] < days["date_from"]:
        errors["date_to"] = t("meeting_period.error.order")
    if errors:
        raise FormErrors(errors)
    return days["date_from"], days["date_to"]


# --- reading: one meeting, the form ----------------------------------------------------------


def _codes(session: Session, action_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not action_ids:
        return {}
    rows = session.exec(
        select(Action, Challenge).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(col(Action.id).in_(list(action_ids)))
    ).all()
    return {a.id: action_code(c, a) for a, c in rows}


def _decisions_of(session: Session, meeting_id: uuid.UUID) -> list[Decision]:
    return list(session.exec(
        select(Decision).where(Decision.meeting_id == meeting_id, alive(Decision))
        .order_by(col(Decision.created_at), col(Decision.id))))


def _attendees_of(session: Session, meeting_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.exec(
        select(col(MeetingAttendee.person_id)).join(Person, col(Person.id) == col(MeetingAttendee.person_id))
        .where(MeetingAttendee.meeting_id == meeting_id, alive(MeetingAttendee), alive(Person))
        .order_by(col(MeetingAttendee.created_at), col(MeetingAttendee.id))).all())


def _text(value: object) -> str:
    return "" if value is None else str(value)


def meeting_form_values(session: Session, meeting_id: uuid.UUID) -> dict[str, Any]:
    """The meeting as the form shows it: text for inputs, ids for lists, decisions as dicts."""
    meeting = _live_meeting(session, meeting_id)
    starts = zones.to_local(meeting.starts_at, meeting_zone_of(session, meeting))
    return {
        "kind": MeetingKind(meeting.kind).value,
        "date": present.date(starts.date()),
        "time": f"{starts:%H:%M}",
        "town_id": meeting.town_id,
        "remote": meeting.remote,
        "title": meeting.title,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "attendees": _attendees_of(session, meeting_id),
        "decisions": [{"id": d.id, "text": d.text, "action_id": d.action_id, "done": d.done}
                      for d in _decisions_of(session, meeting_id)],
        **{name: _text(getattr(meeting, name)) for name in SURVEY_FIELDS},
    }


def new_meeting_values(today: dt.date) -> dict[str, Any]:
    return {"kind": MeetingKind.COORDINATION.value, "date": present.date(today), "time": DEFAULT_TIME,
            "town_id": None, "remote": False, "title": "", "agenda": "", "minutes": "", "attendees": [],
            "decisions": [], **{name: "" for name in SURVEY_FIELDS}}


@dataclass(frozen=True)
class MeetingFormContext:
    people: list[tuple[uuid.UUID, str]]
    towns: list[tuple[uuid.UUID, str]]
    actions: list[tuple[uuid.UUID, str]]
    values: dict[str, Any]
    plan_zone: str = zones.UTC_ZONE
    town_zones: Mapping[uuid.UUID, str] = dataclasses.field(default_factory=dict)
    """The zone each town names ("" for none): the form says which zone its time is typed in."""

    def zone(self, town_id: uuid.UUID | None, remote: bool) -> str:
        """The zone a time typed with this town (or remote) is read in (``zones.meeting_zone``)."""
        town_zone = self.town_zones.get(town_id) if town_id is not None else None
        return zones.meeting_zone(self.plan_zone, town_zone, remote)


def meeting_form_context(session: Session, plan_id: uuid.UUID, meeting_id: uuid.UUID | None,
                         today: dt.date, values: dict[str, Any] | None = None) -> MeetingFormContext:
    """Choices of the form's lists, and the values it starts from (``values`` when given,
    e.g. a next meeting; the meeting's own when editing; else a blank meeting)."""
    if values is None:
        values = meeting_form_values(session, meeting_id) if meeting_id else new_meeting_values(today)
    towns = town_choices(session, plan_id)
    town_zones = dict(session.exec(
        select(Town.id, Town.time_zone).where(col(Town.id).in_([town_id for town_id, _ in towns]))).all())
    plan = session.get(Plan, plan_id)
    return MeetingFormContext(people_choices(session), towns, action_choices(session, plan_id), values,
                              plan.time_zone if plan is not None else zones.UTC_ZONE, town_zones)


def meeting_label(session: Session, meeting_id: uuid.UUID) -> str:
    """ "15/06/2021 09:00 CEST — Title", to name a meeting in a question."""
    meeting = _live_meeting(session, meeting_id)
    local = zones.to_local(meeting.starts_at, meeting_zone_of(session, meeting))
    return f"{present.zoned_date_time(local)} \u2014 {meeting.title}"


# --- reading: one meeting, the detail ----------------------------------------------------------


@dataclass(frozen=True)
class DetailDecision:
    text: str
    done: bool
    action_code: str
    """ "2.1", or "" when the decision is about no action."""
    action_title: str
    action_status: ActionStatus | None


@dataclass(frozen=True)
class MeetingDetail:
    """One meeting as its read-only detail shows it, its time in its own zone."""

    id: uuid.UUID
    title: str
    kind: MeetingKind
    local_start: dt.datetime
    zone: str
    town_name: str | None
    remote: bool
    attendees: tuple[str, ...]
    agenda: str
    minutes: str
    decisions: tuple[DetailDecision, ...]
    survey: tuple[int | None, ...]
    """The four counts in ``SURVEY_FIELDS`` order, all ``None`` without a survey."""
    satisfaction: Fraction | None


def meeting_detail(session: Session, meeting_id: uuid.UUID) -> MeetingDetail | None:
    """The meeting, its attendees' names, its decisions with their actions; ``None`` once deleted."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.deleted_at is not None:
        return None
    zone = meeting_zone_of(session, meeting)
    town = session.get(Town, meeting.town_id) if meeting.town_id is not None else None
    # By name (accents and case aside), so the detail reads the same on every copy,
    # whatever order the attendees were added in.
    attendees = tuple(session.exec(
        select(Person.name).where(col(Person.id).in_(_attendees_of(session, meeting_id)))
        .order_by(col(Person.search_key), col(Person.id))).all())
    decisions = _decisions_of(session, meeting_id)
    wanted = [d.action_id for d in decisions if d.action_id is not None]
    actions = {a.id: (action_code(c, a), a) for a, c in session.exec(
        select(Action, Challenge).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(col(Action.id).in_(wanted))).all()} if wanted else {}
    lines = []
    for d in decisions:
        code, action = actions.get(d.action_id, ("", None)) if d.action_id is not None else ("", None)
        lines.append(DetailDecision(d.text, d.done, code, action.title if action else "",
                                    ActionStatus(action.status) if action else None))
    survey = tuple(getattr(meeting, name) for name in SURVEY_FIELDS)
    return MeetingDetail(
        meeting.id, meeting.title, MeetingKind(meeting.kind), zones.to_local(meeting.starts_at, zone), zone,
        town.name if town is not None and town.deleted_at is None else None, meeting.remote, attendees,
        meeting.agenda, meeting.minutes, tuple(lines), survey, satisfaction(survey))


# --- the next meeting of a series --------------------------------------------------------------


def rhythm_weeks(plan: Plan, kind: MeetingKind) -> int:
    """Weeks to the next meeting of ``kind``: the plan's rhythm for technical groups and
    coordination, ``DEFAULT_NEXT_WEEKS`` for the other kinds."""
    if kind is MeetingKind.TECHNICAL_GROUP:
        return plan.tech_group_every_weeks
    if kind is MeetingKind.COORDINATION:
        return plan.coordination_every_weeks
    return DEFAULT_NEXT_WEEKS


def next_title(title: str) -> str:
    """The title with its last number one higher ("… n° 12 — Monastir" → "… n° 13 — Monastir",
    "Forum 2020" → "Forum 2021"); unchanged when it holds no number."""
    m = _LAST_NUMBER.search(title)
    if m is None:
        return title
    number = str(int(m[1]) + 1).zfill(len(m[1]))
    return title[:m.start()] + number + title[m.end():]


def carried_lines(session: Session, meeting_id: uuid.UUID) -> list[str]:
    """The meeting's open decisions as agenda lines: "- [2.1] text", or "- text" without an action."""
    open_ = [d for d in _decisions_of(session, meeting_id) if not d.done]
    codes = _codes(session, [d.action_id for d in open_ if d.action_id is not None])
    return [f"- [{codes[d.action_id]}] {d.text}" if d.action_id in codes else f"- {d.text}" for d in open_]


def next_meeting_values(session: Session, meeting_id: uuid.UUID) -> dict[str, Any]:
    """The form values of the meeting that follows ``meeting_id`` (nothing is written).

    Same kind, place (town or remote) and attendees; same weekday and local time
    ``rhythm_weeks`` weeks later (14:00 stays 14:00 across a change to summer time); the
    title's last number one higher; the same
    agenda followed by the open decisions (lines already in it are not repeated);
    no minutes, decisions or survey.
    """
    meeting = _live_meeting(session, meeting_id)
    plan = session.get_one(Plan, meeting.plan_id)
    kind = MeetingKind(meeting.kind)
    zone = meeting_zone_of(session, meeting)
    starts = zones.to_local(zones.later_local(meeting.starts_at, zone, rhythm_weeks(plan, kind)), zone)
    agenda = meeting.agenda.rstrip()
    present = set(agenda.splitlines())
    extra = [line for line in carried_lines(session, meeting_id) if line not in present]
    if extra:
        agenda = "\n".join([agenda, *extra]) if agenda else "\n".join(extra)
    return {
        **new_meeting_values(starts.date()),
        "kind": kind.value, "time": f"{starts:%H:%M}", "town_id": meeting.town_id, "remote": meeting.remote,
        "title": next_title(meeting.title), "agenda": agenda, "attendees": _attendees_of(session, meeting_id),
    }


# --- an action's meetings ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDecision:
    text: str
    done: bool


@dataclass(frozen=True)
class ActionMeeting:
    """A live meeting with the live decisions it took about one action."""

    meeting_id: uuid.UUID
    starts_at: dt.datetime
    """As stored (UTC)."""
    title: str
    kind: MeetingKind
    decisions: tuple[ActionDecision, ...]
    zone: str = zones.UTC_ZONE
    """The zone the meeting is shown in (``domain.zones``)."""

    @property
    def local_start(self) -> dt.datetime:
        """``starts_at`` on the clocks of ``zone``: its date is the day the meeting was held."""
        return zones.to_local(self.starts_at, self.zone)


def action_meetings(session: Session, action_id: uuid.UUID) -> list[ActionMeeting]:
    """The meetings whose decisions point to ``action_id``, newest first, with those decisions."""
    rows = session.exec(
        select(Meeting, Decision).join(Decision, col(Decision.meeting_id) == col(Meeting.id))
        .where(Decision.action_id == action_id, alive(Decision), alive(Meeting))
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id), col(Decision.created_at), col(Decision.id))
    ).all()
    grouped: dict[uuid.UUID, tuple[Meeting, list[ActionDecision]]] = {}
    for meeting, decision in rows:
        grouped.setdefault(meeting.id, (meeting, []))[1].append(ActionDecision(decision.text, decision.done))
    return [ActionMeeting(m.id, as_utc(m.starts_at), m.title, MeetingKind(m.kind), tuple(ds),
                          meeting_zone_of(session, m))
            for m, ds in grouped.values()]


# --- the governance rhythm, for the meetings screen ----------------------------------------------


def meetings_rhythm(session: Session, plan_id: uuid.UUID, today: dt.date) -> tuple[list[Any], bool]:
    """``(domain.cadence.meetings_due(...), plan over)`` for the current plan."""
    from coopterm.domain.cadence import meetings_due, plan_over

    plan = session.get(Plan, plan_id)
    if plan is None:
        return [], False
    return meetings_due(session, plan, today), plan_over(plan, today)
