"""Rows are never erased: a deletion leaves a tombstone that later merges carry to other copies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from coopterm.clock import utcnow
from coopterm.domain.keys import link_id
from coopterm.models import Row

R = TypeVar("R", bound=Row)


def alive(model: type[Row]) -> ColumnElement[bool]:
    """The condition that keeps only rows that have not been deleted."""
    return col(model.deleted_at).is_(None)


def tombstone(session: Session, row: R) -> R:
    """Mark ``row`` deleted; it stays in the file so the deletion can travel to other copies."""
    if row.deleted_at is None:
        row.deleted_at = utcnow()
        session.add(row)
    return row


def sync_links(
    session: Session,
    model: type[Row],
    owner: str,
    owner_id: Any,
    key: str,
    wanted: Sequence[Any],
    *,
    ordered: bool = False,
) -> bool:
    """Make the live ``model`` links of ``owner_id`` exactly ``wanted`` (kept in order
    through a ``position`` column when ``ordered``, as for an action's pilots).

    A link that was removed is tombstoned; one that comes back is revived rather
    than duplicated, and a new one gets the id of what it is (:func:`keys.link_id`),
    so that the same link made on another copy is the same row.  The unique index
    of each link table leaves one row per link; should a file still hold more, the
    extra ones are tombstoned.  Returns whether anything changed.
    """
    position = {other: i for i, other in enumerate(wanted)}
    rows = session.exec(select(model).where(getattr(model, owner) == owner_id)).all()
    by_other: dict[Any, list[Any]] = {}
    for row in rows:
        by_other.setdefault(getattr(row, key), []).append(row)
    changed = False
    for other, links in by_other.items():
        # Keep a live link if there is one, else the most recently changed tombstone.
        links.sort(key=lambda r: (r.deleted_at is not None, -r.deleted_at.timestamp() if r.deleted_at else 0.0))
        keep, extra = links[0], links[1:]
        for dup in extra:
            if dup.deleted_at is None:
                tombstone(session, dup)
                changed = True
        if other in position:
            if keep.deleted_at is not None:
                keep.deleted_at = None
                changed = True
            if ordered and keep.position != position[other]:
                keep.position = position[other]
                changed = True
            session.add(keep)
        elif keep.deleted_at is None:
            tombstone(session, keep)
            changed = True
    for other in wanted:
        if other not in by_other:
            fields = {"id": link_id(model, owner_id, other), owner: owner_id, key: other}
            if ordered:
                fields["position"] = position[other]
            session.add(model(**fields))
            changed = True
    return changed
