"""VirtualTable: a window of rows fetched from a source, never the whole table."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult

from coopterm.ui.widgets import Column, SequenceSource, VirtualTable


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    town: str = "Sierre"


class CountingSource:
    """``n`` rows made on demand; counts what the table asks for."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.count_calls = 0
        self.fetch_calls = 0
        self.rows_fetched = 0

    def count(self) -> int:
        self.count_calls += 1
        return self.n

    def fetch(self, offset: int, limit: int) -> list[Item]:
        self.fetch_calls += 1
        rows = [Item(i, f"Action {i}") for i in range(offset, min(self.n, offset + limit))]
        self.rows_fetched += len(rows)
        return rows


class ListSource:
    """A source over a list, without ``index_of``: the table must look for the row itself."""

    def __init__(self, rows: list[Item]) -> None:
        self.rows = rows

    def count(self) -> int:
        return len(self.rows)

    def fetch(self, offset: int, limit: int) -> list[Item]:
        return self.rows[offset : offset + limit]


COLUMNS = [
    Column("id", "N°", 8, sortable=True, justify="right"),
    Column("title", "Fiche-action", None, sortable=True),
    Column("town", "Ville", None),
]


class TableApp(App[None]):
    def __init__(self, source, **kwargs) -> None:
        super().__init__()
        self.source = source
        self.kwargs = {"highlight_delay": 0, **kwargs}
        self.highlighted: list[VirtualTable.RowHighlighted] = []
        self.selected: list[VirtualTable.RowSelected] = []
        self.sorts: list[tuple[str, bool]] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, self.source, **self.kwargs)

    def on_virtual_table_row_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self.highlighted.append(message)

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.selected.append(message)

    def on_virtual_table_sort_changed(self, message: VirtualTable.SortChanged) -> None:
        self.sorts.append((message.key, message.descending))


def line_text(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


async def test_cursor_moves_and_announces_the_highlighted_row():
    app = TableApp(CountingSource(1000))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.has_focus
        assert table.cursor_row == 0 and table.current_row.id == 0
        assert app.highlighted[-1].row.id == 0
        await pilot.press("down", "down", "down", "up")
        assert table.cursor_row == 2 and table.current_row.id == 2
        assert app.highlighted[-1].row.id == 2 and app.highlighted[-1].cursor_row == 2
        await pilot.press("end")
        assert table.current_row.id == 999
        await pilot.press("up", "home")
        assert table.cursor_row == 0
        await pilot.press("up")
        assert table.cursor_row == 0
        await pilot.press("pagedown")
        # 24 lines: a header and 23 rows; the next page starts with the cursor on top
        assert table.cursor_row == 23
        assert line_text(table, 1).strip().startswith("23")
        await pilot.press("pageup")
        assert table.cursor_row == 0 and table.scroll_offset.y == 0
        table.cursor_row = 500
        assert table.current_row.id == 500
        await pilot.pause()
        assert app.highlighted[-1].row.id == 500


async def test_enter_selects_the_current_row():
    app = TableApp(CountingSource(50))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        assert [m.row.id for m in app.selected] == [1]
        assert app.selected[0].control is app.query_one(VirtualTable)


async def test_a_million_rows_are_never_fetched_whole():
    source = CountingSource(1_000_000)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.row_count == 1_000_000
        assert source.count_calls == 1
        assert source.fetch_calls == 1 and source.rows_fetched <= VirtualTable.PAGE_SIZE
        for _ in range(50):
            await pilot.press("pagedown")
        await pilot.pause()
        assert table.cursor_row == 50 * 23
        # 50 pages of 23 rows go through about 12 pages of 100 rows
        assert source.fetch_calls <= 14
        assert source.rows_fetched <= 14 * VirtualTable.PAGE_SIZE
        before = source.fetch_calls, source.rows_fetched
        await pilot.press("end")
        await pilot.pause()
        assert table.current_row.id == 999_999
        assert line_text(table, 23).strip().startswith("999999")
        assert source.fetch_calls - before[0] <= 2
        assert source.rows_fetched - before[1] <= 2 * VirtualTable.PAGE_SIZE
        assert source.count_calls == 1
        before = source.fetch_calls
        table.reload()
        await pilot.pause()
        assert source.count_calls == 2
        assert source.fetch_calls - before <= 2
        assert table.current_row.id == 999_999


async def test_header_shows_labels_and_sorting_toggles():
    app = TableApp(CountingSource(10), sort_key="id")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        header = line_text(table, 0)
        assert "N° ▲" in header and "Fiche-action" in header and "Ville" in header
        assert table.sort_by("title")
        await pilot.pause()
        assert app.sorts == [("title", False)]
        assert "Fiche-action ▲" in line_text(table, 0) and "▲" not in line_text(table, 0).split("Fiche")[0]
        assert table.sort_by("title")
        await pilot.pause()
        assert app.sorts[-1] == ("title", True)
        assert "Fiche-action ▼" in line_text(table, 0)
        assert table.sort_by("town") is False  # not sortable: nothing happens
        await pilot.pause()
        assert len(app.sorts) == 2 and table.sort_key == "title"
        # a click on a header sorts by that column
        await pilot.click(VirtualTable, offset=(2, 0))
        await pilot.pause()
        assert app.sorts[-1] == ("id", False)
        await pilot.click(VirtualTable, offset=(2, 0))
        await pilot.pause()
        assert app.sorts[-1] == ("id", True)
        assert table.sort_key == "id" and table.sort_descending


async def test_a_click_moves_the_cursor_and_a_second_click_selects():
    app = TableApp(CountingSource(100))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        await pilot.click(VirtualTable, offset=(20, 4))
        await pilot.pause()
        assert table.cursor_row == 3 and app.selected == []
        await pilot.click(VirtualTable, offset=(20, 4))
        await pilot.pause()
        assert [m.row.id for m in app.selected] == [3]


async def test_reload_keeps_the_cursor_on_the_same_row():
    rows = [Item(i, f"Action {i}") for i in range(300)]
    source = ListSource(rows)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        table.cursor_row = 150
        await pilot.pause()
        screen_line = table.cursor_row - table.scroll_offset.y
        announced = len(app.highlighted)
        # two rows appear before the cursor row: it moves down, the cursor follows it
        source.rows = [Item(-1, "new"), Item(-2, "new")] + rows
        table.reload()
        await pilot.pause()
        assert table.current_row.id == 150 and table.cursor_row == 152
        assert table.cursor_row - table.scroll_offset.y == screen_line  # the view did not jump
        assert len(app.highlighted) == announced  # same row: nothing new to announce
        # the cursor row disappears: the index stays, clamped
        source.rows = [r for r in rows if r.id != 150]
        table.reload()
        await pilot.pause()
        assert table.cursor_row == 152 and table.current_row.id == 153
        assert app.highlighted[-1].row.id == 153
        source.rows = rows[:10]
        table.reload()
        await pilot.pause()
        assert table.cursor_row == 9 and table.current_row.id == 9


async def test_set_source_finds_a_row_far_away_with_index_of():
    rows = [Item(i, f"Action {i}") for i in range(5000)]
    app = TableApp(SequenceSource(rows))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        table.cursor_row = 10
        table.set_source(SequenceSource(rows[::-1]))  # e.g. the screen sorted descending
        await pilot.pause()
        assert table.current_row.id == 10 and table.cursor_row == 4989
        assert 4989 - table.scroll_offset.y in range(1, 23)


async def test_an_empty_source_shows_the_empty_text():
    app = TableApp(CountingSource(0), empty_text="Aucune fiche-action")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.row_count == 0 and table.current_row is None
        assert "Aucune fiche-action" in "".join(line_text(table, y) for y in range(1, 23))
        assert "Fiche-action" in line_text(table, 0)
        assert app.highlighted[-1].row is None
        await pilot.press("down", "end", "enter")
        assert app.selected == []
        table.set_source(CountingSource(3))
        await pilot.pause()
        assert table.current_row.id == 0
        assert "Aucune fiche-action" not in "".join(line_text(table, y) for y in range(1, 23))


async def test_columns_fit_80_columns_and_long_text_ends_with_an_ellipsis():
    long = "Structurer le partenariat en créant des outils de suivi ad hoc partagés par les cinq villes"
    rows = [Item(1, long, "Saint-Étienne"), Item(2, Text("styled", style="bold"), "Monastir")]
    app = TableApp(SequenceSource(rows))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        width = table.scrollable_content_region.width
        assert 78 <= width <= 80
        for y in range(0, 5):
            assert table.render_line(y).cell_length == width
        first = line_text(table, 1)
        assert "…" in first and "Saint-Étienne" in first
        # two flexible columns share what the fixed one leaves
        title_start = first.index("Structurer")
        town_start = first.index("Saint-Étienne")
        assert abs((town_start - title_start) - (width - town_start + 1)) <= 1
        assert "styled" in line_text(table, 2)


async def test_the_last_highlight_arrives_when_debounced():
    app = TableApp(CountingSource(1000), highlight_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        for _ in range(10):
            await pilot.press("down")
        await pilot.pause(0.15)
        assert app.highlighted[-1].row.id == 10


class BackwardsSource(CountingSource):
    """A source that can also read from its last row; notes how far each read skips."""

    reads_backwards = True

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.skipped: list[tuple[str, int]] = []

    def fetch(self, offset: int, limit: int) -> list[Item]:
        self.skipped.append(("start", offset))
        return super().fetch(offset, limit)

    def fetch_from_end(self, offset: int, limit: int) -> list[Item]:
        self.skipped.append(("end", offset))
        first = self.n - offset - limit
        return [Item(i, f"Action {i}") for i in range(first, first + limit)]


async def test_the_second_half_is_read_from_the_last_row():
    """``end``, and the pages near it, skip a few rows counted from the last one: a SQL
    ``OFFSET`` steps through every row it skips, 100,000 of them at the end of a long list."""
    source = BackwardsSource(100_000)
    app = TableApp(source)
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        assert table.current_row == Item(99_999, "Action 99999")
        await pilot.press("pageup", "pageup", "up")
        await pilot.pause()
        assert table.current_row.id == table.cursor_row == 99_999 - 2 * table._data_height - 1
        await pilot.press("home")
        await pilot.pause()
        assert table.current_row == Item(0, "Action 0")
    assert max(skipped for _, skipped in source.skipped) < 1_000
    assert ("end", 0) in source.skipped and ("start", 0) in source.skipped
