"""Working directly on the hub, for people who are always connected ("online mode").

A :class:`HubDatabase` stands where a file's :class:`~coopterm.store.database.Database`
stands: the domain works with its sessions exactly as with a file's, every write is
one transaction, stamped with a revision and recorded in the history by the same code
(``stamps.py``), and the hub's own policies decide what the login may change.  Its
replica id is derived from the hub, the login and the machine, so the history says who
made a change and on which computer, as it does for a laptop's copy.

Changes made by others reach the app through PostgreSQL's ``LISTEN``/``NOTIFY``: every
write to the hub notifies (``sync.sync_objects``), and :class:`HubWatcher` answers the
app's periodic "anything new?" from notifications already received, without a query.

What only a file can do (read every page, a copy by ``VACUUM INTO``, a merge by
``ATTACH``) is refused here in plain words: on the hub, PostgreSQL keeps the data
sound, and a field copy is made by syncing a new file (``coopterm sync``).
"""

from __future__ import annotations

import contextlib
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from coopterm.errors import CooptermError
from coopterm.store.hub import hub_engine, hub_url, server_reason
from coopterm.store.stamps import install_stamping

_REPLICAS = uuid.UUID("5d1c8e7a-0b9f-4c43-a1e6-7f2b94d03c58")


class HubDatabase:
    """The hub at ``url`` as the app's database (see the module)."""

    read_only = False
    migrated_from: str | None = None
    backup_path = None
    online = True

    def __init__(self, url: str) -> None:
        self.url = url.strip()
        self.address = hub_url(self.url)  # refused in plain words when it is not a hub's address
        self.label = self.address.render_as_string(hide_password=True).replace("+psycopg", "")
        self.engine = hub_engine(self.url)
        install_stamping()
        try:
            with self.engine.connect() as conn:
                hub_id = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'hub_id'")).scalar()
                login = conn.execute(sa.text("SELECT session_user")).scalar()
        except DBAPIError as exc:
            self.engine.dispose()
            raise CooptermError("hub.refused", url=self.label, reason=server_reason(exc)) from None
        if hub_id is None:
            self.engine.dispose()
            raise CooptermError("hub.not_a_hub", url=self.label)
        self.replica_id = uuid.uuid5(_REPLICAS, f"{hub_id}:{login}:{socket.gethostname()}")

    @property
    def path(self) -> str:
        """What the app shows where a file's path would be: the hub's address."""
        return self.label

    @contextlib.contextmanager
    def _plain_words(self) -> Iterator[None]:
        """The hub's refusals as messages: a policy that filtered the row out of an update
        (SQLAlchemy then finds no row to change), a check the policy failed, a lost network."""
        try:
            yield
        except StaleDataError:
            raise CooptermError("online.not_allowed", url=self.label) from None
        except DBAPIError as exc:
            if "row-level security" in str(exc.orig):
                raise CooptermError("online.not_allowed", url=self.label) from None
            raise CooptermError("hub.refused", url=self.label, reason=server_reason(exc)) from None

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._plain_words(), Session(self.engine, expire_on_commit=False) as session:
            session.info["replica_id"] = self.replica_id
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        with self._plain_words(), Session(self.engine, expire_on_commit=False) as session:
            session.info["replica_id"] = self.replica_id
            with session.begin():
                yield session

    def verify(self) -> None:
        """Nothing to read page by page: the server keeps its data sound."""

    def connect(self) -> Any:
        raise CooptermError("online.not_a_file", url=self.label)

    def watcher(self) -> HubWatcher:
        return HubWatcher(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> HubDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HubWatcher:
    """Tells whether anyone wrote to the hub since the last look, from the notifications
    its own listening connection has received: a look costs no round trip."""

    def __init__(self, url: str) -> None:
        import psycopg

        from coopterm.store.sync import CHANNEL

        address = hub_url(url)
        self._conn = psycopg.connect(address.set(drivername="postgresql").render_as_string(hide_password=False),
                                     autocommit=True)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def changed(self) -> bool:
        try:
            return len(list(self._conn.notifies(timeout=0))) > 0  # all of them: one refresh for many
        except Exception:  # the hub went away: the next read says so, in plain words
            return False

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.close()


