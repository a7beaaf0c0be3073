"""Errors that reach the user: each names a message of the translation layer."""

from __future__ import annotations

from coopterm.i18n import t


class CooptermError(Exception):
    """A refusal to explain in plain words; the command line exits with status 1."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.key, **self.params)


class DatabaseRefused(CooptermError):
    """The file cannot be opened as a coopterm database; it was left as it was."""


class InvalidInput(CooptermError):
    """Input that breaks a rule of the plan; nothing was saved."""
