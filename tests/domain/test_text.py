"""The two rules for text from data: shown visibly, typed without controls."""

from __future__ import annotations

import pytest

from coopterm.text import has_controls, printable, without_controls
from tests.hostile import CONTROL, CORPUS, UNSTORABLE


@pytest.mark.parametrize("name", [*CORPUS, "unstorable"])
def test_printable_leaves_no_control_and_keeps_the_words(name: str) -> None:
    text = CORPUS.get(name, UNSTORABLE)
    shown = printable(text)
    assert not CONTROL.search(shown)
    assert shown.endswith(text[-3:])  # the end is there whole
    shown.encode("utf-8")  # a terminal can be sent every character


def test_controls_are_shown_as_pictures() -> None:
    assert printable("a\x1b]0;x\x07b") == "a\u241b]0;x\u2407b"
    assert printable("a\x7fb\x9bc") == "a\u2421b\ufffdc"
    assert printable("a\u202eb") == "a\ufffdb"
    assert printable("a\tb\nc") == "a\u2409b\u240ac"


def test_long_texts_keep_their_lines_and_tabs_but_not_a_lone_carriage_return() -> None:
    assert printable("a\r\nb\tc\rd", multiline=True) == "a\nb\tc\u240dd"
    assert not has_controls("a\nb\tc", multiline=True)
    assert has_controls("a\nb")


def test_markup_is_left_to_the_widgets() -> None:
    assert printable("[bold]x[/]") == "[bold]x[/]"
    assert printable(None) == ""


def test_input_loses_what_display_would_show_as_pictures() -> None:
    assert without_controls("Ti\x1b[2Jtre\u202e") == "Ti[2Jtre"
    assert without_controls("a\r\nb\rc\td\x00", multiline=True) == "a\nb\nc\td"
    assert without_controls("Zéro\u200dlargeur 🤝 مونستير") == "Zéro\u200dlargeur 🤝 مونستير"
