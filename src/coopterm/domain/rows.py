"""Rows are never erased: a deletion leaves a tombstone that later merges carry to other copies."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from coopterm.clock import utcnow
from coopterm.models import Row

R = TypeVar("R", bound=Row)


def alive(model: type[Row]) -> ColumnElement[bool]:
    """The condition that keeps only rows that have not been deleted."""
    return model.deleted_at.is_(None)  # type: ignore[union-attr,attr-defined]


def tombstone(session: Session, row: R) -> R:
    """Mark ``row`` deleted; it stays in the file so the deletion can travel to other copies."""
    if row.deleted_at is None:
        row.deleted_at = utcnow()
        session.add(row)
    return row
