"""The coopterm Textual application: a shell of screens switched by number keys.

The app owns the open database, the current plan, the user's preferences and the
watch for changes made by other processes; screens ask the workspace for their
data and tell the app when they saved something.  The app publishes it on
``plan_changed_signal`` (another plan made current: ``plan_switched_signal``), to
which every main screen subscribes when mounted, so every screen (the dashboard's
gauges first) shows the change at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import inspect
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal

from coopterm.config import Config, load_config, save_config
from coopterm.errors import CooptermError
from coopterm.i18n import t
from coopterm.text import printable
from coopterm.ui.keys import binding_classes, check_keymap, footer_key_display
from coopterm.ui.literal import ControlFilter
from coopterm.ui.screens.base import PlanScreen
from coopterm.ui.screens.dashboard import DashboardScreen
from coopterm.ui.screens.keys_help import KeysScreen, describe_keys
from coopterm.ui.timers import guard_timers
from coopterm.workspace import Workspace

if TYPE_CHECKING:
    from coopterm.domain.dashboard import DashboardData
    from coopterm.domain.figures import StartFigures
    from coopterm.workspace import ChangeWatcher, Database

SCREENS: dict[str, tuple[str, str]] = {
    "dashboard": ("dashboard", "DashboardScreen"),
    "challenges": ("challenges", "ChallengesScreen"),
    "actions": ("actions", "ActionsScreen"),
    "pilots": ("pilots", "PilotsScreen"),
    "meetings": ("meetings", "MeetingsScreen"),
    "funding": ("funding", "FundingScreen"),
    "plans": ("plans", "PlansScreen"),
}
"""Mode name -> (module in ``ui.screens``, class).  Only the dashboard is imported
before the first frame; the other screens load when first shown."""
WATCH_INTERVAL = 1.0
KEYS_NEVER_HELD = frozenset({"ctrl+c", "ctrl+q"})
"""Keys that act at once even while the file is opening (the others wait for it, in order)."""
WARM_UP_PAUSE = 0.02
"""Seconds the interface is left alone between two steps of the warm-up (see :meth:`CooptermApp.warm_up`)."""


def screen_class(mode: str) -> type[PlanScreen]:
    module, name = SCREENS[mode]
    return getattr(import_module(f"coopterm.ui.screens.{module}"), name)


def _lazy(mode: str) -> Callable[[], Screen]:
    return lambda: screen_class(mode)()


class CooptermApp(App[None]):
    CSS_PATH = str(Path(__file__).with_name("coopterm.tcss"))  # absolute: subclasses live elsewhere
    TITLE = "coopterm"
    MODES = {mode: (DashboardScreen if mode == "dashboard" else _lazy(mode)) for mode in SCREENS}
    BINDINGS = [
        Binding("1", "show('dashboard')", "key.dashboard", id="app.show_dashboard"),
        Binding("2", "show('challenges')", "key.challenges", id="app.show_challenges"),
        Binding("3", "show('actions')", "key.actions", id="app.show_actions"),
        Binding("4", "show('pilots')", "key.pilots", id="app.show_pilots"),
        Binding("5", "show('meetings')", "key.meetings", id="app.show_meetings"),
        Binding("6", "show('funding')", "key.funding", id="app.show_funding"),
        Binding("7", "show('plans')", "key.plans", id="app.show_plans"),
        Binding("question_mark", "keys", "key.help", id="app.help"),
        Binding("q", "quit", "key.quit", id="app.quit"),
    ]

    def __init__(self, db: Database | None = None, *, opener: Callable[[], Database] | None = None,
                 today: dt.date | None = None, config: Config | None = None,
                 watch_interval: float = WATCH_INTERVAL, path: Path | None = None) -> None:
        """Give either an open ``db``, or an ``opener`` that opens it (run in a worker
        thread after the first frame, so that start-up never waits for the database).
        With an ``opener``, ``path`` names the file it opens: the dashboard shows the
        figures kept there at once (``coopterm.domain.figures``), before the file is open."""
        guard_timers()
        super().__init__()
        self.db = db
        self.start_path = path
        self.start_figures: StartFigures | None = None
        """The figures kept in the file, shown until the live ones are loaded."""
        self.dashboard_data: DashboardData | None = None
        """The live figures the dashboard last showed: kept in the file when the app closes."""
        self._held_keys: list[events.Key] | None = [] if db is None else None
        """Keys typed while the file is opening, replayed in order once it is open."""
        self._warmed = False
        self._data: Workspace | None = None
        self.opener = opener
        self.open_error: CooptermError | None = None
        self.today = today or dt.date.today()
        self.config = config if config is not None else load_config()
        self.plan_id: uuid.UUID | None = None
        self.plan_changed_signal: Signal[object | None] = Signal(self, "plan-changed")
        """Published when the plan changed: the change made by a save here, ``None`` from elsewhere."""
        self.plan_switched_signal: Signal[None] = Signal(self, "plan-switched")
        """Published when another plan became current."""
        self._refused_in_signal: list[Exception] = []
        self._watcher: ChangeWatcher | None = None
        self._watch_interval = watch_interval
        self._control_filter = ControlFilter()
        self._waiting_mode: str | None = None
        """A screen asked for (a number key) while the file was still opening."""
        self.key_remaps: dict[str, str] = {}
        """The ``[keys]`` remaps in effect (binding id -> "key,key"), as given to ``set_keymap``."""

    # --- start-up ------------------------------------------------------------

    @staticmethod
    def keep_long_lived_objects() -> None:
        """Take what is alive now out of the garbage collector's full passes (``gc.freeze``).

        What the app loads on the way to its first figures (Textual, Rich, SQLAlchemy,
        the tables, the domain) lives as long as the app.  Left in sight, every full
        collection walks all of it, with the interface frozen meanwhile: measured 50 to
        80 ms, landing during launch and on the first visit of a screen.  Frozen, a full
        collection walks only what was made since.  Called at three points of start-up
        (app mounted, file open, first figures shown); objects already unreachable then
        are few and are simply kept.
        """
        gc.freeze()

    def on_mount(self) -> None:
        self.keep_long_lived_objects()
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.problem:
            self.notify(t("config.unreadable", path=self.config.path), severity="warning", timeout=8)
        if self.config.keys:
            self.apply_key_remaps()
        if self.db is None and self.start_path is not None:
            self.show_start_figures(self.start_path)
        self.switch_mode("dashboard")
        if self.db is None:
            self.call_after_refresh(self.open_in_background)
        else:
            self.database_ready(self.db)

    def show_start_figures(self, path: Path) -> None:
        """Read the figures kept in the file (a few milliseconds, the standard ``sqlite3``
        module only) for the dashboard's first frame; none when they no longer hold."""
        from coopterm.workspace.figures import read_start_figures

        self.sub_title = printable(path)
        self.start_figures = read_start_figures(path, self.today)
        if self.start_figures is not None:
            self.title = printable(self.start_figures.title)

    async def on_event(self, event: events.Event) -> None:
        """Keys typed while the file is opening wait for it (the screens they open or act
        on need its data) and are replayed in order once it is open: none is lost."""
        if (isinstance(event, events.Key) and not event.is_forwarded and self._held_keys is not None
                and event.key not in KEYS_NEVER_HELD):
            self._held_keys.append(event)
            return
        await super().on_event(event)

    def release_keys(self) -> None:
        """The file is open: replay the keys typed meanwhile, as typed."""
        held, self._held_keys = self._held_keys, None
        if held:
            self.run_worker(self._replay(held), group="replay", exit_on_error=False)

    async def _replay(self, keys: list[events.Key]) -> None:
        """One key after the other, each once the app is done with the one before: a key
        that opens a screen (``3``) is followed by keys meant for that screen (``/``, text)."""
        from textual._wait import wait_for_idle  # what Textual's own Pilot waits with between keys

        for key in keys:
            self.post_message(events.Key(key.key, key.character))
            await wait_for_idle(0)

    @work(thread=True, exit_on_error=False)
    def open_in_background(self) -> None:
        assert self.opener is not None
        try:
            db = self.opener()
        except CooptermError as refused:
            self.call_from_thread(self.refuse, refused)
            return
        except Exception as exc:  # never leave an empty dashboard waiting for ever
            self.call_from_thread(self.refuse, CooptermError("app.open_failed", reason=f"{type(exc).__name__}: {exc}"))
            return
        self.call_from_thread(self.database_ready, db)

    def refuse(self, refused: CooptermError) -> None:
        """The file could not be opened: leave, and let the command line say why."""
        self._held_keys = None
        self.open_error = refused
        self.exit(return_code=1)

    @property
    def data(self) -> Workspace:
        """The one door to the plan's data: every screen reads and writes through it."""
        if self._data is None or self._data.db is not self.db:
            assert self.db is not None, "the file is not open yet"
            self._data = Workspace(self.db)
        return self._data

    @property
    def plan(self) -> uuid.UUID:
        """The current plan's id, for the screens that show a plan: they open only once there is one
        (``action_show`` waits for it), and a plan once current is never unset."""
        if self.plan_id is None:
            raise RuntimeError("no plan is current yet")
        return self.plan_id

    def database_ready(self, db: Database) -> None:
        self.keep_long_lived_objects()
        self.db = db
        self.sub_title = printable(db.path)
        if db.migrated_from:
            self.notify(t("app.migrated", backup=db.backup_path), timeout=10)
        self._watcher = db.watcher()
        self.set_interval(self._watch_interval, self.check_external_changes)
        from coopterm.ui.hub_sync import HubSync

        self.hub_sync = HubSync(self)
        if self.load_plan():
            self.plan_changed(None)
        else:
            from coopterm.ui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(), self._after_first_run)
        self.release_keys()

    def dashboard_shown(self, data: DashboardData) -> None:
        """The dashboard shows live figures: remember them (kept in the file when the app
        closes); the first time, prepare the other screens' first visit, then check the file."""
        self.dashboard_data = data
        if not self._warmed and self.opener is not None:  # a process starting, not a test given its file
            self._warmed = True
            self.warm_up()
        elif not self._warmed:
            self._warmed = True
            self.hub_sync.start()

    @work(thread=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        """Import what the first visit of each screen needs (its module, its door to the data),
        one module at a time with a pause between, so that the interface keeps answering
        meanwhile; then read every page of the file (``verify_in_background``): never
        before the gauges, and never competing with the imports.

        Imports run here only once the dashboard's live figures are shown, that is once the
        opener thread has finished importing SQLAlchemy: two threads importing it at once
        could fail in one of them ("partially initialized module").
        """
        import time

        for mode in SCREENS:
            if not self.is_running:
                return
            screen_class(mode)
            time.sleep(WARM_UP_PAUSE)
        for door in ("challenges", "actions", "people", "meetings", "funding", "indicators"):
            if not self.is_running or self.db is None:
                return
            getattr(self.data, door)
            time.sleep(WARM_UP_PAUSE)
        if self.opener is not None and self.db is not None and self.is_running:
            # opened here without reading every page first: do it now
            self.call_from_thread(self.verify_in_background, self.db)
            self.call_from_thread(self.hub_sync.start)  # a file with a hub syncs once the screens are ready

    @work(thread=True, exit_on_error=False, group="verify")
    def verify_in_background(self, db: Database) -> None:
        """Read the whole file once, beside the user's work, and warn at once if a page is damaged.

        SQLite releases the GIL while it reads, so the screens stay as quick as before.
        """
        try:
            db.verify()
        except CooptermError as damaged:
            self.call_from_thread(self.notify, str(damaged), title=t("app.damaged_title"),
                                  severity="error", timeout=3600)

    def _after_first_run(self, _result: object) -> None:
        self.load_plan()
        self.plan_changed(None)

    def load_plan(self) -> bool:
        """Read which plan is current; False when the database holds none yet."""
        plan = self.data.plans.current()
        if plan is None:
            return False
        self.plan_id = plan.id
        self.title = printable(plan.title)
        return True

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
        if self.opener is not None and self.db is not None:
            self.keep_figures(self.db)
            self.db.close()  # opened here, closed here

    def keep_figures(self, db: Database) -> None:
        """Keep the dashboard's last live figures in the file, for the next start to show at
        once; skipped when the file changed since they were read (they would be out of date)."""
        if self.dashboard_data is None:
            return
        from coopterm.workspace.figures import keep_figures

        try:
            keep_figures(self.data, self.dashboard_data)
        except (CooptermError, OSError, sqlite3.Error):
            pass  # only a faster next start is lost: closing goes on

    # --- text from data ---------------------------------------------------------------

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters, then the last guard: no control character reaches the terminal."""
        return [*super().get_line_filters(), self._control_filter]

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every message is plain text: it often quotes the user's words or a file's, which
        are never markup.  (``markup`` is accepted and ignored, for Textual's own callers.)"""
        super().notify(printable(message, multiline=True), title=printable(title), severity=severity,
                       timeout=timeout)

    # --- preferences ---------------------------------------------------------------

    def apply_key_remaps(self) -> None:
        """The preferences' ``[keys]`` table, through Textual's keymap (``set_keymap``); an entry
        that cannot apply is said in plain words, and the others still apply."""
        self.key_remaps, problems = check_keymap(self.config.keys, binding_classes(type(self)))
        self.set_keymap(self.key_remaps)
        for problem in problems:
            self.notify(problem.message(), severity="warning", timeout=12)

    def watch_theme(self, theme: str) -> None:
        if self.config.theme != theme and self.is_running:
            self.config = self.config.with_changes(theme=theme)
            save_config(self.config)

    # --- changes -----------------------------------------------------------------------

    def subscribe(self, signal: Signal[Any], screen: Screen[Any], callback: Callable[[Any], object]) -> None:
        """``callback`` runs on each publication of ``signal``, at once (as the screen shows the
        change before the save's notice); what it raises reaches the publisher (see :meth:`_publish`)."""
        def guarded(data: object) -> None:
            try:
                callback(data)
            except Exception as refused:  # Textual would log and drop it: kept for the publisher
                self._refused_in_signal.append(refused)

        signal.subscribe(screen, guarded, immediate=True)

    def _publish(self, signal: Signal[Any], data: object) -> None:
        """Every subscriber hears ``data``; then the first error one of them raised is raised here,
        so that a refusal while reloading (a lock held too long) is shown as any other."""
        self._refused_in_signal = []
        signal.publish(data)
        refused, self._refused_in_signal = self._refused_in_signal, []
        if refused:
            raise refused[0]

    def plan_changed(self, delta: object | None = None) -> None:
        """Tell every screen the plan changed (``delta`` from a save made here)."""
        self._publish(self.plan_changed_signal, delta)
        if self._waiting_mode is not None and self.plan_id is not None:
            mode, self._waiting_mode = self._waiting_mode, None
            self.call_next(self.action_show, mode)

    def switch_plan(self, plan_id: uuid.UUID) -> None:
        """Make ``plan_id`` the current plan of this file; every screen starts afresh on it."""
        self.data.plans.make_current(plan_id)
        self.load_plan()
        self._publish(self.plan_switched_signal, None)

    def check_external_changes(self) -> None:
        if self._watcher is not None and self._watcher.changed():
            self.hub_sync.count_waiting()
            if self.plan_id is None and self.load_plan():
                return
            self.plan_changed(None)

    def show_hub_status(self, words: str) -> None:
        """The header's second line: the file, and where it stands with its hub."""
        if self.db is not None:
            self.sub_title = printable(self.db.path) + (f" · {words}" if words else "")

    # --- refusals ------------------------------------------------------------------------

    def show_refusal(self, refused: CooptermError) -> None:
        self.notify(str(refused), severity="error", timeout=10)

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action: a refusal in plain words (a full disk, a lock held too long)
        becomes a message on screen, and the app goes on with nothing changed."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except CooptermError as refused:
            self.show_refusal(refused)
            return True

    def push_screen(self, screen, callback=None, wait_for_dismiss=False):  # type: ignore[override]  # one body for Textual's overloads
        """As :meth:`App.push_screen`; what the callback writes is refused in plain words too."""
        if callback is not None:
            callback = self._refusals_shown(callback)
        return super().push_screen(screen, callback, wait_for_dismiss)

    def _refusals_shown(self, callback: Callable) -> Callable:
        """``callback`` wrapped; Textual awaits what it returns, so one async wrapper
        serves plain and async callbacks alike."""
        @functools.wraps(callback)
        async def guarded(*args: object) -> object:
            try:
                result = callback(*args)
                return await result if inspect.isawaitable(result) else result
            except CooptermError as refused:
                self.show_refusal(refused)
                return None
        return guarded

    # --- navigation ---------------------------------------------------------------------

    async def action_show(self, mode: str) -> None:
        if self.plan_id is None or self.db is None:
            self._waiting_mode = mode  # shown as soon as the plan is (see plan_changed)
            return
        await self.switch_mode(mode)

    def action_keys(self) -> None:
        screen = self.screen
        heading = t(screen.TITLE_KEY) if isinstance(screen, PlanScreen) else ""
        self.push_screen(KeysScreen(describe_keys(screen), heading))

    # --- Textual's own words, in the user's language -------------------------------------

    def get_key_display(self, binding: Binding) -> str:
        """Keys in the footer as the user's language writes them ("Suppr", "Échap", "=")."""
        return footer_key_display(binding)

    def action_command_palette(self) -> None:
        from coopterm.ui.palette import TranslatedPalette

        if self.use_command_palette and not TranslatedPalette.is_open(self):  # type: ignore[arg-type]  # Textual types it App[object]
            self.push_screen(TranslatedPalette(id="--command-palette"))

    def search_commands(self, commands, placeholder: str | None = None):  # our placeholder by default
        from textual.command import SimpleProvider

        from coopterm.ui.palette import TranslatedPalette

        return self.push_screen(TranslatedPalette(providers=[SimpleProvider(self.screen, commands)],
                                                  placeholder=placeholder))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from coopterm.ui.palette import TranslatedPalette

        self.push_screen(TranslatedPalette(providers=[ThemeProvider], placeholder=t("palette.theme_placeholder")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every command of every screen, by name, plus theme, keys and quit."""
        for mode in SCREENS:
            cls = screen_class(mode)
            name = t(cls.TITLE_KEY)
            yield SystemCommand(t("palette.go", screen=name), t("palette.go_help", screen=name),
                                lambda mode=mode: self.call_next(self.action_show, mode))
            for title_key, help_key, action in cls.PALETTE:
                yield SystemCommand(t("palette.screen_command", screen=name, command=t(title_key)), t(help_key),
                                    lambda mode=mode, action=action: self.call_next(self._run_on, mode, action))
        yield SystemCommand(t("palette.import_copy"), t("palette.import_copy_help"), self.action_import_copy)
        if self.db is not None and not getattr(self.db, "online", False):  # online, the app is on the hub
            yield SystemCommand(t("palette.sync"), t("palette.sync_help"), self.hub_sync.ask)
        yield SystemCommand(t("palette.review_conflicts"), t("palette.review_conflicts_help"),
                            self.action_review_conflicts)
        yield SystemCommand(t("palette.write_report"), t("palette.write_report_help"), self.action_write_report)
        yield SystemCommand(t("palette.export_copy"), t("palette.export_copy_help"),
                            lambda: self.action_export("copy"))
        yield SystemCommand(t("palette.export_partners"), t("palette.export_partners_help"),
                            lambda: self.action_export("partners"))
        yield SystemCommand(t("palette.theme"), t("palette.theme_help"), self.action_change_theme)
        yield SystemCommand(t("palette.keys"), t("palette.keys_help"), self.action_keys)
        yield SystemCommand(t("palette.quit"), t("palette.quit_help"), self.action_quit)

    async def _run_on(self, mode: str, action: str) -> None:
        if self.plan_id is None or self.db is None:
            return
        await self.switch_mode(mode)
        await self.screen.run_action(action)

    # --- bringing in a copy ------------------------------------------------------------

    def action_import_copy(self) -> None:
        """Ask for the copy, show what it would change, merge when the user says so."""
        if self.db is None:
            return
        from coopterm.ui.screens.path_prompt import PathPrompt

        self.push_screen(PathPrompt(t("import.title"), t("import.hint")), self._import_chosen)

    def _import_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.notify(t("import.checking", copy=path.name))
            self.run_merge(path, dry_run=True)

    @work(thread=True, exit_on_error=False, group="merge", exclusive=True)
    def run_merge(self, path: Path, dry_run: bool) -> None:
        """The merge (or its dry run) reads and writes files: off the interface thread."""
        try:
            result = self.data.merge(path, dry_run=dry_run)
        except CooptermError as refused:
            self.call_from_thread(self.notify, str(refused), severity="error", timeout=12)
            return
        except Exception as exc:  # the merge is one transaction: nothing was changed
            self.call_from_thread(self.notify, t("merge.failed", path=path, reason=exc), severity="error",
                                  timeout=12)
            return
        self.call_from_thread(self._merge_checked if dry_run else self._merged, result)

    def _merge_checked(self, result) -> None:  # a MergeResult, imported lazily
        from coopterm.ui.screens.confirm import ChoiceScreen
        from coopterm.ui.screens.conflicts import merge_summary

        if result.changes == 0:
            self.notify(t("import.nothing", copy=result.copy.name))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_merge(result.copy, dry_run=False)

        self.push_screen(ChoiceScreen(merge_summary(result), t("import.merge"), t("import.cancel"), focus_yes=True),
                         answered)

    def _merged(self, result) -> None:
        if result.changes == 0:
            self.notify(t("import.nothing", copy=result.copy.name))
            return
        self.load_plan()  # the copy may have brought the plan, or renamed it
        self.plan_changed(None)
        self.notify(t("import.done", copy=result.copy.name, changes=result.changes, backup=result.backup),
                    timeout=12)
        if result.conflicts:
            self.notify(t("import.conflicts", count=len(result.conflicts)), severity="warning", timeout=12)
            self.action_review_conflicts()

    def action_review_conflicts(self) -> None:
        if self.db is None:
            return
        from coopterm.ui.screens.conflicts import ConflictsScreen

        self.push_screen(ConflictsScreen())

    # --- the progress report ------------------------------------------------------------

    def action_write_report(self) -> None:
        """Ask where to write the report (HTML, or Markdown for a .md name), then write it."""
        if self.db is None or self.plan_id is None:
            return
        from coopterm.ui.screens.path_prompt import PathPrompt

        default = Path.cwd() / t("report.default_name", date=self.today.isoformat())
        self.push_screen(PathPrompt(t("report.prompt_title"), t("report.prompt_hint"), str(default),
                                    must_exist=False), self._report_chosen)

    def _report_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.write_report(path, replace=False)

    def _ask_to_replace(self, path: Path) -> None:
        """A report of that name exists: it is replaced only once the user says so (``--force``)."""
        from coopterm.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.write_report(path, replace=True)

        self.push_screen(ConfirmScreen(t("report.replace_question", path=path)), answered)

    # --- files for the field and for partners -------------------------------------------

    def export_default(self, kind: str) -> Path:
        """Where an export goes unless the user says otherwise: beside the database, named
        after it and the day ("plan-copie-2021-06-14.db"), or "partenaires-….xlsx" (a zip of
        csv files when the xlsx writer is not installed)."""
        assert self.db is not None
        day = self.today.isoformat()
        # on the hub (online mode) there is no file to stand beside: the working folder
        beside = self.db.path if isinstance(self.db.path, Path) else Path.cwd() / "coopterm.db"
        if kind == "copy":
            return beside.with_name(t("export.default_copy", stem=beside.stem, date=day))
        import importlib.util

        suffix = "xlsx" if importlib.util.find_spec("openpyxl") is not None else "zip"
        return beside.with_name(t("export.default_partners", date=day, suffix=suffix))

    def action_export(self, kind: str) -> None:
        """Ask where to write a field copy (``copy``) or the partners' files (``partners``:
        .xlsx, .zip of csv or .json, by the name's ending), then write it."""
        if self.db is None:
            return
        from coopterm.ui.screens.path_prompt import PathPrompt

        self.push_screen(PathPrompt(t(f"export.prompt_title.{kind}"), t(f"export.prompt_hint.{kind}"),
                                    str(self.export_default(kind)), must_exist=False),
                         lambda path: self.write_export(kind, path, False) if path is not None else None)

    @work(thread=True, exit_on_error=False, group="export", exclusive=True)
    def write_export(self, kind: str, path: Path, replace: bool) -> None:
        from coopterm.i18n import language

        try:
            assert self.db is not None  # asked for only once the file is open (action_export)
            if kind == "copy":
                from coopterm import present

                done = self.data.export_copy(path, force=replace)
                message = t("cli.exported", path=done.path, size=present.number(done.size))
            else:
                from coopterm.exports import format_from_path

                fmt = format_from_path(path)
                if fmt not in ("csv", "json", "xlsx"):
                    self.call_from_thread(self.notify, t("export.partners_suffix", path=path), severity="error",
                                          timeout=12)
                    return
                written = self.data.export_tables(path, fmt, force=replace, lang=language())
                message = t("export.partners_written", path=written.path, format=fmt)
        except CooptermError as refused:
            if refused.key == "export.exists":
                self.call_from_thread(self._ask_to_replace_export, kind, path)
                return
            self.call_from_thread(self.notify, str(refused), severity="error", timeout=12)
            return
        self.call_from_thread(self.notify, message, timeout=12)

    def _ask_to_replace_export(self, kind: str, path: Path) -> None:
        from coopterm.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.write_export(kind, path, True)

        self.push_screen(ConfirmScreen(t("export.replace_question", path=path)), answered)

    @work(thread=True, exit_on_error=False, group="report", exclusive=True)
    def write_report(self, path: Path, replace: bool) -> None:
        from coopterm.i18n import language
        from coopterm.report import write_report

        try:
            assert self.db is not None  # asked for only once the file is open (action_write_report)
            written = write_report(self.db, None, language(), self.today, path, force=replace)
        except CooptermError as refused:
            if refused.key == "report.exists":
                self.call_from_thread(self._ask_to_replace, path)
                return
            self.call_from_thread(self.notify, str(refused), severity="error", timeout=12)
            return
        self.call_from_thread(self.notify, t("report.written", path=written), timeout=12)
