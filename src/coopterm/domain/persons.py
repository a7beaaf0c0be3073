"""People (pilotes) and partner towns: windowed reads for the pilots screen, choices for
pickers, and checked writes.

People belong to the file, not to one plan: the list shows every live person,
with their load (the *open* actions they lead in the current plan: planned, in
progress or postponed) and the number of actions they lead in that plan.  The
table reads one window at a time (``count_people`` + ``fetch_people``); the
counts are computed for the people of the window only.

Writes follow ``domain.actions``: the caller wraps each in one
``with db.write() as session:``, a refusal raises
:class:`~coopterm.domain.validation.FormErrors` before anything is written, and
the result is a :class:`~coopterm.domain.changes.Change` (people and towns do not
change the action tally, so ``tally_delta`` is always empty).

Deleting someone who leads actions either hands those actions to another person,
who takes the deleted person's place in each action's order of pilots (unless
they already lead it), or leaves the actions without them; then the person and
their links to actions are tombstoned.  Their attendance at meetings stays: the
meetings happened.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import ConfigDict, field_validator
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from coopterm.domain.changes import Change
from coopterm.domain.indicators import ActionTally
from coopterm.domain.keys import link_id
from coopterm.domain.matching import contains_text, sort_key
from coopterm.domain.numbering import action_code
from coopterm.domain.rows import alive, sync_links, tombstone
from coopterm.domain.validation import FormErrors, blank, checked, free_text, parse_id, refuse
from coopterm.domain.zones import check_zone
from coopterm.errors import InvalidInput
from coopterm.i18n import t
from coopterm.models import Action, ActionPilot, Challenge, Person, Plan, PlanTown, Town
from coopterm.vocabulary import OPEN_STATUSES, ActionStatus

NAME_MAX = 200
TEXT_MAX = 200
PHONE_MAX = 40

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[^@\s.]{2,}")


# --- checked input ------------------------------------------------------------------------


def _name(value: object, field: str = "name") -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text:
        raise refuse(field, t("pilots.error.name_required"))
    if len(text) > NAME_MAX:
        raise refuse(field, t("pilots.error.name_too_long", length=len(text), max=NAME_MAX))
    return text


def _short_text(value: object, field: str, maximum: int = TEXT_MAX) -> str:
    text = free_text(value)
    if len(text) > maximum:
        raise refuse(field, t("pilots.error.text_too_long", length=len(text), max=maximum))
    return text


class PersonInput(SQLModel):
    """A person as a form or code gives them, checked."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    name: str
    organisation: str = ""
    town_id: uuid.UUID | None = None
    role: str = ""
    email: str = ""
    phone: str = ""

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> str:
        return _name(value)

    @field_validator("organisation", mode="before")
    @classmethod
    def _organisation(cls, value: object) -> str:
        return _short_text(value, "organisation")

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: object) -> str:
        return _short_text(value, "role")

    @field_validator("town_id", mode="before")
    @classmethod
    def _town(cls, value: object) -> uuid.UUID | None:
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if blank(value):
            return None
        try:
            return parse_id(value)
        except ValueError:
            raise refuse("town_id", t("form.error.town_unknown")) from None

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object) -> str:
        text = free_text(value)
        if text and (len(text) > TEXT_MAX or not _EMAIL.fullmatch(text)):
            raise refuse("email", t("pilots.error.email", email=text))
        return text

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: object) -> str:
        text = free_text(value)
        if len(text) > PHONE_MAX:
            raise refuse("phone", t("pilots.error.phone_too_long", length=len(text), max=PHONE_MAX))
        return text


class TownInput(SQLModel):
    """A partner town as a form or code gives it, checked."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    name: str
    country: str = ""
    time_zone: str = ""
    """The IANA zone of the meetings held there; "" for the plan's (``domain.zones``)."""

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> str:
        return _name(value)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: object) -> str:
        return _short_text(value, "country")

    @field_validator("time_zone", mode="before")
    @classmethod
    def _time_zone(cls, value: object) -> str:
        return check_zone(value, "time_zone", optional=True)


def validate_person(data: Mapping[str, Any]) -> PersonInput:
    return checked(PersonInput, data, {"name": t("pilots.error.name_required")})


def validate_town(data: Mapping[str, Any]) -> TownInput:
    return checked(TownInput, data, {"name": t("pilots.error.name_required")})


# --- reading: the people table -------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """A line of the people table."""

    id: uuid.UUID
    name: str
    town: str
    organisation: str
    role: str
    email: str
    phone: str
    load: int
    """Open actions (planned, in progress, postponed) they lead in the current plan."""
    led: int
    """Live actions they lead in the current plan, whatever their status."""


def _reading_order(session: Session, column: Any) -> Any:
    """``column`` in the order a French reader expects ("Élodie" next to "Eloïse").

    On SQLite a small function gives each name its reading key (accents and case
    set aside); other databases sort case-insensitively.
    """
    bind = session.connection()
    if bind.dialect.name != "sqlite":
        return func.lower(column)
    raw = bind.connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        raise TypeError("coopterm's files are SQLite")
    raw.create_function("coopterm_reading_key", 1, _reading_key, deterministic=True)
    return func.coopterm_reading_key(column)


def _reading_key(text: str | None) -> str:
    plain, exact = sort_key(text or "")
    return f"{plain}\x00{exact}"


def _people_where(session: Session, text: str) -> list[Any]:
    conditions: list[Any] = [alive(Person)]
    if text.strip():
        towns = select(Town.id).where(alive(Town), contains_text(Town, text))
        conditions.append(sa.or_(
            contains_text(Person, text, "name", "organisation"),
            col(Person.town_id).in_(towns),
        ))
    return conditions


def count_people(session: Session, text: str = "") -> int:
    """How many live people match ``text`` (in their name, organisation or town)."""
    return int(session.exec(select(func.count()).select_from(Person).where(*_people_where(session, text))).one())


def _loads(session: Session, plan_id: uuid.UUID, person_ids: Sequence[uuid.UUID]
           ) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, int]]:
    """How many live actions of the plan's live défis each of ``person_ids`` leads: all of
    them, and the open ones.

    Read from the people's links outwards (their links, then those actions by id, kept
    here when their défi is one of the plan's), so the cost follows the page of people,
    not the plan: with the défis in the query, SQLite started from them and read every
    action of the plan (2.3 s for a page at 100,000 actions).
    """
    if not person_ids:
        return {}, {}
    challenges = set(session.exec(select(Challenge.id).where(Challenge.plan_id == plan_id, alive(Challenge))))
    led: dict[uuid.UUID, set[uuid.UUID]] = {}
    opened: dict[uuid.UUID, set[uuid.UUID]] = {}
    for person_id, action_id, challenge_id, status in session.exec(
        select(ActionPilot.person_id, Action.id, Action.challenge_id, Action.status)
        .join(Action, col(Action.id) == col(ActionPilot.action_id))
        .where(col(ActionPilot.person_id).in_(person_ids), alive(ActionPilot), alive(Action))
    ):
        if challenge_id in challenges:
            led.setdefault(person_id, set()).add(action_id)
            if ActionStatus(status) in OPEN_STATUSES:
                opened.setdefault(person_id, set()).add(action_id)
    return ({p: len(a) for p, a in led.items()}, {p: len(a) for p, a in opened.items()})


def fetch_people(session: Session, plan_id: uuid.UUID | None, text: str = "",
                 offset: int = 0, limit: int = 40) -> list[PersonRow]:
    """Rows ``offset`` to ``offset + limit`` of the live people matching ``text``, by name."""
    if limit <= 0:
        return []
    found = session.exec(
        select(Person, Town.name)
        .outerjoin(Town, sa.and_(col(Town.id) == col(Person.town_id), alive(Town)))
        .where(*_people_where(session, text))
        .order_by(_reading_order(session, col(Person.name)), col(Person.id))
        .offset(max(0, offset)).limit(limit)
    ).all()
    led, load = _loads(session, plan_id, [person.id for person, _ in found]) if plan_id is not None else ({}, {})
    return [
        PersonRow(p.id, p.name, town or "", p.organisation, p.role, p.email, p.phone,
                  load.get(p.id, 0), led.get(p.id, 0))
        for p, town in found
    ]


def index_of_person(session: Session, person_id: uuid.UUID, text: str = "") -> int | None:
    """Where the person stands in the table ``text`` filters; ``None`` when not in it."""
    person = session.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        return None
    if not session.exec(select(Person.id).where(Person.id == person_id, *_people_where(session, text))).first():
        return None
    key = _reading_order(session, Person.name)
    mine = _reading_key(person.name)
    before = session.exec(
        select(func.count()).select_from(Person).where(
            *_people_where(session, text),
            sa.or_(key < mine, sa.and_(key == mine, col(Person.id) < person_id)),
        )
    ).one()
    return int(before)


# --- reading: one person ---------------------------------------------------------------------


@dataclass(frozen=True)
class LedAction:
    id: uuid.UUID
    code: str
    title: str
    status: ActionStatus


@dataclass(frozen=True)
class PersonDetail:
    id: uuid.UUID
    name: str
    organisation: str
    town_id: uuid.UUID | None
    town: str
    role: str
    email: str
    phone: str
    actions: tuple[LedAction, ...]
    """The live actions they lead in the plan asked for, in the plan's order."""

    @property
    def load(self) -> int:
        return sum(1 for a in self.actions if a.status in OPEN_STATUSES)

    def form_values(self) -> dict[str, Any]:
        """The person as ``validate_person`` takes them, for an edit form to start from."""
        return {"name": self.name, "organisation": self.organisation, "town_id": self.town_id,
                "role": self.role, "email": self.email, "phone": self.phone}


def _led_actions(session: Session, person_id: uuid.UUID, plan_id: uuid.UUID | None) -> list[LedAction]:
    """Live actions of live défis the person leads (in ``plan_id``, or in every plan), in order."""
    stmt = (
        select(Action, Challenge)
        .join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .join(ActionPilot, col(ActionPilot.action_id) == col(Action.id))
        .where(ActionPilot.person_id == person_id, alive(ActionPilot), alive(Action), alive(Challenge))
    )
    if plan_id is not None:
        stmt = stmt.where(Challenge.plan_id == plan_id)
    rows = session.exec(stmt.order_by(col(Challenge.plan_id), col(Challenge.transversal).desc(), col(Challenge.number),
                                      col(Action.number), col(Action.id))).all()
    seen: set[uuid.UUID] = set()
    out = []
    for action, challenge in rows:
        if action.id not in seen:
            seen.add(action.id)
            out.append(LedAction(action.id, action_code(challenge, action), action.title, action.status))
    return out


def person_detail(session: Session, person_id: uuid.UUID, plan_id: uuid.UUID | None) -> PersonDetail | None:
    """Everything about one live person and the actions they lead in ``plan_id``; ``None`` when gone."""
    person = session.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        return None
    town = session.get(Town, person.town_id) if person.town_id else None
    town_name = town.name if town is not None and town.deleted_at is None else ""
    return PersonDetail(person.id, person.name, person.organisation, person.town_id, town_name, person.role,
                        person.email, person.phone, tuple(_led_actions(session, person_id, plan_id)))


def person_form_values(session: Session, person_id: uuid.UUID | None) -> dict[str, Any]:
    """Text for the person form's inputs (and the town id for its picker)."""
    if person_id is None:
        return {"name": "", "organisation": "", "town_id": None, "role": "", "email": "", "phone": ""}
    detail = person_detail(session, person_id, None)
    if detail is None:
        raise InvalidInput("record.person_missing")
    return detail.form_values()


# --- choices for pickers ---------------------------------------------------------------------


def people_choices(session: Session, text: str = "") -> list[tuple[uuid.UUID, str]]:
    """Live people as ``(id, "Name — Town")`` in reading order, those whose name or
    town contains ``text`` when it is given (for a pilot picker)."""
    stmt = (
        select(Person.id, Person.name, Town.name)
        .outerjoin(Town, sa.and_(col(Town.id) == col(Person.town_id), alive(Town)))
        .where(alive(Person))
    )
    if text.strip():
        stmt = stmt.where(sa.or_(contains_text(Person, text, "name"), contains_text(Town, text)))
    rows = session.exec(stmt).all()
    rows = sorted(rows, key=lambda r: (sort_key(r[1]), sort_key(r[2] or ""), r[0]))
    return [(pid, f"{name} \u2014 {town}" if town else name) for pid, name, town in rows]


def town_choices(session: Session, plan_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The plan's live partner towns as ``(id, name)`` in reading order."""
    rows = session.exec(
        select(Town.id, Town.name)
        .join(PlanTown, col(PlanTown.town_id) == col(Town.id))
        .where(PlanTown.plan_id == plan_id, alive(PlanTown), alive(Town))
        .distinct()
    ).all()
    return sorted(((tid, name) for tid, name in rows), key=lambda r: (sort_key(r[1]), r[0]))


def person_town_choices(session: Session, plan_id: uuid.UUID, person_id: uuid.UUID | None = None
                        ) -> list[tuple[uuid.UUID, str]]:
    """The plan's live towns as ``(id, name)``, plus the person's own town if it is elsewhere."""
    choices = town_choices(session, plan_id)
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is not None and person.town_id is not None and all(tid != person.town_id for tid, _ in choices):
            town = session.get(Town, person.town_id)
            if town is not None and town.deleted_at is None:
                choices.append((town.id, town.name))
    return choices


def replacement_choices(session: Session, person_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """Every other live person, as ``(id, "Name — Town")``, to take over someone's actions."""
    return [(pid, label) for pid, label in people_choices(session) if pid != person_id]


# --- writes: people ---------------------------------------------------------------------------


def _live_person(session: Session, person_id: uuid.UUID) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        raise InvalidInput("record.person_missing")
    return person


def _as_person(data: PersonInput | Mapping[str, Any]) -> PersonInput:
    return data if isinstance(data, PersonInput) else validate_person(data)


def _check_town(session: Session, town_id: uuid.UUID | None) -> None:
    if town_id is None:
        return
    town = session.get(Town, town_id)
    if town is None or town.deleted_at is not None:
        raise FormErrors({"town_id": t("form.error.town_unknown")})


_PERSON_FIELDS = ("name", "organisation", "town_id", "role", "email", "phone")


def create_person(session: Session, plan_id: uuid.UUID, data: PersonInput | Mapping[str, Any]) -> Change:
    """Add a person (who may then be chosen to lead actions or attend meetings)."""
    data = _as_person(data)
    _check_town(session, data.town_id)
    person = Person(**{name: getattr(data, name) for name in _PERSON_FIELDS})
    session.add(person)
    return Change(person.id, plan_id, True, ActionTally())


def update_person(session: Session, plan_id: uuid.UUID, person_id: uuid.UUID,
                  data: PersonInput | Mapping[str, Any]) -> Change:
    """Change what differs; the actions they lead keep them."""
    data = _as_person(data)
    person = _live_person(session, person_id)
    _check_town(session, data.town_id)
    changed = False
    for name in _PERSON_FIELDS:
        value = getattr(data, name)
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed = True
    if changed:
        session.add(person)
    return Change(person.id, plan_id, changed, ActionTally())


def save_person(session: Session, plan_id: uuid.UUID, person_id: uuid.UUID | None,
                data: Mapping[str, Any]) -> Change:
    """Create or update from a submitted form; FormErrors (nothing written) when it is refused."""
    if person_id is None:
        return create_person(session, plan_id, data)
    return update_person(session, plan_id, person_id, data)


def led_actions(session: Session, person_id: uuid.UUID) -> list[LedAction]:
    """The live actions (of every plan) the person leads: what deleting them would touch."""
    return _led_actions(session, person_id, None)


def delete_question(session: Session, person_id: uuid.UUID) -> str:
    """What to ask before deleting the person: a plain question, or what they lead."""
    person = _live_person(session, person_id)
    actions = led_actions(session, person_id)
    if not actions:
        return t("person.delete_question", name=person.name)
    codes = ", ".join(a.code for a in actions[:6]) + (", …" if len(actions) > 6 else "")
    if len(actions) == 1:
        return t("person.delete_leads_one", name=person.name, codes=codes)
    return t("person.delete_leads_many", name=person.name, count=len(actions), codes=codes)


def delete_person(session: Session, plan_id: uuid.UUID, person_id: uuid.UUID,
                  replacement_id: uuid.UUID | None = None) -> Change:
    """Tombstone the person and their links to actions, in the caller's one transaction.

    With ``replacement_id``, each live action they lead is handed to that person,
    who takes their place in the action's order of pilots (an action the
    replacement already leads keeps them where they were, once).  Without it the
    actions are left without this lead.  Attendance at meetings is kept.
    """
    person = session.get(Person, person_id)
    if person is None:
        raise InvalidInput("record.person_missing")
    if person.deleted_at is not None:
        return Change(person.id, plan_id, False, ActionTally())
    if replacement_id is not None:
        if replacement_id == person_id:
            raise FormErrors({"replacement": t("pilots.error.replacement_self")})
        replacement = session.get(Person, replacement_id)
        if replacement is None or replacement.deleted_at is not None:
            raise FormErrors({"replacement": t("form.error.pilot_unknown")})
    actions = led_actions(session, person_id)
    for action in actions:
        pilots = session.exec(
            select(ActionPilot.person_id)
            .join(Person, col(Person.id) == col(ActionPilot.person_id))
            .where(ActionPilot.action_id == action.id, alive(ActionPilot), alive(Person))
            .order_by(col(ActionPilot.position), col(ActionPilot.id))
        ).all()
        wanted: list[uuid.UUID] = []
        for pilot in pilots:
            pid = replacement_id if pilot == person_id else pilot
            if pid is not None and pid not in wanted:
                wanted.append(pid)
        sync_links(session, ActionPilot, "action_id", action.id, "person_id", wanted, ordered=True)
    for link in session.exec(select(ActionPilot).where(ActionPilot.person_id == person_id, alive(ActionPilot))):
        tombstone(session, link)
    tombstone(session, person)
    return Change(person.id, plan_id, True, ActionTally())


# --- towns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TownRow:
    id: uuid.UUID
    name: str
    country: str
    people: int
    """Live people who work in this town."""


def same_town_name(text: str) -> str:
    """The one rule for "the same town": two names are one town when this gives the same
    text (case and spacing aside: "Le  havre" is "Le Havre"); the town form and the towns
    typed in a new plan both match known towns by it."""
    plain = unicodedata.normalize("NFC", " ".join(text.split()))
    return plain.casefold()


def plan_towns(session: Session, plan_id: uuid.UUID, text: str = "") -> list[TownRow]:
    """The plan's live partner towns whose name holds every word of ``text``, in reading
    order, with how many people work there."""
    people = (
        select(col(Person.town_id), func.count(col(Person.id)).label("n"))
        .where(alive(Person)).group_by(col(Person.town_id)).subquery()
    )
    rows = session.exec(
        select(Town, people.c.n)
        .join(PlanTown, col(PlanTown.town_id) == col(Town.id))
        .outerjoin(people, people.c.town_id == Town.id)
        .where(PlanTown.plan_id == plan_id, alive(PlanTown), alive(Town), contains_text(Town, text))
    ).all()
    unique: dict[uuid.UUID, TownRow] = {}
    for town, n in rows:
        unique.setdefault(town.id, TownRow(town.id, town.name, town.country, int(n or 0)))
    return sorted(unique.values(), key=lambda r: (sort_key(r.name), r.id))


def town_form_values(session: Session, town_id: uuid.UUID | None) -> dict[str, Any]:
    if town_id is None:
        return {"name": "", "country": "", "time_zone": ""}
    town = session.get(Town, town_id)
    if town is None or town.deleted_at is not None:
        raise InvalidInput("record.town_missing")
    return {"name": town.name, "country": town.country, "time_zone": town.time_zone}


def _town_named(session: Session, name: str, other_than: uuid.UUID | None = None) -> Town | None:
    """A live town with this name (case and spacing aside); the oldest if several."""
    wanted = same_town_name(name)
    # Partner towns are a few dozen at most: compared in Python, which folds every letter.
    towns = session.exec(select(Town).where(alive(Town)).order_by(col(Town.created_at), col(Town.id)))
    candidates = [town for town in towns
                  if same_town_name(town.name) == wanted and town.id != other_than]
    return candidates[0] if candidates else None


def add_town(session: Session, plan_id: uuid.UUID, data: TownInput | Mapping[str, Any]) -> Change:
    """Make a town a partner of the plan: a town already known by that name is reused
    (its country and zone filled in if it had none), otherwise a new one is made."""
    data = data if isinstance(data, TownInput) else validate_town(data)
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise InvalidInput("record.plan_missing")
    town = _town_named(session, data.name)
    if town is None:
        town = Town(name=data.name, country=data.country, time_zone=data.time_zone)
        session.add(town)
    else:
        links = session.exec(select(PlanTown).where(PlanTown.plan_id == plan_id, PlanTown.town_id == town.id)).all()
        live = [link for link in links if link.deleted_at is None]
        if live:
            raise FormErrors({"name": t("pilots.error.town_in_plan", name=town.name)})
        if data.country and not town.country:
            town.country = data.country
            session.add(town)
        if data.time_zone and not town.time_zone:
            town.time_zone = data.time_zone
            session.add(town)
        if links:  # a link removed earlier comes back rather than being duplicated
            link = max(links, key=lambda r: r.deleted_at or dt.datetime.min.replace(tzinfo=dt.timezone.utc))
            link.deleted_at = None
            session.add(link)
            return Change(town.id, plan_id, True, ActionTally())
    session.add(PlanTown(id=link_id(PlanTown, plan_id, town.id), plan_id=plan_id, town_id=town.id))
    return Change(town.id, plan_id, True, ActionTally())


def update_town(session: Session, plan_id: uuid.UUID, town_id: uuid.UUID,
                data: TownInput | Mapping[str, Any]) -> Change:
    """Rename a town or set its country; refused if another live town has the new name."""
    data = data if isinstance(data, TownInput) else validate_town(data)
    town = session.get(Town, town_id)
    if town is None or town.deleted_at is not None:
        raise InvalidInput("record.town_missing")
    other = _town_named(session, data.name, other_than=town_id)
    if other is not None:
        raise FormErrors({"name": t("pilots.error.town_name_taken", name=other.name)})
    changed = False
    for name in ("name", "country", "time_zone"):
        if getattr(town, name) != getattr(data, name):
            setattr(town, name, getattr(data, name))
            changed = True
    if changed:
        session.add(town)
    return Change(town.id, plan_id, changed, ActionTally())


def save_town(session: Session, plan_id: uuid.UUID, town_id: uuid.UUID | None, data: Mapping[str, Any]) -> Change:
    if town_id is None:
        return add_town(session, plan_id, data)
    return update_town(session, plan_id, town_id, data)


__all__ = [
    "LedAction", "PersonDetail", "PersonInput", "PersonRow", "TownInput", "TownRow",
    "add_town", "count_people", "create_person", "delete_person", "delete_question", "fetch_people",
    "index_of_person", "led_actions", "person_detail", "person_form_values", "person_town_choices",
    "plan_towns", "replacement_choices", "same_town_name", "save_person", "save_town", "town_form_values",
    "update_person", "update_town", "validate_person", "validate_town",
]
