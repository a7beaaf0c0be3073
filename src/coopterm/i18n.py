"""One translation layer for every user-facing string (French and English).

Messages live in ``locales/<lang>.json`` keyed by a stable id; code asks for
``t("key", **params)``, or ``tn("key", count, **params)`` for a message that
depends on a count (its entry is an object with one text per plural form, the
form chosen by the language's plural rules).  Numbers and dates inside messages
are written by :mod:`coopterm.present`.  The language follows the locale
(``fr_*`` gives French, anything else English) unless it is set explicitly
(``--lang`` or, from the app, the config file).  French "de" before a parameter
that starts with a vowel is elided ("d'Adel Janeb").
"""

from __future__ import annotations

import json
import os
import re
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


Plural = dict[str, str]
"""A counted message: one text per CLDR plural category ("one", "many", "other")."""


@cache
def _catalogue(lang: str) -> tuple[dict[str, str], dict[str, Plural]]:
    # Package data lives next to this module; read it directly (importlib.resources
    # costs ~9 ms at start-up, before the first frame).
    text = (Path(__file__).parent / "locales" / f"{lang}.json").read_text("utf-8")
    messages: dict[str, str] = {}
    plurals: dict[str, Plural] = {}
    for key, value in json.loads(text).items():
        if isinstance(value, dict):
            plurals[key] = value
        else:
            messages[key] = value
    return messages, plurals


def catalog(lang: str) -> dict[str, str]:
    """The plain messages of ``lang`` (counted ones are in :func:`plural_catalog`)."""
    return _catalogue(lang)[0]


def plural_catalog(lang: str) -> dict[str, Plural]:
    """The counted messages of ``lang``: each a ``{"one": ..., "other": ...}`` object in the JSON file."""
    return _catalogue(lang)[1]


def template(key: str, lang: str, count: int | None = None) -> str:
    """The text of ``key`` in ``lang`` (English, then the key itself, if missing).

    With ``count``, ``key`` is a counted message and the form is chosen by the
    language's plural rules (Babel's CLDR data); a form the catalogue does not
    write (French "many" for a million) falls back to "other".
    """
    if count is None:
        return catalog(lang).get(key) or catalog("en").get(key) or key
    from coopterm.present import plural_form

    forms = plural_catalog(lang).get(key)
    if forms is None:
        lang, forms = "en", plural_catalog("en").get(key, {})
    return forms.get(plural_form(count, lang=lang)) or forms.get("other") or key


_BEFORE_A_PARAMETER = re.compile(r"\b([Dd])e \{(\w+)\}")
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœ")


def _elided(text: str, lang: str, params: dict[str, object]) -> str:
    """French "de" before a parameter becomes "d'" when the value starts with a vowel:
    "les fiches-actions d'Adel Janeb", "la contribution de Ville de Saint-Étienne"."""
    if lang != "fr" or "e {" not in text:
        return text

    def elide(match: re.Match[str]) -> str:
        value = str(params.get(match.group(2), ""))
        if value[:1].lower() in _VOWELS:
            return f"{match.group(1)}'{{{match.group(2)}}}"
        return match.group(0)

    return _BEFORE_A_PARAMETER.sub(elide, text)


def t(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language, with ``{name}`` placeholders filled.

    A key missing from a catalogue is a bug caught by the tests; at run time the
    English text is used rather than failing in front of the user.

    Parameters are often the user's own text (a title, a path, a file's words in an
    error): each is made :func:`~coopterm.text.printable` here, once for every
    message, so no control character in data reaches a terminal through one.
    """
    lang = language()
    text = template(key, lang)
    if not params:
        return text
    values = {name: _quoted(value) for name, value in params.items()}
    return _elided(text, lang, values).format(**values)


def tn(key: str, count: int, /, **params: object) -> str:
    """The counted message ``key`` in the form ``count`` takes in the current language.

    ``{count}`` is filled with the count written as a number ("1 234"); other
    parameters are made printable as in :func:`t`.  "1 fiche-action",
    "3 fiches-actions"; "0 action" in French, "0 actions" in English.
    """
    from coopterm.present import number

    lang = language()
    text = template(key, lang, count)
    values = {name: _quoted(value) for name, value in params.items()}
    return _elided(text, lang, values).format(**values, count=number(count, lang=lang))


def _quoted(value: object) -> object:
    """Numbers keep their type (a template may format them); anything else becomes printable text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return printable(value)
