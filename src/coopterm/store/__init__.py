"""The only package that knows the plan is kept in SQLite.

``open_database`` checks, creates or migrates a file and returns a
:class:`Database` whose sessions the domain layer works with; ``export_copy``
writes a consistent single-file copy to share.
"""

from coopterm.store.database import Database, create_database_file, open_database
from coopterm.store.export import export_copy
from coopterm.store.paths import default_database_path, resolve_database_path

__all__ = [
    "Database",
    "create_database_file",
    "default_database_path",
    "export_copy",
    "open_database",
    "resolve_database_path",
]
