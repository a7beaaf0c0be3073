"""The app's side of syncing with the hub: on demand from the palette, and, once the file
has a hub, at start and every few minutes, off the interface thread.

What it says stays out of the way: the header tells when the file last synced and how
many changes wait to be sent, or that the hub cannot be reached and the app works
offline; a message appears only for what a person should know (a sync they asked for,
changes received, changes refused, conflicts to review).  The data on screen follows
by itself: a sync writes the file, and the app's change watcher refreshes the screens.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from coopterm.errors import CooptermError
from coopterm.i18n import t, tn

if TYPE_CHECKING:
    from coopterm.ui.app import CooptermApp
    from coopterm.workspace import SyncResult

EVERY_S = 300.0
"""How often a file with a hub syncs on its own (5 minutes): a pilot's edit reaches the
others within minutes without anyone thinking of it."""


class HubSync:
    """Syncs the app's file with its hub and keeps the header's word on it current."""

    def __init__(self, app: CooptermApp) -> None:
        self.app = app
        self.last_synced: dt.datetime | None = None
        self.offline_since: dt.datetime | None = None
        self.waiting = 0
        self.running = False
        self._timer_started = False

    # --- when -------------------------------------------------------------------------

    def start(self) -> None:
        """At start: sync now and every few minutes if the file has a hub; else nothing."""
        db = self.app.db
        if db is not None and not getattr(db, "online", False) and self.app.data.hub() is not None:
            self._every_few_minutes()
            self.sync(automatic=True)

    def _every_few_minutes(self) -> None:
        if not self._timer_started:
            self._timer_started = True
            self.app.set_interval(EVERY_S, lambda: self.sync(automatic=True))

    def ask(self) -> None:
        """The palette's "Sync with the hub": the hub the file knows, else ask for one."""
        if self.app.data.hub() is not None:
            self.sync(automatic=False)
            return
        from coopterm.ui.screens.hub_prompt import HubPrompt

        def chosen(url: str | None) -> None:
            if url:
                self.sync(automatic=False, url=url)

        self.app.push_screen(HubPrompt(), chosen)

    # --- the sync, off the interface thread ----------------------------------------------

    def sync(self, *, automatic: bool, url: str | None = None) -> None:
        if self.running or self.app.db is None:
            return
        self.running = True
        if not automatic:
            self.app.notify(t("hub_sync.started"))
        self.app.run_worker(lambda: self._run(automatic, url), thread=True, group="hub-sync", exclusive=True,
                            exit_on_error=False)

    def _run(self, automatic: bool, url: str | None) -> None:
        try:
            result = self.app.data.sync(url)
        except CooptermError as refused:
            self.app.call_from_thread(self._failed, str(refused), automatic)
            return
        except Exception as exc:  # a sync is transactions on both sides: nothing is half done
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}", automatic)
            return
        waiting = self.app.data.sync_waiting()
        self.app.call_from_thread(self._done, result, waiting, automatic)

    def _done(self, result: SyncResult, waiting: int, automatic: bool) -> None:
        self.running = False
        self.last_synced = dt.datetime.now().astimezone()
        self.offline_since = None
        self.waiting = waiting
        self._every_few_minutes()  # a first sync from the palette gives the file its hub
        self.show()
        if result.received or not automatic:
            self.app.notify(t("hub_sync.done", received=tn("cli.sync_received", result.received),
                              sent=tn("cli.sync_sent", result.sent)))
        if result.refused:
            self.app.notify(tn("cli.sync_refused", len(result.refused)), severity="warning", timeout=12)
        if result.pulled is not None and result.pulled.conflicts:
            self.app.notify(t("import.conflicts", count=len(result.pulled.conflicts)), severity="warning",
                            timeout=12)

    def _failed(self, reason: str, automatic: bool) -> None:
        self.running = False
        if self.offline_since is None:
            self.offline_since = dt.datetime.now().astimezone()
        self.show()
        if not automatic:
            self.app.notify(reason, severity="error", timeout=12)

    def count_waiting(self) -> None:
        """After a write here (the change watcher saw one): how many changes wait, for the header."""
        if self.last_synced is not None or self.offline_since is not None:
            self.waiting = self.app.data.sync_waiting()
            self.show()

    # --- what the header says -------------------------------------------------------------

    def words(self) -> str:
        """"hub: synced 14:05, 3 changes waiting" / "hub unreachable since 14:05: working offline"."""
        if self.offline_since is not None:
            return t("hub_sync.offline", since=self.offline_since.strftime("%H:%M"))
        if self.last_synced is None:
            return ""
        return t("hub_sync.synced", at=self.last_synced.strftime("%H:%M"),
                 waiting=tn("hub_sync.waiting", self.waiting))

    def show(self) -> None:
        self.app.show_hub_status(self.words())
