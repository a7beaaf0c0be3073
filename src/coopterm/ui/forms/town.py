"""A partner town: name, country and time zone (a new name already in the file reuses that
town); the zone completes from the IANA names this machine knows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from textual.widget import Widget

from coopterm.domain.zones import zone_names
from coopterm.i18n import t
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field
from coopterm.ui.literal import Literal


class TownForm(FormScreen):
    TITLE_KEY = "town_form.title_new"
    EDIT_TITLE_KEY = "town_form.title_edit"
    FOCUS = "name"
    FIELDS = (Field("name", "town_form.name"), Field("country", "town_form.country"),
              Field("time_zone", "town_form.time_zone", suggest=True))

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        return self.coop.data.towns.form(self.record_id), {"time_zone": zone_names()}

    def after(self, name: str) -> Iterator[Widget]:
        if name == "country" and self.record_id is None:
            yield Literal(t("town_form.reuse_hint"), classes="hint")

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.towns.save(self.coop.plan, self.record_id, data)
