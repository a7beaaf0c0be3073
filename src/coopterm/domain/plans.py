"""The current plan and what it counts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass

from pydantic import ConfigDict, ValidationInfo, field_validator
from sqlalchemy import distinct, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from coopterm.domain.keys import link_id
from coopterm.domain.rows import alive
from coopterm.domain.validation import (
    CompleteInput,
    FormErrors,
    blank,
    checked,
    parse_whole,
    refuse,
    required_date,
    title,
)
from coopterm.domain.zones import check_zone, local_zone_name
from coopterm.i18n import t
from coopterm.models import (
    Action,
    ActionPilot,
    Challenge,
    Meeting,
    Meta,
    NewProject,
    Person,
    Plan,
    PlanTown,
    Town,
)

CURRENT_PLAN_KEY = "current_plan"
RHYTHM_MAX_WEEKS = 52


def list_plans(session: Session) -> list[Plan]:
    return list(session.exec(select(Plan).where(alive(Plan)).order_by(col(Plan.start_date), col(Plan.id))))


def current_plan(session: Session) -> Plan | None:
    """The plan chosen as current in this file; else the latest one that still exists."""
    chosen = session.get(Meta, CURRENT_PLAN_KEY)
    if chosen is not None:
        plan = session.get(Plan, uuid.UUID(chosen.value))
        if plan is not None and plan.deleted_at is None:
            return plan
    return session.exec(
        select(Plan).where(alive(Plan)).order_by(col(Plan.start_date).desc(), col(Plan.id).desc())
    ).first()


def set_current_plan(session: Session, plan_id: uuid.UUID) -> None:
    """Remember ``plan_id`` as this file's current plan (a local setting, never merged)."""
    row = session.get(Meta, CURRENT_PLAN_KEY)
    if row is None:
        session.add(Meta(key=CURRENT_PLAN_KEY, value=plan_id.hex))
    else:
        row.value = plan_id.hex
        session.add(row)


@dataclass(frozen=True)
class PlanCounts:
    """What a plan holds, without deleted rows; ``pilots`` are people leading at least one action."""

    challenges: int
    actions: int
    pilots: int
    towns: int
    meetings: int
    new_projects: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def plan_actions(plan_id: uuid.UUID) -> SelectOfScalar[Action]:
    """The live actions of a plan (through live défis), as a query to count or list."""
    return (
        select(Action)
        .join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(Challenge.plan_id == plan_id, alive(Challenge), alive(Action))
    )


def plan_counts(session: Session, plan_id: uuid.UUID) -> PlanCounts:
    def scalar(stmt: SelectOfScalar[int]) -> int:
        return int(session.exec(stmt).one())

    challenges = scalar(
        select(func.count()).select_from(Challenge).where(Challenge.plan_id == plan_id, alive(Challenge))
    )
    actions = scalar(select(func.count()).select_from(plan_actions(plan_id).subquery()))
    # Each live person asked once whether they lead a live action of the plan (from the
    # index of their links), rather than every link of every action gathered and sorted.
    # The plan's actions as ``plan_actions`` takes them, its défis as a list: so written,
    # SQLite keeps this plan whether or not the file holds statistics (PRAGMA optimize).
    plan_challenges = select(Challenge.id).where(Challenge.plan_id == plan_id, alive(Challenge))
    leads = (
        select(ActionPilot.action_id)
        .join(Action, col(Action.id) == col(ActionPilot.action_id))
        .where(col(ActionPilot.person_id) == col(Person.id), alive(ActionPilot), alive(Action),
               col(Action.challenge_id).in_(plan_challenges))
    )
    pilots = scalar(select(func.count()).select_from(Person).where(alive(Person), leads.exists()))
    towns = scalar(
        select(func.count(distinct(col(PlanTown.town_id))))
        .join(Town, col(Town.id) == col(PlanTown.town_id))
        .where(PlanTown.plan_id == plan_id, alive(PlanTown), alive(Town))
    )
    meetings = scalar(
        select(func.count()).select_from(Meeting).where(Meeting.plan_id == plan_id, alive(Meeting))
    )
    new_projects = scalar(
        select(func.count()).select_from(NewProject).where(NewProject.plan_id == plan_id, alive(NewProject))
    )
    return PlanCounts(challenges, actions, pilots, towns, meetings, new_projects)


def _parse_towns(text: str) -> list[tuple[str, str, str]]:
    """ "Katowice (Pologne), Monastir" -> [("Katowice (Pologne)", "Katowice", "Pologne"),
    ("Monastir", "Monastir", "")]: each part as typed, its town and its country."""
    towns = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, country = part, ""
        if part.endswith(")") and "(" in part:
            name, _, country = part[:-1].partition("(")
        towns.append((part, name.strip(), country.strip()))
    return towns


def _checked_towns(text: str) -> list[tuple[str, str]]:
    """(name, country) of each town of the towns field, checked as the town form checks a
    town (a name, lengths; spacing tidied); every reason is refused beside the towns field."""
    from coopterm.domain.persons import validate_town  # persons reads indicators, which read plans

    towns = []
    reasons: list[str] = []
    for part, name, country in _parse_towns(text):
        if not name:
            reasons.append(t("plan_form.error.town_without_name", part=part))
            continue
        try:
            town = validate_town({"name": name, "country": country})
        except FormErrors as refused:
            reasons.extend(reason for reason in refused.errors.values() if reason not in reasons)
            continue
        towns.append((town.name, town.country))
    if reasons:
        raise refuse("towns", " ".join(reasons))
    return towns


class _PlanPeriod(CompleteInput):
    """The title and period every plan form has, checked; a field left out of the form is
    checked as a blank one (see ``validation.every_field``)."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    title: str
    start_date: dt.date
    end_date: dt.date
    """Declared after ``start_date``: it is checked against a valid start."""

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return title(value or "")

    @field_validator("start_date", mode="before")
    @classmethod
    def _start(cls, value: object) -> dt.date:
        return required_date(value, "start_date", "plan_form.error.date_required")

    @field_validator("end_date", mode="before")
    @classmethod
    def _end(cls, value: object, info: ValidationInfo) -> dt.date:
        end = required_date(value, "end_date", "plan_form.error.date_required")
        start = info.data.get("start_date")  # absent when the start itself was refused
        if start and end < start:
            raise refuse("end_date", t("plan_form.error.end_before_start"))
        return end


def _rhythm_weeks(value: object, field: str) -> int:
    """Weeks between two meetings of the governance rhythm: a whole number from 1 to 52."""
    number = parse_whole(value)
    if number is None or not 1 <= number <= RHYTHM_MAX_WEEKS:
        raise refuse(field, t("plan_form.error.rhythm", max=RHYTHM_MAX_WEEKS))
    return number


class NewPlanInput(_PlanPeriod):
    """A new plan as its form gives it, checked: title, period, the towns field
    ("Katowice (Pologne), Monastir (Tunisie)") read as (name, country) pairs, and what
    may stay blank: the vision, the governance rhythm (blank: the plan copied from, else
    the usual 6 and 8 weeks) and the time zone (blank: this machine's)."""

    towns: tuple[tuple[str, str], ...] = ()
    vision: str = ""
    tech_group_every_weeks: int | None = None
    coordination_every_weeks: int | None = None
    time_zone: str = ""

    @field_validator("towns", mode="before")
    @classmethod
    def _towns(cls, value: object) -> tuple[tuple[str, str], ...]:
        return tuple(_checked_towns(str(value or "")))

    @field_validator("vision", mode="before")
    @classmethod
    def _vision(cls, value: object) -> str:
        return str(value or "").strip()

    @field_validator("tech_group_every_weeks", "coordination_every_weeks", mode="before")
    @classmethod
    def _weeks(cls, value: object, info: ValidationInfo) -> int | None:
        return None if blank(value) else _rhythm_weeks(value, str(info.field_name))

    @field_validator("time_zone", mode="before")
    @classmethod
    def _time_zone(cls, value: object) -> str:
        return check_zone(value, "time_zone", optional=True) or local_zone_name()


class PlanInput(_PlanPeriod):
    """A plan's edit form, checked: title, period, vision, the governance rhythm and the
    time zone its meetings are shown in (an IANA name, ``domain.zones``)."""

    vision: str = ""
    tech_group_every_weeks: int
    coordination_every_weeks: int
    time_zone: str

    @field_validator("vision", mode="before")
    @classmethod
    def _vision(cls, value: object) -> str:
        return str(value or "").strip()

    @field_validator("tech_group_every_weeks", "coordination_every_weeks", mode="before")
    @classmethod
    def _weeks(cls, value: object, info: ValidationInfo) -> int:
        return _rhythm_weeks(value, str(info.field_name))

    @field_validator("time_zone", mode="before")
    @classmethod
    def _time_zone(cls, value: object) -> str:
        return check_zone(value, "time_zone")


TARGET_FIELD = "target_{key}"
"""The new plan form's field for the target of the computed indicator ``key``."""


def _checked_targets(data: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The targets the new plan form gives (by computed key, blank ones left out), and the
    reason beside each field that is refused (text, a negative number): the same check as
    the target form (``manual_indicators.parse_number``)."""
    from coopterm.domain.indicators import COMPUTED_KEYS  # indicators read plans
    from coopterm.domain.manual_indicators import parse_number

    targets: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key in COMPUTED_KEYS:
        field = TARGET_FIELD.format(key=key)
        value = data.get(field)
        try:
            if parse_number(value, field) is not None:
                targets[key] = str(value)
        except FormErrors as refused:
            errors.update(refused.errors)
    return targets, errors


def create_plan(session: Session, data: dict[str, str], copy_from: uuid.UUID | None = None) -> uuid.UUID:
    """Create a plan from a form and make it current.

    The form also gives the plan's vision, governance rhythm, time zone and the
    targets of its computed indicators (``target_<key>``, each set as the target form
    sets it: ``manual_indicators.set_computed_target``); blank ones take the defaults
    of :class:`NewPlanInput`, or no target.  Towns are named in one field ("Katowice (Pologne), Monastir (Tunisie)") and
    checked as the town form checks them; a town already known to the database
    (the same name by ``persons.same_town_name``, the oldest if several) is
    reused rather than duplicated, its country filled in if it had none, as
    ``add_town`` does.  With ``copy_from``, the new plan also gets that plan's
    défis (numbers, titles, descriptions; no actions) and its towns, and the
    towns field may stay empty.  Raises FormErrors, saving nothing, when a field is wrong.
    """
    from coopterm.domain.manual_indicators import set_computed_target  # indicators read plans
    from coopterm.domain.persons import same_town_name  # persons reads indicators, which read plans

    errors: dict[str, str] = {}
    checked_input: NewPlanInput | None = None
    try:
        checked_input = checked(NewPlanInput, {k: v for k, v in data.items() if not k.startswith("target_")})
    except FormErrors as refused:
        errors.update(refused.errors)
    targets, refused_targets = _checked_targets(data)
    errors.update(refused_targets)
    source = session.get(Plan, copy_from) if copy_from is not None else None
    if copy_from is not None and (source is None or source.deleted_at is not None):
        errors["copy_from"] = t("plan_form.error.copy_from")
    # the towns field names no town: it was accepted (no reason) and has no part at all
    if source is None and "towns" not in errors and not _parse_towns(str(data.get("towns") or "")):
        errors["towns"] = t("plan_form.error.towns_required")
    if errors:
        raise FormErrors(errors)
    assert checked_input is not None  # a refused field is among the errors
    title, start, end, towns = (checked_input.title, checked_input.start_date, checked_input.end_date,
                                checked_input.towns)
    plan = Plan(title=title, start_date=start, end_date=end, vision=checked_input.vision,
                time_zone=checked_input.time_zone)
    session.add(plan)
    linked: set[uuid.UUID] = set()
    if source is not None:
        plan.tech_group_every_weeks = source.tech_group_every_weeks
        plan.coordination_every_weeks = source.coordination_every_weeks
        for town_id in session.exec(
            select(col(PlanTown.town_id)).join(Town, col(Town.id) == col(PlanTown.town_id))
            .where(PlanTown.plan_id == source.id, alive(PlanTown), alive(Town))
        ):
            if town_id not in linked:
                session.add(PlanTown(id=link_id(PlanTown, plan.id, town_id), plan_id=plan.id, town_id=town_id))
                linked.add(town_id)
        for challenge in session.exec(
            select(Challenge).where(Challenge.plan_id == source.id, alive(Challenge))
        ):
            session.add(Challenge(plan_id=plan.id, number=challenge.number, title=challenge.title,
                                  description=challenge.description, transversal=challenge.transversal))
    for rhythm in ("tech_group_every_weeks", "coordination_every_weeks"):
        weeks = getattr(checked_input, rhythm)
        if weeks is not None:
            setattr(plan, rhythm, weeks)
    known: dict[str, Town] = {}
    for row in session.exec(select(Town).where(alive(Town)).order_by(col(Town.created_at), col(Town.id))):
        known.setdefault(same_town_name(row.name), row)
    for name, country in towns:
        town = known.get(same_town_name(name))
        if town is None:
            town = Town(name=name, country=country)
            session.add(town)
            known[same_town_name(name)] = town
        elif country and not town.country:
            town.country = country
            session.add(town)
        if town.id not in linked:
            session.add(PlanTown(id=link_id(PlanTown, plan.id, town.id), plan_id=plan.id, town_id=town.id))
            linked.add(town.id)
    for key, target in targets.items():
        set_computed_target(session, plan.id, key, target)
    set_current_plan(session, plan.id)
    return plan.id



def update_plan(session: Session, plan_id: uuid.UUID, data: dict[str, str]) -> uuid.UUID:
    """Change a plan's title, period, vision and governance rhythm (weeks, 1 to 52)."""
    errors: dict[str, str] = {}
    checked_input: PlanInput | None = None
    try:
        checked_input = checked(PlanInput, data)
    except FormErrors as refused:
        errors.update(refused.errors)
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted_at is not None:
        errors["title"] = t("plan_form.error.copy_from")
    if errors:
        raise FormErrors(errors)
    assert plan is not None and checked_input is not None  # a missing plan or a refused field is among the errors
    changes = checked_input.model_dump()
    for name, value in changes.items():
        if getattr(plan, name) != value:
            setattr(plan, name, value)
    session.add(plan)
    return plan.id


@dataclass(frozen=True)
class PlanRow:
    id: uuid.UUID
    title: str
    start_date: dt.date
    end_date: dt.date
    current: bool
    challenges: int
    actions: int


def plan_rows(session: Session) -> list[PlanRow]:
    """Every plan of the file, oldest first, with what it holds."""
    current = current_plan(session)
    rows = []
    for plan in list_plans(session):
        rows.append(PlanRow(plan.id, plan.title, plan.start_date, plan.end_date,
                            current is not None and plan.id == current.id, *_plan_sizes(session, plan.id)))
    return rows


def _plan_sizes(session: Session, plan_id: uuid.UUID) -> tuple[int, int]:
    """Live défis and live actions of a plan: the two counts the plans screen shows, read
    without the other counts of ``plan_counts`` (its pilots and meetings read every
    action and every meeting of the plan: 0.45 s at 100,000 actions)."""
    challenges = list(session.exec(select(Challenge.id).where(Challenge.plan_id == plan_id, alive(Challenge))))
    if not challenges:
        return 0, 0
    actions = session.exec(select(func.count()).select_from(Action)
                           .where(col(Action.challenge_id).in_(challenges), alive(Action))).one()
    return len(challenges), int(actions)


def plan_form_values(session: Session, plan_id: uuid.UUID) -> dict[str, str]:
    """A plan as the text its edit form starts from."""
    from coopterm import present

    plan = session.get_one(Plan, plan_id)
    return {"title": plan.title, "start_date": present.date(plan.start_date),
            "end_date": present.date(plan.end_date), "vision": plan.vision,
            "tech_group_every_weeks": str(plan.tech_group_every_weeks),
            "coordination_every_weeks": str(plan.coordination_every_weeks), "time_zone": plan.time_zone}


def new_plan_values() -> dict[str, str]:
    """What the new plan form starts from: the usual governance rhythm and this machine's zone."""
    return {**{rhythm: str(Plan.model_fields[rhythm].default)
               for rhythm in ("tech_group_every_weeks", "coordination_every_weeks")},
            "time_zone": local_zone_name()}
