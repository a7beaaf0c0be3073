"""Conflicts found by merges, and the user's answer to each.

A merge keeps the winning version of a row (see ``store/merge.py``) and the other
version in a conflict record.  Reviewing one means comparing the two field by
field and either keeping what is there or taking the other version, which is
then written as a new change (stamped, in the history, and travelling to other
copies like any edit).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from coopterm.clock import Revision
from coopterm.domain.history import MODELS, field_label, row_label, table_label, value_label
from coopterm.errors import InvalidInput
from coopterm.models import Conflict, table_of
from coopterm.store.rowdata import content_columns, decode_values, json_value

KEPT, TOOK_OTHER = "kept", "took_other"


@dataclass(frozen=True)
class ConflictField:
    field: str
    label: str
    kept: str
    other: str


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    table: str
    what: str
    """"Action", "Réunion"…, in the user's language."""
    label: str
    found_at: dt.datetime
    kept_when: dt.datetime
    other_when: dt.datetime
    """When each version was made, from its revision (the clock of the copy that made it)."""
    fields: tuple[ConflictField, ...]
    resolution: str | None


def _when(revision: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(Revision.parse(revision).millis / 1000, dt.timezone.utc)


def _current(session: Session, row: Conflict) -> dict | None:
    """The row as it is now (it may have changed since the conflict was found)."""
    model = MODELS.get(row.table_name)
    target = session.get(model, row.row_id) if model is not None else None
    if model is None or target is None:
        return None
    values = {name: json_value(getattr(target, name)) for name in content_columns(table_of(model))}
    values["deleted"] = target.deleted_at is not None
    return values


def _view(session: Session, row: Conflict) -> ConflictView:
    kept = _current(session, row) or json.loads(row.kept_values)
    other = json.loads(row.other_values)
    fields = tuple(
        ConflictField(name, field_label(name), value_label(session, name, kept.get(name)),
                      value_label(session, name, other.get(name)))
        for name in sorted(set(other), key=lambda n: (n != "deleted", n))
        if kept.get(name) != other.get(name)
    )
    found = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.timezone.utc)
    return ConflictView(
        id=row.id, table=row.table_name, what=table_label(row.table_name),
        label=row_label(session, row.table_name, row.row_id), found_at=found,
        kept_when=_when(row.kept_revision), other_when=_when(row.other_revision),
        fields=fields, resolution=row.resolution,
    )


def open_conflict_count(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(Conflict)
        .where(col(Conflict.resolution).is_(None), col(Conflict.deleted_at).is_(None))
    ).one()


def list_conflicts(session: Session, *, include_resolved: bool = False) -> list[ConflictView]:
    """Conflicts to review, oldest first (a plan has a handful, never thousands)."""
    query = select(Conflict).where(col(Conflict.deleted_at).is_(None))
    if not include_resolved:
        query = query.where(col(Conflict.resolution).is_(None))
    rows = session.exec(query.order_by(col(Conflict.created_at), col(Conflict.id))).all()
    return [_view(session, r) for r in rows]


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


def take_other_version(session: Session, conflict_id: uuid.UUID) -> None:
    """Write the other version over the row, as a new change made here and now."""
    conflict = _open(session, conflict_id)
    model = MODELS[conflict.table_name]
    target = session.get(model, conflict.row_id)
    if target is None:
        raise InvalidInput("conflict.error.missing")
    other = json.loads(conflict.other_values)
    deleted = bool(other.pop("deleted", False))
    for name, value in decode_values(session, model, other).items():
        setattr(target, name, value)
    if deleted and target.deleted_at is None:
        from coopterm.clock import utcnow

        target.deleted_at = utcnow()
    elif not deleted:
        target.deleted_at = None
    session.add(target)
    conflict.resolution = TOOK_OTHER
    session.add(conflict)
