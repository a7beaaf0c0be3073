"""Who may change what on the hub, enforced by PostgreSQL itself: each role connects with
plain ``psql`` as its own login, and the server's policies decide, with no coopterm between."""

from __future__ import annotations

import subprocess
import uuid

import pytest
import sqlalchemy as sa

from coopterm.errors import CooptermError, InvalidInput
from coopterm.store.hub import grant, hub_engine, init_hub, upgrade_hub
from tests.hub.seeding import copy_plan

PILOT, TOWN = "Adel Janeb", "Monastir"
REPLICA = uuid.UUID("0123456789abcdef0123456789abcdef")


@pytest.fixture
def hub(postgres_server, pg_database, demo_db):
    """A hub holding the demo plan, with a coordinator, a pilot of Monastir and an observer."""
    url = postgres_server.libpq_url(pg_database)
    init_hub(url)
    engine = hub_engine(url)
    copy_plan(demo_db, engine)
    engine.dispose()
    suffix = pg_database  # logins are per cluster: one set per test database
    logins = {"coordinator": f"coord_{suffix}", "pilot": f"adel_{suffix}", "observer": f"funder_{suffix}"}
    grant(url, logins["coordinator"], "coordinator")
    grant(url, logins["pilot"], "pilot", person=PILOT)
    grant(url, logins["observer"], "observer")
    return postgres_server, pg_database, logins


def ids(server, database: str, sql: str) -> list[str]:
    return server.psql(database, sql).stdout.split()


def changed(server, database: str, login: str, statement: str) -> int | str:
    """How many rows ``statement`` (an UPDATE or INSERT) changed as ``login``, or "refused"
    when the server refused it; rolled back, so each attempt meets the same plan."""
    result = server.psql(database, "BEGIN", f"WITH done AS ({statement} RETURNING 1) SELECT count(*) FROM done",
                         "ROLLBACK", user=login, check=False)
    if result.returncode != 0:
        assert "row-level security" in result.stderr or "permission denied" in result.stderr, result.stderr
        return "refused"
    return int(result.stdout.strip())


def pilot_rows(server, database: str) -> dict[str, str]:
    """Ids the matrix changes: an action Adel leads and one he does not, a meeting in his
    town and one elsewhere, his person record and someone else's."""
    led = f"""SELECT ap.action_id FROM action_pilot ap JOIN person p ON p.id = ap.person_id
              WHERE p.name = '{PILOT}' AND ap.deleted_at IS NULL LIMIT 1"""
    return {
        "led": ids(server, database, led)[0],
        "not_led": ids(server, database, f"SELECT id FROM action WHERE id NOT IN ({led.replace('LIMIT 1', '')}) "
                                          "LIMIT 1")[0],
        "here": ids(server, database, f"SELECT m.id FROM meeting m JOIN town t ON t.id = m.town_id "
                                      f"WHERE t.name = '{TOWN}' LIMIT 1")[0],
        "elsewhere": ids(server, database, f"SELECT m.id FROM meeting m JOIN town t ON t.id = m.town_id "
                                           f"WHERE t.name <> '{TOWN}' LIMIT 1")[0],
        "town_here": ids(server, database, f"SELECT id FROM town WHERE name = '{TOWN}'")[0],
        "town_elsewhere": ids(server, database, f"SELECT id FROM town WHERE name <> '{TOWN}' LIMIT 1")[0],
        "me": ids(server, database, f"SELECT id FROM person WHERE name = '{PILOT}'")[0],
        "someone": ids(server, database, f"SELECT id FROM person WHERE name <> '{PILOT}' LIMIT 1")[0],
        "plan": ids(server, database, "SELECT id FROM plan LIMIT 1")[0],
        "stamp": f"'{REPLICA}', '000001764489600000-000000-{REPLICA.hex}'",
        "unlinked_town": ids(server, database, f"INSERT INTO town (id, created_at, updated_at, changed_by, revision, "
                             f"name, country) VALUES (gen_random_uuid(), now(), now(), '{REPLICA}', 'r', "
                             f"'Tenkodogo', 'Burkina Faso') RETURNING id")[0],
    }


def insert(table: str, **values: str) -> str:
    """An INSERT of a new row of ``table`` with its stamps; values are SQL (templates)."""
    columns = ", ".join(["id", "created_at", "updated_at", "changed_by", "revision", *values])
    return (f"INSERT INTO {table} ({columns}) "
            f"VALUES (gen_random_uuid(), now(), now(), {{stamp}}, {', '.join(values.values())})")


def new_meeting(town: str) -> str:
    return insert("meeting", plan_id="'{plan}'", kind="'technical_group'", starts_at="now()",
                  town_id=f"'{{{town}}}'", remote="false", title="'GST'", agenda="''", minutes="''")


def update(table: str, assignment: str, row: str) -> str:
    return f"UPDATE {table} SET {assignment} WHERE id = '{{{row}}}'"


# (change, statement template, what a coordinator, a pilot and an observer get)
MATRIX = [
    ("title of an action the pilot leads", update("action", "title = title || ' (revu)'", "led"), 1, 1, 0),
    ("title of an action the pilot does not lead", update("action", "title = title || ' (revu)'", "not_led"),
     1, 0, 0),
    ("a town of an action the pilot leads", insert("action_town", action_id="'{led}'", town_id="'{unlinked_town}'"),
     1, 1, "refused"),
    ("a town of an action the pilot does not lead",
     insert("action_town", action_id="'{not_led}'", town_id="'{unlinked_town}'"), 1, "refused", "refused"),
    ("minutes of a meeting in the pilot's town", update("meeting", "minutes = minutes || ' Vu.'", "here"), 1, 1, 0),
    ("minutes of a meeting in another town", update("meeting", "minutes = minutes || ' Vu.'", "elsewhere"),
     1, 0, 0),
    ("a decision of a meeting in the pilot's town",
     insert("decision", meeting_id="'{here}'", text="'Relancer'", done="false"), 1, 1, "refused"),
    ("a decision of a meeting in another town",
     insert("decision", meeting_id="'{elsewhere}'", text="'Relancer'", done="false"), 1, "refused", "refused"),
    ("a new meeting in the pilot's town", new_meeting("town_here"), 1, 1, "refused"),
    ("a new meeting in another town", new_meeting("town_elsewhere"), 1, "refused", "refused"),
    ("the pilot's own person record", update("person", "organisation = 'Mairie'", "me"), 1, 1, 0),
    ("someone else's person record", update("person", "organisation = 'Mairie'", "someone"), 1, 0, 0),
    ("the plan", update("plan", "vision = vision || '.'", "plan"), 1, 0, 0),
    ("an indicator's target", "UPDATE indicator SET target = 80 WHERE plan_id = '{plan}' AND key IS NOT NULL",
     4, 0, 0),
    ("a funding line", "UPDATE funding SET note = 'vu' WHERE plan_id = '{plan}'", "many", 0, 0),
    ("a town", update("town", "country = country", "town_here"), 1, 0, 0),
    ("a new town", insert("town", name="'Chinon'", country="'France'"), 1, "refused", "refused"),
]


def test_each_role_may_make_exactly_its_changes(hub):
    """The role matrix, each statement run in its own transaction by plain psql."""
    server, database, logins = hub
    rows = pilot_rows(server, database)
    seen = []
    for change, template, *expected in MATRIX:
        statement = template.format(**rows)
        for role, want in zip(("coordinator", "pilot", "observer"), expected, strict=True):
            got = changed(server, database, logins[role], statement)
            if want == "many":
                want = got if isinstance(got, int) and got > 1 else "more than one"
            seen.append((change, role, got, want))
    assert [(c, r, g) for c, r, g, w in seen if g != w] == []


def test_every_member_reads_the_whole_plan_and_others_cannot_connect(hub):
    server, database, logins = hub
    total = server.psql(database, "SELECT count(*) FROM action").stdout.strip()
    for login in logins.values():
        assert server.psql(database, "SELECT count(*) FROM action", user=login).stdout.strip() == total
    server.psql("postgres", f'CREATE ROLE "stranger_{database}" LOGIN')
    refused = server.psql(database, "SELECT 1", user=f"stranger_{database}", check=False)
    assert refused.returncode != 0 and "permission denied" in refused.stderr


def test_a_pilot_cannot_promote_himself(hub):
    server, database, logins = hub
    result = server.psql(database, f"UPDATE hub_member SET role = 'coordinator' WHERE login = '{logins['pilot']}'",
                         user=logins["pilot"], check=False)
    assert result.returncode != 0 and "permission denied" in result.stderr or result.stdout.strip() == ""
    role = server.psql(database, f"SELECT role FROM hub_member WHERE login = '{logins['pilot']}'").stdout.strip()
    assert role == "pilot"


def test_init_refuses_a_database_that_is_not_empty_and_upgrade_reapplies_access(hub):
    server, database, logins = hub
    url = server.libpq_url(database)
    with pytest.raises(CooptermError, match="empty"):
        init_hub(url)
    before, after = upgrade_hub(url)
    assert before == after
    # the policies still hold after an upgrade re-applied them
    rows = pilot_rows(server, database)
    assert changed(server, database, logins["pilot"],
                   f"UPDATE plan SET vision = '' WHERE id = '{rows['plan']}'") == 0


@pytest.mark.parametrize(("url", "words"), [
    ("sqlite:///plan.db", "PostgreSQL"),
    ("postgresql://coord:secret@localhost/plan", "password"),
    ("not a url", "PostgreSQL"),
])
def test_a_wrong_hub_address_is_refused_in_plain_words(url, words):
    with pytest.raises(InvalidInput, match=words):
        init_hub(url)


def test_grant_refuses_an_unknown_role_a_pilot_without_person_and_an_unknown_person(hub):
    server, database, _ = hub
    url = server.libpq_url(database)
    with pytest.raises(InvalidInput, match="role"):
        grant(url, "x", "admin")
    with pytest.raises(InvalidInput, match="--person"):
        grant(url, "x", "pilot")
    with pytest.raises(InvalidInput, match="Nobody|No person"):
        grant(url, "x", "pilot", person="Personne Inconnue")
    engine = sa.create_engine(server.url(database))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM hub_member WHERE login = 'x'")).scalar() == 0
    engine.dispose()
    assert subprocess.run(["true"]).returncode == 0
