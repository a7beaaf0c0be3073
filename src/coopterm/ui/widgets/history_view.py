"""The change history of one action or meeting, as its detail pane shows it.

The entries come from ``domain.history.row_history`` (newest first, a bounded
number); this widget only lays them out: when (local time), on which copy, what
happened, then one line per changed field ("Status: Planned → Done").  Values
are user text, so everything is built as ``rich.text.Text``, never markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from coopterm import present
from coopterm.i18n import t
from coopterm.text import printable
from coopterm.ui.literal import Literal, literal

if TYPE_CHECKING:
    from coopterm.domain.history import HistoryEntry

HISTORY_LIMIT = 8
"""Entries shown in a detail pane: the query is bounded, so moving the cursor stays fast."""


def local_time(at: dt.datetime) -> str:
    """A stored (UTC) time in the reader's time zone and date format."""
    local = at.astimezone()
    return present.date_time(local)


def history_text(entries: Sequence[HistoryEntry], subject_id: object, subject_label: str = "") -> Text:
    """Every entry on a heading line, then its changed fields indented (none for a creation)."""
    from coopterm.domain.history import headline

    if not entries:
        return Text(t("history.none"), style="dim")
    out = Text()
    for number, entry in enumerate(entries):
        if number:
            out.append("\n")
        out.append(local_time(entry.at), style="bold")
        out.append(f"  {printable(entry.copy)}  ", style="dim")
        out.append(printable(headline(entry, subject_label)) if entry.row_id != subject_id
                   else t(f"history.short.{entry.op}"))
        if entry.op == "create":
            continue
        for change in entry.fields:
            out.append("\n    " + t("history.field", field=change.label))
            out.append(printable(change.old), style="dim")
            out.append(" → ")
            out.append(printable(change.new))
    return out


class HistoryPane(VerticalScroll):
    """A scrollable pane with a "History" border title; hidden until the screen shows it."""

    DEFAULT_CSS = """
    HistoryPane {
        height: 1fr;
        border-top: solid $primary-darken-2;
        border-title-color: $accent;
        padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Literal("", classes="history-lines")

    def on_mount(self) -> None:
        self.border_title = t("history.heading")

    def show(self, entries: Sequence[HistoryEntry], subject_id: object, subject_label: str = "",
             heading: str | None = None) -> None:
        self.border_title = literal(heading or t("history.heading"))
        self.query_one(".history-lines", Literal).update(history_text(entries, subject_id, subject_label))
        self.scroll_home(animate=False)

    def clear(self) -> None:
        self.border_title = t("history.heading")
        self.query_one(".history-lines", Literal).update("")
