"""Review the conflicts a merge found: what happened, in plain words, and the two sides.

A merge settles each field of a row on its own and records for review what it
could not settle alone (``domain.conflicts`` describes the four kinds).  For the
highlighted conflict the screen says what happened, when and on which copy each
side was made, and compares them field by field.  The coordinator either keeps
what is in the plan (``k``, which closes the conflict) or takes the other side
(``o``, after a confirmation), whose meaning follows the kind, and so do its
label in the footer, the hint and the question: take the other value of a
field, bring a deleted row back, delete a restored row again, or renumber an
action that shares its number.  Where there is nothing to take, ``o`` is not
offered.  Every answer is written as a new change made on this copy.

The screen is pushed over the current one (``escape`` goes back to it); the list
is short (a handful per merge), so it is read whole through the workspace.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
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

CHILDREN_SHOWN = 5
"""Rows named in the sentence of a restored conflict; more read "…"."""

TAKE_LABELS = {
    "edit": "key.take_other_value", "edit_many": "key.take_other", "deleted": "key.bring_back",
    "restored": "key.delete_again", "same_number": "key.renumber",
}
"""What ``o`` says in the footer, by :func:`variant`."""

STORIES = {
    "edit": "conflicts.story.edit", "edit_many": "conflicts.story.edit", "deleted": "conflicts.story.deleted",
    "restored": "conflicts.story.restored", "same_number": "conflicts.story.same_number",
    "refused": "conflicts.story.refused",
}
HINTS = {
    "edit": "conflicts.hint.edit", "edit_many": "conflicts.hint.edit_many", "deleted": "conflicts.hint.deleted",
    "restored": "conflicts.hint.restored", "same_number": "conflicts.hint.same_number",
}
QUESTIONS = {
    "edit": "conflicts.question.edit", "edit_many": "conflicts.question.edit_many",
    "deleted": "conflicts.question.deleted", "restored": "conflicts.question.restored",
    "same_number": "conflicts.question.same_number",
}
YES = {
    "edit": "conflicts.yes.edit", "edit_many": "conflicts.yes.edit_many", "deleted": "conflicts.yes.deleted",
    "restored": "conflicts.yes.restored", "same_number": "conflicts.yes.same_number",
}
DONE = {
    "edit": "conflicts.done.edit", "edit_many": "conflicts.done.edit_many", "deleted": "conflicts.done.deleted",
    "restored": "conflicts.done.restored", "same_number": "conflicts.done.same_number",
}
"""The messages of each variant, each key written whole so it can be searched for;
``tests/app/test_app_conflicts.py`` checks both catalogues hold every one."""


def variant(conflict: ConflictView) -> str:
    """The conflict's kind, with an edit of several fields (a record from before field-level
    merging) told apart: its ``o`` takes every field listed, not one value."""
    if conflict.kind == "edit" and len(conflict.fields) != 1:
        return "edit_many"
    return conflict.kind if conflict.kind in STORIES else "edit_many"


def _params(conflict: ConflictView) -> dict[str, str]:
    """What the messages of a conflict may name; all of it data, filled in literally by ``t``."""
    children = ", ".join(conflict.children[:CHILDREN_SHOWN])
    if len(conflict.children) > CHILDREN_SHOWN:
        children += ", …"
    single = conflict.fields[0] if len(conflict.fields) == 1 else None
    return {
        "what": conflict.what, "label": conflict.label,
        "fields": ", ".join(f.label for f in conflict.fields) or "—",
        "field": single.label if single else "", "other": single.other if single else "",
        "children": children or "—", "number": conflict.number, "same_as": conflict.same_as,
        "renumber_to": conflict.renumber_to, "may_change": ", ".join(conflict.may_change) or "—",
    }


def story(conflict: ConflictView) -> Text:
    """What happened, in plain words, for this kind of conflict."""
    return Text(t(STORIES[variant(conflict)], **_params(conflict)))


def _when_by(when: Any, copy: str) -> str:
    return t("conflicts.when_by", when=local_time(when), copy=copy) if copy else local_time(when)


def made(conflict: ConflictView) -> Text:
    """When, and on which copy, each side was made."""
    key = "conflicts.made.same_number" if conflict.kind == "same_number" else "conflicts.made"
    return Text(t(key, kept=_when_by(conflict.kept_when, conflict.kept_by),
                  other=_when_by(conflict.other_when, conflict.other_by)))


def hint(conflict: ConflictView) -> Text:
    """What ``k`` and ``o`` do for this conflict."""
    if conflict.can_take_other:
        return Text(t(HINTS[variant(conflict)], **_params(conflict)))
    if conflict.kind == "restored":
        return Text(t("conflicts.hint.keep_only_restored", what=conflict.what))
    if conflict.kind == "refused":
        return Text(t("conflicts.hint.refused"))
    return Text(t("conflicts.hint.keep_only"))


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


SUBJECTS = {"deleted": "conflicts.subject.deleted", "restored": "conflicts.subject.restored",
            "same_number": "conflicts.subject.same_number", "refused": "conflicts.subject.refused"}


def subject(conflict: ConflictView) -> str:
    """What the conflict is about, in a word or two, so two conflicts on one row (two fields)
    read apart in the list: the fields of an edit, else its kind."""
    if conflict.kind in SUBJECTS:
        return t(SUBJECTS[conflict.kind])
    return ", ".join(f.label for f in conflict.fields) or "—"


def list_columns() -> list[Column]:
    return [
        Column("what", t("conflicts.col.what"), 12, lambda c: c.what),
        Column("label", t("conflicts.col.label"), None, lambda c: c.label),
        Column("subject", t("conflicts.col.subject"), 13, subject),
        Column("kept", t("conflicts.col.kept_when"), 16, lambda c: local_time(c.kept_when)),
        Column("other", t("conflicts.col.other_when"), 16, lambda c: local_time(c.other_when)),
    ]


def comparison(conflict: ConflictView) -> RenderableType:
    """Field | value in the plan | other value, for the fields where the two differ (for two
    actions with one number: the code now and the code renumbering gives)."""
    if not conflict.fields:
        return Text(t("conflicts.same_fields"), style="dim")
    grid = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False, padding=(0, 1))
    grid.add_column(t("conflicts.col.field"), style="bold", ratio=1)
    grid.add_column(t("conflicts.col.kept"), ratio=2)
    grid.add_column(t("conflicts.col.renumbered" if conflict.kind == "same_number" else "conflicts.col.other"),
                    ratio=2)
    for field in conflict.fields:
        grid.add_row(literal(field.label), literal(field.kept), literal(field.other))
    return grid


class ConflictsScreen(AppAccess, TranslatedBindings, Screen[None]):
    """The open conflicts, and for the highlighted one what happened and its two sides."""

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
            yield Literal("", id="conflict-story")
            yield Literal("", id="conflict-versions")
            yield Literal("", id="conflict-comparison")
        yield Literal("", id="conflicts-hint", classes="hint")
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
        parts = {"#conflict-story": story, "#conflict-versions": made, "#conflict-comparison": comparison,
                 "#conflicts-hint": hint}
        for selector, build in parts.items():
            self.query_one(selector, Literal).update(build(conflict) if conflict is not None else "")
        self.refresh_bindings()  # what o says, and whether it is offered, follow the conflict

    # --- keys that follow the conflict -------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``k`` and ``o`` only with a conflict to answer, ``o`` only when there is something to take."""
        if action in ("keep", "take_other"):
            conflict = self.current
            return conflict is not None and (action == "keep" or conflict.can_take_other)
        return True

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's bindings, ``o`` saying what it does for the highlighted conflict."""
        bindings = super().active_bindings
        conflict = self.current
        if conflict is None:
            return bindings
        label = t(TAKE_LABELS.get(variant(conflict), TAKE_LABELS["edit"]))
        return {key: ActiveBinding(a.node, replace(a.binding, description=label), a.enabled, a.tooltip)
                if a.binding.action == "take_other" else a
                for key, a in bindings.items()}

    # --- answers ----------------------------------------------------------------------

    def action_keep(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        self._write(self.coop.data.conflicts.keep, conflict,
                    t("conflicts.kept_done", what=conflict.what, label=conflict.label))

    def action_take_other(self) -> None:
        conflict = self.current
        if conflict is None or not conflict.can_take_other:
            return
        kind, params = variant(conflict), _params(conflict)

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(self.coop.data.conflicts.take_other, conflict, t(DONE[kind], **params))

        question = Text(t(QUESTIONS[kind], **params))
        self.app.push_screen(ChoiceScreen(question, t(YES[kind])), answered)

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
