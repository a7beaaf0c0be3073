"""The smallest Textual app, the yardstick for coopterm's start-up in run.py.

A header, one line of text and a footer: what any Textual program pays before it
shows anything (Python, Textual's imports, the first frame).  run.py starts it in
the same terminal and the same way as coopterm, alternating, and waits for
``FIRST_LINE``.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

FIRST_LINE = "Hello from a bare Textual app"


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(FIRST_LINE)
        yield Footer()


if __name__ == "__main__":
    Bare().run()
