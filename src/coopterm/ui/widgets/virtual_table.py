"""A table that shows millions of rows by asking its source for the visible window only.

The built-in ``DataTable`` keeps every row and measures each one (100k rows take
about 25 s before the table is usable).  ``VirtualTable`` keeps nothing but a few
pages of rows: it is a Line API widget (``ScrollView`` + ``render_line``) whose
virtual height is the row count plus a sticky header line, and each line it draws
asks a small page cache, which asks the source with ``fetch(offset, limit)`` (or,
past the middle of a source that can read backwards, ``fetch_from_end``, so that
``end`` does not step through every row before it).

The table knows no SQL.  A screen hands it a *source* (anything with ``count()``
and ``fetch(offset, limit)``), and when its filters or sort order change it calls
``set_source(new_source)`` or ``reload()``.  The cursor stays on the same row id
when that row is still there (found with the source's optional ``index_of(id)``,
else looked for near its old position), otherwise the cursor index is clamped.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Hashable, Literal, Protocol, Sequence, runtime_checkable

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from coopterm.ui.literal import literal, safe

__all__ = ["BackwardsRowSource", "Column", "LocatingRowSource", "Row", "RowSource", "SequenceSource", "VirtualTable"]

Justify = Literal["left", "center", "right"]


@runtime_checkable
class Row(Protocol):
    """A row only needs a hashable ``id``; its cells come from the columns' ``render``."""

    @property
    def id(self) -> Hashable: ...


@runtime_checkable
class RowSource(Protocol):
    """Where a ``VirtualTable`` gets its rows.

    ``count()`` is called once per (re)load; ``fetch(offset, limit)`` returns the
    rows ``offset`` to ``offset + limit - 1`` in display order (fewer at the end,
    or if the data changed since ``count()``: missing rows are drawn blank).
    """

    def count(self) -> int: ...

    def fetch(self, offset: int, limit: int) -> Sequence[Any]: ...


@runtime_checkable
class BackwardsRowSource(RowSource, Protocol):
    """A source that can also read its order from the last row: ``fetch_from_end(offset,
    limit)`` returns the ``limit`` rows ending ``offset`` rows before the last one, in
    display order.  The table reads the pages of the second half that way, so ``end``
    and the pages near it skip a few rows rather than almost all of them (a SQL
    ``OFFSET`` steps through every row it skips).  ``reads_backwards`` may say no."""

    @property
    def reads_backwards(self) -> bool: ...

    def fetch_from_end(self, offset: int, limit: int) -> Sequence[Any]: ...


@runtime_checkable
class LocatingRowSource(RowSource, Protocol):
    """A source that can also say where a row is, so a reload keeps the cursor on it
    however far it moved (e.g. after a sort).  Return ``None`` when it is gone."""

    def index_of(self, row_id: Hashable) -> int | None: ...


@dataclass(frozen=True)
class Column:
    """One column of a ``VirtualTable``.

    ``width`` is a number of cells, or ``None`` for a flexible column: flexible
    columns share what the fixed ones leave.  ``render(row)`` gives the cell as a
    plain ``str`` (never read as markup) or a ``rich.text.Text``; without it the
    cell is ``str(getattr(row, key))``.  Text too long for the cell is cropped with
    an ellipsis.
    """

    key: str
    label: str
    width: int | None = None
    render: Callable[[Any], str | Text | None] | None = None
    sortable: bool = False
    justify: Justify = "left"


class SequenceSource:
    """A source over rows already in memory (small lists, tests)."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self.rows = rows
        self._index: dict[Hashable, int] | None = None

    def count(self) -> int:
        return len(self.rows)

    def fetch(self, offset: int, limit: int) -> Sequence[Any]:
        return self.rows[offset : offset + limit]

    def index_of(self, row_id: Hashable) -> int | None:
        if self._index is None:
            self._index = {row.id: i for i, row in enumerate(self.rows)}
        return self._index.get(row_id)


_NOT_POSTED = object()


class VirtualTable(ScrollView, can_focus=True):
    """A keyboard-driven table over a ``RowSource``; only the visible rows are fetched.

    Messages: ``RowHighlighted`` (cursor moved; debounced by ``highlight_delay``
    seconds, the last one always arrives), ``RowSelected`` (enter, or a click on
    the cursor row), ``SortChanged`` (``sort_by`` or a click on a sortable header;
    the screen re-queries and calls ``set_source``).
    """

    PAGE_SIZE: ClassVar[int] = 100
    CACHED_PAGES: ClassVar[int] = 8
    COLUMN_GAP: ClassVar[int] = 1

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="table.up"),
        Binding("down", "cursor_down", "Down", show=False, id="table.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("home,ctrl+home", "first", "First", show=False, id="table.first"),
        Binding("end,ctrl+end", "last", "Last", show=False, id="table.last"),
        Binding("enter", "select_cursor", "Select", show=False, id="table.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--empty",
    }

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .virtual-table--empty {
            color: $text-muted;
            text-style: italic;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class _TableMessage(Message):
        """A message from the table; ``control`` lets handlers use ``@on(..., "#id")``."""

        def __init__(self, table: VirtualTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowHighlighted(_TableMessage):
        """The cursor is on another row.  ``row`` is ``None`` when the table became empty."""

        def __init__(self, table: VirtualTable, row: Any | None, cursor_row: int | None) -> None:
            super().__init__(table)
            self.row = row
            self.cursor_row = cursor_row

    class RowSelected(_TableMessage):
        """The user chose ``row`` (enter, or a click on the highlighted row)."""

        def __init__(self, table: VirtualTable, row: Any, cursor_row: int) -> None:
            super().__init__(table)
            self.row = row
            self.cursor_row = cursor_row

    class SortChanged(_TableMessage):
        """The user asked for another order; the table does not reorder by itself."""

        def __init__(self, table: VirtualTable, key: str, descending: bool) -> None:
            super().__init__(table)
            self.key = key
            self.descending = descending

    def __init__(
        self,
        columns: Sequence[Column],
        source: RowSource | None = None,
        *,
        empty_text: str | Text | None = None,
        sort_key: str | None = None,
        sort_descending: bool = False,
        highlight_delay: float = 0.05,
        page_size: int | None = None,
        cached_pages: int | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """
        Args:
            columns: The columns, left to right.
            source: The rows; ``None`` for an empty table until ``set_source``.
            empty_text: What an empty table says (nothing when ``None``).
            sort_key: The column the source is sorted by, shown ▲/▼ in the header.
            sort_descending: Whether that sort is descending.
            highlight_delay: Seconds of quiet before ``RowHighlighted`` is posted
                (0 posts on every move).
            page_size: Rows fetched at a time (default ``PAGE_SIZE``).
            cached_pages: Pages kept (default ``CACHED_PAGES``).
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._columns: tuple[Column, ...] = tuple(columns)
        self._check_columns(self._columns)
        self._source = source
        self._empty_text = empty_text
        self._sort_key = sort_key
        self._sort_descending = sort_descending
        self.highlight_delay = highlight_delay
        self._page_size = max(1, page_size or self.PAGE_SIZE)
        self._cached_pages = max(2, cached_pages or self.CACHED_PAGES)
        self._pages: OrderedDict[int, Sequence[Any]] = OrderedDict()
        self._count = 0
        self._cursor = 0
        self._loaded = False
        self._vt_layout: tuple[int, tuple[tuple[int, int], ...]] | None = None
        self._highlight_timer: Timer | None = None
        self._highlight_force = False
        self._last_highlighted_id: object = _NOT_POSTED

    # -- public API ---------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @columns.setter
    def columns(self, columns: Sequence[Column]) -> None:
        columns = tuple(columns)
        self._check_columns(columns)
        self._columns = columns
        self._vt_layout = None
        self.refresh()

    @property
    def source(self) -> RowSource | None:
        return self._source

    def set_source(self, source: RowSource | None) -> None:
        """Show another source (new filters or order); the cursor follows its row id if present."""
        previous = self.current_row if self._loaded else None
        self._source = source
        if self.is_attached:
            self._reload(previous)

    def reload(self) -> None:
        """Count again and drop the cached pages (the data changed); the cursor keeps its row id."""
        if not self.is_attached:
            return
        previous = self.current_row if self._loaded else None
        self._reload(previous)

    @property
    def row_count(self) -> int:
        """Rows in the source, as counted at the last (re)load."""
        return self._count

    @property
    def cursor_row(self) -> int:
        """Index of the highlighted row (0 when the table is empty)."""
        return self._cursor

    @cursor_row.setter
    def cursor_row(self, index: int) -> None:
        self._move_cursor(index)

    @property
    def current_row(self) -> Any | None:
        """The highlighted row, or ``None`` when the table is empty."""
        return self.get_row(self._cursor) if self._count else None

    SEARCHED_ROWS = 5_000
    """How far :meth:`move_to_row` pages through a source that cannot say where a row is."""

    def move_to_row(self, row_id: Hashable) -> bool:
        """Put the cursor on the row ``row_id`` (a row just saved); ``False`` when the list does
        not show it.  A source without ``index_of`` is searched page by page, its first
        ``SEARCHED_ROWS`` rows at most."""
        if not self._count:
            return False
        index = self._locate(row_id, self._cursor)
        if index is None and not callable(getattr(self._source, "index_of", None)):
            index = next((i for i in range(min(self._count, self.SEARCHED_ROWS))
                          if getattr(self.get_row(i), "id", None) == row_id), None)
        if index is None:
            return False
        self._move_cursor(index)
        return True

    def get_row(self, index: int) -> Any | None:
        """The row at ``index`` (fetching its page if needed), ``None`` outside the table."""
        if not 0 <= index < self._count:
            return None
        page, offset = divmod(index, self._page_size)
        rows = self._page(page)
        return rows[offset] if offset < len(rows) else None

    @property
    def empty_text(self) -> str | Text | None:
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str | Text | None) -> None:
        self._empty_text = text
        self.refresh()

    @property
    def sort_key(self) -> str | None:
        return self._sort_key

    @property
    def sort_descending(self) -> bool:
        return self._sort_descending

    def set_sort(self, key: str | None, descending: bool = False) -> None:
        """Show ``key`` as the sorted column without posting ``SortChanged``."""
        if key is not None:
            self._column(key)
        self._sort_key, self._sort_descending = key, descending
        self._refresh_header()

    def sort_by(self, key: str) -> bool:
        """Sort by ``key``: ascending first, then each call flips the direction.

        Posts ``SortChanged``; returns ``False`` (and does nothing) for a column
        that is not sortable.
        """
        column = self._column(key)
        if not column.sortable:
            return False
        descending = not self._sort_descending if self._sort_key == key else False
        self.set_sort(key, descending)
        self.post_message(self.SortChanged(self, key, descending))
        return True

    # -- loading ------------------------------------------------------------------

    def _on_mount(self, event: events.Mount) -> None:
        if not self._loaded:
            self._reload(None)

    def _reload(self, previous: Any | None) -> None:
        old_index = self._cursor
        old_screen_row = min(max(0, old_index - self.scroll_offset.y), self._data_height - 1)
        self._pages.clear()
        self._count = max(0, int(self._source.count())) if self._source is not None else 0
        self._loaded = True
        self.virtual_size = Size(self._natural_width(), self._count + 1)
        index = None
        if previous is not None and self._count:
            index = self._locate(getattr(previous, "id", None), old_index)
        if index is None:
            index = min(old_index, self._count - 1)
        self._cursor = max(0, index)
        # keep the cursor row where it was on screen when possible
        self.scroll_to(y=max(0, self._cursor - old_screen_row), animate=False, force=True)
        self._scroll_cursor_into_view()
        self.refresh()
        self._schedule_highlight(force=False)

    def _on_resize(self, event: events.Resize) -> None:
        self._scroll_cursor_into_view()

    def _locate(self, row_id: Hashable, hint: int) -> int | None:
        """Where ``row_id`` is now: ask the source, else look in the pages around ``hint``."""
        if row_id is None:
            return None
        index_of = getattr(self._source, "index_of", None)
        if callable(index_of):
            index = index_of(row_id)
            return index if index is not None and 0 <= index < self._count else None
        page = min(hint, self._count - 1) // self._page_size
        for p in (page, page - 1, page + 1):
            if p < 0 or p * self._page_size >= self._count:
                continue
            for offset, row in enumerate(self._page(p)):
                if getattr(row, "id", None) == row_id:
                    return p * self._page_size + offset
        return None

    def _page(self, page: int) -> Sequence[Any]:
        cached = self._pages.get(page)
        if cached is not None:
            self._pages.move_to_end(page)
            return cached
        offset = page * self._page_size
        limit = min(self._page_size, self._count - offset)
        source = self._source
        rows: list[Any] = []
        if source is not None and limit > 0:
            if offset + limit > self._count - offset and isinstance(source, BackwardsRowSource) \
                    and source.reads_backwards:
                rows = list(source.fetch_from_end(self._count - offset - limit, limit))
            else:
                rows = list(source.fetch(offset, limit))
        self._pages[page] = rows
        while len(self._pages) > self._cached_pages:
            self._pages.popitem(last=False)
        return rows

    # -- cursor and scrolling -----------------------------------------------------

    @property
    def _data_height(self) -> int:
        """Rows visible under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _move_cursor(self, index: int, *, scroll: bool = True) -> None:
        if self._count == 0:
            return
        index = max(0, min(index, self._count - 1))
        old = self._cursor
        if index == old:
            return
        self._cursor = index
        self.refresh_line(old + 1)
        self.refresh_line(index + 1)
        if scroll:
            self._scroll_cursor_into_view()
        self._schedule_highlight(force=True)

    def _scroll_cursor_into_view(self) -> None:
        top, height = self.scroll_offset.y, self._data_height
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, force=True)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False, force=True)

    def action_cursor_up(self) -> None:
        self._move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self._cursor + 1)

    def action_page_down(self) -> None:
        height = self._data_height
        self.scroll_to(y=self.scroll_offset.y + height, animate=False, force=True)
        self._move_cursor(self._cursor + height)

    def action_page_up(self) -> None:
        height = self._data_height
        self.scroll_to(y=max(0, self.scroll_offset.y - height), animate=False, force=True)
        self._move_cursor(self._cursor - height)

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(self._count - 1)

    def action_select_cursor(self) -> None:
        row = self.current_row
        if row is None:
            return
        self._flush_highlight()
        self.post_message(self.RowSelected(self, row, self._cursor))

    # -- messages -----------------------------------------------------------------

    def _schedule_highlight(self, *, force: bool) -> None:
        """Post ``RowHighlighted`` after ``highlight_delay`` of quiet.

        Cursor moves always post; a reload posts only if the row under the cursor
        is not the one last announced.
        """
        self._highlight_force |= force
        if self._highlight_timer is not None:
            self._highlight_timer.stop()
            self._highlight_timer = None
        if self.highlight_delay <= 0:
            self._post_highlight()
        else:
            self._highlight_timer = self.set_timer(self.highlight_delay, self._post_highlight)

    def _flush_highlight(self) -> None:
        if self._highlight_timer is not None:
            self._highlight_timer.stop()
            self._post_highlight()

    def _post_highlight(self) -> None:
        self._highlight_timer = None
        force, self._highlight_force = self._highlight_force, False
        row = self.current_row
        row_id = getattr(row, "id", None) if row is not None else None
        if not force and row_id == self._last_highlighted_id:
            return
        self._last_highlighted_id = row_id
        self.post_message(self.RowHighlighted(self, row, self._cursor if row is not None else None))

    # -- mouse --------------------------------------------------------------------

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "vt_header" in meta:
            event.stop()
            index = meta["vt_header"]
            if 0 <= index < len(self._columns):
                self.sort_by(self._columns[index].key)
        elif "vt_row" in meta:
            event.stop()
            index = meta["vt_row"]
            if index == self._cursor or event.chain > 1:
                self._move_cursor(index)
                self.action_select_cursor()
            else:
                self._move_cursor(index)

    # -- rendering ----------------------------------------------------------------

    def _natural_width(self) -> int:
        widths = [c.width if c.width is not None else max(8, len(c.label) + 2) for c in self._columns]
        return sum(widths) + self.COLUMN_GAP * max(0, len(widths) - 1)

    def _column_layout(self, width: int) -> tuple[tuple[int, int], ...]:
        """``(x, width)`` of each column for a line ``width`` cells wide."""
        if self._vt_layout is not None and self._vt_layout[0] == width:
            return self._vt_layout[1]
        gap = self.COLUMN_GAP
        columns = self._columns
        fixed = sum(c.width for c in columns if c.width is not None)
        flexible = sum(1 for c in columns if c.width is None)
        spare = max(0, width - fixed - gap * max(0, len(columns) - 1))
        share, extra = divmod(spare, flexible) if flexible else (0, 0)
        layout = []
        x = 0
        seen_flexible = 0
        for column in columns:
            if column.width is not None:
                w = column.width
            else:
                w = share + (1 if seen_flexible < extra else 0)
                seen_flexible += 1
            layout.append((x, w))
            x += w + gap
        result = tuple(layout)
        self._vt_layout = (width, result)
        return result

    def _line_width(self) -> int:
        return self.scrollable_content_region.width

    def render_line(self, y: int) -> Strip:
        width = self._line_width()
        if y == 0:
            return self._render_header(width)
        index = self.scroll_offset.y + y - 1
        if self._count == 0:
            if y == min(2, self.scrollable_content_region.height - 1) and self._empty_text:
                return self._render_empty(width)
            return Strip.blank(width, self.rich_style)
        if index >= self._count:
            return Strip.blank(width, self.rich_style)
        return self._render_row(index, width)

    def _render_header(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("virtual-table--header")
        line = Text(style=style, no_wrap=True, end="")
        for number, (column, (_x, w)) in enumerate(zip(self._columns, self._column_layout(width))):
            if w <= 0:
                continue
            if number:
                line.append(" " * self.COLUMN_GAP)
            indicator = ""
            if column.key == self._sort_key:
                indicator = " ▼" if self._sort_descending else " ▲"
            label = Text(column.label)
            if indicator and w > len(indicator):
                label.truncate(w - len(indicator), overflow="ellipsis")
                label.append(indicator)
            cell = self._fit(label, w, column.justify)
            cell.stylize(Style.from_meta({"vt_header": number}))
            line.append_text(cell)
        return self._strip(line, width, style)

    def _render_row(self, index: int, width: int) -> Strip:
        style = self.rich_style
        if index == self._cursor:
            style = style + self.get_component_rich_style("virtual-table--cursor")
        style = style + Style.from_meta({"vt_row": index})
        row = self.get_row(index)
        if row is None:
            return Strip.blank(width, style)
        line = Text(style=style, no_wrap=True, end="")
        for number, (column, (_x, w)) in enumerate(zip(self._columns, self._column_layout(width))):
            if w <= 0:
                continue
            if number:
                line.append(" " * self.COLUMN_GAP)
            line.append_text(self._fit(self._cell(column, row), w, column.justify))
        return self._strip(line, width, style)

    def _render_empty(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("virtual-table--empty")
        text = self._empty_text if isinstance(self._empty_text, Text) else Text(str(self._empty_text))
        line = self._fit(text.copy(), width, "center")
        line.stylize_before(style)
        return self._strip(line, width, style)

    def _strip(self, line: Text, width: int, style: Style) -> Strip:
        # Text.render ignores Text.style when there are no spans: apply it to the strip
        line.truncate(width, pad=True)
        return Strip(line.render(self.app.console), width).apply_style(style).adjust_cell_length(width, style)

    @staticmethod
    def _cell(column: Column, row: Any) -> Text:
        value = column.render(row) if column.render is not None else getattr(row, column.key, "")
        # Cells are data: shown literally, every control character visible (ui/literal.py).
        text = safe(value.copy()) if isinstance(value, Text) else literal(value, multiline=True)
        assert isinstance(text, Text)
        if "\n" in text.plain:
            text = Text(" ").join(text.split("\n"))
        if "\t" in text.plain:
            text.expand_tabs(1)
        return text

    @staticmethod
    def _fit(text: Text, width: int, justify: Justify) -> Text:
        text.no_wrap = True
        text.end = ""
        text.truncate(width, overflow="ellipsis")
        text.align(justify, width)
        return text

    def _refresh_header(self) -> None:
        if self.is_attached:
            self.refresh(Region(0, 0, self.size.width, 1))

    def refresh_line(self, y: int) -> None:
        """Refresh virtual line ``y`` (the header is line 0, data row ``i`` is line ``i + 1``)."""
        screen_y = y - self.scroll_offset.y
        if 1 <= screen_y < self.size.height:
            self.refresh(Region(0, screen_y, self.size.width, 1))

    # -- helpers ------------------------------------------------------------------

    def _column(self, key: str) -> Column:
        for column in self._columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @staticmethod
    def _check_columns(columns: Sequence[Column]) -> None:
        keys = [c.key for c in columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys: {keys}")
        for column in columns:
            if column.width is not None and column.width < 1:
                raise ValueError(f"column {column.key!r}: width must be at least 1 or None")
