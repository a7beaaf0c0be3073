"""A guard against a Textual bug that froze the app for good: timers with no delay left.

Textual 8.2.8, ``textual/timer.py``, ``Timer._run``: with ``skip=True`` (the
default of ``set_timer`` and ``set_interval``) the loop computes
``next_timer = start + (count + 1) * interval``; when that moment has passed it
recomputes ``count = int((now - start) / interval + 1)`` and ``continue``s without
awaiting anything.  With a negative interval ``next_timer`` is always in the past
and ``count`` never grows, so the loop spins on the event loop's thread for ever:
no key, no repaint, only killing the process helps.  (An interval of exactly 0
divides by zero instead.)

How coopterm met it: a toast is remounted on a newly pushed screen after its life
has run out.  ``ToastRack.show`` checks ``notification.has_expired`` a moment
before ``Toast.__init__`` reads ``notification.time_left``; in between, the time
left can pass below zero, and ``Toast._on_mount`` calls
``set_timer(time_left)`` with that negative value (seen as -0.00005 s) — the app
froze while opening a form a few seconds after a save.

Every timer is made by ``Timer.__init__`` (``set_timer``, ``set_interval``, and
Textual's own widgets alike), so the guard sits there: a delay that is not a
positive number becomes :data:`SHORTEST_DELAY`, and an expired toast is simply
removed on the next tick instead of freezing the app.

``tests/reliability/test_app_resilience.py`` proves the guard works in the app, and runs the unguarded
case in a separate process to show the bug is still in the installed Textual: once
that test reports the freeze gone, remove this module.
"""

from __future__ import annotations

import functools
from typing import Any

from textual.timer import Timer

SHORTEST_DELAY = 0.001
"""Seconds; what a timer asked to fire in no time (or in the past) waits instead."""

_GUARDED = "_coopterm_guarded"


def guard_timers() -> None:
    """Make every Textual timer of this process wait a positive time (idempotent)."""
    if getattr(Timer.__init__, _GUARDED, False):
        return
    unguarded = Timer.__init__

    @functools.wraps(unguarded)
    def __init__(self: Timer, event_target: Any, interval: float, *args: Any, **kwargs: Any) -> None:
        if not interval > 0:  # negative, zero, or not a number at all (NaN)
            interval = SHORTEST_DELAY
        unguarded(self, event_target, interval, *args, **kwargs)

    setattr(__init__, _GUARDED, True)
    Timer.__init__ = __init__  # type: ignore[method-assign]  # the guard, see the module's docstring
