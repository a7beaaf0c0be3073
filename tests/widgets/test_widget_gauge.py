"""The indicator gauge (and the dashboard's small panels) rendered in a tiny app."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from rich.console import Console
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Horizontal, Vertical

from coopterm import present
from coopterm.domain.activity import RecentChange
from coopterm.domain.cadence import DueMeeting
from coopterm.domain.challenges import ChallengeSummary
from coopterm.domain.indicators import IndicatorResult, Status
from coopterm.i18n import set_language
from coopterm.models import Challenge
from coopterm.ui.widgets.dashboard_panels import (
    ChallengeProgress,
    LatestChanges,
    MeetingsDue,
    StatusCounts,
    change_label,
)
from coopterm.ui.widgets.gauge import BAR, HALF_BAR, STATUS_CLASSES, IndicatorGauge, bar_fill, draw_bar
from coopterm.vocabulary import ActionStatus, MeetingKind

NBSP = "\u00a0"


def result(status: Status, value: float | None = 72.72, target: float | None = 90, unit: str = "%",
           label: str = "Taux de réalisation des actions proposées") -> IndicatorResult:
    return IndicatorResult("completion_rate", label, value, target, unit, status)


AT_RISK = result(Status.AT_RISK)
NO_DATA = result(Status.NO_DATA, value=None, target=95, label="Satisfaction des participants")
REACHED = result(Status.REACHED, value=96, target=95, label="Coopération multilatérale")
NO_TARGET = result(Status.NO_TARGET, value=3, target=None, unit="", label="Nouveaux projets")


class GaugeApp(App[None]):
    def __init__(self, *results: IndicatorResult | None, width: str = "1fr") -> None:
        super().__init__()
        self.results = results
        self.width = width

    def compose(self) -> ComposeResult:
        with Vertical():
            for r in self.results:
                gauge = IndicatorGauge(r)
                gauge.styles.width = self.width
                yield gauge


def lines(gauge: IndicatorGauge) -> list[str]:
    return gauge.render().plain.splitlines()


def theme_color(app: App, name: str) -> str:
    return Color.parse(app.get_css_variables()[name]).hex


def color_of(style: Style) -> str:
    assert style.color is not None
    return Color.from_rich_color(style.color).hex


async def test_the_gauge_shows_label_bar_value_target_and_status_in_two_lines():
    app = GaugeApp(AT_RISK)
    async with app.run_test(size=(80, 10)):
        gauge = app.query_one(IndicatorGauge)
        assert gauge.size.height == 2
        label, bar = lines(gauge)
        assert label == "Taux de réalisation des actions proposées"
        assert "72.7% / 90%" in bar  # English writes the percent sign close up
        assert bar.rstrip().endswith("at risk")
        assert bar.startswith(BAR * 30)
        assert len(bar) == 80


async def test_french_decimals_and_words():
    set_language("fr")
    app = GaugeApp(AT_RISK, NO_DATA)
    async with app.run_test(size=(80, 10)):
        at_risk, no_data = app.query(IndicatorGauge)
        assert f"72,7{NBSP}% / 90{NBSP}%" in lines(at_risk)[1]
        assert "menacé" in lines(at_risk)[1]
        assert "pas de données" in lines(no_data)[1]


async def test_no_data_is_said_in_words_over_an_empty_bar_never_zero():
    app = GaugeApp(NO_DATA)
    async with app.run_test(size=(80, 10)):
        gauge = app.query_one(IndicatorGauge)
        text = gauge.render()
        assert "no data" in text.plain
        assert "0%" not in text.plain.replace("95%", "")
        assert "/ 95%" in text.plain
        assert bar_fill(NO_DATA) == 0
        bar_style = gauge.get_component_rich_style("gauge--bar")
        assert not [span for span in text.spans if span.style == bar_style]  # nothing filled


@pytest.mark.parametrize(
    ("res", "css_class"),
    [(AT_RISK, "-at-risk"), (NO_DATA, "-no-data"), (REACHED, "-reached"), (NO_TARGET, "-no-target"),
     (result(Status.ON_TRACK), "-on-track")],
)
async def test_one_css_class_per_status(res, css_class):
    app = GaugeApp(res)
    async with app.run_test(size=(80, 10)):
        gauge = app.query_one(IndicatorGauge)
        assert gauge.has_class(css_class)
        assert [c for c in STATUS_CLASSES.values() if gauge.has_class(c)] == [css_class]


async def test_status_colours_come_from_the_theme():
    app = GaugeApp(AT_RISK, REACHED, NO_DATA)
    async with app.run_test(size=(80, 10)):
        at_risk, reached, no_data = app.query(IndicatorGauge)
        assert color_of(at_risk.get_component_rich_style("gauge--status")) == theme_color(app, "error")
        assert color_of(at_risk.get_component_rich_style("gauge--bar")) == theme_color(app, "error")
        assert color_of(reached.get_component_rich_style("gauge--status")) == theme_color(app, "success")
        muted = color_of(no_data.get_component_rich_style("gauge--status"))
        assert muted not in (theme_color(app, "error"), theme_color(app, "success"), theme_color(app, "foreground"))


async def test_setting_the_result_rerenders_and_recolours():
    app = GaugeApp(NO_DATA)
    async with app.run_test(size=(80, 10)) as pilot:
        gauge = app.query_one(IndicatorGauge)
        gauge.result = REACHED
        await pilot.pause()
        assert gauge.has_class("-reached") and not gauge.has_class("-no-data")
        assert "reached" in lines(gauge)[1]
        assert color_of(gauge.get_component_rich_style("gauge--status")) == theme_color(app, "success")
        gauge.result = None
        await pilot.pause()
        assert gauge.render().plain == ""
        assert not any(gauge.has_class(c) for c in STATUS_CLASSES.values())


async def test_reached_fills_the_bar_and_a_count_without_target_has_none():
    app = GaugeApp(REACHED, NO_TARGET)
    async with app.run_test(size=(80, 10)):
        reached, no_target = app.query(IndicatorGauge)
        bar_line = lines(reached)[1]
        assert bar_line.startswith(BAR * 40)
        assert lines(no_target)[1].lstrip().startswith("3")
        assert BAR not in lines(no_target)[1]
        assert "no target" in lines(no_target)[1]


async def test_four_gauges_fit_with_room_to_spare_at_80x24_and_a_long_label_is_cropped():
    long = result(Status.ON_TRACK, label="Nouveaux projets multilatéraux et/ou bilatéraux issus de la coopération " * 2)
    app = GaugeApp(AT_RISK, NO_DATA, REACHED, long)
    async with app.run_test(size=(80, 24)):
        gauges = list(app.query(IndicatorGauge))
        assert sum(g.outer_size.height for g in gauges) == 8
        label = lines(gauges[3])[0]
        assert len(label) <= 80 and label.endswith("\u2026")


async def test_a_narrow_gauge_keeps_value_and_status():
    set_language("fr")
    app = GaugeApp(AT_RISK, width="39")
    async with app.run_test(size=(80, 10)):
        gauge = app.query_one(IndicatorGauge)
        label, bar = lines(gauge)
        assert label.endswith("\u2026") and len(label) <= 39
        assert f"72,7{NBSP}% / 90{NBSP}%" in bar and "menacé" in bar and bar.startswith(BAR)
        assert len(bar) == 39


async def test_a_taller_gauge_wraps_its_label_on_two_lines():
    app = GaugeApp(result(Status.AT_RISK, label="word " * 30))
    async with app.run_test(size=(40, 10)) as pilot:
        gauge = app.query_one(IndicatorGauge)
        gauge.styles.height = 3
        await pilot.pause()
        first, second, bar = gauge.render().plain.splitlines()
        assert first.startswith("word word") and second.endswith("\u2026")


def test_draw_bar_to_the_half_cell():
    fill, track = Style(color="green"), Style(color="grey37")
    assert draw_bar(10, 0.0, fill, track).plain == BAR * 10
    assert [s.style for s in draw_bar(10, 0.0, fill, track).spans] == [track]
    assert draw_bar(10, 0.45, fill, track).plain == BAR * 4 + HALF_BAR + BAR * 5
    assert draw_bar(10, 1.5, fill, track).plain == BAR * 10
    assert draw_bar(0, 0.5, fill, track).plain == ""


# --- the dashboard panels --------------------------------------------------

class PanelsApp(App[None]):
    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical():
                yield StatusCounts()
                yield ChallengeProgress()
            with Vertical():
                yield MeetingsDue()
                yield LatestChanges()


def _text(widget) -> str:
    """What the panel draws at its width, as plain text."""
    console = Console(width=widget.size.width, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.render())
    return console.export_text()


def colour_of_text(widget, needle: str) -> str | None:
    """The colour the panel draws ``needle`` in (``None``: the default colour)."""
    console = Console(width=widget.size.width, file=io.StringIO(), color_system="truecolor")
    for line in console.render_lines(widget.render(), pad=False):
        for segment in line:
            if needle in segment.text:
                return color_of(segment.style) if segment.style and segment.style.color else None
    raise AssertionError(needle)


def due(kind=MeetingKind.TECHNICAL_GROUP, town="Monastir", days_late=0, due_on=dt.date(2021, 3, 5)):
    return DueMeeting(kind, uuid.uuid4() if town else None, town, None, due_on, days_late > 0, days_late)


async def test_status_counts_in_french():
    set_language("fr")
    app = PanelsApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(StatusCounts)
        panel.update_data({ActionStatus.PLANNED: 3, ActionStatus.IN_PROGRESS: 12_345, ActionStatus.DONE: 7,
                           ActionStatus.POSTPONED: 0, ActionStatus.ABANDONED: 1})
        await pilot.pause()
        text = _text(panel)
        for word in ("prévue", "en cours", "réalisée", "reportée", "abandonnée"):
            assert word in text
        assert "12\u202f345" in text
        assert panel.size.height == 5


async def test_challenge_progress_lines():
    app = PanelsApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(ChallengeProgress)
        assert "No challenge" in _text(panel)
        plan_id = uuid.uuid4()
        panel.update_data([
            ChallengeSummary(Challenge(plan_id=plan_id, number=0, title="Structurer", transversal=True), 1, 45.0),
            ChallengeSummary(Challenge(plan_id=plan_id, number=2, title="Insertion"), 0, None),
        ])
        await pilot.pause()
        first, second = _text(panel).splitlines()
        assert first.startswith("T Structurer") and "45%" in first and first.rstrip().endswith("1 action")
        assert second.startswith("2 Insertion") and "\u2014" in second and second.rstrip().endswith("0 actions")


async def test_meetings_due_overdue_stand_out_and_the_plan_can_be_over():
    set_language("fr")
    app = PanelsApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(MeetingsDue)
        panel.update_data([due(days_late=10), due(MeetingKind.COORDINATION, town=None, due_on=dt.date(2021, 4, 17))])
        await pilot.pause()
        text = _text(panel)
        assert "Monastir : suivi tech" in text and "10 j de retard" in text
        assert "Coordination" in text and "le 17/04/2021" in text
        assert "Aucune réunion en retard" not in text
        assert color_of(panel.get_component_rich_style("meetingsdue--overdue")) == theme_color(app, "error")
        assert colour_of_text(panel, "Monastir") == theme_color(app, "error")
        assert colour_of_text(panel, "10 j de retard") == theme_color(app, "error")
        assert colour_of_text(panel, "Coordination") != theme_color(app, "error")

        panel.update_data([due(MeetingKind.COORDINATION, town=None)])
        await pilot.pause()
        assert "Aucune réunion en retard" in _text(panel)

        panel.update_data([], plan_over=True)
        await pilot.pause()
        assert "La période du plan est terminée" in _text(panel)


async def test_latest_changes_lines():
    app = PanelsApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(LatestChanges)
        assert "No change" in _text(panel)
        at = dt.datetime(2021, 3, 1, 12, tzinfo=dt.timezone.utc)
        panel.update_data([
            RecentChange("action", uuid.uuid4(), "2.1 Poursuivre", at, False),
            RecentChange("meeting", uuid.uuid4(), "Coordination", at, True, day=dt.date(2021, 2, 20)),
        ])
        await pilot.pause()
        first, second = _text(panel).splitlines()
        assert "action" in first and "2.1 Poursuivre" in first
        assert "meeting" in second and "deleted: Coord" in second


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_change_label_is_written_by_coopterm_present(lang):
    set_language(lang)
    at = dt.datetime(2021, 3, 1, 12, tzinfo=dt.timezone.utc)
    meeting = RecentChange("meeting", uuid.uuid4(), "Coordination", at, False, day=dt.date(2021, 2, 20))
    untitled = RecentChange("meeting", uuid.uuid4(), "", at, False, day=dt.date(2021, 2, 20))
    funding = RecentChange("funding", uuid.uuid4(), "Région", at, False, amount_cents=1_250_000, year=2020)
    action = RecentChange("action", uuid.uuid4(), "2.1 Poursuivre le concours", at, False)
    day = present.date(dt.date(2021, 2, 20))
    assert change_label(meeting) == f"Coordination ({day})"
    assert change_label(untitled) == day
    assert change_label(funding) == f"Région \u00b7 {present.money(1_250_000)} (2020)"
    assert change_label(action) == "2.1 Poursuivre le concours"
    written = {"fr": "Région \u00b7 12\u202f500\u00a0€ (2020)", "en": "Région \u00b7 €12,500 (2020)"}
    assert change_label(funding) == written[lang]
