"""Make the SVG screenshots shown in README.md from a fresh demo plan.

Run from the repository root: ``python screenshots/make_screenshots.py``.
The date is fixed so that the pictures only change when the app does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2021, 6, 15)
SIZE = (100, 32)


async def shoot(lang: str, name: str) -> Path:
    from coopterm.demo import create_demo_database
    from coopterm.i18n import set_language
    from coopterm.store import open_database
    from coopterm.ui.app import CooptermApp

    set_language(lang)
    with tempfile.TemporaryDirectory() as folder:
        path = create_demo_database(Path(folder) / "demo.db")
        with open_database(path) as db:
            app = CooptermApp(db, today=TODAY)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                app.sub_title = "demo.db"
                await pilot.pause()
                target = app.save_screenshot(filename=name, path=str(HERE))
    return Path(target)


def main() -> None:
    os.environ.setdefault("TEXTUAL_ANIMATION", "none")
    for lang in ("en", "fr"):
        print(asyncio.run(shoot(lang, f"plan-{lang}.svg")))


if __name__ == "__main__":
    main()
