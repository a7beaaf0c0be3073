"""Partner exports: the data dictionary, docs/tables.md, and csv/json/xlsx files read back
by real readers and compared with the database read independently (sqlite3 module)."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from coopterm import models
from coopterm.errors import CooptermError
from coopterm.exports import dictionary, export_tables, format_from_path, render_tables_markdown
from coopterm.exports.writers import WRITERS
from coopterm.i18n import set_language
from coopterm.store.rowdata import DERIVED_COLUMNS

ROOT = Path(__file__).parents[2]
TABLES = [m.__tablename__ for m in models.SHARED_TABLES]
RAW = json.loads((ROOT / "src" / "coopterm" / "exports" / "dictionary.json").read_text("utf-8"))


# --- the data dictionary -------------------------------------------------------------------------

def entry(model, column):
    own = RAW["tables"].get(model.__tablename__, {}).get("columns", {})
    if column in own:
        return own[column]
    return RAW["common_columns"].get(column) if issubclass(model, models.Row) else None


@pytest.mark.parametrize("model", models.SHARED_TABLES, ids=TABLES)
def test_every_column_of_every_shared_table_has_labels_and_a_description(model):
    table = RAW["tables"].get(model.__tablename__)
    assert table, model.__tablename__
    assert table["en"] and table["fr"] and table["description"]
    for column in sa.inspect(model).columns:
        found = entry(model, column.name)
        assert found, f"{model.__tablename__}.{column.name} has no entry in dictionary.json"
        assert found["en"].strip() and found["fr"].strip() and found["description"].strip()
        assert "\n" not in found["description"]


def test_the_dictionary_names_no_column_or_table_that_does_not_exist():
    documented = {m.__tablename__: m for m in dictionary.documented_models()}
    assert set(RAW["tables"]) <= set(documented)
    for name, table in RAW["tables"].items():
        real = {c.name for c in sa.inspect(documented[name]).columns}
        assert sorted(set(table["columns"]) - real) == [], name
    assert set(RAW["common_columns"]) <= {c.name for c in sa.inspect(models.Plan).columns}
    assert set(RAW["common_columns"]) <= set(models.Row.model_fields)
    assert dictionary.problems() == []


def test_labels_read_as_the_partnership_speaks():
    assert dictionary.column_label(models.Funding, "amount_cents", "en") == "Amount (euro cents)"
    assert dictionary.column_label(models.Funding, "amount_cents", "fr") == "Montant (centimes d'euro)"
    assert dictionary.column_label(models.Action, "challenge_id", "en") == "Challenge (id)"
    assert dictionary.column_label(models.Action, "challenge_id", "fr") == "Défi (id)"
    assert dictionary.table_label(models.Action, "fr") == "Fiches-actions"


@pytest.mark.parametrize("model", models.SHARED_TABLES, ids=TABLES)
@pytest.mark.parametrize("lang", dictionary.LANGS)
def test_labels_are_unique_within_a_table(model, lang):
    labels = [dictionary.column_label(model, c.name, lang) for c in sa.inspect(model).columns]
    assert len(labels) == len(set(labels))


def test_docs_tables_md_is_the_generated_text():
    """Regenerate with: python -m coopterm.exports.dictionary"""
    assert (ROOT / "docs" / "tables.md").read_text("utf-8") == render_tables_markdown()


def test_the_tables_page_explains_every_table_column_value_and_link():
    text = render_tables_markdown()
    for model in dictionary.documented_models():
        assert f"### `{model.__tablename__}`" in text
        for column in sa.inspect(model).columns:
            assert f"`{column.name}`" in text
            if isinstance(column.type, sa.Enum):
                assert all(f"`{v}`" in text for v in column.type.enums)
    assert "`action.challenge_id = challenge.id`" in text
    assert "`funding.action_id = action.id`" in text
    for words in ("deleted_at IS NULL", "UTC", "cents", "32", "`meta`", "`alembic_version`"):
        assert words in text


def test_the_module_writes_the_page(tmp_path):
    target = tmp_path / "tables.md"
    assert dictionary.main([str(target)]) == 0
    assert target.read_text("utf-8") == render_tables_markdown()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("p.csv", "csv"), ("p.ZIP", "csv"), ("p.json", "json"), ("a/p.xlsx", "xlsx"), ("p.db", "sqlite"),
     ("p.sqlite", "sqlite"), ("p.sqlite3", "sqlite"), ("p.coopterm", "sqlite"), ("p.txt", None), ("p", None)],
)
def test_format_from_path(name, fmt):
    assert format_from_path(name) == fmt


# --- the database read independently ----------------------------------------------------------------

def declared_types(conn, table):
    return {row[1]: row[2].upper() for row in conn.execute(f'PRAGMA table_info("{table}")')}


def utc_text(raw: str) -> str:
    """'2021-06-30 14:00:00.000000' (stored, UTC) -> '2021-06-30T14:00:00Z' (documented)."""
    text = raw.replace(" ", "T", 1)
    if text.endswith(".000000"):
        text = text[: -len(".000000")]
    return text + "Z"


def reference(path: Path) -> dict[str, tuple[list[str], list[list]]]:
    """Every live row as the json export documents it, read with the sqlite3 module."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in TABLES:
            types = declared_types(conn, table)
            cur = conn.execute(f'SELECT * FROM "{table}" WHERE deleted_at IS NULL ORDER BY id')
            names = [d[0] for d in cur.description]
            rows = []
            for raw in cur:
                row = []
                for name, value in zip(names, raw):
                    if name in DERIVED_COLUMNS:  # the folded search key is not data: not exported
                        continue
                    if value is not None and types[name] == "DATETIME":
                        value = utc_text(value)
                    elif value is not None and types[name] == "BOOLEAN":
                        assert value in (0, 1)
                        value = bool(value)
                    row.append(value)
                rows.append(row)
            out[table] = ([n for n in names if n not in DERIVED_COLUMNS], rows)
        return out
    finally:
        conn.close()


@pytest.fixture
def tombstoned(demo_db):
    """The demo with its first action deleted (a tombstone); returns that action's id as hex."""
    from coopterm.clock import utcnow

    with demo_db.write() as session:
        action = session.scalars(sa.select(models.Action).order_by(models.Action.id)).first()
        action.deleted_at = utcnow()
        gone = action.id.hex
    return gone


def labels(table: str, lang: str) -> list[str]:
    model = next(m for m in models.SHARED_TABLES if m.__tablename__ == table)
    return [dictionary.column_label(model, c.name, lang) for c in sa.inspect(model).columns
            if c.name not in DERIVED_COLUMNS]


def csv_cell(value, decimal_mark: str = ".") -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(value).replace(".", decimal_mark)
    return str(value)


SEPARATORS = {"fr": (";", ","), "en": (",", ".")}
"""What a French and an English spreadsheet read: separator, decimal mark."""

READABLE = {"fr": ["fiches-actions", "reunions", "financements", "nouveaux-projets"],
            "en": ["actions", "meetings", "funding-lines", "new-projects"]}
"""The readable sheets before the raw tables, named in the export's language."""


# --- csv ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_zip_holds_every_live_row_cell_by_cell(demo_db, tombstoned, tmp_path, lang):
    target = tmp_path / "plan.zip"
    result = export_tables(demo_db, target, "csv", lang=lang)
    expected = reference(demo_db.path)
    assert result.path == target and result.size == target.stat().st_size
    assert {t: n for t, n in result.rows.items() if t in TABLES} == {t: len(expected[t][1]) for t in TABLES}
    separator, decimal_mark = SEPARATORS[lang]
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted([f"{t}.csv" for t in TABLES + READABLE[lang]] + ["README.txt"])
        readme = archive.read("README.txt").decode("utf-8-sig")
        for table in TABLES:
            data = archive.read(f"{table}.csv")
            assert data.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the accents as UTF-8
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=separator))
            assert rows[0] == labels(table, lang)
            assert rows[1:] == [[csv_cell(v, decimal_mark) for v in row] for row in expected[table][1]]
            assert f"{table}.csv" in readme
    with zipfile.ZipFile(target) as archive:
        towns = archive.read("town.csv").decode("utf-8-sig")
        archive_rows = archive.read("action.csv").decode("utf-8-sig")
    assert "Saint-Étienne" in towns
    assert tombstoned not in archive_rows
    assert len(expected["action"][1]) == 19  # the demo's 20 actions, one deleted
    assert ("Fichiers :" if lang == "fr" else "Files:") in readme


def test_csv_quoting_survives_commas_quotes_and_new_lines(demo_db, tmp_path):
    tricky = 'Bilan "à mi-parcours", Sierre\nligne 2'
    with demo_db.write() as session:
        town = session.scalars(sa.select(models.Town).order_by(models.Town.id)).first()
        town.name = tricky
    export_tables(demo_db, tmp_path / "p.zip", "csv")
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        rows = list(csv.reader(io.StringIO(archive.read("town.csv").decode("utf-8-sig"), newline="")))
    assert rows[1][labels("town", "en").index("Name")] == tricky


def test_a_csv_export_is_not_named_dot_csv(demo_db, tmp_path):
    with pytest.raises(CooptermError) as err:
        export_tables(demo_db, tmp_path / "plan.csv", "csv")
    assert err.value.key == "exports.csv_is_a_zip" and "plan.zip" in str(err.value)
    assert not (tmp_path / "plan.csv").exists() and leftovers(tmp_path) == []


# --- json ---------------------------------------------------------------------------------------------

def test_json_document_holds_every_live_row_by_column_name(demo_db, tombstoned, tmp_path):
    from coopterm.store import schema

    target = tmp_path / "plan.json"
    export_tables(demo_db, target, "json")
    doc = json.loads(target.read_text("utf-8"))
    expected = reference(demo_db.path)
    assert doc["format"] == "coopterm-export" and doc["version"] == 1
    assert doc["schema"] == schema.HEAD
    assert doc["exported_at"].endswith("Z")
    assert list(doc["tables"]) == TABLES
    for table in TABLES:
        names, rows = expected[table]
        assert doc["tables"][table] == [dict(zip(names, row)) for row in rows], table
    assert tombstoned not in {a["id"] for a in doc["tables"]["action"]}
    assert "Saint-Étienne" in {t["name"] for t in doc["tables"]["town"]}
    assert "Saint-Étienne" in target.read_text("utf-8")  # written as is, not \u00c9


def test_every_table_is_read_from_one_snapshot(demo_db, tmp_path, monkeypatch):
    """A town added while the plan table is being written is not in the export."""
    write_json = WRITERS["json"]

    def write_while_reading(path, tables, head, lang):
        def tables_with_a_write():
            for table in tables:
                yield table
                if table.name == "plan":
                    with demo_db.write() as session:
                        session.add(models.Town(name="Ville ajoutée pendant l'export"))
        write_json(path, tables_with_a_write(), head, lang)

    monkeypatch.setitem(WRITERS, "json", write_while_reading)
    export_tables(demo_db, tmp_path / "p.json", "json")
    doc = json.loads((tmp_path / "p.json").read_text("utf-8"))
    names = {t["name"] for t in doc["tables"]["town"]}
    assert "Ville ajoutée pendant l'export" not in names
    assert len(names) == 5
    assert len(reference(demo_db.path)["town"][1]) == 6  # the write did happen


# --- xlsx ---------------------------------------------------------------------------------------------

def xlsx_cell(value, declared: str):
    import datetime as dt

    if declared == "DATE" and value is not None:
        return dt.datetime.fromisoformat(value)  # a date cell reads back as a datetime at midnight
    return None if value == "" else value  # a worksheet has no empty text, only empty cells


def test_xlsx_has_one_sheet_per_table_cell_by_cell(demo_db, tombstoned, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    with demo_db.write() as session:  # text that a spreadsheet would otherwise take for a formula
        decision = session.scalars(sa.select(models.Decision).order_by(models.Decision.id)).first()
        decision.text = "=1+1 reste du texte"
    target = tmp_path / "plan.xlsx"
    export_tables(demo_db, target, "xlsx", lang="fr")
    expected = reference(demo_db.path)
    conn = sqlite3.connect(demo_db.path)
    types = {t: declared_types(conn, t) for t in TABLES}
    conn.close()
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == READABLE["fr"] + TABLES
    assert all(len(name) <= 31 for name in book.sheetnames)
    for table in TABLES:
        names, rows = expected[table]
        width = len(names)  # the reader drops empty cells at the end of a row
        got = [list(r) + [None] * (width - len(r)) for r in book[table].iter_rows(values_only=True)]
        assert got[0] == labels(table, "fr")
        want = [[xlsx_cell(v, types[table][n]) for n, v in zip(names, row)] for row in rows]
        assert got[1:] == want, table
    name_column = labels("town", "fr").index("Nom")
    assert "Saint-Étienne" in {r[name_column] for r in book["town"].iter_rows(values_only=True)}
    book.close()
    assert tombstoned not in {r[0] for r in expected["action"][1]}


def test_xlsx_without_openpyxl_says_what_to_install(demo_db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now raises ImportError
    with pytest.raises(CooptermError) as err:
        export_tables(demo_db, tmp_path / "plan.xlsx", "xlsx")
    assert err.value.key == "exports.xlsx_needs_openpyxl"
    assert 'pip install "coopterm[xlsx]"' in str(err.value)
    set_language("fr")
    assert 'pip install "coopterm[xlsx]"' in str(err.value)
    assert not (tmp_path / "plan.xlsx").exists()


# --- refusals leave the target as it was ------------------------------------------------------------

def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize(("fmt", "name"), [("csv", "p.zip"), ("json", "p.json"), ("xlsx", "p.xlsx")])
def test_an_existing_target_is_kept_byte_for_byte_without_force(demo_db, tmp_path, fmt, name):
    target = tmp_path / name
    target.write_bytes(b"precious \xc3\xa9 data")
    with pytest.raises(CooptermError) as err:
        export_tables(demo_db, target, fmt)
    assert err.value.key == "export.exists"
    assert target.read_bytes() == b"precious \xc3\xa9 data"
    assert leftovers(tmp_path) == []
    export_tables(demo_db, target, fmt, force=True)
    assert target.read_bytes() != b"precious \xc3\xa9 data"
    assert leftovers(tmp_path) == []


def test_folder_missing_folder_same_file_and_unknown_format_are_refused(demo_db, tmp_path):
    for target, key in [
        (tmp_path, "export.target_is_directory"),
        (tmp_path / "nowhere" / "p.json", "export.no_folder"),
        (demo_db.path, "export.same_file"),
    ]:
        with pytest.raises(CooptermError) as err:
            export_tables(demo_db, target, "json", force=True)
        assert err.value.key == key
    with pytest.raises(CooptermError) as err:
        export_tables(demo_db, tmp_path / "p.json", "pdf")
    assert err.value.key == "exports.unknown_format"
    assert not (tmp_path / "p.json").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_refused_with_the_reason(demo_db, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "p.json").write_bytes(b"old")
    folder.chmod(0o555)
    try:
        with pytest.raises(CooptermError) as err:
            export_tables(demo_db, folder / "p.json", "json", force=True)
        assert err.value.key == "file.cannot_write"
        assert (folder / "p.json").read_bytes() == b"old"
        assert sorted(p.name for p in folder.iterdir()) == ["p.json"]
    finally:
        folder.chmod(0o755)


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_full_disk_while_writing_leaves_the_target_untouched(demo_db, tmp_path, monkeypatch, fmt):
    target = tmp_path / f"p.{ {'csv': 'zip'}.get(fmt, fmt) }"
    target.write_bytes(b"old export")
    real = WRITERS[fmt]

    def fill_then_fail(path, tables, head, lang):
        def tables_until_full():
            for index, table in enumerate(tables):
                if index == 3:
                    disk_full()
                yield table
        real(path, tables_until_full(), head, lang)

    monkeypatch.setitem(WRITERS, fmt, fill_then_fail)
    with pytest.raises(CooptermError) as err:
        export_tables(demo_db, target, fmt, force=True)
    assert err.value.key == "file.cannot_write"
    assert os.strerror(errno.ENOSPC) in str(err.value)
    assert target.read_bytes() == b"old export"
    assert leftovers(tmp_path) == []


def test_a_full_disk_when_flushing_leaves_the_target_untouched(demo_db, tmp_path, monkeypatch):
    import coopterm.atomic as target_module

    target = tmp_path / "p.json"
    target.write_bytes(b"old export")
    monkeypatch.setattr(target_module, "fsync", disk_full)
    with pytest.raises(CooptermError) as err:
        export_tables(demo_db, target, "json", force=True)
    assert err.value.key == "file.cannot_write"
    assert target.read_bytes() == b"old export"
    assert leftovers(tmp_path) == []


def test_the_export_file_gets_ordinary_permissions(demo_db, tmp_path):
    """Made to be shared: not the private 0600 of a temporary file."""
    old = os.umask(0o022)
    try:
        export_tables(demo_db, tmp_path / "p.json", "json")
    finally:
        os.umask(old)
    assert (tmp_path / "p.json").stat().st_mode & 0o777 == 0o644


def test_a_folder_without_hard_links_still_gets_the_file(demo_db, tmp_path, monkeypatch):
    """FAT and exFAT USB keys refuse os.link (EPERM on Linux); the export is still written."""
    def no_links(*_args, **_kwargs):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    result = export_tables(demo_db, tmp_path / "p.json", "json")
    assert json.loads(result.path.read_text("utf-8"))["format"] == "coopterm-export"
    assert leftovers(tmp_path) == []


def test_a_funder_reads_the_plan_without_joins(demo_db, tmp_path):
    """The readable sheets come first, in the export's language: an action with its défi,
    status in words, leads and towns by name; funding in euros with its action's number; a
    French file separated by ";" with a decimal comma (French spreadsheets open it in columns)."""
    target = tmp_path / "plan.zip"
    export_tables(demo_db, target, "csv", lang="fr")
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist()[:4] == [f"{n}.csv" for n in READABLE["fr"]]
        sheet = archive.read("fiches-actions.csv").decode("utf-8-sig")
        funding = archive.read("financements.csv").decode("utf-8-sig")
    actions = list(csv.reader(io.StringIO(sheet, newline=""), delimiter=";"))
    assert actions[0] == ["Plan", "Défi", "N°", "Titre", "Statut", "Avancement (%)", "Pilotes", "Villes", "Échéance"]
    conn = sqlite3.connect(demo_db.path)
    code, title, status, pilot, town = conn.execute(
        "SELECT c.number || '.' || a.number, a.title, a.status, p.name, t.name FROM action a "
        "JOIN challenge c ON c.id = a.challenge_id AND NOT c.transversal "
        "JOIN action_pilot ap ON ap.action_id = a.id AND ap.deleted_at IS NULL JOIN person p ON p.id = ap.person_id "
        "JOIN action_town at ON at.action_id = a.id AND at.deleted_at IS NULL JOIN town t ON t.id = at.town_id "
        "WHERE a.deleted_at IS NULL ORDER BY c.number, a.number LIMIT 1").fetchone()
    cents, funder = conn.execute("SELECT amount_cents, funder FROM funding WHERE deleted_at IS NULL "
                                 "AND amount_cents % 100 <> 0 ORDER BY id LIMIT 1").fetchone() or (None, None)
    conn.close()
    row = next(r for r in actions[1:] if r[2] == code and r[3] == title)
    from coopterm.i18n import template

    assert row[4] == template(f"action_status.{status}", "fr") != status  # in words, in French
    assert pilot in row[6].split(", ") and town in row[7].split(", ")
    lines = list(csv.reader(io.StringIO(funding, newline=""), delimiter=";"))
    assert lines[0] == ["Plan", "Année", "Financeur", "Montant (€)", "Fiche-action", "Note"]
    if cents is not None:  # an amount with cents is written with a decimal comma
        assert any(r[2] == funder and r[3] == f"{cents // 100},{cents % 100:02d}" for r in lines[1:])
    assert all("," not in r[3] or r[3].count(",") == 1 for r in lines[1:])
