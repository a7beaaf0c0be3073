"""A plan's settings: title, period, the governance rhythm, the time zone, the vision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopterm.domain.zones import zone_names
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field


class PlanEditForm(FormScreen):
    TITLE_KEY = "plan_edit.title"
    FOCUS = "title"
    FIELDS = (
        Field("title", "plan_form.title_field"),
        Field("start_date", "plan_form.start"),
        Field("end_date", "plan_form.end"),
        Field("tech_group_every_weeks", "plan_edit.tech_weeks"),
        Field("coordination_every_weeks", "plan_edit.coordination_weeks"),
        Field("time_zone", "plan_edit.time_zone", suggest=True),
        Field("vision", "plan_edit.vision", "text"),
    )

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        return self.coop.data.plans.form(self.record_id), {"time_zone": zone_names()}

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.plans.update(self.record_id, data)
