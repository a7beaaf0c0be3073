"""A list's rows as a table asks for them: how many, one window, where a row is.

Each call is one read session of its own, so a table that scrolls through
100,000 rows never holds a session between two frames, and sees the plan as it
is at each window.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

Row = TypeVar("Row")


class Window(Generic[Row]):
    """``count()`` and ``fetch(offset, limit)`` of one list, as the ``VirtualTable`` asks.

    A list that can read its order backwards also gives ``fetch_from_end``: the table
    then reads the pages of the second half counting from the last row.
    """

    def __init__(self, count: Callable[[], int], fetch: Callable[[int, int], Sequence[Row]],
                 fetch_from_end: Callable[[int, int], Sequence[Row]] | None = None) -> None:
        self._count, self._fetch, self._fetch_from_end = count, fetch, fetch_from_end

    def count(self) -> int:
        return self._count()

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        return self._fetch(offset, limit)

    @property
    def reads_backwards(self) -> bool:
        return self._fetch_from_end is not None

    def fetch_from_end(self, offset: int, limit: int) -> Sequence[Row]:
        """The ``limit`` rows that end ``offset`` rows before the last one, in the list's order."""
        if self._fetch_from_end is None:
            raise NotImplementedError("this list is read from its start only")
        return self._fetch_from_end(offset, limit)


class LocatingWindow(Window[Row]):
    """A window that can also say where a row is, so the cursor follows a row that moved
    (a saved name sorts elsewhere) without the table paging through the list to find it."""

    def __init__(self, count: Callable[[], int], fetch: Callable[[int, int], Sequence[Row]],
                 index_of: Callable[[Hashable], int | None],
                 fetch_from_end: Callable[[int, int], Sequence[Row]] | None = None) -> None:
        super().__init__(count, fetch, fetch_from_end)
        self._index_of = index_of

    def index_of(self, row_id: Hashable) -> int | None:
        return self._index_of(row_id)
