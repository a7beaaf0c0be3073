"""The défis of a plan with what they hold, and their checked writes.

Writes follow ``domain.actions``: the caller wraps each in one
``with db.write() as session:``, a refusal raises ``FormErrors`` before anything is
written, and the result is a :class:`~coopterm.domain.changes.Change` (deleting a
défi removes its actions from the tally, and says by how much).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, field_validator, model_validator
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from coopterm import present
from coopterm.domain.actions import tally_where
from coopterm.domain.changes import Change
from coopterm.domain.indicators import ActionTally
from coopterm.domain.numbering import challenge_code
from coopterm.domain.rows import alive, tombstone
from coopterm.domain.validation import WHOLE_MAX, FormErrors, checked, free_text, optional_number, refuse, ticked, title
from coopterm.errors import InvalidInput
from coopterm.i18n import t
from coopterm.models import Action, ActionPilot, ActionTown, Challenge, Plan
from coopterm.store.stamps import tombstone_where

# --- checked input -------------------------------------------------------------------


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
        return optional_number(value, 0, t("form.error.challenge_number", max=present.number(WHOLE_MAX)))

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return title(value)

    @field_validator("description", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        return free_text(value)

    @field_validator("transversal", mode="before")
    @classmethod
    def _transversal(cls, value: object) -> bool:
        return ticked(value)

    @model_validator(mode="after")
    def _number_fits_kind(self) -> "ChallengeInput":
        if self.transversal:
            if self.number not in (None, 0):
                raise refuse("number", t("form.error.transversal_number"))
            object.__setattr__(self, "number", 0)
        elif self.number == 0:
            raise refuse("number", t("form.error.challenge_number", max=present.number(WHOLE_MAX)))
        return self


def validate_challenge(data: Mapping[str, Any]) -> ChallengeInput:
    """The checked défi from a form's dict, or :class:`FormErrors` naming every field that failed."""
    return checked(ChallengeInput, data, {"title": t("form.error.title_required")})


@dataclass(frozen=True)
class ChallengeSummary:
    challenge: Challenge
    actions: int
    progress: float | None
    """Mean progress of its live actions, in percent; ``None`` without actions."""


def challenge_summaries(session: Session, plan_id: uuid.UUID) -> list[ChallengeSummary]:
    """The plan's live défis, transversal first then by number.

    Each défi's actions are counted as rows (``count(*)``), so that the count and the
    mean progress are read from ``ix_action_progress_by_challenge`` alone."""
    stats = (
        select(col(Action.challenge_id), func.count().label("n"),
               func.avg(col(Action.progress)).label("p"))
        .where(alive(Action))
        .group_by(col(Action.challenge_id))
        .subquery()
    )
    rows = session.exec(
        select(Challenge, stats.c.n, stats.c.p)
        .outerjoin(stats, stats.c.challenge_id == Challenge.id)
        .where(Challenge.plan_id == plan_id, alive(Challenge))
        .order_by(col(Challenge.transversal).desc(), col(Challenge.number), col(Challenge.id))
    ).all()
    return [ChallengeSummary(c, int(n or 0), None if p is None else float(p)) for c, n, p in rows]


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChallengeRow:
    """A line of the défis screen."""

    id: uuid.UUID
    code: str
    """ "T" for the transversal défi, else its number."""
    number: int
    title: str
    description: str
    transversal: bool
    actions: int
    progress: float | None
    """Mean progress of its live actions, in percent; ``None`` without actions."""

    def form_values(self) -> dict[str, Any]:
        """The défi as ``validate_challenge`` takes it, for an edit form to start from."""
        return {"number": None if self.transversal else self.number, "title": self.title,
                "description": self.description, "transversal": self.transversal}


def challenge_rows(session: Session, plan_id: uuid.UUID) -> list[ChallengeRow]:
    """The plan's live défis in the plan's order, with their number of actions and progress."""
    return [
        ChallengeRow(s.challenge.id, challenge_code(s.challenge), s.challenge.number, s.challenge.title,
                     s.challenge.description, s.challenge.transversal, s.actions, s.progress)
        for s in challenge_summaries(session, plan_id)
    ]


def challenge_choices(session: Session, plan_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The plan's live défis as ``(id, "2 — Title")`` in the plan's order (for a picker)."""
    rows = session.exec(
        select(Challenge)
        .where(Challenge.plan_id == plan_id, alive(Challenge))
        .order_by(col(Challenge.transversal).desc(), col(Challenge.number), col(Challenge.id))
    ).all()
    return [(c.id, f"{challenge_code(c)} \u2014 {c.title}") for c in rows]


def next_challenge_number(session: Session, plan_id: uuid.UUID) -> int:
    """One more than the highest number of the plan's live défis (1 when there are none)."""
    highest = session.exec(
        select(func.max(Challenge.number)).where(Challenge.plan_id == plan_id, alive(Challenge))
    ).one()
    return int(highest or 0) + 1


# --- writes -----------------------------------------------------------------------------


def _as_input(data: ChallengeInput | Mapping[str, Any]) -> ChallengeInput:
    return data if isinstance(data, ChallengeInput) else validate_challenge(data)


def _checked_number(session: Session, plan_id: uuid.UUID, data: ChallengeInput,
                    challenge: Challenge | None) -> int:
    """The number the défi will have; FormErrors when a live défi of the plan holds it."""
    if data.transversal:
        number = 0
    elif data.number is not None:
        number = data.number
    elif challenge is not None and not challenge.transversal:
        number = challenge.number
    else:
        number = next_challenge_number(session, plan_id)
    stmt = select(Challenge).where(Challenge.plan_id == plan_id, Challenge.number == number, alive(Challenge))
    if challenge is not None:
        stmt = stmt.where(Challenge.id != challenge.id)
    taken = session.exec(stmt).first()
    if taken is not None:
        if number == 0:
            raise FormErrors({"transversal": t("form.error.transversal_taken", title=taken.title)})
        raise FormErrors({"number": t("form.error.challenge_number_taken", number=number, title=taken.title)})
    return number


def _live_challenge(session: Session, challenge_id: uuid.UUID) -> Challenge:
    challenge = session.get(Challenge, challenge_id)
    if challenge is None or challenge.deleted_at is not None:
        raise InvalidInput("record.challenge_missing")
    return challenge


def create_challenge(session: Session, plan_id: uuid.UUID, data: ChallengeInput | Mapping[str, Any]) -> Change:
    """Add a défi to the plan (the transversal one has number 0; ``number`` ``None`` takes the next)."""
    data = _as_input(data)
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise InvalidInput("record.plan_missing")
    number = _checked_number(session, plan_id, data, None)
    challenge = Challenge(plan_id=plan_id, number=number, title=data.title,
                          description=data.description, transversal=data.transversal)
    session.add(challenge)
    return Change(challenge.id, plan_id, True)


def update_challenge(session: Session, challenge_id: uuid.UUID, data: ChallengeInput | Mapping[str, Any]) -> Change:
    """Change what differs; the défi's actions keep their numbers (their codes follow the défi's)."""
    data = _as_input(data)
    challenge = _live_challenge(session, challenge_id)
    number = _checked_number(session, challenge.plan_id, data, challenge)
    wanted = {"number": number, "title": data.title, "description": data.description,
              "transversal": data.transversal}
    changed = False
    for name, value in wanted.items():
        if getattr(challenge, name) != value:
            setattr(challenge, name, value)
            changed = True
    if changed:
        session.add(challenge)
    return Change(challenge.id, challenge.plan_id, changed)


def delete_challenge(session: Session, challenge_id: uuid.UUID) -> Change:
    """Tombstone the défi, its live actions and their links to pilots and towns (each row
    stamped and recorded in the history as a deletion of its own)."""
    challenge = session.get(Challenge, challenge_id)
    if challenge is None:
        raise InvalidInput("record.challenge_missing")
    if challenge.deleted_at is not None:
        return Change(challenge.id, challenge.plan_id, False)
    before = tally_where(session, col(Action.challenge_id) == challenge_id)
    tombstone(session, challenge)
    # Set-based: a défi may hold tens of thousands of actions (stamps.tombstone_where).
    live_actions = select(Action.id).where(Action.challenge_id == challenge_id, alive(Action))
    for link in (ActionPilot, ActionTown):
        tombstone_where(session, link, col(link.action_id).in_(live_actions))
    tombstone_where(session, Action, col(Action.challenge_id) == challenge_id)
    return Change(challenge.id, challenge.plan_id, True, ActionTally() - before)
