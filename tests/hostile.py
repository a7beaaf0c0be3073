"""Hostile text, as a partner's copy might hold it, and a plan that holds it everywhere.

Each string of ``CORPUS`` goes into every text column of every table by
:func:`write_hostile_plan` (straight through the ORM, as a merged copy brings it,
not through the forms that would clean it).  The tests then look at every place
that shows data and check three things: nothing crashes, the text is there
literally (as :func:`coopterm.text.printable` shows it), and no control character
reaches the terminal or a file another program opens.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

ESC = "\x1b"
BEL = "\x07"

CORPUS: dict[str, str] = {
    "markup_close": "Plan [/] fin",
    "markup_close_bold": "Relancer [/bold] mairie",
    "markup_link": "[link=file:///etc/passwd]x[/link] lien",
    "markup_click": "[@click=app.screenshot('victim.txt','/tmp')]Voir[/]",
    "markup_click_quit": "[@click=app.quit]Quitter[/]",
    "brackets_word": "[Sierre] Relancer la mairie",
    "brackets_draft": "Plan [brouillon] 2022",
    "markup_style": "[bold red on white]Alerte[/] [i]x[/i]",
    "osc_title": f"Titre {ESC}]0;pwned{BEL}fin",
    "osc52_clipboard": f"Copie {ESC}]52;c;cm0gLXJmIH4K{BEL}fin",
    "csi_clear": f"Efface {ESC}[2J{ESC}[H fin",
    "dcs": f"Dcs {ESC}P1$r{ESC}\\ fin",
    "c1_csi": "Csi \x9b31m rouge \x9b0m fin",
    "bell_nul": f"Cloche {BEL}\x00 nul fin",
    "carriage_return": "Avant\rApres fin",
    "rtl_override": "Facture \u202eexe.fdp fin",
    "zero_width": "Zéro\u200dlargeur\u200b\ufeff fin",
    "emoji_rtl": "Coopération 🤝 مونستير fin",
    "html_js": '<script>alert("x")</script><img src=x onerror=alert(1)> & fin',
    "formula": '=HYPERLINK("http://example.invalid","clic") fin',
    "long": "Long " + "x" * 100_000,
}
"""Name -> string.  Every string ends with a recognisable word so that a test can
tell the text is there whole; the long one is 100,005 characters."""

GROUPS: dict[str, tuple[str, ...]] = {
    "markup": ("brackets_word", "markup_close", "markup_close_bold", "markup_link", "markup_click",
               "markup_click_quit", "brackets_draft", "markup_style"),
    "escapes": ("osc_title", "osc52_clipboard", "csi_clear", "dcs", "c1_csi", "bell_nul", "carriage_return"),
    "unicode": ("rtl_override", "zero_width", "emoji_rtl"),
    "html_formula": ("html_js", "formula"),
    "long": ("long",),
}
"""The corpus in five texts, for tests that pay seconds per text (driving the whole app):
each text holds every string of its group, one after the other."""


def grouped(group: str) -> str:
    return " ".join(CORPUS[name] for name in GROUPS[group])


UNSTORABLE = "Surrogate \ud800 seule"
"""A lone surrogate: SQLite cannot store it (the forms refuse it, the app says so)."""

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must never reach a terminal or a file a spreadsheet opens."""


def short(text: str, width: int = 40) -> str:
    """The part of ``text`` a narrow cell can show (tests look for this, not the whole)."""
    return text[:width]


def write_hostile_plan(path: Path, text: str) -> Path:
    """A database at ``path`` whose every text, in every table, is ``text``.

    Names that must differ (towns, people) get a short suffix after it.  Also holds a
    history (every write records one) and an open conflict whose two versions carry
    ``text``, so the conflict review shows it too.
    """
    import json

    from coopterm.domain.plans import set_current_plan
    from coopterm.models import (
        Action,
        ActionPilot,
        ActionTown,
        Challenge,
        Conflict,
        Decision,
        Funding,
        Indicator,
        Measurement,
        Meeting,
        MeetingAttendee,
        NewProject,
        NewProjectTown,
        Person,
        Plan,
        PlanTown,
        Town,
    )
    from coopterm.store import open_database
    from coopterm.vocabulary import ActionStatus, MeetingKind, ProjectScope

    with open_database(path) as db:
        with db.write() as s:
            plan = Plan(title=text, start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 12, 31),
                        vision=text, description=text)
            s.add(plan)
            s.flush()
            towns = [Town(name=f"{text} {n}", country=text) for n in ("A", "B", "C")]
            s.add_all(towns)
            s.flush()
            s.add_all(PlanTown(plan_id=plan.id, town_id=town.id) for town in towns)
            person = Person(name=text, organisation=text, town_id=towns[0].id, role=text, email=text, phone=text)
            s.add(person)
            transversal = Challenge(plan_id=plan.id, number=0, title=text, description=text, transversal=True)
            challenge = Challenge(plan_id=plan.id, number=1, title=text, description=text)
            s.add_all([transversal, challenge])
            s.flush()
            action = Action(challenge_id=challenge.id, number=1, title=text, description=text, notes=text,
                            status=ActionStatus.IN_PROGRESS, progress=40, start_date=dt.date(2019, 3, 1),
                            due_date=dt.date(2020, 3, 1))
            done = Action(challenge_id=transversal.id, number=1, title=text, status=ActionStatus.DONE,
                          progress=100)
            s.add_all([action, done])
            s.flush()
            s.add_all(ActionTown(action_id=action.id, town_id=town.id) for town in towns)
            s.add(ActionPilot(action_id=action.id, person_id=person.id, position=0))
            meeting = Meeting(plan_id=plan.id, kind=MeetingKind.TECHNICAL_GROUP,
                              starts_at=dt.datetime(2020, 5, 4, 9, 0, tzinfo=dt.timezone.utc),
                              town_id=towns[0].id, title=text, agenda=text, minutes=text,
                              survey_very_satisfied=3, survey_satisfied=1, survey_not_very_satisfied=0,
                              survey_not_satisfied=0)
            s.add(meeting)
            s.flush()
            s.add(MeetingAttendee(meeting_id=meeting.id, person_id=person.id))
            s.add(Decision(meeting_id=meeting.id, text=text, action_id=action.id))
            s.add(Funding(plan_id=plan.id, funder=text, amount_cents=1_710_000, year=2020, action_id=action.id,
                          note=text))
            project = NewProject(plan_id=plan.id, title=text, scope=ProjectScope.MULTILATERAL,
                                 origin_action_id=action.id, started_on=dt.date(2020, 6, 1), description=text)
            s.add(project)
            s.flush()
            s.add_all(NewProjectTown(project_id=project.id, town_id=town.id) for town in towns)
            s.add(Indicator(plan_id=plan.id, key="completion_rate", label=text, unit="%", target=90, computed=True))
            manual = Indicator(plan_id=plan.id, label=text, unit=text[:20], target=10, baseline_value=1,
                               baseline_date=dt.date(2019, 1, 1), position=5)
            s.add(manual)
            s.flush()
            s.add(Measurement(indicator_id=manual.id, measured_on=dt.date(2020, 1, 1), value=4, note=text))
            set_current_plan(s, plan.id)
            action_id = action.id
        with db.write() as s:  # a change, so that the history shows old and new values
            row = s.get(Action, action_id)
            assert row is not None
            row.notes = f"{text} bis"
            row.progress = 50
        with db.write() as s:
            row = s.get(Action, action_id)
            assert row is not None
            values = {"title": text, "notes": text, "progress": 50}
            other = {"title": f"{text} autre", "notes": text, "progress": 60}
            s.add(Conflict(id=uuid.uuid4(), table_name="action", row_id=action_id,
                           kept_revision=row.revision or "", other_revision="1-0-" + "0" * 32,
                           kept_values=json.dumps(values), other_values=json.dumps(other)))
    return path
