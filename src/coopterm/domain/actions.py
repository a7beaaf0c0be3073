"""Fiches-actions: checked writes that report their effect on the indicators, and
windowed reads that stay fast at 100,000 actions.

Writes take a session from ``Database.write()``; the caller wraps each one in its
own ``with db.write() as session:`` so that it is saved whole or not at all.  A
refusal raises :class:`~coopterm.domain.validation.FormErrors` (or
``InvalidInput`` for a row that no longer exists) before anything is written.
Each write changes only what changed (rows left alone keep their revision) and
returns a :class:`~coopterm.domain.changes.Change` whose ``tally_delta`` is the action's new contribution
to the plan's tallies minus its old one, so the dashboard adds it to what it
shows instead of recounting.

Reads return plain frozen dataclasses.  The table asks for one window of rows at
a time (``count_actions`` + ``fetch_actions``): the filtering and ordering run on
covering indexes (see ``models.Action``), and names of pilots and towns are
fetched for the rows of the window only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import ConfigDict, field_validator, model_validator
from sqlalchemy import case, distinct, func
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression
from sqlmodel import Session, SQLModel, col, select

from coopterm import present
from coopterm.domain.changes import Change
from coopterm.domain.indicators import MULTILATERAL_MIN_TOWNS, ActionTally
from coopterm.domain.matching import contains_text, sort_key
from coopterm.domain.numbering import action_code, action_label, challenge_code
from coopterm.domain.rows import alive, sync_links, tombstone
from coopterm.domain.validation import (
    PROGRESS_MAX,
    WHOLE_MAX,
    FormErrors,
    blank,
    checked,
    date_field,
    free_text,
    ids,
    optional_number,
    parse_id,
    parse_progress,
    parse_whole,
    refuse,
    title,
)
from coopterm.errors import InvalidInput
from coopterm.i18n import t
from coopterm.models import Action, ActionPilot, ActionTown, Challenge, Person, Town
from coopterm.vocabulary import NEXT_STATUS, ActionStatus

# --- checked input -------------------------------------------------------------------


class ActionInput(SQLModel):
    """A fiche-action as a form or code gives it, checked.  ``number`` ``None`` means
    the next free number of the défi (or, when editing in the same défi, the current one)."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    challenge_id: uuid.UUID
    number: int | None = None
    title: str
    description: str = ""
    status: ActionStatus = ActionStatus.PLANNED
    progress: int = 0
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    pilots: tuple[uuid.UUID, ...] = ()
    """Person ids, in the order the plan gives its pilots."""
    towns: tuple[uuid.UUID, ...] = ()
    notes: str = ""

    @field_validator("challenge_id", mode="before")
    @classmethod
    def _challenge(cls, value: object) -> uuid.UUID:
        try:
            return parse_id(value)
        except ValueError:
            raise refuse("challenge_id", t("form.error.challenge_required")) from None

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: object) -> int | None:
        return optional_number(value, 1, t("form.error.action_number", max=present.number(WHOLE_MAX)))

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return title(value)

    @field_validator("description", "notes", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        return free_text(value)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> ActionStatus:
        if blank(value):
            return ActionStatus.PLANNED
        try:
            return ActionStatus(value)
        except ValueError:
            raise refuse("status", t("form.error.status")) from None

    @field_validator("progress", mode="before")
    @classmethod
    def _progress(cls, value: object) -> int:
        if blank(value):
            return 0
        number = parse_whole(value)
        if number is None or not 0 <= number <= PROGRESS_MAX:
            raise refuse("progress", t("form.error.progress"))
        return number

    @field_validator("start_date", mode="before")
    @classmethod
    def _start(cls, value: object) -> dt.date | None:
        return date_field(value, "start_date")

    @field_validator("due_date", mode="before")
    @classmethod
    def _due(cls, value: object) -> dt.date | None:
        return date_field(value, "due_date")

    @field_validator("pilots", mode="before")
    @classmethod
    def _pilots(cls, value: object) -> tuple[uuid.UUID, ...]:
        return tuple(ids(value, "pilots", "form.error.pilot_unknown"))

    @field_validator("towns", mode="before")
    @classmethod
    def _towns(cls, value: object) -> tuple[uuid.UUID, ...]:
        return tuple(ids(value, "towns", "form.error.town_unknown"))

    @model_validator(mode="after")
    def _dates_in_order(self) -> "ActionInput":
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise refuse("due_date", t("form.error.due_before_start"))
        return self


def validate_action(data: Mapping[str, Any]) -> ActionInput:
    """The checked action from a form's dict, or :class:`FormErrors` naming every field that failed."""
    return checked(ActionInput, data, {"title": t("form.error.title_required"),
                                       "challenge_id": t("form.error.challenge_required")})


# --- contributions to the indicators ---------------------------------------------


def tally_where(session: Session, *conditions: ColumnElement[bool]) -> ActionTally:
    """The tally of the live actions of live défis that meet ``conditions``.

    The same rules as ``indicators.tally_actions`` (proposed = live, done, and
    multilateral = ``MULTILATERAL_MIN_TOWNS`` or more live towns), for a handful of
    actions instead of a whole plan.
    """
    towns = (
        select(func.count(distinct(col(ActionTown.town_id))))
        .join(Town, col(Town.id) == col(ActionTown.town_id))
        .where(ActionTown.action_id == Action.id, alive(ActionTown), alive(Town))
        .correlate(Action)
        .scalar_subquery()
    )
    proposed, done, multilateral = session.exec(
        select(
            func.count(col(Action.id)),
            func.count(case((col(Action.status) == ActionStatus.DONE, 1))),
            func.count(case((towns >= MULTILATERAL_MIN_TOWNS, 1))),
        )
        .join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(alive(Action), alive(Challenge), *conditions)
    ).one()
    return ActionTally(int(proposed), int(done), int(multilateral))


def action_contribution(session: Session, action_id: uuid.UUID) -> ActionTally:
    """What this one action adds to its plan's tally: proposed, done and multilateral, each 1 or 0."""
    return tally_where(session, col(Action.id) == action_id)


# --- checks that need the database ---------------------------------------------------


def _live_action(session: Session, action_id: uuid.UUID) -> Action:
    action = session.get(Action, action_id)
    if action is None or action.deleted_at is not None:
        raise InvalidInput("record.action_missing")
    return action


def next_action_number(session: Session, challenge_id: uuid.UUID) -> int:
    """One more than the highest number of the défi's live actions (1 for an empty défi)."""
    highest = session.exec(
        select(func.max(Action.number)).where(Action.challenge_id == challenge_id, alive(Action))
    ).one()
    return int(highest or 0) + 1


def _missing_ids(session: Session, model: type[Person] | type[Town], ids: Sequence[uuid.UUID]) -> bool:
    if not ids:
        return False
    found = session.exec(select(model.id).where(col(model.id).in_(ids), alive(model))).all()
    return len(set(found)) != len(set(ids))


def _checked(session: Session, data: ActionInput, action: Action | None) -> tuple[Challenge, int]:
    """The défi and number the action will have; FormErrors for what the database refuses."""
    errors: dict[str, str] = {}
    challenge = session.get(Challenge, data.challenge_id)
    number = data.number
    if challenge is None or challenge.deleted_at is not None:
        errors["challenge_id"] = t("form.error.challenge_unknown")
        challenge = None
    elif action is not None:
        current = session.get(Challenge, action.challenge_id)
        if current is not None and current.plan_id != challenge.plan_id:
            errors["challenge_id"] = t("form.error.challenge_other_plan")
    if challenge is not None and "challenge_id" not in errors:
        if number is None:
            if action is not None and action.challenge_id == challenge.id:
                number = action.number
            else:
                number = next_action_number(session, challenge.id)
        else:
            taken = session.exec(
                select(Action).where(
                    Action.challenge_id == challenge.id,
                    Action.number == number,
                    alive(Action),
                    *([Action.id != action.id] if action is not None else []),
                )
            ).first()
            if taken is not None:
                errors["number"] = t(
                    "form.error.action_number_taken",
                    number=number, code=action_code(challenge, taken), title=taken.title,
                )
    if _missing_ids(session, Person, data.pilots):
        errors["pilots"] = t("form.error.pilot_unknown")
    if _missing_ids(session, Town, data.towns):
        errors["towns"] = t("form.error.town_unknown")
    if errors:
        raise FormErrors(errors)
    assert challenge is not None and number is not None
    return challenge, number


def _as_input(data: ActionInput | Mapping[str, Any]) -> ActionInput:
    return data if isinstance(data, ActionInput) else validate_action(data)


# --- links -------------------------------------------------------------------------------


def tombstone_links(session: Session, action_ids: Iterable[uuid.UUID]) -> None:
    """Tombstone the live links of these actions to pilots and towns."""
    ids = list(action_ids)
    for model in (ActionPilot, ActionTown):
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for link in session.exec(select(model).where(col(model.action_id).in_(chunk), alive(model))):
                tombstone(session, link)


# --- status and progress agree ------------------------------------------------------------


def agreeing(status: ActionStatus, progress: int,
             before: tuple[ActionStatus, int] | None = None) -> tuple[ActionStatus, int]:
    """The status and progress an action is saved with, so that the two never contradict.

    The one rule of every write (form, ``+``/``-``, the status key): done ⇔ 100 %;
    progress above 0 makes a planned action in progress; lowering a done action
    below 100 % brings it back in progress; an abandoned action keeps how far it
    went, a postponed one keeps its progress below 100 %.  ``before`` is what the
    action had (``None`` for a new one): what the user changed wins and the other
    follows.  When only the status changed and the progress left as it was says
    otherwise (a done action reopened at 100 %, an action put back to planned at
    40 %), no guess is right: :class:`FormErrors` asks for the progress.
    """
    if status is ActionStatus.ABANDONED:
        return status, progress
    status_moved = before is None or status is not before[0]
    progress_moved = before is not None and progress != before[1]
    if status is ActionStatus.DONE:
        if progress < 100 and progress_moved and not status_moved:
            return ActionStatus.IN_PROGRESS, progress
        return status, 100
    contradicted = progress == 100 or (progress > 0 and status is ActionStatus.PLANNED)
    if contradicted and before is not None and status_moved and not progress_moved:
        key = "form.error.progress_reopened" if progress == 100 else "form.error.progress_planned"
        raise FormErrors({"progress": t(key, progress=progress)})
    if progress == 100:
        return ActionStatus.DONE, 100
    if progress > 0 and status is ActionStatus.PLANNED:
        return ActionStatus.IN_PROGRESS, progress
    return status, progress


# --- writes --------------------------------------------------------------------------------

_FIELDS = ("title", "description", "status", "progress", "start_date", "due_date", "notes")


def _plan_of(session: Session, challenge_id: uuid.UUID) -> uuid.UUID:
    return session.exec(select(Challenge.plan_id).where(Challenge.id == challenge_id)).one()


def create_action(session: Session, data: ActionInput | Mapping[str, Any]) -> Change:
    """Add a fiche-action with its pilots (in order) and towns."""
    data = _as_input(data)
    challenge, number = _checked(session, data, None)
    status, progress = agreeing(data.status, data.progress)
    action = Action(challenge_id=challenge.id, number=number,
                    **{name: getattr(data, name) for name in _FIELDS} | {"status": status, "progress": progress})
    session.add(action)
    sync_links(session, ActionPilot, "action_id", action.id, "person_id", data.pilots, ordered=True)
    sync_links(session, ActionTown, "action_id", action.id, "town_id", data.towns)
    return Change(action.id, challenge.plan_id, True, action_contribution(session, action.id))


def update_action(session: Session, action_id: uuid.UUID, data: ActionInput | Mapping[str, Any]) -> Change:
    """Change what differs between the action and ``data``, links included."""
    data = _as_input(data)
    action = _live_action(session, action_id)
    challenge, number = _checked(session, data, action)
    status, progress = agreeing(data.status, data.progress, (action.status, action.progress))
    before = action_contribution(session, action_id)
    wanted = {"challenge_id": challenge.id, "number": number,
              **{name: getattr(data, name) for name in _FIELDS}, "status": status, "progress": progress}
    changed = False
    for name, value in wanted.items():
        if getattr(action, name) != value:
            setattr(action, name, value)
            changed = True
    if changed:
        session.add(action)
    changed |= sync_links(session, ActionPilot, "action_id", action_id, "person_id", data.pilots, ordered=True)
    changed |= sync_links(session, ActionTown, "action_id", action_id, "town_id", data.towns)
    delta = action_contribution(session, action_id) - before
    return Change(action_id, challenge.plan_id, changed, delta)


def delete_action(session: Session, action_id: uuid.UUID) -> Change:
    """Tombstone the action and its links to pilots and towns."""
    action = session.get(Action, action_id)
    if action is None:
        raise InvalidInput("record.action_missing")
    plan_id = _plan_of(session, action.challenge_id)
    if action.deleted_at is not None:
        return Change(action_id, plan_id, False, ActionTally())
    before = action_contribution(session, action_id)
    tombstone(session, action)
    tombstone_links(session, [action_id])
    return Change(action_id, plan_id, True, -before)


def _set(session: Session, action: Action, **values: Any) -> Change:
    """Set a few fields of a live action, reporting the change and its delta."""
    plan_id = _plan_of(session, action.challenge_id)
    if all(getattr(action, name) == value for name, value in values.items()):
        return Change(action.id, plan_id, False, ActionTally())
    before = action_contribution(session, action.id)
    for name, value in values.items():
        setattr(action, name, value)
    session.add(action)
    delta = action_contribution(session, action.id) - before
    return Change(action.id, plan_id, True, delta)


def advance_status(session: Session, action_id: uuid.UUID) -> Change:
    """Move the action one step: planned → in progress → done; postponed → in progress.

    Done and abandoned actions stay as they are (``changed`` is False).  Reaching
    done sets progress to 100 (:func:`agreeing`).
    """
    action = _live_action(session, action_id)
    following = NEXT_STATUS.get(action.status)
    if following is None:
        return Change(action.id, _plan_of(session, action.challenge_id), False, ActionTally())
    status, progress = agreeing(following, action.progress, (action.status, action.progress))
    return _set(session, action, status=status, progress=progress)


def set_progress(session: Session, action_id: uuid.UUID, value: object) -> Change:
    """Set progress (a whole number 0–100, or its text); the status follows (:func:`agreeing`):
    100 makes an open action done, above 0 a planned one in progress, below 100 a done one
    in progress again."""
    progress = parse_progress(value)
    action = _live_action(session, action_id)
    status, progress = agreeing(action.status, progress, (action.status, action.progress))
    return _set(session, action, status=status, progress=progress)


# --- reading: the table ------------------------------------------------------------------------

SORTS = ("code", "title", "challenge", "status", "progress", "due")


@dataclass(frozen=True)
class ActionQuery:
    """Which actions the table shows and in what order.

    Every word of ``text`` is found in the title, in a pilot's name or in a town's
    name, accents and case aside (``domain.matching``).  ``sort``: "code" (and "challenge": défis in the plan's order,
    their actions by number), "title", "status" (in the order of the workflow, then
    by code), "progress" or "due" (actions without a due date last, either way).
    ``descending`` reverses the order.
    """

    text: str = ""
    status: ActionStatus | None = None
    challenge_id: uuid.UUID | None = None
    pilot_id: uuid.UUID | None = None
    town_id: uuid.UUID | None = None
    sort: str = "code"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {self.sort!r}")


@dataclass(frozen=True)
class ActionRow:
    id: uuid.UUID
    code: str
    """ "2.1", or "T.3" in the transversal défi."""
    title: str
    challenge_id: uuid.UUID
    challenge_code: str
    status: ActionStatus
    progress: int
    pilots: tuple[str, ...]
    """Names in the plan's order."""
    towns: tuple[str, ...]
    """Names in reading order."""
    due_date: dt.date | None


def _plan_challenges(session: Session, plan_id: uuid.UUID, only: uuid.UUID | None = None) -> list[Challenge]:
    """The plan's live défis in the plan's order: transversal first, then by number."""
    stmt = select(Challenge).where(Challenge.plan_id == plan_id, alive(Challenge))
    if only is not None:
        stmt = stmt.where(Challenge.id == only)
    return list(session.exec(
        stmt.order_by(col(Challenge.transversal).desc(), col(Challenge.number), col(Challenge.id))))


def action_choices(session: Session, plan_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The plan's live actions of live défis as ``(id, "2.1 — Title")``
    (``numbering.action_label``), in the plan's order: every action picker's list."""
    rows = session.exec(
        select(Action, Challenge).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(Challenge.plan_id == plan_id, alive(Challenge), alive(Action))
        .order_by(col(Challenge.transversal).desc(), col(Challenge.number), col(Action.number), col(Action.id))
    ).all()
    return [(a.id, action_label(c, a)) for a, c in rows]


def _status_filter(session: Session, query: ActionQuery, *, ordered: bool) -> list[ColumnElement[bool]]:
    """The status condition; ``ordered`` for a query that must walk the index of its
    sort order, where the status must not choose an index of its own."""
    if query.status is None:
        return []
    status = _not_for_lookup(session, Action.status) if ordered else col(Action.status)
    return [status == query.status]


def _filters(session: Session, query: ActionQuery) -> list[ColumnElement[bool]]:
    """Conditions on ``action`` for everything but the défi and the status."""
    conditions: list[ColumnElement[bool]] = [alive(Action)]
    if query.pilot_id is not None:
        conditions.append(_linked(session, select(ActionPilot.action_id).where(
            ActionPilot.person_id == query.pilot_id, alive(ActionPilot))))
    if query.town_id is not None:
        conditions.append(_linked(session, select(ActionTown.action_id).where(
            ActionTown.town_id == query.town_id, alive(ActionTown))))
    if query.text.strip():
        conditions.append(_text_condition(session, query.text))
    return conditions


FEW_LINKS = 2_000


def _linked(session: Session, links: Any) -> ColumnElement[bool]:
    """The action is among the ``action_id`` that ``links`` selects.

    A pilot leads a few actions: those are read by id.  A town may take part in
    most of them: then the id must not choose the index, and the actions are read
    in the table's order, each checked against the list.
    """
    few = session.exec(select(func.count()).select_from(links.limit(FEW_LINKS + 1).subquery())).one()
    action_id = col(Action.id) if few <= FEW_LINKS else _not_for_lookup(session, Action.id)
    return action_id.in_(links)


def _text_condition(session: Session, text: str) -> ColumnElement[bool]:
    """The title, a live pilot's name or a live town's name contains ``text``.

    People and towns are looked up first (small tables): a text that names none
    of them ("coop") is only looked for in titles, which keeps the common search
    a single pass over one index.
    """
    action_id = _not_for_lookup(session, Action.id)
    found: list[ColumnElement[bool]] = [contains_text(Action, text)]
    people = select(Person.id).where(alive(Person), contains_text(Person, text, "name"))
    if session.exec(people.limit(1)).first() is not None:
        found.append(action_id.in_(
            select(col(ActionPilot.action_id)).where(alive(ActionPilot), col(ActionPilot.person_id).in_(people))
        ))
    towns = select(Town.id).where(alive(Town), contains_text(Town, text))
    if session.exec(towns.limit(1)).first() is not None:
        found.append(action_id.in_(
            select(col(ActionTown.action_id)).where(alive(ActionTown), col(ActionTown.town_id).in_(towns))
        ))
    return sa.or_(*found)


def _not_for_lookup(session: Session, column: Any) -> Any:
    """``column`` as SQLite's planner must not use to choose an index (a unary "+").

    Without statistics the planner takes ``challenge_id IN (...)`` as selective
    and sorts the whole plan; told not to, it walks the index of the sort order
    and stops after the window.
    """
    if session.get_bind().dialect.name != "sqlite":
        return column
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def count_actions(session: Session, plan_id: uuid.UUID, query: ActionQuery = ActionQuery()) -> int:
    """How many live actions of the plan's live défis ``query`` keeps."""
    challenges = _plan_challenges(session, plan_id, query.challenge_id)
    if not challenges:
        return 0
    if query.town_id is not None and dataclasses.replace(query, town_id=None, sort="code", descending=False) == \
            ActionQuery():
        return _count_town_actions(session, query.town_id, [c.id for c in challenges])
    return int(session.exec(
        select(func.count()).select_from(Action).where(
            col(Action.challenge_id).in_([c.id for c in challenges]),
            *_status_filter(session, query, ordered=False),
            *_filters(session, query),
        )
    ).one())


def _count_town_actions(session: Session, town_id: uuid.UUID, challenge_ids: list[uuid.UUID]) -> int:
    """The live actions of the plan's live défis ``challenge_ids`` in which ``town_id`` takes part.

    Counted from the town's links (one row per action and town, read from
    ``ix_action_town_by_town`` alone), less those to an action the table does not show:
    deleted, or of another plan or a deleted défi (usually few, found in one pass over
    an index of the actions).  Checking each of the plan's actions against the town's
    60,000 links instead cost about three times as much for a town on 60 % of 100,000
    actions.  With any other filter, the actions are counted as the table reads them.
    """
    links = [col(ActionTown.town_id) == town_id, alive(ActionTown)]
    hidden = select(Action.id).where(sa.or_(col(Action.deleted_at).is_not(None),
                                            col(Action.challenge_id).not_in(challenge_ids)))
    total = session.exec(select(func.count()).select_from(ActionTown).where(*links)).one()
    gone = session.exec(select(func.count()).select_from(ActionTown)
                        .where(*links, col(ActionTown.action_id).in_(hidden))).one()
    return int(total) - int(gone)


@dataclass(frozen=True)
class _Slice:
    """A run of consecutive rows of the sorted table, read in order from one index."""

    key: tuple[Any, ...]
    conditions: tuple[ColumnElement[bool], ...]


def _slices(session: Session, challenges: list[Challenge], query: ActionQuery
            ) -> tuple[tuple[Any, ...], list[_Slice], list[Any]]:
    """How the table's order is read: the columns that tell slices apart, the slices
    in order, and the order within a slice.

    Défis and statuses have an order of their own (transversal first; the
    workflow), not the order of their stored values.  Défis made in the plan's
    order (the usual case) have ids in that order, and are read in one go;
    otherwise each défi is a slice, as each status is.
    """
    def order(*columns: Any) -> list[Any]:
        return [c.desc() for c in columns] if query.descending else list(columns)

    ids = [c.id for c in challenges]
    in_plan = _not_for_lookup(session, Action.challenge_id).in_(ids)
    if query.sort in ("code", "challenge", "status"):
        groups: list[tuple[tuple[Any, ...], tuple[ColumnElement[bool], ...]]]
        if [i.hex for i in ids] == sorted(i.hex for i in ids):
            groups = [((), (col(Action.challenge_id).in_(ids),))]
            within = order(Action.challenge_id, Action.number, Action.id)
        else:
            chs = challenges[::-1] if query.descending else challenges
            groups = [((c.id,), (col(Action.challenge_id) == c.id,)) for c in chs]
            within = order(Action.number, Action.id)
        if query.sort != "status":
            return ((Action.challenge_id,) if len(groups) > 1 else (),
                    [_Slice(key, conditions) for key, conditions in groups], within)
        statuses = [query.status] if query.status is not None else list(ActionStatus)
        if query.descending:
            statuses.reverse()
        return ((Action.status, *((Action.challenge_id,) if len(groups) > 1 else ())),
                [_Slice((s, *key), (col(Action.status) == s, *conditions))
                 for s in statuses for key, conditions in groups],
                within)
    if query.sort == "due":  # dated actions first either way, then those without a due date
        return ((), [_Slice((False,), (in_plan, col(Action.due_date).is_not(None))),
                     _Slice((True,), (in_plan, col(Action.due_date).is_(None)))],
                order(Action.due_date, Action.id))
    column = Action.title if query.sort == "title" else Action.progress
    return (), [_Slice((), (in_plan,))], order(column, Action.id)


def _window_ids(session: Session, plan_id: uuid.UUID, query: ActionQuery, offset: int, limit: int,
                from_end: bool = False) -> tuple[list[uuid.UUID], list[Challenge]]:
    """The ids of the window, in the table's order; ``from_end``: ``offset`` counts from the
    last row, and the table's order is read backwards (the slices in reverse, each in the
    opposite order), so the end of a long list costs what its beginning does."""
    challenges = _plan_challenges(session, plan_id, query.challenge_id)
    if not challenges or limit <= 0:
        return [], challenges
    filters = _filters(session, query)
    keys, slices, order = _slices(session, challenges, query)
    if from_end:
        slices.reverse()
        order = _slices(session, challenges, dataclasses.replace(query, descending=not query.descending))[2]
    sizes: dict[tuple[Any, ...], int] | None = None
    if keys:
        # One pass counts every slice, so the window's first slice is found
        # without reading the ones before it.  By status over several défis,
        # the status index is read in its own order, with nothing to sort.
        challenge_id: Any = col(Action.challenge_id)
        if keys[0] is Action.status and len(challenges) > 1:
            challenge_id = _not_for_lookup(session, Action.challenge_id)
        sizes = {tuple(row[:-1]): row[-1] for row in session.exec(
            select(*keys, func.count())  # type: ignore[call-overload]  # select() is typed per arity, not for *keys
            .where(challenge_id.in_([c.id for c in challenges]),
                   *_status_filter(session, query, ordered=False), *filters)
            .group_by(*keys)
        )}
    filters += _status_filter(session, query, ordered=True)
    ids: list[uuid.UUID] = []
    for i, part in enumerate(slices):
        where = [*part.conditions, *filters]
        if sizes is not None:
            size = sizes.get(part.key, 0)
            if size <= offset:
                offset -= size
                continue
        got = session.exec(select(Action.id).where(*where).order_by(*order).offset(offset).limit(limit)).all()
        if not got and offset and sizes is None and i < len(slices) - 1:
            # The window starts after this slice: skip it, counted now that it must be.
            offset -= session.exec(select(func.count()).select_from(Action).where(*where)).one()
            continue
        ids.extend(got)
        offset = 0
        limit -= len(got)
        if limit <= 0:
            break
    if from_end:
        ids.reverse()
    return ids, challenges


def action_index(session: Session, plan_id: uuid.UUID, query: ActionQuery, action_id: uuid.UUID) -> int | None:
    """Where ``action_id`` stands in the table ``query`` describes (0 for the first row),
    ``None`` when the table does not show it: the rows of the slices before its own are
    counted, and its rank inside its slice is read in the slice's order, so a row just saved
    is found without reading the rows before it (``fetch_actions`` reads in the same order)."""
    challenges = _plan_challenges(session, plan_id, query.challenge_id)
    if not challenges:
        return None
    filters = _filters(session, query) + _status_filter(session, query, ordered=True)
    _, slices, order = _slices(session, challenges, query)
    before = 0
    for part in slices:
        where = [*part.conditions, *filters]
        if session.exec(select(Action.id).where(*where, col(Action.id) == action_id)).first() is None:
            before += session.exec(select(func.count()).select_from(Action).where(*where)).one()
            continue
        ranked = select(Action.id.label("id"),  # type: ignore[attr-defined]  # a column, labelled
                        func.row_number().over(order_by=order).label("rank")).where(*where).subquery()
        rank = session.exec(select(ranked.c.rank).where(ranked.c.id == action_id)).one()
        return before + int(rank) - 1
    return None


def _names(session: Session, ids: Sequence[uuid.UUID]) -> tuple[dict[uuid.UUID, list[tuple[uuid.UUID, str]]],
                                                                  dict[uuid.UUID, list[tuple[uuid.UUID, str]]]]:
    """Live pilots (in order) and towns (in reading order) of the given actions only."""
    pilots: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {i: [] for i in ids}
    towns: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {i: [] for i in ids}
    if not ids:
        return pilots, towns
    for action_id, person_id, name in session.exec(
        select(ActionPilot.action_id, Person.id, Person.name)
        .join(Person, col(Person.id) == col(ActionPilot.person_id))
        .where(col(ActionPilot.action_id).in_(ids), alive(ActionPilot), alive(Person))
        .order_by(col(ActionPilot.action_id), col(ActionPilot.position), col(ActionPilot.id))
    ):
        if all(pid != person_id for pid, _ in pilots[action_id]):
            pilots[action_id].append((person_id, name))
    for action_id, town_id, name in session.exec(
        select(ActionTown.action_id, Town.id, Town.name)
        .join(Town, col(Town.id) == col(ActionTown.town_id))
        .where(col(ActionTown.action_id).in_(ids), alive(ActionTown), alive(Town))
    ):
        if all(tid != town_id for tid, _ in towns[action_id]):
            towns[action_id].append((town_id, name))
    for entries in towns.values():
        entries.sort(key=lambda e: (sort_key(e[1]), e[0]))
    return pilots, towns


def fetch_actions(session: Session, plan_id: uuid.UUID, query: ActionQuery = ActionQuery(),
                  offset: int = 0, limit: int = 40, *, from_end: bool = False) -> list[ActionRow]:
    """The rows ``offset`` to ``offset + limit`` of the table ``query`` describes; with
    ``from_end``, the ``limit`` rows that end ``offset`` rows before its last one (in the
    table's order all the same): ``end`` and the pages near it skip a few rows, not
    100,000 (SQLite steps through every row an ``OFFSET`` skips)."""
    ids, challenges = _window_ids(session, plan_id, query, max(0, offset), limit, from_end)
    if not ids:
        return []
    by_challenge = {c.id: c for c in challenges}
    actions = {a.id: a for a in session.exec(select(Action).where(col(Action.id).in_(ids)))}
    pilots, towns = _names(session, ids)
    rows = []
    for action_id in ids:
        action = actions[action_id]
        challenge = by_challenge[action.challenge_id]
        rows.append(ActionRow(
            id=action.id,
            code=action_code(challenge, action),
            title=action.title,
            challenge_id=challenge.id,
            challenge_code=challenge_code(challenge),
            status=action.status,
            progress=action.progress,
            pilots=tuple(name for _, name in pilots[action_id]),
            towns=tuple(name for _, name in towns[action_id]),
            due_date=action.due_date,
        ))
    return rows


# --- reading: one action ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDetail:
    id: uuid.UUID
    code: str
    number: int
    title: str
    description: str
    status: ActionStatus
    progress: int
    start_date: dt.date | None
    due_date: dt.date | None
    notes: str
    challenge_id: uuid.UUID
    challenge_code: str
    challenge_title: str
    plan_id: uuid.UUID
    pilots: tuple[tuple[uuid.UUID, str], ...]
    """(person id, name), in the plan's order."""
    towns: tuple[tuple[uuid.UUID, str], ...]
    """(town id, name), in reading order."""
    created_at: dt.datetime
    updated_at: dt.datetime

    def form_values(self) -> dict[str, Any]:
        """The action as ``validate_action`` takes it, for an edit form to start from."""
        return {
            "challenge_id": self.challenge_id, "number": self.number, "title": self.title,
            "description": self.description, "status": self.status, "progress": self.progress,
            "start_date": self.start_date, "due_date": self.due_date, "notes": self.notes,
            "pilots": [pid for pid, _ in self.pilots], "towns": [tid for tid, _ in self.towns],
        }


def action_detail(session: Session, action_id: uuid.UUID) -> ActionDetail | None:
    """Everything about one live action; ``None`` when it no longer exists."""
    found = session.exec(
        select(Action, Challenge)
        .join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(Action.id == action_id, alive(Action))
    ).first()
    if found is None:
        return None
    action, challenge = found
    pilots, towns = _names(session, [action_id])
    return ActionDetail(
        id=action.id,
        code=action_code(challenge, action),
        number=action.number,
        title=action.title,
        description=action.description,
        status=action.status,
        progress=action.progress,
        start_date=action.start_date,
        due_date=action.due_date,
        notes=action.notes,
        challenge_id=challenge.id,
        challenge_code=challenge_code(challenge),
        challenge_title=challenge.title,
        plan_id=challenge.plan_id,
        pilots=tuple(pilots[action_id]),
        towns=tuple(towns[action_id]),
        created_at=action.created_at,
        updated_at=action.updated_at,
    )
