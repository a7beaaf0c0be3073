"""The one door between the faces (the app, the command line) and the plan's data.

Every read and every write of a face passes here.  Per entity, the workspace
offers what the screens do with it — ``workspace.actions.source(plan_id, query)``
(the rows a table shows, a window at a time), ``.form(...)`` (the choices and the
text a form starts from), ``.save(...)``, ``.delete(...)``, and the panels beside
the lists — and each of those calls opens one session: a read sees one consistent
snapshot, a write is one transaction, kept whole or not at all.  Screens and
commands never hold a session, never build SQL, never import the store, and never
call a domain function that needs a session; what they get back is the domain's
plain data.  ``read`` and ``write`` stay for a face's one-off question (the
dashboard's figures, the command line's history).

The entity doors live in one small module each (``actions``, ``meetings``,
``people``, ``funding``, ``plan``) and are imported on first use: the app shows
its first frame before SQLAlchemy is imported.

The workspace also carries what the app needs of the open file itself (its path,
the watch for changes made by other programs, the background check, a merge), so
that ``coopterm.store`` stays below this door.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, Generic, ParamSpec, TypeVar, overload

if TYPE_CHECKING:
    from sqlmodel import Session

    from coopterm.exports import TablesExport
    from coopterm.store import Database
    from coopterm.store.database import ChangeWatcher
    from coopterm.store.export import ExportResult
    from coopterm.store.merge import MergeResult
    from coopterm.store.sync import SyncResult
    from coopterm.workspace.actions import Actions
    from coopterm.workspace.dependents import Dependents
    from coopterm.workspace.funding import Funding, Indicators, Projects
    from coopterm.workspace.meetings import Meetings
    from coopterm.workspace.people import People, Towns
    from coopterm.workspace.plan import Challenges, Conflicts, Plans

P = ParamSpec("P")
R = TypeVar("R")
E = TypeVar("E")

__all__ = ["ChangeWatcher", "Database", "Workspace"]  # the types of an open file and its watch, for annotations


class Entrance(Generic[E]):
    """``workspace.<entity>``: the entity's door, made on first use from ``coopterm.workspace.<module>``
    (imported only then) and kept on the workspace."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @overload
    def __get__(self, space: None, owner: type) -> Entrance[E]: ...

    @overload
    def __get__(self, space: Workspace, owner: type) -> E: ...

    def __get__(self, space: Workspace | None, owner: type) -> Entrance[E] | E:
        if space is None:
            return self
        door: E = getattr(import_module(f"coopterm.workspace.{self.module}"), self.name)(space)
        space.__dict__[self.attribute] = door  # found before this descriptor from now on
        return door


class Workspace:
    """An open coopterm file, seen through the domain layer."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def path(self) -> Path:
        return self.db.path

    def read(self, query: Callable[Concatenate[Session, P], R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """``query(session, *args, **kwargs)`` in a read session of its own."""
        with self.db.read() as session:
            return query(session, *args, **kwargs)

    def write(self, change: Callable[Concatenate[Session, P], R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """``change(session, *args, **kwargs)`` as one transaction: committed when it returns,
        rolled back entirely when it raises (a refusal in plain words reaches the caller)."""
        with self.db.write() as session:
            return change(session, *args, **kwargs)

    # --- the entities (each module imported when first asked for) ----------------------

    actions: Entrance[Actions] = Entrance("actions", "Actions")
    meetings: Entrance[Meetings] = Entrance("meetings", "Meetings")
    people: Entrance[People] = Entrance("people", "People")
    towns: Entrance[Towns] = Entrance("people", "Towns")
    funding: Entrance[Funding] = Entrance("funding", "Funding")
    projects: Entrance[Projects] = Entrance("funding", "Projects")
    indicators: Entrance[Indicators] = Entrance("funding", "Indicators")
    challenges: Entrance[Challenges] = Entrance("plan", "Challenges")
    plans: Entrance[Plans] = Entrance("plan", "Plans")
    conflicts: Entrance[Conflicts] = Entrance("plan", "Conflicts")
    dependents: Entrance[Dependents] = Entrance("dependents", "Dependents")

    # --- the open file --------------------------------------------------------------------

    def watcher(self) -> ChangeWatcher:
        return self.db.watcher()

    def verify(self) -> None:
        self.db.verify()

    def load_demo(self) -> None:
        """Fill this empty file with the demo plan (one transaction, see ``coopterm.demo``)."""
        from coopterm.demo import build_demo

        build_demo(self.db)

    def _a_file(self) -> None:
        """Refuse, in plain words, what needs a file when the app works on the hub itself."""
        if getattr(self.db, "online", False):
            from coopterm.errors import CooptermError

            raise CooptermError("online.not_a_file", url=self.db.path)

    def merge(self, copy: str | os.PathLike[str], *, dry_run: bool) -> MergeResult:
        from coopterm.store.merge import merge_copy

        self._a_file()
        return merge_copy(self.db, copy, dry_run=dry_run)

    def sync(self, url: str | None = None) -> SyncResult:
        """Sync with the partnership's hub (``coopterm.store.sync``): ``url``, else the
        hub this file synced with last."""
        from coopterm.store.sync import sync

        return sync(self.db, url)

    @staticmethod
    def check_hub_address(text: str) -> None:
        """Refuse, in plain words, an address that is not a hub's (not PostgreSQL, a password in it)."""
        from coopterm.store.hub import hub_url

        hub_url(text)

    def sync_waiting(self) -> int:
        """How many rows changed here since the last sync sent its work."""
        from coopterm.store.sync import waiting

        return waiting(self.db)

    def hub(self) -> str | None:
        """The hub this file syncs with, if any."""
        from coopterm.store.sync import remembered_hub

        return remembered_hub(self.db)

    def export_copy(self, target: str | os.PathLike[str], *, force: bool) -> ExportResult:
        """A checked single-file copy for the field (``coopterm.store.export_copy``)."""
        from coopterm.store import export_copy

        self._a_file()
        return export_copy(self.db, target, force=force)

    def export_tables(self, target: str | os.PathLike[str], fmt: str, *, force: bool, lang: str) -> TablesExport:
        """The partners' files (``coopterm.exports.export_tables``)."""
        from coopterm.exports import export_tables

        return export_tables(self.db, target, fmt, force=force, lang=lang)
