"""New projects arising from the cooperation (the plan's fourth indicator).

A project is bilateral (exactly two partner towns) or multilateral (three or
more); its towns are among the plan's towns; it may come from an action of the
plan, and have a start date.  Writes follow ``domain.actions``: the caller wraps
each in ``with db.write() as session:``, a refusal raises
:class:`~coopterm.domain.validation.FormErrors` before anything is written, and
links to towns that are removed are tombstoned, links that come back revived
rather than duplicated.  The result is a :class:`~coopterm.domain.changes.Change`;
the dashboard recounts the new-projects indicator when it reloads.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, ValidationInfo, field_validator
from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from coopterm.domain.changes import Change
from coopterm.domain.funding import action_codes, check_plan_action
from coopterm.domain.indicators import MULTILATERAL_MIN_TOWNS
from coopterm.domain.matching import contains_text, sort_key
from coopterm.domain.persons import town_choices
from coopterm.domain.rows import alive, sync_links, tombstone
from coopterm.domain.validation import (
    CompleteInput,
    FormErrors,
    checked,
    date_field,
    ids,
    refuse,
    single_id,
    title,
)
from coopterm.errors import InvalidInput
from coopterm.i18n import t
from coopterm.models import NewProject, NewProjectTown, Plan, Town
from coopterm.vocabulary import ProjectScope

BILATERAL_TOWNS = 2


class ProjectInput(CompleteInput):
    """A new project as a form or code gives it, checked.  Bilateral means exactly two
    towns, multilateral three or more; a field left out of the form is checked as a blank
    one (see ``validation.every_field``), so a bilateral project whose towns were left out
    is refused beside the towns field."""

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]  # SQLModel types it as its own superset of ConfigDict

    title: str
    scope: ProjectScope
    towns: tuple[uuid.UUID, ...] = ()
    """Declared after ``scope``: the count of towns is checked against a valid scope."""
    origin_action_id: uuid.UUID | None = None
    started_on: dt.date | None = None
    description: str = ""

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return title(str(value or ""))

    @field_validator("scope", mode="before")
    @classmethod
    def _scope(cls, value: object) -> ProjectScope:
        try:
            return ProjectScope(value)
        except ValueError:
            raise refuse("scope", t("project.error.scope")) from None

    @field_validator("towns", mode="before")
    @classmethod
    def _towns(cls, value: object, info: ValidationInfo) -> tuple[uuid.UUID, ...]:
        raw = value or []
        towns = ids([raw] if isinstance(raw, (str, uuid.UUID)) else raw, "towns", "form.error.town_unknown")
        scope = info.data.get("scope")  # absent when the scope itself was refused
        if scope is ProjectScope.BILATERAL and len(towns) != BILATERAL_TOWNS:
            raise refuse("towns", t("project.error.bilateral_towns", count=len(towns)))
        if scope is ProjectScope.MULTILATERAL and len(towns) < MULTILATERAL_MIN_TOWNS:
            raise refuse("towns", t("project.error.multilateral_towns", count=len(towns),
                                    min=MULTILATERAL_MIN_TOWNS))
        return tuple(towns)

    @field_validator("origin_action_id", mode="before")
    @classmethod
    def _origin(cls, value: object) -> uuid.UUID | None:
        return single_id(value, "origin_action_id", "project.error.action_unknown")

    @field_validator("started_on", mode="before")
    @classmethod
    def _started(cls, value: object) -> dt.date | None:
        return date_field(value, "started_on")

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: object) -> str:
        return str(value or "").strip()


def validate_project(data: Mapping[str, Any]) -> ProjectInput:
    """The checked project, or :class:`FormErrors` naming every field that failed."""
    return checked(ProjectInput, data)


def _checked(session: Session, plan_id: uuid.UUID, data: ProjectInput) -> None:
    plan_towns = {tid for tid, _ in town_choices(session, plan_id)}
    errors: dict[str, str] = {}
    if any(town_id not in plan_towns for town_id in data.towns):
        errors["towns"] = t("project.error.town_not_in_plan")
    try:
        check_plan_action(session, plan_id, data.origin_action_id, "origin_action_id", "project.error.action_unknown")
    except FormErrors as refused:
        errors.update(refused.errors)
    if errors:
        raise FormErrors(errors)


def _as_input(data: ProjectInput | Mapping[str, Any]) -> ProjectInput:
    return data if isinstance(data, ProjectInput) else validate_project(data)


def _live_project(session: Session, project_id: uuid.UUID) -> NewProject:
    row = session.get(NewProject, project_id)
    if row is None or row.deleted_at is not None:
        raise InvalidInput("record.project_missing")
    return row


_FIELDS = ("title", "scope", "origin_action_id", "started_on", "description")


def create_project(session: Session, plan_id: uuid.UUID, data: ProjectInput | Mapping[str, Any]) -> Change:
    """Record a new project of the plan with its towns."""
    data = _as_input(data)
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise InvalidInput("record.plan_missing")
    _checked(session, plan_id, data)
    row = NewProject(plan_id=plan_id, **{name: getattr(data, name) for name in _FIELDS})
    session.add(row)
    sync_links(session, NewProjectTown, "project_id", row.id, "town_id", data.towns)
    return Change(row.id, plan_id, True)


def update_project(session: Session, project_id: uuid.UUID, data: ProjectInput | Mapping[str, Any]) -> Change:
    """Change what differs, towns included."""
    data = _as_input(data)
    row = _live_project(session, project_id)
    _checked(session, row.plan_id, data)
    changed = False
    for name in _FIELDS:
        value = getattr(data, name)
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        session.add(row)
    changed |= sync_links(session, NewProjectTown, "project_id", project_id, "town_id", data.towns)
    return Change(row.id, row.plan_id, changed)


def delete_project(session: Session, project_id: uuid.UUID) -> Change:
    """Tombstone the project and its links to towns."""
    row = session.get(NewProject, project_id)
    if row is None:
        raise InvalidInput("record.project_missing")
    if row.deleted_at is not None:
        return Change(row.id, row.plan_id, False)
    tombstone(session, row)
    for link in session.exec(select(NewProjectTown).where(NewProjectTown.project_id == project_id,
                                                          alive(NewProjectTown))):
        tombstone(session, link)
    return Change(row.id, row.plan_id, True)


def save_project(session: Session, plan_id: uuid.UUID, project_id: uuid.UUID | None,
                 data: Mapping[str, Any]) -> Change:
    if project_id is None:
        return create_project(session, plan_id, data)
    return update_project(session, project_id, data)


# --- reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectRow:
    id: uuid.UUID
    title: str
    scope: ProjectScope
    towns: tuple[str, ...]
    """Names in reading order."""
    origin_code: str
    started_on: dt.date | None
    description: str


def _where(plan_id: uuid.UUID, text: str = "") -> tuple[ColumnElement[bool], ...]:
    """The plan's live projects whose title holds every word of ``text``."""
    return (col(NewProject.plan_id) == plan_id, alive(NewProject), contains_text(NewProject, text))


def count_projects(session: Session, plan_id: uuid.UUID, text: str = "") -> int:
    return int(session.exec(select(func.count()).select_from(NewProject).where(*_where(plan_id, text))).one())


def _town_names(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[tuple[uuid.UUID, str]]]:
    names: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {i: [] for i in ids}
    if not ids:
        return names
    for project_id, town_id, name in session.exec(
        select(col(NewProjectTown.project_id), col(Town.id), col(Town.name))
        .join(Town, col(Town.id) == col(NewProjectTown.town_id))
        .where(col(NewProjectTown.project_id).in_(ids), alive(NewProjectTown), alive(Town))
    ):
        if all(tid != town_id for tid, _ in names[project_id]):
            names[project_id].append((town_id, name))
    for entries in names.values():
        entries.sort(key=lambda e: (sort_key(e[1]), e[0]))
    return names


def fetch_projects(session: Session, plan_id: uuid.UUID, offset: int = 0, limit: int = 40,
                   text: str = "") -> list[ProjectRow]:
    """Rows ``offset`` to ``offset + limit``: latest start first (undated last), then by title."""
    rows = session.exec(
        select(NewProject).where(*_where(plan_id, text))
        .order_by(col(NewProject.started_on).is_(None), col(NewProject.started_on).desc(), col(NewProject.title),
                  col(NewProject.id))
        .offset(max(0, offset)).limit(limit)
    ).all()
    towns = _town_names(session, [r.id for r in rows])
    codes = action_codes(session, {r.origin_action_id for r in rows if r.origin_action_id is not None})
    return [ProjectRow(r.id, r.title, r.scope, tuple(name for _, name in towns[r.id]),
                       codes.get(r.origin_action_id, "") if r.origin_action_id is not None else "",
                       r.started_on, r.description) for r in rows]


def project_form_values(session: Session, project_id: uuid.UUID | None) -> dict[str, Any]:
    """The project as its form starts from (a new one is multilateral)."""
    if project_id is None:
        return {"title": "", "scope": ProjectScope.MULTILATERAL.value, "towns": [], "origin_action_id": [],
                "started_on": None, "description": ""}
    row = _live_project(session, project_id)
    towns = _town_names(session, [row.id])[row.id]
    return {"title": row.title, "scope": row.scope.value, "towns": [tid for tid, _ in towns],
            "origin_action_id": [row.origin_action_id] if row.origin_action_id else [],
            "started_on": row.started_on, "description": row.description}
