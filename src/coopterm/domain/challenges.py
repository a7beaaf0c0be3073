"""The défis of a plan with what they hold."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from coopterm.domain.rows import alive
from coopterm.models import Action, Challenge


@dataclass(frozen=True)
class ChallengeSummary:
    challenge: Challenge
    actions: int
    progress: float | None
    """Mean progress of its live actions, in percent; ``None`` without actions."""


def challenge_summaries(session: Session, plan_id: uuid.UUID) -> list[ChallengeSummary]:
    """The plan's live défis, transversal first then by number."""
    stats = (
        select(Action.challenge_id, func.count(Action.id).label("n"), func.avg(Action.progress).label("p"))
        .where(alive(Action))
        .group_by(Action.challenge_id)
        .subquery()
    )
    rows = session.exec(
        select(Challenge, stats.c.n, stats.c.p)
        .outerjoin(stats, stats.c.challenge_id == Challenge.id)
        .where(Challenge.plan_id == plan_id, alive(Challenge))
        .order_by(Challenge.transversal.desc(), Challenge.number, Challenge.id)
    ).all()
    return [ChallengeSummary(c, int(n or 0), None if p is None else float(p)) for c, n, p in rows]
