"""One writer per file format; each streams rows to a binary file, one row at a time.

A writer receives the tables as ``ExportTable`` items whose rows are read from the
database while the writer consumes them, so a plan with a million rows is never
held in memory.  Values arrive as Python objects (UUID, aware datetime, date,
enum, bool, int, float, str, None) and each format turns them into what its
readers expect; the choices are documented in ``docs/tables.md``.

Text from the plan is data, never code.  csv and xlsx files are opened by
spreadsheets, so there every text is made :func:`~coopterm.text.printable` (line
breaks and tabs kept: a cell may hold several lines) and text that a spreadsheet
would run as a formula is defused (:func:`spreadsheet_text`).  json is for
programs and keeps every text exactly as it is in the database (``json.dumps``
writes control characters as ``\\u`` escapes).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import enum
import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from coopterm.exports import dictionary
from coopterm.text import printable


@dataclass
class ExportTable:
    """A table on its way to a file: names, labels and a one-pass iterator of rows."""

    name: str
    label: str
    columns: list[str]
    labels: list[str]
    rows: Iterator[tuple[Any, ...]]
    count: int = field(default=0)  # rows written, filled in as they are

    def consume(self) -> Iterator[tuple[Any, ...]]:
        for row in self.rows:
            self.count += 1
            yield row


def iso_time(value: dt.datetime) -> str:
    """ISO 8601 in UTC with a final "Z": ``2021-06-30T14:00:00Z`` (fractions only when present)."""
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat() + "Z"


def plain(value: Any) -> Any:
    """The value as the json export writes it: ids as 32-hex text, dates and times ISO, enums by value."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        return iso_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula (OWASP, "CSV injection")."""


def spreadsheet_text(text: str) -> str:
    """Text from the plan as a csv cell shows it: every control character visible but line
    breaks and tabs, and a ``'`` before text a spreadsheet would run as a formula
    (``=HYPERLINK(…)``, ``+41 27…``, ``-`` or ``@`` first), as OWASP advises."""
    shown = printable(text, multiline=True)
    return "'" + shown if shown.startswith(FORMULA_START) else shown


CSV_DIALECTS = {"comma": (",", "."), "semicolon": (";", ",")}
"""(separator, decimal mark) of each csv dialect: a French spreadsheet reads ";" and
"57,5", an English one "," and "57.5" (each opens the other's as one column)."""

CSV_DIALECT_OF_LANGUAGE = {"en": "comma", "fr": "semicolon"}
"""The dialect a csv export takes when none is asked for: the one of the user's language
(a French coordinator sending files to a Polish partner may ask for the other)."""


def csv_text(value: Any, decimal_mark: str = ".") -> str:
    """The csv cell: empty for no value, TRUE/FALSE (what Excel and LibreOffice read as
    yes/no), numbers as Python writes them with the language's decimal mark, text as
    ``spreadsheet_text``, the rest as ``plain``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    value = plain(value)  # first: an enum is also a str
    if isinstance(value, str):
        return spreadsheet_text(value)
    if isinstance(value, (float, Decimal)):
        return str(value).replace(".", decimal_mark)
    return str(value)


def write_json(path: Path, tables: Iterable[ExportTable], head: dict[str, Any], lang: str) -> None:
    """One document ``{...head, "tables": {name: [{column: value}]}}``, written row by row."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("{\n")
        for key, value in head.items():
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        out.write('  "tables": {')
        for t_index, table in enumerate(tables):
            out.write("," if t_index else "")
            out.write(f"\n    {json.dumps(table.name)}: [")
            for r_index, row in enumerate(table.consume()):
                record = {name: plain(value) for name, value in zip(table.columns, row)}
                out.write(("," if r_index else "") + "\n      " + json.dumps(record, ensure_ascii=False))
            out.write("\n    ]" if table.count else "]")
        out.write("\n  }\n}\n")


def write_csv_zip(path: Path, tables: Iterable[ExportTable], head: dict[str, Any], lang: str,
                  dialect: str | None = None) -> None:
    """A zip of ``TABLE.csv`` files (UTF-8 with BOM, the separator and decimal mark of
    ``dialect``, else of the language, RFC 4180 quoting) and a README.txt."""
    separator, decimal_mark = CSV_DIALECTS[dialect or CSV_DIALECT_OF_LANGUAGE[lang]]
    written: list[ExportTable] = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            with archive.open(f"{table.name}.csv", "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                writer = csv.writer(text, dialect="excel", delimiter=separator, lineterminator="\r\n")
                writer.writerow(table.labels)
                for row in table.consume():
                    writer.writerow([csv_text(v, decimal_mark) for v in row])
                text.flush()
                text.detach()
            written.append(table)
        archive.writestr("README.txt", _readme(written, head, lang).encode("utf-8-sig"))


def _readme(tables: list[ExportTable], head: dict[str, Any], lang: str) -> str:
    words = dictionary.load()["readme"][lang]
    lines = [words["title"].format(exported_at=head["exported_at"]), ""]
    lines += words["lines"]
    lines += ["", words["files"]]
    lines += [words["file"].format(file=f"{t.name}.csv", label=t.label, count=t.count) for t in tables]
    return "\r\n".join(lines) + "\r\n"


XLSX_CELL_MAX = 32_767
"""The most characters a worksheet cell holds (Excel's limit); a longer text ends in "…"."""


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A worksheet cell: numbers, yes/no and dates typed; times as ISO text in UTC
    (spreadsheets have no time zones); text printable (the control characters XML
    cannot hold among them) and never taken for a formula.

    Unlike csv, a worksheet says which cells are text, so text keeps its first
    character: a cell starting like a formula is a text cell (openpyxl would make
    one starting with ``=`` a formula) marked "quote prefix", which keeps it text
    even when someone edits it in Excel or LibreOffice.  A text longer than a cell
    holds is cut visibly, ending in "…" (the json and SQLite exports keep it whole).
    """
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dt.datetime):
        return iso_time(value)
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    value = plain(value)
    if isinstance(value, str):
        value = printable(value, multiline=True)
        if len(value) > XLSX_CELL_MAX:  # openpyxl would cut it silently
            value = value[: XLSX_CELL_MAX - 1] + "\u2026"
        if value.startswith(FORMULA_START):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            cell.quotePrefix = True
            return cell
    return value


def write_xlsx(path: Path, tables: Iterable[ExportTable], head: dict[str, Any], lang: str) -> None:
    """One sheet per table named after it, labels in the first row; openpyxl's write-only
    mode streams the rows to disk.

    The zip archive is opened here rather than by ``Workbook.save``, which leaves it
    open when writing fails (a full disk): Python would then report the failure again
    as a traceback when it collects the archive at exit."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    try:
        for table in tables:
            sheet = book.create_sheet(title=table.name[:31])
            sheet.append(table.labels)
            for row in table.consume():
                sheet.append([xlsx_cell(sheet, v) for v in row])
        with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(book, archive).write_data()
    except BaseException:
        for sheet in book.worksheets:  # close the sheets' temporary files now, not at garbage collection
            with contextlib.suppress(Exception):
                sheet.close()
        raise


WRITERS = {"csv": write_csv_zip, "json": write_json, "xlsx": write_xlsx}
