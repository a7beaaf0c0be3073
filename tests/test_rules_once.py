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


# --- (b) the satisfaction formula -----------------------------------------------------------


def _satisfaction_faces(db, plan, today):
    """The plan's satisfaction as the dashboard and the report show it, the report's per
    meeting, and the survey counts of the meetings the report lists."""
    from sqlmodel import select

    from coopterm.domain.dashboard import load_dashboard
    from coopterm.domain.meetings import SURVEY_FIELDS
    from coopterm.domain.report import build_report
    from coopterm.models import Meeting

    with db.read() as s:
        dashboard = {r.key: r.value for r in load_dashboard(s, plan.id, today).indicators}
        report = build_report(s, plan, today)
        counts = {m.starts_at.replace(tzinfo=None): [getattr(m, f) for f in SURVEY_FIELDS]
                  for m in s.exec(select(Meeting).where(Meeting.plan_id == plan.id, Meeting.deleted_at.is_(None)))}
    in_report = {r.key: r.value for r in report.indicators}
    return dashboard["satisfaction_rate"], in_report["satisfaction_rate"], report.meetings, counts


def _expected(counts):
    from coopterm.domain.indicators import SurveyTally, satisfaction_rate

    surveyed = [c for c in counts if None not in c]
    return satisfaction_rate(SurveyTally(*(sum(column) for column in zip(*surveyed)))) if surveyed else None


def test_the_satisfaction_formula_is_written_once():
    from coopterm.domain import indicators, meetings

    assert meetings.satisfaction_rate is indicators.satisfaction_rate
    for counts in [(3, 1, 0, 0), (0, 0, 0, 0), (1, 2, 3, 4), (0, 0, 0, 7), (5, 0, 0, 0)]:
        assert meetings.satisfaction(counts) == indicators.satisfaction_rate(indicators.SurveyTally(*counts))
    assert meetings.satisfaction((None, None, None, None)) is None


def test_dashboard_and_report_agree_on_satisfaction_in_the_demo(demo_db):
    from coopterm.domain.plans import current_plan

    with demo_db.read() as s:
        plan = current_plan(s)
    today = plan.end_date + dt.timedelta(days=1)  # every meeting held
    dashboard, report, meetings, counts = _satisfaction_faces(demo_db, plan, today)
    assert dashboard is not None and dashboard == report == pytest.approx(_expected(counts.values()))
    assert len(meetings) == len(counts)
    for m in meetings:
        assert m.satisfaction == _expected([counts[m.starts_at.replace(tzinfo=None)]])


def test_dashboard_and_report_agree_on_satisfaction_in_a_crafted_plan(db, plan):
    from coopterm.models import Meeting
    from coopterm.vocabulary import MeetingKind

    surveys = [(6, 2, 1, 1), (0, 0, 0, 3), (0, 0, 0, 0), None]
    with db.write() as s:
        for day, survey in enumerate(surveys, start=1):
            fields = dict(zip(("survey_very_satisfied", "survey_satisfied", "survey_not_very_satisfied",
                               "survey_not_satisfied"), survey)) if survey else {}
            s.add(Meeting(plan_id=plan.id, kind=MeetingKind.FORUM, title=f"M{day}",
                          starts_at=dt.datetime(2020, 3, day, 9, tzinfo=dt.timezone.utc), **fields))
    dashboard, report, meetings, counts = _satisfaction_faces(db, plan, TODAY)
    assert dashboard == report == pytest.approx(8 / 13 * 100)
    assert {m.title: m.satisfaction for m in meetings} == {"M1": 80.0, "M2": 0.0, "M3": None, "M4": None}


# --- (c) an action's label in a picker ------------------------------------------------------


def _functions_and_imports(name: str) -> tuple[list[str], set[str]]:
    """Where ``coopterm`` defines a function ``name``, and the modules it is imported from."""
    import ast
    from pathlib import Path

    import coopterm

    root = Path(coopterm.__file__).parent
    defined, imported = [], set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                defined.append(path.relative_to(root).as_posix())
            elif isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names):
                imported.add(node.module or "")
    return defined, imported


def test_every_action_picker_uses_the_one_label(demo_db):
    import re

    from sqlmodel import select

    from coopterm.domain import actions, meetings
    from coopterm.domain.numbering import action_label
    from coopterm.domain.plans import current_plan
    from coopterm.models import Action, Challenge

    defined, imported = _functions_and_imports("action_choices")
    assert defined == ["domain/actions.py"]
    assert imported == {"coopterm.domain.actions"}  # the meetings form, the funding and project forms
    assert meetings.action_choices is actions.action_choices
    with demo_db.read() as s:
        plan = current_plan(s)
        rows = s.exec(select(Action, Challenge).join(Challenge, Challenge.id == Action.challenge_id)
                      .where(Challenge.plan_id == plan.id, Action.deleted_at.is_(None),
                             Challenge.deleted_at.is_(None))).all()
        expected = {a.id: action_label(c, a) for a, c in rows}
        assert dict(actions.action_choices(s, plan.id)) == expected
        assert dict(meetings.meeting_form_context(s, plan.id, None, TODAY).actions) == expected
    assert expected and all(re.fullmatch(r"(T|\d+)\.\d+ \u2014 .+", label, re.S) for label in expected.values())


# --- (d) UTC datetimes and the start of a day -----------------------------------------------


def test_utc_and_day_start_are_written_once():
    from coopterm.clock import as_utc, day_start

    for name in ("as_utc", "day_start"):
        defined, imported = _functions_and_imports(name)
        assert defined == ["clock.py"]
        assert imported <= {"coopterm.clock"}
    for name in ("_utc", "_day_start"):
        assert _functions_and_imports(name)[0] == []
    utc = dt.timezone.utc
    assert as_utc(dt.datetime(2021, 3, 9, 23, 30)) == dt.datetime(2021, 3, 9, 23, 30, tzinfo=utc)
    paris = dt.datetime(2021, 3, 10, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert as_utc(paris).tzinfo is utc and as_utc(paris).date() == dt.date(2021, 3, 9)
    assert day_start(dt.date(2021, 3, 10)) == dt.datetime(2021, 3, 10, tzinfo=utc)


def test_every_filter_on_a_day_cuts_at_midnight_utc(db, plan):
    from coopterm.domain.cadence import last_held
    from coopterm.domain.history import history_since
    from coopterm.domain.meetings import MeetingQuery, fetch_meetings
    from coopterm.domain.report import build_report
    from coopterm.models import Meeting
    from coopterm.vocabulary import MeetingKind

    utc = dt.timezone.utc
    with db.write() as s:
        for title, when in [("before", dt.datetime(2021, 3, 9, 23, 59, 59, tzinfo=utc)),
                            ("after", dt.datetime(2021, 3, 10, 0, 0, tzinfo=utc))]:
            s.add(Meeting(plan_id=plan.id, kind=MeetingKind.COORDINATION, title=title, starts_at=when))
    day = dt.date(2021, 3, 10)
    eve = day - dt.timedelta(days=1)
    coordination = (MeetingKind.COORDINATION, None)
    with db.read() as s:
        assert [m.title for m in fetch_meetings(s, plan.id, MeetingQuery(date_from=day))] == ["after"]
        assert [m.title for m in fetch_meetings(s, plan.id, MeetingQuery(date_to=eve))] == ["before"]
        assert [m.title for m in build_report(s, plan, eve).meetings] == ["before"]
        assert last_held(s, plan, eve) == {coordination: eve}
        assert last_held(s, plan, day) == {coordination: day}
        today = dt.datetime.now(utc).date()
        assert history_since(s, today + dt.timedelta(days=1)) == []
        assert history_since(s, today)


# --- (e) the action tally: two query shapes of one rule ------------------------------------


def test_the_plan_tally_and_the_per_action_tally_agree(demo_db):
    """``indicators.tally_actions`` (grouped, for the gauges) and ``actions.tally_where``
    (per action, for a save) count the same way: on the demo, after a deleted town link,
    a deleted town and a deleted défi, the plan's tally is the sum of its actions'."""
    import datetime as dt

    from sqlmodel import select

    from coopterm.domain.actions import action_contribution, tally_where
    from coopterm.domain.indicators import ActionTally, tally_actions
    from coopterm.domain.plans import current_plan
    from coopterm.models import Action, ActionTown, Challenge, Town

    now = dt.datetime(2021, 6, 15, tzinfo=dt.timezone.utc)
    with demo_db.write() as s:
        s.exec(select(ActionTown)).first().deleted_at = now
        s.exec(select(Town).order_by(Town.name)).first().deleted_at = now
        s.exec(select(Challenge).where(Challenge.number == 3)).first().deleted_at = now
    with demo_db.read() as s:
        plan = current_plan(s)
        whole = tally_actions(s, plan.id)
        actions = s.exec(select(Action).join(Challenge).where(Challenge.plan_id == plan.id)).all()
        parts = [action_contribution(s, a.id) for a in actions]
        assert tally_where(s, Challenge.plan_id == plan.id) == whole
    summed = ActionTally(sum(p.proposed for p in parts), sum(p.done for p in parts),
                         sum(p.multilateral for p in parts))
    assert summed == whole
    assert 0 < whole.multilateral < whole.proposed
