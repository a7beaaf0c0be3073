"""Text from data stays data in every file and on the command line (issue 11).

A plan whose every text column holds one string of ``tests.hostile.CORPUS`` is
exported (csv, xlsx, json), reported (Markdown, HTML) and shown by ``coopterm
status``.  Nothing may crash; the words are there literally; no control character
reaches the terminal or a file another program opens; a spreadsheet runs nothing;
markup, HTML and Markdown in data are shown, never obeyed; and the json export keeps
the text exactly as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coopterm.text import printable
from tests.hostile import CONTROL, CORPUS, write_hostile_plan

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula (OWASP, "CSV injection")."""

TODAY = dt.date(2021, 6, 30)  # after the hostile plan's meeting and the late action's due date
SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module", params=list(CORPUS))
def hostile(request, tmp_path_factory) -> tuple[str, Path]:
    """(text, path of a database whose every text is ``text``), made once for the module:
    the tests only read it."""
    text = CORPUS[request.param]
    return text, write_hostile_plan(tmp_path_factory.mktemp(request.param) / "h.db", text)


def in_a_cell(text: str) -> str:
    """What a csv cell holding ``text`` must read: controls visible, line breaks and tabs kept,
    a formula start defused by a leading apostrophe."""
    shown = printable(text, multiline=True)
    return "'" + shown if shown.startswith(FORMULA_START) else shown


def words(text: str) -> tuple[str, str]:
    """The first and the last word of ``text`` as shown (what a reader must find)."""
    found = re.findall(r"\w+", printable(text))
    return found[0], found[-1]


# --- csv, xlsx, json ----------------------------------------------------------------------------------

def csv_tables(path: Path) -> dict[str, list[list[str]]]:
    # The readable sheets join names ("Leads": every lead of an action), so one cell can hold
    # several hostile texts: more than the csv module reads by default.
    csv.field_size_limit(16 * 1024 * 1024)
    with zipfile.ZipFile(path) as archive:
        out = {}
        for name in archive.namelist():
            raw = archive.read(name).decode("utf-8-sig")
            # the file's own line ends are CRLF (RFC 4180); nothing else may be a control
            assert not CONTROL.search(raw.replace("\r\n", "\n")), name
            if name.endswith(".csv"):
                out[name[:-4]] = list(csv.reader(io.StringIO(raw, newline="")))
        return out


def test_csv_cells_are_printable_and_never_start_a_formula(hostile, tmp_path):
    from coopterm.exports import export_tables
    from coopterm.store import open_database

    text, path = hostile
    with open_database(path) as db:
        export_tables(db, tmp_path / "h.zip", "csv")
    tables = csv_tables(tmp_path / "h.zip")
    for name, rows in tables.items():
        for row in rows[1:]:
            for cell in row:
                assert not CONTROL.search(cell), name
                assert not cell.startswith(FORMULA_START), (name, cell[:40])
    plan = tables["plan"]
    assert plan[1][plan[0].index("Title")] == in_a_cell(text)
    assert plan[1][plan[0].index("Vision")] == in_a_cell(text)


def test_xlsx_cells_are_printable_text_never_formulas(hostile, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from coopterm.exports import export_tables
    from coopterm.store import open_database

    text, path = hostile
    with open_database(path) as db:
        export_tables(db, tmp_path / "h.xlsx", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "h.xlsx")
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate)
                    if isinstance(cell.value, str):
                        assert not CONTROL.search(cell.value), (sheet.title, cell.coordinate)
                        if cell.value.startswith(FORMULA_START):
                            # text typed as text, and kept text if someone edits the cell
                            assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
        plan = book["plan"]
        header = [c.value for c in plan[1]]
        title = plan.cell(row=2, column=header.index("Title") + 1)
        shown = printable(text, multiline=True)
        if len(shown) > 32_767:  # more than a cell holds (Excel's limit): cut visibly
            shown = shown[:32_766] + "…"
        assert title.value == shown
        assert title.data_type == "s"
    finally:
        book.close()


def test_json_keeps_the_text_exactly(hostile, tmp_path):
    from coopterm.exports import export_tables
    from coopterm.store import open_database

    text, path = hostile
    with open_database(path) as db:
        export_tables(db, tmp_path / "h.json", "json")
    doc = json.loads((tmp_path / "h.json").read_text("utf-8"))
    tables = doc["tables"]
    assert tables["plan"][0]["title"] == text
    assert tables["plan"][0]["vision"] == text
    assert {t["name"] for t in tables["town"]} == {f"{text} {n}" for n in "ABC"}
    assert {a["notes"] for a in tables["action"]} == {f"{text} bis", ""}
    assert tables["decision"][0]["text"] == text


def test_a_formula_title_reads_back_from_xlsx_as_a_string(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from coopterm.exports import export_tables
    from coopterm.store import open_database

    text = CORPUS["formula"]
    with open_database(write_hostile_plan(tmp_path / "h.db", text)) as db:
        export_tables(db, tmp_path / "h.xlsx", "xlsx")
    for read_only in (False, True):
        book = openpyxl.load_workbook(tmp_path / "h.xlsx", read_only=read_only)
        values = [c.value for c in next(book["plan"].iter_rows(min_row=2, max_row=2))]
        book.close()
        assert text in values  # the very text, not a formula nor a "'"-prefixed copy
    with zipfile.ZipFile(tmp_path / "h.xlsx") as archive:
        sheets = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)


def test_csv_numbers_stay_numbers(tmp_path):
    from coopterm.exports import export_tables
    from coopterm.store import open_database

    with open_database(write_hostile_plan(tmp_path / "h.db", CORPUS["formula"])) as db:
        export_tables(db, tmp_path / "h.zip", "csv")
    funding = csv_tables(tmp_path / "h.zip")["funding"]
    row = dict(zip(funding[0], funding[1]))
    assert row["Amount (euro cents)"] == "1710000" and row["Year"] == "2020"
    assert row["Funder"] == "'" + CORPUS["formula"]


# --- the report ---------------------------------------------------------------------------------------

def report(path: Path, fmt: str, tmp_path: Path) -> str:
    from coopterm.report import write_report
    from coopterm.store import open_database

    with open_database(path) as db:
        written = write_report(db, fmt, "en", TODAY, tmp_path / f"r.{fmt}")
    return Path(written).read_text("utf-8")


def test_markdown_report_is_printable_and_inert(hostile, tmp_path):
    text, path = hostile
    md = report(path, "md", tmp_path)
    assert not CONTROL.search(md)
    assert all(word in md for word in words(text))
    assert not re.search(r"(?<!\\)<(script|img)", md)  # no raw HTML a viewer would run
    assert not re.search(r"(?<!\\)\[(/|link|@click|bold)", md)  # brackets escaped: no link, no markup
    for line in md.splitlines():
        if line.startswith("| ") and "Multilateral" in line:
            assert line.count(" | ") == 5  # six cells, whatever the label holds


def test_markdown_table_cells_hold_pipes_and_line_breaks(tmp_path):
    text = "A | B\nC\r\nD \x1b[2J fin"
    md = report(write_hostile_plan(tmp_path / "h.db", text), "md", tmp_path)
    assert r"A \| B C D ␛\[2J fin" in md
    lines = md.splitlines()
    cells = 0
    for line, after in zip(lines, [*lines[1:], ""]):
        if not line.startswith("|"):
            cells = 0
        elif after.startswith("|---"):
            cells = line.count("|")  # a table's header: our own words, no pipe inside
        else:
            assert cells and len(re.findall(r"(?<!\\)\|", line)) == cells, line  # every row as wide


def test_html_report_is_escaped_and_printable(hostile, tmp_path):
    text, path = hostile
    page = report(path, "html", tmp_path)
    assert not CONTROL.search(page)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert all(word in page for word in words(text))
    if "<script>" in text:
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# --- coopterm status ----------------------------------------------------------------------------------

def status(path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("COOPTERM_DB", "LC_ALL", "LC_MESSAGES", "FORCE_COLOR", "NO_COLOR", "TERM")}
    environment.update({"LANG": "C.UTF-8", "COLUMNS": "400", **env})
    return subprocess.run([sys.executable, "-m", "coopterm", "status", "--db", str(path)],
                          capture_output=True, text=True, encoding="utf-8", env=environment, timeout=60)


def test_status_prints_data_literally_and_no_escape(hostile):
    text, path = hostile
    result = status(path, NO_COLOR="1", TERM="dumb")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout and not CONTROL.search(result.stdout)
    shown = printable(text)
    lines = result.stdout.splitlines()
    assert lines[0] == shown  # the title, whole, on its line (even 100,000 characters)
    # The computed indicator whose row holds the text is named by its key, in the reader's language.
    assert "Completion rate of the proposed" in result.stdout


@pytest.mark.parametrize("name", ["osc_title", "csi_clear", "c1_csi", "markup_style", "brackets_draft"])
def test_status_in_colour_emits_only_its_own_styles(name, tmp_path):
    text = CORPUS[name]
    result = status(write_hostile_plan(tmp_path / "h.db", text), FORCE_COLOR="1", TERM="xterm-256color")
    assert result.returncode == 0, result.stderr
    assert "\x1b[" in result.stdout  # colour is on
    plain = SGR.sub("", result.stdout)
    assert not CONTROL.search(plain)
    assert printable(text) in plain
