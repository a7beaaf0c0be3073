"""Errors that reach the user: each names a message of the translation layer."""

from __future__ import annotations

from coopterm.i18n import t

REASON_LIMIT = 160


def one_line(reason: object) -> str:
    """The first line of an underlying error (SQLite's, the system's), at most
    ``REASON_LIMIT`` characters: a message stays one short sentence, whatever a
    library put in its error (SQLAlchemy adds the whole SQL statement)."""
    lines = [line.strip() for line in str(reason).splitlines() if line.strip()]
    text = lines[0] if lines else ""
    return text if len(text) <= REASON_LIMIT else text[:REASON_LIMIT - 1].rstrip() + "…"


class CooptermError(Exception):
    """A refusal to explain in plain words; the command line exits with status 1.

    A ``reason`` parameter (the words of the error underneath) is cut to one short line.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        if "reason" in params and params["reason"] is not None:
            params["reason"] = one_line(params["reason"])
        self.params = params

    def __str__(self) -> str:
        return t(self.key, **self.params)


class DatabaseRefused(CooptermError):
    """The file cannot be opened as a coopterm database; it was left as it was."""


class InvalidInput(CooptermError):
    """Input that breaks a rule of the plan; nothing was saved."""
