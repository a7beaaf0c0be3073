"""Text that comes from data, made safe to show or to hand to another program.

A plan travels between five towns, and an imported copy may hold anything: terminal
escape sequences (``ESC ] 0 ;`` retitles the window, ``ESC ] 52 ;`` writes the
clipboard), bidirectional overrides that make a line read backwards, lone
surrogates that no terminal can encode.  Two rules, used by every face of coopterm
(app, command line, report, exports):

- :func:`printable` is for *display*: every control character becomes visible — a
  C0 control as its Unicode control picture (ESC shows as ``␛``), DEL as ``␡``, a C1
  control, a bidirectional override or a lone surrogate as ``�`` — so the text is
  shown literally and nothing in it can act on the terminal.  Newlines and tabs
  survive only in long texts (``multiline``).
- :func:`without_controls` is for *input*: what a person types or pastes into a form
  loses the same characters (they are invisible and never meant), so they never
  reach the file in the first place.

Markup is a separate matter: these functions return plain ``str``; the app shows
them through widgets that never parse markup (``coopterm.ui.literal``).
"""

from __future__ import annotations

import re

__all__ = ["has_controls", "printable", "without_controls"]

REPLACEMENT = "\ufffd"

_C0 = "\x00-\x08\x0b-\x1f"  # every C0 control but tab (\x09) and newline (\x0a)
_BIDI = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides and isolates
_SURROGATES = "\ud800-\udfff"
_ANY = re.compile(f"[{_C0}\t\n\x7f\x80-\x9f{_BIDI}{_SURROGATES}]")
_BUT_LAYOUT = re.compile(f"[{_C0}\x7f\x80-\x9f{_BIDI}{_SURROGATES}]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, the Unicode control pictures
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def printable(text: object, *, multiline: bool = False, same_length: bool = False) -> str:
    """``text`` with every control character made visible (see the module's docstring).

    ``None`` gives ``""``; anything else is turned into ``str`` first.  With
    ``multiline`` a newline and a tab are kept (a carriage return is not: alone it
    would let a line overwrite the one before it), and a Windows line end becomes a
    newline unless ``same_length`` asks for one character for each one (styled text
    whose spans count characters).
    """
    if text is None:
        return ""
    text = str(text)
    if multiline:
        return _BUT_LAYOUT.sub(_visible, text if same_length else text.replace("\r\n", "\n"))
    return _ANY.sub(_visible, text)


def without_controls(text: str, *, multiline: bool = False) -> str:
    """``text`` as typed, less the characters :func:`printable` would have to make visible.

    Windows line ends become ``\\n`` in long texts; a lone carriage return becomes a
    newline there too.
    """
    if multiline:
        return _BUT_LAYOUT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _ANY.sub("", text)


def has_controls(text: str, *, multiline: bool = False) -> bool:
    """Whether :func:`printable` would change ``text``."""
    return (_BUT_LAYOUT if multiline else _ANY).search(text) is not None
