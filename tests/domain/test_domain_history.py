"""The change history read as a coordinator reads it (``coopterm.domain.history``),
directly over a session: rows by their names, fields and values in her language,
which copy made a change, the entries of an action or a meeting, and the day
boundary of ``coopterm history --since``."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from types import SimpleNamespace

import pytest
from sqlmodel import col, select

from coopterm import present
from coopterm.domain.actions import advance_status, create_action, delete_action, set_progress, update_action
from coopterm.domain.challenges import create_challenge
from coopterm.domain.funding import create_funding
from coopterm.domain.history import (
    MODELS,
    action_history,
    copy_label,
    describe,
    field_label,
    headline,
    history_since,
    meeting_history,
    row_history,
    row_label,
    table_label,
    value_label,
)
from coopterm.domain.manual_indicators import add_measurement, create_manual_indicator
from coopterm.domain.meetings import create_meeting, update_meeting
from coopterm.domain.persons import add_town, create_person, delete_person
from coopterm.domain.plans import create_plan
from coopterm.domain.projects import create_project
from coopterm.i18n import set_language
from coopterm.models import (
    ActionPilot,
    ActionTown,
    Decision,
    History,
    MeetingAttendee,
    NewProjectTown,
    PlanTown,
    Town,
)

FORUM = "2.3 Organiser le forum"
MEETING = "Coordination n° 4"
LONG_DECISION = "Relancer les financeurs régionaux avant la fin du mois de juin, avec le dossier complet"


@pytest.fixture
def world(db):
    """A plan made through the domain's own writes, one row of every kind in it."""
    with db.write() as s:
        plan_id = create_plan(s, {"title": "Plan 2019-2021", "start_date": "2019-01-01", "end_date": "2021-12-31",
                                  "towns": "Katowice (Pologne), Monastir (Tunisie), Sierre (Suisse)"})
    with db.write() as s:
        town = {row.name: row.id for row in s.exec(select(Town))}
        transversal = create_challenge(s, plan_id, {"title": "Structurer le partenariat", "transversal": True}).id
        jeunesse = create_challenge(s, plan_id, {"number": "2", "title": "Jeunesse"}).id
        anna = create_person(s, plan_id, {"name": "Anna Nowak", "town_id": town["Katowice"]}).id
        karim = create_person(s, plan_id, {"name": "Karim Ben Salah", "town_id": town["Monastir"]}).id
        lea = create_person(s, plan_id, {"name": "Léa Favre", "town_id": town["Sierre"]}).id
        forum = create_action(s, {"challenge_id": jeunesse, "number": "3", "title": "Organiser le forum",
                                  "pilots": [anna], "towns": [town["Katowice"]]}).id
        other = create_action(s, {"challenge_id": jeunesse, "number": "4", "title": "Échanges de jeunes",
                                  "pilots": [karim], "towns": [town["Monastir"]]}).id
    with db.write() as s:
        meeting = create_meeting(s, plan_id, {
            "kind": "coordination", "date": "2021-03-15", "time": "13:00", "title": MEETING, "remote": True,
            "attendees": [anna, lea],
            "decisions": [{"text": "Lancer le forum", "action_id": forum}, {"text": LONG_DECISION}],
        }).id
        funding = create_funding(s, plan_id, {"funder": "Région Occitanie", "amount": "17100,50", "year": "2021",
                                              "action_id": forum}).id
        project = create_project(s, plan_id, {"title": "Jumelage scolaire", "scope": "bilateral",
                                              "towns": [town["Katowice"], town["Monastir"]]}).id
        indicator = create_manual_indicator(s, plan_id, {"label": "Jeunes formés", "unit": ""}).id
    with db.write() as s:
        measurement = add_measurement(s, indicator, {"measured_on": "2021-05-31", "value": "12.5"}).id
    with db.read() as s:
        def link(model, **where):
            return s.exec(select(model.id).where(*(getattr(model, k) == v for k, v in where.items()))).one()

        links = {
            "plan_town": link(PlanTown, plan_id=plan_id, town_id=town["Katowice"]),
            "action_town": link(ActionTown, action_id=forum, town_id=town["Katowice"]),
            "action_pilot": link(ActionPilot, action_id=forum, person_id=anna),
            "meeting_attendee": link(MeetingAttendee, meeting_id=meeting, person_id=anna),
            "new_project_town": link(NewProjectTown, project_id=project, town_id=town["Katowice"]),
        }
        decisions = {d.text: d.id for d in s.exec(select(Decision))}
    return SimpleNamespace(
        db=db, plan=plan_id, town=town, transversal=transversal, jeunesse=jeunesse, anna=anna, karim=karim,
        lea=lea, forum=forum, other=other, meeting=meeting, funding=funding, project=project,
        indicator=indicator, measurement=measurement, links=links,
        decision=decisions["Lancer le forum"], long_decision=decisions[LONG_DECISION],
    )


def expected_labels(w, meeting_day):
    """The label of one row of each shared table, by table."""
    meeting = f"{MEETING} ({meeting_day})"
    return {
        "plan": (w.plan, "Plan 2019-2021"),
        "town": (w.town["Katowice"], "Katowice"),
        "plan_town": (w.links["plan_town"], "Plan 2019-2021 ↔ Katowice"),
        "person": (w.anna, "Anna Nowak"),
        "challenge": (w.jeunesse, "2 Jeunesse"),
        "action": (w.forum, FORUM),
        "action_town": (w.links["action_town"], f"{FORUM} ↔ Katowice"),
        "action_pilot": (w.links["action_pilot"], f"{FORUM} ↔ Anna Nowak"),
        "meeting": (w.meeting, meeting),
        "meeting_attendee": (w.links["meeting_attendee"], f"{meeting} ↔ Anna Nowak"),
        "decision": (w.decision, "Lancer le forum"),
        "funding": (w.funding, "Région Occitanie 2021"),
        "new_project": (w.project, "Jumelage scolaire"),
        "new_project_town": (w.links["new_project_town"], "Jumelage scolaire ↔ Katowice"),
        "indicator": (w.indicator, "Jeunes formés"),
        "measurement": (w.measurement, f"Jeunes formés ({'2021-05-31' if meeting_day[4] == '-' else '31/05/2021'})"),
    }


# --- row_label ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "day"), [("en", "2021-03-15"), ("fr", "15/03/2021")])
def test_every_kind_of_row_is_named_as_a_coordinator_knows_it(world, lang, day):
    set_language(lang)
    expected = expected_labels(world, day)
    assert set(expected) == set(MODELS), "a shared table without an expected label"
    with world.db.read() as s:
        labels = {table: row_label(s, table, row_id) for table, (row_id, _) in expected.items()}
        # The ids as history's JSON gives them (32 hex digits) name the same rows.
        from_hex = {table: row_label(s, table, row_id.hex) for table, (row_id, _) in expected.items()}
    assert labels == {table: label for table, (_, label) in expected.items()}
    assert from_hex == labels


def test_the_transversal_challenge_is_t_and_a_long_decision_is_cut(world):
    with world.db.read() as s:
        assert row_label(s, "challenge", world.transversal) == "T Structurer le partenariat"
        cut = row_label(s, "decision", world.long_decision)
    assert cut == LONG_DECISION[:49] + "…" and len(cut) == 50


def test_a_deleted_row_keeps_its_label(world):
    with world.db.write() as s:
        delete_action(s, world.forum)
        delete_person(s, world.plan, world.anna)
    with world.db.read() as s:
        assert row_label(s, "action", world.forum) == FORUM
        assert row_label(s, "person", world.anna) == "Anna Nowak"
        assert row_label(s, "action_pilot", world.links["action_pilot"]) == f"{FORUM} ↔ Anna Nowak"


def test_an_unknown_row_is_named_by_its_table_and_the_start_of_its_id(db):
    missing = uuid.UUID("0123456789abcdef0123456789abcdef")
    with db.read() as s:
        assert row_label(s, "action", missing) == "Action 01234567"
        assert row_label(s, "town", missing.hex) == "Town 01234567"
        assert row_label(s, "action", "not-an-id") == "Action not-an-i"
        set_language("fr")
        assert row_label(s, "action", missing) == "Fiche-action 01234567"


def test_table_and_field_labels_follow_the_language():
    assert (table_label("action"), table_label("plan_town"), field_label("due_date"), field_label("status")) == (
        "Action", "Town of the plan", "Due date", "Status")
    set_language("fr")
    assert (table_label("action"), table_label("plan_town"), field_label("due_date"), field_label("status")) == (
        "Fiche-action", "Ville du plan", "Échéance", "État")


# --- value_label -------------------------------------------------------------------------------


def test_values_read_in_english(world):
    with world.db.read() as s:
        assert value_label(s, "status", "in_progress") == "in progress"
        assert value_label(s, "kind", "technical_group") == "technical follow-up group"
        assert value_label(s, "scope", "multilateral") == "multilateral"
        assert value_label(s, "amount_cents", 1710050) == present.money(1710050, lang="en") == "€17,100.50"
        assert value_label(s, "amount_cents", 1200000) == "€12,000"
        assert value_label(s, "remote", True) == "yes"
        assert value_label(s, "remote", 0) == "no"  # an old entry may carry 0/1
        assert value_label(s, "transversal", 1) == "yes"
        assert value_label(s, "other", False) == "no"
        assert value_label(s, "due_date", "2021-06-30") == "2021-06-30"
        assert value_label(s, "due_date", "2021-13-45") == "2021-13-45"  # not a date: as stored
        assert value_label(s, "town_id", world.town["Sierre"].hex) == "Sierre"
        assert value_label(s, "action_id", world.forum.hex) == FORUM
        assert value_label(s, "origin_action_id", str(world.other)) == "2.4 Échanges de jeunes"
        assert value_label(s, "person_id", "0123456789abcdef0123456789abcdef") == "Person 01234567"
        assert value_label(s, "due_date", None) == "—"
        assert value_label(s, "notes", "") == "—"
        assert value_label(s, "notes", "Compte rendu\nsur deux lignes") == "Compte rendu ⏎ sur deux lignes"
        assert value_label(s, "progress", 40) == "40"
        assert value_label(s, "year", 2021) == "2021"


def test_values_read_in_french(world):
    set_language("fr")
    with world.db.read() as s:
        assert value_label(s, "status", "done") == "réalisée"
        assert value_label(s, "kind", "field_visit") == "visite de terrain"
        assert value_label(s, "scope", "bilateral") == "bilatéral"
        amount = value_label(s, "amount_cents", 1710050)
        assert amount == present.money(1710050, lang="fr")
        assert amount.replace("\u202f", " ").replace("\u00a0", " ") == "17 100,50 €"
        assert value_label(s, "done", True) == "oui"
        assert value_label(s, "computed", False) == "non"
        assert value_label(s, "due_date", "2021-06-30") == "30/06/2021"
        assert value_label(s, "meeting_id", world.meeting.hex) == f"{MEETING} (15/03/2021)"
        assert value_label(s, "town_id", None) == "—"
        assert value_label(s, "challenge_id", "0123456789abcdef0123456789abcdef") == "Défi 01234567"


def test_a_measured_value_is_written_in_the_language(world):
    set_language("fr")
    with world.db.read() as s:
        assert value_label(s, "value", 12.5) == present.short_number(12.5, lang="fr") == "12,5"


def test_a_measured_value_keeps_every_decimal_it_was_typed_with(world):
    set_language("fr")
    with world.db.read() as s:
        assert value_label(s, "value", 12.34) == "12,34"  # not rounded as the lists round it
        assert value_label(s, "value", 13.0) == "13"
        assert value_label(s, "target", 1234.5) == present.number(1234.5, 1, lang="fr")
    set_language("en")
    with world.db.read() as s:
        assert value_label(s, "value", 12.5) == "12.5"
        assert value_label(s, "year", 2021) == "2021"  # whole numbers stay as they are
        assert value_label(s, "value", 1e300) == "1e+300"  # from a hostile file: as stored, no crash

def test_a_meeting_moved_to_another_day_reads_as_dates(world):
    set_language("fr")
    with world.db.write() as s:
        update_meeting(s, world.meeting, {"kind": "coordination", "date": "22/03/2021", "time": "13:00",
                                          "title": MEETING, "remote": True, "attendees": [world.anna, world.lea],
                                          "decisions": []})
    with world.db.read() as s:
        (moved,) = [f for e in row_history(s, [world.meeting]) if e.op == "update"
                    for f in e.fields if f.field == "starts_at"]
    assert "15/03/2021" in moved.old and "22/03/2021" in moved.new
    assert ".000000" not in moved.old + moved.new
    assert (moved.old, moved.new) == ("15/03/2021 13:00 UTC", "22/03/2021 13:00 UTC")  # stored in UTC, and said so
    with world.db.read() as s:
        assert value_label(s, "starts_at", "2021-03-15 13:00:00.000000") == present.zoned_date_time(
            dt.datetime(2021, 3, 15, 13, 0, tzinfo=dt.timezone.utc))
        assert value_label(s, "starts_at", "not a time") == "not a time"
    set_language("en")
    with world.db.read() as s:
        assert value_label(s, "starts_at", "2021-03-15 13:00:00.000000") == "2021-03-15 13:00 UTC"


# --- copy_label ------------------------------------------------------------------------------


def test_copy_label_says_this_copy_or_names_the_other_one():
    mine = uuid.UUID("16f5ee296b6c4ec1af0aac4c6ca5de33")
    theirs = uuid.UUID("abcdef0123456789abcdef0123456789")
    assert copy_label(mine, "mairie-sierre", mine) == "this copy"
    assert copy_label(theirs, "laptop-monastir", mine) == "laptop-monastir (copy abcdef)"
    assert copy_label(theirs, "", mine) == "copy abcdef"
    assert copy_label(mine, "mairie-sierre", None) == "mairie-sierre (copy 16f5ee)"
    set_language("fr")
    assert copy_label(mine, "mairie-sierre", mine) == "cette copie"
    assert copy_label(theirs, "laptop-monastir", mine) == "laptop-monastir (copie abcdef)"
    assert copy_label(theirs, "", mine) == "copie abcdef"


def test_entries_say_which_copy_made_them(world):
    with world.db.write() as s:
        set_progress(s, world.forum, 10)
    with world.db.write() as s:
        set_progress(s, world.forum, 20)
    with world.db.read() as s:
        older = row_history(s, [world.forum])[1]
    assert older.fields[0].new == "10"
    conn = sqlite3.connect(world.db.path)
    with conn:
        conn.execute("UPDATE history SET replica_id = ?, device = 'laptop-monastir' WHERE id = ?",
                     ("abcdef0123456789abcdef0123456789", older.id.hex))
    conn.close()
    with world.db.read() as s:
        newer, older = row_history(s, [world.forum], limit=2)
    assert (newer.copy, older.copy) == ("this copy", "laptop-monastir (copy abcdef)")


# --- row_history, history_since --------------------------------------------------------------


def test_row_history_is_newest_first_and_bounded(world):
    for value in (10, 20, 30):
        with world.db.write() as s:
            set_progress(s, world.forum, value)
    with world.db.write() as s:
        set_progress(s, world.other, 50)  # another row: not in the forum's history
    with world.db.read() as s:
        entries = row_history(s, [world.forum])
        two = row_history(s, [world.forum], limit=2)
        both = row_history(s, [world.forum, world.other], limit=2)
    assert [(e.op, [(f.field, f.old, f.new) for f in e.fields]) for e in entries] == [
        ("update", [("progress", "20", "30")]),
        ("update", [("progress", "10", "20")]),
        ("update", [("progress", "0", "10"), ("status", "planned", "in progress")]),  # progress starts it
        ("create", [(f.field, f.old, f.new) for f in entries[-1].fields]),
    ]
    assert {e.row_id for e in entries} == {world.forum}
    assert all(e.row_label == FORUM and e.table == "action" for e in entries)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert all(e.at.tzinfo is not None and e.at.utcoffset() == dt.timedelta(0) for e in entries)
    assert [e.id for e in two] == [e.id for e in entries[:2]]
    assert [(e.row_id, e.fields[0].new) for e in both] == [(world.other, "50"), (world.forum, "30")]


def set_times(db, times):
    """Give the history entries of each row the time given (a plain UPDATE on the file)."""
    conn = sqlite3.connect(db.path)
    with conn:
        for row_ids, at in times:
            conn.executemany("UPDATE history SET at = ? WHERE row_id = ?", [(at, rid.hex) for rid in row_ids])
    conn.close()


def test_history_since_cuts_at_midnight_utc(db, plan):
    with db.write() as s:
        eve = add_town(s, plan.id, {"name": "Tamatave", "country": "Madagascar"}).id
    with db.write() as s:
        day = add_town(s, plan.id, {"name": "Sierre", "country": "Suisse"}).id
    with db.read() as s:
        links = {link.town_id: link.id for link in s.exec(select(PlanTown))}
        everything = list(s.exec(select(col(History.row_id))))
    set_times(db, [(everything, "2021-03-01 08:00:00.000000"),
                   ([eve, links[eve]], "2021-03-09 23:59:00.000000"),
                   ([day, links[day]], "2021-03-10 00:00:00.000000")])
    with db.read() as s:
        since_day = history_since(s, dt.date(2021, 3, 10))
        since_eve = history_since(s, dt.date(2021, 3, 9))
        since_after = history_since(s, dt.date(2021, 3, 11))
        first = history_since(s, limit=1)
        every = history_since(s)
    assert [(e.table, e.row_label) for e in since_day] == [("town", "Sierre"), ("plan_town", "Plan ↔ Sierre")]
    assert {e.at for e in since_day} == {dt.datetime(2021, 3, 10, tzinfo=dt.timezone.utc)}
    assert [e.row_label for e in since_eve] == ["Tamatave", "Plan ↔ Tamatave", "Sierre", "Plan ↔ Sierre"]
    assert since_eve[0].at == dt.datetime(2021, 3, 9, 23, 59, tzinfo=dt.timezone.utc)
    assert since_after == []
    assert len(every) == len(everything) == 5  # the plan, two towns, two links
    assert [e.id for e in first] == [every[0].id] and every[0].table == "plan"
    assert [e.at for e in every] == sorted(e.at for e in every)


# --- an action's and a meeting's history -----------------------------------------------------


def test_action_history_includes_its_pilots_and_towns(world):
    with world.db.write() as s:
        update_action(s, world.forum, {"challenge_id": world.jeunesse, "number": "3", "title": "Organiser le forum",
                                       "pilots": [world.anna, world.karim], "towns": [world.town["Monastir"]]})
    with world.db.read() as s:
        entries = action_history(s, world.forum, limit=20)
        latest = action_history(s, world.forum, limit=2)
    said = sorted(headline(e, FORUM) for e in entries)
    assert said == sorted([
        "created",  # the action itself
        "Lead added: Anna Nowak", "Town added: Katowice",  # at its creation
        "Lead added: Karim Ben Salah", "Town added: Monastir", "Town removed: Katowice",  # the update
    ])
    assert {e.table for e in entries} == {"action", "action_pilot", "action_town"}
    assert [e.id for e in latest] == [e.id for e in entries[:2]]
    # Without a subject, a link names the action it belongs to.
    (removed,) = [e for e in entries if e.op == "delete"]
    assert headline(removed) == f"{FORUM}: Town removed: Katowice"
    assert describe(removed) == f"{FORUM}: Town removed: Katowice"  # a deletion lists no fields
    assert all(e.row_id != world.other for e in entries)


def test_meeting_history_includes_attendees_and_decisions(world):
    with world.db.write() as s:
        update_meeting(s, world.meeting, {
            "kind": "coordination", "date": "2021-03-15", "time": "13:00", "title": MEETING, "remote": True,
            "attendees": [world.anna, world.karim],
            "decisions": [{"id": world.decision, "text": "Lancer le forum", "action_id": world.forum, "done": True}],
        })
    with world.db.read() as s:
        entries, label = meeting_history(s, world.meeting, limit=50)
        (one,), _ = meeting_history(s, world.meeting, limit=1)
    assert label == f"{MEETING} (2021-03-15)"
    assert {e.table for e in entries} == {"meeting", "meeting_attendee", "decision"}
    said = [headline(e, label) for e in entries]
    assert "Attendee removed: Léa Favre" in said and "Attendee added: Karim Ben Salah" in said
    assert said.count("Attendee added: Léa Favre") == 1 and said.count("created") == 1
    (done,) = [e for e in entries if e.table == "decision" and e.op == "update"]
    assert describe(done) == "Decision Lancer le forum changed: Done no → yes"
    (dropped,) = [e for e in entries if e.table == "decision" and e.op == "delete"]
    assert dropped.row_label == LONG_DECISION[:49] + "…"
    assert one.id == entries[0].id


# --- headline and describe -------------------------------------------------------------------


def test_headline_and_describe_in_english(world):
    with world.db.write() as s:
        advance_status(s, world.forum)  # planned → in progress
    with world.db.write() as s:
        set_progress(s, world.forum, 40)
    with world.db.write() as s:
        advance_status(s, world.forum)  # in progress → done, progress 100
    with world.db.write() as s:
        delete_action(s, world.forum)
    with world.db.read() as s:
        deleted, done, progress, started, created = row_history(s, [world.forum], limit=5)
    assert describe(created) == headline(created) == f"Action {FORUM} created"
    assert describe(progress) == f"Action {FORUM} changed: Progress 0 → 40"
    assert describe(started) == f"Action {FORUM} changed: Status planned → in progress"
    assert describe(done) == f"Action {FORUM} changed: Progress 40 → 100; Status in progress → done"
    assert describe(deleted) == f"Action {FORUM} deleted"
    assert headline(done, FORUM) == "changed" and headline(deleted, FORUM) == "deleted"
    assert headline(done, "2.4 Échanges de jeunes") == f"Action {FORUM} changed"


def test_headline_and_describe_in_french(world):
    with world.db.write() as s:
        advance_status(s, world.forum)
    with world.db.write() as s:
        delete_action(s, world.forum)
    set_language("fr")  # entries are read in the language of the reader
    with world.db.read() as s:
        deleted, started, created = row_history(s, [world.forum], limit=3)
        links = [e for e in action_history(s, world.forum, limit=20) if e.table == "action_pilot"]
    assert describe(created) == f"Fiche-action {FORUM} créée"
    assert describe(started) == f"Fiche-action {FORUM} modifiée : État prévue → en cours"
    assert describe(deleted) == f"Fiche-action {FORUM} supprimée"
    assert headline(started, FORUM) == "modification"
    assert headline(created, FORUM) == "création"
    assert sorted(headline(e, FORUM) for e in links) == ["Pilote ajouté : Anna Nowak",
                                                          "Pilote retiré : Anna Nowak"]
