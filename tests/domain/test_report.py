"""The progress report: its content checked against the demo data read straight from the
file (plain sqlite3, not the domain layer), its HTML self-contained and escaped, and
its file written whole or refused."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest

from coopterm.domain import zones
from coopterm.domain.report import build_report
from coopterm.errors import CooptermError
from coopterm.models import Action, Plan
from coopterm.report import choose_format, load_report, render_html, render_markdown, write_report
from coopterm.report.words import Words

TODAY = dt.date(2021, 6, 14)
NNBSP, NBSP = "\u202f", "\u00a0"


def sql(db, query: str, *params):
    conn = sqlite3.connect(db.path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def current_plan_hex(db) -> str:
    return sql(db, "SELECT value FROM meta WHERE key = 'current_plan'")[0][0]


def md_cells(line: str) -> list[str]:
    """The cells of a Markdown table row, splitting on unescaped pipes only."""
    parts = re.split(r"(?<!\\)\|", line.strip())
    return [p.strip() for p in parts[1:-1]]


def report_of(db, today: dt.date = TODAY):
    return load_report(db, today)


# --- money, numbers, words --------------------------------------------------------------------


def test_amounts_are_written_as_each_language_writes_euros():
    fr, en = Words("fr"), Words("en")
    assert fr.euros(1_710_050) == f"17{NNBSP}100,50{NBSP}€"
    assert en.euros(1_710_050) == "€17,100.50"
    assert fr.euros(1_710_000) == f"17{NNBSP}100{NBSP}€"
    assert en.euros(1_710_000) == "€17,100"
    assert fr.euros(5) == f"0,05{NBSP}€"
    assert en.euros(123_456_789_012) == "€1,234,567,890.12"  # exact: no float on the way


def test_an_unknown_language_or_format_is_refused():
    with pytest.raises(CooptermError) as refused:
        Words("de")
    assert refused.value.key == "report.bad_language"
    with pytest.raises(CooptermError) as refused:
        choose_format("pdf", None)
    assert refused.value.key == "report.bad_format"
    assert choose_format(None, "rapport.HTML") == "html"
    assert choose_format(None, "rapport.md") == "md"
    assert choose_format(None, None) == "md"


# --- the demo plan, in both languages -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_action_of_the_demo_is_listed_with_its_pilots_in_order(demo_db, lang):
    db = demo_db
    plan = current_plan_hex(db)
    actions = sql(db, """
        SELECT a.id, c.transversal, c.number, a.number, a.title FROM action a
        JOIN challenge c ON c.id = a.challenge_id
        WHERE c.plan_id = ? AND a.deleted_at IS NULL AND c.deleted_at IS NULL""", plan)
    assert len(actions) == 11
    md = render_markdown(report_of(db), lang)
    html = render_html(report_of(db), lang)
    rows = [md_cells(line) for line in md.splitlines() if re.match(r"\| (T|\d+)\.\d+ \|", line)]
    assert len(rows) == len(actions)
    by_code = {cells[0]: cells for cells in rows}
    for action_id, transversal, c_number, a_number, title in actions:
        code = f"{'T' if transversal else c_number}.{a_number}"
        pilots = [name for (name,) in sql(db, """
            SELECT p.name FROM action_pilot ap JOIN person p ON p.id = ap.person_id
            WHERE ap.action_id = ? AND ap.deleted_at IS NULL ORDER BY ap.position""", action_id)]
        assert by_code[code][1] == title.replace("*", r"\*").replace("_", r"\_")
        assert by_code[code][4] == ", ".join(pilots)
        assert f"<td>{', '.join(pilots)}</td>" in html
    # The transversal défi is "T" and comes first.
    assert rows[0][0] == "T.1"
    three = by_code["T.3"]
    assert three[4] == "Aleksandra Monsiol, Robert Pyka"
    status = {"fr": "réalisée", "en": "done"}[lang]
    assert three[2] == status and three[3] == {"fr": f"100{NBSP}%", "en": "100%"}[lang]  # each locale's sign


@pytest.mark.parametrize(("lang", "amount"), [("fr", f"58{NNBSP}000{NBSP}€"), ("en", "€58,000")])
def test_funding_by_year_is_the_sum_of_the_contributions(demo_db, lang, amount):
    db = demo_db
    cents = [c for (c,) in sql(db, "SELECT amount_cents FROM funding WHERE plan_id = ? AND year = 2020 "
                                   "AND deleted_at IS NULL", current_plan_hex(db))]
    assert sum(cents) == 5_800_000
    words = Words(lang)
    assert words.euros(sum(cents)) == amount
    md = render_markdown(report_of(db), lang)
    total_row = next(md_cells(line) for line in md.splitlines() if line.startswith("| **Total"))
    years = next(md_cells(line) for line in md.splitlines() if line.startswith(("| Financeur", "| Funder")))
    assert total_row[years.index("2020")] == f"**{amount}**"
    grand = sum(c for (c,) in sql(db, "SELECT amount_cents FROM funding WHERE plan_id = ? AND deleted_at IS NULL",
                                  current_plan_hex(db)))
    assert total_row[-1] == f"**{words.euros(grand)}**"
    assert f'<td class="num">{words.euros(grand)}</td>' in render_html(report_of(db), lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_meetings_held_are_listed_newest_first_with_their_decisions(demo_db, lang):
    db = demo_db
    held = sql(db, """SELECT starts_at, title FROM meeting WHERE plan_id = ? AND deleted_at IS NULL
                      AND date(starts_at) <= ? ORDER BY starts_at DESC""", current_plan_hex(db), TODAY.isoformat())
    total = sql(db, "SELECT count(*) FROM meeting WHERE plan_id = ? AND deleted_at IS NULL", current_plan_hex(db))[0][0]
    assert 0 < len(held) < total  # the demo also has meetings planned after "today"
    report = report_of(db)
    assert len(report.meetings) == len(held)
    assert [m.title for m in report.meetings] == [title for _, title in held]
    md = render_markdown(report, lang)
    words = Words(lang)
    meeting_rows = [md_cells(line) for line in md.splitlines() if re.match(r"\| \d{2}/\d{2}/\d{4} \d|\| \d{4}-", line)]
    assert len(meeting_rows) == len(held)
    newest = dt.datetime.fromisoformat(held[0][0])
    # shown on the clocks of its town (else the plan's), the zone written after them
    (zone,) = sql(db, """SELECT CASE WHEN m.remote OR coalesce(t.time_zone, '') = '' THEN p.time_zone
                                     ELSE t.time_zone END
                         FROM meeting m JOIN plan p ON p.id = m.plan_id LEFT JOIN town t ON t.id = m.town_id
                         WHERE m.plan_id = ? AND m.starts_at = ?""", current_plan_hex(db), held[0][0])[0]
    assert zone != "UTC"
    assert meeting_rows[0][0] == words.zoned_date_time(zones.to_local(newest, zone))
    # A decision with its meeting and the action it is about.
    text, done, meeting_title, code = sql(db, """
        SELECT d.text, d.done, m.title, c.number || '.' || a.number FROM decision d
        JOIN meeting m ON m.id = d.meeting_id JOIN action a ON a.id = d.action_id
        JOIN challenge c ON c.id = a.challenge_id
        WHERE d.deleted_at IS NULL AND c.transversal = 0 AND date(m.starts_at) <= ? LIMIT 1""", TODAY.isoformat())[0]
    section = md.split(f"— {meeting_title}**", 1)[1]
    item = next(line for line in section.splitlines() if line.startswith("- ["))
    assert text in item and code in item
    assert item.startswith("- [x]" if done else "- [ ]")
    html = render_html(report, lang)
    assert html.count('<tr class="decisions">') == sum(1 for m in report.meetings if m.decisions)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_header_names_the_plan_its_period_towns_and_the_date(demo_db, lang):
    db = demo_db
    title, vision = sql(db, "SELECT title, vision FROM plan WHERE id = ?", current_plan_hex(db))[0]
    towns = sorted(name for (name,) in sql(db, """SELECT t.name FROM town t JOIN plan_town pt ON pt.town_id = t.id
                                                  WHERE pt.plan_id = ?""", current_plan_hex(db)))
    md = render_markdown(report_of(db), lang)
    assert md.startswith(f"# {title}\n")
    assert vision[:60] in md
    for town in towns:
        assert town in md.split("##", 1)[0]
    assert {"fr": "Rapport d'avancement du 14/06/2021", "en": "Progress report of 2021-06-14"}[lang] in md
    html = render_html(report_of(db), lang)
    assert f'<html lang="{lang}">' in html and '<meta charset="utf-8">' in html


def test_the_indicator_bars_match_the_recorded_actions(demo_db):
    db = demo_db
    plan = current_plan_hex(db)
    proposed, done = sql(db, """SELECT count(*), sum(a.status = 'done') FROM action a
        JOIN challenge c ON c.id = a.challenge_id
        WHERE c.plan_id = ? AND a.deleted_at IS NULL AND c.deleted_at IS NULL""", plan)[0]
    target = sql(db, "SELECT target FROM indicator WHERE plan_id = ? AND key = 'completion_rate'", plan)[0][0]
    ratio = min(1.0, done / proposed * 100 / target)
    assert 0 < ratio < 1
    report = report_of(db)
    html = render_html(report, "en")
    widths = re.findall(r'<span style="width: ([0-9.]+)%">', html)
    computed_with_bar = [i for i in report.indicators if i.target is not None or i.unit == "%"]
    assert len(widths) == len(computed_with_bar)
    assert float(widths[0]) == pytest.approx(ratio * 100, abs=0.05)
    md = render_markdown(report, "en")
    completion = next(md_cells(line) for line in md.splitlines() if line.startswith("| Completion rate"))
    assert completion[2].startswith("█" * int(ratio * 10) + "░" * (10 - int(ratio * 10)) + " ")
    assert completion[3] == f"{done / proposed * 100:.1f}%"  # English: no space before the sign
    # The count of new projects has no target: no bar, said in words.
    projects = next(md_cells(line) for line in md.splitlines() if line.startswith("| New multilateral"))
    assert projects[2] == "—" and projects[4] == "no target"


def test_a_manual_indicator_is_reported_with_its_latest_measurement(demo_db):
    from coopterm.domain.manual_indicators import add_measurement, create_manual_indicator

    db = demo_db
    with db.write() as session:
        plan = session.get(Plan, __import__("uuid").UUID(current_plan_hex(db)))
        change = create_manual_indicator(session, plan.id, {"label": "Visiteurs du forum", "unit": "visiteurs",
                                                            "target": "400"})
    with db.write() as session:
        add_measurement(session, change.id, {"measured_on": "2021-01-10", "value": "100"})
        add_measurement(session, change.id, {"measured_on": "2021-05-10", "value": "300"})
    md = render_markdown(report_of(db), "fr")
    row = next(md_cells(line) for line in md.splitlines() if line.startswith("| Visiteurs du forum"))
    assert row[1] == "mesuré"
    assert row[2] == "███████░░░ 75\u00a0%"
    assert row[3] == f"300{NBSP}visiteurs" and row[4] == f"400{NBSP}visiteurs"
    assert '<span style="width: 75%">' in render_html(report_of(db), "fr")


# --- what is late --------------------------------------------------------------------------------


def test_an_action_past_its_due_date_is_late_unless_done(demo_db):
    db = demo_db
    assert "Nothing is late on 2021-06-14." in render_markdown(report_of(db), "en")
    action_id, title = sql(db, """SELECT a.id, a.title FROM action a JOIN challenge c ON c.id = a.challenge_id
        WHERE c.transversal = 0 AND c.number = 2 AND a.number = 2 AND c.plan_id = ?""", current_plan_hex(db))[0]
    with db.write() as session:
        action = session.get(Action, __import__("uuid").UUID(action_id))
        action.due_date = dt.date(2021, 5, 1)
        session.add(action)
    report = report_of(db)
    assert [(a.code, a.days_late) for a in report.late_actions] == [("2.2", 44)]
    md = render_markdown(report, "en")
    late = md.split("## What is late", 1)[1]
    assert "Nothing is late" not in late
    row = next(md_cells(line) for line in late.splitlines() if line.startswith("| 2.2 |"))
    assert row[1] == title and row[3] == "2021-05-01" and row[4] == "44 days"
    assert "44 jours" in render_markdown(report, "fr")
    assert '<span class="late">late</span>' in render_html(report, "en")
    with db.write() as session:
        action = session.get(Action, __import__("uuid").UUID(action_id))
        action.status = "done"
        session.add(action)
    assert report_of(db).late_actions == ()


def test_meetings_the_rhythm_expected_are_listed_as_late(db, plan):
    report = report_of(db, dt.date(2019, 3, 1))
    # No coordination held since 1 January: one was due eight weeks later, on 26 February.
    assert [(m.due, m.days_late) for m in report.overdue_meetings] == [(dt.date(2019, 2, 26), 3)]
    md = render_markdown(report, "fr")
    row = next(md_cells(line) for line in md.splitlines() if line.startswith("| coordination |"))
    assert row == ["coordination", "toutes les villes", "jamais", "26/02/2019", "3 jours"]


# --- an empty plan, escaping, self-containment ----------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_empty_plan_renders(db, plan, lang):
    report = report_of(db)
    assert report.challenges == () and report.meetings == () and report.funding.total == 0
    md = render_markdown(report, lang)
    html = render_html(report, lang)
    for text in ({"fr": "Aucun défi", "en": "No challenge"}[lang], {"fr": "Aucune réunion", "en": "No meeting"}[lang],
                 {"fr": "Aucun financement", "en": "No funding"}[lang]):
        assert text in md and text in html
    later = report_of(db, dt.date(2023, 1, 1))
    assert later.plan_over and later.overdue_meetings == ()
    assert {"fr": "période du plan est terminée", "en": "period is over"}[lang] in render_markdown(later, lang)


def test_a_file_without_a_plan_is_refused(db):
    with pytest.raises(CooptermError) as refused:
        write_report(db, "md", "en", TODAY)
    assert refused.value.key == "report.no_plan"


HOSTILE = 'Plan <script>alert("x")</script> & co | <img src=x> [lien](http://evil) *gras*'


@pytest.fixture
def hostile_db(db, plan):
    from coopterm.domain.actions import create_action
    from coopterm.domain.challenges import create_challenge

    with db.write() as session:
        row = session.get(Plan, plan.id)
        row.title = HOSTILE
        row.vision = "# pas un titre\n\n- pas une liste <b>"
        session.add(row)
        challenge = create_challenge(session, plan.id, {"number": 1, "title": "Défi | à <i>part</i>"})
    with db.write() as session:
        create_action(session, {"challenge_id": challenge.id, "number": 1, "title": "Action | deux <b>colonnes</b>",
                                "status": "planned", "progress": 0, "pilots": [], "towns": []})
    return db


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_is_self_contained_and_escapes_the_plan_texts(hostile_db, demo_db, lang):
    html = render_html(report_of(demo_db), lang)
    lowered = html.lower()
    for forbidden in ("http", "<script", "<link", "src=", "url(", "@import", "<img", "<iframe", "<object"):
        assert forbidden not in lowered, forbidden
    assert "<style>" in html and "@media print" in html and "print-color-adjust: exact" in html
    html = render_html(report_of(hostile_db), lang)
    for forbidden in ("<script", "<img", "<i>", "<b>"):  # the plan's words only, escaped
        assert forbidden not in html.lower(), forbidden
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    assert "Action | deux &lt;b&gt;colonnes&lt;/b&gt;" in html


def test_markdown_escapes_the_plan_texts(hostile_db):
    md = render_markdown(report_of(hostile_db), "en")
    assert "<script>" not in md and "<b>" not in md and "[lien](" not in md
    assert md.splitlines()[0] == (r'# Plan \<script\>alert("x")\</script\> \& co \| \<img src=x\> '
                                  r'\[lien\](http://evil) \*gras\*')
    row = next(md_cells(line) for line in md.splitlines() if line.startswith("| 1.1 |"))
    assert len(row) == 7
    assert row[1] == r"Action \| deux \<b\>colonnes\</b\>"
    assert "> \\# pas un titre" in md and "> \\- pas une liste" in md


# --- writing the file ---------------------------------------------------------------------------


def test_the_report_is_written_whole_and_can_be_made_again(demo_db, tmp_path):
    db = demo_db
    target = tmp_path / "rapport.html"
    written = write_report(db, None, "fr", TODAY, target)
    assert written == target
    assert target.read_text("utf-8") == write_report(db, "html", "fr", TODAY)
    target.chmod(0o640)
    write_report(db, "md", "en", TODAY, target, force=True)  # made again: replaced, permissions kept
    assert target.read_text("utf-8").startswith("# Plan d'action")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".rapport")) == []


def test_the_language_of_the_report_does_not_change_the_language_of_the_app(demo_db):
    from coopterm.i18n import language

    write_report(demo_db, "md", "fr", TODAY)
    assert language() == "en"
    assert write_report(demo_db, "md", None, TODAY).count("Progress report of") == 1


@pytest.mark.parametrize(("name", "key"), [
    ("folder", "report.target_is_directory"),
    ("missing/rapport.md", "report.no_folder"),
    ("demo.db", "report.would_replace_database"),
    ("other.db", "report.would_replace_database"),
])
def test_refusals_leave_the_files_as_they_were(demo_db, tmp_path, name, key):
    (tmp_path / "folder").mkdir()
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    with pytest.raises(CooptermError) as refused:
        write_report(demo_db, "md", "en", TODAY, tmp_path / name)
    assert refused.value.key == key
    assert str(tmp_path / name) in str(refused.value)
    assert {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_build_report_reads_one_session(demo_db):
    """The data function is usable on its own (the app may call it in a worker)."""
    from coopterm.domain.plans import current_plan

    with demo_db.read() as session:
        report = build_report(session, current_plan(session), TODAY)
    assert report.action_count == 11 and report.today == TODAY
    assert [c.code for c in report.challenges] == ["T", "1", "2", "3"]


def test_the_share_of_target_is_rounded_like_every_figure_and_absent_without_a_target(demo_db):
    """60 of a target of 90 is 66,7 % (it read 66 %, cut short); a percentage without a
    target has no "share of target" bar (77 % satisfaction read as 77 % of a target)."""
    from coopterm.domain.manual_indicators import add_measurement, create_manual_indicator

    db = demo_db
    with db.write() as session:
        plan_id = __import__("uuid").UUID(current_plan_hex(db))
        with_target = create_manual_indicator(session, plan_id, {"label": "Jeunes accueillis", "unit": "jeunes",
                                                                 "target": "90"})
        without = create_manual_indicator(session, plan_id, {"label": "Élus satisfaits", "unit": "%"})
    with db.write() as session:
        add_measurement(session, with_target.id, {"measured_on": "2021-01-10", "value": "60"})
        add_measurement(session, without.id, {"measured_on": "2021-01-10", "value": "77"})
    report = report_of(db)
    md = render_markdown(report, "fr")
    row = next(md_cells(line) for line in md.splitlines() if line.startswith("| Jeunes accueillis"))
    assert row[2] == "██████░░░░ 66,7\u00a0%"
    row = next(md_cells(line) for line in md.splitlines() if line.startswith("| Élus satisfaits"))
    assert row[2] == "—"
    html = render_html(report, "en")
    assert 'aria-label="66.7%"' in html and "Élus satisfaits" in html
    assert html.count('class="bar ') == sum(1 for i in report.indicators if i.target)
