"""A fiche-action: its défi, title, number, status, progress, dates, pilots, towns and texts."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from coopterm.i18n import t
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field
from coopterm.vocabulary import ActionStatus


class ActionForm(FormScreen):
    """``challenge_id``: the défi a new action starts in (the actions list's défi filter)."""

    TITLE_KEY = "action_form.title_new"
    EDIT_TITLE_KEY = "action_form.title_edit"
    FOCUS = "title"
    FIELDS = (
        Field("challenge_id", "action_form.challenge", "list"),
        Field("title", "action_form.title_field"),
        Field("number", "action_form.number", placeholder="action_form.number_auto"),
        Field("status", "action_form.status", "list"),
        Field("progress", "action_form.progress"),
        Field("start_date", "action_form.start", "date"),
        Field("due_date", "action_form.due", "date"),
        Field("pilots", "action_form.pilots", "many"),
        Field("towns", "action_form.towns", "many"),
        Field("description", "action_form.description", "text"),
        Field("notes", "action_form.notes", "text"),
    )

    def __init__(self, action_id: uuid.UUID | None = None, challenge_id: uuid.UUID | None = None) -> None:
        super().__init__(action_id)
        self.default_challenge = challenge_id

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        context = self.coop.data.actions.form(self.coop.plan, self.record_id, self.default_challenge)
        statuses = [(t(f"action_status.{s.value}"), s.value) for s in ActionStatus]
        return context.values, {"challenge_id": context.challenges, "status": statuses, "pilots": context.people,
                                "towns": context.towns}

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.actions.save(self.coop.plan, self.record_id, data)
