"""Files from the app (issue 14): a field copy and the partners' export from the palette,
with a proposed name beside the database, and a confirmation before replacing a file."""

from __future__ import annotations

import sqlite3
import zipfile

from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.path_prompt import PathPrompt
from tests.helpers import SIZE, make_app, settle


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def run_command(pilot, app, title: str) -> None:
    await settle(pilot, app)
    command = next(c for c in app.get_system_commands(app.screen) if c.title == title)
    command.callback()
    await settle(pilot, app)


async def finish(pilot, app) -> None:
    await app.workers.wait_for_complete()
    await settle(pilot, app)


async def test_a_field_copy_from_the_palette_beside_the_database(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, app, "Export a field copy…")
        prompt = app.screen
        assert isinstance(prompt, PathPrompt)
        proposed = prompt.query_one("#path-input").value
        assert proposed == str(demo_db.path.with_name(f"{demo_db.path.stem}-copy-{app.today.isoformat()}.db"))
        await pilot.press("enter")
        await finish(pilot, app)
        assert any("checked and complete" in m for m in notifications(app)), notifications(app)
        conn = sqlite3.connect(proposed)
        try:
            assert conn.execute("SELECT count(*) FROM action").fetchone()[0] > 0
        finally:
            conn.close()
        # Again: the file exists, so coopterm asks before replacing it.
        await run_command(pilot, app, "Export a field copy…")
        await pilot.press("enter")
        await finish(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, (ConfirmScreen, PathPrompt))


async def test_the_partners_export_follows_the_name_typed(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, app, "Export for partners…")
        field = app.screen.query_one("#path-input")
        assert field.value.startswith(str(demo_db.path.parent / "partners-"))
        field.value = str(tmp_path / "pour-le-financeur.txt")
        await pilot.press("enter")
        await finish(pilot, app)
        assert any(".xlsx, .zip (csv files) or .json" in m for m in notifications(app))
        assert not (tmp_path / "pour-le-financeur.txt").exists()
        await run_command(pilot, app, "Export for partners…")
        app.screen.query_one("#path-input").value = str(tmp_path / "pour-le-financeur.zip")
        await pilot.press("enter")
        await finish(pilot, app)
        with zipfile.ZipFile(tmp_path / "pour-le-financeur.zip") as archive:
            assert "actions.csv" in archive.namelist() and "action.csv" in archive.namelist()
        assert any("pour-le-financeur.zip (csv)" in m for m in notifications(app))
