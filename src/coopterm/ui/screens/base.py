"""What the screens share: the app, typed (``AppAccess``, every screen and form); translated
keys, palette entries and refresh on change (``PlanScreen``, the main screens, which subscribe
to the app's ``plan_changed_signal`` and ``plan_switched_signal`` when mounted)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.screen import Screen

from coopterm.ui.keys import TranslatedBindings

if TYPE_CHECKING:
    from coopterm.ui.app import CooptermApp


class AppAccess:
    """Mixin of every coopterm screen: ``coop`` is ``self.app``, typed as the coopterm app."""

    @property
    def coop(self) -> "CooptermApp":
        return self.app  # type: ignore[attr-defined]  # a mixin: its screen has ``app``


class PlanScreen(AppAccess, TranslatedBindings, Screen[None]):
    """A main screen (dashboard, défis, actions), switched to with a number key.

    ``PALETTE`` lists the screen's commands for the command palette as
    ``(title key, help key, action)``; the app offers them from every screen.
    """

    TITLE_KEY: ClassVar[str] = ""
    PALETTE: ClassVar[list[tuple[str, str, str]]] = []

    def on_mount(self) -> None:
        # Textual calls every class's on_mount down the MRO: subclasses must not call super().
        self.coop.subscribe(self.coop.plan_changed_signal, self, self.plan_changed)
        self.coop.subscribe(self.coop.plan_switched_signal, self, lambda _none: self.plan_switched())

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self.reload()

    stale: bool = False

    def plan_changed(self, delta: object | None) -> None:
        """Called when the plan changed: ``delta`` from a save in this app, ``None`` from elsewhere."""
        from textual.css.query import NoMatches

        if self.is_current:
            try:
                self.reload()
            except NoMatches:  # still being built (a change seen during its first mount)
                self.stale = True
        else:
            self.stale = True

    def plan_switched(self) -> None:
        """Another plan became current: drop what belonged to the old one, then reload."""
        self.plan_changed(None)

    def open_filter_box(self, selector: str) -> None:
        """Show the screen's type-to-filter input and put the cursor in it."""
        from textual.widgets import Input

        box = self.query_one(selector, Input)
        box.add_class("-active")
        box.focus()

    def reset_filter_box(self, selector: str) -> None:
        """Hide and empty the filter input without reporting a change (the caller resets the query)."""
        from textual.widgets import Input

        box = self.query_one(selector, Input)
        box.remove_class("-active")
        with box.prevent(Input.Changed):
            box.value = ""

    def reload(self) -> None:
        """Fetch the data this screen shows again."""
