"""Tab in a path prompt completes the path as a shell does (issue 14, "Files from the app")."""

from __future__ import annotations

from coopterm.ui.screens.path_prompt import PathPrompt, complete_path
from tests.app.test_app_merge import open_import
from tests.helpers import SIZE, make_app, settle


def test_one_match_is_completed_and_a_folder_gets_its_slash(tmp_path):
    (tmp_path / "USB").mkdir()
    (tmp_path / "USB" / "copie-sierre.db").write_bytes(b"")
    assert complete_path(f"{tmp_path}/US") == (f"{tmp_path}/USB/", [])
    assert complete_path(f"{tmp_path}/usb") == (f"{tmp_path}/USB/", [])  # case aside when nothing else matches
    assert complete_path(f"{tmp_path}/USB/co") == (f"{tmp_path}/USB/copie-sierre.db", [])


def test_several_matches_complete_what_they_share_and_are_listed(tmp_path):
    for name in ("copie-sierre.db", "copie-monastir.db", "plan.db"):
        (tmp_path / name).write_bytes(b"")
    assert complete_path(f"{tmp_path}/c") == (f"{tmp_path}/copie-", ["copie-monastir.db", "copie-sierre.db"])


def test_nothing_to_complete_leaves_the_text_as_it_is(tmp_path):
    assert complete_path(f"{tmp_path}/zzz") == (f"{tmp_path}/zzz", [])
    assert complete_path(f"{tmp_path}/missing-folder/x") == (f"{tmp_path}/missing-folder/x", [])


async def test_tab_in_the_import_prompt_completes_and_lists(demo_db, tmp_path):
    folder = tmp_path / "cle-usb"
    folder.mkdir()
    for name in ("copie-sierre.db", "copie-monastir.db"):
        (folder / name).write_bytes(b"")
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        prompt = await open_import(pilot, app)
        field = prompt.query_one("#path-input")
        field.value = f"{tmp_path}/cle"
        await pilot.press("tab")
        await settle(pilot, app)
        assert field.value == f"{folder}/" and app.screen is prompt and field.has_focus
        await pilot.press("c", "tab")
        await settle(pilot, app)
        assert field.value == f"{folder}/copie-"
        shown = str(prompt.query_one("#path-error").render())
        assert "copie-monastir.db" in shown and "copie-sierre.db" in shown
        await pilot.press("s", "tab")
        await settle(pilot, app)
        assert field.value == f"{folder}/copie-sierre.db"
        assert isinstance(app.screen, PathPrompt)
