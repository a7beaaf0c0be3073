"""The package that opens the plan's SQLite files and makes their connections.

Outside it, code knows of SQLite in a few places only: ``atomic.vacuum_into`` runs
``VACUUM INTO`` on a connection this package hands it, ``coopterm.report`` refuses
to write a report over a SQLite file, and three domain queries are tuned for SQLite
(``domain.matching`` cuts a field out of a row's folded ``search_key`` with
``instr``, ``strpos`` on the PostgreSQL hub; the reading order of names in
``domain.persons`` registers a function on the sqlite3 connection; and
``domain.actions`` gives a hint to the planner).  The
folded search keys themselves are kept by this package on every write (``stamps``).

``open_database`` checks, creates or migrates a file and returns a
:class:`Database` whose sessions the domain layer works with; ``export_copy``
writes a consistent single-file copy to share.

Names are imported on first use: the app paints its first frame before
SQLAlchemy is loaded, and ``coopterm.store.files`` (header checks) and
``coopterm.store.paths`` stay cheap to import.
"""

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "Database": "coopterm.store.database",
    "create_database_file": "coopterm.store.database",
    "open_database": "coopterm.store.database",
    "export_copy": "coopterm.store.export",
    "default_database_path": "coopterm.store.paths",
    "resolve_database_path": "coopterm.store.paths",
}

__all__ = ["Database", "create_database_file", "default_database_path", "export_copy", "open_database",
           "resolve_database_path"]  # the keys of _EXPORTS, written out for the checkers

if TYPE_CHECKING:
    from coopterm.store.database import Database, create_database_file, open_database
    from coopterm.store.export import export_copy
    from coopterm.store.paths import default_database_path, resolve_database_path


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
