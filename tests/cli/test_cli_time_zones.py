"""The command line says which zone its meeting times are in (issue 14)."""

from __future__ import annotations

import re
import shutil

from sqlmodel import select

from coopterm.domain.plans import current_plan
from coopterm.models import Town
from coopterm.store import open_database
from tests.cli.test_cli import run


def test_the_report_writes_each_meeting_time_with_its_zone(tmp_path):
    path = tmp_path / "d.db"
    assert run("demo", str(path)).returncode == 0
    with open_database(path) as db, db.write() as s:
        plan = current_plan(s)
        plan.time_zone = "Europe/Paris"
        s.add(plan)
        tamatave = s.exec(select(Town).where(Town.name == "Tamatave")).one()
        tamatave.time_zone = "Indian/Antananarivo"
        s.add(tamatave)
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    printed = run("--lang", "fr", "report", "--db", str(path))
    assert printed.returncode == 0, printed.stderr
    text = printed.stdout
    assert "Heures locales" in text and "(Europe/Paris)" in text and "| Date (heure locale) |" in text
    times = re.findall(r"^\| \d{2}/\d{2}/\d{4} \d{2}:\d{2} ([A-Z+\-0-9]+) \|", text, re.M)
    assert times and set(times) <= {"CET", "CEST", "EAT"} and "EAT" in times
    english = run("--lang", "en", "report", "--db", str(copy)).stdout
    assert "Local times" in english and "| Date (local time) |" in english
