"""Every test runs against files under its own tmp_path, in English unless it asks for French."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from coopterm.i18n import set_language


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Keep the user's real database and config out of reach, and the language fixed."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("COOPTERM_DB", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATION", "none")
    set_language("en")
    yield
    set_language(None)


@pytest.fixture
def db(tmp_path: Path):
    from coopterm.store import open_database

    database = open_database(tmp_path / "plan.db")
    yield database
    database.close()


@pytest.fixture
def plan(db):
    """An empty plan 2019–2021, current in ``db``."""
    from coopterm.domain.plans import set_current_plan
    from coopterm.models import Plan

    with db.write() as session:
        row = Plan(title="Plan", start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31))
        session.add(row)
        session.flush()
        set_current_plan(session, row.id)
    return row


FIXED_TIME = "2021-06-14 09:30:00.000000"
FIXED_DEVICE = "mairie-sierre"
"""The machine name history entries of the frozen demo carry (normally the laptop's hostname)."""


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo plan, built once for the whole run (0.6 s each time it is built)."""
    from coopterm.demo import create_demo_database

    set_language("en")  # as every test starts (see isolated_environment)
    try:
        return create_demo_database(tmp_path_factory.mktemp("demo-template") / "demo.db")
    finally:
        set_language(None)


def demo_copy(template: Path, target: Path) -> Path:
    """A copy of the demo file at ``target``.  It keeps the template's copy identity, so its
    history reads "this copy" as a new demo's does; tests are never merged with each other."""
    import shutil

    shutil.copyfile(template, target)
    return target


@pytest.fixture
def demo_db(tmp_path, demo_template):
    """A fresh copy of the demo plan."""
    from coopterm.store import open_database

    with open_database(demo_copy(demo_template, tmp_path / "demo.db")) as database:
        yield database


@pytest.fixture
def frozen_demo_db(tmp_path, demo_template):
    """The demo with every row created and changed at one fixed time, for snapshots."""
    import sqlite3

    from coopterm.store import open_database

    path = demo_copy(demo_template, tmp_path / "demo.db")
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT IN ('meta', 'alembic_version', 'history') AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        conn.execute(f"UPDATE {table} SET created_at = ?, updated_at = ?", (FIXED_TIME, FIXED_TIME))
    conn.execute("UPDATE history SET at = ?, device = ?", (FIXED_TIME, FIXED_DEVICE))
    conn.commit()
    conn.close()
    with open_database(path) as database:
        yield database


@pytest.fixture
def utc_clock():
    """Local time is UTC while the test runs, so shown times do not depend on the machine."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL cluster for the whole run (see tests/postgres.py); never mocked."""
    from tests.postgres import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def pg_database(postgres_server) -> str:
    """A fresh, empty database on that server, for one test; its name."""
    return postgres_server.new_database()
