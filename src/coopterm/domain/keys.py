"""Ids derived from what a row is, for the rows that are the same thing by meaning.

Most rows get a UUIDv7 that no other laptop can produce: two copies that each add an
action have added two actions.  A link (a plan's town, an action's town or lead, a
meeting's attendee, a project's town) and a plan's row for a computed indicator are
different: "Sierre takes part in action 2.1" is one fact however many laptops record
it.  Their id is therefore a UUIDv5 of what they are (the table and the two ends, or
the plan and the indicator's key), so two copies that create the same link write the
same row, which a merge then settles as one row (a conflict to review when the
copies disagree on a value) instead of keeping two.  The database backs this with a
unique index on each natural key (``models.py``).

The namespaces are fixed forever: migration 0007 repeats them to give the rows of
older files these ids, and a test checks that both derive the same ones.
"""

from __future__ import annotations

import uuid

from sqlmodel import SQLModel

from coopterm.models import ActionPilot, ActionTown, MeetingAttendee, NewProjectTown, PlanTown, table_of

_LINK_NAMESPACE = uuid.UUID("6b1f0c52-9d3e-4a7b-8e21-4c5d9f0a7e13")
_COMPUTED_NAMESPACE = uuid.UUID("3f7d2c1e-8b4a-4e6f-9a2d-5c0b1e7f3a94")

LINKS: dict[str, tuple[str, str]] = {
    table_of(PlanTown).name: ("plan_id", "town_id"),
    table_of(ActionTown).name: ("action_id", "town_id"),
    table_of(ActionPilot).name: ("action_id", "person_id"),
    table_of(MeetingAttendee).name: ("meeting_id", "person_id"),
    table_of(NewProjectTown).name: ("project_id", "town_id"),
}
"""Each link table and its natural key: the owner's column, then the other end's."""


def _table_name(model_or_table: type[SQLModel] | str) -> str:
    name = model_or_table if isinstance(model_or_table, str) else table_of(model_or_table).name
    if name not in LINKS:
        raise ValueError(f"{name} is not a link table")
    return name


def link_id(model_or_table: type[SQLModel] | str, owner_id: uuid.UUID, other_id: uuid.UUID) -> uuid.UUID:
    """The id of the link between ``owner_id`` (the plan, action, meeting or project) and
    ``other_id`` (the town or person) in a link table: the same on every copy, so the
    same link created on two laptops is one row once they are merged."""
    return uuid.uuid5(_LINK_NAMESPACE, f"{_table_name(model_or_table)}:{owner_id.hex}:{other_id.hex}")


def computed_indicator_id(plan_id: uuid.UUID, key: str) -> uuid.UUID:
    """The id of a plan's row for a computed indicator, derived from what it is (plan and
    key): two copies that each give it a target write the same row, which a merge then
    settles as one (a conflict to review when the targets differ), never two rows."""
    return uuid.uuid5(_COMPUTED_NAMESPACE, f"{plan_id.hex}:{key}")
