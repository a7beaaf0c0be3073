"""The réunions as the screens use them: the windowed list, the form, the rhythm, the writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from coopterm.domain.changes import Change
from coopterm.domain.history import HistoryEntry, meeting_history
from coopterm.domain.meetings import (
    MeetingDetail,
    MeetingFormContext,
    MeetingQuery,
    MeetingRow,
    count_meetings,
    delete_meeting,
    fetch_meetings,
    meeting_detail,
    meeting_form_context,
    meeting_label,
    meetings_rhythm,
    next_meeting_values,
    save_meeting,
)
from coopterm.workspace.door import Door
from coopterm.workspace.window import Window


class Meetings(Door):
    def source(self, plan_id: uuid.UUID, query: MeetingQuery | None = None) -> Window[MeetingRow]:
        query = MeetingQuery() if query is None else query
        return Window(lambda: self.space.read(count_meetings, plan_id, query),
                      lambda offset, limit: self.space.read(fetch_meetings, plan_id, query, offset, limit),
                      lambda offset, limit: self.space.read(fetch_meetings, plan_id, query, offset, limit,
                                                            from_end=True))

    def form(self, plan_id: uuid.UUID, meeting_id: uuid.UUID | None, today: dt.date,
             values: dict[str, Any] | None = None) -> MeetingFormContext:
        """The form's choices and starting text; ``values`` prefill a new meeting (see :meth:`next_values`)."""
        return self.space.read(meeting_form_context, plan_id, meeting_id, today, values)

    def next_values(self, meeting_id: uuid.UUID) -> dict[str, Any]:
        """The next meeting of ``meeting_id``'s series, as form values (nothing is created yet)."""
        return self.space.read(next_meeting_values, meeting_id)

    def save(self, plan_id: uuid.UUID, meeting_id: uuid.UUID | None, data: dict[str, Any]) -> Change:
        return self.space.write(save_meeting, plan_id, meeting_id, data)

    def detail(self, meeting_id: uuid.UUID) -> MeetingDetail | None:
        """The meeting as its read-only detail shows it; ``None`` once deleted."""
        return self.space.read(meeting_detail, meeting_id)

    def label(self, meeting_id: uuid.UUID) -> str:
        return self.space.read(meeting_label, meeting_id)

    def delete(self, meeting_id: uuid.UUID) -> Change:
        return self.space.write(delete_meeting, meeting_id)

    def history(self, meeting_id: uuid.UUID, limit: int) -> tuple[list[HistoryEntry], str]:
        """The latest changes of the meeting, its attendees and decisions, and its label."""
        return self.space.read(meeting_history, meeting_id, limit)

    def rhythm(self, plan_id: uuid.UUID, today: dt.date) -> tuple[list[Any], bool]:
        """The meetings the governance rhythm expects next, and whether the plan is over."""
        return self.space.read(meetings_rhythm, plan_id, today)
