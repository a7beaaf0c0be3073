"""Start-up as a person meets it: the gauges from the figures kept in the file before the
file is open, no key lost meanwhile, and never figures that no longer hold shown as live."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading
from fractions import Fraction

import pytest

from coopterm.domain.figures import GaugeFigures, figures_document, start_figures, status_until
from coopterm.store import open_database
from coopterm.store.summary import FIGURES_KEY, read_figures
from coopterm.ui.screens.actions import ActionsScreen
from coopterm.ui.screens.dashboard import DashboardScreen
from coopterm.ui.widgets.dashboard_panels import LatestChanges, StatusCounts
from coopterm.ui.widgets.gauge import IndicatorGauge
from coopterm.vocabulary import ActionStatus, IndicatorStatus
from coopterm.workspace import Workspace
from coopterm.workspace.figures import keep_figures, read_start_figures
from tests.helpers import SIZE, TODAY, make_app, settle


@pytest.fixture
def demo_path(tmp_path):
    from coopterm.demo import create_demo_database

    return create_demo_database(tmp_path / "demo.db")


def held_opener(path):
    """An opener that waits for ``release`` (a file on a slow USB key)."""
    release = threading.Event()

    def opener():
        assert release.wait(10)
        return open_database(path, create=False, verify=False)

    return opener, release


async def run_once(path, tmp_path) -> None:
    """Open the app on ``path``, let it show the live figures, close it (which keeps them)."""
    app = make_app(None, tmp_path, opener=lambda: open_database(path, create=False, verify=False), path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.dashboard_data is not None


def kept(path) -> dict | None:
    with open_database(path, create=False, verify=False) as db, db.read() as session:
        from coopterm.models import Meta

        row = session.get(Meta, FIGURES_KEY)
        return None if row is None else {"text": row.value}


# --- the figures kept in the file ---------------------------------------------------------


async def test_closing_the_app_keeps_its_figures_and_the_next_start_shows_them_before_the_file_opens(
        demo_path, tmp_path):
    assert read_start_figures(demo_path, TODAY) is None  # a new file: nothing kept yet
    await run_once(demo_path, tmp_path)
    figures = read_start_figures(demo_path, TODAY)
    assert figures is not None
    assert [g.key for g in figures.gauges][:4] == ["completion_rate", "satisfaction_rate", "multilateral_share",
                                                   "new_projects"]
    assert figures.gauges[0].value == Fraction(800, 11)  # exact, as the live figure: "72,7 %"

    opener, release = held_opener(demo_path)
    app = make_app(None, tmp_path, opener=opener, path=demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.db is None and isinstance(app.screen, DashboardScreen)
        gauges = list(app.screen.query(IndicatorGauge))
        assert [g.result.key for g in gauges] == [g.key for g in figures.gauges]
        assert "72.7% / 90%" in str(gauges[0].render())
        assert app.screen.query_one(StatusCounts).counts[ActionStatus.DONE] == 8
        assert app.screen.query_one(LatestChanges).waiting  # says nothing rather than "no change"
        release.set()
        await settle(pilot, app)
        live = [g.result for g in app.screen.query(IndicatorGauge)]
        assert all(not isinstance(result, GaugeFigures) for result in live)  # replaced by the live ones
        assert [r.value for r in live] == [g.value for g in figures.gauges]
        assert not app.screen.query_one(LatestChanges).waiting


async def test_without_figures_the_start_waits_for_the_file_as_before(demo_path, tmp_path):
    opener, release = held_opener(demo_path)
    app = make_app(None, tmp_path, opener=opener, path=demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not list(app.screen.query(IndicatorGauge))
        assert app.screen.query_one(StatusCounts).waiting
        release.set()
        await settle(pilot, app)
        assert len(list(app.screen.query(IndicatorGauge))) >= 4


async def test_a_write_after_the_figures_were_kept_makes_them_stale(demo_path, tmp_path):
    from coopterm.domain.plans import current_plan

    await run_once(demo_path, tmp_path)
    assert read_start_figures(demo_path, TODAY) is not None
    with open_database(demo_path, create=False, verify=False) as db:
        plan = Workspace(db).plans.current()
        Workspace(db).plans.update(plan.id, {**Workspace(db).plans.form(plan.id), "title": "Renamed"})
        assert db.read  # the write above went through Database.write()
        with db.read() as session:
            assert current_plan(session).title == "Renamed"
    assert read_figures(demo_path) is None
    assert read_start_figures(demo_path, TODAY) is None


def test_a_merge_makes_the_figures_stale(demo_path, tmp_path):
    """A merge writes in a transaction of its own, not through ``Database.write``: it counts too."""
    from coopterm.store import export_copy

    with open_database(demo_path, create=False, verify=False) as db:
        space = Workspace(db)
        copy = tmp_path / "field.db"
        export_copy(db, copy, force=False)
        data = space.plans.dashboard(space.plans.current().id, TODAY)
        assert keep_figures(space, data)
    assert read_figures(demo_path) is not None
    with open_database(copy, create=False, verify=False) as field:
        space = Workspace(field)
        plan = space.plans.current()
        space.plans.update(plan.id, {**space.plans.form(plan.id), "title": "Changed in the field"})
    with open_database(demo_path, create=False, verify=False) as db:
        assert Workspace(db).merge(copy, dry_run=False).changes > 0
    assert read_figures(demo_path) is None


def test_figures_read_while_another_write_happened_are_not_kept(demo_path):
    with open_database(demo_path, create=False, verify=False) as db:
        space = Workspace(db)
        plan = space.plans.current()
        data = space.plans.dashboard(plan.id, TODAY)
        space.plans.update(plan.id, {**space.plans.form(plan.id), "title": "Renamed meanwhile"})
        assert not keep_figures(space, data)
    assert read_figures(demo_path) is None


def test_figures_taken_at_another_schema_revision_are_not_read(demo_path):
    import sqlite3

    with open_database(demo_path, create=False, verify=False) as db:
        space = Workspace(db)
        assert keep_figures(space, space.plans.dashboard(space.plans.current().id, TODAY))
    conn = sqlite3.connect(demo_path, isolation_level=None)
    conn.execute("UPDATE meta SET value = json_set(value, '$.revision', '0001') WHERE key = ?", (FIGURES_KEY,))
    conn.close()
    assert read_figures(demo_path) is None


def test_reading_the_figures_imports_no_sqlalchemy(demo_path):
    """The start path reads the figures and builds the app before SQLAlchemy is loaded."""
    with open_database(demo_path, create=False, verify=False) as db:
        space = Workspace(db)
        assert keep_figures(space, space.plans.dashboard(space.plans.current().id, TODAY))
    probe = textwrap.dedent(f"""
        import datetime as dt, sys
        from pathlib import Path
        from coopterm.workspace.figures import read_start_figures
        import coopterm.cli, coopterm.ui.app
        from coopterm.ui.widgets.gauge import bar_fill, value_text
        figures = read_start_figures(Path({str(demo_path)!r}), dt.date({TODAY.year}, {TODAY.month}, {TODAY.day}))
        assert figures is not None
        print(value_text(figures.gauges[0]), bar_fill(figures.gauges[0]))
        assert "sqlalchemy" not in sys.modules, "sqlalchemy imported"
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


# --- the status of a gauge holds for the days the figures say ----------------------------


def test_the_days_a_status_holds_are_found_by_the_indicators_rule(demo_path):
    """An indicator on track today turns at risk on some later day: the figures hold until
    the day before, found by the same rule that judges the live gauge."""
    from dataclasses import replace

    from coopterm.domain.indicators import TRAJECTORIES, indicator_status

    with open_database(demo_path, create=False, verify=False) as db:
        space = Workspace(db)
        data = space.plans.dashboard(space.plans.current().id, dt.date(2019, 1, 15))
    result = next(r for r in data.indicators if r.key == "completion_rate")
    result = replace(result, value=Fraction(30), target=90.0, status=IndicatorStatus.ON_TRACK)
    data = replace(data, indicators=[result], manual=[])
    until = status_until(result, data)
    assert until is not None and data.today <= until < data.end

    def judged(day):
        return indicator_status(result.value, result.target, TRAJECTORIES[result.key], data.start, data.end, day)

    assert judged(until) is IndicatorStatus.ON_TRACK
    assert judged(until + dt.timedelta(days=1)) is IndicatorStatus.AT_RISK
    document = {**figures_document(data), "revision": "0008"}
    assert start_figures(document, until) is not None
    assert start_figures(document, until + dt.timedelta(days=1)) is None  # judged anew by the live gauges
    assert start_figures(document, data.today - dt.timedelta(days=1)) is None


# --- keys typed during start-up -------------------------------------------------------------


async def test_keys_typed_before_the_file_is_open_all_take_effect_in_order(demo_path, tmp_path):
    """``3``, then ``/`` and a filter typed at once: the actions screen opens, filtered."""
    opener, release = held_opener(demo_path)
    app = make_app(None, tmp_path, opener=opener, path=demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "slash", *"forum")
        await pilot.pause()
        assert app.db is None and isinstance(app.screen, DashboardScreen)
        release.set()
        await settle(pilot, app)
        for _ in range(50):
            if isinstance(app.screen, ActionsScreen) and app.screen.table.row_count == 1:
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ActionsScreen)
        assert app.screen.table.row_count == 1 and app.screen.table.get_row(0).code == "T.3"
