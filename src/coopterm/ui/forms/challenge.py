"""A défi: title, number, whether it is transversal, description (in the order the cursor
takes them, starting in the title)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Input, TextArea

from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field


class ChallengeForm(FormScreen):
    TITLE_KEY = "challenge_form.title_new"
    EDIT_TITLE_KEY = "challenge_form.title_edit"
    FOCUS = "title"
    FIELDS = (  # the title first, where the cursor starts: the number is proposed (the next free one)
        Field("title", "challenge_form.title_field"),
        Field("number", "challenge_form.number", example="1"),
        Field("transversal", "challenge_form.transversal", "check", box="challenge_form.transversal_box",
              compact=False),
        Field("description", "challenge_form.description", "text"),
    )

    def on_mount(self) -> None:
        """The fields are filled once mounted (the next free number for a new défi)."""
        initial = self.coop.data.challenges.form(self.coop.plan, self.record_id)
        self.query_one("#f-number", Input).value = initial["number"]
        self.query_one("#f-title", Input).value = initial["title"]
        self.query_one("#f-description", TextArea).text = initial["description"]
        self.query_one("#f-transversal", Checkbox).value = initial["transversal"]

    def persist(self, data: dict[str, Any]) -> Any:
        return self.coop.data.challenges.save(self.coop.plan, self.record_id, data)
