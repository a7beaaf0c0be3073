"""Conflicts found by merges, and the user's answer to each.

A merge settles every field of a row on its own (``store/merge.py``) and records
what a person should look at, each record of one kind (``models.Conflict``):

- ``edit``: both copies changed one field without seeing each other; the row holds
  one value, the record the other.  Taking the other value writes that field
  only, so every other field, including the ones changed since, stays as it is.
  Records from before field-level merging hold the whole row: every field that
  differs is shown, and taking the other version takes them all.
- ``deleted``: one copy deleted a row the other changed; the deletion stands.
  Taking the other version brings the row back with the edited values.
- ``restored``: one copy deleted a row the other added work under (an action in
  a défi, an attendee at a meeting…); the merge brought the row back so the work
  is not lost.  Taking the other version deletes it again with what depends on
  it, by the domain's own delete rule for its table; a table without one (a
  plan, a town) can only be kept.
- ``same_number``: two copies each created an action with one number in one
  défi.  Taking the other version renumbers this action to the next free
  number of its défi.
- ``refused``: the hub refused a change this copy sent (``store/sync.py``): the
  row holds the hub's version again, the record the refused change whole and who
  may make it.  There is nothing to take (the hub would refuse it again): the
  person passes it on to someone who may, and closes the record.

Every answer is written in the caller's one transaction; what it changes in the
plan is a new change (stamped, in the history, travelling to other copies like
any edit).  The values shown as "kept" are the row's values now, which may have
changed since the merge.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from coopterm.clock import Revision, utcnow
from coopterm.domain.actions import delete_action, next_action_number
from coopterm.domain.challenges import delete_challenge
from coopterm.domain.funding import delete_funding
from coopterm.domain.history import (
    MODELS,
    copy_label,
    field_label,
    row_label,
    table_label,
    value_label,
)
from coopterm.domain.manual_indicators import delete_manual_indicator, delete_measurement
from coopterm.domain.meetings import delete_meeting
from coopterm.domain.numbering import action_code, number_code
from coopterm.domain.persons import delete_person
from coopterm.domain.plans import current_plan
from coopterm.domain.projects import delete_project
from coopterm.domain.removal import delete_plan, delete_town, plan_deletion_refusal
from coopterm.errors import InvalidInput
from coopterm.models import (
    Action,
    ActionPilot,
    Challenge,
    Conflict,
    History,
    Meeting,
    MeetingAttendee,
    Row,
    table_of,
)
from coopterm.store.rowdata import content_columns, decode_values, json_value

KEPT, TOOK_OTHER = "kept", "took_other"
"""What ``Conflict.resolution`` holds once answered (``None`` while open)."""

EDIT, DELETED, RESTORED, SAME_NUMBER, REFUSED = "edit", "deleted", "restored", "same_number", "refused"
KINDS = (EDIT, DELETED, RESTORED, SAME_NUMBER, REFUSED)


@dataclass(frozen=True)
class ConflictField:
    field: str
    label: str
    kept: str
    """The row's value now, as the user reads it."""
    other: str
    """The value the other copy wrote (for ``same_number``: the code renumbering would give)."""


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    kind: str
    """``edit``, ``deleted``, ``restored``, ``same_number`` or ``refused`` (an unknown kind reads as ``edit``)."""
    table: str
    what: str
    """"Action", "Réunion"…, in the user's language."""
    label: str
    found_at: dt.datetime
    kept_when: dt.datetime
    other_when: dt.datetime
    """When each version was made, from its revision (the clock of the copy that made it)."""
    kept_by: str
    other_by: str
    """Which copy made each version ("this copy", "mairie-sierre (copy 1a2b3c)"); empty
    when the history holding that change is not in this file."""
    fields: tuple[ConflictField, ...]
    resolution: str | None
    can_take_other: bool
    """False when there is nothing the other version could do: the row is gone, a
    deleted row's single field, a restored plan or town (no delete rule)."""
    children: tuple[str, ...] = ()
    """``restored``: the live rows that brought it back ("Action 2.3 Atelier à Monastir")."""
    same_as: str = ""
    """``same_number``: the action that shares the number ("2.3 Forum des jeunes")."""
    number: str = ""
    """``same_number``: the shared code ("2.3")."""
    renumber_to: str = ""
    """``same_number``: the code renumbering would give now ("2.6"); empty when it cannot."""
    may_change: tuple[str, ...] = ()
    """``refused``: who may make the change on the hub (people by name, else logins)."""


# --- reading ------------------------------------------------------------------------------


def _when(revision: str, fallback: dt.datetime) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(Revision.parse(revision).millis / 1000, dt.timezone.utc)
    except (ValueError, OverflowError, OSError):  # a revision no clock wrote (a damaged file)
        return fallback


def _values(text: str) -> dict[str, Any]:
    """A record's JSON values; what is not a JSON object (a damaged file) reads as none."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _id(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _children(other: dict[str, Any]) -> list[tuple[str, uuid.UUID]]:
    """The ``[table, id hex]`` pairs a ``restored`` record lists, the malformed ones left out."""
    pairs = other.get("children")
    found = []
    for pair in pairs if isinstance(pairs, list) else []:
        if isinstance(pair, list) and len(pair) == 2 and pair[0] in MODELS:
            child_id = _id(pair[1])
            if child_id is not None:
                found.append((pair[0], child_id))
    return found


def _row(session: Session, table: str, row_id: uuid.UUID | None) -> Row | None:
    model = MODELS.get(table)
    return session.get(model, row_id) if model is not None and row_id is not None else None


def _current(row: Row) -> dict[str, Any]:
    """The row's content as it is now, in the form conflict records hold it."""
    values = {name: json_value(getattr(row, name)) for name in content_columns(table_of(type(row)))}
    values["deleted"] = row.deleted_at is not None
    return values


def _related(conflict: Conflict) -> list[uuid.UUID]:
    """The rows whose history may hold the record's two revisions: the row itself, the
    action that shares its number, the rows that brought it back."""
    other = _values(conflict.other_values)
    same_as = _id(other.get("same_as")) if conflict.kind == SAME_NUMBER else None
    return [conflict.row_id, *([same_as] if same_as else []), *(i for _, i in _children(other))]


COPIES_BATCH = 200
"""Conflicts whose copies are looked up in one query (well under SQLite's bound parameters)."""


def _copies(session: Session, conflicts: Sequence[Conflict]) -> dict[str, str]:
    """Which copy made each revision of these records, from the history entries of their rows
    (a revision names one copy, so every entry holding it says the same)."""
    this = session.info.get("replica_id")
    found: dict[str, str] = {}
    for start in range(0, len(conflicts), COPIES_BATCH):
        batch = conflicts[start:start + COPIES_BATCH]
        row_ids = {i for c in batch for i in _related(c)}
        revisions = {r for c in batch for r in (c.kept_revision, c.other_revision)}
        entries = session.exec(
            select(History).where(col(History.row_id).in_(row_ids), col(History.revision).in_(revisions))
        ).all()
        found.update((e.revision, copy_label(e.replica_id, e.device, this)) for e in entries)
    return found


def _compared(session: Session, conflict: Conflict, row: Row | None,
              other: dict[str, Any]) -> tuple[ConflictField, ...]:
    """The fields the record names whose value now differs from the other one, the
    deletion first, then in the table's order (a record of one field shows it even when
    both values have become equal since).  A row missing from the file (a damaged file)
    is compared as the record kept it."""
    kept = _current(row) if row is not None else _values(conflict.kept_values)
    model = MODELS.get(conflict.table_name)
    order = ["deleted", *(content_columns(table_of(model)) if model is not None else sorted(kept))]
    named = [name for name in order if name in other]
    differing = [name for name in named if kept.get(name) != other[name]]
    if not differing and len(named) == 1:  # one field, equal on both sides since: still the one in question
        differing = named
    return tuple(
        ConflictField(name, field_label(name), value_label(session, name, kept.get(name)),
                      value_label(session, name, other[name]))
        for name in differing
    )


def _same_number(session: Session, row: Row | None, other: dict[str, Any],
                 next_numbers: dict[uuid.UUID, int]) -> dict[str, Any]:
    """The shared code, the action sharing it and what renumbering would give (the défi's
    next free number, read once per défi for a whole list)."""
    same_as = _id(other.get("same_as"))
    shown: dict[str, Any] = {"same_as": row_label(session, "action", same_as) if same_as else ""}
    if not isinstance(row, Action):
        return shown
    challenge = session.get(Challenge, row.challenge_id)
    if challenge is None:
        return shown
    shown["number"] = action_code(challenge, row)
    if row.deleted_at is None:
        if challenge.id not in next_numbers:
            next_numbers[challenge.id] = next_action_number(session, challenge.id)
        shown["renumber_to"] = number_code(challenge, next_numbers[challenge.id])
        shown["fields"] = (ConflictField("number", field_label("number"), shown["number"], shown["renumber_to"]),)
    return shown


def _view(session: Session, conflict: Conflict, copies: dict[str, str],
          next_numbers: dict[uuid.UUID, int]) -> ConflictView:
    kind = conflict.kind if conflict.kind in KINDS else EDIT
    row = _row(session, conflict.table_name, conflict.row_id)
    other = _values(conflict.other_values)
    extra: dict[str, Any] = {}
    if kind == SAME_NUMBER:
        extra = _same_number(session, row, other, next_numbers)
        can_take = "renumber_to" in extra
        fields = extra.pop("fields", ())
    else:
        fields = _compared(session, conflict, row, other)
        if kind == RESTORED:
            children = _children(other)
            extra["children"] = tuple(f"{table_label(t)} {row_label(session, t, i)}" for t, i in children)
            can_take = (row is not None and conflict.table_name in DELETE_RULES
                        and not getattr(row, "computed", False)  # a computed indicator is never deleted
                        and not (conflict.table_name == "plan" and plan_deletion_refusal(session, row.id)))
        elif kind == REFUSED:
            may = _values(conflict.kept_values).get("may_change")
            extra["may_change"] = tuple(str(name) for name in may) if isinstance(may, list) else ()
            can_take = False  # the hub would refuse it again
        elif kind == DELETED:
            can_take = row is not None
        else:  # a field of a deleted row stays deleted; a whole-row record says whether to restore
            can_take = row is not None and (row.deleted_at is None or "deleted" in other)
    found = conflict.created_at if conflict.created_at.tzinfo else conflict.created_at.replace(tzinfo=dt.timezone.utc)
    return ConflictView(
        id=conflict.id, kind=kind, table=conflict.table_name, what=table_label(conflict.table_name),
        label=row_label(session, conflict.table_name, conflict.row_id), found_at=found,
        kept_when=_when(conflict.kept_revision, found), other_when=_when(conflict.other_revision, found),
        kept_by=copies.get(conflict.kept_revision, ""), other_by=copies.get(conflict.other_revision, ""),
        fields=fields, resolution=conflict.resolution, can_take_other=can_take, **extra,
    )


def open_conflict_count(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(Conflict)
        .where(col(Conflict.resolution).is_(None), col(Conflict.deleted_at).is_(None))
    ).one()


def list_conflicts(session: Session, *, include_resolved: bool = False) -> list[ConflictView]:
    """Conflicts to review, oldest first (a merge finds a handful; the history of their
    copies is read in one query per batch, not one per conflict)."""
    query = select(Conflict).where(col(Conflict.deleted_at).is_(None))
    if not include_resolved:
        query = query.where(col(Conflict.resolution).is_(None))
    rows = session.exec(query.order_by(col(Conflict.created_at), col(Conflict.id))).all()
    copies = _copies(session, rows)
    next_numbers: dict[uuid.UUID, int] = {}
    return [_view(session, r, copies, next_numbers) for r in rows]


# --- answers --------------------------------------------------------------------------------


def _open(session: Session, conflict_id: uuid.UUID) -> Conflict:
    row = session.get(Conflict, conflict_id)
    if row is None or row.deleted_at is not None:
        raise InvalidInput("conflict.error.missing")
    return row


def keep_version(session: Session, conflict_id: uuid.UUID) -> None:
    """The version in place stays; the conflict is closed."""
    row = _open(session, conflict_id)
    row.resolution = KEPT
    session.add(row)


def _plan_of(session: Session, children: list[tuple[str, uuid.UUID]]) -> uuid.UUID:
    """The plan a restored person was brought back for: the plan of the action they
    lead or the meeting they attend, else the file's current plan."""
    for table, child_id in children:
        child = _row(session, table, child_id)
        if isinstance(child, ActionPilot):
            action = session.get(Action, child.action_id)
            challenge = session.get(Challenge, action.challenge_id) if action is not None else None
            if challenge is not None:
                return challenge.plan_id
        if isinstance(child, MeetingAttendee):
            meeting = session.get(Meeting, child.meeting_id)
            if meeting is not None:
                return meeting.plan_id
    plan = current_plan(session)
    if plan is None:
        raise InvalidInput("record.plan_missing")
    return plan.id


DeleteRule = Callable[[Session, uuid.UUID, list[tuple[str, uuid.UUID]]], object]

DELETE_RULES: dict[str, DeleteRule] = {
    "challenge": lambda s, i, _: delete_challenge(s, i),
    "action": lambda s, i, _: delete_action(s, i),
    "meeting": lambda s, i, _: delete_meeting(s, i),
    "person": lambda s, i, children: delete_person(s, _plan_of(s, children), i),
    "new_project": lambda s, i, _: delete_project(s, i),
    "indicator": lambda s, i, _: delete_manual_indicator(s, i),
    "funding": lambda s, i, _: delete_funding(s, i),
    "measurement": lambda s, i, _: delete_measurement(s, i),
    "town": lambda s, i, children: delete_town(s, _plan_of(s, children), i),
    "plan": lambda s, i, _: delete_plan(s, i),
}
"""Tables whose rows a restored conflict can delete again: those the domain has a delete rule for."""


def _check_links(session: Session, row: Row, values: dict[str, Any]) -> None:
    """Refuse a value that points to a row deleted since (an action moved to a défi that
    is gone): taking it would leave a live row under a deleted one."""
    columns = {c.name: c for c in table_of(type(row)).columns}
    for name, value in values.items():
        for key in columns[name].foreign_keys if value is not None else ():
            target = _row(session, key.column.table.name, value)
            if target is None or target.deleted_at is not None:
                raise InvalidInput("conflict.error.link_gone", field=field_label(name),
                                   value=row_label(session, key.column.table.name, value))


def _set_values(session: Session, row: Row, other: dict[str, Any]) -> None:
    """Write the record's values over the row, only where they differ, so the change
    (and its history entry, which the next merge reads) names only those fields.  A value
    the plan's rules refuse next to the row's other fields as they are now (a due date
    before a start date changed since) is refused in plain words, nothing written."""
    values = {k: v for k, v in other.items() if k in set(content_columns(table_of(type(row))))}
    decoded = decode_values(session, type(row), values)
    if other.get("deleted") is not True:
        _check_links(session, row, {k: v for k, v in decoded.items() if getattr(row, k) != v})
    for name, value in decoded.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    if "deleted" in other:
        if other["deleted"] is True and row.deleted_at is None:
            row.deleted_at = utcnow()
        elif other["deleted"] is False:
            row.deleted_at = None
    session.add(row)
    try:
        session.flush()
    except IntegrityError as refused:  # the caller's transaction is rolled back whole
        raise InvalidInput("conflict.error.rule_broken") from refused


def take_other_version(session: Session, conflict_id: uuid.UUID) -> None:
    """Do what the other version stands for (see the module's docstring), as a new change
    made here and now, and close the conflict."""
    conflict = _open(session, conflict_id)
    view = _view(session, conflict, {}, {})
    row = _row(session, conflict.table_name, conflict.row_id)
    if row is None:
        raise InvalidInput("conflict.error.missing")
    if not view.can_take_other:
        raise InvalidInput("conflict.error.keep_only")
    other = _values(conflict.other_values)
    if view.kind == SAME_NUMBER:
        assert isinstance(row, Action)  # can_take_other says so
        row.number = next_action_number(session, row.challenge_id)
        session.add(row)
    elif view.kind == RESTORED:
        if row.deleted_at is None:
            DELETE_RULES[conflict.table_name](session, row.id, _children(other))
    else:
        _set_values(session, row, other)
    conflict.resolution = TOOK_OTHER
    session.add(conflict)
