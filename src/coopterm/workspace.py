"""The one door between the faces (the app, the command line) and the plan's data.

Every read and every write of a face passes here: it names a domain function and
its arguments, and the workspace opens the session that function works in — a
read sees one consistent snapshot, a write is one transaction, kept whole or not at
all — then closes it.  Screens and commands never hold a session, never build SQL,
and never import the store; what they get back is the domain's plain data.

The workspace also carries what the app needs of the open file itself (its path,
the watch for changes made by other programs, the background check, a merge), so
that ``coopterm.store`` stays below this door.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from sqlmodel import Session

    from coopterm.store import Database
    from coopterm.store.database import ChangeWatcher
    from coopterm.store.merge import MergeResult

P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["Database", "Workspace"]  # Database: the type of an open file, for the faces' annotations


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

    def watcher(self) -> ChangeWatcher:
        return self.db.watcher()

    def verify(self) -> None:
        self.db.verify()

    def load_demo(self) -> None:
        """Fill this empty file with the demo plan (one transaction, see ``coopterm.demo``)."""
        from coopterm.demo import build_demo

        build_demo(self.db)

    def merge(self, copy: str | os.PathLike[str], *, dry_run: bool) -> MergeResult:
        from coopterm.store.merge import merge_copy

        return merge_copy(self.db, copy, dry_run=dry_run)
