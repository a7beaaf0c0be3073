"""Open a coopterm file safely and hand out sessions for reading and writing.

Connection settings (https://www.sqlite.org/pragma.html):
- WAL journal, so the app can read while the command line writes;
- ``synchronous=FULL``: in WAL mode NORMAL may lose the last commits on power loss;
- foreign keys on (per connection, and only outside a transaction);
- a busy timeout, and ``BEGIN IMMEDIATE`` for writes so that a second writer waits
  for the lock at the start instead of failing in the middle of its transaction;
- ``PRAGMA optimize`` when a connection that may write closes, and after a merge, as
  https://www.sqlite.org/lang_analyze.html advises (with ``analysis_limit`` so that it
  stays quick on a big file): SQLite keeps the statistics its query planner needs,
  so no query carries a hand-written planner hint.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from coopterm.atomic import clean_leftovers, fsync, fsync_dir, temporary_name
from coopterm.errors import CooptermError, DatabaseRefused, InvalidInput
from coopterm.store import schema, summary
from coopterm.store.files import APPLICATION_ID, check_coopterm_file, check_wal, read_only_uri
from coopterm.store.stamps import install_stamping

BUSY_TIMEOUT_MS = 10_000
ANALYSIS_LIMIT = 400
"""Rows ``ANALYZE`` looks at per index when ``PRAGMA optimize`` runs it (the value the
SQLite documentation suggests; SQLite 3.46 and later set one of their own)."""
_WRITE = "coopterm_write"


def _configure(dbapi_conn: sqlite3.Connection) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by the "begin" event below
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    cur.close()


def optimize(dbapi_conn: sqlite3.Connection) -> None:
    """Let SQLite refresh the statistics of the tables this connection's queries used, if
    they are missing or out of date (usually nothing to do).  Never an error for the
    user: a file that cannot be written now keeps the statistics it had."""
    with contextlib.suppress(sqlite3.Error):
        dbapi_conn.execute("PRAGMA optimize")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that only reads ``path`` (see :func:`coopterm.store.files.read_only_uri`)."""
    return sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False, isolation_level=None)


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    if read_only:
        from sqlalchemy.pool import QueuePool

        engine = create_engine("sqlite://", creator=lambda: connect_read_only(path), poolclass=QueuePool)
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        _configure(dbapi_conn)

    if not read_only:  # a read-only file is never written, statistics included
        @event.listens_for(engine, "close")
        def _on_close(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            optimize(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        summary.note_begin(conn)
        if conn.get_execution_options().get(_WRITE, False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            # Links are checked at commit, so one flush may add parents and children
            # in any order; a broken link still fails the whole transaction.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # the primary code of an extended one


def is_damage(error: sqlite3.Error) -> bool:
    """The error says the file itself is damaged (not the disk full, not a lock)."""
    return _primary_code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in str(error)


def plain_words(error: BaseException, path: Path) -> CooptermError | None:
    """What an SQLite failure in the middle of a session means for the user, or ``None``
    for an error that is a bug (to be seen as one).

    SQLite reports a full disk, a lock held too long, a read-only file or a damaged
    page only when a statement touches it; whatever the statement, the transaction is
    rolled back, so the message can promise that nothing was changed.
    """
    if isinstance(error, UnicodeEncodeError):
        return InvalidInput("db.text_not_unicode")
    if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        error = error.orig
    if not isinstance(error, sqlite3.Error):
        return None
    code = _primary_code(error)
    text = str(error)
    if code == sqlite3.SQLITE_FULL or "disk is full" in text or (_is_io(code, text) and _disk_nearly_full(path)):
        return CooptermError("db.disk_full", path=path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        return CooptermError("db.busy", path=path, seconds=f"{BUSY_TIMEOUT_MS / 1000:g}")
    if code == sqlite3.SQLITE_READONLY or "readonly" in text:
        return CooptermError("db.read_only", path=path)
    if is_damage(error):
        return DatabaseRefused("db.damaged_detail", path=path, reason=text)
    if code == sqlite3.SQLITE_IOERR or "disk I/O" in text:
        return CooptermError("db.io_error", path=path, reason=text)
    return None


def _is_io(code: int | None, text: str) -> bool:
    return code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) or "disk I/O" in text


def _disk_nearly_full(path: Path) -> bool:
    """SQLite says "disk I/O error" when it cannot grow its ``-shm`` index on a full disk."""
    try:
        return shutil.disk_usage(Path(path).parent).free < 1024 * 1024
    except OSError:
        return False


def _refusal(error: sqlite3.Error, path: Path) -> CooptermError:
    """What an SQLite error while only reading a file means: the disk's trouble said as
    such, anything else SQLite cannot read is damage."""
    plain = plain_words(error, path)
    if plain is not None:
        return plain
    if _is_io(_primary_code(error), str(error)):
        return CooptermError("db.io_error_reading", path=path, reason=str(error))
    return DatabaseRefused("db.damaged_detail", path=path, reason=str(error))


@contextlib.contextmanager
def _in_plain_words(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, sa_exc.DBAPIError, UnicodeEncodeError) as exc:
        plain = plain_words(exc, path)
        if plain is None:
            raise
        raise plain from exc


class Database:
    """An open coopterm file: read sessions, write transactions, and this copy's replica id."""

    def __init__(self, path: Path, engine: Engine, replica_id: uuid.UUID, migrated_from: str | None,
                 backup_path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.engine = engine
        self.replica_id = replica_id
        self.migrated_from = migrated_from
        self.backup_path = backup_path
        self._checks: set[sqlite3.Connection] = set()
        self._write_engine = engine.execution_options(**{_WRITE: True})

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; it sees one consistent snapshot and never takes the write lock.

        Closing the session ends its read transaction without expiring the rows it
        loaded, so callers may keep using them as plain data.
        """
        with _in_plain_words(self.path), Session(self.engine, expire_on_commit=False) as session:
            session.info["replica_id"] = self.replica_id
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One short transaction: committed when the block ends, rolled back entirely on any error.

        A full disk, a lock held by another program for longer than the busy timeout,
        a read-only or damaged file, and text that cannot be stored (a lone surrogate)
        are raised as :class:`CooptermError` with a message in plain words.
        """
        with _in_plain_words(self.path), Session(self._write_engine, expire_on_commit=False) as session:
            session.info["replica_id"] = self.replica_id
            with session.begin():
                yield session
                summary.count_write(session)  # before COMMIT: the dashboard's figures kept in the file no longer hold

    def verify(self) -> None:
        """Read every page of the file (``PRAGMA quick_check``); refuse a damaged one.

        SQLite notices a damaged page only when a query reads it, so a file can look
        fine until the day a report or an export touches the wrong page.  This proves
        the whole file sound, in about a second per gigabyte.
        """
        quick_check(self.path, self._checks)

    def connect(self) -> sqlite3.Connection:
        """A plain SQLite connection to the file, read-only when the database was opened so."""
        if self.read_only:
            return connect_read_only(self.path)
        return sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)

    def watcher(self) -> "ChangeWatcher":
        return ChangeWatcher(self.path)

    def close(self) -> None:
        """Close the engine; a :meth:`verify` still reading (on a slow USB key it can take
        seconds) is interrupted, so quitting never waits for it."""
        for conn in list(self._checks):
            conn.interrupt()
        self.engine.dispose()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def quick_check(path: Path, running: set[sqlite3.Connection] | None = None) -> None:
    """``PRAGMA quick_check`` of ``path``; its connection is in ``running`` meanwhile."""
    running = set() if running is None else running
    try:
        conn = connect_read_only(path)
        running.add(conn)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        finally:
            running.discard(conn)
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "interrupted" in str(exc):
            return  # the database was closed meanwhile: nobody is waiting for the answer
        # a lock or a disk error is said as such; anything else SQLite cannot read is damage
        raise _refusal(exc, path) from None
    if problems != ["ok"]:
        raise DatabaseRefused("db.damaged_detail", path=path, reason="; ".join(problems[:3]))


def read_revision(path: Path) -> str | None:
    """The schema revision of a file whose header says it is ours, read without writing.

    A file at the current revision must also hold coopterm's tables and columns: a
    file with coopterm's mark and anything else in it is refused here, not by a
    query failing later in the middle of a command.
    """
    try:
        conn = connect_read_only(path)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                return None
            columns = {row[1] for row in conn.execute("PRAGMA table_info(alembic_version)")}
            if "version_num" not in columns:
                raise DatabaseRefused("db.not_coopterm_tables", path=path)
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            if len(rows) == 1 and rows[0][0] == schema.HEAD:
                _check_tables(conn, tables, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _refusal(exc, path) from None
    if len(rows) != 1 or not isinstance(rows[0][0], str):
        raise DatabaseRefused("db.damaged", path=path)
    return rows[0][0]


def _check_tables(conn: sqlite3.Connection, tables: set[str], path: Path) -> None:
    """Every table and column of the current schema is there."""
    from coopterm.models import SQLModel

    for name, table in SQLModel.metadata.tables.items():
        if name not in tables:
            raise DatabaseRefused("db.not_coopterm_tables", path=path)
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
        if not {c.name for c in table.columns} <= columns:
            raise DatabaseRefused("db.not_coopterm_tables", path=path)


@contextlib.contextmanager
def _new_file(target: Path) -> Iterator[Path]:
    """A temporary name next to ``target``; when the block succeeds, the database
    written there is made a single file, flushed to disk and linked to ``target``.

    A crash or error leaves at most a stray temporary file, never a half-built
    database under the user's name; ``os.link`` raises ``FileExistsError`` rather
    than replace a file that appeared meanwhile.
    """
    check_wal(target)  # a -wal of another file there would be read into the new one
    clean_leftovers(target.parent)
    tmp = temporary_name(target)
    try:
        # Made here, empty, so that SQLite writes into it: a new database gets the permissions
        # the user's umask gives any new file (SQLite gives its -wal and -shm the same).
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        yield tmp
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        fsync(tmp)
        os.link(tmp, target)
        fsync_dir(target.parent)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _initialize(tmp: Path) -> None:
    """An empty database at the current schema, with its own replica id, in the new file ``tmp``."""
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    schema.upgrade(tmp, initial_replica_id=uuid.uuid4())


def _create(path: Path) -> None:
    """A new, empty database at the current schema, with its own replica id."""
    with _new_file(path) as tmp:
        _initialize(tmp)


def open_database(path: str | os.PathLike[str], *, create: bool = True, make_parent: bool = False,
                  verify: bool = True, read_only: bool = False) -> Database:
    """Open ``path`` as a coopterm database, creating or migrating it when needed.

    Refused with :class:`DatabaseRefused` and left untouched: a folder, a file that
    is not SQLite, another program's SQLite file, a truncated or damaged file, and
    a file written by a newer coopterm.  An older file is copied to a backup next
    to it before being brought up to date.

    ``verify`` reads the whole file first (:meth:`Database.verify`, about 1.6 s per
    gigabyte): where data leaves or enters the file (export, import, backup).  The app
    passes ``False`` and verifies in the background once the plan is on screen; the
    commands that only show figures pass ``False`` too, and a damaged page one of their
    queries reads is refused then, in plain words (:meth:`Database.read`).

    ``read_only``: the commands that only read open the file so that nothing is ever
    written to it or to its ``-wal`` (see :func:`coopterm.store.files.read_only_uri`).
    Only an older file is still brought up to date first, after its backup.
    A ``-wal`` that does not belong to the file is refused, whatever the mode.
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        check_wal(path)  # a -wal without its database: SQLite would make one from it
        if not create:
            raise DatabaseRefused("db.missing", path=path)
        if make_parent:
            _make_private_folder(path.parent)
        if not path.parent.is_dir():
            raise DatabaseRefused("db.no_folder", path=path)
        try:
            _create(path)
        except FileExistsError:
            pass  # another process created it first: open theirs below
        except OSError as exc:
            raise DatabaseRefused("db.cannot_create", path=path, reason=exc.strerror) from None
    check_coopterm_file(path)
    revision = read_revision(path)
    migrated_from = backup = None
    if revision is None:
        raise DatabaseRefused("db.damaged", path=path)
    if verify:
        quick_check(path)
    if revision != schema.HEAD:
        if revision not in schema.known_revisions():
            raise DatabaseRefused("db.newer", path=path, revision=revision)
        backup = schema.migrate_with_backup(path, revision)
        migrated_from = revision
    engine = make_engine(path, read_only=read_only)
    install_stamping()
    try:
        with _in_plain_words(path), engine.connect() as conn:
            replica = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'replica_id'").scalar()
            conn.rollback()
        replica_id = uuid.UUID(str(replica))
    except CooptermError:
        engine.dispose()
        raise
    except ValueError:  # no replica id, or not one
        engine.dispose()
        raise DatabaseRefused("db.damaged", path=path) from None
    return Database(path, engine, replica_id, migrated_from, backup, read_only=read_only)


def _make_private_folder(folder: Path) -> None:
    """The data folder coopterm makes for its default database is the user's alone (0700)."""
    missing = []
    parent = folder
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):
            part.mkdir(mode=0o700)
    if missing:
        with contextlib.suppress(OSError):
            folder.chmod(0o700)


def create_database_file(path: str | os.PathLike[str], fill: Callable[[Database], object]) -> Path:
    """Write a new database filled by ``fill`` to ``path``, which must not exist yet.

    It appears whole or not at all (see :func:`_new_file`).
    """
    target = Path(path)
    if os.path.lexists(target):
        raise DatabaseRefused("db.exists", path=path)
    if not target.parent.is_dir():
        raise DatabaseRefused("db.no_folder", path=path)
    try:
        with _new_file(target) as tmp:
            _initialize(tmp)
            with open_database(tmp) as db:
                fill(db)
    except FileExistsError:
        raise DatabaseRefused("db.exists", path=path) from None
    return target


class ChangeWatcher:
    """Tells, cheaply, whether another connection committed since the last look.

    ``PRAGMA data_version`` is per connection, so the watcher keeps one connection
    of its own; each look is a single pragma, whatever the size of the file.
    Commits made by the app's own sessions count as "another connection" too.
    """

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._last = self._version()

    def _version(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        current = self._version()
        if current != self._last:
            self._last = current
            return True
        return False

    def close(self) -> None:
        self._conn.close()
