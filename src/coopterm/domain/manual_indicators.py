"""The plan's indicators as the user manages them: targets of the computed ones, and
manual indicators with their dated measurements.

**Computed indicators** (``domain.indicators``) are never typed in; only their
target can be changed here (a number of zero or more, or nothing for no target).
A plan without a row for one of them gets one when its target is first set.

**Manual indicators** are what the plan measures outside coopterm (a number of
visitors, a budget executed…): a label, a unit, an optional baseline (value and
date) and an optional target, and dated measurements.

- Their *value* is the latest measurement by date (for two on the same day, the
  one recorded last); without any measurement the indicator has *no data*.
- Their *status* is judged by ``domain.indicators.indicator_status`` as a
  *level* indicator (``Trajectory.LEVEL``): higher is better; reached when the
  value is at or above the target; otherwise on track while it is within a
  shortfall of 10 % of the target at the start of the plan, shrinking to none at
  its end; *no target* without a target.  The baseline is shown, not judged.
- On the dashboard they follow the four computed gauges, as
  ``IndicatorResult`` with ``key = "manual:<id hex>"``.

Numbers are typed as the reader writes them: "12,5" or "12.5", spaces between
thousands, an optional trailing unit sign ("%").  Writes follow
``domain.actions``: one ``with db.write()`` each, :class:`FormErrors` before
anything is written, a :class:`~coopterm.domain.changes.Change` as result.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, field_validator
from sqlalchemy import func
from sqlmodel import Session, col, select

from coopterm.domain.changes import Change
from coopterm.domain.indicators import (
    COMPUTED_KEYS,
    Amount,
    IndicatorResult,
    computed_indicator_rows,
    indicator_settings,
    indicator_status,
    plan_indicators,
)
from coopterm.domain.keys import computed_indicator_id
from coopterm.domain.rows import alive, tombstone
from coopterm.domain.validation import (
    CompleteInput,
    FormErrors,
    checked,
    date_field,
    refuse,
    required_date,
    required_text,
)
from coopterm.errors import InvalidInput
from coopterm.i18n import t
from coopterm.models import Indicator, Measurement, Plan
from coopterm.vocabulary import IndicatorStatus, Trajectory

MANUAL_PREFIX = "manual:"
UNIT_MAX = 20
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
NUMBER_MAX = 1e15


def parse_number(value: object, field: str, *, negative: bool = False) -> float | None:
    """A number typed in a form ("12,5", "12.5", "1 000", "45 %"); blank is ``None``.

    Raises :class:`FormErrors` for text, and for a negative number unless ``negative``.
    """
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise FormErrors({field: t("indicator.error.number")})
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = _SPACES.sub("", str(value).strip().removesuffix("%"))
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            raise FormErrors({field: t("indicator.error.number")})
        number = float(text.replace(",", "."))
    if not math.isfinite(number) or abs(number) > NUMBER_MAX:
        raise FormErrors({field: t("indicator.error.number")})
    if number < 0 and not negative:
        raise FormErrors({field: t("indicator.error.negative")})
    return number


def manual_key(indicator_id: uuid.UUID) -> str:
    return f"{MANUAL_PREFIX}{indicator_id.hex}"


def manual_id(key: str) -> uuid.UUID | None:
    """The indicator id behind a ``"manual:<hex>"`` key; ``None`` for a computed key."""
    if not key.startswith(MANUAL_PREFIX):
        return None
    return uuid.UUID(key[len(MANUAL_PREFIX):])


# --- reads ------------------------------------------------------------------------------


def _manual_rows(session: Session, plan_id: uuid.UUID) -> list[Indicator]:
    return list(session.exec(
        select(Indicator).where(col(Indicator.plan_id) == plan_id, alive(Indicator), col(Indicator.computed).is_(False))
        .order_by(col(Indicator.position), col(Indicator.created_at), col(Indicator.id))
    ))


def _latest(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[Measurement | None, int]]:
    """The latest live measurement of each indicator and how many it has."""
    out: dict[uuid.UUID, tuple[Measurement | None, int]] = {i: (None, 0) for i in ids}
    if not ids:
        return out
    counts = dict(session.exec(
        select(col(Measurement.indicator_id), func.count())
        .where(col(Measurement.indicator_id).in_(ids), alive(Measurement))
        .group_by(col(Measurement.indicator_id))
    ).all())
    for m in session.exec(
        select(Measurement).where(col(Measurement.indicator_id).in_(ids), alive(Measurement))
        .order_by(col(Measurement.measured_on), col(Measurement.created_at), col(Measurement.id))
    ):
        out[m.indicator_id] = (m, int(counts.get(m.indicator_id, 0)))
    return out


def manual_results(session: Session, plan: Plan, today: dt.date) -> list[IndicatorResult]:
    """The plan's manual indicators as the dashboard shows them, in the plan's order."""
    rows = _manual_rows(session, plan.id)
    latest = _latest(session, [r.id for r in rows])
    results = []
    for row in rows:
        measurement, count = latest[row.id]
        value = measurement.value if measurement is not None else None
        results.append(IndicatorResult(
            key=manual_key(row.id), label=row.label, value=value, target=row.target, unit=row.unit,
            status=indicator_status(value, row.target, Trajectory.LEVEL, plan.start_date, plan.end_date, today),
            details={"measurements": count},
        ))
    return results


@dataclass(frozen=True)
class IndicatorRow:
    """A line of the indicators list."""

    id: str
    """The computed key ("completion_rate") or "manual:<id hex>"."""
    label: str
    unit: str
    value: Amount | None
    target: float | None
    status: IndicatorStatus
    computed: bool
    baseline_value: float | None = None
    baseline_date: dt.date | None = None
    last_measured_on: dt.date | None = None
    measurements: int = 0


def indicator_rows(session: Session, plan_id: uuid.UUID, today: dt.date) -> list[IndicatorRow]:
    """The four computed indicators (with their targets), then the manual ones."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        return []
    rows = [IndicatorRow(r.key, r.label, r.unit, r.value, r.target, r.status, True)
            for r in plan_indicators(session, plan, today)]
    manual = _manual_rows(session, plan_id)
    latest = _latest(session, [r.id for r in manual])
    for row, result in zip(manual, manual_results(session, plan, today)):
        measurement, count = latest[row.id]
        rows.append(IndicatorRow(result.key, row.label, row.unit, result.value, row.target, result.status, False,
                                 row.baseline_value, row.baseline_date,
                                 measurement.measured_on if measurement else None, count))
    return rows


@dataclass(frozen=True)
class MeasurementRow:
    id: uuid.UUID
    measured_on: dt.date
    value: float
    note: str


def measurements(session: Session, indicator_id: uuid.UUID, limit: int = 50) -> list[MeasurementRow]:
    """The indicator's latest measurements, latest first."""
    return [MeasurementRow(m.id, m.measured_on, m.value, m.note) for m in session.exec(
        select(Measurement).where(Measurement.indicator_id == indicator_id, alive(Measurement))
        .order_by(col(Measurement.measured_on).desc(), col(Measurement.created_at).desc(), col(Measurement.id).desc())
        .limit(limit)
    )]


# --- targets of computed indicators ----------------------------------------------------------


def set_computed_target(session: Session, plan_id: uuid.UUID, key: str, value: object) -> Change:
    """Set the target of a computed indicator (blank: no target); FormErrors for text or a negative number.

    The row made on the first target keeps words for its ``label`` column, but no reader
    shows them: a computed indicator is named by its key in the reader's language
    (:func:`~coopterm.domain.indicators.indicator_settings`), and the history reads the
    row's making as "target set to …"."""
    if key not in COMPUTED_KEYS:
        raise InvalidInput("record.indicator_missing")
    target = parse_number(value, "target")
    row = computed_indicator_rows(session, plan_id).get(key)
    if row is None:
        setting = indicator_settings(session, plan_id)[key]
        if target is None:
            return Change(uuid.UUID(int=0), plan_id, False)
        row = session.exec(select(Indicator).where(Indicator.plan_id == plan_id, Indicator.key == key)).first()
        if row is None:
            row = Indicator(id=computed_indicator_id(plan_id, key), plan_id=plan_id, key=key, computed=True,
                            label=setting.label, unit=setting.unit, target=target, position=setting.position)
        else:  # its tombstone (a deleted plan brought back): the same row lives again
            row.deleted_at, row.target = None, target
        session.add(row)
        return Change(row.id, plan_id, True)
    if row.target == target:
        return Change(row.id, plan_id, False)
    row.target = target
    session.add(row)
    return Change(row.id, plan_id, True)


def computed_target_text(session: Session, plan_id: uuid.UUID, key: str) -> str:
    from coopterm import present

    target = indicator_settings(session, plan_id)[key].target
    if target is None:
        return ""
    return present.number(target, 0 if float(target).is_integer() else 2).replace("\u202f", "")


# --- manual indicators -------------------------------------------------------------------------


def _number(value: object, field: str, *, negative: bool) -> float | None:
    """:func:`parse_number` for a validator: its refusal beside ``field``."""
    try:
        return parse_number(value, field, negative=negative)
    except FormErrors as refused:
        raise refuse(field, refused.errors[field]) from None


class ManualInput(CompleteInput):
    """A manual indicator as a form or code gives it, checked; a field left out of the
    form is checked as a blank one (see ``validation.every_field``)."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    label: str
    unit: str = ""
    baseline_value: float | None = None
    """Any number, negative ones too (a balance can start below zero)."""
    target: float | None = None
    """Zero or more: a level indicator is judged against it."""
    baseline_date: dt.date | None = None
    """After the numbers, as the form has always listed its refusals."""

    @field_validator("label", mode="before")
    @classmethod
    def _label(cls, value: object) -> str:
        return required_text(value, "label", "indicator.error.label_required")

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, value: object) -> str:
        text = str(value or "").strip()
        if len(text) > UNIT_MAX:
            raise refuse("unit", t("indicator.error.unit_too_long", max=UNIT_MAX))
        return text

    @field_validator("baseline_value", mode="before")
    @classmethod
    def _baseline(cls, value: object) -> float | None:
        return _number(value, "baseline_value", negative=True)

    @field_validator("baseline_date", mode="before")
    @classmethod
    def _baseline_date(cls, value: object) -> dt.date | None:
        return date_field(value, "baseline_date")

    @field_validator("target", mode="before")
    @classmethod
    def _target(cls, value: object) -> float | None:
        return _number(value, "target", negative=False)


def validate_manual(data: Mapping[str, Any]) -> ManualInput:
    """The checked manual indicator, or :class:`FormErrors` naming every field that failed."""
    return checked(ManualInput, data)


class MeasurementInput(CompleteInput):
    """A dated value of a manual indicator as a form gives it, checked: the date and the
    value are required, the value any number."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    measured_on: dt.date
    value: float
    note: str = ""

    @field_validator("measured_on", mode="before")
    @classmethod
    def _measured_on(cls, value: object) -> dt.date:
        return required_date(value, "measured_on", "indicator.error.date_required")

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: object) -> float:
        number = _number(value, "value", negative=True)
        if number is None:
            raise refuse("value", t("indicator.error.value_required"))
        return number

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> str:
        return str(value or "").strip()


def _live_manual(session: Session, indicator_id: uuid.UUID) -> Indicator:
    row = session.get(Indicator, indicator_id)
    if row is None or row.deleted_at is not None or row.computed:
        raise InvalidInput("record.indicator_missing")
    return row


_FIELDS = ("label", "unit", "baseline_value", "baseline_date", "target")


def create_manual_indicator(session: Session, plan_id: uuid.UUID, data: ManualInput | Mapping[str, Any]) -> Change:
    """Add a manual indicator after the plan's other indicators."""
    data = data if isinstance(data, ManualInput) else validate_manual(data)
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise InvalidInput("record.plan_missing")
    highest = session.exec(
        select(func.max(Indicator.position)).where(Indicator.plan_id == plan_id, alive(Indicator))
    ).one()
    row = Indicator(plan_id=plan_id, computed=False, key=None, position=max(int(highest or 0) + 1, len(COMPUTED_KEYS)),
                    **{name: getattr(data, name) for name in _FIELDS})
    session.add(row)
    return Change(row.id, plan_id, True)


def update_manual_indicator(session: Session, indicator_id: uuid.UUID,
                            data: ManualInput | Mapping[str, Any]) -> Change:
    data = data if isinstance(data, ManualInput) else validate_manual(data)
    row = _live_manual(session, indicator_id)
    changed = False
    for name in _FIELDS:
        value = getattr(data, name)
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        session.add(row)
    return Change(row.id, row.plan_id, changed)


def delete_manual_indicator(session: Session, indicator_id: uuid.UUID) -> Change:
    """Tombstone the manual indicator and its measurements (computed ones cannot be deleted)."""
    row = _live_manual(session, indicator_id)
    tombstone(session, row)
    for m in session.exec(select(Measurement).where(Measurement.indicator_id == indicator_id, alive(Measurement))):
        tombstone(session, m)
    return Change(row.id, row.plan_id, True)


def save_manual_indicator(session: Session, plan_id: uuid.UUID, indicator_id: uuid.UUID | None,
                          data: Mapping[str, Any]) -> Change:
    if indicator_id is None:
        return create_manual_indicator(session, plan_id, data)
    return update_manual_indicator(session, indicator_id, data)


def manual_form_values(session: Session, indicator_id: uuid.UUID | None) -> dict[str, Any]:
    from coopterm import present

    if indicator_id is None:
        return {"label": "", "unit": "", "baseline_value": "", "baseline_date": "", "target": ""}
    row = _live_manual(session, indicator_id)
    return {"label": row.label, "unit": row.unit, "baseline_value": number_text(row.baseline_value),
            "baseline_date": present.date(row.baseline_date) if row.baseline_date else "",
            "target": number_text(row.target)}


def number_text(value: float | None) -> str:
    """A number as a form field shows it, ready to be typed again ("12,5" in French)."""
    if value is None:
        return ""
    from coopterm.i18n import language

    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", ",") if language() == "fr" else text


# --- measurements ---------------------------------------------------------------------------------


def add_measurement(session: Session, indicator_id: uuid.UUID, data: Mapping[str, Any]) -> Change:
    """Record a dated value of a manual indicator: the date is required, the value a number."""
    checked_input = checked(MeasurementInput, data)
    row = _live_manual(session, indicator_id)
    measurement = Measurement(indicator_id=row.id, measured_on=checked_input.measured_on, value=checked_input.value,
                              note=checked_input.note)
    session.add(measurement)
    return Change(measurement.id, row.plan_id, True)


def delete_measurement(session: Session, measurement_id: uuid.UUID) -> Change:
    row = session.get(Measurement, measurement_id)
    if row is None:
        raise InvalidInput("record.measurement_missing")
    indicator = session.get_one(Indicator, row.indicator_id)
    changed = row.deleted_at is None
    tombstone(session, row)
    return Change(row.id, indicator.plan_id, changed)
