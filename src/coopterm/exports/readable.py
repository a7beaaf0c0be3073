"""Sheets a funder can read without joins, put before the raw tables of a csv or xlsx export.

The raw tables are for programs: ids, link tables, values as stored.  A partner
opening the file in a spreadsheet wants one sheet per thing they know — the
fiches-actions with their défi, leads and towns by name, the réunions, the
funding lines with their action's number, the new projects — in their language,
statuses and kinds in words.  Every figure comes from the same domain reads as
the report and the screens (``domain.report.build_report``, ``fetch_meetings``,
``fetch_funding``), so a sheet says what the app says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from sqlmodel import Session

from coopterm import present
from coopterm.domain.funding import count_funding, fetch_funding
from coopterm.domain.meetings import MeetingQuery, count_meetings, fetch_meetings
from coopterm.domain.plans import list_plans
from coopterm.domain.report import build_report
from coopterm.exports.writers import ExportTable
from coopterm.report.words import Words

SHEETS = ("actions", "meetings", "funding", "projects")


def _table(words: Words, key: str, columns: list[str], rows: Iterator[tuple]) -> ExportTable:
    return ExportTable(name=words.t(f"exports.sheet.{key}.file"), label=words.t(f"exports.sheet.{key}"),
                       columns=columns, labels=[words.t(f"exports.col.{c}") for c in columns], rows=rows)


def readable_sheets(session: Session, lang: str, today: dt.date) -> Iterator[ExportTable]:
    """The four readable sheets, every live plan of the file in each (a "Plan" column first)."""
    words = Words(lang)
    plans = list_plans(session)
    reports = [(plan, build_report(session, plan, today)) for plan in plans]

    def actions() -> Iterator[tuple]:
        for plan, report in reports:
            for challenge in report.challenges:
                for a in challenge.actions:
                    yield (plan.title, f"{challenge.code} {challenge.title}", a.code, a.title, words.status(a.status),
                           a.progress, ", ".join(a.pilots), ", ".join(a.towns), a.due_date)

    def meetings() -> Iterator[tuple]:
        for plan in plans:
            total = count_meetings(session, plan.id, MeetingQuery())
            for m in reversed(fetch_meetings(session, plan.id, MeetingQuery(), 0, total)):
                when = m.local_start  # on the clocks of the town (or plan) it is held in, as the app shows it
                place = words.t("exports.remote") if m.remote else (m.town_name or "")
                satisfaction = None if m.satisfaction is None else present.rounded(m.satisfaction, 1)
                yield (plan.title, when.date(), when.strftime("%H:%M"), present.zone_abbreviation(when), m.zone,
                       words.kind(m.kind), m.title, place, m.attendees, satisfaction)

    def funding() -> Iterator[tuple]:
        for plan in plans:
            for f in fetch_funding(session, plan.id, 0, count_funding(session, plan.id)):
                yield (plan.title, f.year, f.funder, Decimal(f.amount_cents) / 100, f.action_code, f.note)

    def projects() -> Iterator[tuple]:
        for plan, report in reports:
            for p in report.projects:
                yield (plan.title, p.title, words.scope(p.scope), ", ".join(p.towns), p.origin_code, p.started_on)

    yield _table(words, "actions", ["plan", "challenge", "code", "title", "status", "progress", "pilots", "towns",
                                    "due_date"], actions())
    yield _table(words, "meetings", ["plan", "date", "time", "zone", "zone_name", "kind", "title", "place",
                                     "attendees", "satisfaction"], meetings())
    yield _table(words, "funding", ["plan", "year", "funder", "amount_euros", "action", "note"], funding())
    yield _table(words, "projects", ["plan", "title", "scope", "towns", "origin", "started_on"], projects())
