"""Every key of the current screen, with what it does, in the user's language."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen

from coopterm.i18n import t
from coopterm.ui.keys import TranslatedBindings, key_display
from coopterm.ui.literal import Literal


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    """(key, description) for the screen's bindings, then the app's, without repeats."""
    seen: set[str] = set()
    rows = []
    for node in (screen, screen.app):
        for key, bindings in node._bindings.key_to_bindings.items():  # noqa: SLF001
            for binding in bindings:
                if binding.description and key not in seen:
                    seen.add(key)
                    rows.append((key_display(key), binding.description))
    rows.append(("Ctrl+P", t("key.palette")))
    return rows


class KeysScreen(TranslatedBindings, ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "key.close")]

    def __init__(self, rows: list[tuple[str, str]], title: str) -> None:
        super().__init__()
        self.rows = rows
        self.heading = title

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold")
        table.add_column()
        for key, description in self.rows:
            table.add_row(key, description)
        with VerticalScroll(id="keys-box", classes="dialog"):
            yield Literal(t("keys.title", screen=self.heading), classes="dialog-title")
            yield Literal(table)
            yield Literal(t("keys.close_hint"), classes="hint")
