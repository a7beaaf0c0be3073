"""Rich tables for the command line's human-readable output."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from coopterm.i18n import format_date, format_number, t

STATUS_STYLE = {
    "reached": "bold green",
    "on_track": "green",
    "at_risk": "bold red",
    "no_data": "dim",
    "no_target": "cyan",
}


def format_indicator_value(value: float | None, unit: str) -> str:
    if value is None:
        return t("status.no_data")
    decimals = 0 if float(value).is_integer() else 1
    if unit == "%":
        return f"{format_number(value, decimals)}\u00a0%"
    return format_number(value, 0) + (f"\u00a0{unit}" if unit else "")


def print_status(doc: dict, console: Console | None = None) -> None:
    import datetime as dt

    console = console or Console()
    plan = doc["plan"]
    start = format_date(dt.date.fromisoformat(plan["start"]))
    end = format_date(dt.date.fromisoformat(plan["end"]))
    console.print(f"[bold]{plan['title']}[/bold]")
    console.print(t("app.period", start=start, end=end))

    counts = Table(title=t("status.counts"), title_justify="left", show_header=False)
    counts.add_column(style="bold")
    counts.add_column(justify="right")
    for key, value in doc["counts"].items():
        counts.add_row(t(f"status.count.{key}"), str(value))
    console.print(counts)

    table = Table(title=t("app.indicators"), title_justify="left")
    table.add_column(t("status.indicator"), overflow="fold")
    table.add_column(t("status.value"), justify="right")
    table.add_column(t("status.target"), justify="right")
    table.add_column(t("status.status"))
    for ind in doc["indicators"]:
        target = t("status.none") if ind["target"] is None else format_indicator_value(ind["target"], ind["unit"])
        status = ind["status"]
        table.add_row(
            ind["label"],
            format_indicator_value(ind["value"], ind["unit"]),
            target,
            f"[{STATUS_STYLE[status]}]{t('indicator_status.' + status)}[/]",
        )
    console.print(table)
