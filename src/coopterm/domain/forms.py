"""What the app's forms and quick filters need, as plain values.

Forms edit text: this module turns a row into the text its fields start from,
offers the choices of each list, and routes a submitted form to the write that
validates it (``domain.actions`` / ``domain.challenges``).  Keeping it here lets
the screens stay free of queries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from coopterm import present
from coopterm.domain.actions import action_detail, create_action, update_action
from coopterm.domain.challenges import (
    challenge_choices,
    challenge_rows,
    create_challenge,
    next_challenge_number,
    update_challenge,
)
from coopterm.domain.changes import Change
from coopterm.domain.persons import people_choices, town_choices
from coopterm.i18n import t
from coopterm.vocabulary import ActionStatus


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return present.date(value)
    return str(value)


@dataclass(frozen=True)
class ActionFormContext:
    challenges: list[tuple[str, uuid.UUID]]
    """(label, id) options for the défi list."""
    people: list[tuple[uuid.UUID, str]]
    towns: list[tuple[uuid.UUID, str]]
    values: dict[str, Any]
    """Text for the inputs, ids for the lists."""


def action_form_context(session: Session, plan_id: uuid.UUID, action_id: uuid.UUID | None,
                        default_challenge: uuid.UUID | None = None) -> ActionFormContext:
    challenges = [(label, cid) for cid, label in challenge_choices(session, plan_id)]
    detail = action_detail(session, action_id) if action_id is not None else None
    if detail is not None:
        raw = detail.form_values()
    else:
        first = challenges[0][1] if challenges else None
        raw = {"challenge_id": default_challenge or first, "number": None, "title": "", "description": "",
               "status": ActionStatus.PLANNED, "progress": 0, "start_date": None, "due_date": None,
               "notes": "", "pilots": [], "towns": []}
    values = {
        "challenge_id": raw["challenge_id"],
        "status": ActionStatus(raw["status"]).value,
        "pilots": list(raw["pilots"]),
        "towns": list(raw["towns"]),
        **{k: _text(raw[k]) for k in ("number", "title", "description", "progress", "start_date", "due_date", "notes")},
    }
    return ActionFormContext(challenges, people_choices(session), town_choices(session, plan_id), values)


def save_action(session: Session, plan_id: uuid.UUID, action_id: uuid.UUID | None, data: dict[str, Any]) -> Change:
    """Create or update from a submitted form; FormErrors (nothing written) when it is refused."""
    if action_id is None:
        return create_action(session, data)
    return update_action(session, action_id, data)


def challenge_form_values(session: Session, plan_id: uuid.UUID, challenge_id: uuid.UUID | None) -> dict[str, Any]:
    if challenge_id is None:
        return {"number": str(next_challenge_number(session, plan_id)), "title": "", "description": "",
                "transversal": False}
    row = next(r for r in challenge_rows(session, plan_id) if r.id == challenge_id)
    values = row.form_values()
    return {**values, "number": _text(values["number"])}


def save_challenge(session: Session, plan_id: uuid.UUID, challenge_id: uuid.UUID | None,
                   data: dict[str, Any]) -> Change:
    if challenge_id is None:
        return create_challenge(session, plan_id, data)
    return update_challenge(session, challenge_id, data)


def challenge_delete_question(session: Session, plan_id: uuid.UUID, challenge_id: uuid.UUID) -> str:
    row = next(r for r in challenge_rows(session, plan_id) if r.id == challenge_id)
    return t("challenge.delete_question", code=row.code, title=row.title, actions=row.actions)


def filter_choices(session: Session, plan_id: uuid.UUID, kind: str) -> list[tuple[Any, str]]:
    """(value, label) choices of a quick filter of the actions screen."""
    if kind == "status":
        return [(s.value, t(f"action_status.{s.value}")) for s in ActionStatus]
    if kind == "challenge":
        return challenge_choices(session, plan_id)
    if kind == "pilot":
        return people_choices(session)
    if kind == "town":
        return town_choices(session, plan_id)
    raise ValueError(kind)


def filter_label(session: Session, plan_id: uuid.UUID, kind: str, value: Any) -> str:
    return dict(filter_choices(session, plan_id, kind)).get(value, "?")
