"""Rich tables for the command line's human-readable output.

Data is never markup: every text that comes from the plan (a title "Plan [brouillon]
2022", a label holding ``ESC ] 0 ;``) reaches Rich as a :class:`~rich.text.Text` made
:func:`~coopterm.text.printable`, so Rich neither parses it nor passes a control
character on to the terminal; the only escape codes written are Rich's own colours
(none at all when the output is not a terminal or ``NO_COLOR`` is set).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coopterm import present
from coopterm.i18n import t
from coopterm.text import printable

STATUS_STYLE = {
    "reached": "bold green",
    "on_track": "green",
    "at_risk": "bold red",
    "no_data": "dim",
    "no_target": "cyan",
}


def format_indicator_value(value: float | None, unit: str) -> str:
    """An indicator's value or target as the dashboard and the report write it
    (:func:`coopterm.present.measure`: "72,7 %", "12 projets"); "no data" in words."""
    if value is None:
        return t("status.no_data")
    return present.measure(value, unit)


def literal(text: object, style: str = "") -> Text:
    """``text`` as Rich shows it: never parsed as markup, every control character visible."""
    return Text(printable(text), style=style)


def print_status(doc: dict, console: Console | None = None) -> None:
    import datetime as dt

    console = console or Console(markup=False, emoji=False, highlight=False)  # a stray str stays literal too
    plan = doc["plan"]
    start = present.date(dt.date.fromisoformat(plan["start"]))
    end = present.date(dt.date.fromisoformat(plan["end"]))
    # the title whole on its own line, wrapped by the terminal rather than cut by Rich
    console.print(literal(plan["title"], "bold"), soft_wrap=True)
    console.print(literal(t("app.period", start=start, end=end)))

    counts = Table(title=literal(t("status.counts")), title_justify="left", show_header=False)
    counts.add_column(style="bold")
    counts.add_column(justify="right")
    for key, value in doc["counts"].items():
        counts.add_row(literal(t(f"status.count.{key}")), literal(present.number(value)))
    console.print(counts)

    table = Table(title=literal(t("app.indicators")), title_justify="left")
    table.add_column(literal(t("status.indicator")), overflow="fold")
    table.add_column(literal(t("status.value")), justify="right")
    table.add_column(literal(t("status.target")), justify="right")
    table.add_column(literal(t("status.status")))
    for ind in doc["indicators"]:
        target = t("status.none") if ind["target"] is None else format_indicator_value(ind["target"], ind["unit"])
        status = ind["status"]
        table.add_row(
            literal(ind["label"]),
            literal(format_indicator_value(ind["value"], ind["unit"])),
            literal(target),
            literal(t("indicator_status." + status), STATUS_STYLE.get(status, "")),
        )
    console.print(table)
