"""The four indicators on hand-computed cases, then on a real database."""

import datetime as dt
import sqlite3
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from coopterm import present
from coopterm.domain.indicators import (
    COMPUTED_KEYS,
    TRAJECTORIES,
    ActionTally,
    ProjectTally,
    Status,
    SurveyTally,
    Trajectory,
    completion_rate,
    elapsed_share,
    gauge_fill,
    indicator_status,
    multilateral_share,
    new_projects,
    plan_indicators,
    satisfaction_rate,
)
from coopterm.domain.rows import tombstone
from coopterm.i18n import set_language, t
from coopterm.models import (
    Action,
    ActionTown,
    Challenge,
    Indicator,
    Meeting,
    NewProject,
    Town,
)
from coopterm.ui.widgets.gauge import value_text
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
    assert result["completion_rate"].label == t("indicator.completion_rate")  # named by its key, not its row
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


# --- exact values and statuses (issue 13) -------------------------------------------

SHORT_START, SHORT_END = dt.date(2019, 1, 1), dt.date(2019, 1, 4)
"""A four-day plan: on its third day exactly half of it has elapsed (2 days of 4)."""
HALFWAY, AFTER_END = dt.date(2019, 1, 3), dt.date(2019, 2, 1)

# done (or satisfied, or multilateral) of proposed, and the target it equals exactly;
# x / n * 100 in floats is 57.99999999999999, 56.99999999999999, 57.49999999999999...
EXACT_RATIOS = [(29, 50, 58), (57, 100, 57), (87, 150, 58), (23, 40, 57.5)]


@pytest.mark.parametrize(("part", "whole", "target"), EXACT_RATIOS)
@pytest.mark.parametrize("today", [SHORT_START, HALFWAY, AFTER_END])
def test_a_rate_equal_to_its_target_is_reached(part, whole, target, today):
    rates = {
        Trajectory.CUMULATIVE: completion_rate(ActionTally(proposed=whole, done=part)),
        Trajectory.LEVEL: satisfaction_rate(SurveyTally(satisfied=part, not_satisfied=whole - part)),
    }
    assert multilateral_share(ActionTally(proposed=whole, multilateral=part)) == target
    for trajectory, value in rates.items():
        assert value == target
        assert indicator_status(value, target, trajectory, SHORT_START, SHORT_END, today) is Status.REACHED


def test_cumulative_boundary_halfway_is_exact():
    # 29 of 100 done halfway through, target 58: exactly the 29 % expected by now.
    on_time = completion_rate(ActionTally(proposed=100, done=29))
    assert indicator_status(on_time, 58, Trajectory.CUMULATIVE, SHORT_START, SHORT_END, HALFWAY) is Status.ON_TRACK
    short = completion_rate(ActionTally(proposed=1000, done=289))
    assert indicator_status(short, 58, Trajectory.CUMULATIVE, SHORT_START, SHORT_END, HALFWAY) is Status.AT_RISK
    assert indicator_status(on_time, 58, Trajectory.CUMULATIVE, SHORT_START, SHORT_END, AFTER_END) is Status.AT_RISK


def test_level_boundary_halfway_is_exact():
    # Halfway, a level indicator may fall 5 % of its target short: 57.5 x 0.95 = 54.625.
    at_edge = satisfaction_rate(SurveyTally(satisfied=437, not_satisfied=363))  # 54.625 %
    assert at_edge == Fraction(54625, 1000)
    assert indicator_status(at_edge, 57.5, Trajectory.LEVEL, SHORT_START, SHORT_END, HALFWAY) is Status.ON_TRACK
    below = satisfaction_rate(SurveyTally(satisfied=4369, not_satisfied=3631))  # 54.6125 %
    assert indicator_status(below, 57.5, Trajectory.LEVEL, SHORT_START, SHORT_END, HALFWAY) is Status.AT_RISK
    assert indicator_status(at_edge, 57.5, Trajectory.LEVEL, SHORT_START, SHORT_END, AFTER_END) is Status.AT_RISK


def test_a_typed_decimal_target_is_judged_as_typed():
    # 0.1 + 0.2 is not 0.3 in floats; a measurement of 0.3 against a target of 0.3 is reached.
    assert indicator_status(0.3, 0.3, Trajectory.LEVEL, SHORT_START, SHORT_END, AFTER_END) is Status.REACHED
    assert indicator_status(Fraction(3, 10), 0.3, Trajectory.LEVEL, SHORT_START, SHORT_END, HALFWAY) is Status.REACHED
    assert indicator_status(Fraction(29999, 100000), 0.3, Trajectory.LEVEL, SHORT_START, SHORT_END,
                            AFTER_END) is Status.AT_RISK


def test_gauge_is_full_exactly_at_the_target():
    value = completion_rate(ActionTally(proposed=50, done=29))
    assert gauge_fill(value, 58, "%") == 1.0
    assert gauge_fill(completion_rate(ActionTally(proposed=100, done=29)), 58, "%") == 0.5


@pytest.mark.parametrize(("lang", "text"), [("fr", "6,3\u00a0%"), ("en", "6.3%")])
def test_one_in_sixteen_is_written_half_up(lang, text):
    value = completion_rate(ActionTally(proposed=16, done=1))
    assert value == Fraction(25, 4)
    assert present.percent(value, lang=lang) == text
    assert present.measure(value, "%", lang=lang) == text
    assert present.percent(satisfaction_rate(SurveyTally(satisfied=1, not_satisfied=15)), lang=lang) == text


def test_the_screen_shows_58_of_58_as_reached(db, plan):
    set_language("fr")
    with db.write() as s:
        s.add(Indicator(plan_id=plan.id, key="completion_rate", label="Taux", unit="%", target=58, computed=True))
        c = Challenge(plan_id=plan.id, number=1, title="D1")
        s.add(c)
        s.flush()
        s.add_all(Action(challenge_id=c.id, number=i + 1, title=f"A{i}",
                         status=ActionStatus.DONE if i < 29 else ActionStatus.ABANDONED) for i in range(50))
    for today in (dt.date(2020, 7, 2), dt.date(2022, 3, 1)):
        result = _by_key(db, plan, today)["completion_rate"]
        assert result.status is Status.REACHED
        assert value_text(result) == "58\u00a0% / 58\u00a0%"


# --- property: every indicator against plain SQL and fractions ---------------------------

def _sql_indicators(path) -> dict[str, Fraction | None]:
    """The four values computed apart from the app: plain sqlite3 on the file, Fraction arithmetic."""
    con = sqlite3.connect(path)
    try:
        live_actions = ("FROM action a JOIN challenge c ON c.id = a.challenge_id JOIN plan p ON p.id = c.plan_id "
                        "WHERE a.deleted_at IS NULL AND c.deleted_at IS NULL")
        proposed, done = con.execute(
            f"SELECT count(*), coalesce(sum(a.status = 'done'), 0) {live_actions}").fetchone()
        multilateral = con.execute(
            f"SELECT count(*) {live_actions} AND (SELECT count(DISTINCT at.town_id) FROM action_town at "
            "JOIN town t ON t.id = at.town_id WHERE at.action_id = a.id AND at.deleted_at IS NULL "
            "AND t.deleted_at IS NULL) >= 3").fetchone()[0]
        surveys = con.execute(
            "SELECT survey_very_satisfied, survey_satisfied, survey_not_very_satisfied, survey_not_satisfied "
            "FROM meeting WHERE deleted_at IS NULL").fetchall()
        projects = con.execute("SELECT count(*) FROM new_project WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        con.close()
    happy = sum((v or 0) + (s or 0) for v, s, _, _ in surveys)
    answers = sum(sum(n or 0 for n in row) for row in surveys)
    return {
        "completion_rate": Fraction(done * 100, proposed) if proposed else None,
        "multilateral_share": Fraction(multilateral * 100, proposed) if proposed else None,
        "satisfaction_rate": Fraction(happy * 100, answers) if answers else None,
        "new_projects": Fraction(projects),
    }


def _expected_status(value, target, trajectory, today) -> Status:
    """The status rule of the module docstring, written again with fractions."""
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    if value >= target:
        return Status.REACHED
    if today < START:
        share = Fraction(0)
    elif today >= END:
        share = Fraction(1)
    else:
        share = Fraction((today - START).days, (END - START).days + 1)
    if trajectory is Trajectory.CUMULATIVE:
        expected = target * share
    else:
        expected = target * (1 - Fraction(1, 10) * (1 - share))
    return Status.ON_TRACK if value >= expected else Status.AT_RISK


_targets = st.one_of(st.none(), st.integers(0, 100).map(str), st.sampled_from(["57.5", "62.5", "33.3", "66.7", "0.1"]))
_survey = st.one_of(st.none(), st.tuples(*[st.integers(0, 6)] * 4))


@given(
    actions=st.lists(st.tuples(st.sampled_from(list(ActionStatus)), st.sets(st.integers(0, 4), max_size=5),
                               st.booleans(), st.integers(0, 1)), max_size=12),
    surveys=st.lists(st.tuples(_survey, st.booleans()), max_size=5),
    projects=st.lists(st.tuples(st.sampled_from(list(ProjectScope)), st.booleans()), max_size=5),
    targets=st.tuples(_targets, _targets, _targets, _targets),
    dead_town=st.one_of(st.none(), st.integers(0, 4)),
    dead_challenge=st.booleans(),
    today=st.dates(dt.date(2018, 11, 1), dt.date(2022, 3, 1)),
)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_indicator_matches_plain_sql_and_fractions(tmp_path_factory, actions, surveys, projects, targets,
                                                         dead_town, dead_challenge, today):
    from coopterm.domain.plans import set_current_plan
    from coopterm.models import Plan
    from coopterm.store import open_database

    path = tmp_path_factory.mktemp("prop") / "plan.db"
    db = open_database(path)
    try:
        when = dt.datetime(2020, 3, 1, 9, tzinfo=dt.timezone.utc)
        with db.write() as s:
            plan = Plan(title="Plan", start_date=START, end_date=END)
            s.add(plan)
            s.flush()
            set_current_plan(s, plan.id)
            for key, target in zip(COMPUTED_KEYS, targets):
                s.add(Indicator(plan_id=plan.id, key=key, label=key, unit="%", computed=True,
                                target=None if target is None else float(target)))
            towns = [Town(name=n, deleted_at=when if i == dead_town else None)
                     for i, n in enumerate(("Katowice", "Monastir", "Sierre", "Tamatave", "Lviv"))]
            challenges = [Challenge(plan_id=plan.id, number=1, title="D1"),
                          Challenge(plan_id=plan.id, number=2, title="D2", deleted_at=when if dead_challenge else None)]
            s.add_all(towns + challenges)
            s.flush()
            for number, (status, linked, deleted, challenge) in enumerate(actions, 1):
                action = Action(challenge_id=challenges[challenge].id, number=number, title=f"A{number}",
                                status=status, deleted_at=when if deleted else None)
                s.add(action)
                s.flush()
                s.add_all(ActionTown(action_id=action.id, town_id=towns[i].id) for i in linked)
            for survey, deleted in surveys:
                counts = dict(zip(("survey_very_satisfied", "survey_satisfied", "survey_not_very_satisfied",
                                   "survey_not_satisfied"), survey or (None,) * 4))
                s.add(Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, starts_at=when,
                              deleted_at=when if deleted else None, **counts))
            for number, (scope, deleted) in enumerate(projects):
                s.add(NewProject(plan_id=plan.id, title=f"P{number}", scope=scope,
                                 deleted_at=when if deleted else None))
        with db.read() as s:
            results = {r.key: r for r in plan_indicators(s, s.get_one(Plan, plan.id), today)}
    finally:
        db.close()
    expected = _sql_indicators(path)
    for key, target in zip(COMPUTED_KEYS, targets):
        result = results[key]
        assert result.value == expected[key], key
        assert (result.value is None) == (expected[key] is None)
        exact_target = None if target is None else Fraction(target)
        assert result.status is _expected_status(expected[key], exact_target, TRAJECTORIES[key], today), key


# --- what coopterm status reads ------------------------------------------------------------


def test_status_figures_are_read_from_indexes_without_scanning_or_sorting_a_big_table(demo_db):
    """``coopterm status`` at 100,000 actions spent seconds grouping every town link of the
    file, sorting every lead link and reading every meeting row.  Each of its queries now
    finds a plan's rows through an index that holds what it counts (SQLite plans a query
    the same way on the demo as on a big file when the file holds no statistics)."""
    import re

    from sqlalchemy import event

    from coopterm.domain.plans import current_plan, plan_counts

    seen = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(demo_db.engine, "before_cursor_execute", keep)
    try:
        with demo_db.read() as s:
            plan = current_plan(s)
            plan_counts(s, plan.id)
            plan_indicators(s, plan, dt.date(2021, 6, 14))
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", keep)
    raw = demo_db.connect()
    raw.execute("DROP TABLE IF EXISTS sqlite_stat1")  # the demo's statistics, of small tables
    raw.close()
    raw = demo_db.connect()
    try:
        steps = [row[3] for statement, parameters in seen
                 for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    finally:
        raw.close()
    # (the plan's new projects, a few dozen, are still grouped by scope)
    assert not [s for s in steps if re.search(r"SCAN (action|action_town|action_pilot|meeting)\b|TEMP B-TREE FOR "
                                              r"(count\(DISTINCT\)|DISTINCT)", s)]
    meetings = [s for s in steps if re.search(r"\bmeeting\b", s)]
    assert meetings and all("COVERING INDEX ix_meeting_by_plan" in s for s in meetings)
    assert any("COVERING INDEX ix_action_town_by_action" in s for s in steps)
