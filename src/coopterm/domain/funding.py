"""Funders' contributions to a plan: checked writes, windowed reads and totals.

Amounts are euro cents, always integers (never a float): "17100", "17 100",
"17100,50" and "17100.50" are read exactly with ``decimal`` and stored as
1 710 000 or 1 710 050 cents.  A negative amount, more than two decimals, or
text that is not a number is refused with its reason.

Writes follow ``domain.actions``: the caller wraps each one in its own
``with db.write() as session:``; a refusal raises
:class:`~coopterm.domain.validation.FormErrors` before anything is written; the
result is a :class:`~coopterm.domain.changes.Change` (funding moves no indicator,
so its tally delta is empty).  The list is read a window at a time
(``count_funding`` + ``fetch_funding``); totals are summed in SQL.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ConfigDict, field_validator
from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from coopterm import present
from coopterm.domain.changes import Change
from coopterm.domain.matching import contains_text, sort_key
from coopterm.domain.numbering import action_code
from coopterm.domain.rows import alive, tombstone
from coopterm.domain.validation import CompleteInput, FormErrors, checked, parse_whole, refuse, required_text, single_id
from coopterm.errors import InvalidInput
from coopterm.i18n import t
from coopterm.models import Action, Challenge, Funding, Plan

YEAR_MIN, YEAR_MAX = 1900, 2200
FUNDER_MAX = 200
AMOUNT_MAX_CENTS = 100_000_000_000_000  # a thousand billion euros: beyond, a typing mistake
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"[+-]?(\d+)(?:[.,](\d*))?")


# --- amounts ----------------------------------------------------------------------


def parse_amount(value: object, field: str = "amount") -> int:
    """Euro cents from what a user typed ("17 100,50" → 1710050) or from an int of cents.

    Spaces (also non-breaking ones) group thousands; a comma or a point marks the
    decimals; a trailing "€" is allowed.  Raises :class:`FormErrors` for a blank,
    text, a negative amount or more than two decimals.
    """
    if isinstance(value, bool):
        raise FormErrors({field: t("funding.error.amount_invalid")})
    if isinstance(value, int):
        cents = value
    else:
        text = "" if value is None else str(value)
        text = _SPACES.sub("", text.strip().removesuffix("€").removeprefix("€"))
        if not text:
            raise FormErrors({field: t("funding.error.amount_required")})
        match = _NUMBER.fullmatch(text)
        if match is None:
            raise FormErrors({field: t("funding.error.amount_invalid")})
        if len(match[2] or "") > 2:
            raise FormErrors({field: t("funding.error.amount_decimals")})
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern keeps this out
            raise FormErrors({field: t("funding.error.amount_invalid")}) from None
        cents = int(amount * 100)
    if cents < 0:
        raise FormErrors({field: t("funding.error.amount_negative")})
    if cents > AMOUNT_MAX_CENTS:
        raise FormErrors({field: t("funding.error.amount_too_large")})
    return cents


# --- checked input ------------------------------------------------------------------


class FundingInput(CompleteInput):
    """A funder's contribution as a form or code gives it, checked; a field left out of
    the form is checked as a blank one (see ``validation.every_field``)."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    funder: str = ""
    amount: int = 0
    """Euro cents (see :func:`parse_amount`)."""
    year: int = 0
    action_id: uuid.UUID | None = None
    note: str = ""

    @field_validator("funder", mode="before")
    @classmethod
    def _funder(cls, value: object) -> str:
        return required_text(value, "funder", "funding.error.funder_required", FUNDER_MAX)

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: object) -> int:
        try:
            return parse_amount(value)
        except FormErrors as refused:
            raise refuse("amount", refused.errors["amount"]) from None

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: object) -> int:
        year = parse_whole(value)
        if year is None or not YEAR_MIN <= year <= YEAR_MAX:
            raise refuse("year", t("funding.error.year", min=YEAR_MIN, max=YEAR_MAX))
        return year

    @field_validator("action_id", mode="before")
    @classmethod
    def _action(cls, value: object) -> uuid.UUID | None:
        return single_id(value, "action_id", "funding.error.action_unknown")

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> str:
        return str(value or "").strip()


def validate_funding(data: Mapping[str, Any]) -> FundingInput:
    """The checked contribution, or :class:`FormErrors` naming every field that failed."""
    return checked(FundingInput, data)


def check_plan_action(session: Session, plan_id: uuid.UUID, action_id: uuid.UUID | None, field: str,
                      message_key: str) -> None:
    """FormErrors unless ``action_id`` is ``None`` or a live action of a live défi of the plan."""
    if action_id is None:
        return
    found = session.exec(
        select(col(Action.id)).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(Action.id == action_id, Challenge.plan_id == plan_id, alive(Action), alive(Challenge))
    ).first()
    if found is None:
        raise FormErrors({field: t(message_key)})


def action_codes(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """ "2.1" for each of these actions (deleted ones included: a record keeps its origin)."""
    if not ids:
        return {}
    rows = session.exec(
        select(Action, Challenge).join(Challenge, col(Challenge.id) == col(Action.challenge_id))
        .where(col(Action.id).in_(ids))
    ).all()
    return {a.id: action_code(c, a) for a, c in rows}


# --- writes ---------------------------------------------------------------------------


def _live_plan(session: Session, plan_id: uuid.UUID) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise InvalidInput("record.plan_missing")
    return plan


def _live_funding(session: Session, funding_id: uuid.UUID) -> Funding:
    row = session.get(Funding, funding_id)
    if row is None or row.deleted_at is not None:
        raise InvalidInput("record.funding_missing")
    return row


def _as_input(data: FundingInput | Mapping[str, Any]) -> FundingInput:
    return data if isinstance(data, FundingInput) else validate_funding(data)


def plan_years(plan: Plan) -> tuple[int, int]:
    """The first and last year of the plan's period."""
    return plan.start_date.year, plan.end_date.year


def default_year(plan: Plan, today: dt.date) -> int:
    """The year a new contribution starts in: this year while the plan runs, else the
    plan's last year (a plan that ended) or first year (one still to come)."""
    first, last = plan_years(plan)
    return min(max(today.year, first), last)


def check_year(plan: Plan, year: int) -> None:
    """FormErrors unless ``year`` is within the plan's period: a contribution to a
    2016–2018 plan dated 2030 is a typing mistake, said beside the year field."""
    first, last = plan_years(plan)
    if not first <= year <= last:
        words = {"year": str(year), "first": str(first), "last": str(last)}
        raise FormErrors({"year": t("funding.error.year_outside_plan", **words)})


def create_funding(session: Session, plan_id: uuid.UUID, data: FundingInput | Mapping[str, Any]) -> Change:
    """Record a funder's contribution to the plan, in a year of its period."""
    data = _as_input(data)
    check_year(_live_plan(session, plan_id), data.year)
    check_plan_action(session, plan_id, data.action_id, "action_id", "funding.error.action_unknown")
    row = Funding(plan_id=plan_id, funder=data.funder, amount_cents=data.amount, year=data.year,
                  action_id=data.action_id, note=data.note)
    session.add(row)
    return Change(row.id, plan_id, True)


def update_funding(session: Session, funding_id: uuid.UUID, data: FundingInput | Mapping[str, Any]) -> Change:
    """Change what differs; ``changed`` is False when nothing did.  A new year must be
    within the plan's period; a line recorded outside it before keeps its year."""
    data = _as_input(data)
    row = _live_funding(session, funding_id)
    if data.year != row.year:
        check_year(_live_plan(session, row.plan_id), data.year)
    check_plan_action(session, row.plan_id, data.action_id, "action_id", "funding.error.action_unknown")
    wanted = {"funder": data.funder, "amount_cents": data.amount, "year": data.year,
              "action_id": data.action_id, "note": data.note}
    changed = False
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        session.add(row)
    return Change(row.id, row.plan_id, changed)


def delete_funding(session: Session, funding_id: uuid.UUID) -> Change:
    """Tombstone the contribution."""
    row = session.get(Funding, funding_id)
    if row is None:
        raise InvalidInput("record.funding_missing")
    if row.deleted_at is not None:
        return Change(row.id, row.plan_id, False)
    tombstone(session, row)
    return Change(row.id, row.plan_id, True)


def save_funding(session: Session, plan_id: uuid.UUID, funding_id: uuid.UUID | None,
                 data: Mapping[str, Any]) -> Change:
    """Create or update from a submitted form; FormErrors (nothing written) when refused."""
    if funding_id is None:
        return create_funding(session, plan_id, data)
    return update_funding(session, funding_id, data)


# --- reads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingRow:
    id: uuid.UUID
    funder: str
    year: int
    amount_cents: int
    action_id: uuid.UUID | None
    action_code: str
    """ "2.1", or "" when the contribution is for the plan as a whole."""
    note: str


def _plan_funding(plan_id: uuid.UUID, text: str = "") -> tuple[ColumnElement[bool], ...]:
    """The plan's live contributions whose funder or note holds every word of ``text``."""
    return (col(Funding.plan_id) == plan_id, alive(Funding), contains_text(Funding, text))


def count_funding(session: Session, plan_id: uuid.UUID, text: str = "") -> int:
    return int(session.exec(select(func.count()).select_from(Funding).where(*_plan_funding(plan_id, text))).one())


def fetch_funding(session: Session, plan_id: uuid.UUID, offset: int = 0, limit: int = 40,
                  text: str = "") -> list[FundingRow]:
    """Rows ``offset`` to ``offset + limit``: latest year first, then by funder."""
    rows = session.exec(
        select(Funding).where(*_plan_funding(plan_id, text))
        .order_by(col(Funding.year).desc(), col(Funding.funder), col(Funding.id))
        .offset(max(0, offset)).limit(limit)
    ).all()
    codes = action_codes(session, {r.action_id for r in rows if r.action_id is not None})
    return [FundingRow(r.id, r.funder, r.year, r.amount_cents, r.action_id,
                       codes.get(r.action_id, "") if r.action_id is not None else "", r.note)
            for r in rows]


def funding_index(session: Session, plan_id: uuid.UUID, funding_id: uuid.UUID, text: str = "") -> int | None:
    """Where a contribution is in the list's order (to keep the cursor on it); ``None``
    when ``text`` filters it out."""
    row = session.get(Funding, funding_id)
    if row is None or row.deleted_at is not None or row.plan_id != plan_id:
        return None
    if text.strip() and session.exec(
            select(Funding.id).where(Funding.id == funding_id, *_plan_funding(plan_id, text))).first() is None:
        return None
    before = session.exec(
        select(func.count()).select_from(Funding).where(
            *_plan_funding(plan_id, text),
            (Funding.year > row.year)
            | ((Funding.year == row.year) & (Funding.funder < row.funder))
            | ((Funding.year == row.year) & (Funding.funder == row.funder) & (Funding.id < row.id)),
        )
    ).one()
    return int(before)


@dataclass(frozen=True)
class FundingTotals:
    total: int
    by_year: list[tuple[int, int]]
    """(year, cents), in year order."""
    by_funder: list[tuple[str, int]]
    """(funder, cents), largest first."""
    by_action: list[tuple[str, int]]
    """(action code, cents) for contributions tied to an action, in code order."""


def funding_totals(session: Session, plan_id: uuid.UUID) -> FundingTotals:
    """Sums of the plan's live contributions, counted in SQL."""
    where = _plan_funding(plan_id)
    total = session.exec(select(func.coalesce(func.sum(Funding.amount_cents), 0)).where(*where)).one()
    by_year = session.exec(
        select(col(Funding.year), func.sum(col(Funding.amount_cents))).where(*where)
        .group_by(col(Funding.year)).order_by(col(Funding.year))
    ).all()
    by_funder = session.exec(
        select(Funding.funder, func.sum(Funding.amount_cents)).where(*where).group_by(Funding.funder)
    ).all()
    by_action_id = session.exec(
        select(Funding.action_id, func.sum(Funding.amount_cents))
        .where(*where, col(Funding.action_id).is_not(None)).group_by(col(Funding.action_id))
    ).all()
    codes = action_codes(session, {a for a, _ in by_action_id if a is not None})

    def code_order(code: str) -> tuple:
        head, _, tail = code.partition(".")
        return (head != "T", int(head) if head.isdigit() else 0, int(tail) if tail.isdigit() else 0)

    return FundingTotals(
        int(total),
        [(int(y), int(s)) for y, s in by_year],
        sorted(((f, int(s)) for f, s in by_funder), key=lambda e: (-e[1], sort_key(e[0]))),
        sorted(((codes.get(a, "?") if a is not None else "?", int(s)) for a, s in by_action_id),
               key=lambda e: code_order(e[0])),
    )


def known_funders(session: Session, plan_id: uuid.UUID | None = None) -> list[str]:
    """The names of funders already recorded (of the plan, or of every plan), in reading order."""
    stmt = select(Funding.funder).where(alive(Funding)).distinct()
    if plan_id is not None:
        stmt = stmt.where(Funding.plan_id == plan_id)
    return sorted(session.exec(stmt).all(), key=sort_key)


def funding_form_values(session: Session, plan_id: uuid.UUID, funding_id: uuid.UUID | None,
                        today: dt.date) -> dict[str, Any]:
    """Text for the form's fields: a new contribution starts in a year of the plan
    (:func:`default_year`)."""
    if funding_id is None:
        year = default_year(_live_plan(session, plan_id), today)
        return {"funder": "", "amount": "", "year": str(year), "action_id": [], "note": ""}
    row = _live_funding(session, funding_id)
    return {"funder": row.funder, "amount": present.money_input(row.amount_cents), "year": str(row.year),
            "action_id": [row.action_id] if row.action_id else [], "note": row.note}
