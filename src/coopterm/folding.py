"""The one rule for matching typed text against names and titles: fold both sides.

People type "etienne" for "Saint-Étienne", "LEILA" for "Leïla", "coeur" for
"cœur" and "strasse" for "Straße"; what they type and what is stored are both
*folded* (no accents, no case, ligatures spelled out) and a row matches when every
word typed is found in it, in any order.  The list filters of the app (SQL, over
the ``search_key`` column the store keeps folded on every write) and the pickers
(in Python, over their labels) apply this same rule, so they never disagree.

This module is pure Python with no import beyond the standard library: the store
imports it to fill ``search_key``, the pickers to filter, neither pays for the other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Letters that NFKD does not decompose into a base letter and marks, spelled the
# way a reader who cannot type them writes them; and typographic apostrophes.
_SPELLED = str.maketrans({
    "œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t",
    "’": "'", "ʼ": "'", "‘": "'",
})

FIELD_SEPARATOR = "\n"
"""Between the folded fields of one row's ``search_key``: whitespace, so no typed
word can span two fields."""


def fold(text: str) -> str:
    """``text`` for matching: no case, no accents, ligatures spelled out
    ("Œuvre de Leïla Żółć, Straße" → "oeuvre de leila zolc, strasse").

    Character by character (fold of a + b == fold(a) + fold(b)), which is what makes
    a folded word found in a folded text mean the same in SQL and in Python.
    """
    if text.isascii():
        return text.lower()
    # casefold may itself yield a composed letter ("ẞ" → "ss" is plain, but "ǰ"-like
    # cases are not): decompose again after it so that no mark survives.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_SPELLED)


def words(query: str) -> list[str]:
    """The folded words of what was typed; none for a blank query (which matches everything)."""
    return fold(query).split()


def search_key(fields: Iterable[str | None]) -> str:
    """What the store keeps in a row's ``search_key``: its searchable fields, folded."""
    return FIELD_SEPARATOR.join(fold(f or "") for f in fields)


def matches(text: str, query: str) -> bool:
    """Every word of ``query`` is found in ``text``, accents and case aside."""
    folded = fold(text)
    return all(word in folded for word in words(query))


__all__ = ["FIELD_SEPARATOR", "fold", "matches", "search_key", "words"]
