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


SHOWN_CANDIDATES = 8
"""Names listed under the field when Tab finds several; more are counted, not listed."""


def complete_path(text: str) -> tuple[str, list[str]]:
    """What Tab makes of ``text``, as a shell does: the path completed as far as the
    entries of its folder agree (a folder gets its "/"), and the names that still match
    when there are several.  Case is ignored when nothing matches it exactly (a USB
    stick named "USB" is found by "/media/usb").  Unreadable folders complete nothing."""
    typed = text.strip()
    folder_text, _, prefix = typed.rpartition("/")
    folder = Path(folder_text or ("/" if typed.startswith("/") else ".")).expanduser()
    if typed.startswith("/") and not folder_text:
        folder_text = ""
    try:
        names = sorted(entry.name for entry in folder.iterdir() if not entry.name.startswith(".") or
                       prefix.startswith("."))
    except OSError:
        return text, []
    found = [n for n in names if n.startswith(prefix)] or [n for n in names if n.lower().startswith(prefix.lower())]
    if not found:
        return text, []
    common = found[0]
    for name in found[1:]:
        while not name.lower().startswith(common.lower()):
            common = common[:-1]
    head = f"{folder_text}/" if folder_text or typed.startswith("/") else ""
    if len(found) == 1:
        completed = head + found[0]
        return (completed + "/" if (folder / found[0]).is_dir() else completed), []
    return head + (common if len(common) > len(prefix) else prefix), found


class PathPrompt(TranslatedBindings, ModalScreen["Path | None"]):
    """Dismisses with the file's path when enter is pressed on a good one, None on escape."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="path_prompt.cancel"),
        Binding("tab", "complete", "key.complete_path", id="path_prompt.complete"),
    ]

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

    def action_complete(self) -> None:
        field = self.query_one("#path-input", Input)
        completed, candidates = complete_path(field.value)
        if completed != field.value:
            with field.prevent(Input.Changed):
                field.value = completed
            field.cursor_position = len(completed)
        if candidates:
            shown = ", ".join(candidates[:SHOWN_CANDIDATES])
            more = len(candidates) - SHOWN_CANDIDATES
            self.show_error(t("path_prompt.candidates", names=shown) + (
                " " + t("path_prompt.more", count=more) if more > 0 else ""))
        else:
            self.show_error("")

    def action_cancel(self) -> None:
        self.dismiss(None)
