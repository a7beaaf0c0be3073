"""Migration 0008: plans and towns name their time zone; a file made before keeps reading
its meeting times as it did (in UTC) until someone names a zone."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlmodel import select

from coopterm.models import Meeting, Plan, Town
from coopterm.store import open_database, schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_an_older_file_gets_utc_for_its_plans_and_no_zone_for_its_towns(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0004.db", path)
    before = sqlite3.connect(path)
    starts = sorted(row[0] for row in before.execute("SELECT starts_at FROM meeting"))
    before.close()
    with open_database(path) as db:
        assert db.migrated_from == "0004"
        with db.read() as s:
            assert {p.time_zone for p in s.exec(select(Plan))} == {"UTC"}
            assert {t.time_zone for t in s.exec(select(Town))} == {""}
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert sorted(row[0] for row in raw.execute("SELECT starts_at FROM meeting")) == starts
            assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD
        with db.write() as s:  # a zone named afterwards is kept
            town = s.exec(select(Town)).first()
            town.time_zone = "Indian/Antananarivo"
            s.add(town)
        with db.read() as s:
            assert s.exec(select(Meeting)).first() is not None
            assert s.get(Town, town.id).time_zone == "Indian/Antananarivo"
