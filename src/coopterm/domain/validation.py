"""What a user typed in a form, checked field by field and explained in plain words.

``ActionInput`` and ``ChallengeInput`` are pydantic models that are *not* tables
(table models skip validation): building one checks every field, whether the
values come from a form (strings such as "40" or "30/06/2021") or from code.
``validate_action`` and ``validate_challenge`` turn a form's dict into one of
them, or raise :class:`FormErrors` with one translated message per field that
failed.  Rules that need the database (a number already taken, a pilot since
deleted) are checked by the write functions of ``domain.actions`` and
``domain.challenges``, which raise the same exception before writing anything.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ConfigDict, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

from coopterm import present
from coopterm.errors import InvalidInput
from coopterm.i18n import t
from coopterm.vocabulary import ActionStatus

TITLE_MAX = 300
PROGRESS_MAX = 100
WHOLE_MAX = 999_999
"""The largest whole number a form accepts (action and défi numbers, survey counts):
far above any real plan, and far below SQLite's 64-bit limit, so that twenty typed
nines are refused in words instead of overflowing in the database."""

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WHOLE = re.compile(r"[0-9]+")


class FormErrors(InvalidInput):
    """Input refused, with the reason for each field that failed; nothing was saved.

    ``errors`` maps a field name (as in ``ActionInput``) to a message in the
    current language, ready to show next to the field.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("form.invalid")
        self.errors: dict[str, str] = dict(errors)

    def __str__(self) -> str:
        return " ".join([t("form.invalid"), *self.errors.values()])


def _refuse(field: str, message: str) -> PydanticCustomError:
    """A pydantic error that carries our own message and the field it belongs to."""
    return PydanticCustomError("coopterm", "{message}", {"message": message, "field": field})


# --- parsers shared by the models and the quick edits (progress from a key) -------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_whole(value: object) -> int | None:
    """A whole number up to :data:`WHOLE_MAX` from an int or from digits typed in a form
    (a trailing "%" is allowed); ``None`` for anything else ("4.5", "abc", "-1", True,
    "9999999999")."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        if _WHOLE.fullmatch(text) and len(text) <= len(str(WHOLE_MAX)):
            number = int(text)
    return number if number is not None and number <= WHOLE_MAX else None


def parse_progress(value: object, field: str = "progress") -> int:
    """Progress 0–100; blank means 0.  Raises :class:`FormErrors` on anything else."""
    if _blank(value):
        return 0
    number = parse_whole(value)
    if number is None or not 0 <= number <= PROGRESS_MAX:
        raise FormErrors({field: t("form.error.progress")})
    return number


def parse_date(value: object) -> dt.date | None:
    """A date from a date, or from "2021-06-30" or "30/06/2021"; blank is ``None``.

    Raises ``ValueError`` for text that is not a real date ("31/02/2021", "demain").
    """
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if m := _ISO_DATE.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _FRENCH_DATE.fullmatch(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(value)


def parse_id(value: object) -> uuid.UUID:
    """An id from a UUID or its text (with or without dashes); ``ValueError`` otherwise."""
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        return uuid.UUID(value.strip())
    raise ValueError(value)


def _ids(value: object, field: str, message_key: str) -> list[uuid.UUID]:
    """Ids in the order given, each once."""
    if _blank(value):
        return []
    if isinstance(value, (str, uuid.UUID)) or not hasattr(value, "__iter__"):
        value = [value]
    ids: list[uuid.UUID] = []
    for item in value:
        try:
            parsed = parse_id(item)
        except ValueError:
            raise _refuse(field, t(message_key)) from None
        if parsed not in ids:
            ids.append(parsed)
    return ids


def _optional_number(value: object, minimum: int, message: str) -> int | None:
    """A number typed in a form, ``minimum`` or more; blank is ``None`` (the next free one)."""
    if _blank(value):
        return None
    number = parse_whole(value)
    if number is None or number < minimum:
        raise _refuse("number", message)
    return number


def _title(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise _refuse("title", t("form.error.title_required"))
    if len(text) > TITLE_MAX:
        raise _refuse("title", t("form.error.title_too_long", length=len(text), max=TITLE_MAX))
    return text


def _free_text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _date_field(value: object, field: str) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueError:
        raise _refuse(field, t("form.error.date")) from None


# --- the models ---------------------------------------------------------------------


class ActionInput(SQLModel):
    """A fiche-action as a form or code gives it, checked.  ``number`` ``None`` means
    the next free number of the défi (or, when editing in the same défi, the current one)."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    challenge_id: uuid.UUID
    number: int | None = None
    title: str
    description: str = ""
    status: ActionStatus = ActionStatus.PLANNED
    progress: int = 0
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    pilots: tuple[uuid.UUID, ...] = ()
    """Person ids, in the order the plan gives its pilots."""
    towns: tuple[uuid.UUID, ...] = ()
    notes: str = ""

    @field_validator("challenge_id", mode="before")
    @classmethod
    def _challenge(cls, value: object) -> uuid.UUID:
        try:
            return parse_id(value)
        except ValueError:
            raise _refuse("challenge_id", t("form.error.challenge_required")) from None

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: object) -> int | None:
        return _optional_number(value, 1, t("form.error.action_number", max=present.number(WHOLE_MAX)))

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return _title(value)

    @field_validator("description", "notes", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        return _free_text(value)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> ActionStatus:
        if _blank(value):
            return ActionStatus.PLANNED
        try:
            return ActionStatus(value)
        except ValueError:
            raise _refuse("status", t("form.error.status")) from None

    @field_validator("progress", mode="before")
    @classmethod
    def _progress(cls, value: object) -> int:
        if _blank(value):
            return 0
        number = parse_whole(value)
        if number is None or not 0 <= number <= PROGRESS_MAX:
            raise _refuse("progress", t("form.error.progress"))
        return number

    @field_validator("start_date", mode="before")
    @classmethod
    def _start(cls, value: object) -> dt.date | None:
        return _date_field(value, "start_date")

    @field_validator("due_date", mode="before")
    @classmethod
    def _due(cls, value: object) -> dt.date | None:
        return _date_field(value, "due_date")

    @field_validator("pilots", mode="before")
    @classmethod
    def _pilots(cls, value: object) -> tuple[uuid.UUID, ...]:
        return tuple(_ids(value, "pilots", "form.error.pilot_unknown"))

    @field_validator("towns", mode="before")
    @classmethod
    def _towns(cls, value: object) -> tuple[uuid.UUID, ...]:
        return tuple(_ids(value, "towns", "form.error.town_unknown"))

    @model_validator(mode="after")
    def _dates_in_order(self) -> "ActionInput":
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise _refuse("due_date", t("form.error.due_before_start"))
        return self


class ChallengeInput(SQLModel):
    """A défi as a form or code gives it, checked.  The transversal défi has number 0;
    another défi's ``number`` ``None`` means the next free number of the plan."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    number: int | None = None
    title: str
    description: str = ""
    transversal: bool = False

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: object) -> int | None:
        return _optional_number(value, 0, t("form.error.challenge_number", max=present.number(WHOLE_MAX)))

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return _title(value)

    @field_validator("description", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        return _free_text(value)

    @field_validator("transversal", mode="before")
    @classmethod
    def _transversal(cls, value: object) -> bool:
        if isinstance(value, str):
            return value.strip().lower() in {"1", "true", "yes", "oui", "on"}
        return bool(value)

    @model_validator(mode="after")
    def _number_fits_kind(self) -> "ChallengeInput":
        if self.transversal:
            if self.number not in (None, 0):
                raise _refuse("number", t("form.error.transversal_number"))
            object.__setattr__(self, "number", 0)
        elif self.number == 0:
            raise _refuse("number", t("form.error.challenge_number", max=present.number(WHOLE_MAX)))
        return self


# --- from a form's dict -------------------------------------------------------------

def _messages(exc: ValidationError, missing: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        ctx = error.get("ctx") or {}
        field = ctx.get("field") or (str(error["loc"][0]) if error["loc"] else "form")
        if field in errors:
            continue
        if error["type"] == "coopterm":
            errors[field] = ctx["message"]
        elif field in missing:  # a required field left out of the form altogether
            errors[field] = missing[field]
        else:
            errors[field] = t("form.error.invalid")
    return errors


M = TypeVar("M", bound=SQLModel)


def checked(model: type[M], data: Mapping[str, Any], missing: Mapping[str, str] | None = None) -> M:
    """``model`` validated from form data, or :class:`FormErrors` naming every field that
    failed; ``missing`` gives the message for a required field absent from ``data``."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise FormErrors(_messages(exc, missing or {})) from None


def validate_action(data: Mapping[str, Any]) -> ActionInput:
    return checked(ActionInput, data, {"title": t("form.error.title_required"),
                                       "challenge_id": t("form.error.challenge_required")})


def validate_challenge(data: Mapping[str, Any]) -> ChallengeInput:
    return checked(ChallengeInput, data, {"title": t("form.error.title_required")})
