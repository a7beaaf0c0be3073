"""A new plan: title, period, towns, vision, governance rhythm, time zone and the targets
of the computed indicators (optionally the défis and towns of another plan), offered by
the plans screen and the first run.  The rhythm starts at the usual 6 and 8 weeks and the
zone at this machine's (``domain.plans.new_plan_values``); blank targets set none."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from textual.widget import Widget
from textual.widgets import Input

from coopterm.domain.indicators import COMPUTED_KEYS
from coopterm.domain.plans import TARGET_FIELD, new_plan_values
from coopterm.domain.zones import zone_names
from coopterm.i18n import t
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field
from coopterm.ui.literal import Literal, LiteralLabel

COPY_FROM = Field("copy_from", "plan_form.copy_from", "list", prompt="plan_form.copy_none")
"""The plan to copy from, offered when there is one."""


class PlanForm(FormScreen):
    """``copy_choices``: (title, id) of the plans to copy from; none on the first run.
    Dismisses with the new plan's id."""

    TITLE_KEY = "plan_form.title"
    FOCUS = "title"
    FIELDS = (
        Field("title", "plan_form.title_field"),
        Field("start_date", "plan_form.start", "date"),
        Field("end_date", "plan_form.end", "date"),
        Field("towns", "plan_form.towns", placeholder="plan_form.towns_example"),
        Field("vision", "plan_form.vision", "text"),
        Field("tech_group_every_weeks", "plan_form.tech_weeks"),
        Field("coordination_every_weeks", "plan_form.coordination_weeks"),
        Field("time_zone", "plan_form.time_zone", suggest=True),
    )

    def __init__(self, copy_choices: Sequence[tuple[str, object]] | None = None) -> None:
        super().__init__()
        self.copy_choices = list(copy_choices or [])

    def laid_out(self) -> Sequence[Field]:
        return (COPY_FROM, *self.FIELDS) if self.copy_choices else self.FIELDS

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        return new_plan_values(), {"copy_from": self.copy_choices, "time_zone": zone_names()}

    def after(self, name: str) -> Iterator[Widget]:
        """Under the zone, what it is for; then a target field per computed indicator."""
        if name != "time_zone":
            return
        yield Literal(t("plan_form.time_zone_hint"), classes="hint")
        yield LiteralLabel(t("plan_form.targets"), classes="field-label")
        for key in COMPUTED_KEYS:
            label = t("plan_form.target", label=t(f"indicator.{key}"))
            yield from self.field(TARGET_FIELD.format(key=key), label,
                                  Input(placeholder=t("target_form.placeholder"), compact=True))

    def persist(self, data: dict[str, Any]) -> Any:
        copy_from = data.pop("copy_from", None)
        return self.coop.data.plans.create(data, copy_from)
