"""The words of the plan shared by every layer: statuses and kinds, and the
status families (open, closed, the next step) every layer reads from here.

Plain enums with no database or interface dependency, so that the screens can
use them without loading the ORM (the first frame of the app is painted before
SQLAlchemy is imported).  The tables in ``models`` store their values.
"""

from __future__ import annotations

import enum


class ActionStatus(str, enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    POSTPONED = "postponed"
    ABANDONED = "abandoned"


OPEN_STATUSES: tuple[ActionStatus, ...] = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.POSTPONED)
"""An open action: still to be carried out.  It counts in a person's load and can be late."""

CLOSED_STATUSES: tuple[ActionStatus, ...] = (ActionStatus.DONE, ActionStatus.ABANDONED)
"""A closed action: final, never late, and the status key leaves it as it is."""

NEXT_STATUS: dict[ActionStatus, ActionStatus] = {
    ActionStatus.PLANNED: ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS: ActionStatus.DONE,
    ActionStatus.POSTPONED: ActionStatus.IN_PROGRESS,
}
"""The next step of each open status (the status key's cycle); closed statuses have none."""


class MeetingKind(str, enum.Enum):
    TECHNICAL_GROUP = "technical_group"
    COORDINATION = "coordination"
    FORUM = "forum"
    SEMINAR = "seminar"
    FIELD_VISIT = "field_visit"
    OTHER = "other"


class ProjectScope(str, enum.Enum):
    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"


class IndicatorStatus(str, enum.Enum):
    """How an indicator stands against its target (see ``domain.indicators``)."""

    REACHED = "reached"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"


class Trajectory(str, enum.Enum):
    """How an indicator is expected to move during the plan (see ``domain.indicators``)."""

    CUMULATIVE = "cumulative"
    LEVEL = "level"
