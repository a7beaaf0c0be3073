"""Textual's command palette, in the user's language.

Textual writes its palette's placeholder ("Search for commands…") and its "No matches
found" line in English; this subclass gives both from the catalogue, so that a French
user reads French there too.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from coopterm.i18n import t


class TranslatedPalette(CommandPalette):
    """The command palette with its own words translated (``placeholder`` defaults to ours)."""

    def __init__(self, *args, placeholder: str | None = None, **kwargs) -> None:  # Textual's own arguments
        super().__init__(*args, placeholder=placeholder or t("palette.placeholder"), **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with the "no matches" line in the user's language."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(t("palette.no_matches"), style="not bold")),
                           disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
