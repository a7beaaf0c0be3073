"""The governance rhythm above the meetings: the meetings it expects next, and which are overdue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from coopterm.i18n import t


class RhythmPanel(Widget):
    """The meetings the governance rhythm expects next, two a line; overdue ones in the error colour."""

    COMPONENT_CLASSES = {"rhythm--overdue", "rhythm--muted", "rhythm--title"}
    DEFAULT_CSS = """
    RhythmPanel {
        height: auto;
        max-height: 5;
        padding: 0 1;
        & > .rhythm--overdue { color: $error; text-style: bold; }
        & > .rhythm--muted { color: $text-muted; }
        & > .rhythm--title { color: $accent; text-style: bold; }
    }
    """

    due: list[Any] = []
    plan_over: bool = False

    def update_data(self, due: Sequence[Any], plan_over: bool) -> None:
        self.due, self.plan_over = list(due), plan_over
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        from coopterm.ui.widgets.dashboard_panels import due_text, meeting_name

        title = Text(t("meetings.rhythm"), self.get_component_rich_style("rhythm--title"))
        if self.plan_over:
            muted = self.get_component_rich_style("rhythm--muted")
            return Text.assemble(title, "  ", Text(t("cadence.plan_over"), muted))
        grid = Table(box=None, show_header=False, show_edge=False, expand=True, padding=(0, 1, 0, 0), pad_edge=False)
        per_line = 2 if self.size.width >= 70 else 1
        for _ in range(per_line):
            grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            grid.add_column(justify="right", no_wrap=True)
        cells: list[Text] = []
        overdue = self.get_component_rich_style("rhythm--overdue")
        for due in self.due:
            style = overdue if due.overdue else Style()
            cells += [Text(meeting_name(due), style), Text(due_text(due), style)]
        if not cells:
            cells = [Text(t("meetings.rhythm_none"), self.get_component_rich_style("rhythm--muted")), Text("")]
        while len(cells) % (2 * per_line):
            cells.append(Text(""))
        for start in range(0, len(cells), 2 * per_line):
            grid.add_row(*cells[start:start + 2 * per_line])
        outer = Table.grid()
        outer.add_row(title)
        outer.add_row(grid)
        outer.columns[0].ratio = 1
        outer.expand = True
        return outer
