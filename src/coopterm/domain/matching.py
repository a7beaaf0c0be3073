"""The one way text is matched against names and titles, and the reading order of names.

Matching is case-insensitive and keeps accents as typed: "etienne" does not
find "Étienne", "étienne" does.  Lists meant for reading are sorted the way a
French reader expects ("Élodie" between "Eloïse" and "Emma"), which plain
SQL ``ORDER BY`` on SQLite does not do; the lists are small, so this happens in Python.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

_GLOB_SPECIAL = set("*?[]")


def _folds_in_sql(ch: str) -> bool:
    """Whether SQLite's LIKE matches ``ch`` in either case (ASCII) or it has no case."""
    return ch.isascii() or ch.lower() == ch.upper()


def _like_pattern(text: str) -> str:
    """A LIKE pattern (escape "\\") matching ``text`` anywhere; a letter LIKE cannot
    fold becomes "_" (any one character), to be checked exactly by GLOB."""
    parts = []
    for ch in text:
        if ch in "\\%_":
            parts.append("\\" + ch)
        else:
            parts.append(ch if _folds_in_sql(ch) else "_")
    return "%" + "".join(parts) + "%"


def _glob_pattern(text: str) -> str:
    """A GLOB pattern matching ``text`` anywhere, each letter in either case ("é" → "[éÉ]")."""
    parts = []
    for ch in text:
        cases = {ch, ch.lower(), ch.upper()}
        cases = {c for c in cases if len(c) == 1}
        if len(cases) > 1:
            parts.append("[" + "".join(sorted(cases)) + "]")
        elif ch in _GLOB_SPECIAL:
            parts.append(f"[{ch}]")
        else:
            parts.append(ch)
    return "*" + "".join(parts) + "*"


def contains_text(session: Session, column: ColumnElement[str] | sa.Column, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, ignoring case, accents as typed.

    SQLite's LIKE folds ASCII letters only.  Text with another letter that has an
    upper case ("é", "ł") is matched by LIKE with that letter as any one character,
    then by GLOB with a class per letter ("[Éé]"), three times slower than LIKE but
    only run on what LIKE let through.  Other databases get ILIKE, which folds
    every letter.
    """
    text = text.strip()
    if session.get_bind().dialect.name != "sqlite":
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.ilike(f"%{escaped}%", escape="\\")
    like = column.like(_like_pattern(text), escape="\\")
    if all(_folds_in_sql(ch) for ch in text):
        return like
    # LIKE first, with "_" for those letters, so that GLOB runs on the few candidates only.
    return sa.and_(like, column.op("GLOB")(_glob_pattern(text)))


def sort_key(text: str) -> tuple[str, str]:
    """Reading order for names: letters first without accents or case, then exactly."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold(), text
