"""The command line end to end, in a subprocess, as a user or a script runs it."""

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coopterm import __version__

SCRIPT = Path(sys.executable).with_name("coopterm")


def run(*args: str, env: dict | None = None, lang: str = "C.UTF-8") -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("COOPTERM_DB", "LC_ALL", "LC_MESSAGES")}
    environment["LANG"] = lang
    environment.update(env or {})
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=environment, timeout=60)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "d.db"
    result = run("demo", str(path))
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout
    return path


def test_version():
    for cmd in ([str(SCRIPT), "--version"], [sys.executable, "-m", "coopterm", "--version"]):
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0
        assert result.stdout.strip() == f"coopterm {__version__}"


def test_status_json_has_exactly_the_documented_shape(demo):
    result = run("status", "--db", str(demo), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"plan", "counts", "indicators"}
    assert doc["plan"] == {
        "title": "Plan d'action multilatéral de coopération internationale 2019-2021",
        "start": "2019-01-01",
        "end": "2021-12-31",
    }
    assert set(doc["counts"]) == {"challenges", "actions", "pilots", "towns", "meetings", "new_projects"}
    assert {k: doc["counts"][k] for k in ("challenges", "actions", "pilots", "towns")} == {
        "challenges": 4, "actions": 11, "pilots": 14, "towns": 5,
    }
    assert doc["counts"]["meetings"] > 100 and doc["counts"]["new_projects"] >= 1
    assert [i["key"] for i in doc["indicators"]] == [
        "completion_rate", "satisfaction_rate", "multilateral_share", "new_projects",
    ]
    assert [i["target"] for i in doc["indicators"]] == [90, 95, 95, None]
    assert '"target": 90,' in result.stdout  # whole numbers print as such
    for ind in doc["indicators"]:
        assert set(ind) == {"key", "label", "value", "target", "unit", "status"}
        assert ind["status"] in {"reached", "on_track", "at_risk", "no_data", "no_target"}
        assert ind["value"] is None or isinstance(ind["value"], (int, float))


def test_status_table_for_people(demo):
    result = run("status", "--db", str(demo))
    assert result.returncode == 0, result.stderr
    assert "Plan d'action multilatéral" in result.stdout
    assert "Participant satisfaction" in result.stdout  # the demo's rows hold French words; English names
    assert "Leads" in result.stdout


def test_status_in_french(demo):
    result = run("--lang", "fr", "status", "--db", str(demo))
    assert result.returncode == 0, result.stderr
    assert "Pilotes" in result.stdout and "Cible" in result.stdout
    french_locale = run("status", "--db", str(demo), lang="fr_FR.UTF-8")
    assert "Pilotes" in french_locale.stdout


def test_database_from_the_environment_variable(demo):
    result = run("status", "--json", env={"COOPTERM_DB": str(demo)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"]["actions"] == 11


def test_demo_refuses_an_existing_file(demo):
    before = hashlib.sha256(demo.read_bytes()).hexdigest()
    result = run("demo", str(demo))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert result.stdout == ""
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == before


def test_status_of_a_missing_database_says_how_to_make_one(tmp_path):
    result = run("status", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "no database" in result.stderr and "coopterm demo" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_status_refuses_a_text_file_and_leaves_it(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("année;montant\n2019;1200\n", encoding="utf-8")
    result = run("status", "--db", str(path))
    assert result.returncode == 1
    assert "not a coopterm database" in result.stderr
    assert path.read_text(encoding="utf-8") == "année;montant\n2019;1200\n"
    french = run("--lang", "fr", "status", "--db", str(path))
    assert "n'est pas une base coopterm" in french.stderr


def test_export_then_refuse_overwrite_then_force(demo, tmp_path):
    target = tmp_path / "partage.db"
    first = run("export", str(target), "--db", str(demo))
    assert first.returncode == 0, first.stderr
    assert target.exists()
    again = run("export", str(target), "--db", str(demo))
    assert again.returncode == 1 and "--force" in again.stderr
    forced = run("export", str(target), "--db", str(demo), "--force")
    assert forced.returncode == 0, forced.stderr
    copy = run("status", "--db", str(target), "--json")
    assert json.loads(copy.stdout)["counts"] == json.loads(run("status", "--db", str(demo), "--json").stdout)["counts"]


@pytest.mark.parametrize("name, fmt, magic", [
    ("partenaires.zip", None, b"PK"),
    ("partenaires.json", None, b"{"),
    ("partenaires.xlsx", None, b"PK"),
    ("tables.bin", "json", b"{"),
    ("copie.db", None, b"SQLite format 3"),
])
def test_export_formats_from_the_name_or_the_option(demo, tmp_path, name, fmt, magic):
    target = tmp_path / name
    result = run("--lang", "fr", "export", str(target), "--db", str(demo), *(["--format", fmt] if fmt else []))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(magic)
    assert str(target) in result.stdout


def test_export_refuses_an_unknown_format_and_a_csv_name(demo, tmp_path):
    assert run("export", str(tmp_path / "x.zip"), "--db", str(demo), "--format", "pdf").returncode == 2
    csv_name = run("export", str(tmp_path / "x.csv"), "--db", str(demo))
    assert csv_name.returncode == 1 and "x.zip" in csv_name.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_french_user_writes_csv_for_an_english_spreadsheet(demo, tmp_path):
    """--csv-dialect overrides the language's separator and decimal mark; it is refused
    (nothing written) for a format that is not csv, and an unknown dialect is refused."""
    import csv
    import io
    import zipfile

    target = tmp_path / "pour-katowice.zip"
    result = run("--lang", "fr", "export", str(target), "--db", str(demo), "--csv-dialect", "comma")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as archive:
        sheet = archive.read("financements.csv").decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(sheet, newline="")))
    assert header[:3] == ["Plan", "Année", "Financeur"]  # French words, English separators
    json_target = tmp_path / "p.json"
    refused = run("--lang", "fr", "export", str(json_target), "--db", str(demo), "--csv-dialect", "comma")
    assert refused.returncode == 1 and "--csv-dialect" in refused.stderr and not json_target.exists()
    unknown = run("export", str(tmp_path / "x.zip"), "--db", str(demo), "--csv-dialect", "tab")
    assert unknown.returncode == 2 and not (tmp_path / "x.zip").exists()


def test_report_prints_markdown_and_writes_html(demo, tmp_path):
    printed = run("--lang", "fr", "report", "--db", str(demo))
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("# Plan d'action multilatéral")
    target = tmp_path / "rapport.html"
    written = run("report", "--db", str(demo), "-o", str(target), "--lang", "en")
    assert written.returncode == 0, written.stderr
    html = target.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and 'lang="en"' in html
    refused = run("report", "--db", str(demo), "-o", str(demo))
    assert refused.returncode == 1 and refused.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["frobnicate"],
        ["status", "--json", "extra"],
        ["export"],
        ["--lang", "de", "status"],
        ["--demo", "status"],
    ],
)
def test_bad_usage_exits_2_with_a_message(args, tmp_path):
    result = run(*args, env={"COOPTERM_DB": str(tmp_path / "x.db")})
    assert result.returncode == 2
    assert "coopterm" in result.stderr and result.stdout == ""
    assert not (tmp_path / "x.db").exists()


def test_demo_app_never_touches_the_users_database(tmp_path, monkeypatch):
    """`coopterm --demo` opens a temporary demo copy, removed afterwards; the user's file is untouched."""
    from coopterm import cli

    user_db = tmp_path / "mine.db"
    user_db.write_bytes(b"not even looked at")
    monkeypatch.setenv("COOPTERM_DB", str(user_db))
    opened = []

    def fake_run_app(opener, config=None):
        with opener() as db:
            opened.append(db.path)
            with db.read() as session:
                from coopterm.domain.plans import current_plan

                assert current_plan(session).title.startswith("Plan d'action multilatéral")
        return 0

    monkeypatch.setattr(cli, "_run_app", fake_run_app)
    assert cli.main(["--demo"]) == 0
    assert len(opened) == 1 and opened[0] != user_db
    assert not opened[0].exists()
    assert user_db.read_bytes() == b"not even looked at"


def test_app_on_the_default_database_creates_its_folder(tmp_path, monkeypatch):
    from coopterm import cli
    from coopterm.store import default_database_path

    opened = []
    def fake_run_app(opener, config=None, path=None):
        with opener() as db:
            opened.append(db.path)
        return 0

    monkeypatch.setattr(cli, "_run_app", fake_run_app)
    assert cli.main([]) == 0
    assert opened == [default_database_path()]
    assert default_database_path().is_file() and str(tmp_path) in str(default_database_path())


def test_app_refuses_a_bad_file_with_status_1(tmp_path, capsys):
    from coopterm import cli

    folder = tmp_path / "plans"
    folder.mkdir()
    assert cli.main(["--db", str(folder)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_status_json_values_are_exact_and_rounded_half_up(db, plan):
    """1 done of 16 is 6.25 %, written 6.3 (not the 6.2 of ``round``); 29 satisfied of 50
    is exactly 58, reached against a target of 58 (the plan is over: no tolerance left)."""
    from coopterm.cli import status_document
    from coopterm.models import Action, Challenge, Indicator, Meeting
    from coopterm.vocabulary import ActionStatus, MeetingKind

    with db.write() as s:
        s.add(Indicator(plan_id=plan.id, key="satisfaction_rate", label="Satisfaction", unit="%", target=58,
                        computed=True))
        challenge = Challenge(plan_id=plan.id, number=1, title="D1")
        s.add(challenge)
        s.flush()
        s.add_all(Action(challenge_id=challenge.id, number=i + 1, title=f"A{i}",
                         status=ActionStatus.DONE if i == 0 else ActionStatus.PLANNED) for i in range(16))
        s.add(Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=dt.datetime(2020, 3, 1, tzinfo=dt.UTC),
                      survey_very_satisfied=20, survey_satisfied=9, survey_not_very_satisfied=21,
                      survey_not_satisfied=0))
    doc = status_document(db)
    by_key = {i["key"]: i for i in doc["indicators"]}
    assert by_key["completion_rate"]["value"] == 6.3
    assert (by_key["satisfaction_rate"]["value"], by_key["satisfaction_rate"]["target"]) == (58, 58)
    assert isinstance(by_key["satisfaction_rate"]["value"], int)
    assert by_key["satisfaction_rate"]["status"] == "reached"
    assert '"value": 58,' in json.dumps(doc)


# --- damage: found where it is read, and whole-file checks where data leaves or enters -------


def _damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with random bytes (after folding the -wal in)."""
    import random
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(random.Random(15).randbytes(size))


def test_status_reads_only_what_it_shows_and_refuses_a_damaged_page_it_touches(demo, tmp_path, capsys):
    """``status`` no longer reads every page first (``quick_check`` costs 1.6 s per GB):
    damage where it does not read leaves its figures right; export, where data leaves the
    file, still checks the whole file and refuses it; damage where status reads is
    refused in plain words, status 1, and the file left as it was."""
    import shutil

    from coopterm.cli import main

    elsewhere = shutil.copyfile(demo, tmp_path / "history-damaged.db")
    _damage_table(elsewhere, "history")
    assert main(["status", "--json", "--db", str(elsewhere)]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["actions"] > 0
    assert main(["export", str(tmp_path / "copy.db"), "--db", str(elsewhere)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and not (tmp_path / "copy.db").exists()

    read_here = shutil.copyfile(demo, tmp_path / "plan-damaged.db")
    _damage_table(read_here, "plan")  # the plan's title and period are read from its row
    before = hashlib.sha256(read_here.read_bytes()).hexdigest()
    assert main(["status", "--db", str(read_here)]) == 1
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("coopterm: ") and "damaged" in lines[0], err
    assert "Traceback" not in err and out == ""
    assert hashlib.sha256(read_here.read_bytes()).hexdigest() == before


def test_only_a_real_import_reads_the_whole_database_first(demo, tmp_path, monkeypatch, capsys):
    """Data enters the file on a real import: it is checked whole before (quick_check); a
    dry run changes nothing and does not pay that read of every page."""
    import shutil

    import coopterm.store.database as database
    from coopterm.cli import main

    checked = []
    real = database.quick_check
    monkeypatch.setattr(database, "quick_check", lambda path, *a: (checked.append(path), real(path, *a))[1])
    target = shutil.copyfile(demo, tmp_path / "plan.db")
    copy = shutil.copyfile(demo, tmp_path / "copy.db")
    assert main(["import", str(copy), "--dry-run", "--db", str(target)]) == 0
    assert checked == []
    assert main(["import", str(copy), "--db", str(target)]) == 0
    assert checked == [target]
    capsys.readouterr()
