"""Cold start of one app, for run.py: prints the wall-clock time of its first frame.

usage: python bench/app_start.py bare|coopterm [DB]
The parent notes the time before starting this process; the difference is what a
user waits for, Python start-up and imports included.

"First frame" is the moment Textual hands the first rendered update of the screen
that matters (the bare app's only screen, coopterm's dashboard) to the display:
both apps are timed by the same hook, ``App._display``, so the ratio compares
like with like.  For coopterm the process goes on until the gauges are filled,
and prints that time too (not part of the ratio).
"""

import sys
import time


def main() -> None:
    kind = sys.argv[1]
    if kind == "bare":
        from textual.app import App
        from textual.widgets import Footer, Header, Static

        class Bare(App[None]):
            def compose(self):
                yield Header()
                yield Static("Hello")
                yield Footer()

            def _display(self, screen, renderable) -> None:
                super()._display(screen, renderable)
                if renderable is not None and not hasattr(self, "_t_frame"):
                    self._t_frame = time.time()
                    print(self._t_frame, flush=True)
                    self.exit()

        Bare().run(headless=True)
        return

    from coopterm.config import Config
    from coopterm.ui.app import CooptermApp
    from coopterm.ui.screens.dashboard import DashboardScreen

    class Timed(CooptermApp):
        """The real app; only notes when the dashboard is first painted and its gauges filled.

        No ``on_mount`` here: Textual would run it besides CooptermApp's own, and a
        ``super().on_mount()`` would open the database twice."""

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is not None and isinstance(screen, DashboardScreen) and not hasattr(self, "_t_frame"):
                self._t_frame = time.time()
                self.set_interval(0.005, self.wait_gauges)

        def wait_gauges(self) -> None:
            if self.screen.data is not None:
                print(self._t_frame, time.time(), flush=True)
                self.exit()

    def opener():  # as the command line does: the database opens after the first frame
        from coopterm.store import open_database

        return open_database(sys.argv[2], create=False, verify=False)

    Timed(opener=opener, config=Config(path=sys.argv[2] + ".bench-config.toml")).run(headless=True)


if __name__ == "__main__":
    main()
