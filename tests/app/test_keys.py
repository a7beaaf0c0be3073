"""Keys as data: every binding has an id, labels follow the language, users remap keys in config.toml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coopterm.config import Config, load_config, save_config
from coopterm.i18n import set_language, t
from coopterm.ui.app import CooptermApp
from coopterm.ui.keys import binding_classes, check_keymap, declared, key_display, normalize_keys
from coopterm.ui.screens.actions import ActionsScreen
from coopterm.ui.screens.challenges import ChallengesScreen
from coopterm.ui.screens.keys_help import KeysScreen
from tests.helpers import SIZE, TODAY, settle

SRC = Path(__file__).resolve().parents[2] / "src" / "coopterm"
README = Path(__file__).resolve().parents[2] / "README.md"
ID = re.compile(r"^[a-z_]+\.[a-z_]+$")


class RecordingApp(CooptermApp):
    """The app, keeping every message it shows."""

    def __init__(self, *args, **kwargs) -> None:
        self.said: list[tuple[str, str]] = []
        super().__init__(*args, **kwargs)

    def notify(self, message: str, *, severity="information", **kwargs) -> None:
        self.said.append((message, severity))
        super().notify(message, severity=severity, **kwargs)


def remapped_app(db, tmp_path, keys: dict[str, object]) -> RecordingApp:
    return RecordingApp(db, today=TODAY, config=Config(path=tmp_path / "config.toml", keys=keys))


def warnings(app: RecordingApp) -> list[str]:
    return [message for message, severity in app.said if severity == "warning"]


# --- ids ---------------------------------------------------------------------------------------


def test_every_binding_has_a_unique_dotted_id():
    bindings = declared(binding_classes())
    assert len(bindings) > 60
    missing = [f"{cls.__name__}: {b.key}" for cls, b in bindings if not b.id]
    assert missing == []
    ids = [b.id for _cls, b in bindings]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert all(ID.match(i) for i in ids), [i for i in ids if not ID.match(i)]
    assert {"app.show_actions", "app.help", "app.quit", "actions.filter", "form.save"} <= set(ids)


def test_readme_lists_every_binding_id():
    """The README's table of ids is kept in step with the code."""
    text = README.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", text, re.M))
    ids = {b.id for _cls, b in declared(binding_classes())}
    assert listed == ids, (sorted(ids - listed), sorted(listed - ids))


def test_no_private_textual_bindings_in_src():
    """Labels and keys go through Textual's public API only (no ``node._bindings``, no ``_keymap``)."""
    private = re.compile(r"\._bindings\b|\b_merged_bindings\b|\._keymap\b|_merge_bindings\b")
    offenders = [f"{path.relative_to(SRC)}:{number}"
                 for path in SRC.rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if private.search(line)]
    assert offenders == []


# --- labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "filter_label", "quit_label"),
                         [("fr", "Filtrer", "Quitter"), ("en", "Filter", "Quit")])
async def test_footer_and_help_labels_follow_the_language(demo_db, tmp_path, lang, filter_label, quit_label):
    set_language(lang)
    app = remapped_app(demo_db, tmp_path, {})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        shown = {key: active.binding.description for key, active in app.screen.active_bindings.items()}
        assert shown["slash"] == filter_label and shown["q"] == quit_label
        assert not any(label.startswith("key.") for label in shown.values())
        await pilot.press("question_mark")
        await pilot.pause()
        described = dict(app.screen.rows)
        assert described["/"] == filter_label and described["q"] == quit_label
        assert described["Ctrl+P"] == t("key.palette")


# --- remapping in the app ------------------------------------------------------------------------


async def test_a_remap_moves_the_key_in_the_app_and_in_the_help(demo_db, tmp_path):
    app = remapped_app(demo_db, tmp_path, {"actions.filter": "f", "app.show_actions": ["a", "3"]})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert warnings(app) == []
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, ActionsScreen)
        await pilot.press("slash")  # no longer the filter's key
        await pilot.pause()
        assert app.focused is None or app.focused.id != "filter-input"
        await pilot.press("f")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "filter-input"
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        described = dict(app.screen.rows)
        assert described["f"] == "Filter" and "/" not in described
        assert described["a"] == described["3"] == "Actions"
        shown = {key: active.binding.description for key, active in app.screen.active_bindings.items()}
        assert "question_mark" in shown  # the help still closes with ?


async def test_bad_entries_are_said_and_the_others_still_apply(demo_db, tmp_path):
    app = remapped_app(demo_db, tmp_path, {
        "actions.nothing": "x",            # no such id
        "actions.sort": "ctrl+nokey",     # a key Textual never sends
        "actions.edit": "n",               # n is already "new" on that screen
        "app.show_challenges": "g",        # fine
        "actions.history": 7,              # not a key at all
    })
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        said = warnings(app)
        assert said == [
            t("config.key_unknown", id="actions.nothing", key="x"),
            t("config.key_unreadable", id="actions.sort", key="ctrl+nokey"),
            t("config.key_unreadable", id="actions.history", key="7"),
            t("config.key_clash", id="actions.edit", key="n", other="actions.new"),
        ]
        assert "actions.nothing" in said[0] and "x" in said[0]
        await pilot.press("g")
        await settle(pilot, app)
        assert isinstance(app.screen, ChallengesScreen)
        assert app.key_remaps == {"app.show_challenges": "g"}


async def test_messages_are_in_the_users_language(demo_db, tmp_path):
    set_language("fr")
    app = remapped_app(demo_db, tmp_path, {"actions.nothing": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert warnings(app) == ["Touche non changée : aucune touche n'a l'identifiant « actions.nothing » "
                                 "(demandé : « x ») ; la liste des identifiants est dans le README."]


# --- checking the [keys] table ---------------------------------------------------------------------


def test_keys_are_read_as_textual_names_them():
    assert normalize_keys("?") == "question_mark"
    assert normalize_keys("Ctrl+S") == "ctrl+s"
    assert normalize_keys("f, F5") == "f,f5"
    assert normalize_keys(["escape", "q"]) == "escape,q"
    assert normalize_keys("plus") == "plus"
    assert normalize_keys("question_mark") == "question_mark"
    for bad in ("", "ctrl+", "ctrl+nokey", "hyperspace", "shift+shift+a", 3, ["a", 3], [], " "):
        assert normalize_keys(bad) is None, bad


def test_a_remap_to_a_freed_key_is_no_clash():
    """new moves away from n, so edit may take n: the whole table is weighed, not entry by entry."""
    keymap, problems = check_keymap({"actions.edit": "n", "actions.new": "insert"})
    assert problems == [] and keymap == {"actions.edit": "n", "actions.new": "insert"}


def test_clashes_with_the_apps_keys_and_between_remaps():
    keymap, problems = check_keymap({"actions.sort": "q", "actions.history": "z", "actions.new": "z"})
    said = [(p.kind, p.id, p.key, p.other) for p in problems]
    assert ("clash", "actions.sort", "q", "app.quit") in said
    assert ("clash", "actions.new", "z", "actions.history") in said
    assert keymap == {"actions.history": "z"}


def test_a_key_given_again_to_its_own_binding_is_fine():
    keymap, problems = check_keymap({"first_run.quit": "q", "form.save": "ctrl+s"})
    assert problems == [] and keymap == {"first_run.quit": "q", "form.save": "ctrl+s"}


def test_the_palette_key_is_taken():
    _keymap, problems = check_keymap({"actions.filter": "ctrl+p"})
    assert [(p.kind, p.key) for p in problems] == [("clash", key_display("ctrl+p"))]


# --- config.toml ---------------------------------------------------------------------------------


def test_config_reads_the_keys_table(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('lang = "fr"\n\n[keys]\n"actions.filter" = "f"\napp.quit = ["q", "ctrl+x"]\n', encoding="utf-8")
    config = load_config(path)
    assert config.problem is None and config.lang == "fr"
    assert config.keys == {"actions.filter": "f", "app.quit": ["q", "ctrl+x"]}


def test_config_without_keys_has_an_empty_table(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n', encoding="utf-8")
    assert load_config(path).keys == {}


def test_keys_survive_a_saved_theme(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"actions.filter" = "f"\n"app.quit" = ["q", "ctrl+x"]\n"odd.entry" = "ctrl+nokey"\n',
                    encoding="utf-8")
    config = load_config(path)
    assert save_config(config.with_changes(theme="nord"))
    again = load_config(path)
    assert again.theme == "nord"
    assert again.keys == {"actions.filter": "f", "app.quit": ["q", "ctrl+x"], "odd.entry": "ctrl+nokey"}


def test_keys_that_cannot_be_written_back_keep_the_file(tmp_path):
    path = tmp_path / "config.toml"
    original = '[keys]\n"actions.history" = 7\n"actions.filter" = "f"\n'
    path.write_text(original, encoding="utf-8")
    config = load_config(path)
    assert config.problem is None and config.keys == {"actions.history": 7, "actions.filter": "f"}
    assert not save_config(config.with_changes(theme="nord"))
    assert path.read_text(encoding="utf-8") == original


def test_keys_that_are_not_a_table_are_a_problem_and_the_file_is_kept(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('keys = "f"\n', encoding="utf-8")
    config = load_config(path)
    assert config.problem == "keys" and not config.writable
    assert not save_config(config.with_changes(theme="nord"))
    assert path.read_text(encoding="utf-8") == 'keys = "f"\n'
