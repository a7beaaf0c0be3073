"""One way to write a figure: coopterm.present in both languages, and the app, the
command line and the report writing the same figure as the same string."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from coopterm import present
from coopterm.i18n import set_language
from tests.helpers import TODAY, make_app, settle

NBSP, NNBSP = "\u00a0", "\u202f"
SCRIPT = Path(sys.executable).with_name("coopterm")


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", ["1\u202f234,6", "1\u202f234", "0,15", "-1\u202f234,57", "1\u202f234\u202f567\u202f890", "—"]),
    ("en", ["1,234.6", "1,234", "0.15", "-1,234.57", "1,234,567,890", "—"]),
])
def test_numbers_group_and_round_half_up(lang, expected):
    assert [
        present.number(1234.56, 1, lang=lang),
        present.number(1234, lang=lang),
        present.number(0.145, 2, lang=lang),  # 0.145 is 0.14499... as a float: rounded on its text
        present.number(Decimal("-1234.565"), 2, lang=lang),
        present.number(1_234_567_890, lang=lang),
        present.number(None, lang=lang),
    ] == expected


def test_a_half_is_rounded_up_not_to_even():
    assert present.number(0.5, lang="en") == "1"
    assert present.number(2.5, lang="en") == "3"  # Babel alone (half-even) writes "2"
    assert present.short_number(6.25, lang="en") == "6.3"
    assert present.rounded(-6.25, 1) == Decimal("-6.3")  # half away from zero on both sides


def test_an_exact_fraction_is_rounded_half_up_on_its_exact_value():
    from fractions import Fraction

    assert present.rounded(Fraction(100, 16), 1) == Decimal("6.3")  # 1 of 16, exactly 6.25
    assert present.rounded(Fraction(-100, 16), 1) == Decimal("-6.3")
    assert present.rounded(Fraction(200, 3), 1) == Decimal("66.7")
    assert present.rounded(Fraction(2900, 50), 1) == Decimal("58.0")  # 57.99999999999999 as a float
    assert present.rounded(Fraction(5, 2), 0) == Decimal("3")
    assert present.rounded(Fraction(14499, 100000), 2) == Decimal("0.14")
    assert [present.percent(Fraction(100, 16), lang=lang) for lang in ("fr", "en")] == ["6,3\u00a0%", "6.3%"]
    assert present.measure(Fraction(7), "projets", lang="fr") == "7\u00a0projets"
    assert present.percent(Fraction(0), lang="en") == "0%"


# --- percents --------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", ["6,3\u00a0%", "72,7\u00a0%", "90\u00a0%", "100\u00a0%", "0\u00a0%", "73\u00a0%", "-5,3\u00a0%", "—"]),
    ("en", ["6.3%", "72.7%", "90%", "100%", "0%", "73%", "-5.3%", "—"]),
])
def test_percents_have_one_decimal_at_most_rounded_half_up(lang, expected):
    assert [present.percent(v, lang=lang) for v in (100 / 16, 800 / 11, 90.0, 100, 0, 72.96, -5.25, None)] == expected


def test_a_percent_of_a_thousand_or_more_is_grouped():
    assert present.percent(1234.5, lang="fr") == "1\u202f234,5\u00a0%"
    assert present.percent(1234.5, lang="en") == "1,234.5%"


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("cents", "fr", "en"), [
    (1_710_000, f"17{NNBSP}100{NBSP}€", "€17,100"),
    (1_710_050, f"17{NNBSP}100,50{NBSP}€", "€17,100.50"),
    (1_710_005, f"17{NNBSP}100,05{NBSP}€", "€17,100.05"),
    (5, f"0,05{NBSP}€", "€0.05"),
    (0, f"0{NBSP}€", "€0"),
    (-1_710_050, f"-17{NNBSP}100,50{NBSP}€", "-€17,100.50"),
    (-1_710_000, f"-17{NNBSP}100{NBSP}€", "-€17,100"),
    (123_456_789_012_345, f"1{NNBSP}234{NNBSP}567{NNBSP}890{NNBSP}123,45{NBSP}€", "€1,234,567,890,123.45"),
    (None, "—", "—"),
])
def test_money_is_exact_whole_euros_without_decimals(cents, fr, en):
    assert present.money(cents, lang="fr") == fr
    assert present.money(cents, lang="en") == en


def test_an_amount_in_a_form_is_ready_to_be_typed_again():
    from coopterm.domain.funding import parse_amount

    for lang, text in (("fr", "17100,50"), ("en", "17100.50")):
        assert present.money_input(1_710_050, lang=lang) == text
        assert present.money_input(1_710_000, lang=lang) == "17100"
        set_language(lang)
        assert parse_amount(text) == 1_710_050


# --- indicators, dates, plurals ---------------------------------------------------------------


def test_an_indicator_value_carries_its_unit():
    assert present.measure(72.727, "%", lang="fr") == "72,7\u00a0%"
    assert present.measure(72.727, "%", lang="en") == "72.7%"
    assert present.measure(1234.5, "visiteurs", lang="fr") == f"1{NNBSP}234,5{NBSP}visiteurs"
    assert present.measure(2, "", lang="en") == "2"
    assert present.measure(12.96, "", lang="en") == "13"
    assert present.measure(None, "%", lang="en") == "—"


def test_dates_french_day_first_english_iso():
    day, moment = dt.date(2021, 12, 31), dt.datetime(2021, 6, 14, 9, 5, tzinfo=dt.UTC)
    assert present.date(day, lang="fr") == "31/12/2021"
    assert present.date(day, lang="en") == "2021-12-31"
    assert present.date(dt.date(987, 3, 4), lang="fr") == "04/03/0987"
    assert present.date_time(moment, lang="fr") == "14/06/2021 09:05"
    assert present.date_time(moment, lang="en") == "2021-06-14 09:05"
    assert present.date(None) == present.date_time(None) == "—"


def test_plural_forms_follow_each_language():
    assert [present.plural_form(n, lang="fr") for n in (0, 1, 2, -1)] == ["one", "one", "other", "one"]
    assert [present.plural_form(n, lang="en") for n in (0, 1, 2, -1)] == ["other", "one", "other", "one"]


def test_without_a_language_the_interface_language_is_used():
    set_language("fr")
    assert present.percent(6.25) == "6,3\u00a0%" and present.date(dt.date(2021, 1, 2)) == "02/01/2021"
    set_language("en")
    assert present.percent(6.25) == "6.3%" and present.date(dt.date(2021, 1, 2)) == "2021-01-02"


def test_babel_is_loaded_on_the_first_figure_not_at_import():
    code = ("import sys, coopterm.present, coopterm.ui.widgets.gauge, coopterm.ui.widgets.dashboard_panels;"
            "assert 'babel' not in sys.modules, 'imported early';"
            "print(coopterm.present.percent(6.25, lang='fr'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "6,3\u00a0%"


# --- the app, the command line and the report agree ---------------------------------------------

FUNDER = "Fonds d'accord"
CENTS = 1_710_050


def status_lines(path: Path, lang: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("COOPTERM_DB", "LC_ALL", "LC_MESSAGES")}
    environment.update(LANG="C.UTF-8", COLUMNS="200")
    result = subprocess.run([str(SCRIPT), "--lang", lang, "status", "--db", str(path)],
                            capture_output=True, text=True, env=environment, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def md_cells(line: str) -> list[str]:
    return [p.strip() for p in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_dashboard_status_and_report_write_the_same_figures(demo_db, tmp_path, lang):
    from coopterm.domain.funding import create_funding
    from coopterm.domain.plans import current_plan
    from coopterm.report import load_report, render_markdown
    from coopterm.report.words import Words
    from coopterm.ui.widgets.dashboard_panels import ChallengeProgress, LatestChanges
    from coopterm.ui.widgets.gauge import IndicatorGauge

    with demo_db.write() as session:
        plan = current_plan(session)
        assert plan is not None
        create_funding(session, plan.id, {"funder": FUNDER, "amount": CENTS, "year": "2021"})
    report = load_report(demo_db, TODAY)
    markdown = render_markdown(report, lang).splitlines()
    status = status_lines(demo_db.path, lang)

    set_language(lang)
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        gauges = {g.result.label: g.render().plain.splitlines()[1] for g in app.screen.query(IndicatorGauge)
                  if g.result is not None}
        challenges = app.screen.query_one(ChallengeProgress).render()
        changes = app.screen.query_one(LatestChanges).render()
    challenge_lines = _plain(challenges)
    change_lines = _plain(changes)

    # Indicators: value and target, in the gauge, the status table and the report's row.
    percents = 0
    words = Words(lang)
    for ind in report.indicators:
        label = words.indicator_label(ind)
        value = present.measure(ind.value, ind.unit, lang=lang)
        row = next(md_cells(line) for line in markdown if line.startswith(f"| {label[:20]}"))
        status_row = next(line for line in status if label.split()[0] in line and value in line)
        assert row[3] == value, row
        assert value in gauges[label]
        if ind.target is not None:
            target = present.measure(ind.target, ind.unit, lang=lang)
            assert row[4] == target and f"{value} / {target}" in gauges[label] and target in status_row
        percents += ind.unit == "%"
    assert percents == 3
    assert any(("72,7\u00a0%" if lang == "fr" else "72.7%") in line for line in status)

    # Défis: the mean progress of each, on the dashboard and in the report.
    for challenge in report.challenges:
        if challenge.progress is None:
            continue
        progress = present.percent(challenge.progress, lang=lang)
        assert any(line.startswith(challenge.code) and progress in line for line in challenge_lines), progress
        assert any(progress in line and line.startswith("*") for line in markdown), progress

    # Money: the new contribution in the dashboard's latest changes and in the report's table.
    money = present.money(CENTS, lang=lang)
    assert money == ("17\u202f100,50\u00a0€" if lang == "fr" else "€17,100.50")
    assert any(FUNDER in line and money in line for line in change_lines), change_lines
    funder_row = next(md_cells(line) for line in markdown if line.startswith("| Fonds d"))
    assert funder_row[-1] == money


def _plain(renderable: object) -> list[str]:
    from rich.console import Console

    console = Console(width=120, file=io.StringIO())
    console.print(renderable)
    return [line.rstrip() for line in console.file.getvalue().splitlines()]
