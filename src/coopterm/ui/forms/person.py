"""A person (pilote): name, organisation, town, role and contact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field


class PersonForm(FormScreen):
    TITLE_KEY = "person_form.title_new"
    EDIT_TITLE_KEY = "person_form.title_edit"
    FOCUS = "name"
    FIELDS = (
        Field("name", "person_form.name"),
        Field("organisation", "person_form.organisation"),
        Field("town_id", "person_form.town", "one"),
        Field("role", "person_form.role"),
        Field("email", "person_form.email", placeholder="person_form.email_placeholder"),
        Field("phone", "person_form.phone"),
    )

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        context = self.coop.data.people.form(self.coop.plan, self.record_id)
        return context.values, {"town_id": context.towns}

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.people.save(self.coop.plan, self.record_id, data)
