"""A form's fields, declared: a name, a label, a kind — the widget follows from them.

A form lists its ``Field``s in ``FormScreen.FIELDS``; the base lays them out in that
order from the values and choices the form reads (one workspace call), and collects
them back by the kind of widget each is.  Kinds:

- ``line``: one line of text; ``date``: the same, with the date format as placeholder;
- ``text``: several lines (a ``TextArea``, ``classes`` "short" unless said);
- ``check``: a check box, its own words under ``box``;
- ``one`` / ``many``: a ``Picker`` over the choices, one id at most or several;
- ``list``: a ``Select`` over the choices, given as (label, value); with a ``prompt``, it
  may stay empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, TextArea

from coopterm.i18n import t
from coopterm.ui.literal import options
from coopterm.ui.widgets.picker import Picker


@dataclass(frozen=True)
class Field:
    name: str
    """The key of the value collected (and of the error the domain gives for it)."""
    label: str
    """The message key of the label above the field."""
    kind: str = "line"
    placeholder: str = ""
    """The message key of what an empty line shows."""
    example: str = ""
    """What an empty line shows, as written (an example: "HH:MM")."""
    classes: str = "short"
    """The style of a ``text`` field."""
    box: str = ""
    """The message key of a check box's words."""
    compact: bool = True
    prompt: str = ""
    """The message key of what an empty ``list`` shows; without it, a value must be chosen."""
    suggest: bool = False
    """A ``line`` that completes from its choices as it is typed (known funders)."""

    def widget(self, value: Any, choices: Sequence[Any]) -> Widget:
        """The field's widget, holding ``value`` (``None``: empty), choosing among ``choices``."""
        if self.kind in ("line", "date"):
            placeholder = (t("form.date_placeholder") if self.kind == "date"
                           else t(self.placeholder) if self.placeholder else self.example)
            suggester = SuggestFromList(choices, case_sensitive=False) if self.suggest else None
            return Input(value, placeholder=placeholder, compact=True, suggester=suggester)
        if self.kind == "text":
            return TextArea(value or "", classes=self.classes)
        if self.kind == "check":
            return Checkbox(t(self.box), bool(value), compact=self.compact)
        if self.kind in ("one", "many"):
            selected = value if isinstance(value, list) else [value] if value else []
            return Picker(choices, selected=selected, multiple=self.kind == "many")
        if self.kind == "list":
            if self.prompt:
                return Select(options(choices), prompt=t(self.prompt), compact=True)
            return Select(options(choices), value=value, allow_blank=False, compact=True)
        raise ValueError(f"unknown kind of field: {self.kind!r}")
