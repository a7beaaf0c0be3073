"""The plans of the file, their défis, and the conflicts a merge left, as the screens use them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from coopterm.domain.challenges import ChallengeSummary, challenge_summaries, delete_challenge
from coopterm.domain.changes import Change
from coopterm.domain.conflicts import (
    ConflictView,
    keep_version,
    list_conflicts,
    open_conflict_count,
    take_other_version,
)
from coopterm.domain.dashboard import DashboardData, load_dashboard
from coopterm.domain.forms import challenge_delete_question, challenge_form_values, save_challenge
from coopterm.domain.indicators import IndicatorResult, plan_indicators
from coopterm.domain.plans import (
    PlanCounts,
    PlanRow,
    create_plan,
    current_plan,
    plan_counts,
    plan_form_values,
    plan_rows,
    set_current_plan,
    update_plan,
)
from coopterm.models import Plan
from coopterm.workspace.door import Door


@dataclass(frozen=True)
class PlanStatus:
    """The current plan, its counts and its indicators, read in one snapshot (``coopterm status``)."""

    plan: Plan
    counts: PlanCounts
    indicators: list[IndicatorResult]


class Plans(Door):
    def current(self) -> Plan | None:
        """The file's current plan; ``None`` while it holds none (first run)."""
        return self.space.read(current_plan)

    def status(self, today: dt.date) -> PlanStatus | None:
        def read(session: Session) -> PlanStatus | None:
            plan = current_plan(session)
            if plan is None:
                return None
            return PlanStatus(plan, plan_counts(session, plan.id), plan_indicators(session, plan, today))

        return self.space.read(read)

    def dashboard(self, plan_id: uuid.UUID, today: dt.date) -> DashboardData:
        """Everything the dashboard shows, in one snapshot."""
        return self.space.read(load_dashboard, plan_id, today)

    def rows(self) -> list[PlanRow]:
        return self.space.read(plan_rows)

    def make_current(self, plan_id: uuid.UUID) -> None:
        self.space.write(set_current_plan, plan_id)

    def form(self, plan_id: uuid.UUID) -> dict[str, str]:
        return self.space.read(plan_form_values, plan_id)

    def create(self, data: dict[str, str], copy_from: uuid.UUID | None = None) -> uuid.UUID:
        """A new plan (with the défis and towns of ``copy_from``), current from now on."""
        return self.space.write(create_plan, data, copy_from=copy_from)

    def update(self, plan_id: uuid.UUID, data: dict[str, str]) -> uuid.UUID:
        return self.space.write(update_plan, plan_id, data)

    def deletion_refusal(self, plan_id: uuid.UUID) -> str | None:
        """Why the plan cannot be deleted (the only or the current one), in words; ``None`` when it can."""
        from coopterm.domain.removal import plan_deletion_refusal
        from coopterm.i18n import t

        key = self.space.read(plan_deletion_refusal, plan_id)
        return None if key is None else t(key)

    def delete(self, plan_id: uuid.UUID) -> Change:
        """Delete the plan and all it holds in one transaction (see ``domain.removal.delete_plan``)."""
        from coopterm.domain.removal import delete_plan

        return self.space.write(delete_plan, plan_id)


class Challenges(Door):
    def summaries(self, plan_id: uuid.UUID) -> list[ChallengeSummary]:
        return self.space.read(challenge_summaries, plan_id)

    def form(self, plan_id: uuid.UUID, challenge_id: uuid.UUID | None) -> dict[str, Any]:
        return self.space.read(challenge_form_values, plan_id, challenge_id)

    def save(self, plan_id: uuid.UUID, challenge_id: uuid.UUID | None, data: dict[str, Any]) -> Change:
        return self.space.write(save_challenge, plan_id, challenge_id, data)

    def delete_question(self, plan_id: uuid.UUID, challenge_id: uuid.UUID) -> str:
        """Says how many actions go with it, and what refers to them (``domain.dependents``)."""
        from coopterm.domain.dependents import what_refers_to

        def read(session: Session) -> str:
            question = challenge_delete_question(session, plan_id, challenge_id)
            return "\n".join([question, *what_refers_to(session, challenge_id)])

        return self.space.read(read)

    def delete(self, challenge_id: uuid.UUID) -> Change:
        return self.space.write(delete_challenge, challenge_id)


class Conflicts(Door):
    def open(self) -> list[ConflictView]:
        return self.space.read(list_conflicts)

    def count(self) -> int:
        return self.space.read(open_conflict_count)

    def keep(self, conflict_id: uuid.UUID) -> None:
        """Keep the version in the plan; the conflict is closed."""
        self.space.write(keep_version, conflict_id)

    def take_other(self, conflict_id: uuid.UUID) -> None:
        """Write the other version as a new change made on this copy."""
        self.space.write(take_other_version, conflict_id)
