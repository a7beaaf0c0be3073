"""A process that writes to a coopterm file in a loop, for the crash and two-writer tests.

Run as ``python tests/reliability_writer.py DB TAG [COUNT]``: it opens ``DB``
through ``open_database`` and, over and over, creates an action titled
``TAG-n`` and then changes the notes of one of its earlier actions to
``TAG-n`` (through ``domain.actions``, each in its own ``db.write()``).  Only
*after* a write transaction has returned does it print one line and flush::

    C <action id> <n>      the action TAG-n was created (and committed)
    U <action id> <n>      that action's notes were set to TAG-n (and committed)

so every line the test reads names a change that coopterm reported as saved.
With COUNT it stops after COUNT creations; without, it runs until killed.
The file must already hold a current plan with one défi (the test makes it).
"""

from __future__ import annotations

import sys
import uuid

from sqlmodel import select


def main(argv: list[str]) -> int:
    from coopterm.domain.actions import create_action, update_action
    from coopterm.models import Action, Challenge
    from coopterm.store import open_database

    path, tag = argv[0], argv[1]
    count = int(argv[2]) if len(argv) > 2 else None
    db = open_database(path, create=False)
    with db.read() as session:
        challenge_id = session.exec(select(Challenge.id)).first()
        # Resume after the highest n this tag committed before (the file is reused
        # across kills); numbers are unique per tag so a line names one action.
        titles = session.exec(select(Action.title).where(Action.title.startswith(f"{tag}-"))).all()
    n = max((int(title.rsplit("-", 1)[1]) for title in titles), default=0)
    mine: list[uuid.UUID] = []
    created = 0
    while count is None or created < count:
        n += 1
        with db.write() as session:
            change = create_action(session, {"challenge_id": challenge_id, "title": f"{tag}-{n}",
                                             "progress": n % 101, "notes": f"créée {tag}-{n} ✓"})
        print(f"C {change.id.hex} {n}", flush=True)
        mine.append(change.id)
        created += 1
        target = mine[n % len(mine)]
        with db.write() as session:
            action = session.get(Action, target)
            # No number: the action keeps its own (a merged copy may have given
            # another action the same one, which an explicit number would refuse).
            # The status as it is, as a form sends it (left out, it would read as "planned",
            # which the action's progress contradicts: see domain.actions.agreeing).
            update_action(session, target, {"challenge_id": challenge_id, "title": action.title,
                                            "status": action.status, "progress": action.progress,
                                            "notes": f"{tag}-{n}"})
        print(f"U {target.hex} {n}", flush=True)
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
