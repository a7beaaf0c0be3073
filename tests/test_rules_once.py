"""Each rule of the plan is written once (issue 12, item 3): every face that applies
a rule uses the one definition, checked here by identity or by its behaviour on
every case the rule covers."""

from __future__ import annotations

import datetime as dt

import pytest

from coopterm import vocabulary
from coopterm.domain.actions import action_detail, advance_status, create_action
from coopterm.domain.challenges import create_challenge
from coopterm.domain.persons import create_person, fetch_people, person_detail
from coopterm.vocabulary import CLOSED_STATUSES, NEXT_STATUS, OPEN_STATUSES, ActionStatus

TODAY = dt.date(2021, 6, 14)


# --- (a) open and closed statuses, the next status ----------------------------------------


def test_the_status_families_are_the_vocabulary_s_and_split_every_status():
    from coopterm.domain import actions, persons, report

    assert persons.OPEN_STATUSES is OPEN_STATUSES
    assert actions.NEXT_STATUS is NEXT_STATUS
    assert not hasattr(report, "CLOSED")
    assert set(OPEN_STATUSES) | set(CLOSED_STATUSES) == set(ActionStatus)
    assert not set(OPEN_STATUSES) & set(CLOSED_STATUSES)
    assert set(NEXT_STATUS) == set(OPEN_STATUSES)
    assert vocabulary.NEXT_STATUS is NEXT_STATUS


@pytest.fixture
def one_action_per_status(db, plan):
    """A person leading one action in each status, each due before TODAY."""
    with db.write() as s:
        challenge = create_challenge(s, plan.id, {"title": "Jeunesse"}).id
        emma = create_person(s, plan.id, {"name": "Emma"}).id
        ids = {status: create_action(s, {"challenge_id": challenge, "title": status.value, "status": status,
                                         "pilots": [emma], "due_date": "2021-01-31"}).id
               for status in ActionStatus}
    return emma, ids


def test_every_face_opens_and_closes_the_same_statuses(db, plan, one_action_per_status):
    from coopterm.domain.report import build_report, is_late

    emma, ids = one_action_per_status
    with db.read() as s:
        # the pilots' load: the table's count (SQL) and the detail's (Python)
        assert [r.load for r in fetch_people(s, plan.id)] == [len(OPEN_STATUSES)]
        assert person_detail(s, emma, plan.id).load == len(OPEN_STATUSES)
        # the report's late list
        late = build_report(s, plan, TODAY).late_actions
    assert {a.status for a in late} == set(OPEN_STATUSES)
    for status in ActionStatus:
        assert is_late(status, TODAY - dt.timedelta(days=1), TODAY) is (status in OPEN_STATUSES)
    # the status key: each open status moves to its next one, a closed one stays
    for status, action_id in ids.items():
        with db.write() as s:
            change = advance_status(s, action_id)
        with db.read() as s:
            now = action_detail(s, action_id).status
        assert change.changed is (status in OPEN_STATUSES)
        assert now is NEXT_STATUS.get(status, status)
