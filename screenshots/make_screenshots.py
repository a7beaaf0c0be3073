"""Make the SVG screenshots shown in README.md from a fresh demo plan.

Run from the repository root: ``python screenshots/make_screenshots.py [NAME ...]``
(all of them, or only the shots named).
The date and the change times are fixed so that the pictures only change when
the app does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2021, 6, 15)
FIXED = "2021-06-14 09:30:00.000000"
SIZE = (100, 32)

# name -> keys pressed from the dashboard (a value of "150" typed in the progress
# field then ctrl+s shows a refused form)
SHOTS = {
    "dashboard": (),
    "challenges": ("2",),
    "actions": ("3",),
    "action-form-error": ("3", "e"),
    "pilots": ("4",),
    "meetings": ("5",),
    "funding": ("6",),
    "indicators": ("6", "i"),
    "plans": ("7",),
    "action-history": ("3", "h"),
    "conflicts": (),  # opened after a merge that found one, see with_conflict()
    "save-refused": ("3", "n"),  # saved while another program holds the write lock (10 s)
    "hostile-text": ("3",),  # an imported copy's title holding markup and escape sequences, see with_hostile_title()
    "sync-prompt": (),  # ctrl+p → Sync with the hub, the first time: a file address typed by mistake
}

HOSTILE_TITLE = "[Sierre] Relancer la mairie \x1b]0;pwned\x07 [/bold] [@click=app.quit]Voir[/]"


def with_hostile_title(path: Path) -> None:
    """Action 1.1 as a partner's copy might bring it: markup and a terminal escape in its title."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE action SET title = ? WHERE number = 1 AND challenge_id = "
                 "(SELECT id FROM challenge WHERE number = 1 ORDER BY id LIMIT 1)", (HOSTILE_TITLE,))
    conn.commit()
    conn.close()


def with_conflict(path: Path, folder: Path) -> None:
    """Two field copies change the same action; merging one into ``path`` records the conflict.

    The times of both versions are fixed too, so the picture does not change with the clock.
    """
    from sqlmodel import select

    from coopterm.models import Action
    from coopterm.store import export_copy, open_database
    from coopterm.store.merge import merge_copy

    with open_database(path) as db:
        export_copy(db, folder / "laptop.db")
        with db.write() as s:
            action = s.exec(select(Action).where(Action.number == 1).order_by(Action.id)).first()
            action.title, action.progress, shared = "Titre revu à Sierre", 80, action.id
        with open_database(folder / "laptop.db") as laptop, laptop.write() as s:
            s.get(Action, shared).title = "Titre revu à Monastir"
        merge_copy(db, folder / "laptop.db")
        backup = db.path.parent.glob("demo.db.backup-*")
    for leftover in backup:
        leftover.unlink()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE conflict SET created_at = ?, updated_at = ?, "
                 "kept_revision = '001623663000000' || substr(kept_revision, 16), "
                 "other_revision = '001623662400000' || substr(other_revision, 16)", (FIXED, FIXED))
    conn.execute("UPDATE history SET at = ?, device = 'mairie-sierre'", (FIXED,))
    conn.execute("UPDATE action SET updated_at = ?", (FIXED,))
    conn.commit()
    conn.close()


def demo_copy(folder: Path) -> Path:
    from coopterm.demo import create_demo_database

    path = create_demo_database(folder / "demo.db")
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT IN ('meta', 'alembic_version', 'history') AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        conn.execute(f"UPDATE {table} SET created_at = ?, updated_at = ?", (FIXED, FIXED))
    conn.execute("UPDATE history SET at = ?, device = 'mairie-sierre'", (FIXED,))
    conn.commit()
    conn.close()
    return path


async def shoot(lang: str, name: str, keys: tuple[str, ...]) -> Path:
    from coopterm.config import Config
    from coopterm.i18n import set_language
    from coopterm.store import open_database
    from coopterm.ui.app import CooptermApp

    set_language(lang)
    with tempfile.TemporaryDirectory() as folder:
        path = demo_copy(Path(folder))
        if name == "conflicts":
            with_conflict(path, Path(folder))
        if name == "hostile-text":
            with_hostile_title(path)
        here = Path.cwd()
        os.chdir(folder)  # messages name the file as "demo.db", not by a random temporary path
        with open_database(Path(path.name)) as db:
            app = CooptermApp(db, today=TODAY, config=Config(path=Path(folder) / "config.toml"))
            async with app.run_test(size=SIZE, notifications=name == "save-refused") as pilot:
                for key in ("noop", *keys):
                    if key != "noop":
                        await pilot.press(key)
                    app.sub_title = "demo.db"
                    await pilot.pause()
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                if name == "conflicts":
                    app.action_review_conflicts()
                    await pilot.pause()
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                if name == "sync-prompt":
                    app.hub_sync.ask()
                    await pilot.pause()
                    app.screen.query_one("#hub-input").value = "plan.db"
                    await pilot.press("enter")
                    await pilot.pause()
                if name == "action-form-error":
                    app.screen.query_one("#f-progress").value = "150"
                    await pilot.press("ctrl+s")
                    await pilot.pause()
                    app.screen.query_one("#f-progress").scroll_visible(animate=False)
                    await pilot.pause()
                if name == "save-refused":
                    app.screen.query_one("#f-title").value = "Atelier de Tamatave sur les marchés publics"
                    other = sqlite3.connect(path, isolation_level=None)
                    other.execute("BEGIN IMMEDIATE")
                    try:
                        await pilot.press("ctrl+s")
                    finally:
                        other.execute("ROLLBACK")
                        other.close()
                    await pilot.pause(0.5)  # the message appears once the refused save returns
                target = app.save_screenshot(filename=f"{name}-{lang}.svg", path=str(HERE))
        os.chdir(here)
    return Path(target)


def main() -> None:
    os.environ.setdefault("TEXTUAL_ANIMATION", "none")
    if len(sys.argv) == 1:
        for old in HERE.glob("*.svg"):
            old.unlink()
    only = set(sys.argv[1:])  # names of shots to make again; none given: all of them
    for lang in ("en", "fr"):
        for name, keys in SHOTS.items():
            if only and name not in only:
                continue
            print(asyncio.run(shoot(lang, name, keys)))


if __name__ == "__main__":
    main()
