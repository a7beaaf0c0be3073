"""Choose one or several items from a filtered list, keeping the order of choice.

Made for the modal forms: the pilots of an action (their order matters: the first
one leads) among the people, the towns of an action among the plan's towns.

Keys: type to filter (every word typed, accents and case aside: "leila" finds
"Leïla", by the one rule of ``coopterm.folding`` that the list filters use too);
up/down move in the list, also from the filter; space or enter toggles; tab goes
from the filter to the list and back; typing a letter in the list goes on
filtering.  The line under the list recalls the selection in order.
"""

from __future__ import annotations

from typing import ClassVar, Hashable, Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.scalar import Unit
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from coopterm import present
from coopterm.folding import fold, words
from coopterm.i18n import t
from coopterm.ui.literal import Literal, literal

__all__ = ["Picker", "normalize"]

SHOWN_MAX = 200
"""Options drawn at most: a list of 20,000 people would cost some 50 MB and nobody
scrolls it; the filter narrows it, and a last line says how many more match."""

normalize = fold
"""The matching rule's fold, under the name ``coopterm.ui.widgets`` has exported it by."""


class _Filter(Input):
    """The filter line: up/down/enter act on the list below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "list('cursor_down')", show=False, id="picker.down"),
        Binding("up", "list('cursor_up')", show=False, id="picker.up"),
        Binding("pagedown", "list('page_down')", show=False, id="picker.page_down"),
        Binding("pageup", "list('page_up')", show=False, id="picker.page_up"),
        Binding("enter", "list('select')", show=False, id="picker.select"),
    ]

    def action_list(self, action: str) -> None:
        picker = self.parent
        if isinstance(picker, Picker):
            getattr(picker._list, f"action_{action}")()


class _Choices(OptionList):
    """The list: space toggles like enter; a letter typed here goes to the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "select", show=False, id="picker.choose")]

    async def _on_key(self, event: events.Key) -> None:  # Textual's own handler is a coroutine
        picker = self.parent
        if not isinstance(picker, Picker):
            return
        if event.key == "backspace":
            event.stop()
            event.prevent_default()
            picker._filter.focus()
            picker._filter.action_end()
            picker._filter.action_delete_left()
        elif event.is_printable and event.character and event.character != " ":
            event.stop()
            event.prevent_default()
            picker._filter.focus()
            picker._filter.action_end()
            picker._filter.insert_text_at_cursor(event.character)


class Picker(Vertical):
    """A filtered single or ordered multiple choice.

    ``value`` is the list of chosen ids in order: pre-selected ones first, in the
    order given, then each newly chosen one at the end.  Ids in ``selected`` that
    are not among ``choices`` are ignored.  Posts ``Picker.Changed`` on every change.
    """

    DEFAULT_CSS = """
    Picker {
        height: auto;
        max-height: 100%;
        & > _Filter {
            width: 1fr;
            margin-bottom: 0;
        }
        & > _Choices {
            height: auto;
            max-height: 8;
            width: 1fr;
            background: $surface;
        }
        & > .picker--selection {
            height: auto;
            max-height: 2;
            color: $text-muted;
        }
        &:focus-within > .picker--selection {
            color: $foreground;
        }
    }
    """

    class Changed(Message):
        """The selection changed; ``value`` is the ordered list of chosen ids."""

        def __init__(self, picker: Picker, value: list[Hashable]) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self,
        choices: Sequence[tuple[Hashable, str]],
        selected: Sequence[Hashable] = (),
        *,
        multiple: bool = True,
        placeholder: str | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """
        Args:
            choices: ``(id, label)`` pairs in display order; ids are hashable and unique.
            selected: The ids chosen at first, in their order.
            multiple: Several choices (ordered) or exactly one at most.
            placeholder: The filter's placeholder (default: "Filtrer…").
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._choices: list[tuple[Hashable, str]] = list(choices)
        self._labels: dict[Hashable, str] = dict(self._choices)
        if len(self._labels) != len(self._choices):
            raise ValueError("choice ids must be unique")
        self._index: dict[Hashable, int] = {choice_id: i for i, (choice_id, _) in enumerate(self._choices)}
        self._keys: list[str] = [fold(label) for _, label in self._choices]
        self.multiple = multiple
        self._value: list[Hashable] = []
        for choice_id in selected:
            if choice_id in self._labels and choice_id not in self._value:
                self._value.append(choice_id)
        if not multiple:
            self._value = self._value[:1]
        self._visible: list[int] = list(range(len(self._choices)))
        self._position: dict[int, int] = {i: i for i in self._visible}
        self._filter = _Filter(placeholder=placeholder or t("picker.filter"), compact=True, select_on_focus=False)
        self._list = _Choices(markup=False, compact=True)
        self._summary = Literal(classes="picker--selection")

    # -- public API ---------------------------------------------------------------

    @property
    def value(self) -> list[Hashable]:
        """The chosen ids, in order."""
        return list(self._value)

    @property
    def choices(self) -> list[tuple[Hashable, str]]:
        return list(self._choices)

    @property
    def filter_text(self) -> str:
        return self._filter.value

    @property
    def visible_ids(self) -> list[Hashable]:
        """The ids the filter lets through, in display order."""
        return [self._choices[i][0] for i in self._visible]

    def toggle(self, choice_id: Hashable) -> None:
        """Choose ``choice_id``, or give it up if it was chosen; posts ``Changed``."""
        if choice_id not in self._labels:
            raise KeyError(choice_id)
        before = list(self._value)
        if choice_id in self._value:
            self._value.remove(choice_id)
        elif self.multiple:
            self._value.append(choice_id)
        else:
            self._value = [choice_id]
        self._show_selection(set(before) | set(self._value))
        self.post_message(self.Changed(self, self.value))

    def focus(self, scroll_visible: bool = True) -> Picker:
        """Focus goes to the filter."""
        self._filter.focus(scroll_visible)
        return self

    # -- composition --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self._filter
        yield self._list
        yield self._summary

    def on_mount(self) -> None:
        # keep the list's height while filtering, so the form under it does not jump
        cap = self._list.styles.max_height
        lines = int(cap.value) if cap is not None and cap.unit == Unit.CELLS else 8
        self._list.styles.min_height = max(1, min(len(self._choices), lines))
        self._apply_filter()
        self._show_summary()

    # -- behaviour ----------------------------------------------------------------

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply_filter()

    @on(Input.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    @on(OptionList.OptionSelected)
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.toggle(self._choices[int(event.option_id)][0])

    @on(OptionList.OptionHighlighted)
    def _option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def _apply_filter(self) -> None:
        typed = words(self._filter.value)  # folding.matches, with each label folded once
        self._visible = [i for i, key in enumerate(self._keys) if all(word in key for word in typed)]
        highlighted = self._list.highlighted_option
        keep = highlighted.id if highlighted is not None else None
        shown = self._visible[:SHOWN_MAX]
        self._position = {i: position for position, i in enumerate(shown)}
        if self._visible:
            options = [Option(self._prompt(i), id=str(i)) for i in shown]
            if len(self._visible) > len(shown):
                more = t("picker.more", count=present.number(len(self._visible) - len(shown)))
                options.append(Option(Text(more, style="italic"), disabled=True))
            self._list.set_options(options)
            kept = self._position.get(int(keep)) if keep is not None else None
            self._list.highlighted = kept if kept is not None else 0
        else:
            message = t("picker.no_match", query=self._filter.value.strip())
            self._list.set_options([Option(Text(message, style="italic"), disabled=True)])

    def _show_selection(self, changed: set[Hashable]) -> None:
        """Redraw the markers of the options chosen before or now (ranks shift), and the summary."""
        if not self.is_mounted:
            return  # on_mount draws everything
        for choice_id in changed:
            position = self._position.get(self._index[choice_id])
            if position is not None:
                self._list.replace_option_prompt_at_index(position, self._prompt(self._index[choice_id]))
        self._show_summary()

    def _show_summary(self) -> None:
        if not self._value:
            self._summary.update(t("picker.selection_none"))
            return
        labels = [self._labels[choice_id] for choice_id in self._value]
        if self.multiple and len(labels) > 1:
            items = ", ".join(f"{n}. {label}" for n, label in enumerate(labels, 1))
        else:
            items = ", ".join(labels)
        self._summary.update(t("picker.selection", items=items))

    def _prompt(self, index: int) -> Text:
        choice_id, label = self._choices[index]
        if self.multiple:
            width = len(str(len(self._choices)))
            rank = self._value.index(choice_id) + 1 if choice_id in self._value else None
            marker = f"[{rank:>{width}}]" if rank else f"[{'':>{width}}]"
        else:
            marker = "(•)" if choice_id in self._value else "( )"
        return Text.assemble((marker, "bold" if choice_id in self._value else "dim"), " ", literal(label))
