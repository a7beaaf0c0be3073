"""A manual indicator: label, unit, baseline and target (measured by hand, see ``measurement``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field


class ManualIndicatorForm(FormScreen):
    """``indicator_key``: the indicators list's row id (``"manual:<hex>"``), ``None`` for a new one."""

    TITLE_KEY = "indicator_form.title_new"
    EDIT_TITLE_KEY = "indicator_form.title_edit"
    FOCUS = "label"
    FIELDS = (
        Field("label", "indicator_form.label"),
        Field("unit", "indicator_form.unit", placeholder="indicator_form.unit_placeholder"),
        Field("baseline_value", "indicator_form.baseline_value"),
        Field("baseline_date", "indicator_form.baseline_date", "date"),
        Field("target", "indicator_form.target"),
    )

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        return self.coop.data.indicators.form(self.record_id), {}

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.indicators.save(self.coop.plan, self.record_id, data)
