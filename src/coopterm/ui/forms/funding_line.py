"""A funding line: who gave how much, which year, for which action."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from textual.widget import Widget

from coopterm.i18n import t
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field
from coopterm.ui.literal import Literal


class FundingForm(FormScreen):
    TITLE_KEY = "funding_form.title_new"
    EDIT_TITLE_KEY = "funding_form.title_edit"
    FOCUS = "funder"
    FIELDS = (
        Field("funder", "funding_form.funder", suggest=True),
        Field("amount", "funding_form.amount", placeholder="funding_form.amount_placeholder"),
        Field("year", "funding_form.year"),
        Field("action_id", "funding_form.action", "one"),
        Field("note", "funding_form.note"),
    )

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        self.context = self.coop.data.funding.form(self.coop.plan, self.record_id, self.coop.today)
        return self.context.values, {"funder": self.context.funders, "action_id": self.context.actions}

    def after(self, name: str) -> Iterator[Widget]:
        """Under the funder, the funders this plan already has (the same name is the same funder)."""
        if name == "funder" and self.context.plan_funders:
            yield Literal(t("funding_form.known_funders", names=" · ".join(self.context.plan_funders)),
                          classes="hint")

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.funding.save(self.coop.plan, self.record_id, data)
