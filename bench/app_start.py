"""Cold start of one app, for run.py: prints the wall-clock time of its first frame.

usage: python bench/app_start.py bare|coopterm [DB]
The parent notes the time before starting this process; the difference is what a
user waits for, Python start-up and imports included.
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

            def on_mount(self) -> None:
                self.call_after_refresh(self.first_frame)

            def first_frame(self) -> None:
                print(time.time(), flush=True)
                self.exit()

        Bare().run(headless=True)
        return

    from coopterm.config import Config
    from coopterm.ui.app import CooptermApp
    from coopterm.ui.screens.dashboard import DashboardScreen

    class Timed(CooptermApp):
        """The real app; only notes when the dashboard is first painted and its gauges filled."""

        def on_mount(self) -> None:
            # Textual calls CooptermApp.on_mount itself (handlers run down the MRO): calling
            # super() here would open the database twice, in two threads at once.
            self._watch = self.set_interval(0.002, self.dashboard_shown)

        def dashboard_shown(self) -> None:
            if isinstance(self.screen, DashboardScreen) and self.screen.is_mounted:
                self._watch.stop()
                self.call_after_refresh(self.first_frame)
                # If the screen was painted before this look, no repaint may be due:
                # ask for one, or the callback above could wait for ever.
                self.screen.refresh()

        def first_frame(self) -> None:
            self._t_frame = time.time()
            self.set_interval(0.005, self.wait_gauges)

        def wait_gauges(self) -> None:
            if self.screen.data is not None:
                print(self._t_frame, time.time(), flush=True)
                self.exit()

    def opener():  # as the command line does: the database opens after the first frame
        from coopterm.store import open_database

        return open_database(sys.argv[2], create=False)

    Timed(opener=opener, config=Config(path=sys.argv[2] + ".bench-config.toml")).run(headless=True)


if __name__ == "__main__":
    main()
