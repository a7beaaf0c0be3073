"""Modal forms: ctrl+s saves, escape leaves without changing anything.

A form declares its fields (``FIELDS``, see ``forms.fields``) and reads what they
start from in one workspace call (``start``); the base lays each one out with
:meth:`FormScreen.field` (a label, the widget with id ``f-<name>``, the place for
its error) and collects every field so laid out by the kind of widget it is
(:func:`field_value`), so no form reads its own widgets.  It hands the values to
the workspace, where the domain validates them and writes in one transaction.
When the domain refuses, each reason is shown next to its field and nothing is
saved.

What was typed or pasted loses its control characters first, here, for every
form (:func:`coopterm.text.without_controls`; long texts keep their lines and
tabs): they are invisible, never meant, and would reach the terminal or a
spreadsheet of whoever reads the plan next.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar, Protocol, runtime_checkable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Select, TextArea

from coopterm.domain.validation import FormErrors
from coopterm.i18n import t
from coopterm.text import without_controls
from coopterm.ui.forms.fields import Field
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal, LiteralLabel
from coopterm.ui.screens.base import AppAccess
from coopterm.ui.widgets.picker import Picker


def field_value(widget: Widget) -> Any:
    """What a field holds, by the kind of widget it is: a text area's text, a picker's
    chosen ids as a list (one or none for a single choice), a list's value (``None`` while
    nothing is chosen), and any other widget's ``value`` (inputs, check boxes, the
    decisions of a meeting)."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Picker):
        return list(widget.value)
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, Valued):
        return widget.value
    raise TypeError(f"{type(widget).__name__} holds no value a form can collect")


@runtime_checkable
class Valued(Protocol):
    """A field widget that says what it holds (``Input``, ``Checkbox``, a meeting's decisions)."""

    @property
    def value(self) -> Any: ...


class FormScreen(AppAccess, TranslatedBindings, ModalScreen[Any]):
    """A form over one record: ``record_id`` is the one edited, ``None`` for a new one."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", priority=True, id="form.save"),
        Binding("escape", "cancel", "key.cancel", id="form.cancel"),
    ]
    TITLE_KEY = ""
    """The heading of a new record (of every record when there is no ``EDIT_TITLE_KEY``)."""
    EDIT_TITLE_KEY = ""
    """The heading while an existing record is edited."""
    FOCUS = ""
    """The field the cursor starts in."""
    FIELDS: ClassVar[Sequence[Field]] = ()

    def __init__(self, record_id: Any = None, **heading_words: object) -> None:
        """``heading_words`` fill the heading's message (the indicator a target is of)."""
        super().__init__()
        self.record_id = record_id
        self.heading_words = heading_words
        self.field_names: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Literal(self.heading(), classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                yield from self.fields()
            yield Literal("", id="form-refusal", classes="field-error")
            yield Literal(t("form.hint"), classes="hint")

    def heading(self) -> str:
        editing = self.record_id is not None and self.EDIT_TITLE_KEY
        return t(self.EDIT_TITLE_KEY if editing else self.TITLE_KEY, **self.heading_words)

    @on(events.Mount)
    def focus_first_field(self) -> None:
        """After a form's own ``on_mount`` (which may add fields), the cursor goes to ``FOCUS``."""
        if self.FOCUS:
            self.query_one(f"#f-{self.FOCUS}").focus()

    @on(events.DescendantFocus)
    def keep_focus_in_view(self, event: events.DescendantFocus) -> None:
        """The field that has the cursor is scrolled into view whole: a picker's list under its
        filter box, not only the box (at 100×30 the towns of an action sat below the form)."""
        field: Widget | None = event.widget
        while field is not None and not (field.id or "").startswith("f-"):
            field = field.parent if isinstance(field.parent, Widget) else None
        scroller = self.query(".form-fields").first(VerticalScroll) if self.query(".form-fields") else None
        if field is not None and scroller is not None:
            scroller.scroll_to_widget(field, animate=False)

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        """What the fields start from, by name, and the choices of the lists and pickers, by name."""
        return {}, {}

    def fields(self) -> Iterator[Widget]:
        """``FIELDS`` in order, each followed by what :meth:`after` puts under it."""
        values, choices = self.start()
        for declared in self.laid_out():
            widget = declared.widget(values.get(declared.name), choices.get(declared.name, ()))
            yield from self.field(declared.name, t(declared.label), widget)
            yield from self.after(declared.name)

    def laid_out(self) -> Sequence[Field]:
        """The fields this form shows: ``FIELDS``, unless some are offered only at times."""
        return self.FIELDS

    def after(self, name: str) -> Iterator[Widget]:
        """What stands under the field ``name`` (a hint), if anything."""
        return iter(())

    def field(self, name: str, label: str, widget: Widget) -> Iterator[Widget]:
        """A label, the widget (id ``f-<name>``, collected as ``name``) and the place for its error."""
        widget.id = f"f-{name}"
        self.field_names.append(name)
        yield LiteralLabel(label, classes="field-label")
        yield widget
        yield Literal("", id=f"e-{name}", classes="field-error")

    def value(self, name: str) -> Any:
        """What the field ``name`` holds now (see :func:`field_value`)."""
        return field_value(self.query_one(f"#f-{name}"))

    def collect(self) -> dict[str, Any]:
        """Every field laid out by :meth:`field`, by name."""
        return {name: self.value(name) for name in self.field_names}

    def persist(self, data: dict[str, Any]) -> Any:
        """Validate and write in one transaction; raise FormErrors to refuse."""
        raise NotImplementedError

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each reason under its field, the cursor in the first refused one; what belongs to no
        field, and the word that nothing was saved, in the line under the fields.  No toast:
        one would cover the very fields the reasons are about."""
        first = None
        for error in self.query(".field-error").results(Literal):
            if not (error.id or "").startswith("e-"):
                continue
            name = (error.id or "")[2:]
            message = errors.get(name, "")
            error.update(message)
            error.set_class(bool(message), "-shown")
            if message and first is None:
                first = name
        unplaced = [msg for name, msg in errors.items() if not self.query(f"#e-{name}")]
        refusal = self.query_one("#form-refusal", Literal)
        refusal.update("\n".join([*unplaced, t("form.refused")]) if errors else "")
        refusal.set_class(bool(errors), "-shown")
        if first is not None:
            widget = self.query_one(f"#f-{first}")
            widget.focus()
            widget.scroll_visible()

    def typed(self) -> dict[str, Any]:
        """What :meth:`collect` read, without control characters (see the module's docstring)."""
        def clean(value: Any, multiline: bool = False) -> Any:
            if isinstance(value, str):
                return without_controls(value, multiline=multiline)
            if isinstance(value, dict):
                return {key: clean(item) for key, item in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(clean(item) for item in value)
            return value

        return {name: clean(value, multiline=bool(self.query(f"TextArea#f-{name}")))
                for name, value in self.collect().items()}

    def action_save(self) -> None:
        # Any other refusal (a full disk, a lock held too long) is shown by the app's
        # run_action; the form is not dismissed, so it stays as typed.
        try:
            result = self.persist(self.typed())
        except FormErrors as refused:
            self.show_errors(refused.errors)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
