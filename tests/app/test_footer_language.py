"""At 80×24 every screen's footer keeps the screen numbers, ``?`` and ``q``; Textual's own
words (its keys' labels, key names, the palette) follow the user's language."""

from __future__ import annotations

import pytest
from textual.command import CommandInput
from textual.widgets._footer import FooterKey

from coopterm.i18n import set_language
from coopterm.ui.keys import key_display
from coopterm.ui.screens.keys_help import describe_keys
from tests.helpers import SNAPSHOT_SIZE, make_app, settle

SCREEN_NUMBERS = "1234567"
ENGLISH_OF_TEXTUAL = ("Focus Next", "Focus Previous", "Copy selected text", "Super+C", "Quit the app",
                      "equals_sign")


def footer_keys(app) -> list[tuple[str, str]]:
    """(key as shown, label) of each key the footer shows whole, left to right: inside the
    screen and clear of the palette key docked on the right (which covers what runs under it)."""
    keys = sorted(app.screen.query(FooterKey), key=lambda k: k.region.x)
    palette = [k for k in keys if k.has_class("-command-palette")]
    right = palette[0].region.x if palette else app.size.width
    return [(k.key_display, k.description) for k in keys
            if k.display and (k in palette or k.region.right <= right)]


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_footer_keeps_screen_numbers_help_and_quit_at_80x24(demo_db, tmp_path, lang):
    set_language(lang)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot, app)
        for number in SCREEN_NUMBERS:
            await pilot.press(number)
            await settle(pilot, app)
            keys = footer_keys(app)
            shown = [key for key, _label in keys]
            assert [n for n in SCREEN_NUMBERS if n in shown] == list(SCREEN_NUMBERS), (number, keys)
            assert "?" in shown and "q" in shown, (number, keys)
            if number in "236":  # list screens keep new, edit and delete
                assert {"n", "e", "Suppr" if lang == "fr" else "Del"} <= set(shown), (number, keys)


async def test_wider_terminals_give_the_screens_their_names(demo_db, tmp_path):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert ("3", "Fiches-actions") in footer_keys(app)
        await pilot.resize_terminal(100, 30)
        await settle(pilot, app)
        assert ("3", "Fiches") in footer_keys(app)  # the short name, and still every number
        assert {"1", "7", "?", "q"} <= {key for key, _label in footer_keys(app)}


async def test_keys_help_is_all_french(demo_db, tmp_path):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        rows = describe_keys(app.screen)
        text = " ".join(f"{key} {label}" for key, label in rows)
        assert not [english for english in ENGLISH_OF_TEXTUAL if english in text], text
        assert ("Tab", "Champ suivant") in rows
        assert ("Ctrl+Q", "Quitter") in rows
        assert ("=", "Avancement +10") in rows  # Textual's "equals_sign" written as the key
        assert ("Suppr", "Supprimer") in rows


def test_key_names_follow_the_language():
    set_language("fr")
    assert [key_display(k) for k in ("delete", "escape", "equals_sign", "full_stop", "ctrl+s")] == [
        "Suppr", "Échap", "=", ".", "Ctrl+S"]
    set_language("en")
    assert [key_display(k) for k in ("delete", "escape", "equals_sign")] == ["Del", "Esc", "="]


async def test_the_palette_speaks_french(demo_db, tmp_path):
    set_language("fr")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == "Chercher une commande…"
        await pilot.press("escape")
        await pilot.pause()
        app.action_change_theme()
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == "Chercher un thème…"
