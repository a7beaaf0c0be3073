"""Status and progress agree (``domain.actions.agreeing``): done ⇔ 100 %, progress starts a
planned action, lowering a done one reopens it; the form, the ``+``/``-`` keys and the
status key all follow the one rule."""

from __future__ import annotations

import pytest

from coopterm.domain.actions import action_detail, advance_status, agreeing, create_action, set_progress, update_action
from coopterm.domain.indicators import ActionTally
from coopterm.domain.validation import FormErrors
from coopterm.vocabulary import ActionStatus as S
from tests.domain.test_domain_actions import create, form, world  # noqa: F401  # the fixture

# --- the rule alone -------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "progress", "expected"), [
    (S.DONE, 0, (S.DONE, 100)),            # a new action saved done is at 100 %
    (S.DONE, 40, (S.DONE, 100)),
    (S.IN_PROGRESS, 100, (S.DONE, 100)),   # reaching 100 % is being done
    (S.POSTPONED, 100, (S.DONE, 100)),
    (S.PLANNED, 100, (S.DONE, 100)),
    (S.PLANNED, 30, (S.IN_PROGRESS, 30)),  # progress starts a planned action
    (S.PLANNED, 0, (S.PLANNED, 0)),
    (S.IN_PROGRESS, 0, (S.IN_PROGRESS, 0)),
    (S.POSTPONED, 30, (S.POSTPONED, 30)),  # a postponed action keeps its progress
    (S.ABANDONED, 30, (S.ABANDONED, 30)),  # an abandoned one keeps how far it went
    (S.ABANDONED, 100, (S.ABANDONED, 100)),
])
def test_a_new_action(status, progress, expected):
    assert agreeing(status, progress) == expected


@pytest.mark.parametrize(("before", "after", "expected"), [
    ((S.DONE, 100), (S.DONE, 90), (S.IN_PROGRESS, 90)),          # "-" on a done action
    ((S.PLANNED, 0), (S.PLANNED, 10), (S.IN_PROGRESS, 10)),       # "+" on a planned one
    ((S.IN_PROGRESS, 90), (S.IN_PROGRESS, 100), (S.DONE, 100)),   # "+" up to 100
    ((S.IN_PROGRESS, 60), (S.DONE, 60), (S.DONE, 100)),           # made done in the form
    ((S.IN_PROGRESS, 60), (S.DONE, 80), (S.DONE, 100)),           # both changed: the status wins
    ((S.DONE, 100), (S.IN_PROGRESS, 70), (S.IN_PROGRESS, 70)),    # reopened with a lower progress
    ((S.POSTPONED, 30), (S.POSTPONED, 50), (S.POSTPONED, 50)),
    ((S.ABANDONED, 30), (S.ABANDONED, 100), (S.ABANDONED, 100)),
    ((S.DONE, 90), (S.DONE, 90), (S.DONE, 100)),                  # an old disagreement is settled on save
])
def test_an_edit(before, after, expected):
    assert agreeing(*after, before) == expected


@pytest.mark.parametrize(("before", "after"), [
    ((S.DONE, 100), (S.IN_PROGRESS, 100)),   # reopened but still at 100 %
    ((S.IN_PROGRESS, 40), (S.PLANNED, 40)),  # put back to planned, still at 40 %
])
def test_a_status_the_unchanged_progress_contradicts_asks_for_the_progress(before, after):
    with pytest.raises(FormErrors) as refused:
        agreeing(*after, before)
    assert set(refused.value.errors) == {"progress"}


# --- every write follows it ------------------------------------------------------------------


def state(db, action_id):
    with db.read() as s:
        detail = action_detail(s, action_id)
    return detail.status, detail.progress


def test_the_form_saves_a_new_done_action_at_100(db, world):  # noqa: F811
    made = create(db, world, status="done", progress="")
    assert state(db, made.id) == (S.DONE, 100)
    assert made.tally_delta == ActionTally(1, 1, 0)


def test_the_form_edit_follows_the_rule_and_refuses_a_contradiction(db, world):  # noqa: F811
    made = create(db, world, status="in_progress", progress="100")
    assert state(db, made.id) == (S.DONE, 100)
    with db.write() as s:
        change = update_action(s, made.id, form(world, status="done", progress="60"))
    assert state(db, made.id) == (S.IN_PROGRESS, 60)
    assert change.tally_delta == ActionTally(0, -1, 0)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        update_action(s, made.id, form(world, status="planned", progress="60"))
    assert set(refused.value.errors) == {"progress"}
    assert state(db, made.id) == (S.IN_PROGRESS, 60)


def test_progress_keys_move_the_status(db, world):  # noqa: F811
    made = create(db, world, status="planned")
    with db.write() as s:
        set_progress(s, made.id, 10)
    assert state(db, made.id) == (S.IN_PROGRESS, 10)
    with db.write() as s:
        change = set_progress(s, made.id, 100)
    assert state(db, made.id) == (S.DONE, 100) and change.tally_delta == ActionTally(done=1)
    with db.write() as s:
        change = set_progress(s, made.id, 90)
    assert state(db, made.id) == (S.IN_PROGRESS, 90) and change.tally_delta == ActionTally(done=-1)


def test_progress_of_an_abandoned_action_stays_abandoned(db, world):  # noqa: F811
    made = create(db, world, status="abandoned", progress="30")
    with db.write() as s:
        set_progress(s, made.id, 100)
    assert state(db, made.id) == (S.ABANDONED, 100)


def test_the_status_key_keeps_progress_until_done(db, world):  # noqa: F811
    made = create(db, world, status="postponed", progress="30")
    with db.write() as s:
        advance_status(s, made.id)
    assert state(db, made.id) == (S.IN_PROGRESS, 30)
    with db.write() as s:
        advance_status(s, made.id)
    assert state(db, made.id) == (S.DONE, 100)


def test_create_action_directly_follows_the_rule(db, world):  # noqa: F811
    with db.write() as s:
        made = create_action(s, form(world, status="planned", progress="25"))
    assert state(db, made.id) == (S.IN_PROGRESS, 25)
