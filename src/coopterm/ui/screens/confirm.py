"""Yes/no questions: before anything is deleted (``ConfirmScreen``), or with buttons that
say what they do (``ChoiceScreen``)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from coopterm.i18n import t
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal


class ConfirmScreen(TranslatedBindings, ModalScreen[bool]):
    """Dismisses with True only when the user confirms; escape means no.

    ``y`` (``o`` for "oui") answers yes and ``n`` no, whatever has the focus; ← and →
    move between the buttons and Enter presses the one focused (the button's own key).
    """

    BINDINGS = [
        Binding("escape,n", "answer(False)", "key.cancel", id="confirm.no"),
        Binding("y,o", "answer(True)", "key.confirm", id="confirm.yes"),
        Binding("left", "app.focus_previous", "key.previous_button", show=False, id="confirm.previous"),
        Binding("right", "app.focus_next", "key.next_button", show=False, id="confirm.next"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-box"):
            yield Literal(self.question, id="question")
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.yes"), id="yes", variant="error")
                yield Button(t("confirm.no"), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ChoiceScreen(ConfirmScreen):
    """A yes/no question whose buttons say what they do ("Merge", "Take the other version").

    The stock ``ConfirmScreen`` says "Yes, delete"; this one keeps its keys (``y``
    or ``o`` to accept, ``escape`` or ``n`` to refuse) and its look.
    """

    def __init__(self, question: str | Text, yes: str, no: str | None = None, *, focus_yes: bool = False) -> None:
        super().__init__(question)  # type: ignore[arg-type]  # typed for str; Rich Text shows as well
        self.yes_label = yes
        self.no_label = no or t("confirm.no")
        self.focus_yes = focus_yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-box"):
            yield Literal(self.question, id="question")
            with Horizontal(classes="buttons"):
                yield Button(self.yes_label, id="yes", variant="primary" if self.focus_yes else "warning")
                yield Button(self.no_label, id="no", variant="default" if self.focus_yes else "primary")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.focus_yes else "#no", Button).focus()
