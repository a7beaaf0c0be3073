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
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Header, Input

from coopterm.domain.persons import PersonRow
from coopterm.i18n import t
from coopterm.text import printable
from coopterm.ui.forms.person import PersonForm
from coopterm.ui.forms.town import TownForm
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal
from coopterm.ui.screens.choose import ChooseScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.screens.record_list import RecordListScreen, RecordPane
from coopterm.ui.widgets.virtual_table import Column, RowSource, SequenceSource, VirtualTable

DETAIL_ACTIONS = 3
"""Actions listed in the detail pane before "and n more"."""


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


class PeoplePane(RecordPane[str]):
    """Everyone the filter text keeps; the query is that text."""

    TABLE_ID = "people-table"
    FILTER_ID = "people-filter"
    SAVED = "person.saved"
    FORM = PersonForm

    def source(self) -> RowSource:
        return self.coop.data.people.source(self.coop.plan, self.query)

    def filtered(self, text: str) -> str:
        return text

    def show(self, row: PersonRow | None) -> None:
        """The highlighted person's contact and the actions they lead."""
        detail = self.screen.query_one("#person-detail", Literal)
        d = self.coop.data.people.detail(row.id, self.coop.plan) if row is not None else None
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


class TownsPane(RecordPane[None]):
    """The plan's partner towns (a handful: read whole).  Deleting one says first what it
    takes with it (``domain.dependents``), then ``domain.removal.delete_town``."""

    TABLE_ID = "towns-table"
    SAVED = "town.saved"
    DELETED = "town.deleted"
    FORM = TownForm

    def source(self) -> RowSource:
        return SequenceSource(self.coop.data.towns.rows(self.coop.plan))

    def delete_question(self, row: Any) -> str:
        return t("town.delete_question", name=row.name)

    def delete(self, row: Any) -> object:
        return self.coop.data.towns.delete(self.coop.plan, row.id)


class PilotsScreen(RecordListScreen):
    TITLE_KEY = "screen.pilots"
    BINDINGS = [
        Binding("slash", "filter", "key.filter", id="pilots.filter"),
        Binding("escape", "clear_filters", "key.clear_filters", id="pilots.clear_filters"),
        Binding("n", "new", "key.new", id="pilots.new"),
        Binding("e", "edit", "key.edit", id="pilots.edit"),
        Binding("delete", "delete_shown", "key.delete", id="pilots.delete"),
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

    PANES = (lambda screen: PeoplePane(screen, ""), lambda screen: TownsPane(screen, None))

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

    @property
    def people(self) -> VirtualTable:
        return self.panes[0].table

    @property
    def towns(self) -> VirtualTable:
        return self.panes[1].table

    @property
    def showing_towns(self) -> bool:
        return self.pane is self.panes[1]

    def show_pane(self, pane: RecordPane[Any]) -> None:
        """People, or towns: the title says which, and the other list hides."""
        self.pane = pane
        towns = self.showing_towns
        self.query_one("#pilots-title", Literal).update(t("towns.title" if towns else "pilots.title"))
        for selector in ("#people-filter-bar", "#people-table", "#person-detail"):
            self.query_one(selector).display = not towns
        for selector in ("#towns-table", "#towns-hint"):
            self.query_one(selector).display = towns
        super().show_pane(pane)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.showing_towns and action in ("filter", "clear_filters", "delete_person"):
            return False
        return True

    def show_filter_summary(self) -> None:
        summary = self.query_one("#people-filter-summary", Literal)
        text = self.panes[0].query
        if not text:
            summary.update("")
            summary.display = False
            return
        count = self.people.row_count
        key = "pilots.filter.summary_one" if count == 1 else "pilots.filter.summary"
        summary.update(t(key, text=text, count=count))
        summary.display = True

    def on_resize(self) -> None:
        wanted = people_columns(self.size.width)
        if [c.key for c in wanted] != [c.key for c in self.people.columns]:
            self.people.columns = wanted

    # --- commands -----------------------------------------------------------------

    def action_toggle_towns(self) -> None:
        self.show_pane(self.panes[0] if self.showing_towns else self.panes[1])

    def _new_in(self, pane: RecordPane[Any]) -> None:
        self.switch_to(pane)
        self.action_new()

    def _edit_in(self, pane: RecordPane[Any]) -> None:
        self.switch_to(pane)
        self.action_edit()

    def action_new_person(self) -> None:
        self._new_in(self.panes[0])

    def action_edit_person(self) -> None:
        self._edit_in(self.panes[0])

    def action_new_town(self) -> None:
        self._new_in(self.panes[1])

    def action_edit_town(self) -> None:
        self._edit_in(self.panes[1])

    def action_delete_shown(self) -> None:
        """``delete`` deletes in the list shown: the highlighted town, or person."""
        if self.showing_towns:
            self.action_delete()
        else:
            self.action_delete_person()

    def deleted_words(self, row: Any) -> dict[str, Any]:
        return {"name": getattr(row, "name", "")}

    def action_delete_person(self) -> None:
        """Confirm; someone who leads actions hands them to another lead, or leaves them without."""
        self.switch_to(self.panes[0])
        row = self.people.current_row
        if row is None:
            return
        person_id, name = row.id, row.name
        deletion = self.coop.data.people.deletion(person_id)
        others = deletion.replacements

        if not deletion.leads:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.delete_person(person_id, None)

            self.app.push_screen(ConfirmScreen(deletion.question), confirmed)
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

        self.app.push_screen(LeadsQuestion(deletion.question), answered)

    def delete_person(self, person_id: uuid.UUID, replacement_id: uuid.UUID | None) -> None:
        """Delete in one transaction, handing the actions to ``replacement_id`` when given."""
        change = self.coop.data.people.delete(self.coop.plan, person_id, replacement_id)
        self.coop.plan_changed(change)
        self.notify(t("person.deleted"))
