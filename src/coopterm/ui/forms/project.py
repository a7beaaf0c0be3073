"""A new project born of the cooperation: title, scope, towns, the action it came from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopterm import present
from coopterm.i18n import t
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field
from coopterm.vocabulary import ProjectScope


class ProjectForm(FormScreen):
    TITLE_KEY = "project_form.title_new"
    EDIT_TITLE_KEY = "project_form.title_edit"
    FOCUS = "title"
    FIELDS = (
        Field("title", "project_form.title_field"),
        Field("scope", "project_form.scope", "list"),
        Field("towns", "project_form.towns", "many"),
        Field("origin_action_id", "project_form.origin", "one"),
        Field("started_on", "project_form.date", "date"),
        Field("description", "project_form.description", "text"),
    )

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        context = self.coop.data.projects.form(self.coop.plan, self.record_id)
        started = context.values["started_on"]
        values = {**context.values, "started_on": present.date(started) if started else ""}
        scopes = [(t(f"project_scope.{s.value}"), s.value) for s in ProjectScope]
        return values, {"scope": scopes, "towns": context.towns, "origin_action_id": context.actions}

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.projects.save(self.coop.plan, self.record_id, data)
