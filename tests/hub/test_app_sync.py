"""Syncing from the app: a file with a hub syncs by itself once the screens are ready, the
header says when and how many changes wait, the palette syncs on demand (asking for the hub
the first time), and a hub out of reach leaves the app working offline, saying so."""

from __future__ import annotations

import pytest

from coopterm.store.hub import init_hub
from coopterm.store.sync import sync
from tests.helpers import make_app, settle
from tests.hub.test_sync import retitle


async def wait_for_sync(pilot, app) -> None:
    for _ in range(100):
        await settle(pilot, app)
        if not app.hub_sync.running:
            return
        await pilot.pause(0.05)
    raise AssertionError("the sync did not end")


@pytest.fixture
def hub_url(postgres_server, pg_database):
    url = postgres_server.libpq_url(pg_database)
    init_hub(url)
    return url


async def test_a_file_with_a_hub_syncs_by_itself_and_the_header_counts_what_waits(hub_url, demo_db, tmp_path):
    sync(demo_db, hub_url)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_sync(pilot, app)
        assert "hub: synced" in app.sub_title and "0 changes waiting" in app.sub_title
        retitle(demo_db, 0, "Changé dans l'app")
        app.check_external_changes()
        await settle(pilot, app)
        assert "1 change waiting" in app.sub_title
        app.hub_sync.ask()  # the palette's "Sync with the hub"
        await wait_for_sync(pilot, app)
        assert "0 changes waiting" in app.sub_title


async def test_the_first_sync_from_the_palette_asks_for_the_hub(hub_url, demo_db, tmp_path):
    from coopterm.ui.screens.hub_prompt import HubPrompt

    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert "hub" not in app.sub_title  # no hub yet: nothing said
        app.hub_sync.ask()
        await settle(pilot, app)
        assert isinstance(app.screen, HubPrompt)
        await pilot.press(*"sqlite:///x.db", "enter")  # not a hub's address: said beside the field
        await settle(pilot, app)
        assert isinstance(app.screen, HubPrompt)
        assert "PostgreSQL" in str(app.screen.query_one("#hub-error").render())
        field = app.screen.query_one("#hub-input")
        field.value = hub_url
        await pilot.press("enter")
        await wait_for_sync(pilot, app)
        assert "hub: synced" in app.sub_title
    assert sync(demo_db).sent == 0  # everything went on that first sync


async def test_a_hub_out_of_reach_leaves_the_app_working_offline(hub_url, demo_db, tmp_path, postgres_server):
    sync(demo_db, hub_url)
    from coopterm.store.sync import _write_meta

    _write_meta(demo_db, {"hub_url": "postgresql://nobody@127.0.0.1:1/plan"})  # a hub that is not there
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_sync(pilot, app)
        assert "hub unreachable since" in app.sub_title and "working offline" in app.sub_title
        await pilot.press("3")
        await settle(pilot, app)
        assert app.screen.__class__.__name__ == "ActionsScreen"  # the app goes on
