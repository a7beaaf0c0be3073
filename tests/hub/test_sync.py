"""Laptops sync with a real PostgreSQL hub: the merge's rules, incremental both ways, and the
hub's policies deciding what each login may send."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlmodel import select

from coopterm.domain.actions import action_detail, update_action
from coopterm.models import Action, Conflict, Meeting, Person
from coopterm.store import export_copy, open_database
from coopterm.store.hub import grant, init_hub
from coopterm.store.sync import remembered_hub, sync, waiting
from tests.store.test_merge import content

PILOT, COORDINATOR = "Adel Janeb", "Sigolène Saunier-Hrustic"


@pytest.fixture
def hub_url(postgres_server, pg_database):
    url = postgres_server.libpq_url(pg_database)
    init_hub(url)
    return url


@pytest.fixture
def laptops(demo_db, tmp_path):
    """Three laptops: the coordinator's with the demo plan, two empty files."""
    export_copy(demo_db, tmp_path / "a.db")
    dbs = [open_database(tmp_path / "a.db"), open_database(tmp_path / "b.db"), open_database(tmp_path / "c.db")]
    yield dbs
    for db in dbs:
        db.close()


def retitle(db, number: int, title: str) -> uuid.UUID:
    """Give the ``number``-th action (in id order) a new title; its id."""
    with db.write() as s:
        action = s.exec(select(Action).where(Action.deleted_at.is_(None)).order_by(Action.id)).all()[number]
        action.title = title
        return action.id


def titles(db) -> dict[uuid.UUID, str]:
    with db.read() as s:
        return {a.id: a.title for a in s.exec(select(Action))}


def test_a_plan_goes_to_the_hub_and_comes_back_on_every_laptop(hub_url, laptops):
    a, b, c = laptops
    first = sync(a, hub_url)
    assert first.sent > 0 and first.received == 0
    assert remembered_hub(a) == hub_url
    for laptop in (b, c):
        got = sync(laptop, hub_url)
        assert got.received > 0
        assert content(laptop.path) == content(a.path)
    again = [sync(db) for db in (a, b, c)]  # the hub remembered; nothing left to do
    assert [(r.sent, r.received) for r in again] == [(0, 0)] * 3


def test_edits_on_every_laptop_converge_with_the_same_conflicts(hub_url, laptops):
    a, b, c = laptops
    for db in (a, b, c):
        sync(db, hub_url)
    retitle(a, 0, "Titre de A")
    retitle(b, 0, "Titre de B")  # the same field of the same action: a conflict
    retitle(b, 1, "Seulement B")
    retitle(c, 2, "Seulement C")
    for db in (b, c, a, b, c):  # the order does not matter; the last round brings everything
        sync(db)
    assert content(a.path) == content(b.path) == content(c.path)
    with a.read() as s:
        conflicts = s.exec(select(Conflict)).all()
    assert [(k.table_name, k.kind) for k in conflicts] == [("action", "edit")]
    assert {"Seulement B", "Seulement C"} <= set(titles(a).values())
    assert [(r.sent, r.received) for r in (sync(a), sync(b), sync(c))] == [(0, 0)] * 3


def test_a_sync_sends_only_what_changed(hub_url, laptops):
    a, b, _ = laptops
    sync(a, hub_url)
    sync(b, hub_url)
    assert waiting(a) == 0
    retitle(a, 3, "Un seul changement")
    assert waiting(a) == 1
    sent = sync(a)
    assert waiting(a) == 0
    assert sent.pushed["action"] == 1 and sent.pushed["history"] == 1
    assert sum(n for table, n in sent.pushed.items() if table not in ("action", "history")) == 0
    received = sync(b)
    assert received.received == 2  # the action and its history entry
    assert content(a.path) == content(b.path)


def test_a_pilots_refused_change_comes_back_for_review_and_the_rest_lands(postgres_server, pg_database,
                                                                          hub_url, laptops):
    a, b, _ = laptops
    sync(a, hub_url)  # the coordinator publishes the plan (as the hub's owner here)
    login = f"adel_{pg_database}"
    grant(hub_url, login, "pilot", person=PILOT)
    grant(hub_url, f"coord_{pg_database}", "coordinator", person=COORDINATOR)
    pilot_url = postgres_server.libpq_url(pg_database, user=login)
    sync(b, pilot_url)
    with b.read() as s:
        adel = s.exec(select(Person).where(Person.name == PILOT)).one()
        led = [a_.id for a_ in s.exec(select(Action).order_by(Action.id))
               if adel.id in action_detail(s, a_.id).form_values()["pilots"]]
        other = s.exec(select(Action).where(Action.id.not_in(led)).order_by(Action.id)).first()
        meeting = s.exec(select(Meeting).where(Meeting.town_id == adel.town_id)).first()
    with b.write() as s:
        values = action_detail(s, led[0]).form_values()
        values["notes"] = "Relu par Adel"
        update_action(s, led[0], values)
        s.get(Action, other.id).title = "Titre changé par un pilote"
        s.get(Meeting, meeting.id).minutes = "Compte rendu de Monastir"
    result = sync(b)
    assert result.refused == [("action", other.id)]
    with b.read() as s:
        assert s.get(Action, other.id).title != "Titre changé par un pilote"  # back to the hub's version
        review = s.exec(select(Conflict).where(Conflict.kind == "refused")).one()
        assert review.row_id == other.id
        assert json.loads(review.other_values)["title"] == "Titre changé par un pilote"  # nothing lost
        assert json.loads(review.kept_values)["may_change"][0] == COORDINATOR  # who may make it
    sync(a)
    with a.read() as s:
        assert s.get(Action, led[0]).notes == "Relu par Adel"
        assert s.get(Meeting, meeting.id).minutes == "Compte rendu de Monastir"
        assert s.get(Action, other.id).title != "Titre changé par un pilote"
        assert s.exec(select(Conflict).where(Conflict.kind == "refused")).all() == []  # stays on b
    assert sync(b).refused == []  # not sent again


async def test_the_review_says_who_may_make_a_refused_change(postgres_server, pg_database, hub_url, laptops,
                                                             tmp_path):
    """In the app: the refused change is told in plain words with who may make it; ``o``
    offers nothing (the hub would refuse it again); ``k`` closes it."""
    from tests.app.test_app_conflicts import open_review, shown
    from tests.helpers import make_app, settle

    a, b, _ = laptops
    sync(a, hub_url)
    login = f"adel_{pg_database}"
    grant(hub_url, login, "pilot", person=PILOT)
    grant(hub_url, f"coord_{pg_database}", "coordinator", person=COORDINATOR)
    sync(b, postgres_server.libpq_url(pg_database, user=login))
    with b.write() as s:
        action = s.exec(select(Action).order_by(Action.id)).first()
        action.title = "[bold]Titre[/bold] changé par un pilote"
    assert sync(b).refused
    app = make_app(b, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot, app)
        text = shown(screen)
        assert COORDINATOR in text["conflict-story"] and "hub" in text["conflict-story"]
        title = next(f for f in screen.current.fields if f.field == "title")
        assert title.other == "[bold]Titre[/bold] changé par un pilote" != title.kept  # refused; the hub's kept
        assert "hub" in text["conflicts-hint"]
        assert not screen.current.can_take_other
        await pilot.press("o")
        await settle(pilot, app)
        assert app.data.conflicts.count() == 1
        await pilot.press("k")
        await settle(pilot, app)
        assert app.data.conflicts.count() == 0


def test_a_coordinator_login_publishes_and_an_observer_sends_nothing(postgres_server, pg_database, hub_url,
                                                                    laptops):
    """Not the hub's owner (whom the policies do not bind) but a coordinator's own login
    publishes the plan; an observer's laptop receives everything and every change it makes
    comes back for review."""
    a, b, _ = laptops
    coordinator, observer = f"coord_{pg_database}", f"funder_{pg_database}"
    grant(hub_url, coordinator, "coordinator")
    grant(hub_url, observer, "observer")
    published = sync(a, postgres_server.libpq_url(pg_database, user=coordinator))
    assert published.sent > 0 and published.refused == []
    sync(b, postgres_server.libpq_url(pg_database, user=observer))
    assert content(b.path) == content(a.path)
    changed = retitle(b, 0, "Vu par le financeur")
    result = sync(b)
    assert result.refused == [("action", changed)] and result.sent == 0
    sync(a)
    assert titles(a)[changed] != "Vu par le financeur"
