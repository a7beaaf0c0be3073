"""The target of a computed indicator: a number, or empty for no target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field


class TargetForm(FormScreen):
    """``key``: the computed indicator ("completion_rate"); ``label`` names it in the heading."""

    TITLE_KEY = "target_form.title"
    FOCUS = "target"
    FIELDS = (Field("target", "target_form.target", placeholder="target_form.placeholder"),)

    def __init__(self, key: str, label: str) -> None:
        super().__init__(key, label=label)

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        return {"target": self.coop.data.indicators.target_text(self.coop.plan, self.record_id)}, {}

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.indicators.set_target(self.coop.plan, self.record_id, data["target"])
