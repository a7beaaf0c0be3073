"""The fiches-actions as the screens use them: the windowed list, the form, the panel, the writes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from coopterm.domain.actions import (
    ActionDetail,
    ActionQuery,
    ActionRow,
    action_detail,
    action_index,
    advance_status,
    count_actions,
    delete_action,
    fetch_actions,
    set_progress,
)
from coopterm.domain.challenges import challenge_choices
from coopterm.domain.changes import Change
from coopterm.domain.forms import ActionFormContext, action_form_context, filter_choices, filter_label, save_action
from coopterm.domain.history import HistoryEntry, action_history
from coopterm.domain.meetings import ActionMeeting, action_meetings
from coopterm.workspace.door import Door
from coopterm.workspace.window import LocatingWindow, Window


@dataclass(frozen=True)
class ActionPanel:
    """What the pane under the table shows of one action, read in one snapshot."""

    detail: ActionDetail
    meetings: list[ActionMeeting]
    """Newest first."""
    history: list[HistoryEntry] | None
    """``None`` when it was not asked for (the history pane is hidden)."""


class Actions(Door):
    def source(self, plan_id: uuid.UUID, query: ActionQuery | None = None) -> Window[ActionRow]:
        query = ActionQuery() if query is None else query
        return LocatingWindow(lambda: self.space.read(count_actions, plan_id, query),
                              lambda offset, limit: self.space.read(fetch_actions, plan_id, query, offset, limit),
                              lambda row_id: self.space.read(action_index, plan_id, query, row_id)
                              if isinstance(row_id, uuid.UUID) else None,
                              lambda offset, limit: self.space.read(fetch_actions, plan_id, query, offset, limit,
                                                                    from_end=True))

    def form(self, plan_id: uuid.UUID, action_id: uuid.UUID | None,
             challenge_id: uuid.UUID | None = None) -> ActionFormContext:
        """The form's choices and the text its fields start from (``challenge_id``: a new action's défi)."""
        return self.space.read(action_form_context, plan_id, action_id, challenge_id)

    def save(self, plan_id: uuid.UUID, action_id: uuid.UUID | None, data: dict[str, Any]) -> Change:
        """Create (``action_id`` None) or update; ``FormErrors`` refuses and nothing is written."""
        return self.space.write(save_action, plan_id, action_id, data)

    def delete(self, action_id: uuid.UUID) -> Change:
        return self.space.write(delete_action, action_id)

    def advance_status(self, action_id: uuid.UUID) -> Change:
        return self.space.write(advance_status, action_id)

    def set_progress(self, action_id: uuid.UUID, progress: int) -> Change:
        return self.space.write(set_progress, action_id, progress)

    def panel(self, action_id: uuid.UUID, history_limit: int | None = None) -> ActionPanel | None:
        """The detail, its meetings and (with ``history_limit``) its latest changes; ``None``
        when the action is gone (deleted by another program since the table was read)."""
        def read(session: Session) -> ActionPanel | None:
            detail = action_detail(session, action_id)
            if detail is None:
                return None
            history = action_history(session, action_id, history_limit) if history_limit is not None else None
            return ActionPanel(detail, action_meetings(session, action_id), history)

        return self.space.read(read)

    def can_create(self, plan_id: uuid.UUID) -> bool:
        """An action belongs to a défi: none can be created before the plan has one."""
        return bool(self.space.read(challenge_choices, plan_id))

    def filter_choices(self, plan_id: uuid.UUID, kind: str) -> list[tuple[Any, str]]:
        """(value, label) of a quick filter: ``status``, ``challenge``, ``pilot`` or ``town``."""
        return self.space.read(filter_choices, plan_id, kind)

    def filter_label(self, plan_id: uuid.UUID, kind: str, value: Any) -> str:
        return self.space.read(filter_label, plan_id, kind, value)
