"""Picker: filter without caring about accents, toggle, keep the order of choice."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from coopterm.folding import fold
from coopterm.i18n import set_language
from coopterm.ui.widgets import Picker, normalize

PEOPLE = [
    (1, "Leïla Benabdelghani"),
    (2, "Jean-Marc Dupont"),
    (3, "Agnieszka Żółkowska"),
    (4, "Hery Rakotomalala"),
    (5, "Émilie Rochas"),
    (6, "Sami Ben Salah"),
]
TOWNS = [("kat", "Katowice"), ("mon", "Monastir"), ("sie", "Sierre"), ("tam", "Tamatave"), ("ste", "Saint-Étienne")]


class PickerApp(App[None]):
    def __init__(self, choices=PEOPLE, selected=(), multiple=True) -> None:
        super().__init__()
        self.args = (choices, selected, multiple)
        self.changes: list[list] = []

    def compose(self) -> ComposeResult:
        choices, selected, multiple = self.args
        yield Picker(choices, selected, multiple=multiple)

    def on_picker_changed(self, message: Picker.Changed) -> None:
        self.changes.append(message.value)


def summary(picker: Picker) -> str:
    return str(picker.query_one(".picker--selection", Static).render())


def test_the_picker_folds_by_the_one_matching_rule():
    assert normalize is fold
    assert fold("Leïla BENABDELGHANI") == "leila benabdelghani"
    assert fold("Żółkowska") == "zolkowska"
    assert fold("Œuvre d’Émilie") == "oeuvre d'emilie"


async def test_typing_filters_without_caring_about_accents():
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(Picker)
        picker.focus()
        await pilot.pause()
        assert isinstance(app.focused, Input)
        height = picker.region.height
        await pilot.press(*"leila")
        assert picker.visible_ids == [1]
        await pilot.pause()
        assert picker.region.height == height  # filtering does not make the form below jump
        await pilot.press(*["backspace"] * 5, *"EMILIE")
        assert picker.visible_ids == [5]
        await pilot.press(*["backspace"] * 6, *"ben sa")  # every word must match, in any order
        assert picker.visible_ids == [6]
        await pilot.press(*["backspace"] * 6, *"zolk")
        assert picker.visible_ids == [3]
        await pilot.press("x")
        assert picker.visible_ids == []
        assert "zolkx" in str(picker.query_one(OptionList).get_option_at_index(0).prompt)


async def test_toggling_keeps_the_order_of_choice():
    app = PickerApp(selected=[4, 2])
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(Picker)
        assert picker.value == [4, 2]
        assert "1. Hery Rakotomalala, 2. Jean-Marc Dupont" in summary(picker)
        picker.focus()
        await pilot.press("tab")  # from the filter to the list
        assert isinstance(app.focused, OptionList)
        await pilot.press("space")  # first item, Leïla: chosen last
        assert picker.value == [4, 2, 1]
        await pilot.press("down", "enter")  # Jean-Marc: given up
        assert picker.value == [4, 1]
        await pilot.press("down", "space")  # Agnieszka
        assert picker.value == [4, 1, 3]
        assert app.changes == [[4, 2, 1], [4, 1], [4, 1, 3]]
        assert "1. Hery Rakotomalala, 2. Leïla Benabdelghani, 3. Agnieszka Żółkowska" in summary(picker)
        # the list shows each chosen item's rank
        prompts = [str(o.prompt) for o in picker.query_one(OptionList).options]
        assert prompts[0].startswith("[2]") and prompts[3].startswith("[1]") and prompts[1].startswith("[ ]")


async def test_a_letter_typed_in_the_list_goes_to_the_filter_and_enter_there_toggles():
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(Picker)
        picker.query_one(OptionList).focus()
        await pilot.pause()
        await pilot.press("s", "a", "m")
        assert isinstance(app.focused, Input)
        assert picker.filter_text == "sam" and picker.visible_ids == [6]
        await pilot.press("enter")
        assert picker.value == [6]
        await pilot.press("tab", "backspace")  # backspace in the list edits the filter too
        assert isinstance(app.focused, Input) and picker.filter_text == "sa"
        await pilot.press("backspace")
        assert picker.visible_ids == [3, 5, 6]  # the highlight stays on Sami
        await pilot.press("up", "enter")  # up and down in the filter move in the list
        assert picker.value == [6, 5]


async def test_single_choice_replaces_the_previous_one():
    app = PickerApp(TOWNS, selected=["mon", "sie"], multiple=False)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(Picker)
        assert picker.value == ["mon"]
        picker.focus()
        await pilot.press(*"etienne", "enter")
        assert picker.value == ["ste"]
        await pilot.press("enter")
        assert picker.value == []
        assert app.changes == [["ste"], []]


async def test_unknown_ids_are_ignored_and_french_texts_are_shown():
    set_language("fr")
    app = PickerApp(TOWNS, selected=["xxx", "tam", "tam"])
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(Picker)
        await pilot.pause()
        assert picker.value == ["tam"]
        assert summary(picker) == "Sélection : Tamatave"
        picker.toggle("tam")
        await pilot.pause()
        assert summary(picker) == "Sélection : aucune"
        assert picker.query_one(Input).placeholder == "Filtrer…"


class Form(ModalScreen[None]):
    DEFAULT_CSS = """
    Form { align: center middle; }
    Form > Vertical { width: 70; height: auto; max-height: 20; border: round $primary; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Pilotes")
            yield Picker([(i, f"Personne n° {i}") for i in range(200)], [150, 3])


async def test_a_long_list_stays_inside_a_modal_at_80x24():
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(Form())
        await pilot.pause()
        picker = app.screen.query_one(Picker)
        options = picker.query_one(OptionList)
        assert picker.region.height <= 18
        assert options.region.height < 20 and options.max_scroll_y > 0
        picker.focus()
        await pilot.press("tab", "end", "space")
        assert picker.value == [150, 3, 199]
        assert options.scroll_offset.y > 0


async def test_a_long_list_draws_the_first_options_and_says_how_many_more():
    """20,000 people would cost tens of MB as options; the filter reaches any of them."""
    from coopterm.ui.widgets.picker import SHOWN_MAX

    set_language("en")
    many = [(i, f"Pilote {i:05d}") for i in range(SHOWN_MAX + 300)]
    app = PickerApp(choices=many)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(Picker)
        options = picker.query_one(OptionList)
        assert options.option_count == SHOWN_MAX + 1
        last = options.get_option_at_index(SHOWN_MAX)
        assert last.disabled and "300 more" in str(last.prompt)
        assert len(picker.visible_ids) == SHOWN_MAX + 300  # what matches, drawn or not
        picker.focus()
        await pilot.press(*"00450")
        await pilot.pause()
        assert picker.visible_ids == [450] and options.option_count == 1
        await pilot.press("enter")
        assert picker.value == [450]
