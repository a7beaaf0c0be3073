"""Modal forms: ctrl+s saves, escape leaves without changing anything.

A form collects its fields as text, hands them to the domain layer, which
validates them and writes in one transaction.  When the domain refuses, each
reason is shown next to its field and nothing is saved.

What was typed or pasted loses its control characters first, here, for every
form (:func:`coopterm.text.without_controls`; long texts keep their lines and
tabs): they are invisible, never meant, and would reach the terminal or a
spreadsheet of whoever reads the plan next.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input

from coopterm.domain.validation import FormErrors
from coopterm.i18n import t
from coopterm.text import without_controls
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal, LiteralLabel
from coopterm.ui.screens.base import AppAccess


class FormScreen(AppAccess, TranslatedBindings, ModalScreen[Any]):
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", priority=True, id="form.save"),
        Binding("escape", "cancel", "key.cancel", id="form.cancel"),
    ]
    TITLE_KEY = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Literal(self.heading(), classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                yield from self.fields()
            yield Literal(t("form.hint"), classes="hint")

    def heading(self) -> str:
        return t(self.TITLE_KEY)

    def fields(self) -> Iterator[Widget]:
        raise NotImplementedError

    @staticmethod
    def field(name: str, label: str, widget: Widget) -> Iterator[Widget]:
        """A label, the input widget (id ``f-<name>``) and the place for its error."""
        widget.id = f"f-{name}"
        yield LiteralLabel(label, classes="field-label")
        yield widget
        yield Literal("", id=f"e-{name}", classes="field-error")

    def value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value

    def collect(self) -> dict[str, Any]:
        raise NotImplementedError

    def persist(self, data: dict[str, Any]) -> Any:
        """Validate and write in one transaction; raise FormErrors to refuse."""
        raise NotImplementedError

    def show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for error in self.query(".field-error"):
            name = (error.id or "")[2:]
            message = errors.get(name, "")
            error.update(message)
            error.set_class(bool(message), "-shown")
            if message and first is None:
                first = name
        unplaced = [msg for name, msg in errors.items() if not self.query(f"#e-{name}")]
        if unplaced:
            self.notify("\n".join(unplaced), severity="error")
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
            self.notify(t("form.refused"), severity="error")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
