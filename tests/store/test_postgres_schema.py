"""The shared hub is plain PostgreSQL: the same Alembic migrations that build a SQLite file
build coopterm's schema there, equal to the models, with the same rules enforced by the server."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

import coopterm.models  # noqa: F401  (registers the tables)
from coopterm.models import Action, Challenge, History, Plan
from coopterm.store import schema
from coopterm.store.stamps import install_stamping

REPLICA = uuid.UUID("0123456789abcdef0123456789abcdef")


def migrate(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    with engine.connect() as conn, conn.begin():
        command.upgrade(schema._alembic_config(conn), "head")
    return engine


def test_the_migrations_build_the_models_schema_on_postgresql(postgres_server, pg_database):
    engine = migrate(postgres_server.url(pg_database))
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
            differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                           SQLModel.metadata)
        assert differences == []
    finally:
        engine.dispose()


def writer(engine: sa.Engine) -> Session:
    """A session stamped like the store's: revision, replica and history entry at flush."""
    install_stamping()
    session = Session(engine)
    session.info["replica_id"] = REPLICA
    return session


def test_postgresql_keeps_the_rules_the_file_keeps(postgres_server, pg_database):
    """Rows go in stamped and recorded in the history as in a file, and come back as the
    models wrote them; the CHECK constraints are enforced by the server itself."""
    engine = migrate(postgres_server.url(pg_database))
    try:
        with writer(engine) as session:
            plan = Plan(title="Plan « Sierre » 2019–2021", start_date=dt.date(2019, 1, 1),
                        end_date=dt.date(2021, 12, 31), time_zone="Europe/Zurich")
            session.add(plan)
            session.flush()
            challenge = Challenge(plan_id=plan.id, number=1, title="Développer l'entrepreneuriat")
            session.add(challenge)
            session.flush()
            session.add(Action(challenge_id=challenge.id, number=1, title="Rencontres inter-entreprises",
                               progress=40))
            session.commit()
            challenge_id = challenge.id
        with Session(engine) as session:
            action = session.exec(select(Action)).one()
            assert (action.title, action.progress) == ("Rencontres inter-entreprises", 40)
            parent = session.get(Challenge, action.challenge_id)
            assert session.get(Plan, parent.plan_id).title == "Plan « Sierre » 2019–2021"
            assert action.changed_by == REPLICA and action.revision.endswith(REPLICA.hex)
            recorded = session.exec(select(History.table_name).where(History.op == "create")).all()
            assert sorted(recorded) == ["action", "challenge", "plan"]
        with pytest.raises(sa.exc.IntegrityError), writer(engine) as session:  # progress 0–100
            session.add(Action(challenge_id=challenge_id, number=2, title="Trop", progress=150))
            session.commit()
        with pytest.raises(sa.exc.IntegrityError), writer(engine) as session:  # dates in order
            session.add(Plan(title="À l'envers", start_date=dt.date(2021, 1, 1), end_date=dt.date(2019, 1, 1)))
            session.commit()
    finally:
        engine.dispose()
