"""The toolkit every entity's checked input is built with: what a user typed in a form,
checked field by field and explained in plain words.

Each entity keeps its own ``*Input`` beside it (``domain.actions.ActionInput``,
``domain.persons.PersonInput``, ``domain.funding.FundingInput``…): a pydantic model
that is *not* a table (table models skip validation), whose ``field_validator``s use
the helpers below, so that building one checks every field whether the values come
from a form (strings such as "40" or "30/06/2021") or from code.  :func:`checked`
turns a form's dict into one of them, or raises :class:`FormErrors` with one
translated message per field that failed.  Rules that need the database (a number
already taken, a pilot since deleted) are checked by each entity's write functions,
which raise the same exception before writing anything.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError, model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

from coopterm.errors import InvalidInput
from coopterm.i18n import t

TITLE_MAX = 300
"""The longest title a form accepts: room for any real title, none for a pasted page."""
PROGRESS_MAX = 100
"""Progress is a percent, so nothing above 100."""
WHOLE_MAX = 999_999
"""The largest whole number a form accepts (action and défi numbers, survey counts):
far above any real plan, and far below SQLite's 64-bit limit, so that twenty typed
nines are refused in words instead of overflowing in the database."""

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WHOLE = re.compile(r"[0-9]+")


class FormErrors(InvalidInput):
    """Input refused, with the reason for each field that failed; nothing was saved.

    ``errors`` maps a field name (as in the entity's ``*Input``) to a message in the
    current language, ready to show next to the field: a form shows every problem at
    once instead of one per try.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("form.invalid")
        self.errors: dict[str, str] = dict(errors)

    def __str__(self) -> str:
        return " ".join([t("form.invalid"), *self.errors.values()])


def refuse(field: str, message: str) -> PydanticCustomError:
    """A refusal to raise inside a validator: it carries our own translated message and the
    field it belongs to, so :func:`checked` shows it beside that field and not pydantic's."""
    return PydanticCustomError("coopterm", "{message}", {"message": message, "field": field})


# --- parsers shared by the models and the quick edits (progress from a key) -------


def blank(value: object) -> bool:
    """Whether a field was left empty (``None`` or only spaces), so that every form treats
    an empty field the same way: as "not given", never as an error of its own."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_whole(value: object) -> int | None:
    """A whole number up to :data:`WHOLE_MAX` from an int or from digits typed in a form
    (a trailing "%" is allowed); ``None`` for anything else ("4.5", "abc", "-1", True,
    "9999999999"), so each field refuses it with its own message."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        if _WHOLE.fullmatch(text) and len(text) <= len(str(WHOLE_MAX)):
            number = int(text)
    return number if number is not None and number <= WHOLE_MAX else None


def parse_progress(value: object, field: str = "progress") -> int:
    """Progress 0–100; blank means 0.  Raises :class:`FormErrors` on anything else, because
    the quick edits (a key that sets progress) check it outside any model."""
    if blank(value):
        return 0
    number = parse_whole(value)
    if number is None or not 0 <= number <= PROGRESS_MAX:
        raise FormErrors({field: t("form.error.progress")})
    return number


def parse_date(value: object) -> dt.date | None:
    """A date from a date, or from "2021-06-30" or "30/06/2021" (what files and French
    readers write); blank is ``None``.

    Raises ``ValueError`` for text that is not a real date ("31/02/2021", "demain").
    """
    if blank(value):
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
    """An id from a UUID or its text (with or without dashes), as pickers and files give
    them; ``ValueError`` otherwise, for the caller to say which field it was."""
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        return uuid.UUID(value.strip())
    raise ValueError(value)


# --- field checks for validators: each returns the clean value or raises refuse() ----


def ids(value: object, field: str, message_key: str) -> list[uuid.UUID]:
    """Ids in the order given, each once, from a picker's list, one id or its text: a
    many-to-many field keeps the user's order and never links the same row twice."""
    if blank(value):
        return []
    if isinstance(value, (str, uuid.UUID)) or not hasattr(value, "__iter__"):
        value = [value]
    found: list[uuid.UUID] = []
    for item in value:
        try:
            parsed = parse_id(item)
        except ValueError:
            raise refuse(field, t(message_key)) from None
        if parsed not in found:
            found.append(parsed)
    return found


def single_id(value: object, field: str, message_key: str) -> uuid.UUID | None:
    """One id from an id, its text, or a picker's list of at most one; blank is ``None``:
    an optional link (a contribution's action, a project's origin) is chosen in the same
    picker as a many-to-many one, and more than one choice is refused, not cut."""
    if blank(value):
        return None
    if isinstance(value, (list, tuple)):
        if not value:
            return None
        if len(value) > 1:
            raise refuse(field, t(message_key))
        value = value[0]
    try:
        return parse_id(value)
    except ValueError:
        raise refuse(field, t(message_key)) from None


def optional_number(value: object, minimum: int, message: str) -> int | None:
    """A number typed in a form, ``minimum`` or more; blank is ``None``, so that the write
    can give the next free number instead of asking the user to count."""
    if blank(value):
        return None
    number = parse_whole(value)
    if number is None or number < minimum:
        raise refuse("number", message)
    return number


def required_text(value: object, field: str, required_key: str, maximum: int = TITLE_MAX) -> str:
    """A name a row cannot go without (a funder, an indicator's label), trimmed: refused
    beside ``field`` when blank (``required_key``) or longer than ``maximum``, with the
    length message every title uses."""
    text = str(value or "").strip()
    if not text:
        raise refuse(field, t(required_key))
    if len(text) > maximum:
        raise refuse(field, t("form.error.title_too_long", length=len(text), max=maximum))
    return text


def title(value: object) -> str:
    """A title, trimmed, required and at most :data:`TITLE_MAX` characters, with the same
    two messages for every entity that has one (actions, défis, meetings, projects, plans)."""
    return required_text(value if isinstance(value, str) else "", "title", "form.error.title_required")


def ticked(value: object) -> bool:
    """A checkbox from a form or code: a bool, or the words a form or a file may carry
    ("1", "true", "yes", "oui", "on", any case); so "false" is not ticked, as bool() would say."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "oui", "on"}
    return bool(value)


def free_text(value: object) -> str:
    """Optional text, trimmed; ``None`` is empty, so a field left out of a form and a field
    left blank are saved alike."""
    if value is None:
        return ""
    return str(value).strip()


def every_field(model: type[SQLModel], data: Any) -> Any:
    """``data`` with each field of ``model`` it leaves out given as ``None``, for a
    ``model_validator(mode="before")``: a field left out of a form is then checked, and
    refused beside itself, exactly as one left blank (an amount never silently 0)."""
    if isinstance(data, Mapping):
        return {**dict.fromkeys(model.model_fields), **data}
    return data


class CompleteInput(SQLModel):
    """The base of an input whose fields are all checked even when a form leaves one out
    (:func:`every_field`): a missing amount or label is refused beside itself."""

    @model_validator(mode="before")
    @classmethod
    def _left_out_is_blank(cls, data: Any) -> Any:
        return every_field(cls, data)


def date_field(value: object, field: str) -> dt.date | None:
    """An optional date (see :func:`parse_date`) refused beside ``field`` in plain words,
    because pydantic's own date message names formats a user never typed."""
    try:
        return parse_date(value)
    except ValueError:
        raise refuse(field, t("form.error.date")) from None


def required_date(value: object, field: str, required_key: str) -> dt.date:
    """A date that must be given (:func:`date_field`), refused beside ``field`` with
    ``required_key`` when blank."""
    day = date_field(value, field)
    if day is None:
        raise refuse(field, t(required_key))
    return day


# --- from a form's dict -------------------------------------------------------------

def _messages(exc: ValidationError, missing: Mapping[str, str]) -> dict[str, str]:
    """One message per field, the first that field got, in the order of the model's fields."""
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
