"""Every key of the current screen (as remapped in the preferences), with what it does, in the user's language."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen

from coopterm.i18n import t
from coopterm.ui.keys import TranslatedBindings, effective_bindings, key_display, translated
from coopterm.ui.literal import Literal


def describe_keys(screen: Screen, keymap: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(key, label) for the screen's bindings, then the app's, without repeats: the keys in
    effect once ``keymap`` (the app's remaps) is applied, labels in the user's language
    (Textual's own bindings too).  Super+C is left out: it is Ctrl+C's twin on a Mac keyboard,
    a name most users never read on their keys."""
    keymap = keymap if keymap is not None else getattr(screen.app, "key_remaps", {})
    seen: set[str] = set()
    rows = []
    for node in (screen, screen.app):
        for key, binding in effective_bindings(type(node), keymap):
            if binding.description and key not in seen and not key.startswith("super+"):
                seen.add(key)
                rows.append((key_display(key), translated(binding).description))
    rows.append(("Ctrl+P", t("key.palette")))
    return rows


class KeysScreen(TranslatedBindings, ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "key.close", id="keys_help.close")]

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
