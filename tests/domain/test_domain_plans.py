"""Plans in the domain layer (``coopterm.domain.plans``), directly over a session: which
plan is current, what a plan counts (checked against plain SQL on the file), a new plan
from its form (towns typed in one field, or the défis and towns of another plan), its
refusals that write nothing, its edits, and the plans table and form."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest
from sqlmodel import select

from coopterm.domain.actions import create_action, delete_action
from coopterm.domain.challenges import create_challenge, delete_challenge
from coopterm.domain.meetings import delete_meeting
from coopterm.domain.persons import add_town, delete_person
from coopterm.domain.plans import (
    PlanCounts,
    create_plan,
    current_plan,
    list_plans,
    plan_counts,
    plan_form_values,
    plan_rows,
    set_current_plan,
    update_plan,
)
from coopterm.domain.projects import delete_project
from coopterm.domain.rows import tombstone
from coopterm.domain.validation import TITLE_MAX, FormErrors
from coopterm.i18n import set_language, t
from coopterm.models import (
    Action,
    ActionPilot,
    Challenge,
    History,
    Meeting,
    NewProject,
    Plan,
    PlanTown,
    Town,
)
from coopterm.vocabulary import MeetingKind
from tests.helpers import file_contents, revisions
from tests.sqlite_steps import steps

FORM = {"title": "Plan 2022-2024", "start_date": "2022-01-01", "end_date": "2024-12-31",
        "towns": "Katowice (Pologne), Monastir (Tunisie)"}
EDIT = {"title": "Plan", "start_date": "2019-01-01", "end_date": "2021-12-31", "vision": "",
        "tech_group_every_weeks": "6", "coordination_every_weeks": "8", "time_zone": "UTC"}
"""The edit form of the ``plan`` fixture, as it starts."""

WRITTEN = (Plan, Town, PlanTown, Challenge, Action)


def form(**changes):
    return {**FORM, **changes}


def new_plan(db, copy_from=None, **changes):
    with db.write() as s:
        return create_plan(s, form(**changes), copy_from=copy_from)


def towns_of(db, plan_id):
    """(name, country) of the plan's live towns, by name."""
    with db.read() as s:
        rows = s.exec(select(Town).join(PlanTown, PlanTown.town_id == Town.id)
                      .where(PlanTown.plan_id == plan_id, PlanTown.deleted_at.is_(None),
                             Town.deleted_at.is_(None))).all()
        return sorted((town.name, town.country) for town in rows)


# --- list_plans, current_plan, set_current_plan ----------------------------------------------


def test_no_plan(db):
    with db.read() as s:
        assert list_plans(s) == [] and current_plan(s) is None and plan_rows(s) == []


def test_plans_are_listed_by_period_and_the_latest_made_is_current(db):
    late = new_plan(db, title="C", start_date="2022-01-01", end_date="2024-12-31")
    early = new_plan(db, title="A", start_date="2016-01-01", end_date="2018-12-31")
    middle = new_plan(db, title="B", start_date="2019-01-01", end_date="2021-12-31")
    with db.read() as s:
        assert [p.title for p in list_plans(s)] == ["A", "B", "C"]
        assert current_plan(s).id == middle  # create_plan makes the new plan current
    with db.write() as s:
        set_current_plan(s, early)
    with db.read() as s:
        assert current_plan(s).id == early
    with db.write() as s:
        set_current_plan(s, late)
    with db.read() as s:
        assert current_plan(s).id == late
    conn = sqlite3.connect(db.path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'current_plan'").fetchall() == [(late.hex,)]
    conn.close()


def test_choosing_the_current_plan_is_local_and_records_no_history(db):
    first = new_plan(db, title="A", start_date="2016-01-01", end_date="2018-12-31")
    new_plan(db, title="B")
    before = file_contents(db.path, skip=("meta",))
    with db.write() as s:
        set_current_plan(s, first)
    assert file_contents(db.path, skip=("meta",)) == before
    with db.read() as s:
        assert current_plan(s).id == first


def test_a_deleted_current_plan_gives_way_to_the_latest_period(db):
    late = new_plan(db, title="C", start_date="2022-01-01", end_date="2024-12-31")
    early = new_plan(db, title="A", start_date="2016-01-01", end_date="2018-12-31")
    new_plan(db, title="B", start_date="2019-01-01", end_date="2021-12-31")
    with db.write() as s:
        set_current_plan(s, early)
    with db.write() as s:
        tombstone(s, s.get(Plan, early))
    with db.read() as s:
        assert [p.title for p in list_plans(s)] == ["B", "C"]
        assert current_plan(s).id == late  # not B, made last, but C, the latest period
        assert [(r.title, r.current) for r in plan_rows(s)] == [("B", False), ("C", True)]
    with db.write() as s:
        for plan in list_plans(s):
            tombstone(s, plan)
    with db.read() as s:
        assert list_plans(s) == [] and current_plan(s) is None  # meta still names a deleted plan


# --- plan_counts on the demo, against plain SQL ------------------------------------------------


def test_the_plans_table_counts_defis_and_actions_only(db, plan):
    """The plans screen shows défis and actions: its rows do not count meetings or leads,
    which read every meeting and every action of each plan."""
    with db.write() as s:
        challenge = Challenge(plan_id=plan.id, number=1, title="Jeunesse")
        s.add(challenge)
        s.flush()
        s.add_all(Action(challenge_id=challenge.id, number=1 + i, title=f"Fiche {i}") for i in range(3))
    small = steps(db, plan_rows)
    with db.write() as s:
        start = dt.datetime(2019, 1, 1, 9, tzinfo=dt.timezone.utc)
        s.add_all(Meeting(plan_id=plan.id, kind=MeetingKind.COORDINATION, title=f"Réunion {i}",
                          starts_at=start + dt.timedelta(days=i)) for i in range(2000))
    with db.read() as s:
        [row] = plan_rows(s)
    assert (row.challenges, row.actions) == (1, 3)
    assert steps(db, plan_rows) < 2 * small


def sql_counts(path, plan_id):
    conn = sqlite3.connect(path)
    try:
        def one(query):
            return conn.execute(query, {"p": plan_id.hex}).fetchone()[0]

        live_actions = ("FROM action a JOIN challenge c ON c.id = a.challenge_id "
                        "WHERE c.plan_id = :p AND a.deleted_at IS NULL AND c.deleted_at IS NULL")
        return PlanCounts(
            challenges=one("SELECT count(*) FROM challenge WHERE plan_id = :p AND deleted_at IS NULL"),
            actions=one(f"SELECT count(*) {live_actions}"),
            pilots=one("SELECT count(DISTINCT ap.person_id) FROM action_pilot ap "
                       "JOIN person pe ON pe.id = ap.person_id "
                       "WHERE ap.deleted_at IS NULL AND pe.deleted_at IS NULL "
                       f"AND ap.action_id IN (SELECT a.id {live_actions})"),
            towns=one("SELECT count(DISTINCT pt.town_id) FROM plan_town pt JOIN town t ON t.id = pt.town_id "
                      "WHERE pt.plan_id = :p AND pt.deleted_at IS NULL AND t.deleted_at IS NULL"),
            meetings=one("SELECT count(*) FROM meeting WHERE plan_id = :p AND deleted_at IS NULL"),
            new_projects=one("SELECT count(*) FROM new_project WHERE plan_id = :p AND deleted_at IS NULL"),
        )
    finally:
        conn.close()


def test_plan_counts_agree_with_plain_sql_on_the_demo(demo_db):
    with demo_db.read() as s:
        plans = [p.id for p in list_plans(s)]
        counted = [plan_counts(s, p) for p in plans]
        current = current_plan(s).id
    assert len(plans) == 2
    assert counted == [sql_counts(demo_db.path, p) for p in plans]
    before = counted[plans.index(current)]
    assert all(before.as_dict().values()), before  # the current plan holds some of everything
    assert counted[0].as_dict() == {"challenges": 4, "actions": 9, "pilots": 0, "towns": 2, "meetings": 0,
                                    "new_projects": 0}  # the older plan: no leads named, no meetings
    # Deleted rows stop counting: an action, a défi with its actions, a lead, a town of the
    # plan, a meeting and a new project, each through the domain's own writes.
    with demo_db.write() as s:
        challenges = s.exec(select(Challenge).where(Challenge.plan_id == current, Challenge.number >= 1)
                            .order_by(Challenge.number)).all()
        first, second = challenges[0], challenges[1]
        action = s.exec(select(Action).where(Action.challenge_id == first.id).order_by(Action.number)).first()
        delete_action(s, action.id)
        delete_challenge(s, second.id)
        lead = s.exec(select(ActionPilot.person_id).join(Action, Action.id == ActionPilot.action_id)
                      .where(Action.challenge_id == first.id, Action.deleted_at.is_(None),
                             ActionPilot.deleted_at.is_(None))).first()
        delete_person(s, current, lead)
        tombstone(s, s.exec(select(PlanTown).where(PlanTown.plan_id == current)).first())
        delete_meeting(s, s.exec(select(Meeting.id).where(Meeting.plan_id == current)).first())
        delete_project(s, s.exec(select(NewProject.id).where(NewProject.plan_id == current)).first())
    with demo_db.read() as s:
        after = plan_counts(s, current)
        other = plan_counts(s, plans[0])
    assert after == sql_counts(demo_db.path, current)
    assert other == counted[0] == sql_counts(demo_db.path, plans[0])  # the other plan is untouched
    assert after.challenges == before.challenges - 1
    assert after.actions < before.actions - 1
    assert after.towns == before.towns - 1
    assert after.meetings == before.meetings - 1
    assert after.new_projects == before.new_projects - 1
    assert after.pilots < before.pilots


# --- create_plan ---------------------------------------------------------------------------------


def test_a_new_plan_names_its_towns_in_one_field(db):
    plan_id = new_plan(db)
    with db.read() as s:
        plan = s.get(Plan, plan_id)
        assert (plan.title, plan.start_date.isoformat(), plan.end_date.isoformat()) == (
            "Plan 2022-2024", "2022-01-01", "2024-12-31")
        assert (plan.tech_group_every_weeks, plan.coordination_every_weeks, plan.vision) == (6, 8, "")
        assert current_plan(s).id == plan_id
        recorded = sorted((h.table_name, h.op) for h in s.exec(select(History)))
    assert towns_of(db, plan_id) == [("Katowice", "Pologne"), ("Monastir", "Tunisie")]
    assert recorded == sorted([("plan", "create"), ("town", "create"), ("town", "create"),
                               ("plan_town", "create"), ("plan_town", "create")])


def test_blanks_and_duplicates_in_the_towns_field(db):
    plan_id = new_plan(db, title="  Plan 2022-2024  ",
                       towns=" Sierre ,, , Tamatave(Madagascar) ,katowice (Pologne), KATOWICE,Sierre")
    with db.read() as s:
        assert s.get(Plan, plan_id).title == "Plan 2022-2024"
        assert len(s.exec(select(Town)).all()) == 3
        assert len(s.exec(select(PlanTown)).all()) == 3
    assert towns_of(db, plan_id) == [("Sierre", ""), ("Tamatave", "Madagascar"), ("katowice", "Pologne")]


def test_a_known_town_is_reused_and_a_deleted_one_is_not(db):
    first = new_plan(db, towns="Katowice (Pologne), Sierre (Suisse)")
    with db.read() as s:
        known = {town.name: town.id for town in s.exec(select(Town))}
    with db.write() as s:
        tombstone(s, s.get(Town, known["Sierre"]))
    second = new_plan(db, title="Suite", towns="KATOWICE (Polska), Sierre, Saint-Étienne (France)")
    with db.read() as s:
        towns = s.exec(select(Town).where(Town.deleted_at.is_(None))).all()
        linked = {link.town_id for link in s.exec(select(PlanTown).where(PlanTown.plan_id == second))}
    by_name = {town.name: town for town in towns}
    assert sorted(by_name) == ["Katowice", "Saint-Étienne", "Sierre"]
    assert by_name["Katowice"].id == known["Katowice"] and by_name["Katowice"].country == "Pologne"
    assert by_name["Sierre"].id != known["Sierre"]  # the deleted Sierre is not brought back
    assert linked == {town.id for town in towns}
    assert towns_of(db, first) == [("Katowice", "Pologne")]  # the first plan's deleted town is not counted


@pytest.fixture
def source(db, plan):
    """The ``plan`` fixture made a source to copy from: défis T, 1, 2 and a deleted 3, an
    action, three towns one of which has left the plan, its own rhythm and vision."""
    with db.write() as s:
        create_challenge(s, plan.id, {"title": "Structurer", "description": "Le défi transversal",
                                      "transversal": True})
        one = create_challenge(s, plan.id, {"number": "1", "title": "Insertion", "description": "Emploi"}).id
        create_challenge(s, plan.id, {"number": "2", "title": "Jeunesse"})
        three = create_challenge(s, plan.id, {"number": "3", "title": "Culture"}).id
        for name in ("Katowice", "Monastir", "Sierre"):
            add_town(s, plan.id, {"name": name})
    with db.write() as s:
        create_action(s, {"challenge_id": one, "title": "Mobiliser les employeurs"})
        delete_challenge(s, three)
        sierre = s.exec(select(Town).where(Town.name == "Sierre")).one()
        tombstone(s, s.exec(select(PlanTown).where(PlanTown.town_id == sierre.id)).one())
        update_plan(s, plan.id, {**EDIT, "vision": "Cinq villes", "tech_group_every_weeks": "4",
                                 "coordination_every_weeks": "10"})
    return plan


def challenges_of(db, plan_id):
    with db.read() as s:
        return sorted((c.number, c.title, c.description, c.transversal) for c in s.exec(
            select(Challenge).where(Challenge.plan_id == plan_id, Challenge.deleted_at.is_(None))))


def test_copy_from_takes_the_defis_towns_and_rhythm_but_no_action(db, source):
    before = revisions(db, *WRITTEN)
    copy = new_plan(db, copy_from=source.id, title="Suite", towns="monastir, Tamatave (Madagascar)")
    with db.read() as s:
        plan = s.get(Plan, copy)
        counts = plan_counts(s, copy)
        assert current_plan(s).id == copy
        copied = s.exec(select(Challenge).where(Challenge.plan_id == copy)).all()
        originals = {c.id for c in s.exec(select(Challenge).where(Challenge.plan_id == source.id))}
        links = s.exec(select(PlanTown).where(PlanTown.plan_id == copy)).all()
    assert (plan.title, plan.tech_group_every_weeks, plan.coordination_every_weeks) == ("Suite", 4, 10)
    assert plan.vision == ""  # the vision is the new plan's own
    assert challenges_of(db, copy) == [(0, "Structurer", "Le défi transversal", True),
                                       (1, "Insertion", "Emploi", False), (2, "Jeunesse", "", False)]
    assert not {c.id for c in copied} & originals
    assert counts == PlanCounts(challenges=3, actions=0, pilots=0, towns=3, meetings=0, new_projects=0)
    assert towns_of(db, copy) == [("Katowice", ""), ("Monastir", ""), ("Tamatave", "Madagascar")]
    assert len(links) == 3  # Monastir, named again, is linked once
    after = revisions(db, *WRITTEN)
    for old, new in zip(before, after, strict=True):
        assert set(old) <= set(new)  # the source's rows are untouched
    assert after[WRITTEN.index(Action)] == before[WRITTEN.index(Action)]  # no action copied


def test_copy_from_may_leave_the_towns_field_empty(db, source):
    copy = new_plan(db, copy_from=source.id, title="Suite", towns="  ")
    assert towns_of(db, copy) == [("Katowice", ""), ("Monastir", "")]
    assert len(challenges_of(db, copy)) == 3


# --- refusals write nothing ---------------------------------------------------------------------

TITLE = "The title is required."
DATE = "Invalid date: write it YYYY-MM-DD or DD/MM/YYYY."
REQUIRED = "This date is required."
BEFORE = "The end of the period cannot be before its start."
TOWNS = "Name at least one partner town."
GONE = "That plan no longer exists."
RHYTHM = "A whole number of weeks from 1 to 52."


@pytest.mark.parametrize(("changes", "errors"), [
    ({"title": ""}, {"title": TITLE}),
    ({"title": " \t "}, {"title": TITLE}),
    ({"end_date": "2021-12-31"}, {"end_date": BEFORE}),
    ({"start_date": "31/02/2022"}, {"start_date": DATE}),
    ({"end_date": "demain"}, {"end_date": DATE}),
    ({"start_date": "2022-1-1"}, {"start_date": DATE}),
    ({"start_date": ""}, {"start_date": REQUIRED}),
    ({"towns": " , ,"}, {"towns": TOWNS}),
    ({"title": "", "start_date": "x", "end_date": None, "towns": ""},
     {"title": TITLE, "start_date": DATE, "end_date": REQUIRED, "towns": TOWNS}),
])
def test_a_refused_new_plan_leaves_the_file_as_it_was(db, plan, changes, errors):
    before, rows = file_contents(db.path), revisions(db, *WRITTEN)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        create_plan(s, form(**changes))
    assert refused.value.errors == errors
    assert revisions(db, *WRITTEN) == rows
    assert file_contents(db.path) == before


@pytest.mark.parametrize("gone", ["deleted", "unknown"])
def test_copying_from_a_plan_that_is_gone_is_refused(db, source, gone):
    target = source.id if gone == "deleted" else uuid.UUID("0123456789abcdef0123456789abcdef")
    if gone == "deleted":
        with db.write() as s:
            tombstone(s, s.get(Plan, source.id))
    before = file_contents(db.path)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        create_plan(s, form(towns="Sierre"), copy_from=target)
    assert refused.value.errors == {"copy_from": GONE}
    assert file_contents(db.path) == before


def test_refusals_are_said_in_french(db, plan):
    set_language("fr")
    with pytest.raises(FormErrors) as refused, db.write() as s:
        create_plan(s, form(title="", end_date="01/01/2020"))
    assert refused.value.errors == {"title": "Le titre est obligatoire.",
                                    "end_date": "La fin de la période ne peut pas précéder son début."}
    assert str(refused.value).startswith("Le formulaire contient des erreurs")


@pytest.mark.parametrize("write", ["create", "update"])
def test_a_too_long_title_is_refused_and_writes_nothing(db, plan, write):
    long = "x" * (TITLE_MAX + 1)
    before = file_contents(db.path)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        if write == "create":
            create_plan(s, form(title=long))
        else:
            update_plan(s, plan.id, {**EDIT, "title": long})
    assert refused.value.errors == {"title": t("form.error.title_too_long", length=TITLE_MAX + 1, max=TITLE_MAX)}
    assert file_contents(db.path) == before


def test_a_country_without_a_town_makes_no_nameless_town(db, plan):
    try:
        new_plan(db, towns="Katowice, (Pologne)")
    except FormErrors as refused:
        assert "towns" in refused.errors
    with db.read() as s:
        assert [town.name for town in s.exec(select(Town)) if not town.name.strip()] == []


def test_a_known_town_is_reused_whatever_its_spacing(db, plan):
    with db.write() as s:
        add_town(s, plan.id, {"name": "Le Havre"})
    new_plan(db, towns="Le  Havre")
    with db.read() as s:
        assert [town.name for town in s.exec(select(Town))] == ["Le Havre"]



NAMELESS = ("“(Pologne)” names no town: write the town, then its country in brackets, "
            "as in Katowice (Poland).")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_part_without_a_town_is_refused_in_words_and_writes_nothing(db, plan, lang):
    set_language(lang)
    before = file_contents(db.path)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        create_plan(s, form(towns="Katowice, (Pologne)"))
    assert refused.value.errors == {"towns": NAMELESS if lang == "en" else (
        "« (Pologne) » ne nomme aucune ville : écrivez la ville, puis son pays entre parenthèses, "
        "comme Katowice (Pologne).")}
    assert file_contents(db.path) == before


def test_each_town_of_the_field_is_checked_as_the_town_form_checks_it(db, plan):
    before = file_contents(db.path)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        create_plan(s, form(towns=f"(Pologne), Monastir, {'x' * 201}, ()"))
    assert refused.value.errors == {"towns": " ".join([
        NAMELESS, t("pilots.error.name_too_long", length=201, max=200),
        NAMELESS.replace("(Pologne)", "()")])}
    assert file_contents(db.path) == before


def test_a_new_town_is_named_as_the_town_form_names_it(db):
    plan_id = new_plan(db, towns="Saint  Étienne ( France ), Le\tHavre")
    assert towns_of(db, plan_id) == [("Le Havre", ""), ("Saint Étienne", "France")]


def test_a_known_town_without_a_country_gets_the_one_typed_as_add_town_does(db, plan):
    with db.write() as s:
        add_town(s, plan.id, {"name": "Sierre"})
        add_town(s, plan.id, {"name": "Katowice", "country": "Pologne"})
    second = new_plan(db, title="Suite", towns="sierre (Suisse), Katowice (Polska)")
    with db.read() as s:
        assert sorted((town.name, town.country) for town in s.exec(select(Town))) == [
            ("Katowice", "Pologne"), ("Sierre", "Suisse")]  # filled in, not overwritten
    assert towns_of(db, second) == [("Katowice", "Pologne"), ("Sierre", "Suisse")]
    assert towns_of(db, plan.id) == [("Katowice", "Pologne"), ("Sierre", "Suisse")]

# --- update_plan ----------------------------------------------------------------------------


def test_update_plan_changes_what_the_form_says(db, plan):
    with db.write() as s:
        assert update_plan(s, plan.id, {"title": " Plan 2019-2022 ", "start_date": "01/02/2019",
                                        "end_date": "2022-06-30", "vision": "  Cinq villes  ",
                                        "tech_group_every_weeks": " 4 ", "coordination_every_weeks": "52",
                                        "time_zone": " Europe/Paris "}) == plan.id
    with db.read() as s:
        row = s.get(Plan, plan.id)
        (entry,) = s.exec(select(History).where(History.row_id == plan.id, History.op == "update")).all()
        values = plan_form_values(s, plan.id)
    assert values == {"title": "Plan 2019-2022", "start_date": "2019-02-01", "end_date": "2022-06-30",
                      "vision": "Cinq villes", "tech_group_every_weeks": "4", "coordination_every_weeks": "52",
                      "time_zone": "Europe/Paris"}
    assert row.revision != plan.revision
    assert "title" in entry.changes and "coordination_every_weeks" in entry.changes


def test_update_plan_with_the_same_values_writes_nothing(db, plan):
    before = file_contents(db.path)
    with db.write() as s:
        update_plan(s, plan.id, dict(EDIT))
    assert file_contents(db.path) == before


@pytest.mark.parametrize(("changes", "errors"), [
    ({"tech_group_every_weeks": "0"}, {"tech_group_every_weeks": RHYTHM}),
    ({"coordination_every_weeks": "53"}, {"coordination_every_weeks": RHYTHM}),
    ({"tech_group_every_weeks": "six", "coordination_every_weeks": ""},
     {"tech_group_every_weeks": RHYTHM, "coordination_every_weeks": RHYTHM}),
    ({"tech_group_every_weeks": "4.5"}, {"tech_group_every_weeks": RHYTHM}),
    ({"title": "", "end_date": "2018-01-01"}, {"title": TITLE, "end_date": BEFORE}),
    ({"start_date": "2019-02-30"}, {"start_date": DATE}),
])
def test_a_refused_edit_leaves_the_file_as_it_was(db, plan, changes, errors):
    before = file_contents(db.path)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        update_plan(s, plan.id, {**EDIT, **changes})
    assert refused.value.errors == errors
    assert file_contents(db.path) == before


@pytest.mark.parametrize("gone", ["deleted", "unknown"])
def test_editing_a_plan_that_is_gone_is_refused(db, plan, gone):
    target = plan.id if gone == "deleted" else uuid.UUID("0123456789abcdef0123456789abcdef")
    if gone == "deleted":
        with db.write() as s:
            tombstone(s, s.get(Plan, plan.id))
    before = file_contents(db.path)
    with pytest.raises(FormErrors) as refused, db.write() as s:
        update_plan(s, target, dict(EDIT))
    assert refused.value.errors == {"title": GONE}
    assert file_contents(db.path) == before


# --- plan_rows and plan_form_values ------------------------------------------------------------


def test_plan_rows_on_the_demo(demo_db):
    with demo_db.read() as s:
        plans = list_plans(s)
        rows = plan_rows(s)
    older, current = plans
    expected = [sql_counts(demo_db.path, p.id) for p in plans]
    assert [(r.id, r.title, r.start_date, r.end_date, r.current, r.challenges, r.actions) for r in rows] == [
        (p.id, p.title, p.start_date, p.end_date, p.id == current.id, c.challenges, c.actions)
        for p, c in zip(plans, expected, strict=True)]
    assert older.start_date.year == 2016 and current.start_date.year == 2019
    with demo_db.write() as s:
        set_current_plan(s, older.id)
    with demo_db.read() as s:
        assert [r.current for r in plan_rows(s)] == [True, False]


@pytest.mark.parametrize(("lang", "start", "end"), [("en", "2019-01-01", "2021-12-31"),
                                                     ("fr", "01/01/2019", "31/12/2021")])
def test_plan_form_values_in_each_language_and_back(db, plan, lang, start, end):
    set_language(lang)
    with db.read() as s:
        values = plan_form_values(s, plan.id)
    assert values == {**EDIT, "start_date": start, "end_date": end}
    before = file_contents(db.path)
    with db.write() as s:
        update_plan(s, plan.id, values)  # the form as it starts saves nothing
    assert file_contents(db.path) == before
