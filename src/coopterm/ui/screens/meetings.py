"""The réunions of the current plan, newest first, with the governance rhythm above them.

The table asks for the rows it shows only (``VirtualTable`` over
``domain.meetings.fetch_meetings``).  Filters: ``/`` on the title, by kind (``K``),
town (``T``) and period (``P``); ``escape`` clears them.  ``x`` prepares the next
meeting of the highlighted one's series in the form (created only when saved).

Dates and times are shown as stored: UTC (see ``domain.meetings``).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Header, Input, Select, TextArea

from coopterm.domain.meetings import MeetingQuery, MeetingRow
from coopterm.i18n import format_date, format_number, t
from coopterm.ui.literal import Literal, LiteralLabel, options
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.choose import ChooseScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.forms import FormScreen
from coopterm.ui.widgets.history_view import HISTORY_LIMIT, HistoryPane
from coopterm.ui.widgets.picker import Picker
from coopterm.ui.widgets.rhythm import RhythmPanel
from coopterm.ui.widgets.virtual_table import Column, VirtualTable
from coopterm.vocabulary import MeetingKind
from coopterm.workspace import Workspace

NO_VALUE = "\u2014"


def when_text(row: MeetingRow) -> str:
    """Date in the reader's format and HH:MM, as stored (UTC)."""
    return f"{format_date(row.starts_at.date())} {row.starts_at:%H:%M}"


def place_text(row: MeetingRow) -> str:
    if row.remote:
        return t("meetings.remote")
    return row.town_name or NO_VALUE


def satisfaction_text(row: MeetingRow) -> str:
    return NO_VALUE if row.satisfaction is None else f"{format_number(row.satisfaction, 0)}%"


def columns() -> list[Column]:
    from coopterm.domain.meetings import kind_short

    return [
        Column("when", t("meetings.col.when"), 16, when_text),
        Column("kind", t("meetings.col.kind"), 15, lambda r: kind_short(r.kind)),
        Column("place", t("meetings.col.place"), 13, place_text),
        Column("attendees", t("meetings.col.attendees"), 5, lambda r: str(r.attendees), justify="right"),
        Column("satisfaction", t("meetings.col.satisfaction"), 6, satisfaction_text, justify="right"),
        Column("title", t("meetings.col.title"), None, lambda r: r.title),
    ]


class MeetingSource:
    """The rows of one query, fetched a window at a time in short read sessions."""

    def __init__(self, data: Workspace, plan_id: uuid.UUID, query: MeetingQuery) -> None:
        self.data, self.plan_id, self.query = data, plan_id, query

    def count(self) -> int:
        from coopterm.domain.meetings import count_meetings

        return self.data.read(count_meetings, self.plan_id, self.query)

    def fetch(self, offset: int, limit: int) -> Sequence[MeetingRow]:
        from coopterm.domain.meetings import fetch_meetings

        return self.data.read(fetch_meetings, self.plan_id, self.query, offset, limit)


# --- the form ---------------------------------------------------------------------------------


class DecisionRow(Vertical):
    """One decision in the form: its text, the action it is about (optional), done or open."""

    def __init__(self, number: int, actions: Sequence[tuple[uuid.UUID, str]], value: dict[str, Any]) -> None:
        super().__init__(classes="decision")
        self.decision_id = value.get("id")
        self.number = number
        self.actions = actions
        self.value_at_start = value

    def compose(self) -> ComposeResult:
        v = self.value_at_start
        yield LiteralLabel(t("meeting_form.decision", number=self.number), classes="field-label decision-label")
        yield Input(v.get("text", ""), placeholder=t("meeting_form.decision_text"), compact=True,
                    classes="decision-text")
        action = v.get("action_id")
        yield Picker(self.actions, selected=[action] if action else [], multiple=False,
                     placeholder=t("meeting_form.decision_action"), classes="decision-action")
        yield Checkbox(t("meeting_form.decision_done"), bool(v.get("done")), compact=True, classes="decision-done")

    def collect(self) -> dict[str, Any]:
        return {
            "id": self.decision_id,
            "text": self.query_one(".decision-text", Input).value,
            "action_id": list(self.query_one(".decision-action", Picker).value),
            "done": self.query_one(".decision-done", Checkbox).value,
        }


class MeetingForm(FormScreen):
    """Create or edit a meeting; with ``values`` and no ``meeting_id``, a prefilled new one (next meeting)."""

    TITLE_KEY = "meeting_form.title_new"
    BINDINGS = [
        Binding("ctrl+n", "add_decision", "key.add_decision", priority=True, id="meeting_form.add_decision"),
        Binding("ctrl+r", "remove_decision", "key.remove_decision", priority=True, id="meeting_form.remove_decision"),
    ]
    DEFAULT_CSS = """
    MeetingForm {
        TextArea.minutes { height: 8; }
        .decision { height: auto; border-left: outer $primary-darken-2; padding-left: 1; margin-bottom: 1; }
        .decision OptionList { max-height: 4; }
        #f-decisions { height: auto; }
        #f-survey { height: auto; }
    }
    """

    def __init__(self, meeting_id: uuid.UUID | None = None, values: dict[str, Any] | None = None,
                 heading_key: str | None = None) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.start_values = values
        self.heading_key = heading_key
        self.rows_made = 0

    def heading(self) -> str:
        if self.heading_key:
            return t(self.heading_key)
        return t("meeting_form.title_edit" if self.meeting_id else "meeting_form.title_new")

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.meetings import kind_choices, meeting_form_context

        self.context = self.coop.data.read(meeting_form_context, self.coop.plan_id, self.meeting_id, self.coop.today,
                                           self.start_values)
        v = self.context.values
        yield from self.field("kind", t("meeting_form.kind"),
                              Select(options((label, value) for value, label in kind_choices()), value=v["kind"],
                                     allow_blank=False, compact=True))
        yield from self.field("title", t("meeting_form.title_field"), Input(v["title"], compact=True))
        yield from self.field("date", t("meeting_form.date"),
                              Input(v["date"], placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("time", t("meeting_form.time"), Input(v["time"], placeholder="HH:MM", compact=True))
        yield from self.field("town_id", t("meeting_form.town"),
                              Picker(self.context.towns, selected=[v["town_id"]] if v["town_id"] else [],
                                     multiple=False))
        yield from self.field("remote", t("meeting_form.remote"),
                              Checkbox(t("meeting_form.remote_box"), v["remote"], compact=True))
        yield from self.field("attendees", t("meeting_form.attendees"),
                              Picker(self.context.people, selected=v["attendees"], multiple=True))
        yield from self.field("agenda", t("meeting_form.agenda"), TextArea(v["agenda"], classes="short"))
        yield from self.field("minutes", t("meeting_form.minutes"), TextArea(v["minutes"], classes="minutes"))
        yield LiteralLabel(t("meeting_form.decisions"), classes="field-label")
        yield Literal(t("meeting_form.decisions_hint"), classes="hint")
        yield Literal("", id="e-decisions", classes="field-error")
        yield Vertical(id="f-decisions")  # the decision rows are mounted in on_mount
        yield LiteralLabel(t("meeting_form.survey"), classes="field-label")
        yield Literal(t("meeting_form.survey_hint"), classes="hint")
        yield Literal("", id="e-survey", classes="field-error")
        with Vertical(id="f-survey"):
            for name in ("survey_very_satisfied", "survey_satisfied", "survey_not_very_satisfied",
                         "survey_not_satisfied"):
                yield from self.field(name, t(f"meeting_form.{name}"), Input(v[name], compact=True))

    async def on_mount(self) -> None:
        for value in self.context.values["decisions"]:
            await self.add_decision_row(value)
        self.query_one("#f-title", Input).focus()

    async def add_decision_row(self, value: dict[str, Any]) -> DecisionRow:
        self.rows_made += 1
        row = DecisionRow(len(self.query(DecisionRow)) + 1, self.context.actions, value)
        await self.query_one("#f-decisions", Vertical).mount(row)
        return row

    def _renumber(self) -> None:
        for number, row in enumerate(self.query(DecisionRow), 1):
            row.number = number
            row.query_one(".decision-label", LiteralLabel).update(t("meeting_form.decision", number=number))

    async def action_add_decision(self) -> None:
        row = await self.add_decision_row({})
        row.query_one(".decision-text", Input).focus()
        row.scroll_visible(animate=False)

    async def action_remove_decision(self) -> None:
        rows = list(self.query(DecisionRow))
        if not rows:
            return
        focused = self.focused
        target = next((r for r in rows if focused is not None and r in focused.ancestors_with_self), rows[-1])
        await target.remove()
        self._renumber()
        remaining = list(self.query(DecisionRow))
        if remaining:
            remaining[-1].query_one(".decision-text", Input).focus()

    def collect(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.query_one("#f-kind", Select).value,
            "title": self.value("title"),
            "date": self.value("date"),
            "time": self.value("time"),
            "town_id": list(self.query_one("#f-town_id", Picker).value),
            "remote": self.query_one("#f-remote", Checkbox).value,
            "attendees": list(self.query_one("#f-attendees", Picker).value),
            "agenda": self.query_one("#f-agenda", TextArea).text,
            "minutes": self.query_one("#f-minutes", TextArea).text,
            "decisions": [row.collect() for row in self.query(DecisionRow)],
        }
        for name in ("survey_very_satisfied", "survey_satisfied", "survey_not_very_satisfied", "survey_not_satisfied"):
            data[name] = self.value(name)
        return data

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.meetings import save_meeting

        return self.coop.data.write(save_meeting, self.coop.plan_id, self.meeting_id, data)


class PeriodForm(FormScreen):
    """The period filter: from and to (each optional); dismisses with the two dates."""

    TITLE_KEY = "meeting_period.title"
    DEFAULT_CSS = """
    PeriodForm .form { height: auto; }
    PeriodForm .form-fields { height: auto; }
    """

    def __init__(self, query: MeetingQuery) -> None:
        super().__init__()
        self.start = query

    def fields(self) -> Iterator[Widget]:
        def text(day: Any) -> str:
            return format_date(day) if day else ""

        yield from self.field("date_from", t("meeting_period.from"),
                              Input(text(self.start.date_from), placeholder=t("form.date_placeholder"), compact=True))
        yield from self.field("date_to", t("meeting_period.to"),
                              Input(text(self.start.date_to), placeholder=t("form.date_placeholder"), compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-date_from", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {"date_from": self.value("date_from"), "date_to": self.value("date_to")}

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.meetings import validate_period

        return validate_period(data)


# --- the screen ----------------------------------------------------------------------------------


class MeetingsScreen(PlanScreen):
    TITLE_KEY = "screen.meetings"
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
    ]

    query_state: MeetingQuery = MeetingQuery()
    town_label: str = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield RhythmPanel(id="meetings-rhythm")
        with Vertical(id="filter-bar"):
            yield Input(placeholder=t("meetings.filter_placeholder"), id="filter-input", compact=True)
            yield Literal("", id="filter-summary")
        yield VirtualTable(columns(), id="meetings-table", empty_text=t("meetings.empty"))
        yield HistoryPane(id="meeting-history")
        yield Footer()

    def on_mount(self) -> None:
        self.apply_query(MeetingQuery())
        self.show_rhythm()
        self.table.focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def apply_query(self, query: MeetingQuery) -> None:
        self.query_state = query
        self.table.set_source(MeetingSource(self.coop.data, self.coop.plan_id, query))
        self.show_filter_summary()

    def reload(self) -> None:
        self.table.reload()
        self.show_filter_summary()
        self.show_rhythm()
        self.show_history(self.table.current_row)

    @property
    def history_shown(self) -> bool:
        return self.has_class("-history")

    def show_history(self, row: MeetingRow | None) -> None:
        """The latest changes of the highlighted meeting, its attendees and decisions (bounded
        query, and only while the pane is shown: it runs on cursor moves)."""
        pane = self.query_one("#meeting-history", HistoryPane)
        if not self.history_shown:
            return
        if row is None:
            pane.clear()
            return
        from coopterm.domain.history import meeting_history

        entries, label = self.coop.data.read(meeting_history, row.id, HISTORY_LIMIT)
        pane.show(entries, row.id, label, heading=t("history.heading_of", label=label))

    def show_rhythm(self) -> None:
        from coopterm.domain.meetings import meetings_rhythm

        due, over = self.coop.data.read(meetings_rhythm, self.coop.plan_id, self.coop.today)
        self.query_one(RhythmPanel).update_data(due, over)

    def show_filter_summary(self) -> None:
        from coopterm.domain.meetings import kind_label

        q = self.query_state
        parts = []
        if q.text:
            parts.append(t("meetings.filter.text", text=q.text))
        if q.kind is not None:
            parts.append(t("meetings.filter.kind", kind=kind_label(q.kind)))
        if q.town_id is not None:
            parts.append(t("meetings.filter.town", name=self.town_label or "?"))
        if q.date_from or q.date_to:
            parts.append(t("meetings.filter.period", start=format_date(q.date_from) if q.date_from else "…",
                           end=format_date(q.date_to) if q.date_to else "…"))
        summary = self.query_one("#filter-summary", Literal)
        summary.update(t("meetings.filter.summary", filters=" · ".join(parts), count=self.table.row_count)
                       if parts else "")
        summary.display = bool(parts)

    # --- events -------------------------------------------------------------------

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.open_form(event.row.id)

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.show_history(event.row)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter-input":
            self.apply_query(dataclasses.replace(self.query_state, text=event.value.strip()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter-input":
            self.table.focus()

    # --- filters --------------------------------------------------------------------

    def action_toggle_history(self) -> None:
        """Show or hide the highlighted meeting's history under the table."""
        self.toggle_class("-history")
        self.show_history(self.table.current_row)

    def action_filter(self) -> None:
        self.open_filter_box("#filter-input")

    def action_clear_filters(self) -> None:
        self.reset_filter_box("#filter-input")
        self.town_label = ""
        self.apply_query(MeetingQuery())
        self.table.focus()

    def action_filter_kind(self) -> None:
        from coopterm.domain.meetings import kind_choices

        def chosen(value: object) -> None:
            if value is not None:
                self.apply_query(dataclasses.replace(self.query_state, kind=MeetingKind(value)))

        self.app.push_screen(ChooseScreen(t("meetings.choose.kind"), kind_choices()), chosen)

    def action_filter_town(self) -> None:
        from coopterm.domain.persons import town_choices

        choices = self.coop.data.read(town_choices, self.coop.plan_id)

        def chosen(value: object) -> None:
            if value is not None:
                self.town_label = dict(choices).get(value, "?")
                self.apply_query(dataclasses.replace(self.query_state, town_id=value))

        self.app.push_screen(ChooseScreen(t("meetings.choose.town"), choices), chosen)

    def action_filter_period(self) -> None:
        def chosen(period: object) -> None:
            if period is not None:
                start, end = period  # type: ignore[misc]
                self.apply_query(dataclasses.replace(self.query_state, date_from=start, date_to=end))

        self.app.push_screen(PeriodForm(self.query_state), chosen)

    # --- records ---------------------------------------------------------------------

    def open_form(self, meeting_id: uuid.UUID | None) -> None:
        self.app.push_screen(MeetingForm(meeting_id), self._saved)

    def action_new(self) -> None:
        self.open_form(None)

    def action_edit(self) -> None:
        row = self.table.current_row
        if row is not None:
            self.open_form(row.id)

    def action_next_meeting(self) -> None:
        from coopterm.domain.meetings import next_meeting_values

        row = self.table.current_row
        if row is None:
            self.notify(t("meetings.none_selected"), severity="warning")
            return
        values = self.coop.data.read(next_meeting_values, row.id)
        self.app.push_screen(MeetingForm(None, values, "meeting_form.title_next"), self._saved)

    def _saved(self, change: object) -> None:
        if change is not None:
            self.coop.plan_changed(change)
            self.notify(t("meeting.saved"))

    def action_delete(self) -> None:
        from coopterm.domain.meetings import meeting_label

        row = self.table.current_row
        if row is None:
            return
        label = self.coop.data.read(meeting_label, row.id)

        def answered(yes: bool | None) -> None:
            if yes:
                from coopterm.domain.meetings import delete_meeting

                change = self.coop.data.write(delete_meeting, row.id)
                self.coop.plan_changed(change)
                self.notify(t("meeting.deleted"))

        self.app.push_screen(ConfirmScreen(t("meeting.delete_question", meeting=label)), answered)
