"""The meetings' period filter: from and to, each optional; dismisses with the two dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopterm import present
from coopterm.domain.meetings import MeetingQuery, validate_period
from coopterm.ui.forms.base import FormScreen
from coopterm.ui.forms.fields import Field


class PeriodForm(FormScreen):
    TITLE_KEY = "meeting_period.title"
    FOCUS = "date_from"
    FIELDS = (Field("date_from", "meeting_period.from", "date"), Field("date_to", "meeting_period.to", "date"))
    DEFAULT_CSS = """
    PeriodForm .form { height: auto; }
    PeriodForm .form-fields { height: auto; }
    """

    def __init__(self, query: MeetingQuery) -> None:
        super().__init__()
        self.start_query = query

    def start(self) -> tuple[Mapping[str, Any], Mapping[str, Sequence[Any]]]:
        days = {"date_from": self.start_query.date_from, "date_to": self.start_query.date_to}
        return {name: present.date(day) if day else "" for name, day in days.items()}, {}

    def persist(self, data: dict[str, Any]) -> Any:
        """Checked here, written nowhere: the dates become the list's filter."""
        return validate_period(data)
