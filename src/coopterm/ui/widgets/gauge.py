"""One success indicator as a gauge: its label, a bar of the value against the target,
the value and target as the reader writes numbers, and the status word in its colour.

Two lines at any width (the label is cropped to one line; give the widget more
height and it wraps onto a second)::

    Taux de réalisation des actions proposées
    ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╸━━━━━━━━━━━━━━   72,7 % / 90 %  menacé

The bar is full at the target (or at 100 for a percentage without target; a count
without target has no bar): :func:`coopterm.domain.indicators.gauge_fill`, the
report's bars too.  Numbers are written by :mod:`coopterm.present`.  "No data" is said in words over an empty bar, never
drawn as 0 %.  Colours come from the theme through the ``-<status>`` class
(``-reached``, ``-on-track``, ``-at-risk``, ``-no-data``, ``-no-target``) and the
``gauge--*`` component classes.  Rendering is plain text: no timer, no animation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from coopterm import present
from coopterm.domain.figures import GaugeFigures
from coopterm.i18n import t
from coopterm.text import printable
from coopterm.ui.literal import literal
from coopterm.vocabulary import IndicatorStatus as Status

if TYPE_CHECKING:
    from coopterm.domain.indicators import IndicatorResult

STATUS_CLASSES = {status: "-" + status.value.replace("_", "-") for status in Status}
"""The CSS class a gauge carries for each status: ``-reached``, ``-at-risk``..."""

VALUE_WIDTH = 13
"""Room kept for "72,7 % / 90 %" so that the bars of stacked gauges line up."""

MIN_BAR = 4
BAR, HALF_BAR = "\u2501", "\u2578"  # ━ ╸


def status_word(status: Status) -> str:
    return t(f"indicator_status.{status.value}")


def bar_fill(result: IndicatorResult | GaugeFigures) -> float | None:
    """The filled share of the bar (:func:`coopterm.domain.indicators.gauge_fill`); ``None``: no bar.
    Figures kept in the file carry theirs, computed so (shown before SQLAlchemy is loaded)."""
    if isinstance(result, GaugeFigures):
        return result.fill
    # Imported here: the module (and SQLAlchemy under it) is loaded by the time a
    # result exists, and importing it with this widget would delay the first frame.
    from coopterm.domain.indicators import gauge_fill

    return gauge_fill(result.value, result.target, result.unit)


def value_text(result: IndicatorResult | GaugeFigures) -> str:
    """ "72,7 % / 90 %" ("72.7% / 90%" in English); "— / 90 %" without data; the value alone without target."""
    value = present.measure(result.value, result.unit)  # "—" without data
    if result.target is None:
        return value
    return f"{value} / {present.measure(result.target, result.unit)}"


def draw_bar(width: int, ratio: float, fill: Style, track: Style) -> Text:
    """A bar of ``width`` cells, ``ratio`` of it filled, to the nearest half cell."""
    bar = Text(end="")
    if width <= 0:
        return bar
    halves = round(max(0.0, min(1.0, ratio)) * width * 2)
    full, half = divmod(halves, 2)
    bar.append(BAR * full, fill)
    if half:
        bar.append(HALF_BAR, fill)
    bar.append(BAR * (width - full - half), track)
    return bar


def crop(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, with an ellipsis when something was cut.

    Reads no further than the cut (a title of 100,000 characters costs what its first
    ``width`` cells cost): every table and panel that cuts a title cuts it here."""
    used, fits = 0, None  # fits: how many characters fit in width - 1 cells, beside the "…"
    for index, char in enumerate(text):
        size = get_character_cell_size(char)
        if fits is None and used + size > width - 1:
            fits = index
        used += size
        if used > width:
            return "\u2026"[:max(width, 0)] if width <= 1 else text[:fits].rstrip() + "\u2026"
    return text


def wrap_label(label: str, width: int, lines: int) -> list[str]:
    """``label`` on at most ``lines`` lines of ``width`` cells, the last one cropped."""
    words = label.split()
    out: list[str] = []
    current = ""
    for i, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width or not current:
            current = candidate
            continue
        if len(out) == lines - 1:
            current = " ".join([current, *words[i:]])
            break
        out.append(current)
        current = word
    out.append(current)
    return [crop(line, width) for line in out[:lines]]


class IndicatorGauge(Widget):
    """A success indicator: set :attr:`result` to show it (it re-renders at once)."""

    COMPONENT_CLASSES = {"gauge--label", "gauge--bar", "gauge--track", "gauge--value", "gauge--status"}

    DEFAULT_CSS = """
    IndicatorGauge {
        height: 2;
        width: 1fr;

        & > .gauge--label { text-style: bold; }
        & > .gauge--bar { color: $primary; }
        & > .gauge--track { color: $foreground 15%; }
        & > .gauge--value { color: $foreground; }
        & > .gauge--status { color: $foreground; }

        &.-reached > .gauge--bar, &.-on-track > .gauge--bar { color: $success; }
        &.-reached > .gauge--status { color: $success; text-style: bold; }
        &.-on-track > .gauge--status { color: $success; }
        &.-at-risk > .gauge--bar { color: $error; }
        &.-at-risk > .gauge--status { color: $error; text-style: bold; }
        &.-no-data > .gauge--status, &.-no-data > .gauge--value { color: $text-muted; }
        &.-no-data > .gauge--label { color: $text-muted; }
        &.-no-target > .gauge--bar { color: $primary; }
        &.-no-target > .gauge--status { color: $text-muted; text-style: italic; }
    }
    """

    result: reactive[IndicatorResult | GaugeFigures | None] = reactive(None)
    """The indicator shown; ``None`` shows an empty gauge."""

    def __init__(
        self,
        result: IndicatorResult | GaugeFigures | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(IndicatorGauge.result, result)
        self._show_status(result)

    def watch_result(self, result: IndicatorResult | GaugeFigures | None) -> None:
        self._show_status(result)

    def _show_status(self, result: IndicatorResult | GaugeFigures | None) -> None:
        status = result.status if result is not None else None
        for each, css_class in STATUS_CLASSES.items():
            self.set_class(each is status, css_class)
        self.tooltip = literal(result.label) if result is not None else None

    def render(self) -> Text:
        result = self.result
        width = max(self.size.width, 1)
        if result is None:
            return Text("")
        style = self.get_component_rich_style
        label_lines = max(1, min(2, self.size.height - 1))
        lines = Text("\n".join(wrap_label(printable(result.label), width, label_lines)), style("gauge--label"), end="")

        value = value_text(result)
        status = status_word(result.status)
        status_width = max(cell_len(status_word(s)) for s in Status)
        value_width = max(VALUE_WIDTH, cell_len(value))
        bar_width = width - value_width - status_width - 3
        row = Text(end="")
        if bar_width >= MIN_BAR:
            ratio = bar_fill(result)
            if ratio is None:
                row.append(" " * bar_width)
            else:
                row.append_text(draw_bar(bar_width, ratio, style("gauge--bar"), style("gauge--track")))
            row.append(" ")
            row.append(value.rjust(value_width + len(value) - cell_len(value)), style("gauge--value"))
            row.append("  ")
            row.append(status.ljust(status_width), style("gauge--status"))
        else:
            row.append(value, style("gauge--value"))
            row.append("  ")
            row.append(status, style("gauge--status"))
            row.truncate(width, overflow="ellipsis")
        lines.append("\n")
        lines.append_text(row)
        return lines
