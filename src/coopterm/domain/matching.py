"""Typed text matched in SQL by the one rule of ``coopterm.folding``, and the reading order of names.

A row matches when every word typed is found in one of its searchable fields,
accents and case aside both ways ("etienne" finds "Étienne", "ÉTIENNE" finds
"etienne", "coeur" finds "Cœur").  The filters read the ``search_key`` column the
store keeps folded on every write (``models.SEARCHED``): folding each row while
filtering would call Python once per row, some 200 ms for 100,000 actions.  The
pickers apply the same rule in Python (``coopterm.folding.matches``).

Lists meant for reading are sorted the way a French reader expects ("Élodie"
between "Eloïse" and "Emma"), which plain SQL ``ORDER BY`` on SQLite does not do;
the lists are small, so this happens in Python.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from coopterm.folding import FIELD_SEPARATOR, words
from coopterm.models import SEARCHED, Row

_KEY = "search_key"


class position_of(FunctionElement[int]):  # named as the SQL function it stands for
    """Where ``needle`` starts in ``text`` (1-based, 0 when absent): ``instr`` in SQLite,
    ``strpos`` in PostgreSQL (the hub), so one query serves both."""

    type = sa.Integer()
    inherit_cache = True
    name = "position_of"


@compiles(position_of)
def _position_sqlite(element: position_of, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(position_of, "postgresql")
def _position_postgresql(element: position_of, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


def folded_field(model: type[Row], field: str) -> ColumnElement[str]:
    """The folded text of ``model.field``, read from the row's ``search_key``."""
    fields = SEARCHED[model]
    key: Any = getattr(model, _KEY)  # Row declares none: only SEARCHED tables have one
    if len(fields) == 1:
        return key
    if len(fields) != 2:
        raise NotImplementedError("a search key of more than two fields")
    # Each field is one line of the key (folded text has no line break of its own).
    cut = position_of(key, FIELD_SEPARATOR)
    if fields.index(field) == 0:
        return sa.func.substr(key, 1, cut - 1)
    return sa.func.substr(key, cut + 1)


def contains_text(model: type[Row], text: str, *fields: str) -> ColumnElement[bool]:
    """Every word of ``text`` is found in one of ``fields`` of ``model`` (default: all its
    searchable fields), accents and case aside; true for a blank ``text``."""
    typed = words(text)
    if not typed:
        return sa.true()
    found = [sa.and_(*(folded_field(model, f).contains(w, autoescape=True) for w in typed))
             for f in fields or SEARCHED[model]]
    if len(SEARCHED[model]) == 1:
        return found[0]
    # Words missing from the whole key rule the row out before any field is cut from it.
    key: Any = getattr(model, _KEY)
    whole = [key.contains(w, autoescape=True) for w in typed]
    return sa.and_(*whole, sa.or_(*found))


def sort_key(text: str) -> tuple[str, str]:
    """Reading order for names: letters first without accents or case, then exactly."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold(), text
