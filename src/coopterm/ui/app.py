"""The coopterm Textual application: a shell of screens switched by number keys.

The app owns the open database, the current plan, the user's preferences and the
watch for changes made by other processes; screens ask the domain layer for
their data and tell the app when they saved something, so every screen (the
dashboard's gauges first) shows the change at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from coopterm.config import Config, load_config, save_config
from coopterm.i18n import t
from coopterm.store import Database
from coopterm.ui.keys import translate_bindings
from coopterm.ui.screens.actions import ActionsScreen
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.challenges import ChallengesScreen
from coopterm.ui.screens.dashboard import DashboardScreen
from coopterm.ui.screens.keys_help import KeysScreen, describe_keys

SCREENS: dict[str, type[PlanScreen]] = {
    "dashboard": DashboardScreen,
    "challenges": ChallengesScreen,
    "actions": ActionsScreen,
}
WATCH_INTERVAL = 1.0


class CooptermApp(App[None]):
    CSS_PATH = "coopterm.tcss"
    TITLE = "coopterm"
    MODES = dict(SCREENS)
    BINDINGS = [
        Binding("1", "show('dashboard')", "key.dashboard"),
        Binding("2", "show('challenges')", "key.challenges"),
        Binding("3", "show('actions')", "key.actions"),
        Binding("question_mark", "keys", "key.help"),
        Binding("q", "quit", "key.quit"),
    ]

    def __init__(self, db: Database, *, today: dt.date | None = None, config: Config | None = None,
                 watch_interval: float = WATCH_INTERVAL) -> None:
        super().__init__()
        translate_bindings(self)
        self.db = db
        self.today = today or dt.date.today()
        self.config = config if config is not None else load_config()
        self.plan_id: uuid.UUID | None = None
        self._views: list[PlanScreen] = []
        self._watcher = None
        self._watch_interval = watch_interval

    # --- start-up ------------------------------------------------------------

    def on_mount(self) -> None:
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.problem:
            self.notify(t("config.unreadable", path=self.config.path), severity="warning", timeout=8)
        self.sub_title = str(self.db.path)
        self._watcher = self.db.watcher()
        self.set_interval(self._watch_interval, self.check_external_changes)
        if self.load_plan():
            self.switch_mode("dashboard")
        else:
            from coopterm.ui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(), self._after_first_run)

    def _after_first_run(self, _result: object) -> None:
        self.load_plan()
        self.switch_mode("dashboard")

    def load_plan(self) -> bool:
        """Read which plan is current; False when the database holds none yet."""
        from coopterm.domain.plans import current_plan

        with self.db.read() as session:
            plan = current_plan(session)
        if plan is None:
            return False
        self.plan_id = plan.id
        self.title = plan.title
        return True

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()

    # --- preferences ---------------------------------------------------------------

    def watch_theme(self, theme: str) -> None:
        if self.config.theme != theme and self.is_running:
            self.config = self.config.with_changes(theme=theme)
            save_config(self.config)

    # --- changes -----------------------------------------------------------------------

    def register_view(self, view: PlanScreen) -> None:
        if view not in self._views:
            self._views.append(view)

    def plan_changed(self, delta: object | None = None) -> None:
        """Tell every screen the plan changed (``delta`` from a save made here)."""
        for view in self._views:
            view.plan_changed(delta)

    def check_external_changes(self) -> None:
        if self._watcher is not None and self._watcher.changed():
            if self.plan_id is None and self.load_plan():
                return
            self.plan_changed(None)

    # --- navigation ---------------------------------------------------------------------

    async def action_show(self, mode: str) -> None:
        if self.plan_id is None:
            return
        await self.switch_mode(mode)

    def action_keys(self) -> None:
        screen = self.screen
        heading = t(screen.TITLE_KEY) if isinstance(screen, PlanScreen) else ""
        self.push_screen(KeysScreen(describe_keys(screen), heading))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every command of every screen, by name, plus theme, keys and quit."""
        for mode, cls in SCREENS.items():
            name = t(cls.TITLE_KEY)
            yield SystemCommand(t("palette.go", screen=name), t("palette.go_help", screen=name),
                                lambda mode=mode: self.call_next(self.action_show, mode))
            for title_key, help_key, action in cls.PALETTE:
                yield SystemCommand(t("palette.screen_command", screen=name, command=t(title_key)), t(help_key),
                                    lambda mode=mode, action=action: self.call_next(self._run_on, mode, action))
        yield SystemCommand(t("palette.theme"), t("palette.theme_help"), self.action_change_theme)
        yield SystemCommand(t("palette.keys"), t("palette.keys_help"), self.action_keys)
        yield SystemCommand(t("palette.quit"), t("palette.quit_help"), self.action_quit)

    async def _run_on(self, mode: str, action: str) -> None:
        if self.plan_id is None:
            return
        await self.switch_mode(mode)
        await self.screen.run_action(action)
