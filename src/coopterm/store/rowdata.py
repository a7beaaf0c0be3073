"""How a shared row is compared and written out, the same way by history and merge.

A row's *content* is every column but its identity and its stamps: two versions
with the same content are the same version for a user, whoever stamped them.  The
tombstone counts as content only as "deleted or not".  A derived column
(``search_key``, the folded text the list filters read) is not content either: it
follows from the row's other columns, travels with the row, and is never shown.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from typing import Any

from sqlalchemy import Table

from coopterm.models import table_of

STAMP_COLUMNS = frozenset({"id", "created_at", "updated_at", "changed_by", "revision", "deleted_at"})
DERIVED_COLUMNS = frozenset({"search_key"})


def content_columns(table: Table) -> list[str]:
    """The columns a user edits, in table order."""
    return [c.name for c in table.columns if c.name not in STAMP_COLUMNS and c.name not in DERIVED_COLUMNS]


def json_value(value: Any) -> Any:
    """A column value as JSON: ids in the database's own 32-hex form, times in ISO 8601."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores it in SQLite
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dumps(data: dict[str, Any]) -> str:
    """Stable JSON text (sorted keys, accents kept) so equal content gives equal text."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode_values(session: Any, model: Any, raw: dict[str, Any]) -> dict[str, Any]:
    """Values as the database stores them (in a conflict record) turned back into Python
    values of ``model``'s columns, by the column types themselves."""
    dialect = session.get_bind().dialect
    columns = {c.name: c for c in table_of(model).columns}
    values = {}
    for name, value in raw.items():
        column = columns.get(name)
        if column is None or name in STAMP_COLUMNS or name in DERIVED_COLUMNS:
            continue
        processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
        values[name] = processor(value) if processor and value is not None else value
    return values
