"""Reading the change history: what changed, from what to what, when and on which copy.

Entries are written by the store with every change (``store/history.py``); here
they are turned into what a coordinator reads: the row as she knows it ("2.3
Organiser le forum"), the field in her language, values with names instead of
ids, and "this copy" or the name of the laptop that made the change.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from coopterm import present
from coopterm.clock import as_utc, day_start
from coopterm.domain.indicators import COMPUTED_KEYS
from coopterm.domain.meetings import local_start_of
from coopterm.domain.numbering import action_code, challenge_code
from coopterm.i18n import t
from coopterm.models import (
    SHARED_TABLES,
    Action,
    Challenge,
    Decision,
    Funding,
    History,
    Indicator,
    Measurement,
    Meeting,
    NewProject,
    Person,
    Plan,
    Row,
    Town,
    table_of,
)
from coopterm.store.reconcile import MERGE_OP

MODELS: dict[str, type[Row]] = {table_of(m).name: m for m in SHARED_TABLES}

# Columns that link to another row, and the table they point to.
_LINKS = {
    "plan_id": "plan", "town_id": "town", "person_id": "person", "challenge_id": "challenge",
    "action_id": "action", "origin_action_id": "action", "meeting_id": "meeting",
    "project_id": "new_project", "indicator_id": "indicator",
}
_ENUMS = {"status": "action_status", "kind": "meeting_kind", "scope": "project_scope"}


def _holds_a_time(column: sa.Column[Any]) -> bool:
    kind = column.type.impl_instance if isinstance(column.type, sa.TypeDecorator) else column.type
    return isinstance(kind, sa.DateTime)


# Columns that hold a time (a meeting's starts_at), recorded as UTC text: "2021-03-15 13:00:00.000000".
_TIMES = frozenset(c.name for m in SHARED_TABLES for c in table_of(m).columns if _holds_a_time(c))


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    id: uuid.UUID
    at: dt.datetime
    """Timezone-aware UTC."""
    op: str
    table: str
    row_id: uuid.UUID
    row_label: str
    copy: str
    """"this copy", or the machine and the short replica id of the copy that made the change."""
    fields: tuple[FieldChange, ...]


def _id(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def row_label(session: Session, table: str, row_id: Any) -> str:
    """The row as a coordinator knows it; deleted rows keep their label (they are tombstones)."""
    model = MODELS.get(table)
    rid = _id(row_id)
    row = session.get(model, rid) if model is not None and rid is not None else None
    if row is None:
        return f"{table_label(table)} {str(row_id)[:8]}"
    if isinstance(row, Action):
        challenge = session.get(Challenge, row.challenge_id)
        return f"{action_code(challenge, row)} {row.title}" if challenge else row.title
    if isinstance(row, Challenge):
        return f"{challenge_code(row)} {row.title}"
    if isinstance(row, Meeting):
        when = present.date(local_start_of(session, row).date())  # the day it was held, on its own clocks
        return f"{row.title} ({when})" if row.title else when
    if isinstance(row, (Plan, NewProject)):
        return row.title
    if isinstance(row, (Town, Person)):
        return row.name
    if isinstance(row, Funding):
        return f"{row.funder} {row.year}"
    if isinstance(row, Indicator):  # a computed one is named by its key, in the reader's language
        return t(f"indicator.{row.key}") if row.computed and row.key in COMPUTED_KEYS else row.label
    if isinstance(row, Measurement):
        return f"{row_label(session, 'indicator', row.indicator_id)} ({present.date(row.measured_on)})"
    if isinstance(row, Decision):
        return row.text if len(row.text) <= 50 else row.text[:49] + "…"
    # A link: name both ends.
    ends = [row_label(session, _LINKS[c.name], getattr(row, c.name))
            for c in table_of(type(row)).columns if c.name in _LINKS]
    return " ↔ ".join(ends)


def table_label(table: str) -> str:
    return t(f"table.{table}")


def field_label(field: str) -> str:
    return t(f"field.{field}")


def value_label(session: Session, field: str, value: Any) -> str:
    """A stored value as the user reads it: names for links, words for statuses, dates and
    numbers in the user's language (times in UTC, as the meetings screen shows them)."""
    if value is None or value == "":
        return "—"
    if field in _LINKS:
        return row_label(session, _LINKS[field], value)
    if field in _ENUMS:
        return t(f"{_ENUMS[field]}.{value}")
    if field == "amount_cents":
        from coopterm.present import money

        return money(int(value))
    if isinstance(value, bool) or field in ("transversal", "remote", "done", "computed", "deleted"):
        return t("history.yes") if value else t("history.no")
    if field in _TIMES and isinstance(value, str):
        try:
            return present.zoned_date_time(as_utc(dt.datetime.fromisoformat(value)))  # stored in UTC: said so
        except ValueError:
            return value
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return present.date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str):
        return value.replace("\n", " ⏎ ")
    if isinstance(value, float):
        return _decimal(value)
    return str(value)


def _decimal(value: float) -> str:
    """A decimal number with every decimal it was typed with ("12,5", "12,34" in French):
    a history says exactly what changed, where the lists round to one decimal.  What no
    form lets through (infinity, 1e300, from a hostile file) is written as stored."""
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    try:
        return present.number(value, decimals)
    except ArithmeticError:  # decimal.InvalidOperation: beyond the 28 digits of Decimal's context
        return str(value)


def copy_label(replica_id: uuid.UUID, device: str, this_replica: uuid.UUID | None) -> str:
    if this_replica is not None and replica_id == this_replica:
        return t("history.this_copy")
    short = replica_id.hex[:6]
    return t("history.other_copy", device=device, copy=short) if device else t("history.copy", copy=short)


def _entry(session: Session, row: History, this_replica: uuid.UUID | None) -> HistoryEntry:
    changes = json.loads(row.changes or "{}")
    fields = tuple(
        FieldChange(name, field_label(name), value_label(session, name, old), value_label(session, name, new))
        for name, (old, new) in changes.items()
    )
    return HistoryEntry(
        id=row.id, at=as_utc(row.at), op=row.op, table=row.table_name, row_id=row.row_id,
        row_label=row_label(session, row.table_name, row.row_id),
        copy=copy_label(row.replica_id, row.device, this_replica), fields=fields,
    )


def _preload(session: Session, rows: Sequence[History]) -> list[Any]:
    """Read at once every row the entries will name (the rows changed, what their changed
    links point to, and what those rows' labels need: an action's défi, a link's two ends),
    a few queries per table, so that naming 7,000 entries does not ask for 40,000 rows one
    by one: :func:`row_label` then finds each in the session.  The caller keeps the list
    returned while it names them: the session holds its rows only as long as someone does."""
    wanted: dict[str, set[uuid.UUID]] = {}

    def want(table: str | None, value: Any) -> None:
        rid = _id(value)
        if table in MODELS and rid is not None:
            wanted.setdefault(table, set()).add(rid)

    for row in rows:
        want(row.table_name, row.row_id)
        for name, pair in json.loads(row.changes or "{}").items():
            if name in _LINKS and isinstance(pair, list):
                for value in pair:
                    want(_LINKS[name], value)
    loaded: dict[str, set[uuid.UUID]] = {}
    kept: list[Any] = []
    for _ in range(3):  # a link, then the action it names, then the action's défi
        found: list[Any] = []
        for table, ids in wanted.items():
            missing = list(ids - loaded.setdefault(table, set()))
            model = MODELS[table]
            for start in range(0, len(missing), 500):
                found += session.exec(select(model).where(col(model.id).in_(missing[start:start + 500]))).all()
            loaded[table] |= ids
        kept += found
        wanted = {}
        for obj in found:
            for column in table_of(type(obj)).columns:
                if column.name in _LINKS:
                    want(_LINKS[column.name], getattr(obj, column.name))
        if not wanted:
            break
    return kept


def row_history(session: Session, row_ids: Iterable[uuid.UUID], limit: int = 20) -> list[HistoryEntry]:
    """The latest entries about these rows (an action and its links, say), newest first."""
    ids = list(row_ids)
    rows = session.exec(
        select(History).where(col(History.row_id).in_(ids), col(History.op) != MERGE_OP)
        .order_by(col(History.at).desc(), col(History.id).desc()).limit(limit)
    ).all()
    replica = session.info.get("replica_id")
    named = _preload(session, rows)
    entries = [_entry(session, r, replica) for r in rows]
    del named
    return entries


def history_since(session: Session, since: dt.date | None = None, limit: int | None = None) -> list[HistoryEntry]:
    """Every entry from ``since`` (a day, UTC) onwards, oldest first, as ``coopterm history`` prints them."""
    query = select(History).where(col(History.op) != MERGE_OP)
    if since is not None:
        start = day_start(since)
        query = query.where(History.at >= start)
    query = query.order_by(col(History.at), col(History.id))
    if limit is not None:
        query = query.limit(limit)
    replica = session.info.get("replica_id")
    rows = session.exec(query).all()
    named = _preload(session, rows)
    entries = [_entry(session, r, replica) for r in rows]
    del named
    return entries


def action_history_ids(session: Session, action_id: uuid.UUID) -> list[uuid.UUID]:
    """An action and the rows that belong to it (its towns and pilots), whose changes are its history."""
    from coopterm.models import ActionPilot, ActionTown

    ids = [action_id]
    for model in (ActionTown, ActionPilot):
        ids.extend(session.exec(select(model.id).where(model.action_id == action_id)).all())
    return ids


def meeting_history_ids(session: Session, meeting_id: uuid.UUID) -> list[uuid.UUID]:
    from coopterm.models import MeetingAttendee

    ids = [meeting_id]
    for model in (MeetingAttendee, Decision):
        ids.extend(session.exec(select(model.id).where(model.meeting_id == meeting_id)).all())
    return ids


def action_history(session: Session, action_id: uuid.UUID, limit: int) -> list[HistoryEntry]:
    """The latest changes of an action, its towns and its leads (bounded: read on cursor moves)."""
    return row_history(session, action_history_ids(session, action_id), limit=limit)


def meeting_history(session: Session, meeting_id: uuid.UUID, limit: int) -> tuple[list[HistoryEntry], str]:
    """The latest changes of a meeting, its attendees and its decisions, and the meeting's label."""
    return row_history(session, meeting_history_ids(session, meeting_id), limit=limit), \
        row_label(session, "meeting", meeting_id)


# Rows that only link two others: their history reads "Town added: Sierre".
LINK_TABLES = {"plan_town", "action_town", "action_pilot", "meeting_attendee", "new_project_town"}


def headline(entry: HistoryEntry, subject_label: str | None = None) -> str:
    """What happened, in words; said from the point of view of ``subject_label`` when given
    (the action or meeting whose detail shows it), so its own name is not repeated."""
    if entry.table in LINK_TABLES and entry.op in ("create", "delete", "restore"):
        ends = entry.row_label.split(" ↔ ")
        other = [e for e in ends if e != subject_label] if subject_label else ends[1:]
        phrase = t(_agreeing(f"history.link.{entry.op}", entry.table), what=t(f"history.link_what.{entry.table}"),
                   label=", ".join(other) or entry.row_label)
        return phrase if subject_label else f"{ends[0]}: {phrase}"
    if entry.op == "create" and _sets_a_target(entry):
        target = next((f.new for f in entry.fields if f.field == "target"), "")
        return t("history.target_set", what=table_label(entry.table), label=entry.row_label, target=target)
    if subject_label is not None and entry.row_label == subject_label:
        return t(f"history.short.{entry.op}")
    return t(_agreeing(f"history.op.{entry.op}", entry.table), what=table_label(entry.table),
             label=entry.row_label)


def _sets_a_target(entry: HistoryEntry) -> bool:
    """A computed indicator's row is made only when its target is first set: the history says
    so ("target set to 90"), rather than listing the row's words as if the user had named it."""
    return entry.table == "indicator" and any(f.field == "computed" and f.new == t("history.yes")
                                              for f in entry.fields)


def _agreeing(key: str, table: str) -> str:
    """The form of ``key`` that agrees with the noun naming ``table``: French writes "Fiche-action
    T.1 créée" but "Défi 2 créé" (the catalogue lists its feminine tables; English has none)."""
    return f"{key}.feminine" if table in t("history.feminine_tables").split() else key


def describe(entry: HistoryEntry) -> str:
    """One line: "Action 2.3 Organiser le forum changed: Status Planned → Done; Progress 0 → 100"."""
    head = headline(entry)
    if not entry.fields or entry.op == "create":
        return head
    return t("history.described", head=head,
             fields=t("history.fields_separator").join(f"{f.label} {f.old} → {f.new}" for f in entry.fields))
