"""The first app: it opens a database and shows the current plan."""

import datetime as dt

from textual.widgets import Static

from coopterm.ui.app import CooptermApp


async def test_app_shows_the_demo_plan(tmp_path):
    from coopterm.demo import create_demo_database
    from coopterm.store import open_database

    path = create_demo_database(tmp_path / "demo.db")
    with open_database(path) as db:
        app = CooptermApp(db, today=dt.date(2026, 1, 1))
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            title = str(app.query_one("#plan-title", Static).render())
            assert "Plan d'action multilatéral" in title
            indicators = str(app.query_one("#indicators", Static).render())
            assert "Satisfaction des participants" in indicators or app.query_one("#indicators")
            challenges = str(app.query_one("#challenges", Static).render())
            assert "FAIRE VIVRE LA PÉPINIÈRE" in challenges and "T  Assurer la coordination" in challenges
            await pilot.press("q")
        assert app.return_code == 0


async def test_app_on_an_empty_database_says_there_is_no_plan(db):
    app = CooptermApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "no plan" in str(app.query_one("#plan-title", Static).render())
