"""The réunions of the current plan, newest first, with the governance rhythm above them.

The table asks for the rows it shows only (``VirtualTable`` over the workspace's
window of meetings).  Filters: ``/`` on the title, by kind (``K``),
town (``T``) and period (``P``); ``escape`` clears them.  ``x`` prepares the next
meeting of the highlighted one's series in the form (created only when saved).
``Enter`` shows (or hides) the read-only detail of the highlighted meeting, which
follows the cursor; ``e`` edits.

Times are local, each followed by its zone ("14/07/2021 14:00 CEST"): the zone of
the meeting's town, else the plan's (``domain.zones``); they are stored in UTC.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input

from coopterm import present
from coopterm.domain.meetings import (
    SURVEY_FIELDS,
    MeetingDetail,
    MeetingQuery,
    MeetingRow,
    kind_choices,
    kind_label,
    kind_short,
)
from coopterm.i18n import t
from coopterm.ui.forms.meeting import MeetingForm
from coopterm.ui.forms.period import PeriodForm
from coopterm.ui.literal import Literal, literal
from coopterm.ui.screens.record_list import RecordListScreen, RecordPane
from coopterm.ui.widgets.history_view import HISTORY_LIMIT, HistoryPane
from coopterm.ui.widgets.rhythm import RhythmPanel
from coopterm.ui.widgets.virtual_table import Column, RowSource, VirtualTable
from coopterm.vocabulary import MeetingKind

NO_VALUE = "\u2014"


def when_text(row: MeetingRow) -> str:
    """Local date and HH:MM with the zone: "14/07/2021 14:00 CEST"."""
    return present.zoned_date_time(row.local_start)


def place_text(row: MeetingRow) -> str:
    if row.remote:
        return t("meetings.remote")
    return row.town_name or NO_VALUE


def satisfaction_text(row: MeetingRow) -> str:
    return present.percent(row.satisfaction)


def columns(width: int = 200) -> list[Column]:
    """The table's columns for a terminal ``width`` wide: the kind and the number of
    attendees from 100 columns, so that titles stay readable on 80 (the detail shows both)."""
    wide = width >= 100
    return [
        Column("when", t("meetings.col.when"), 21, when_text),
        *([Column("kind", t("meetings.col.kind"), 15, lambda r: kind_short(r.kind))] if wide else []),
        Column("place", t("meetings.col.place"), 13, place_text),
        *([Column("attendees", t("meetings.col.attendees"), 5, lambda r: str(r.attendees), justify="right")]
          if wide else []),
        Column("satisfaction", t("meetings.col.satisfaction"), 6, satisfaction_text, justify="right"),
        Column("title", t("meetings.col.title"), None, lambda r: r.title),
    ]


def detail_text(d: MeetingDetail) -> Text:
    """The read-only detail of a meeting; every text from the data shown literally."""
    place = t("meetings.remote") if d.remote else (d.town_name or NO_VALUE)
    lines: list[Text] = [
        Text.assemble((present.zoned_date_time(d.local_start), "bold"), "  ", literal(d.title or kind_label(d.kind))),
        literal(t("meetings.detail.when", when=present.zoned_date_time(d.local_start), zone=d.zone)),
        literal(t("meetings.detail.where", place=place)),
        literal(t("meetings.detail.kind", kind=kind_label(d.kind))),
        literal(t("meetings.detail.attendees", names=", ".join(d.attendees) or NO_VALUE)),
    ]
    for key, body in (("meetings.detail.agenda", d.agenda), ("meetings.detail.minutes", d.minutes)):
        if body.strip():
            lines.append(Text(t(key), style="bold"))
            lines.extend(literal(line) for line in body.splitlines())
    if d.decisions:
        lines.append(Text(t("meetings.detail.decisions"), style="bold"))
        for dec in d.decisions:
            state = t("meetings.detail.decision_done" if dec.done else "meetings.detail.decision_open")
            line = f"[{'x' if dec.done else ' '}] {dec.text} \u2014 {state}"
            if dec.action_code:
                status = t(f"action_status.{dec.action_status.value}") if dec.action_status else NO_VALUE
                line += " \u00b7 " + t("meetings.detail.decision_action", code=dec.action_code,
                                         title=dec.action_title, status=status)
            lines.append(literal(line))
    else:
        lines.append(literal(t("meetings.detail.no_decisions")))
    if all(count is not None for count in d.survey):
        counts = " \u00b7 ".join(f"{t(f'meeting_form.{name}')} {present.number(count)}"
                                   for name, count in zip(SURVEY_FIELDS, d.survey))
        lines.append(literal(t("meetings.detail.survey", counts=counts, rate=present.percent(d.satisfaction))))
    else:
        lines.append(literal(t("meetings.detail.no_survey")))
    lines.append(Text(t("meetings.detail.hint"), style="dim"))
    return Text("\n").join(lines)


# --- the screen ----------------------------------------------------------------------------------


class MeetingsPane(RecordPane[MeetingQuery]):
    TABLE_ID = "meetings-table"
    FILTER_ID = "filter-input"
    SAVED = "meeting.saved"
    FORM = MeetingForm
    DELETED = "meeting.deleted"

    def source(self) -> RowSource:
        return self.coop.data.meetings.source(self.coop.plan, self.query)

    def show(self, row: MeetingRow | None) -> None:
        """The detail and the latest changes of the highlighted meeting, its attendees and
        decisions (bounded queries, and only while each pane is shown: it runs on cursor moves)."""
        self.show_detail(row)
        pane = self.screen.query_one("#meeting-history", HistoryPane)
        if not self.screen.history_shown:
            return
        if row is None:
            pane.clear()
            return
        entries, label = self.coop.data.meetings.history(row.id, HISTORY_LIMIT)
        pane.show(entries, row.id, label, heading=t("history.heading_of", label=label))

    def show_detail(self, row: MeetingRow | None) -> None:
        box = self.screen.query_one("#meeting-detail", VerticalScroll)
        if not self.screen.has_class("-detail"):
            return
        detail = self.coop.data.meetings.detail(row.id) if row is not None else None
        box.query_one(Literal).update(detail_text(detail) if detail is not None else "")
        box.scroll_home(animate=False)

    def delete_question(self, row: MeetingRow) -> str:
        return t("meeting.delete_question", meeting=self.coop.data.meetings.label(row.id))

    def delete(self, row: MeetingRow) -> object:
        return self.coop.data.meetings.delete(row.id)


class MeetingsScreen(RecordListScreen):
    TITLE_KEY = "screen.meetings"
    DEFAULT_CSS = """
    MeetingsScreen #meeting-detail {
        display: none;
        height: 1fr;
        border-top: solid $primary-darken-2;
        border-title-color: $accent;
        padding: 0 1;
    }
    MeetingsScreen.-detail #meeting-detail { display: block; }
    MeetingsScreen.-detail #meetings-rhythm { display: none; }
    """
    BINDINGS = [
        Binding("slash", "filter", "key.filter", id="meetings.filter"),
        Binding("escape", "clear_filters", "key.clear_filters", id="meetings.clear_filters"),
        Binding("n", "new", "key.new", id="meetings.new"),
        Binding("e", "edit", "key.edit", id="meetings.edit"),
        Binding("delete", "delete", "key.delete", id="meetings.delete"),
        Binding("x", "next_meeting", "key.next_meeting", id="meetings.next_meeting"),
        Binding("K", "filter_kind", "key.filter_kind", show=False, id="meetings.filter_kind"),
        Binding("T", "filter_town", "key.filter_town", show=False, id="meetings.filter_town"),
        Binding("P", "filter_period", "key.filter_period", show=False, id="meetings.filter_period"),
        Binding("h", "toggle_history", "key.history", id="meetings.history"),
    ]
    PALETTE = [
        ("palette.new_meeting", "palette.new_meeting_help", "new"),
        ("palette.edit_meeting", "palette.edit_meeting_help", "edit"),
        ("palette.delete_meeting", "palette.delete_meeting_help", "delete"),
        ("palette.next_meeting", "palette.next_meeting_help", "next_meeting"),
        ("palette.filter_meeting_title", "palette.filter_meeting_title_help", "filter"),
        ("palette.filter_meeting_kind", "palette.filter_meeting_kind_help", "filter_kind"),
        ("palette.filter_meeting_town", "palette.filter_meeting_town_help", "filter_town"),
        ("palette.filter_meeting_period", "palette.filter_meeting_period_help", "filter_period"),
        ("palette.clear_meeting_filters", "palette.clear_meeting_filters_help", "clear_filters"),
        ("palette.meeting_history", "palette.meeting_history_help", "toggle_history"),
        ("palette.meeting_detail", "palette.meeting_detail_help", "toggle_detail"),
    ]

    PANES = (lambda screen: MeetingsPane(screen, MeetingQuery()),)

    def compose(self) -> ComposeResult:
        yield Header()
        yield RhythmPanel(id="meetings-rhythm")
        with Vertical(id="filter-bar"):
            yield Input(placeholder=t("meetings.filter_placeholder"), id="filter-input", compact=True)
            yield Literal("", id="filter-summary")
        yield VirtualTable(columns(self.app.size.width), id="meetings-table", empty_text=t("meetings.empty"))
        with VerticalScroll(id="meeting-detail") as detail:
            detail.border_title = t("meetings.detail.title")
            yield Literal("")
        yield HistoryPane(id="meeting-history")
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.pane.table

    @property
    def query_state(self) -> MeetingQuery:
        return self.pane.query

    def on_resize(self) -> None:
        wanted = columns(self.size.width)
        if [c.key for c in wanted] != [c.key for c in self.table.columns]:
            self.table.columns = wanted

    def show_panels(self) -> None:
        """The meetings the governance rhythm expects next, above the list."""
        due, over = self.coop.data.meetings.rhythm(self.coop.plan, self.coop.today)
        self.query_one(RhythmPanel).update_data(due, over)

    def show_filter_summary(self) -> None:
        q = self.query_state
        parts = []
        if q.text:
            parts.append(t("meetings.filter.text", text=q.text))
        if q.kind is not None:
            parts.append(t("meetings.filter.kind", kind=kind_label(q.kind)))
        if q.town_id is not None:
            parts.append(t("meetings.filter.town", name=self.labels.get("town") or "?"))
        if q.date_from or q.date_to:
            parts.append(t("meetings.filter.period", start=present.date(q.date_from) if q.date_from else "…",
                           end=present.date(q.date_to) if q.date_to else "…"))
        summary = self.query_one("#filter-summary", Literal)
        summary.update(t("meetings.filter.summary", filters=" · ".join(parts), count=self.table.row_count)
                       if parts else "")
        summary.display = bool(parts)

    # --- filters --------------------------------------------------------------------

    def action_filter_kind(self) -> None:
        self.choose_filter(t("meetings.choose.kind"), kind_choices(), "kind", MeetingKind)

    def action_filter_town(self) -> None:
        self.choose_filter(t("meetings.choose.town"), self.coop.data.towns.choices(self.coop.plan), "town_id")

    def action_filter_period(self) -> None:
        def chosen(period: tuple[dt.date | None, dt.date | None] | None) -> None:
            if period is not None:
                start, end = period
                self.apply_query(dataclasses.replace(self.query_state, date_from=start, date_to=end))

        self.app.push_screen(PeriodForm(self.query_state), chosen)

    # --- records ---------------------------------------------------------------------

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter shows the meeting, read-only (``e`` edits it): the lists' default, the form,
        is not run (``prevent_default``)."""
        event.prevent_default()
        event.stop()
        self.action_toggle_detail()

    def action_toggle_detail(self) -> None:
        """Show or hide the highlighted meeting's detail; it follows the cursor while shown."""
        self.toggle_class("-detail")
        pane = self.pane
        if isinstance(pane, MeetingsPane):
            pane.show_detail(self.table.current_row)

    def action_next_meeting(self) -> None:
        """The highlighted meeting's series, one step on, in the form (created only when saved)."""
        row = self.table.current_row
        if row is None:
            self.notify(t("meetings.none_selected"), severity="warning")
            return
        values = self.coop.data.meetings.next_values(row.id)
        self.app.push_screen(MeetingForm(None, values, "meeting_form.title_next"),
                             lambda change: self.saved(self.pane, change))
