"""A measurement of a manual indicator: when (today unless said), how much, and a note."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopterm import present
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field


class MeasurementForm(FormScreen):
    """``indicator_key``: the manual indicator's row id; ``label`` names it in the heading."""

    TITLE_KEY = "measurement_form.title"
    FOCUS = "measured_on"  # the first field: the cursor follows the form from the top
    FIELDS = (
        Field("measured_on", "measurement_form.date", "date"),
        Field("value", "measurement_form.value"),
        Field("note", "measurement_form.note"),
    )

    def __init__(self, indicator_key: str, label: str) -> None:
        super().__init__(indicator_key, label=label)

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        return {"measured_on": present.date(self.coop.today)}, {}

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.indicators.measure(self.record_id, data)
