"""Whatever is typed in a form: no crash, invalid input refused with nothing saved,
valid input saved and read back exactly.

Hypothesis types into the action form (create and update), the person form and
the meeting form: any Unicode, very long strings, control characters, emoji,
right-to-left text, numbers and dates out of range.  Each example works on its
own copy of a small template file (copied, not rebuilt, to stay quick) and
reads the result back through a *new* ``open_database``, so "saved" means on
disk.  What is valid is stated here from the forms' documented rules (title 1–300
characters once trimmed, progress 0–100, dates as 2021-06-30 or 30/06/2021, due
date not before start), not taken from the code under test.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from coopterm.domain.validation import FormErrors
from coopterm.errors import InvalidInput
from tests.helpers import file_contents

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])

# --- what people type --------------------------------------------------------------------------

SPECIAL = [
    "", " ", "\t\n", "Forum à Monastir", "مدينة المنستير", "עִיר", "\u202eevil\u202c", "\u200f\u200e",
    "😀🇨🇭👩🏽‍💻", "a\x00b", "\x1b[31mrouge\x1b[0m", "\r\n\x0b\x0c", "\u0301\u0301e\u0301", "ǅ ﬁ Ⅻ",
    "'; DROP TABLE action; --", "%s %d {0} {title}", "\\N", "null", "x" * 300, "x" * 301, " " + "é" * 300 + " ",
]
any_text = st.one_of(
    st.text(),
    st.sampled_from(SPECIAL),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=20),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=280, max_size=320),
    st.text(min_size=1000, max_size=5000),
)
titles = any_text.filter(lambda v: 0 < len(v.strip()) <= 300)
texts = st.one_of(titles, titles, any_text)  # at least two draws in three are valid titles
any_progress = st.one_of(
    st.integers(-10**6, 10**6),
    st.sampled_from(["", "0", "50", " 100 ", "40 %", "101", "-1", "4.5", "١٠", "1e2", "0x10", "cent"]),
    st.text(max_size=6),
)
valid_progress = st.one_of(st.integers(0, 100), st.integers(0, 100).map(str), st.integers(0, 100).map("{} %".format))
progress_values = st.one_of(valid_progress, valid_progress, any_progress)
days = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
any_date = st.one_of(
    st.sampled_from(["", "2021-06-30", "30/06/2021", "1/2/2021", "31/02/2021", "2021-02-29", "0000-01-01",
                     "9999-12-31", "31/12/9999", "01/01/0001", "demain", "2021-6-30", "٢٠٢١-٠٦-٣٠"]),
    st.text(max_size=12),
)
valid_date = st.one_of(days, days.map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
                       days.filter(lambda d: d.year >= 1000).map(lambda d: f"{d.day}/{d.month:02d}/{d.year}"))
date_values = st.one_of(st.none(), valid_date, valid_date, any_date)

# --- the oracle: the forms' rules, stated independently ----------------------------------------------

# Dates may be typed with any decimal digits (Arabic-Indic digits as typed in Monastir
# give the same day); progress and counts take ASCII digits only.
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class Refused(Exception):
    pass


def want_title(value: str, maximum: int = 300) -> str:
    text = value.strip()
    if not text or len(text) > maximum:
        raise Refused
    return text


def want_progress(value: object) -> int:
    if isinstance(value, int):
        number = value
    elif not value.strip():
        return 0
    else:
        text = value.strip().removesuffix("%").strip()
        if not re.fullmatch(r"[0-9]+", text, re.ASCII):
            raise Refused
        number = int(text)
    if not 0 <= number <= 100:
        raise Refused
    return number


def want_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        if m := _ISO.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _FR.fullmatch(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise Refused


def want_action(title, description, notes, progress, start, due) -> dict:
    wanted = {"title": want_title(title), "description": description.strip(), "notes": notes.strip(),
              "progress": want_progress(progress), "start_date": want_date(start), "due_date": want_date(due)}
    if wanted["start_date"] and wanted["due_date"] and wanted["due_date"] < wanted["start_date"]:
        raise Refused
    return wanted


# --- one copy of the template per example --------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    """A file with a plan, a défi, a town, a person and one action, and their ids."""
    from coopterm.domain.actions import create_action
    from coopterm.domain.plans import set_current_plan
    from coopterm.models import Challenge, Person, Plan, Town
    from coopterm.store import open_database

    path = tmp_path_factory.mktemp("template") / "plan.db"
    with open_database(path) as db, db.write() as session:
        plan = Plan(title="Plan", start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31))
        session.add(plan)
        session.flush()
        set_current_plan(session, plan.id)
        challenge = Challenge(plan_id=plan.id, number=1, title="Défi")
        town = Town(name="Monastir", country="Tunisie")
        person = Person(name="Leïla Benabdelghani")
        session.add_all([challenge, town, person])
        session.flush()
        action = create_action(session, {"challenge_id": challenge.id, "title": "Fiche existante",
                                         "pilots": [person.id], "towns": [town.id], "progress": 10})
        ids = {"plan": plan.id, "challenge": challenge.id, "town": town.id, "person": person.id, "action": action.id}
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"path": path, **ids}


@contextmanager
def fresh(template: dict):
    from coopterm.store import open_database

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.db"
        shutil.copyfile(template["path"], path)
        with open_database(path, create=False) as db:
            yield db


def reopened(db):
    from coopterm.store import open_database

    return open_database(db.path, create=False)


def attempt(db, write) -> object:
    """Run ``write`` in one transaction; only the documented refusals may come out."""
    try:
        with db.write() as session:
            return write(session)
    except FormErrors as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        return exc
    except InvalidInput as exc:
        return exc


def saved_or_refused(template: dict, valid: bool, write, read):
    """Run ``write`` on a fresh copy of the template.  Not ``valid``: it must be refused
    with field messages and the file unchanged (returns ``None``).  Otherwise it must be
    saved: returns ``read(session, outcome)`` through a new ``open_database``."""
    with fresh(template) as db:
        before = file_contents(db.path)
        outcome = attempt(db, write)
        event("saved" if valid else "refused")
        if not valid:
            assert isinstance(outcome, FormErrors), outcome
            assert file_contents(db.path) == before  # nothing saved
            return None
        assert not isinstance(outcome, Exception), outcome
        with reopened(db) as again, again.read() as session:
            return read(session, outcome)


# --- actions --------------------------------------------------------------------------------------------


@SETTINGS
@given(title=texts, description=any_text, notes=any_text, progress=progress_values, start=date_values,
       due=date_values)
@example(title="Forum\x00", description="", notes="", progress="100%", start="30/06/2021", due="2021-06-30")
@example(title="x" * 301, description="", notes="", progress=0, start=None, due=None)
@example(title="ok", description="", notes="", progress=0, start="2021-06-30", due="29/06/2021")
def test_creating_an_action_from_any_form_input(template, title, description, notes, progress, start, due):
    from coopterm.domain.actions import action_detail, create_action

    try:
        wanted = want_action(title, description, notes, progress, start, due)
    except Refused:
        wanted = None
    detail = saved_or_refused(template, wanted is not None, lambda s: create_action(s, {
        "challenge_id": template["challenge"], "title": title, "description": description, "notes": notes,
        "progress": progress, "start_date": start, "due_date": due, "towns": [template["town"]]}),
        lambda session, created: action_detail(session, created.id))
    if detail is None:
        return
    got = {name: getattr(detail, name) for name in wanted}
    assert got == wanted
    assert [tid for tid, _ in detail.towns] == [template["town"]]


@SETTINGS
@given(title=texts, notes=any_text, progress=progress_values, due=date_values)
def test_updating_an_action_from_any_form_input(template, title, notes, progress, due):
    from coopterm.domain.actions import action_detail, update_action

    try:
        wanted = want_action(title, "", notes, progress, None, due)
    except Refused:
        wanted = None
    detail = saved_or_refused(template, wanted is not None, lambda s: update_action(s, template["action"], {
        "challenge_id": template["challenge"], "title": title, "notes": notes, "progress": progress,
        "due_date": due, "pilots": [template["person"]], "towns": [template["town"]]}),
        lambda session, _: action_detail(session, template["action"]))
    if detail is None:
        return
    assert {name: getattr(detail, name) for name in wanted} == wanted
    assert [pid for pid, _ in detail.pilots] == [template["person"]]


# --- people and meetings -----------------------------------------------------------------------------------


@SETTINGS
@given(name=texts, organisation=any_text)
def test_a_person_from_any_form_input(template, name, organisation):
    from coopterm.domain.persons import create_person
    from coopterm.models import Person

    collapsed = " ".join(name.split())
    valid = bool(collapsed) and len(collapsed) <= 200 and len(organisation.strip()) <= 200
    person = saved_or_refused(template, valid, lambda s: create_person(s, template["plan"], {
        "name": name, "organisation": organisation}), lambda session, created: session.get(Person, created.id))
    if person is None:
        return
    assert (person.name, person.organisation) == (collapsed, organisation.strip())


counts = st.one_of(st.none(), st.integers(-5, 10**12), st.sampled_from(["", "3", " 12 ", "-1", "2.5", "5%", "douze"]))
surveys = st.one_of(st.just([None] * 4), st.lists(st.integers(0, 10**9), min_size=4, max_size=4),
                    st.lists(st.integers(0, 500).map(str), min_size=4, max_size=4),
                    st.lists(counts, min_size=4, max_size=4))


@SETTINGS
@given(title=texts, date=st.one_of(valid_date, valid_date, any_date), survey=surveys)
def test_a_meeting_from_any_form_input(template, title, date, survey):
    from coopterm.domain.meetings import SURVEY_FIELDS, create_meeting
    from coopterm.models import Meeting

    def want_count(value: object) -> int | None:
        if value is None or isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, int):
            number = value
        elif re.fullmatch(r"[0-9]+", value.strip(), re.ASCII):
            number = int(value.strip())
        else:
            raise Refused
        if not 0 <= number <= 999_999:  # the form says "a whole number from 0 to 999 999"
            raise Refused
        return number

    try:
        wanted_title = want_title(title)
        wanted_date = want_date(date)
        if wanted_date is None:
            raise Refused  # a meeting has a date
        wanted_survey = [want_count(v) for v in survey]
        if any(v is None for v in wanted_survey) and any(v is not None for v in wanted_survey):
            raise Refused  # all four counts or none
        valid = True
    except Refused:
        valid = False
    meeting = saved_or_refused(template, valid, lambda s: create_meeting(s, template["plan"], {
        "kind": "forum", "date": date, "time": "09:00", "title": title, **dict(zip(SURVEY_FIELDS, survey))}),
        lambda session, created: session.get(Meeting, created.id))
    if meeting is None:
        return
    assert meeting.title == wanted_title
    assert meeting.starts_at.date() == wanted_date
    assert [getattr(meeting, name) for name in SURVEY_FIELDS] == wanted_survey


# --- inputs that once crashed ------------------------------------------------------------------------------------


HUGE = "9" * 20  # more than SQLite's 64-bit integers hold


def test_a_huge_action_number_is_refused(template):
    from coopterm.domain.actions import create_action

    with fresh(template) as db:
        before = file_contents(db.path)
        outcome = attempt(db, lambda s: create_action(s, {"challenge_id": template["challenge"],
                                                          "title": "Grand numéro", "number": HUGE}))
        assert isinstance(outcome, FormErrors)
        assert file_contents(db.path) == before


def test_a_huge_survey_count_is_refused(template):
    from coopterm.domain.meetings import SURVEY_FIELDS, create_meeting

    with fresh(template) as db:
        before = file_contents(db.path)
        outcome = attempt(db, lambda s: create_meeting(s, template["plan"], {
            "kind": "forum", "date": "2021-06-14", "title": "Forum", **dict.fromkeys(SURVEY_FIELDS, HUGE)}))
        assert isinstance(outcome, FormErrors)
        assert file_contents(db.path) == before


def test_text_that_is_not_valid_unicode_is_refused(template):
    from coopterm.domain.actions import create_action

    with fresh(template) as db:
        before = file_contents(db.path)
        outcome = attempt(db, lambda s: create_action(s, {"challenge_id": template["challenge"],
                                                          "title": "Forum \ud800"}))
        # Caught where every write passes (Database.write), so no form can let it through.
        assert isinstance(outcome, InvalidInput) and outcome.key == "db.text_not_unicode"
        assert file_contents(db.path) == before


def test_the_oracle_agrees_with_plain_examples():
    """The rules above, checked on hand-picked cases, so a wrong oracle cannot pass silently."""
    assert want_title("  Forum  ") == "Forum"
    assert want_progress("40 %") == 40 and want_progress("") == 0
    assert want_date("30/06/2021") == dt.date(2021, 6, 30) == want_date("2021-06-30") == want_date("٢٠٢١-٠٦-٣٠")
    for bad in (lambda: want_title(" "), lambda: want_title("x" * 301), lambda: want_progress("101"),
                lambda: want_progress("4.5"), lambda: want_progress("١٠"), lambda: want_date("31/02/2021")):
        with pytest.raises(Refused):
            bad()
