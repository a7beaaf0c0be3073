"""Put a plan from a coopterm file on a hub, as the hub's owner, stamps and history as they are
(what a first sync will do; here only to give the access tests a real plan to work on)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from coopterm.models import SYNC_TABLES
from coopterm.store.stamps import KEEP_STAMPS, install_stamping


def copy_plan(db, engine: sa.Engine) -> None:
    install_stamping()
    with db.read() as source, Session(engine) as hub:
        hub.info[KEEP_STAMPS] = True
        for model in SYNC_TABLES:
            hub.add_all(model(**row.model_dump()) for row in source.exec(select(model)))
            hub.flush()
        hub.commit()
