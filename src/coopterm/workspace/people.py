"""The people (pilotes) and the partner towns as the screens use them."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from coopterm.domain.changes import Change
from coopterm.domain.persons import (
    LedAction,
    PersonDetail,
    PersonRow,
    TownRow,
    count_people,
    delete_person,
    delete_question,
    fetch_people,
    index_of_person,
    led_actions,
    person_detail,
    person_form_values,
    person_town_choices,
    plan_towns,
    replacement_choices,
    save_person,
    save_town,
    town_choices,
    town_form_values,
)
from coopterm.workspace.door import Door
from coopterm.workspace.window import LocatingWindow


@dataclass(frozen=True)
class PersonFormContext:
    values: dict[str, Any]
    towns: list[tuple[uuid.UUID, str]]
    """The plan's towns, and the person's own town when it is not one of them."""


@dataclass(frozen=True)
class PersonDeletion:
    """What deleting someone involves, read in one snapshot before asking."""

    question: str
    leads: list[LedAction]
    """The actions they lead: these need another lead, or none."""
    replacements: list[tuple[uuid.UUID, str]]
    """Who could lead them instead."""


class People(Door):
    def source(self, plan_id: uuid.UUID | None, text: str = "") -> LocatingWindow[PersonRow]:
        """Everyone ``text`` keeps (name, organisation, town), with their load in ``plan_id``."""
        def index_of(row_id: Hashable) -> int | None:
            if not isinstance(row_id, uuid.UUID):
                return None
            return self.space.read(index_of_person, row_id, text)

        return LocatingWindow(lambda: self.space.read(count_people, text),
                              lambda offset, limit: self.space.read(fetch_people, plan_id, text, offset, limit),
                              index_of)

    def form(self, plan_id: uuid.UUID, person_id: uuid.UUID | None) -> PersonFormContext:
        def read(session: Session) -> PersonFormContext:
            return PersonFormContext(person_form_values(session, person_id),
                                     person_town_choices(session, plan_id, person_id))

        return self.space.read(read)

    def save(self, plan_id: uuid.UUID, person_id: uuid.UUID | None, data: dict[str, Any]) -> Change:
        return self.space.write(save_person, plan_id, person_id, data)

    def detail(self, person_id: uuid.UUID, plan_id: uuid.UUID | None) -> PersonDetail | None:
        return self.space.read(person_detail, person_id, plan_id)

    def deletion(self, person_id: uuid.UUID) -> PersonDeletion:
        def read(session: Session) -> PersonDeletion:
            from coopterm.domain.dependents import what_refers_to

            question = "\n".join([delete_question(session, person_id), *what_refers_to(session, person_id)])
            return PersonDeletion(question, led_actions(session, person_id), replacement_choices(session, person_id))

        return self.space.read(read)

    def delete(self, plan_id: uuid.UUID, person_id: uuid.UUID, replacement_id: uuid.UUID | None = None) -> Change:
        """Delete in one transaction, handing the actions they lead to ``replacement_id`` when given."""
        return self.space.write(delete_person, plan_id, person_id, replacement_id)


class Towns(Door):
    def rows(self, plan_id: uuid.UUID) -> list[TownRow]:
        """The plan's partner towns (a handful: read whole)."""
        return self.space.read(plan_towns, plan_id)

    def choices(self, plan_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        return self.space.read(town_choices, plan_id)

    def form(self, town_id: uuid.UUID | None) -> dict[str, Any]:
        return self.space.read(town_form_values, town_id)

    def save(self, plan_id: uuid.UUID, town_id: uuid.UUID | None, data: dict[str, Any]) -> Change:
        return self.space.write(save_town, plan_id, town_id, data)

    def delete(self, plan_id: uuid.UUID, town_id: uuid.UUID) -> Change:
        """Delete the town in one transaction (see ``domain.removal.delete_town``)."""
        from coopterm.domain.removal import delete_town

        return self.space.write(delete_town, plan_id, town_id)
