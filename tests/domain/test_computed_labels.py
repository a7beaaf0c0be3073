"""A computed indicator is named in the reader's language, whoever set its target and in
whatever language; the history calls setting a target what it is."""

from __future__ import annotations

import datetime as dt
import json

from coopterm.domain.history import describe, history_since
from coopterm.domain.indicators import plan_indicators
from coopterm.domain.manual_indicators import indicator_rows, set_computed_target
from coopterm.domain.plans import create_plan, current_plan
from coopterm.i18n import set_language, t

TODAY = dt.date(2020, 6, 1)
COMPLETION_FR = "Taux de réalisation des actions proposées"


def labels(db) -> list[str]:
    with db.read() as s:
        plan = current_plan(s)
        return [r.label for r in plan_indicators(s, plan, TODAY)]


def test_a_target_set_in_french_leaves_the_english_names_english(db):
    set_language("fr")
    with db.write() as s:
        plan_id = create_plan(s, {"title": "Plan de Sierre", "start_date": "2019-01-01",
                                  "end_date": "2021-12-31", "towns": "Sierre (Suisse)"})
        assert set_computed_target(s, plan_id, "completion_rate", "80").changed
    assert labels(db)[0] == COMPLETION_FR
    set_language("en")
    assert labels(db)[0] == t("indicator.completion_rate") == "Completion rate of the proposed actions"
    with db.read() as s:
        assert [r.label for r in indicator_rows(s, current_plan(s).id, TODAY)][0] == t("indicator.completion_rate")
        (entry,) = [e for e in history_since(s) if e.table == "indicator"]
    assert describe(entry) == "Indicator Completion rate of the proposed actions: target set to 80"
    set_language("fr")
    with db.read() as s:
        (entry,) = [e for e in history_since(s) if e.table == "indicator"]
    assert describe(entry) == f"Indicateur {COMPLETION_FR} : cible fixée à 80"


def test_the_demo_names_its_indicators_in_english_in_english(demo_db):
    """The demo's rows hold the French words of the plan it copies."""
    with demo_db.write() as s:
        plan = current_plan(s)
        set_computed_target(s, plan.id, "completion_rate", "80")
    set_language("en")
    assert labels(demo_db) == [t(f"indicator.{key}") for key in
                               ("completion_rate", "satisfaction_rate", "multilateral_share", "new_projects")]
    with demo_db.read() as s:
        entry = [e for e in history_since(s) if e.table == "indicator"][-1]
    assert describe(entry) == "Indicator Completion rate of the proposed actions changed: Target 90 → 80"


def test_status_json_names_them_in_the_language_asked_for(demo_db, tmp_path, capsys):
    from coopterm.cli import main

    set_language("fr")
    with demo_db.write() as s:
        set_computed_target(s, current_plan(s).id, "completion_rate", "80")
    assert main(["--lang", "en", "status", "--json", "--db", str(demo_db.path)]) == 0
    shown = json.loads(capsys.readouterr().out)
    text = json.dumps(shown, ensure_ascii=False)
    assert "Completion rate of the proposed actions" in text
    assert COMPLETION_FR not in text
