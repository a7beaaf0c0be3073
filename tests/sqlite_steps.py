"""How much work SQLite does for a read, counted in virtual-machine steps rather than
seconds: a query whose cost follows the window it returns takes as many steps in a
small plan as in a large one, on any machine, however busy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

STEP = 10
"""SQLite calls the progress handler every ``STEP`` virtual-machine instructions."""


def steps(db: Any, read: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
    """Instructions SQLite ran for ``read(session, *args, **kwargs)`` in one read session."""
    counted = [0]

    def tick() -> int:
        counted[0] += STEP
        return 0  # go on

    with db.read() as session:
        raw = session.connection().connection.driver_connection
        raw.set_progress_handler(tick, STEP)
        try:
            read(session, *args, **kwargs)
        finally:
            raw.set_progress_handler(None, STEP)
    return counted[0]
