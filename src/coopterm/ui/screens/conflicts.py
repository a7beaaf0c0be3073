"""Review the conflicts a merge found: compare the two versions field by field, keep one.

A conflict is a row changed on two copies without either knowing of the other's
change.  The merge already kept one version (the later one, or the deletion) and
saved the other; here the coordinator sees both and either keeps what is in the
plan (``k``, which closes the conflict) or takes the other version (``o``, after
a confirmation), which is written as a new change made on this copy.

The screen is pushed over the current one (``escape`` goes back to it); the list
is short (a handful per merge), so it is read whole from ``domain.conflicts``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header

from coopterm.errors import CooptermError
from coopterm.i18n import t
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal, literal
from coopterm.ui.screens.base import AppAccess
from coopterm.ui.screens.confirm import ChoiceScreen
from coopterm.ui.widgets.history_view import local_time
from coopterm.ui.widgets.virtual_table import Column, SequenceSource, VirtualTable

if TYPE_CHECKING:
    from coopterm.domain.conflicts import ConflictView

LIST_ROWS = 5
"""Conflicts visible at once above the comparison; more scroll (a merge finds a handful)."""


def merge_summary(result: Any) -> Text:
    """What a dry run found, table by table, as the question before the real merge."""
    from coopterm.domain.history import table_label

    out = Text(t("import.question", copy=result.copy.name))
    out.append("\n")
    for table, counts in result.tables.items():
        parts = [t(f"import.count.{kind}", count=getattr(counts, kind))
                 for kind in ("added", "changed", "deleted", "conflicts") if getattr(counts, kind)]
        if parts:
            name = t("import.conflict_records") if table == "conflict" else table_label(table)
            out.append(f"\n{name}: ", style="bold")
            out.append(", ".join(parts))
    if result.history_added:
        out.append("\n" + t("import.history", count=result.history_added), style="dim")
    if result.conflicts:
        out.append("\n\n" + t("import.conflicts_ahead", count=len(result.conflicts)), style="bold")
    out.append("\n\n" + t("import.backup_first"))
    return out


def list_columns() -> list[Column]:
    return [
        Column("what", t("conflicts.col.what"), 14, lambda c: c.what),
        Column("label", t("conflicts.col.label"), None, lambda c: c.label),
        Column("kept", t("conflicts.col.kept_when"), 16, lambda c: local_time(c.kept_when)),
        Column("other", t("conflicts.col.other_when"), 16, lambda c: local_time(c.other_when)),
    ]


def comparison(conflict: ConflictView) -> RenderableType:
    """Field | version kept | other version, for the fields where the two differ."""
    if not conflict.fields:
        return Text(t("conflicts.same_fields"), style="dim")
    grid = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False, padding=(0, 1))
    grid.add_column(t("conflicts.col.field"), style="bold", ratio=1)
    grid.add_column(t("conflicts.col.kept"), ratio=2)
    grid.add_column(t("conflicts.col.other"), ratio=2)
    for field in conflict.fields:
        grid.add_row(literal(field.label), literal(field.kept), literal(field.other))
    return grid


class ConflictsScreen(AppAccess, TranslatedBindings, Screen[None]):
    """The open conflicts, and for the highlighted one its two versions side by side."""

    BINDINGS = [
        Binding("o", "take_other", "key.take_other", id="conflicts.take_other"),
        Binding("k", "keep", "key.keep", id="conflicts.keep"),
        Binding("escape", "back", "key.back", id="conflicts.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Literal("", id="conflicts-title", classes="screen-title")
        yield Literal(t("conflicts.empty"), id="conflicts-empty", classes="empty")
        yield VirtualTable(list_columns(), id="conflicts-table")
        with VerticalScroll(id="conflict-fields"):
            yield Literal("", id="conflict-versions")
            yield Literal("", id="conflict-comparison")
        yield Literal(t("conflicts.hint"), id="conflicts-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.table.focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#conflicts-table", VirtualTable)

    @property
    def current(self) -> ConflictView | None:
        return self.table.current_row if self.table.row_count else None

    def reload(self) -> None:
        conflicts = self.coop.data.conflicts.open()
        self.query_one("#conflicts-title", Literal).update(t("conflicts.title", count=len(conflicts)))
        self.table.set_source(SequenceSource(conflicts))
        self.table.styles.height = min(len(conflicts), LIST_ROWS) + 1
        self.set_class(not conflicts, "-empty")
        self.show_fields(self.current)

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.show_fields(event.row)

    def show_fields(self, conflict: ConflictView | None) -> None:
        versions = self.query_one("#conflict-versions", Literal)
        compared = self.query_one("#conflict-comparison", Literal)
        if conflict is None:
            versions.update("")
            compared.update("")
            return
        versions.update(Text(t("conflicts.versions", what=conflict.what, label=conflict.label,
                               kept=local_time(conflict.kept_when), other=local_time(conflict.other_when))))
        compared.update(comparison(conflict))

    # --- answers ----------------------------------------------------------------------

    def action_keep(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        self._write(self.coop.data.conflicts.keep, conflict,
                    t("conflicts.kept_done", what=conflict.what, label=conflict.label))

    def action_take_other(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self._write(self.coop.data.conflicts.take_other, conflict,
                            t("conflicts.took_done", what=conflict.what, label=conflict.label))

        question = Text(t("conflicts.take_question", what=conflict.what, label=conflict.label))
        self.app.push_screen(ChoiceScreen(question, t("conflicts.take_yes")), answered)

    def _write(self, answer: Callable[[uuid.UUID], None], conflict: ConflictView, done: str) -> None:
        """Record the answer in one transaction; every screen then shows the plan as it now is."""
        try:
            answer(conflict.id)
        except CooptermError as refused:
            self.notify(str(refused), severity="error")
            self.reload()
            return
        self.coop.plan_changed(None)
        self.notify(done)
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
