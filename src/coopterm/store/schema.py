"""Schema versions: Alembic migrations shipped as package data, run when a file is opened.

Alembic is imported only when a file is created or needs migrating, so opening an
up-to-date database stays quick.  ``HEAD`` names the newest shipped revision; a
test keeps it equal to the head of the migration scripts.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

from coopterm.errors import DatabaseRefused

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0010"
SCRIPT_LOCATION = "coopterm.store:migrations"


def _alembic_config(connection: Connection | None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    return {rev.revision for rev in script.walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    if head is None:
        raise RuntimeError("no migration script is shipped")
    return head


def _migration_engine(path: Path) -> Engine:
    """An engine with foreign keys OFF: Alembic's batch mode rebuilds tables, and with
    foreign keys on SQLite would silently delete the ON DELETE CASCADE children."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA busy_timeout = 10000")
        dbapi_conn.execute("PRAGMA foreign_keys = OFF")
        dbapi_conn.execute("PRAGMA synchronous = FULL")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade_connection(conn: Connection) -> None:
    """Bring the database behind ``conn`` to ``HEAD`` inside the caller's transaction
    (the hub's: PostgreSQL changes its schema transactionally too)."""
    from alembic import command

    command.upgrade(_alembic_config(conn), "head")


def upgrade(path: Path, *, initial_replica_id: uuid.UUID | None = None) -> None:
    """Bring ``path`` to ``HEAD`` in one transaction, checking every link before commit."""
    from alembic import command

    engine = _migration_engine(path)
    try:
        with engine.connect() as conn, conn.begin():
            command.upgrade(_alembic_config(conn), "head")
            if initial_replica_id is not None:
                conn.exec_driver_sql(
                    "INSERT INTO meta (key, value) VALUES ('replica_id', ?)",
                    (initial_replica_id.hex,),
                )
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseRefused("db.migration_broken_links", path=path, count=len(broken))
    finally:
        engine.dispose()


def backup_path_for(path: Path, revision: str) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.backup-{revision}-{stamp}-{n}")
    return candidate


def migrate_with_backup(path: Path, revision: str) -> Path:
    """Copy ``path`` next to itself, then migrate it; the copy is what the user had.

    The backup appears under its name only whole and flushed to disk.  When the
    migration fails, its transaction is rolled back, the file is as it was, and the
    backup, which would only be a second copy of it, is removed again.
    """
    from coopterm.atomic import vacuum_into
    from coopterm.store.database import connect_read_only

    backup = backup_path_for(path, revision)
    try:
        conn = connect_read_only(path)
        try:
            vacuum_into(conn, backup, path)
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseRefused("db.backup_failed", path=path, reason=str(exc)) from None
    try:
        upgrade(path)
    except BaseException as exc:  # the transaction was rolled back: the file is as it was
        backup.unlink(missing_ok=True)
        if isinstance(exc, DatabaseRefused) or not isinstance(exc, Exception):
            raise
        raise DatabaseRefused("db.migration_failed", path=path, reason=str(exc)) from exc
    return backup
