"""The app's data door on the hub itself ("online mode"): the domain works on a HubDatabase as
on a file, writes are stamped and recorded, the hub's policies refuse in plain words, and a
change made by someone else is noticed within 2 seconds."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from coopterm.domain.actions import ActionQuery
from coopterm.domain.plans import current_plan
from coopterm.errors import CooptermError
from coopterm.models import Action, ActionPilot, History, Person
from coopterm.store.hub import grant, init_hub
from coopterm.store.online import HubDatabase
from coopterm.store.sync import sync
from coopterm.workspace import Workspace
from tests.hub.test_sync import COORDINATOR, PILOT

WITHIN_S = 2.0


@pytest.fixture
def hub(postgres_server, pg_database, demo_db):
    """A hub holding the demo (published by a laptop), a pilot's and a coordinator's logins."""
    url = postgres_server.libpq_url(pg_database)
    init_hub(url)
    sync(demo_db, url)
    logins = {"pilot": f"adel_{pg_database}", "coordinator": f"coord_{pg_database}"}
    grant(url, logins["pilot"], "pilot", person=PILOT)
    grant(url, logins["coordinator"], "coordinator", person=COORDINATOR)
    return {role: postgres_server.libpq_url(pg_database, user=login) for role, login in logins.items()}


def led_and_other(db) -> tuple[Action, Action]:
    with db.read() as s:
        adel = s.exec(select(Person).where(Person.name == PILOT)).one()
        led = set(s.exec(select(ActionPilot.action_id).where(ActionPilot.person_id == adel.id,
                                                             ActionPilot.deleted_at.is_(None))))
        actions = s.exec(select(Action).order_by(Action.id)).all()
    return next(a for a in actions if a.id in led), next(a for a in actions if a.id not in led)


def test_a_pilot_works_on_the_hub_through_the_same_door(hub, demo_db, tmp_path):
    db = HubDatabase(hub["pilot"])
    try:
        data = Workspace(db)
        with db.read() as s:
            plan = current_plan(s).id
        mine, other = led_and_other(db)
        assert data.actions.source(plan).count() == Workspace(demo_db).actions.source(plan).count() == 11
        word = mine.title.split()[0].upper()  # the accent-blind, case-blind filter, run by PostgreSQL
        assert data.actions.source(plan, ActionQuery(text=word)).count() >= 1
        data.actions.set_progress(mine.id, 55)
        with db.read() as s:
            saved = s.get(Action, mine.id)
            entry = s.exec(select(History).where(History.row_id == mine.id).order_by(History.revision.desc())).first()
        assert saved.progress == 55 and saved.changed_by == db.replica_id
        assert entry.replica_id == db.replica_id and '"progress"' in entry.changes
        with pytest.raises(CooptermError, match="does not let your login"):
            data.actions.set_progress(other.id, 55)
        with db.read() as s:
            assert s.get(Action, other.id).progress == other.progress  # nothing changed
    finally:
        db.close()
    sync(demo_db)  # and a laptop receives what was done on the hub
    with demo_db.read() as s:
        assert s.get(Action, mine.id).progress == 55


def test_a_change_made_elsewhere_is_noticed_within_two_seconds(hub, demo_db):
    coordinator, pilot = HubDatabase(hub["coordinator"]), HubDatabase(hub["pilot"])
    watcher = pilot.watcher()
    try:
        assert not watcher.changed()
        mine, _ = led_and_other(coordinator)
        with coordinator.write() as s:
            s.get(Action, mine.id).title = "Changé par la coordination"
        started = time.monotonic()
        while not watcher.changed():
            assert time.monotonic() - started < WITHIN_S, "no notification within 2 s"
            time.sleep(0.05)
        assert not watcher.changed()  # one change, one refresh
        with pilot.read() as s:
            assert s.get(Action, mine.id).title == "Changé par la coordination"
    finally:
        watcher.close()
        coordinator.close()
        pilot.close()


def test_what_only_a_file_can_do_is_refused_in_plain_words(hub):
    db = HubDatabase(hub["pilot"])
    try:
        with pytest.raises(CooptermError, match="not a file"):
            db.connect()
    finally:
        db.close()
    with pytest.raises(CooptermError, match="PostgreSQL"):
        HubDatabase("plan.db")


async def test_the_app_runs_on_the_hub_and_shows_others_changes(hub, demo_db, tmp_path):
    """Every screen opens on the hub; a pilot's key writes there; a change the coordinator
    makes meanwhile appears without a key being pressed; file-only commands say why not."""
    from tests.helpers import make_app, settle

    pilot_db, coordinator = HubDatabase(hub["pilot"]), HubDatabase(hub["coordinator"])
    mine, _ = led_and_other(coordinator)
    app = make_app(pilot_db, tmp_path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            assert app.plan_id is not None and app.dashboard_data is not None  # live figures, from the hub
            for key in "2345673":
                await pilot.press(key)
                await settle(pilot, app)
            assert app.screen.__class__.__name__ == "ActionsScreen"
            with coordinator.write() as s:
                s.get(Action, mine.id).title = "Renommée par la coordination"
            started = time.monotonic()
            table = app.screen.table
            while "Renommée par la coordination" not in {table.get_row(i).title for i in range(table.row_count)}:
                assert time.monotonic() - started < WITHIN_S + 1, "the change did not appear"
                await pilot.pause(0.1)
                await settle(pilot, app)
            with pytest.raises(CooptermError, match="not a file"):
                app.data.export_copy(tmp_path / "copie.db", force=False)
    finally:
        coordinator.close()
        pilot_db.close()
