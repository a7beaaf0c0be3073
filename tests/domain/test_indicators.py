"""The four indicators on hand-computed cases, then on a real database."""

import datetime as dt

import pytest
from sqlmodel import select

from coopterm.domain.indicators import (
    ActionTally,
    ProjectTally,
    Status,
    SurveyTally,
    Trajectory,
    completion_rate,
    elapsed_share,
    indicator_status,
    multilateral_share,
    new_projects,
    plan_indicators,
    satisfaction_rate,
)
from coopterm.domain.rows import tombstone
from coopterm.models import (
    Action,
    ActionTown,
    Challenge,
    Indicator,
    Meeting,
    NewProject,
    Town,
)
from coopterm.vocabulary import ActionStatus, MeetingKind, ProjectScope

START, END = dt.date(2019, 1, 1), dt.date(2021, 12, 31)


# --- pure functions -------------------------------------------------------

def test_empty_plan_has_no_data_never_zero():
    assert completion_rate(ActionTally()) is None
    assert multilateral_share(ActionTally()) is None
    assert satisfaction_rate(SurveyTally()) is None
    assert new_projects(ProjectTally()).total == 0


def test_all_abandoned_counts_as_proposed_and_not_done():
    tally = ActionTally(proposed=4, done=0, multilateral=0)
    assert completion_rate(tally) == 0.0
    assert multilateral_share(tally) == 0.0


def test_mixed_case_by_hand():
    # 11 actions: 7 done; 9 with three towns or more.
    tally = ActionTally(proposed=11, done=7, multilateral=9)
    assert completion_rate(tally) == pytest.approx(63.636, abs=1e-3)
    assert multilateral_share(tally) == pytest.approx(81.818, abs=1e-3)


def test_satisfaction_counts_the_two_satisfied_answers():
    survey = SurveyTally(very_satisfied=10, satisfied=9, not_very_satisfied=1, not_satisfied=0)
    assert satisfaction_rate(survey) == pytest.approx(95.0)
    assert satisfaction_rate(SurveyTally(not_satisfied=3)) == 0.0


def test_new_projects_counts_bilateral_and_multilateral_apart():
    count = new_projects(ProjectTally(bilateral=2, multilateral=3))
    assert (count.total, count.bilateral, count.multilateral) == (5, 2, 3)


def test_elapsed_share_of_the_period():
    assert elapsed_share(START, END, dt.date(2018, 6, 1)) == 0.0
    assert elapsed_share(START, END, END) == 1.0
    assert elapsed_share(START, END, dt.date(2022, 1, 1)) == 1.0
    assert elapsed_share(START, END, dt.date(2020, 7, 2)) == pytest.approx(548 / 1096)


@pytest.mark.parametrize(
    ("value", "target", "trajectory", "today", "expected"),
    [
        (None, 90, Trajectory.CUMULATIVE, dt.date(2020, 1, 1), Status.NO_DATA),
        (3, None, Trajectory.CUMULATIVE, dt.date(2020, 1, 1), Status.NO_TARGET),
        (90, 90, Trajectory.CUMULATIVE, dt.date(2019, 2, 1), Status.REACHED),
        # halfway through, 45 % of the target is expected for a cumulative indicator
        (46, 90, Trajectory.CUMULATIVE, dt.date(2020, 7, 2), Status.ON_TRACK),
        (40, 90, Trajectory.CUMULATIVE, dt.date(2020, 7, 2), Status.AT_RISK),
        (0, 90, Trajectory.CUMULATIVE, dt.date(2018, 12, 1), Status.ON_TRACK),
        (89, 90, Trajectory.CUMULATIVE, dt.date(2022, 3, 1), Status.AT_RISK),
        # a level indicator may fall short by 10 % of its target at the start, 5 % halfway
        (86, 95, Trajectory.LEVEL, dt.date(2019, 1, 1), Status.ON_TRACK),
        (85, 95, Trajectory.LEVEL, dt.date(2019, 1, 1), Status.AT_RISK),
        (91, 95, Trajectory.LEVEL, dt.date(2020, 7, 2), Status.ON_TRACK),
        (90, 95, Trajectory.LEVEL, dt.date(2020, 7, 2), Status.AT_RISK),
        (94.9, 95, Trajectory.LEVEL, dt.date(2022, 1, 1), Status.AT_RISK),
    ],
)
def test_status_against_the_plan_period(value, target, trajectory, today, expected):
    assert indicator_status(value, target, trajectory, START, END, today) is expected


# --- on a database ----------------------------------------------------------

@pytest.fixture
def towns(db, plan):
    with db.write() as s:
        rows = [Town(name=n) for n in ("Katowice", "Monastir", "Sierre", "Tamatave", "Saint-Étienne")]
        s.add_all(rows)
    return rows


def _by_key(db, plan, today=dt.date(2020, 7, 2)):
    with db.read() as s:
        return {i.key: i for i in plan_indicators(s, plan, today)}


def test_plan_without_anything_reports_no_data(db, plan):
    result = _by_key(db, plan)
    assert [result[k].status for k in ("completion_rate", "satisfaction_rate", "multilateral_share")] == [
        Status.NO_DATA
    ] * 3
    assert result["new_projects"].value == 0
    assert result["new_projects"].status is Status.NO_TARGET


def test_indicators_from_recorded_rows(db, plan, towns):
    when = dt.datetime(2020, 3, 1, 9, tzinfo=dt.timezone.utc)
    with db.write() as s:
        s.add(Indicator(plan_id=plan.id, key="completion_rate", label="Taux", unit="%", target=90, computed=True))
        c = Challenge(plan_id=plan.id, number=1, title="D1")
        s.add(c)
        s.flush()
        statuses = [ActionStatus.DONE, ActionStatus.DONE, ActionStatus.ABANDONED, ActionStatus.IN_PROGRESS]
        actions = [Action(challenge_id=c.id, number=i + 1, title=f"A{i}", status=st) for i, st in enumerate(statuses)]
        s.add_all(actions)
        s.flush()
        # action 0: five towns, action 1: three, action 2: two, action 3: none
        for action, n in zip(actions, (5, 3, 2, 0)):
            s.add_all(ActionTown(action_id=action.id, town_id=t.id) for t in towns[:n])
        s.add(Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=when, survey_very_satisfied=6,
                      survey_satisfied=3, survey_not_very_satisfied=1, survey_not_satisfied=0))
        s.add(Meeting(plan_id=plan.id, kind=MeetingKind.COORDINATION, starts_at=when))  # no survey
        s.add(NewProject(plan_id=plan.id, title="P1", scope=ProjectScope.BILATERAL))
        s.add(NewProject(plan_id=plan.id, title="P2", scope=ProjectScope.MULTILATERAL))
    result = _by_key(db, plan)
    assert result["completion_rate"].value == pytest.approx(50.0)
    assert result["completion_rate"].target == 90
    assert result["completion_rate"].label == "Taux"
    assert result["completion_rate"].status is Status.ON_TRACK  # 50 >= 90 x ~0.5
    assert result["multilateral_share"].value == pytest.approx(50.0)
    assert result["satisfaction_rate"].value == pytest.approx(90.0)
    assert result["new_projects"].value == 2
    assert result["new_projects"].details == {"bilateral": 1, "multilateral": 1}

    # Deleting the abandoned action and one town of action 1 changes both rates.
    with db.write() as s:
        tombstone(s, s.get(Action, actions[2].id))
        link = s.exec(select(ActionTown).where(ActionTown.action_id == actions[1].id)).first()
        tombstone(s, link)
    result = _by_key(db, plan)
    assert result["completion_rate"].value == pytest.approx(200 / 3)
    assert result["multilateral_share"].value == pytest.approx(100 / 3)


def test_actions_of_a_deleted_challenge_are_not_proposed(db, plan):
    with db.write() as s:
        c = Challenge(plan_id=plan.id, number=1, title="D1")
        s.add(c)
        s.flush()
        s.add(Action(challenge_id=c.id, number=1, title="A", status=ActionStatus.DONE))
    assert _by_key(db, plan)["completion_rate"].value == 100.0
    with db.write() as s:
        tombstone(s, s.get(Challenge, c.id))
    assert _by_key(db, plan)["completion_rate"].value is None
