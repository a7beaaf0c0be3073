"""Ask for the path of a file to read (the copy to import) or to write (a report),
and say at once what is wrong with it.

The checks here are only the ones a person can fix by typing: nothing typed, no
such file, a folder.  Whether the file is a coopterm database is for the merge to
decide (it refuses foreign and damaged files with its own message).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from coopterm.i18n import t
from coopterm.ui.keys import TranslatedBindings
from coopterm.ui.literal import Literal


def check_path(text: str, *, must_exist: bool = True) -> tuple[Path | None, str]:
    """The file named by ``text`` (``~`` expanded), or None and the reason in plain words.

    A file to write (``must_exist=False``) may be new, but its folder must exist."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]  # a path pasted from a file manager often comes quoted
    if not text:
        return None, t("path_prompt.empty")
    path = Path(text).expanduser()
    if path.is_dir():
        return None, t("path_prompt.folder", path=path)
    if must_exist and not path.exists():
        return None, t("path_prompt.missing", path=path)
    if not must_exist and not path.parent.is_dir():
        return None, t("path_prompt.no_folder", path=path)
    return path, ""


class PathPrompt(TranslatedBindings, ModalScreen["Path | None"]):
    """Dismisses with the file's path when enter is pressed on a good one, None on escape."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="path_prompt.cancel")]

    def __init__(self, title: str, hint: str, value: str = "", *, must_exist: bool = True) -> None:
        super().__init__()
        self.must_exist = must_exist
        self.title_text = title
        self.hint_text = hint
        self.start_value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="path-prompt"):
            yield Literal(self.title_text, classes="dialog-title")
            yield Input(self.start_value, placeholder=t("path_prompt.placeholder"), id="path-input")
            yield Literal("", id="path-error", classes="field-error")
            yield Literal(self.hint_text, classes="hint")

    def on_mount(self) -> None:
        self.query_one("#path-input", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_error("")  # the error was about what was typed before

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path, problem = check_path(event.value, must_exist=self.must_exist)
        if path is None:
            self.show_error(problem)
            return
        self.dismiss(path)

    def show_error(self, message: str) -> None:
        error = self.query_one("#path-error", Literal)
        error.update(Text(message))  # a path is never read as markup
        error.set_class(bool(message), "-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)
