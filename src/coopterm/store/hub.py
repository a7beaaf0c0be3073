"""The partnership's hub: one PostgreSQL database that every laptop can share.

The hub holds the same tables as a coopterm file, built by the same Alembic
migrations.  What only a hub has is **who may change what**, and PostgreSQL
enforces it, not coopterm: a person connects as their own PostgreSQL login, and
row-level security decides, row by row, what that login may read and write, so a
modified client, or plain ``psql``, gets no further than coopterm would.

- Every login of the hub is a member of one group role, ``<database>_members``,
  which alone may connect to the database and holds the table privileges; what a
  member may actually do is then decided by the policies below, from the member's
  row in ``hub_member`` (login, role, person, town), never from the client.
- Roles (``ROLES``): a *coordinator* changes everything; a *pilot* reads the whole
  plan and changes the actions they lead (with their towns and leads), the meetings
  held in their town (with attendees, decisions and surveys, which are columns of
  the meeting) and their own person record; an *observer* reads only.  A pilot's
  town is the one given when they were granted, else their person record's.
- The access objects (group role, ``hub_member``, the functions the policies call,
  grants and policies) are derived from the current tables and applied whole, in
  the transaction of ``hub init`` and of every ``hub upgrade``, so a table a later
  migration adds is covered the day it appears.  They exist only on the hub: a
  laptop's file has no logins to tell apart.

Passwords never pass through coopterm: the URL names the login, and libpq finds
the password itself (``PGPASSFILE``/``~/.pgpass``, ``PGSERVICEFILE``, ``PGPASSWORD``),
as it does for ``psql``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from coopterm.errors import CooptermError, InvalidInput

ROLES = ("coordinator", "pilot", "observer")
MEMBER_TABLE = "hub_member"

# What a pilot may write, per table: (INSERT allowed, the condition on the row).  A row
# of a table not named here is written by coordinators only.
PILOT_WRITES: dict[str, tuple[bool, str]] = {
    "action": (False, "coopterm_leads(id)"),
    "action_town": (True, "coopterm_leads(action_id)"),
    "action_pilot": (True, "coopterm_leads(action_id)"),
    "meeting": (True, "town_id IS NOT NULL AND town_id = coopterm_member_town()"),
    "meeting_attendee": (True, "coopterm_meeting_in_town(meeting_id)"),
    "decision": (True, "coopterm_meeting_in_town(meeting_id)"),
    "person": (False, "id = coopterm_member_person()"),
    "history": (True, "coopterm_may_write(table_name, row_id)"),
    "conflict": (True, "coopterm_may_write(table_name, row_id)"),
}


@dataclass(frozen=True)
class Member:
    login: str
    role: str
    person: str | None
    town: str | None


def hub_url(text: str) -> sa.URL:
    """``text`` as a SQLAlchemy URL on psycopg; a URL that is not PostgreSQL is refused in plain words."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise InvalidInput("hub.bad_url", url=text) from None
    if url.get_backend_name() != "postgresql":
        raise InvalidInput("hub.bad_url", url=text)
    if url.password is not None:
        raise InvalidInput("hub.password_in_url")
    return url.set(drivername="postgresql+psycopg")


CONNECT_TIMEOUT_S = 10
"""How long to wait for the hub before saying it cannot be reached (libpq waits forever
by default, and a laptop on a train must not)."""


def hub_engine(url: str) -> Engine:
    address = hub_url(url)
    extra = {} if "connect_timeout" in address.query else {"connect_timeout": CONNECT_TIMEOUT_S}
    return sa.create_engine(address, pool_pre_ping=True, connect_args=extra)


@contextmanager
def hub_transaction(url: str) -> Iterator[Connection]:
    """One transaction on the hub, its errors in plain words; the engine is closed after."""
    engine = hub_engine(url)
    try:
        with engine.connect() as conn, conn.begin():
            yield conn
    except DBAPIError as exc:
        raise CooptermError("hub.refused", url=_shown(url), reason=server_reason(exc)) from None
    finally:
        engine.dispose()


def _shown(url: str) -> str:
    return hub_url(url).render_as_string(hide_password=True)


def server_reason(exc: DBAPIError) -> str:
    """The first line of what the server said (its messages are written for people)."""
    text = str(exc.orig).strip() if exc.orig is not None else str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def init_hub(url: str) -> str:
    """Create coopterm's schema and access rules in the empty database at ``url``; the revision."""
    from coopterm.store import schema

    with hub_transaction(url) as conn:
        existing = [n for n in sa.inspect(conn).get_table_names() if n != "alembic_version"]
        if existing:
            raise CooptermError("hub.not_empty", url=_shown(url), tables=", ".join(sorted(existing)[:5]))
        schema.upgrade_connection(conn)
        apply_access(conn)
        return schema.HEAD


def upgrade_hub(url: str) -> tuple[str | None, str]:
    """Bring the hub at ``url`` to this coopterm's schema and re-apply its access rules."""
    from coopterm.store import schema

    with hub_transaction(url) as conn:
        before = _revision(conn)
        if before is None:
            raise CooptermError("hub.not_a_hub", url=_shown(url))
        if before not in schema.known_revisions():
            raise CooptermError("hub.newer", url=_shown(url), revision=before)
        schema.upgrade_connection(conn)
        apply_access(conn)
        return before, schema.HEAD


def _revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def members_role(conn: Connection) -> str:
    database = conn.execute(sa.text("SELECT current_database()")).scalar_one()
    return f"{database}_members"[:63]


def _ident(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def apply_access(conn: Connection) -> None:
    """The group role, ``hub_member``, the policies' functions, grants and policies, all
    tables of the current schema covered (see the module docstring)."""
    group = members_role(conn)
    q_group = _ident(conn, group)
    database = _ident(conn, conn.execute(sa.text("SELECT current_database()")).scalar_one())
    if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :g"), {"g": group}).first() is None:
        conn.execute(sa.text(f"CREATE ROLE {q_group} NOLOGIN"))
    conn.execute(sa.text(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC"))
    conn.execute(sa.text(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {q_group}"))
    conn.execute(sa.text(f"GRANT USAGE ON SCHEMA public TO {q_group}"))
    conn.execute(sa.text(
        f"CREATE TABLE IF NOT EXISTS {MEMBER_TABLE} ("
        " login TEXT PRIMARY KEY,"
        " role TEXT NOT NULL CHECK (role IN ('coordinator', 'pilot', 'observer')),"
        " person_id UUID REFERENCES person (id),"
        " town_id UUID REFERENCES town (id),"
        " CHECK (role <> 'pilot' OR person_id IS NOT NULL))"))
    for statement in _FUNCTIONS:
        conn.execute(sa.text(statement))
    tables = [n for n in sa.inspect(conn).get_table_names() if n != "alembic_version"]
    conn.execute(sa.text(f"GRANT SELECT ON alembic_version TO {q_group}"))
    from coopterm.store.sync import sync_objects

    sync_objects(conn, group)
    for table in tables:
        q_table = _ident(conn, table)
        conn.execute(sa.text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {q_table} TO {q_group}"))
        conn.execute(sa.text(f"ALTER TABLE {q_table} ENABLE ROW LEVEL SECURITY"))
        for policy in _policies(table):
            name, rest = policy
            conn.execute(sa.text(f"DROP POLICY IF EXISTS {name} ON {q_table}"))
            conn.execute(sa.text(f"CREATE POLICY {name} ON {q_table} {rest}"))


def _policies(table: str) -> Iterator[tuple[str, str]]:
    yield "coopterm_read", "FOR SELECT USING (coopterm_member_role() IS NOT NULL)"
    if table == MEMBER_TABLE:
        return  # granted by the hub's administrator (`hub grant`), who owns the table
    yield ("coopterm_coordinate", "FOR ALL USING (coopterm_member_role() = 'coordinator') "
           "WITH CHECK (coopterm_member_role() = 'coordinator')")
    if table == "meta":  # the hub's clock, which every writer moves on (stamps.py)
        clock = "coopterm_member_role() IN ('coordinator', 'pilot') AND key = 'last_revision'"
        yield "coopterm_clock_update", f"FOR UPDATE USING ({clock}) WITH CHECK ({clock})"
        yield "coopterm_clock_insert", f"FOR INSERT WITH CHECK ({clock})"
    if table in PILOT_WRITES:
        insert, condition = PILOT_WRITES[table]
        rule = f"coopterm_member_role() = 'pilot' AND {condition}"
        yield "coopterm_pilot_update", f"FOR UPDATE USING ({rule}) WITH CHECK ({rule})"
        if insert:
            yield "coopterm_pilot_insert", f"FOR INSERT WITH CHECK ({rule})"


# The functions the policies call.  SECURITY DEFINER: they read hub_member and the link
# tables as their owner, so a policy never recurses into another table's policies, and
# ``session_user`` is the login that connected whatever function is running.
_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION coopterm_member_role() RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
        $$ SELECT role FROM {MEMBER_TABLE} WHERE login = session_user $$""",
    f"""CREATE OR REPLACE FUNCTION coopterm_member_person() RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
        $$ SELECT person_id FROM {MEMBER_TABLE} WHERE login = session_user $$""",
    f"""CREATE OR REPLACE FUNCTION coopterm_member_town() RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
        $$ SELECT COALESCE(m.town_id, p.town_id) FROM {MEMBER_TABLE} m
           LEFT JOIN person p ON p.id = m.person_id WHERE m.login = session_user $$""",
    """CREATE OR REPLACE FUNCTION coopterm_leads(action uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
        $$ SELECT EXISTS (SELECT 1 FROM action_pilot ap WHERE ap.action_id = action
                          AND ap.person_id = coopterm_member_person() AND ap.deleted_at IS NULL) $$""",
    """CREATE OR REPLACE FUNCTION coopterm_meeting_in_town(meeting uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
        $$ SELECT EXISTS (SELECT 1 FROM meeting m WHERE m.id = meeting
                          AND m.town_id = coopterm_member_town()) $$""",
    """CREATE OR REPLACE FUNCTION coopterm_may_write(tbl text, row_id uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT CASE tbl
          WHEN 'action' THEN coopterm_leads(row_id)
          WHEN 'action_town' THEN coopterm_leads((SELECT action_id FROM action_town WHERE id = row_id))
          WHEN 'action_pilot' THEN coopterm_leads((SELECT action_id FROM action_pilot WHERE id = row_id))
          WHEN 'meeting' THEN COALESCE((SELECT town_id = coopterm_member_town() FROM meeting WHERE id = row_id),
                                       false)
          WHEN 'meeting_attendee' THEN coopterm_meeting_in_town(
              (SELECT meeting_id FROM meeting_attendee WHERE id = row_id))
          WHEN 'decision' THEN coopterm_meeting_in_town((SELECT meeting_id FROM decision WHERE id = row_id))
          WHEN 'person' THEN row_id = coopterm_member_person()
          ELSE false END $$""",
)


def grant(url: str, login: str, role: str, *, person: str | None = None, town: str | None = None) -> Member:
    """Make ``login`` a member of the hub at ``url`` with ``role``: the login is created
    when missing (without a password: set one with psql's ``\\password``), joins the
    group role, and its ``hub_member`` row names its person and town."""
    login = login.strip()
    if not login or len(login) > 63 or "\x00" in login:
        raise InvalidInput("hub.bad_login", login=login)
    if role not in ROLES:
        raise InvalidInput("hub.bad_role", role=role, roles=", ".join(ROLES))
    if role == "pilot" and not person:
        raise InvalidInput("hub.pilot_needs_person")
    with hub_transaction(url) as conn:
        if _revision(conn) is None or not sa.inspect(conn).has_table(MEMBER_TABLE):
            raise CooptermError("hub.not_a_hub", url=_shown(url))
        person_id = _one_named(conn, "person", person) if person else None
        town_id = _one_named(conn, "town", town) if town else None
        q_login = _ident(conn, login)
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}).first()
        if not exists:
            conn.execute(sa.text(f"CREATE ROLE {q_login} LOGIN"))
        conn.execute(sa.text(f"GRANT {_ident(conn, members_role(conn))} TO {q_login}"))
        conn.execute(sa.text(
            f"INSERT INTO {MEMBER_TABLE} (login, role, person_id, town_id) VALUES (:l, :r, :p, :t) "
            "ON CONFLICT (login) DO UPDATE SET role = excluded.role, person_id = excluded.person_id, "
            "town_id = excluded.town_id"), {"l": login, "r": role, "p": person_id, "t": town_id})
    return Member(login, role, person, town)


def _one_named(conn: Connection, table: str, name: str) -> uuid.UUID:
    """The live row of ``table`` called ``name`` (case and accents ignored when exact fails)."""
    from coopterm.folding import fold

    rows = conn.execute(sa.text(f"SELECT id, name FROM {table} WHERE deleted_at IS NULL")).all()
    exact = [r.id for r in rows if r.name == name.strip()]
    found = exact or [r.id for r in rows if fold(r.name) == fold(name)]
    if len(found) != 1:
        raise InvalidInput(f"hub.{'no' if not found else 'several'}_{table}", name=name)
    return found[0]
