"""Ask for the hub's address the first time a file syncs, and say at once what is wrong with it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from coopterm.errors import CooptermError
from coopterm.i18n import t
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal


class HubPrompt(TranslatedBindings, ModalScreen["str | None"]):
    """Dismisses with the address when enter is pressed on a well-formed one, None on escape.
    Whether the hub answers is for the sync to find out."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="hub_prompt.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="hub-prompt"):
            yield Literal(t("hub_prompt.title"), classes="dialog-title")
            yield Input(placeholder="postgresql://LOGIN@HOST/DATABASE", id="hub-input")
            yield Literal("", id="hub-error", classes="field-error")
            yield Literal(t("hub_prompt.hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#hub-input", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        try:
            self.app.data.check_hub_address(text)  # type: ignore[attr-defined]  # the app is coopterm's
        except CooptermError as refused:
            self.show_error(str(refused))
            return
        self.dismiss(text)

    def show_error(self, message: str) -> None:
        error = self.query_one("#hub-error", Literal)
        error.update(Text(message))  # what was typed is quoted literally
        error.set_class(bool(message), "-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)
