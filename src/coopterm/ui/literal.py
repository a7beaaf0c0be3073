"""How the app shows text from data: literally, whatever it holds.

A title typed in Sierre, a name from an imported copy, an error quoting a file's
words: none of it is markup (``[/]`` would crash a markup parser, ``[@click=…]``
would become a live action) and none of it may act on the terminal (``ESC ] 52``
writes the clipboard).  Every screen shows such text through the pieces here:

- :func:`literal` makes a ``rich.text.Text`` of data (never parsed as markup, every
  control character visible, see :func:`coopterm.text.printable`); :func:`safe`
  does the same to a ``Text`` assembled elsewhere;
- :class:`Literal` is a ``Static`` that never parses markup and passes whatever it
  is given through :func:`safe`;
- :class:`ControlFilter` is the last line: the app applies it to every line it
  draws, so a control character that slipped past the rest (in a widget of
  Textual's own, an ``Input`` holding a value from the file) is dropped before it
  reaches the terminal.  Controls take no cell, so dropping one never moves text.

``tests/reliability/test_hostile_app.py`` visits every screen with a plan whose every text is
hostile, and ``tests/app/test_literal_ui.py`` checks no screen builds text another way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import StyleType
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter
from textual.widgets import Label, Static

from coopterm.text import printable

__all__ = ["ControlFilter", "Literal", "LiteralLabel", "literal", "options", "safe"]

V = TypeVar("V")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def literal(text: object, style: StyleType = "", *, multiline: bool = False) -> Text:
    """Data as styled text: shown exactly, never read as markup, controls made visible."""
    return Text(printable(text, multiline=multiline), style=style, end="")


def safe(content: object) -> RenderableType:
    """``content`` ready for a widget: a ``str`` or a ``Text`` shown literally (long texts
    keep their lines); any other renderable (a table, a bar) is built of such pieces."""
    if isinstance(content, Text):
        cleaned = printable(content.plain, multiline=True, same_length=True)
        if cleaned == content.plain:
            return content
        out = content.copy()
        out.plain = cleaned  # one character for one: the spans still fit
        return out
    if content is None or isinstance(content, str):
        return literal(content, multiline=True)
    return content  # type: ignore[return-value]  # a renderable, built of literal pieces


def options(choices: Iterable[tuple[object, V]]) -> list[tuple[Text, V]]:
    """The choices of a ``Select`` (whose string labels would be read as markup), shown literally."""
    return [(literal(label), value) for label, value in choices]


class Literal(Static):
    """A ``Static`` for text that comes from data, or quotes it."""

    def __init__(self, content: object = "", **kwargs: Any) -> None:
        super().__init__(safe(content), markup=False, **kwargs)

    def update(self, content: object = "", *, layout: bool = True) -> None:
        super().update(safe(content), layout=layout)


class LiteralLabel(Label):
    """A ``Label`` (as wide as its text) for text that comes from data, or quotes it."""

    def __init__(self, content: object = "", **kwargs: Any) -> None:
        super().__init__(safe(content), markup=False, **kwargs)

    def update(self, content: object = "", *, layout: bool = True) -> None:
        super().update(safe(content), layout=layout)


class ControlFilter(LineFilter):
    """Drops every control character from the lines the app draws, as a last guard."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(_CONTROLS.search(segment.text) for segment in segments if not segment.control):
            return segments
        return [
            segment if segment.control else Segment(_CONTROLS.sub("", segment.text), segment.style, None)
            for segment in segments
        ]
