"""The people of the plan (pilotes) and its partner towns.

The people table reads the rows it shows only (``VirtualTable`` over
``domain.persons.fetch_people``): name, town, organisation, role (on wide
terminals), load (open actions led in the current plan) and actions led.  ``/``
filters as you type (name, organisation, town), ``escape`` clears.  The pane
below shows the highlighted person's contact and the actions they lead.  ``t``
switches to the plan's partner towns and back.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Iterator, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input

from coopterm.i18n import t
from coopterm.text import printable
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.choose import ChooseScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.forms import FormScreen
from coopterm.ui.widgets.picker import Picker
from coopterm.ui.widgets.virtual_table import Column, SequenceSource, VirtualTable
from coopterm.workspace import Workspace

DETAIL_ACTIONS = 3
"""Actions listed in the detail pane before "and n more"."""


class PersonSource:
    """The people ``text`` keeps, fetched a window at a time in short read sessions."""

    def __init__(self, data: Workspace, plan_id: uuid.UUID | None, text: str = "") -> None:
        self.data, self.plan_id, self.filter_text = data, plan_id, text

    def count(self) -> int:
        from coopterm.domain.persons import count_people

        return self.data.read(count_people, self.filter_text)

    def fetch(self, offset: int, limit: int) -> Sequence[Any]:
        from coopterm.domain.persons import fetch_people

        return self.data.read(fetch_people, self.plan_id, self.filter_text, offset, limit)

    def index_of(self, row_id: Hashable) -> int | None:
        from coopterm.domain.persons import index_of_person

        if not isinstance(row_id, uuid.UUID):
            return None
        return self.data.read(index_of_person, row_id, self.filter_text)


def people_columns(width: int = 200) -> list[Column]:
    """Name, town, organisation, (role from 110 columns), load and actions led."""
    cols = [
        Column("name", t("pilots.col.name"), None, lambda r: r.name),
        Column("town", t("pilots.col.town"), 13, lambda r: r.town),
        Column("organisation", t("pilots.col.organisation"), 16 if width < 100 else 22, lambda r: r.organisation),
    ]
    if width >= 110:
        cols.append(Column("role", t("pilots.col.role"), 18, lambda r: r.role))
    cols += [
        Column("load", t("pilots.col.load"), 6, lambda r: str(r.load), justify="right"),
        Column("led", t("pilots.col.led"), 7, lambda r: str(r.led), justify="right"),
    ]
    return cols


def town_columns() -> list[Column]:
    return [
        Column("name", t("towns.col.name"), None, lambda r: r.name),
        Column("country", t("towns.col.country"), 20, lambda r: r.country),
        Column("people", t("towns.col.people"), 9, lambda r: str(r.people), justify="right"),
    ]


# --- forms ---------------------------------------------------------------------------------


class PersonForm(FormScreen):
    TITLE_KEY = "person_form.title_new"

    def __init__(self, person_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.person_id = person_id

    def heading(self) -> str:
        return t("person_form.title_edit" if self.person_id else "person_form.title_new")

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.persons import person_form_values, person_town_choices

        values = self.coop.data.read(person_form_values, self.person_id)
        towns = self.coop.data.read(person_town_choices, self.coop.plan_id, self.person_id)
        selected = [values["town_id"]] if values["town_id"] else []
        yield from self.field("name", t("person_form.name"), Input(values["name"], compact=True))
        yield from self.field("organisation", t("person_form.organisation"),
                              Input(values["organisation"], compact=True))
        yield from self.field("town_id", t("person_form.town"), Picker(towns, selected=selected, multiple=False))
        yield from self.field("role", t("person_form.role"), Input(values["role"], compact=True))
        yield from self.field("email", t("person_form.email"),
                              Input(values["email"], placeholder=t("person_form.email_placeholder"), compact=True))
        yield from self.field("phone", t("person_form.phone"), Input(values["phone"], compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    def collect(self) -> dict[str, Any]:
        town = self.query_one("#f-town_id", Picker).value
        return {
            "name": self.value("name"),
            "organisation": self.value("organisation"),
            "town_id": town[0] if town else None,
            "role": self.value("role"),
            "email": self.value("email"),
            "phone": self.value("phone"),
        }

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.persons import save_person

        return self.coop.data.write(save_person, self.coop.plan_id, self.person_id, data)


class TownForm(FormScreen):
    TITLE_KEY = "town_form.title_new"

    def __init__(self, town_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.town_id = town_id

    def heading(self) -> str:
        return t("town_form.title_edit" if self.town_id else "town_form.title_new")

    def fields(self) -> Iterator[Widget]:
        from coopterm.domain.persons import town_form_values

        values = self.coop.data.read(town_form_values, self.town_id)
        yield from self.field("name", t("town_form.name"), Input(values["name"], compact=True))
        yield from self.field("country", t("town_form.country"), Input(values["country"], compact=True))
        if self.town_id is None:
            yield Literal(t("town_form.reuse_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {"name": self.value("name"), "country": self.value("country")}

    def persist(self, data: dict[str, Any]) -> Any:
        from coopterm.domain.persons import save_town

        return self.coop.data.write(save_town, self.coop.plan_id, self.town_id, data)


class LeadsQuestion(TranslatedBindings, ModalScreen[str | None]):
    """Deleting someone who leads actions: hand them to another lead, leave them, or cancel.

    Dismisses with "replace", "leave", or ``None`` (escape: nothing changes).
    """

    BINDINGS = [
        Binding("escape", "answer('')", "key.cancel", id="leads.cancel"),
        Binding("r", "answer('replace')", "key.replace_lead", id="leads.replace"),
        Binding("l", "answer('leave')", "key.leave_without_lead", id="leads.leave"),
    ]
    DEFAULT_CSS = """
    LeadsQuestion #leads-box { width: 66; }
    LeadsQuestion #leads-box Button { width: 100%; margin-top: 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="leads-box"):
            yield Literal(self.question, id="question")
            yield Literal(t("person.delete_what"), classes="hint")
            yield Button(t("person.delete_replace"), id="replace", variant="primary")
            yield Button(t("person.delete_leave"), id="leave", variant="error")
            yield Button(t("person.delete_cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#replace", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer("" if event.button.id == "cancel" else str(event.button.id))

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)


# --- the screen --------------------------------------------------------------------------------


class PilotsScreen(PlanScreen):
    TITLE_KEY = "screen.pilots"
    BINDINGS = [
        Binding("slash", "filter", "key.filter", id="pilots.filter"),
        Binding("escape", "clear_filters", "key.clear_filters", id="pilots.clear_filters"),
        Binding("n", "new", "key.new", id="pilots.new"),
        Binding("e", "edit", "key.edit", id="pilots.edit"),
        Binding("delete", "delete_person", "key.delete", id="pilots.delete"),
        Binding("t", "toggle_towns", "key.towns_toggle", id="pilots.towns"),
    ]
    PALETTE = [
        ("palette.new_person", "palette.new_person_help", "new_person"),
        ("palette.edit_person", "palette.edit_person_help", "edit_person"),
        ("palette.delete_person", "palette.delete_person_help", "delete_person"),
        ("palette.filter_people", "palette.filter_people_help", "filter"),
        ("palette.new_town", "palette.new_town_help", "new_town"),
        ("palette.edit_town", "palette.edit_town_help", "edit_town"),
    ]
    DEFAULT_CSS = """
    PilotsScreen #people-filter-bar { height: auto; padding: 0 1; }
    PilotsScreen #people-filter { display: none; }
    PilotsScreen #people-filter.-active { display: block; }
    PilotsScreen #people-filter-summary { color: $warning; height: auto; }
    PilotsScreen #people-table, PilotsScreen #towns-table { height: 1fr; }
    PilotsScreen #person-detail {
        height: 8; border-top: solid $primary-darken-2; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    PilotsScreen #towns-hint { height: auto; border-top: solid $primary-darken-2; padding: 0 1; color: $text-muted; }
    """

    showing_towns: bool = False
    filter_text: str = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Literal(t("pilots.title"), id="pilots-title", classes="screen-title")
        with Vertical(id="people-filter-bar"):
            yield Input(placeholder=t("pilots.filter_placeholder"), id="people-filter", compact=True)
            yield Literal("", id="people-filter-summary")
        yield VirtualTable(people_columns(self.app.size.width), id="people-table", empty_text=t("pilots.empty"))
        yield Literal("", id="person-detail")
        yield VirtualTable(town_columns(), id="towns-table", empty_text=t("towns.empty"))
        yield Literal(t("towns.hint"), id="towns-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.filter_text = ""
        self.showing_towns = False
        self.people.set_source(PersonSource(self.coop.data, self.coop.plan_id))
        self.load_towns()
        self.show_view()
        self.show_filter_summary()

    # --- data ---------------------------------------------------------------------

    @property
    def people(self) -> VirtualTable:
        return self.query_one("#people-table", VirtualTable)

    @property
    def towns(self) -> VirtualTable:
        return self.query_one("#towns-table", VirtualTable)

    def load_towns(self) -> None:
        from coopterm.domain.persons import plan_towns

        rows = self.coop.data.read(plan_towns, self.coop.plan_id) if self.coop.plan_id else []
        self.towns.set_source(SequenceSource(rows))

    def reload(self) -> None:
        source = self.people.source
        if isinstance(source, PersonSource) and source.plan_id != self.coop.plan_id:
            self.people.set_source(PersonSource(self.coop.data, self.coop.plan_id, self.filter_text))
        else:
            self.people.reload()
        self.load_towns()
        self.show_detail(self.people.current_row)
        self.show_filter_summary()

    def show_view(self) -> None:
        towns = self.showing_towns
        self.query_one("#pilots-title", Literal).update(t("towns.title" if towns else "pilots.title"))
        for selector in ("#people-filter-bar", "#people-table", "#person-detail"):
            self.query_one(selector).display = not towns
        for selector in ("#towns-table", "#towns-hint"):
            self.query_one(selector).display = towns
        (self.towns if towns else self.people).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.showing_towns and action in ("filter", "clear_filters", "delete_person"):
            return False
        return True

    def show_filter_summary(self) -> None:
        summary = self.query_one("#people-filter-summary", Literal)
        if not self.filter_text:
            summary.update("")
            summary.display = False
            return
        count = self.people.row_count
        key = "pilots.filter.summary_one" if count == 1 else "pilots.filter.summary"
        summary.update(t(key, text=self.filter_text, count=count))
        summary.display = True

    def show_detail(self, row: Any | None) -> None:
        detail = self.query_one("#person-detail", Literal)
        if row is None:
            detail.update("")
            return
        from coopterm.domain.persons import person_detail

        d = self.coop.data.read(person_detail, row.id, self.coop.plan_id)
        if d is None:
            detail.update("")
            return
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(printable(d.name), "bold")
        if d.town:
            text.append(f" \u2014 {printable(d.town)}")
        about = " · ".join(printable(x) for x in (d.organisation, d.role) if x)
        text.append("\n" + (about or t("pilots.detail.no_organisation")))
        text.append("\n" + t("pilots.detail.contact", email=d.email or "\u2014", phone=d.phone or "\u2014"))
        if not d.actions:
            text.append("\n" + t("pilots.detail.leads_none"))
        else:
            key = "pilots.detail.leads_one" if len(d.actions) == 1 else "pilots.detail.leads_many"
            text.append("\n" + t(key, count=len(d.actions), open=d.load))
            shown = d.actions if len(d.actions) <= DETAIL_ACTIONS else d.actions[:DETAIL_ACTIONS - 1]
            for action in shown:
                text.append(f"\n  {action.code:<5} ")
                text.append(t(f"action_status.{action.status.value}"), "italic")
                text.append(f"  {printable(action.title)}")
            if len(shown) < len(d.actions):
                text.append("\n  " + t("pilots.detail.more", count=len(d.actions) - len(shown)))
        detail.update(text)

    # --- events -------------------------------------------------------------------

    def on_resize(self) -> None:
        wanted = people_columns(self.size.width)
        if [c.key for c in wanted] != [c.key for c in self.people.columns]:
            self.people.columns = wanted

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        if event.table.id == "people-table":
            self.show_detail(event.row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        if event.table.id == "people-table":
            self.app.push_screen(PersonForm(event.row.id), self._saved)
        else:
            self.app.push_screen(TownForm(event.row.id), self._town_saved)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "people-filter":
            self.filter_text = event.value.strip()
            self.people.set_source(PersonSource(self.coop.data, self.coop.plan_id, self.filter_text))
            self.show_filter_summary()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "people-filter":
            self.people.focus()

    # --- actions ------------------------------------------------------------------

    def _show_people(self) -> None:
        if self.showing_towns:
            self.showing_towns = False
            self.show_view()

    def _show_towns(self) -> None:
        if not self.showing_towns:
            self.showing_towns = True
            self.show_view()

    def action_toggle_towns(self) -> None:
        self.showing_towns = not self.showing_towns
        self.show_view()

    def action_filter(self) -> None:
        self._show_people()
        self.open_filter_box("#people-filter")

    def action_clear_filters(self) -> None:
        self.reset_filter_box("#people-filter")
        if self.filter_text:
            self.filter_text = ""
            self.people.set_source(PersonSource(self.coop.data, self.coop.plan_id))
        self.show_filter_summary()
        self.people.focus()

    def action_new(self) -> None:
        if self.showing_towns:
            self.action_new_town()
        else:
            self.action_new_person()

    def action_edit(self) -> None:
        if self.showing_towns:
            self.action_edit_town()
        else:
            self.action_edit_person()

    def action_new_person(self) -> None:
        self._show_people()
        self.app.push_screen(PersonForm(), self._saved)

    def action_edit_person(self) -> None:
        self._show_people()
        row = self.people.current_row
        if row is not None:
            self.app.push_screen(PersonForm(row.id), self._saved)

    def action_new_town(self) -> None:
        self._show_towns()
        self.app.push_screen(TownForm(), self._town_saved)

    def action_edit_town(self) -> None:
        self._show_towns()
        row = self.towns.current_row
        if row is not None:
            self.app.push_screen(TownForm(row.id), self._town_saved)

    def _saved(self, change: object) -> None:
        if change is not None:
            self.coop.plan_changed(change)
            self.notify(t("person.saved"))

    def _town_saved(self, change: object) -> None:
        if change is not None:
            self.coop.plan_changed(change)
            self.notify(t("town.saved"))

    def action_delete_person(self) -> None:
        from coopterm.domain.persons import delete_question, led_actions, replacement_choices

        self._show_people()
        row = self.people.current_row
        if row is None:
            return
        person_id, name = row.id, row.name
        leads = self.coop.data.read(led_actions, person_id)
        question = self.coop.data.read(delete_question, person_id)
        others = self.coop.data.read(replacement_choices, person_id)

        if not leads:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.delete_person(person_id, None)

            self.app.push_screen(ConfirmScreen(question), confirmed)
            return

        def replaced(value: object) -> None:
            if isinstance(value, uuid.UUID):
                self.delete_person(person_id, value)

        def answered(answer: str | None) -> None:
            if answer == "leave":
                self.delete_person(person_id, None)
            elif answer == "replace":
                if not others:
                    self.notify(t("person.no_replacement"), severity="warning")
                    return
                self.app.push_screen(ChooseScreen(t("person.choose_replacement", name=name), others), replaced)

        self.app.push_screen(LeadsQuestion(question), answered)

    def delete_person(self, person_id: uuid.UUID, replacement_id: uuid.UUID | None) -> None:
        """Delete in one transaction, handing the actions to ``replacement_id`` when given."""
        from coopterm.domain.persons import delete_person

        change = self.coop.data.write(delete_person, self.coop.plan_id, person_id, replacement_id)
        self.coop.plan_changed(change)
        self.notify(t("person.deleted"))
