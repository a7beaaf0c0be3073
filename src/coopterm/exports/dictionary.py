"""The data dictionary: a readable name (English, French) and a description for every table and column.

Partners open the exports in spreadsheets and the SQLite copy in ``sqlite3`` or DB
Browser; neither shows what ``amount_cents`` or ``challenge_id`` means.  The
words live in ``dictionary.json`` (package data) and everything structural — which
tables and columns exist, their types, allowed values and links — is read from
the models, so the documentation cannot drift from the schema: the tests fail
when a column has no entry or an entry names no column.

``python -m coopterm.exports.dictionary [PATH]`` writes ``docs/tables.md``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel

from coopterm import models

LANGS = ("en", "fr")
DOC_PATH = Path("docs") / "tables.md"


@cache
def load() -> dict:
    """The parsed ``dictionary.json`` next to this module."""
    return json.loads((Path(__file__).parent / "dictionary.json").read_text("utf-8"))


def exported_models() -> tuple[type[SQLModel], ...]:
    """The tables of the plan that the csv, json and xlsx exports hold (parents first)."""
    return tuple(models.SHARED_TABLES)


def documented_models() -> tuple[type[SQLModel], ...]:
    """The exported tables, then the other merged tables (change history, conflicts) when the
    schema has them: they are in the SQLite copy, so its readers need them explained."""
    extra = tuple(m for m in getattr(models, "SYNC_TABLES", ()) if m not in models.SHARED_TABLES)
    return exported_models() + extra


def _is_row(model: type[SQLModel]) -> bool:
    return issubclass(model, models.Row)


def column_entry(model: type[SQLModel], column: str) -> dict | None:
    """The entry of ``column``: the table's own, else the one shared by every merged row."""
    table = load()["tables"].get(model.__tablename__, {})
    entry = table.get("columns", {}).get(column)
    if entry is None and _is_row(model):
        entry = load()["common_columns"].get(column)
    return entry


def column_label(model: type[SQLModel], column: str, lang: str) -> str:
    entry = column_entry(model, column)
    return entry[lang] if entry else column


def table_label(model: type[SQLModel], lang: str) -> str:
    return load()["tables"].get(model.__tablename__, {}).get(lang, model.__tablename__)


def columns(model: type[SQLModel]) -> list[sa.Column]:
    return list(models.table_of(model).columns)


def problems() -> list[str]:
    """What is wrong between the dictionary and the models; empty when they agree."""
    found: list[str] = []
    data = load()
    documented = {m.__tablename__: m for m in documented_models()}
    for name, model in documented.items():
        table = data["tables"].get(name)
        if table is None:
            found.append(f"table {name}: no entry")
            continue
        for key in (*LANGS, "description"):
            if not str(table.get(key, "")).strip():
                found.append(f"table {name}: no {key}")
        names = {c.name for c in columns(model)}
        for column in sorted(names):
            entry = column_entry(model, column)
            if entry is None:
                found.append(f"column {name}.{column}: no entry")
                continue
            for key in (*LANGS, "description"):
                if not str(entry.get(key, "")).strip():
                    found.append(f"column {name}.{column}: no {key}")
        for column in sorted(set(table.get("columns", {})) - names):
            found.append(f"column {name}.{column}: entry for a column that does not exist")
        for lang in LANGS:
            labels = [column_label(model, c.name, lang) for c in columns(model)]
            if len(set(labels)) != len(labels):
                found.append(f"table {name}: two columns share a {lang} label")
    for name in sorted(set(data["tables"]) - set(documented)):
        found.append(f"table {name}: entry for a table that does not exist")
    row_columns = set(models.Row.model_fields)
    for column in sorted(set(data["common_columns"]) - row_columns):
        found.append(f"common column {column}: not a column of every row")
    return found


def column_kind(column: sa.Column) -> str:
    """The kind of value a column holds, as stored in SQLite, in plain words."""
    kind = column.type
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, sa.Enum):
        return "one of " + ", ".join(f"`{v}`" for v in kind.enums)
    if isinstance(kind, sa.Uuid):
        links = [fk.column.table.name for fk in column.foreign_keys]
        return f"id of a row of `{links[0]}`" if links else "id (32 hex characters)"
    if isinstance(kind, sa.DateTime):
        return "date and time, UTC"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.Boolean):
        return "yes/no (1/0)"
    if isinstance(kind, sa.Integer):
        return "whole number"
    if isinstance(kind, sa.Float):
        return "decimal number"
    return "text"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_INTRO = """\
<!-- Generated by `python -m coopterm.exports.dictionary` from src/coopterm/exports/dictionary.json
     and the models; edit those, not this file (a test checks that they agree). -->

# The tables of a coopterm database

A coopterm database is one SQLite file. `coopterm export copy.db` writes a consistent
copy of it that any SQLite tool opens: the `sqlite3` command line
(`sqlite3 copy.db`, then `.tables`, `.schema action`, or a `SELECT`), or
DB Browser for SQLite ("Open Database Read Only", then the "Browse Data" tab).
`coopterm export` can also write csv (a zip), json and xlsx files with the same
tables; how each one writes values is at the end of this page.

## Reading the SQLite file

- **Ids.** Every row has an `id`: a UUID stored as text, 32 lower-case hexadecimal
  characters without dashes (`01a201a8dbfe72d48613441b289a7af6`). A column ending
  in `_id` holds the `id` of a row of another table (see *Links* below).
- **Times** (`created_at`, `updated_at`, `deleted_at`, `starts_at`…) are in UTC and
  stored as text `2021-06-30 14:00:00.000000`, with no time zone written. Add the
  local offset yourself (Paris is UTC+1 in winter, UTC+2 in summer).
- **Dates** are text `2021-06-30`; they sort and compare correctly as text.
- **Yes/no** columns hold `1` (yes) or `0` (no).
- **Money** is in euro cents, whole numbers: `amount_cents = 2000000` is 20,000 euros.
- **Deleted rows are kept** as tombstones, so that copies merged later learn of the
  deletion: a row whose `deleted_at` is not empty is deleted and must be left out.
  Add `WHERE deleted_at IS NULL` to every query (and to each joined table).
- **Merge columns.** `changed_by` (the copy that made the last change) and
  `revision` (a stamp of that change) let coopterm merge copies made on different
  laptops; you can ignore them.
- **Lists of allowed values** (statuses, kinds of meeting…) are stored as the
  English words listed in the tables below.

Two tables are not part of the plan:

- `meta` (`key`, `value`): settings of this file only — `replica_id` (the id of
  this copy), `current_plan` (the id of the plan the app opens), `last_revision`.
- `alembic_version` (`version_num`): the revision of the schema, which tells coopterm
  whether the file needs updating when it opens it.

### Example queries

The actions of every challenge, numbered as in the plan ("2.1"):

```sql
SELECT c.number || '.' || a.number AS code, a.title, a.status, a.progress
FROM action AS a JOIN challenge AS c ON a.challenge_id = c.id
WHERE a.deleted_at IS NULL AND c.deleted_at IS NULL
ORDER BY c.number, a.number;
```

The leads of each action, in order:

```sql
SELECT a.title, p.name
FROM action_pilot AS ap
JOIN action AS a ON ap.action_id = a.id
JOIN person AS p ON ap.person_id = p.id
WHERE ap.deleted_at IS NULL AND a.deleted_at IS NULL AND p.deleted_at IS NULL
ORDER BY a.title, ap.position;
```

Funding per year and funder, in euros:

```sql
SELECT year, funder, SUM(amount_cents) / 100.0 AS euros
FROM funding WHERE deleted_at IS NULL
GROUP BY year, funder ORDER BY year, funder;
```
"""

_FORMATS = """\
## The csv, json and xlsx exports

`coopterm export PATH --format csv|json|xlsx` writes the current rows (never the
deleted ones) of every table listed above as exported, each table sorted by `id`,
all read at one moment:

- **csv**: a zip holding one `TABLE.csv` per table and a `README.txt`. Each file is
  UTF-8 with a byte order mark (so Excel and LibreOffice show accents correctly),
  comma-separated, quoted where needed (RFC 4180); its first row holds the column
  labels above in the language asked for (`--lang`). Ids are the 32-character text;
  dates `2021-06-30`; times ISO 8601 in UTC, `2021-06-30T14:00:00Z` (with fractions
  of a second when the time has them); yes/no `TRUE` or `FALSE`; decimal numbers
  with a point; an empty cell is no value.
- **json**: one UTF-8 document
  `{"format": "coopterm-export", "version": 1, "schema": "<schema revision>",
  "exported_at": "<time, UTC>", "tables": {"action": [{"id": "…", …}, …], …}}`
  whose keys are the column names (not the labels); yes/no are `true`/`false`,
  no value is `null`, numbers are numbers, times and dates as in csv.
- **xlsx** (needs `pip install "coopterm[xlsx]"`): one sheet per table, named after
  the table, with the labels as first row; numbers are numbers, dates are date cells,
  yes/no are TRUE/FALSE, times are ISO 8601 text in UTC as in csv; empty text and
  no value are both an empty cell. A cell holds at most 32,767 characters (the most
  a spreadsheet cell can); a longer text is cut and ends in `…`.

### Text is data, never a formula

A plan's texts come from five towns and from copies merged in, so the exports treat
them as data only:

- **csv and xlsx** are opened by spreadsheets. A csv cell whose text would start a
  formula — its first character is `=`, `+`, `-`, `@`, a tab or a carriage return,
  as in `=HYPERLINK(…)` or a phone number `+41 27…` — starts with an apostrophe `'`
  (as OWASP advises against "CSV injection"): the spreadsheet shows the text and runs
  nothing. In xlsx the same text is a text cell marked as such ("quote prefix"),
  whose value is the text itself. Numbers, dates and yes/no are never changed.
  Control characters (escape, bell, bidirectional overrides…) are shown as visible
  symbols (`␛`, `␇`, `�`); line breaks and tabs are kept inside the cell.
- **json and the SQLite copy** are for programs: they keep every text exactly as it
  is in the database, control characters included (json writes those below the
  space, such as escape, as `\\u001b`). A program that shows these texts to people
  must make them safe itself.
"""


def _own_columns(model: type[SQLModel]) -> list[sa.Column]:
    """The columns to list under a table: all but the merge columns every row shares
    (listed once), unless the table describes them its own way."""
    if not _is_row(model):
        return columns(model)
    own = load()["tables"][model.__tablename__].get("columns", {})
    common = load()["common_columns"]
    return [c for c in columns(model) if c.name in own or c.name not in common]


def _common_section() -> Iterator[str]:
    yield "### Columns of every row"
    yield ""
    others = [f"`{m.__tablename__}`" for m in documented_models() if not _is_row(m)]
    but = f" but {', '.join(others)}" if others else ""
    yield (f"Every table below{but} starts with these columns "
           "(their labels are the same in every table):")
    yield ""
    yield "| column | label (en) | label (fr) | holds | description |"
    yield "|---|---|---|---|---|"
    for column in columns(models.Plan):
        entry = load()["common_columns"].get(column.name)
        if entry:
            holds = column_kind(column) + ("; may be empty" if column.nullable and not column.primary_key else "")
            yield (f"| `{column.name}` | {_cell(entry['en'])} | {_cell(entry['fr'])} "
                   f"| {holds} | {_cell(entry['description'])} |")
    yield ""


def _table_section(model: type[SQLModel], exported: bool) -> Iterator[str]:
    name = model.__tablename__
    data = load()["tables"][name]
    yield f"### `{name}` — {data['en']} / {data['fr']}"
    yield ""
    note = "" if exported else " Not in the csv, json and xlsx exports."
    yield data["description"] + note
    yield ""
    yield "| column | label (en) | label (fr) | holds | description |"
    yield "|---|---|---|---|---|"
    for column in _own_columns(model):
        entry = column_entry(model, column.name) or {}
        holds = column_kind(column) + ("" if not column.nullable or column.primary_key else "; may be empty")
        yield (f"| `{column.name}` | {_cell(entry.get('en', ''))} | {_cell(entry.get('fr', ''))} "
               f"| {holds} | {_cell(entry.get('description', ''))} |")
    yield ""


def links(model: type[SQLModel]) -> list[tuple[str, str]]:
    """(column, table) pairs: ``model.column`` holds the ``id`` of a row of ``table``."""
    return [
        (column.name, fk.column.table.name)
        for column in columns(model)
        for fk in sorted(column.foreign_keys, key=lambda f: f.target_fullname)
    ]


def render_tables_markdown() -> str:
    """The whole of ``docs/tables.md``."""
    out = [_INTRO, "## Links", "",
           "Join a table to another with these equalities "
           "(and `deleted_at IS NULL` on both sides):", ""]
    for model in documented_models():
        for column, target in links(model):
            out.append(f"- `{model.__tablename__}.{column} = {target}.id`")
    out += ["", "## Tables", "", "Parents before children.", ""]
    out.extend(_common_section())
    exported = set(exported_models())
    for model in documented_models():
        out.extend(_table_section(model, model in exported))
    out.append(_FORMATS)
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the tables page (default ``docs/tables.md`` under the current folder)."""
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else DOC_PATH
    target.write_text(render_tables_markdown(), encoding="utf-8")
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
