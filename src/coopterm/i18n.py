"""One translation layer for every user-facing string (French and English).

Messages live in ``locales/<lang>.json`` keyed by a stable id; code asks for
``t("key", **params)``.  The language follows the locale (``fr_*`` gives French,
anything else English) unless it is set explicitly (``--lang`` or, from the app,
the config file).
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from coopterm.text import printable

LANGUAGES = ("fr", "en")
_current: str | None = None


def language_from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """``fr`` when the locale is French (LC_ALL, then LC_MESSAGES, then LANG), else ``en``."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def set_language(lang: str | None) -> str:
    """Use ``lang`` from now on (``None`` goes back to the locale); returns the language in use."""
    global _current
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(lang)
    _current = lang
    return language()


def language() -> str:
    return _current or language_from_environment()


@cache
def catalog(lang: str) -> dict[str, str]:
    # Package data lives next to this module; read it directly (importlib.resources
    # costs ~9 ms at start-up, before the first frame).
    text = (Path(__file__).parent / "locales" / f"{lang}.json").read_text("utf-8")
    return json.loads(text)



def t(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language, with ``{name}`` placeholders filled.

    A key missing from a catalogue is a bug caught by the tests; at run time the
    English text is used rather than failing in front of the user.

    Parameters are often the user's own text (a title, a path, a file's words in an
    error): each is made :func:`~coopterm.text.printable` here, once for every
    message, so no control character in data reaches a terminal through one.
    """
    lang = language()
    template = catalog(lang).get(key) or catalog("en").get(key) or key
    if not params:
        return template
    return template.format(**{name: _quoted(value) for name, value in params.items()})


def _quoted(value: object) -> object:
    """Numbers keep their type (a template may format them); anything else becomes printable text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return printable(value)


def format_number(value: float, decimals: int = 1) -> str:
    """A number as the reader writes it: "63,6" in French, "63.6" in English."""
    text = f"{value:,.{decimals}f}" if decimals else f"{value:,.0f}"
    if language() == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def format_date(value: "object") -> str:
    """A date as the reader writes it: 31/12/2021 in French, 2021-12-31 in English."""
    import datetime as dt

    assert isinstance(value, dt.date)
    return value.strftime("%d/%m/%Y") if language() == "fr" else value.isoformat()
