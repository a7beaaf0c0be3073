"""A réunion: kind, title, when, where, who came, agenda, minutes, decisions and the
satisfaction survey.  With ``values`` and no ``meeting_id``, a prefilled new one (the
next meeting of a series, created only when saved).

The time is typed in local time: the label names the zone it is read in (the chosen
town's, else the plan's, ``domain.zones``) and follows the town and "remote" fields."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input

from coopterm.domain.meetings import kind_choices
from coopterm.i18n import t
from coopterm.ui.forms.base import FormScreen, field_value
from coopterm.ui.forms.fields import Field
from coopterm.ui.literal import Literal, LiteralLabel
from coopterm.ui.widgets.picker import Picker

SURVEY = tuple(Field(name, f"meeting_form.{name}") for name in
               ("survey_very_satisfied", "survey_satisfied", "survey_not_very_satisfied", "survey_not_satisfied"))
"""The survey's four answers, counted in one field each."""


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

    @property
    def value(self) -> dict[str, Any]:
        parts = {name: field_value(self.query_one(f".decision-{part}"))
                 for name, part in (("text", "text"), ("action_id", "action"), ("done", "done"))}
        return {"id": self.decision_id, **parts}


class DecisionList(Vertical):
    """The meeting's decisions, a row each (mounted once the form is)."""

    @property
    def value(self) -> list[dict[str, Any]]:
        return [row.value for row in self.query(DecisionRow)]


class MeetingForm(FormScreen):
    TITLE_KEY = "meeting_form.title_new"
    EDIT_TITLE_KEY = "meeting_form.title_edit"
    FOCUS = "title"
    FIELDS = (
        Field("kind", "meeting_form.kind", "list"),
        Field("title", "meeting_form.title_field"),
        Field("date", "meeting_form.date", "date"),
        Field("time", "meeting_form.time", example="HH:MM"),
        Field("town_id", "meeting_form.town", "one"),
        Field("remote", "meeting_form.remote", "check", box="meeting_form.remote_box"),
        Field("attendees", "meeting_form.attendees", "many"),
        Field("agenda", "meeting_form.agenda", "text"),
        Field("minutes", "meeting_form.minutes", "text", classes="minutes"),
    )
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
        super().__init__(meeting_id)
        self.start_values = values
        self.heading_key = heading_key
        self.rows_made = 0

    @property
    def meeting_id(self) -> uuid.UUID | None:
        return self.record_id

    def heading(self) -> str:
        return t(self.heading_key) if self.heading_key else super().heading()

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        self.context = self.coop.data.meetings.form(self.coop.plan, self.record_id, self.coop.today,
                                                    self.start_values)
        kinds = [(label, value) for value, label in kind_choices()]
        return self.context.values, {"kind": kinds, "town_id": self.context.towns, "attendees": self.context.people}

    def time_label(self) -> str:
        """ "Heure (HH:MM, Europe/Paris)": the zone of the town chosen now, else the plan's."""
        town: Any = None
        remote = bool(self.context.values.get("remote"))
        if self.is_mounted:
            chosen = self.value("town_id")
            town, remote = (chosen[0] if chosen else None), bool(self.value("remote"))
        else:
            town = self.context.values.get("town_id")
        return t("meeting_form.time", zone=self.context.zone(town, remote))

    def field(self, name: str, label: str, widget: Widget) -> Iterator[Widget]:
        """The time's label names its zone, and is updated when the place changes."""
        if name != "time":
            yield from super().field(name, label, widget)
            return
        for part in super().field(name, label, widget):
            if isinstance(part, LiteralLabel) and part.id is None:
                part = LiteralLabel(self.time_label(), classes="field-label", id="l-time")
            yield part

    @on(Picker.Changed, "#f-town_id")
    @on(Checkbox.Changed, "#f-remote")
    def place_changed(self) -> None:
        self.query_one("#l-time", LiteralLabel).update(self.time_label())

    def after(self, name: str) -> Iterator[Widget]:
        """Under the minutes: the decisions (a row each, mounted in ``on_mount``), then the survey."""
        if name != "minutes":
            return
        yield LiteralLabel(t("meeting_form.decisions"), classes="field-label")
        yield Literal(t("meeting_form.decisions_hint"), classes="hint")
        yield Literal("", id="e-decisions", classes="field-error")
        self.field_names.append("decisions")
        yield DecisionList(id="f-decisions")
        yield LiteralLabel(t("meeting_form.survey"), classes="field-label")
        yield Literal(t("meeting_form.survey_hint"), classes="hint")
        yield Literal("", id="e-survey", classes="field-error")
        with Vertical(id="f-survey"):
            for answer in SURVEY:
                yield from self.field(answer.name, t(answer.label), answer.widget(self.context.values[answer.name], ()))

    async def on_mount(self) -> None:
        for value in self.context.values["decisions"]:
            await self.add_decision_row(value)

    async def add_decision_row(self, value: dict[str, Any]) -> DecisionRow:
        self.rows_made += 1
        row = DecisionRow(len(self.query(DecisionRow)) + 1, self.context.actions, value)
        await self.query_one("#f-decisions", DecisionList).mount(row)
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

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.meetings.save(self.coop.plan, self.record_id, data)
