"""A new plan (title, period, towns; optionally the défis and towns of another plan),
offered by the plans screen and the first run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field

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
        Field("towns", "plan_form.towns", example="Katowice (Pologne), Monastir (Tunisie)"),
    )

    def __init__(self, copy_choices: Sequence[tuple[str, object]] | None = None) -> None:
        super().__init__()
        self.copy_choices = list(copy_choices or [])

    def laid_out(self) -> Sequence[Field]:
        return (COPY_FROM, *self.FIELDS) if self.copy_choices else self.FIELDS

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        return {}, {"copy_from": self.copy_choices}

    def persist(self, data: dict[str, Any]) -> Any:
        copy_from = data.pop("copy_from", None)
        return self.coop.data.plans.create(data, copy_from)
