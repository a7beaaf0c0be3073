"""Stamp every inserted or changed row with its time, replica and revision at flush.

The stamps are what a later merge of copies relies on, so they are set in one
place for every write, whatever screen or command made it, together with the
entry of the change history that records it (``history.py``).  The highest revision
this database has given out is kept in ``meta`` and read inside the write
transaction (which holds SQLite's write lock), so two processes writing the same
file still hand out increasing revisions.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlmodel import Session

from coopterm.clock import Revision, next_revision, utcnow
from coopterm.folding import search_key
from coopterm.models import SEARCHED, Row
from coopterm.store import history

_installed = False
KEEP_STAMPS = "coopterm_keep_stamps"
_KEY = "search_key"


def _fold_keys(session: Session) -> None:
    """Refold the ``search_key`` of every new or changed searchable row (even when the
    stamps are kept: a merged or restored row's key must follow its text too).  Set only
    when it differs, so that an untouched row does not look changed."""
    for obj in (*session.new, *session.dirty):
        fields = SEARCHED.get(type(obj))
        if fields is not None:
            key = search_key(getattr(obj, name) for name in fields)
            if getattr(obj, _KEY) != key:
                setattr(obj, _KEY, key)


def _stamp(session: Session, _context: object, _instances: object) -> None:
    _fold_keys(session)
    if session.info.get(KEEP_STAMPS):
        return
    new = [obj for obj in session.new if isinstance(obj, Row)]
    changed = [
        obj for obj in session.dirty
        if isinstance(obj, Row) and session.is_modified(obj, include_collections=False)
    ]
    if not new and not changed:
        return
    entries = history.pending_entries(new, changed)
    # A change that left every value as it was is not a change: no new revision.
    unchanged = {id(obj) for obj in changed if history.is_tracked(obj)} - {id(obj) for obj, _ in entries}
    changed = [obj for obj in changed if id(obj) not in unchanged]
    if not new and not changed:
        return
    replica = session.info.get("replica_id")
    if replica is None:
        raise RuntimeError("write sessions must come from Database.write()")
    conn = session.connection()
    stored = conn.execute(text("SELECT value FROM meta WHERE key = 'last_revision'")).scalar()
    last = Revision.parse(stored) if stored else None
    now = utcnow()
    changed_ids = {id(obj) for obj in changed}
    for obj in new + changed:
        last = next_revision(last, replica.hex)
        if id(obj) in changed_ids:
            obj.updated_at = now
        obj.changed_by = replica
        obj.revision = str(last)
    conn.execute(
        text("INSERT INTO meta (key, value) VALUES ('last_revision', :v) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        {"v": str(last)},
    )
    history.record(conn, entries, replica, now)


def install_stamping() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _stamp)
        _installed = True
