"""The skeleton of the screens that list records: actions, meetings, pilots and towns,
funding, projects and indicators.

A screen is made of one or more *panes* (``RecordPane``): a ``VirtualTable`` over a
workspace source, the panel that shows the highlighted row, the form that creates
or edits a row, and what deleting one means.  The screen (``RecordListScreen``)
holds what every list does the same way: the ``/`` filter box and the quick-filter
chooser, the history toggle, ``n`` / ``e`` / ``delete`` on the pane shown (with a
confirmation before anything is deleted, which names what refers to the row and
what becomes of it: ``domain.dependents``), the notice once saved, and the reload when
the plan changes — the table keeps its cursor on the same row id, so the selection
follows a saved row.  A screen declares its panes, columns, quick filters and forms;
its layout (``compose``) stays its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual.widgets import Input

from coopterm.i18n import t
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.choose import ChooseScreen
from coopterm.ui.screens.confirm import ConfirmScreen
from coopterm.ui.widgets.virtual_table import RowSource, VirtualTable

if TYPE_CHECKING:
    from coopterm.ui.app import CooptermApp
    from coopterm.ui.forms.base import FormScreen

Query = TypeVar("Query")


class RecordPane(Generic[Query]):
    """One list of a screen: the table ``#<TABLE_ID>``, its rows, its form, its deletion.

    ``query`` is what the rows are filtered and sorted by (a domain query dataclass,
    or the filter text), read by :meth:`source` each time the list is (re)loaded.
    """

    NAME: ClassVar[str] = ""
    """What the screen calls the pane, where it has several ("projects")."""
    TABLE_ID: ClassVar[str]
    FILTER_ID: ClassVar[str] = ""
    """The id of the pane's ``/`` filter box; empty when the list has none."""
    SAVED: ClassVar[str] = ""
    """The notice once a form of this pane is saved."""
    DELETED: ClassVar[str] = ""
    """The notice once a row is deleted."""
    FORM: ClassVar[type[FormScreen] | None] = None
    """The form of a row, given the row's id (``None``: a new one)."""

    def __init__(self, screen: RecordListScreen, query: Query) -> None:
        self.screen = screen
        self.query = query
        self.blank = query
        self.stale = False
        """Whether the rows shown are older than the last change (the pane was hidden then)."""

    @property
    def coop(self) -> CooptermApp:
        return self.screen.coop

    @property
    def table(self) -> VirtualTable:
        return self.screen.query_one(f"#{self.TABLE_ID}", VirtualTable)

    # --- the rows -------------------------------------------------------------------

    def source(self) -> RowSource:
        """The rows of ``query`` in the current plan, from the workspace."""
        raise NotImplementedError

    def load(self) -> None:
        """Read the list again (new filters, a change, another plan); the cursor keeps its row."""
        self.stale = False
        self.table.set_source(self.source())

    def filtered(self, text: str) -> Query:
        """``query`` with the filter box's ``text``."""
        return dataclasses.replace(self.query, text=text)  # type: ignore[type-var]  # every list's Query is a dataclass with a text field

    def cleared(self) -> Query:
        """``query`` without its filters (``escape``)."""
        return self.blank

    def show(self, row: Any | None) -> None:
        """Show the highlighted ``row`` (``None``: no row) in the pane's panel."""

    # --- records --------------------------------------------------------------------

    def form(self, row: Any | None) -> FormScreen | None:
        """The form for ``row`` (``None``: a new record), or ``None`` when there is none to open
        (the pane said why)."""
        return None if self.FORM is None else self.FORM(None if row is None else row.id)

    def delete_question(self, row: Any) -> str | None:
        """What to ask before deleting ``row``; ``None`` when it is not deleted from this list
        (the pane said why, if there is a reason to give)."""
        return None

    def delete(self, row: Any) -> object:
        """Delete ``row`` in one transaction; returns the change (asked only after a question)."""
        raise NotImplementedError


class RecordListScreen(PlanScreen):
    """A screen of record lists.  ``PANES`` builds its panes, the first shown first."""

    PANES: ClassVar[Sequence[Callable[[RecordListScreen], RecordPane[Any]]]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.panes = [make(self) for make in self.PANES]
        self.pane = self.panes[0]
        """The pane shown: ``n``, ``e`` and ``delete`` act on it."""
        self.labels: dict[str, str] = {}
        """The names of the quick filters' chosen values, for the filter summary."""

    def on_mount(self) -> None:
        self.reload()
        self.show_pane(self.pane)

    def pane_of(self, table: VirtualTable) -> RecordPane[Any] | None:
        return next((pane for pane in self.panes if pane.TABLE_ID == table.id), None)

    # --- data ---------------------------------------------------------------------

    def apply_query(self, query: Any, pane: RecordPane[Any] | None = None) -> None:
        """Show ``pane``'s rows (the pane shown by default) filtered and sorted by ``query``."""
        pane = pane or self.pane
        pane.query = query
        pane.load()
        self.show_filter_summary()

    def reload(self) -> None:
        """Read the pane shown again; a hidden pane is read when it is next shown, so a
        screen of several lists pays only for the one in sight (the indicators of the
        funding screen recount the whole plan)."""
        for pane in self.panes:
            pane.stale = pane is not self.pane
        self.pane.load()
        self.pane.show(self.pane.table.current_row)
        self.show_filter_summary()
        self.show_panels()

    def plan_switched(self) -> None:
        self.labels = {}
        for pane in self.panes:
            pane.query = self.query_on_switch(pane)
        self.plan_changed(None)

    def query_on_switch(self, pane: RecordPane[Any]) -> Any:
        """What ``pane`` filters by in another plan: the same, unless a screen says otherwise."""
        return pane.query

    def show_filter_summary(self) -> None:
        """The line under the filter box saying which filters are on and how many rows they keep."""

    def show_panels(self) -> None:
        """What the screen shows beside its lists (the rhythm of meetings, the totals of funding)."""

    # --- events -------------------------------------------------------------------

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        pane = self.pane_of(event.table)
        if pane is not None:
            pane.show(event.row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        pane = self.pane_of(event.table)
        if pane is not None:
            self.open_form(pane, event.row)

    def on_input_changed(self, event: Input.Changed) -> None:
        pane = self.filter_pane(event.input.id)
        if pane is not None:
            self.apply_query(pane.filtered(event.value.strip()), pane)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        pane = self.filter_pane(event.input.id)
        if pane is not None:
            pane.table.focus()

    def filter_pane(self, box_id: str | None = None) -> RecordPane[Any] | None:
        """The pane filtered by the box ``box_id`` (by default, the first pane with a box)."""
        return next((p for p in self.panes if p.FILTER_ID and (box_id is None or p.FILTER_ID == box_id)), None)

    # --- filters --------------------------------------------------------------------

    def show_pane(self, pane: RecordPane[Any]) -> None:
        """Make ``pane`` the one shown, its table focused and its rows current (a screen with
        several panes says how the others hide)."""
        self.pane = pane
        if pane.stale:
            pane.load()
            pane.show(pane.table.current_row)
            self.show_filter_summary()
        pane.table.focus()

    def switch_to(self, pane: RecordPane[Any]) -> None:
        """Show ``pane`` unless it is shown already (the focus then stays where it is)."""
        if pane is not self.pane:
            self.show_pane(pane)

    def action_filter(self) -> None:
        pane = self.filter_pane()
        if pane is not None:
            self.switch_to(pane)
            self.open_filter_box(f"#{pane.FILTER_ID}")

    def action_clear_filters(self) -> None:
        pane = self.filter_pane()
        if pane is None:
            return
        self.reset_filter_box(f"#{pane.FILTER_ID}")
        self.labels = {}
        self.apply_query(pane.cleared(), pane)
        pane.table.focus()

    def choose_filter(self, title: str, choices: Sequence[tuple[Any, str]], field: str,
                      value_of: Callable[[Any], Any] | None = None) -> None:
        """Ask for one of ``choices`` and filter the pane shown by it (``field`` of its query).

        The chosen label is kept for the summary, under ``field`` less its ``_id``; a
        ``value_of`` (an enum) turns the chosen value into the query's.
        """
        def chosen(value: object) -> None:
            if value is None:
                return
            if value_of is None:
                self.labels[field.removesuffix("_id")] = dict(choices).get(value, "?")
            self.apply_query(dataclasses.replace(self.pane.query, **{field: value_of(value) if value_of else value}))

        self.app.push_screen(ChooseScreen(title, choices), chosen)

    @property
    def history_shown(self) -> bool:
        return self.has_class("-history")

    def action_toggle_history(self) -> None:
        """Show or hide the highlighted row's history; the table gives it room while it is shown."""
        self.toggle_class("-history")
        self.pane.show(self.pane.table.current_row)  # the table keeps its cursor in view as it shrinks

    # --- records --------------------------------------------------------------------

    def open_form(self, pane: RecordPane[Any], row: Any | None) -> None:
        form = pane.form(row)
        if form is not None:
            self.app.push_screen(form, lambda change: self.saved(pane, change))

    def saved(self, pane: RecordPane[Any], change: object) -> None:
        """Once saved, the row saved (new or edited) is the highlighted one: its panel shows it,
        and ``delete`` acts on it."""
        if change is not None:
            self.coop.plan_changed(change)
            row_id = getattr(change, "id", None)
            if row_id is not None:
                pane.table.move_to_row(row_id)
            self.notify(t(pane.SAVED))

    def action_new(self) -> None:
        self.open_form(self.pane, None)

    def action_edit(self) -> None:
        row = self.pane.table.current_row
        if row is not None:
            self.open_form(self.pane, row)

    def action_delete(self) -> None:
        pane = self.pane
        row = pane.table.current_row
        if row is None:
            return
        question = pane.delete_question(row)
        if question is None:
            return
        question = "\n".join([question, *self.coop.data.dependents.of(getattr(row, "id", None))])

        def answered(yes: bool | None) -> None:
            if yes:
                self.coop.plan_changed(pane.delete(row))
                self.notify(t(pane.DELETED, **self.deleted_words(row)))
            else:
                self.notify(t("confirm.nothing_deleted"))

        self.app.push_screen(ConfirmScreen(question), answered)

    def deleted_words(self, row: Any) -> dict[str, Any]:
        """The words the deletion notice names the row with."""
        return {}
