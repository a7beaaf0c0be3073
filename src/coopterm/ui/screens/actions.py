"""The fiches-actions of the current plan: a table that stays fast at any size.

The table asks for the rows it shows only (``VirtualTable`` over the workspace's
window of actions), so filtering 100,000 actions costs one counted query and one
window of rows.  Filters: ``/`` for text (title, pilot,
town), and quick filters by status, défi, pilot and town; ``escape`` clears them.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Input

from coopterm import present
from coopterm.domain.actions import ActionQuery, ActionRow
from coopterm.i18n import t
from coopterm.ui.forms.action import ActionForm
from coopterm.ui.literal import Literal, literal
from coopterm.ui.screens.record_list import RecordListScreen, RecordPane
from coopterm.ui.widgets.history_view import HISTORY_LIMIT, HistoryPane
from coopterm.ui.widgets.virtual_table import Column, RowSource, VirtualTable
from coopterm.vocabulary import ActionStatus

STATUS_STYLE = {
    ActionStatus.PLANNED: "",
    ActionStatus.IN_PROGRESS: "bold",
    ActionStatus.DONE: "green",
    ActionStatus.POSTPONED: "yellow",
    ActionStatus.ABANDONED: "dim strike",
}


def status_text(status: ActionStatus) -> Text:
    return Text(t(f"action_status.{status.value}"), style=STATUS_STYLE[status])


def columns(width: int = 200) -> list[Column]:
    """The table's columns for a terminal ``width`` wide: leads from 100 columns,
    towns from 120, so that titles stay readable on 80 (the detail pane shows both)."""
    cols = [
        Column("code", t("actions.col.code"), 5, lambda r: r.code, sortable=True),
        Column("title", t("actions.col.title"), None, lambda r: r.title, sortable=True),
        Column("status", t("actions.col.status"), 11, lambda r: status_text(r.status), sortable=True),
        Column("progress", t("actions.col.progress"), 5, lambda r: present.percent(r.progress), sortable=True,
               justify="right"),
    ]
    if width >= 100:
        cols.append(Column("pilots", t("actions.col.pilots"), 18, lambda r: ", ".join(r.pilots)))
    if width >= 120:
        cols.append(Column("towns", t("actions.col.towns"), 18, lambda r: ", ".join(r.towns)))
    cols.append(Column("due", t("actions.col.due"), 10, lambda r: present.date(r.due_date) if r.due_date else "",
                       sortable=True))
    return cols


class ActionsPane(RecordPane[ActionQuery]):
    TABLE_ID = "actions-table"
    FILTER_ID = "filter-input"
    SAVED = "action.saved"
    DELETED = "action.deleted"

    def source(self) -> RowSource:
        return self.coop.data.actions.source(self.coop.plan, self.query)

    def cleared(self) -> ActionQuery:
        """No filter, the same order."""
        return dataclasses.replace(ActionQuery(), sort=self.query.sort, descending=self.query.descending)

    def show(self, row: ActionRow | None) -> None:
        """The detail of the highlighted action, its meetings, and its history while shown."""
        detail = self.screen.query_one("#action-detail", Literal)
        history = self.screen.query_one("#action-history", HistoryPane)
        panel = None
        if row is not None:
            panel = self.coop.data.actions.panel(row.id, HISTORY_LIMIT if self.screen.history_shown else None)
        if row is None or panel is None:
            detail.update("")
            history.clear()
            return
        d, meetings = panel.detail, panel.meetings
        if panel.history is not None:
            history.show(panel.history, row.id, f"{d.code} {d.title}")
        dates = " → ".join(present.date(x) for x in (d.start_date, d.due_date) if x) or "—"
        lines = [
            t("actions.detail.status", status=t(f"action_status.{d.status.value}"), progress=d.progress, dates=dates),
            t("actions.detail.pilots", names=", ".join(name for _, name in d.pilots) or "—"),
            t("actions.detail.towns", names=", ".join(name for _, name in d.towns) or "—"),
        ]
        if meetings:
            decisions = [dec for m in meetings for dec in m.decisions]
            lines.append(t("actions.detail.meetings", count=len(meetings),
                           last=present.date(meetings[0].local_start.date()), title=meetings[0].title,
                           open=sum(1 for dec in decisions if not dec.done), decisions=len(decisions)))
            if decisions:
                latest = decisions[0]  # meetings come newest first
                lines.append(t("actions.detail.decision_open" if not latest.done else "actions.detail.decision_done",
                               text=latest.text))
        if d.description:
            lines.append(d.description.splitlines()[0])
        heading = Text.assemble((d.code, "bold"), "  ", literal(d.title))
        detail.update(Text("\n").join([heading, *(literal(line) for line in lines)]))

    def form(self, row: ActionRow | None) -> ActionForm | None:
        if not self.coop.data.actions.can_create(self.coop.plan):
            self.screen.notify(t("actions.no_challenge"), severity="warning")
            return None
        return ActionForm(row.id if row is not None else None, self.query.challenge_id)

    def delete_question(self, row: ActionRow) -> str:
        return t("action.delete_question", code=row.code, title=row.title)

    def delete(self, row: ActionRow) -> object:
        return self.coop.data.actions.delete(row.id)


class ActionsScreen(RecordListScreen):
    TITLE_KEY = "screen.actions"
    BINDINGS = [
        Binding("slash", "filter", "key.filter", id="actions.filter"),
        Binding("escape", "clear_filters", "key.clear_filters", id="actions.clear_filters"),
        Binding("n", "new", "key.new", id="actions.new"),
        Binding("e", "edit", "key.edit", id="actions.edit"),
        Binding("delete", "delete", "key.delete", id="actions.delete"),
        Binding("s", "next_status", "key.next_status", id="actions.next_status"),
        Binding("plus,equals_sign", "progress(10)", "key.progress_up", id="actions.progress_up"),
        Binding("minus", "progress(-10)", "key.progress_down", id="actions.progress_down"),
        Binding("S", "filter_status", "key.filter_status", show=False, id="actions.filter_status"),
        Binding("D", "filter_challenge", "key.filter_challenge", show=False, id="actions.filter_challenge"),
        Binding("P", "filter_pilot", "key.filter_pilot", show=False, id="actions.filter_pilot"),
        Binding("T", "filter_town", "key.filter_town", show=False, id="actions.filter_town"),
        Binding("o", "sort_next", "key.sort", show=False, id="actions.sort"),
        Binding("h", "toggle_history", "key.history", id="actions.history"),
    ]
    PALETTE = [
        ("palette.new_action", "palette.new_action_help", "new"),
        ("palette.edit_action", "palette.edit_action_help", "edit"),
        ("palette.delete_action", "palette.delete_action_help", "delete"),
        ("palette.next_status", "palette.next_status_help", "next_status"),
        ("palette.filter_text", "palette.filter_text_help", "filter"),
        ("palette.filter_status", "palette.filter_status_help", "filter_status"),
        ("palette.filter_challenge", "palette.filter_challenge_help", "filter_challenge"),
        ("palette.filter_pilot", "palette.filter_pilot_help", "filter_pilot"),
        ("palette.filter_town", "palette.filter_town_help", "filter_town"),
        ("palette.clear_filters", "palette.clear_filters_help", "clear_filters"),
        ("palette.action_history", "palette.action_history_help", "toggle_history"),
    ]

    PANES = (lambda screen: ActionsPane(screen, ActionQuery()),)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="filter-bar"):
            yield Input(placeholder=t("actions.filter_placeholder"), id="filter-input", compact=True)
            yield Literal("", id="filter-summary")
        yield VirtualTable(columns(self.app.size.width), id="actions-table", empty_text=t("actions.empty"),
                           sort_key="code")
        yield Literal("", id="action-detail")
        yield HistoryPane(id="action-history")
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.pane.table

    @property
    def query_state(self) -> ActionQuery:
        return self.pane.query

    def query_on_switch(self, pane: RecordPane[Any]) -> ActionQuery:
        """Another plan has other défis, pilots and towns: the filters go, the order stays."""
        return pane.cleared()

    def show_challenge(self, challenge_id: uuid.UUID) -> None:
        """Open on one défi's actions (from the défis screen)."""
        self.labels["challenge"] = self.coop.data.actions.filter_label(self.coop.plan, "challenge", challenge_id)
        self.apply_query(dataclasses.replace(ActionQuery(), challenge_id=challenge_id))
        self.table.focus()

    def show_filter_summary(self) -> None:
        q = self.query_state
        parts = []
        if q.text:
            parts.append(t("actions.filter.text", text=q.text))
        if q.status is not None:
            parts.append(t("actions.filter.status", status=t(f"action_status.{q.status.value}")))
        for key in ("challenge", "pilot", "town"):
            if getattr(q, f"{key}_id") is not None:
                parts.append(t(f"actions.filter.{key}", name=self.labels.get(key, "?")))
        summary = self.query_one("#filter-summary", Literal)
        count = self.table.row_count
        if parts and count == 1:
            summary.update(t("actions.filter.summary_one", filters=" · ".join(parts)))
        else:
            summary.update(t("actions.filter.summary", filters=" · ".join(parts), count=count) if parts else "")
        summary.display = bool(parts)

    # --- events -------------------------------------------------------------------

    def on_resize(self) -> None:
        wanted = columns(self.size.width)
        if [c.key for c in wanted] != [c.key for c in self.table.columns]:
            self.table.columns = wanted

    def on_virtual_table_sort_changed(self, event: VirtualTable.SortChanged) -> None:
        self.apply_query(dataclasses.replace(self.query_state, sort=event.key, descending=event.descending))

    # --- quick filters and commands -----------------------------------------------------

    def _choose(self, kind: str) -> None:
        choices = self.coop.data.actions.filter_choices(self.coop.plan, kind)
        title = t(f"actions.choose.{kind}")
        if kind == "status":
            self.choose_filter(title, choices, "status", ActionStatus)
        else:
            self.choose_filter(title, choices, f"{kind}_id")

    def action_filter_status(self) -> None:
        self._choose("status")

    def action_filter_challenge(self) -> None:
        self._choose("challenge")

    def action_filter_pilot(self) -> None:
        self._choose("pilot")

    def action_filter_town(self) -> None:
        self._choose("town")

    def action_sort_next(self) -> None:
        """``o``: the column sorted ascending is reversed; a reversed one gives way to the next
        column, ascending.  The leads column is left out on purpose: an action has several
        leads, or none, and ``P`` filters by one."""
        keys = [c.key for c in columns() if c.sortable]
        state = self.query_state
        if state.sort in keys and not state.descending:
            self.table.sort_by(state.sort)  # the same column again: reversed
            return
        following = keys[(keys.index(state.sort) + 1) % len(keys)] if state.sort in keys else keys[0]
        self.table.sort_by(following)

    def deleted_words(self, row: ActionRow) -> dict[str, Any]:
        return {"code": row.code}

    def action_next_status(self) -> None:
        row = self.table.current_row
        if row is None:
            return
        self.coop.plan_changed(self.coop.data.actions.advance_status(row.id))

    def action_progress(self, step: int) -> None:
        row = self.table.current_row
        if row is None:
            return
        self.coop.plan_changed(self.coop.data.actions.set_progress(row.id, max(0, min(100, row.progress + step))))
