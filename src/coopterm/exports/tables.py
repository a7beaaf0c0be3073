"""Export the plan's tables as csv (a zip), json or xlsx for partners and funders.

Every table is read in one read session, so the file shows the plan at one
moment even while the app writes.  Only current rows go out (deleted rows stay
in the database as tombstones for merging, and would only confuse a reader),
each table sorted by id.  The file is written like the SQLite copy: to a
temporary file first, then moved to the name asked for (``target``).
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from coopterm.atomic import check_target, written_atomically
from coopterm.clock import utcnow
from coopterm.errors import CooptermError
from coopterm.exports import dictionary
from coopterm.exports.readable import readable_sheets
from coopterm.exports.writers import CSV_DIALECTS, WRITERS, ExportTable, iso_time, write_csv_zip
from coopterm.models import table_of
from coopterm.store import schema
from coopterm.store.database import Database
from coopterm.store.rowdata import DERIVED_COLUMNS

TABLE_FORMATS = tuple(WRITERS)
READABLE_FORMATS = ("csv", "xlsx")
"""The formats opened in spreadsheets, which start with the readable sheets (``readable``);
json is for programs and holds the raw tables only."""
"""The formats of ``export_tables``; ``sqlite`` is ``coopterm.store.export_copy``."""

_SUFFIXES = {
    ".csv": "csv", ".zip": "csv",
    ".json": "json",
    ".xlsx": "xlsx",
    ".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".coopterm": "sqlite",
}
_BATCH = 500


@dataclass(frozen=True)
class TablesExport:
    path: Path
    size: int
    format: str
    rows: dict[str, int]  # rows written per table


def format_from_path(path: str | os.PathLike[str]) -> str | None:
    """The format a file name asks for (``plan.xlsx`` -> ``xlsx``), or None when it says nothing."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def _require_openpyxl() -> None:
    try:
        import openpyxl  # noqa: F401  # imported only to learn whether the optional extra is installed
    except ImportError:
        raise CooptermError("exports.xlsx_needs_openpyxl") from None


def _live_tables(session: Session, lang: str) -> Iterator[ExportTable]:
    """Each exported table with its current rows, sorted by id, read as they are written."""
    for model in dictionary.exported_models():
        table = table_of(model)
        names = [c.name for c in table.columns if c.name not in DERIVED_COLUMNS]  # derived, not data
        query = (sa.select(*(table.c[n] for n in names)).where(table.c.deleted_at.is_(None)).order_by(table.c.id)
                 .execution_options(yield_per=_BATCH))
        rows = (tuple(row) for row in session.execute(query))
        yield ExportTable(
            name=table.name,
            label=dictionary.table_label(model, lang),
            columns=names,
            labels=[dictionary.column_label(model, n, lang) for n in names],
            rows=rows,
        )


def export_tables(db: Database, target: str | os.PathLike[str], fmt: str, *, force: bool = False,
                  lang: str = "en", csv_dialect: str | None = None) -> TablesExport:
    """Write the current rows of every table of the plan to ``target`` as ``fmt``
    (``csv``, ``json`` or ``xlsx``), with column labels in ``lang``; refuse to
    overwrite an existing file unless ``force``.  ``csv_dialect`` (a key of
    ``CSV_DIALECTS``) overrides the language's separator and decimal mark, for csv only."""
    if fmt not in WRITERS:
        raise CooptermError("exports.unknown_format", format=fmt, formats=", ".join(TABLE_FORMATS))
    if csv_dialect is not None:
        if csv_dialect not in CSV_DIALECTS:
            raise CooptermError("exports.unknown_csv_dialect", dialect=csv_dialect,
                                dialects=", ".join(CSV_DIALECTS))
        if fmt != "csv":
            raise CooptermError("exports.csv_dialect_not_csv", format=fmt)
    if lang not in dictionary.LANGS:
        raise ValueError(lang)
    target = Path(target)
    if fmt == "csv" and target.suffix.lower() == ".csv":
        raise CooptermError("exports.csv_is_a_zip", path=target, suggestion=target.with_suffix(".zip"))
    if fmt == "xlsx":
        _require_openpyxl()
    folder = check_target(target, db.path, force=force)
    head = {"format": "coopterm-export", "version": 1, "schema": schema.HEAD,
            "exported_at": iso_time(utcnow())}
    tables: list[ExportTable] = []

    def remember(items: Iterator[ExportTable]) -> Iterator[ExportTable]:
        for item in items:
            tables.append(item)
            yield item

    with written_atomically(target, folder, force=force, source=db.path) as tmp, db.read() as session:
        sheets = _live_tables(session, lang)
        if fmt in READABLE_FORMATS:
            sheets = itertools.chain(readable_sheets(session, lang, utcnow().date()), sheets)
        write = WRITERS[fmt]
        if csv_dialect is not None:
            write = functools.partial(write_csv_zip, dialect=csv_dialect)
        write(tmp, remember(sheets), head, lang)
    return TablesExport(target, target.stat().st_size, fmt, {t.name: t.count for t in tables})
