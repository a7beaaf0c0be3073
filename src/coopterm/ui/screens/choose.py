"""Pick one value from a list with a filter: used by the quick filters."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from coopterm.i18n import t
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal
from coopterm.ui.widgets.picker import Picker


class ChooseScreen(TranslatedBindings, ModalScreen[object]):
    """Dismisses with the chosen value, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="choose.cancel")]

    def __init__(self, title: str, choices: Sequence[tuple[object, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Literal(self.title_text, classes="dialog-title")
            yield Picker(self.choices, selected=(), multiple=False)
            yield Literal(t("choose.hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Picker).focus()

    def on_picker_changed(self, event: Picker.Changed) -> None:
        value = list(self.query_one(Picker).value)
        if value:
            self.dismiss(value[0])

    def action_cancel(self) -> None:
        self.dismiss(None)
