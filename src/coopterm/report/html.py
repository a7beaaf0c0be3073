"""The report as one self-contained HTML file: report data in, text out.

A funder may open it years later, offline, or print it: everything is in the
file (the style sheet ``report.css`` is inlined; no script, font, image or
address of any kind), every text from the plan goes through :func:`esc` (made
printable, then ``html.escape``, so it is never markup nor a control character),
and the indicator bars are drawn with CSS borders, which print even when the
browser leaves background colours out.  A bar's filled width is the share of
the target reached (see ``domain.indicators.gauge_fill``).
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

from coopterm.domain.indicators import gauge_fill, target_share
from coopterm.domain.report import Report, ReportIndicator
from coopterm.present import NO_VALUE
from coopterm.report.words import Words
from coopterm.text import printable


@cache
def stylesheet() -> str:
    return (Path(__file__).parent / "report.css").read_text("utf-8")


def esc(text: object) -> str:
    """Text from the plan as HTML: every control character made visible (line breaks and
    tabs are kept: HTML shows them as spaces), then ``& < > " '`` escaped, so data never
    becomes a tag, an attribute or an entity."""
    return html.escape(printable(text, multiline=True), quote=True)


def bar_width(ratio: float) -> str:
    """The CSS width of a bar's filled part: "72.7%" (always a point, whatever the language)."""
    return f"{round(ratio * 100, 1):g}%"


class _Html:
    def __init__(self, report: Report, lang: str) -> None:
        self.r = report
        self.w = Words(lang)
        self.out: list[str] = []

    def add(self, *parts: str) -> None:
        self.out.extend(parts)

    def t(self, key: str, /, **params: object) -> str:
        """A message of the report's language, escaped (placeholders included)."""
        return esc(self.w.t(key, **params))

    def tn(self, key: str, count: int, /, **params: object) -> str:
        """A counted message of the report's language, escaped (placeholders included)."""
        return esc(self.w.tn(key, count, **params))

    def join(self, names: tuple[str, ...]) -> str:
        return esc(", ".join(names)) if names else NO_VALUE

    def table(self, header: list[tuple[str, str]], rows: list[str], css: str = "") -> None:
        """``header``: (escaped text, class); ``rows``: ready ``<tr>`` elements."""
        cells = "".join(f'<th class="{c}">{h}</th>' if c else f"<th>{h}</th>" for h, c in header)
        self.add(f'<table class="{css}">' if css else "<table>", f"<thead><tr>{cells}</tr></thead>",
                 "<tbody>", *rows, "</tbody></table>")

    @staticmethod
    def row(*cells: tuple[str, str] | str, css: str = "") -> str:
        """A ``<tr>``; a cell is escaped HTML, or (escaped HTML, class)."""
        parts = []
        for cell in cells:
            text, c = cell if isinstance(cell, tuple) else (cell, "")
            parts.append(f'<td class="{c}">{text}</td>' if c else f"<td>{text}</td>")
        return (f'<tr class="{css}">' if css else "<tr>") + "".join(parts) + "</tr>"

    # --- sections ---------------------------------------------------------------------

    def header(self) -> None:
        r, w = self.r, self.w
        self.add("<header>", f"<h1>{esc(r.title)}</h1>",
                 f'<p class="dated">{self.t("report.of_date", date=w.date(r.today))}</p>',
                 '<ul class="facts">',
                 f'<li>{self.t("report.period", start=w.date(r.start_date), end=w.date(r.end_date))}</li>',
                 f'<li>{self.t("report.towns", towns=", ".join(r.towns) or NO_VALUE)}</li>',
                 "</ul>")
        if r.vision.strip():
            paragraphs = [p.strip() for p in printable(r.vision, multiline=True).split("\n\n") if p.strip()]
            self.add(f'<section class="vision" aria-label="{self.t("report.vision")}">',
                     *(f"<p>{esc(p)}</p>" for p in paragraphs), "</section>")
        self.add("</header>")

    def bar(self, ind: ReportIndicator) -> str:
        """The share of the target reached; no bar without a target (a share of nothing)."""
        ratio = gauge_fill(ind.value, ind.target, ind.unit)
        if ratio is None or ind.target is None or ind.target <= 0:
            return NO_VALUE
        reached = target_share(ind.value, ind.target)
        share = self.t("report.no_data") if reached is None else esc(self.w.percent(reached))
        return (f'<span class="bar s-{ind.status.value}" role="img" aria-label="{share}">'
                f'<span style="width: {bar_width(ratio)}"></span></span>{share}')

    def indicators(self) -> None:
        w = self.w
        self.add('<section class="indicators">', f"<h2>{self.t('report.indicators')}</h2>")
        if not self.r.indicators:
            self.add(f"<p>{self.t('report.no_indicators')}</p>", "</section>")
            return
        rows = [self.row(
            esc(w.indicator_label(ind)),
            self.t("report.indicator_computed") if ind.computed else self.t("report.indicator_manual"),
            (self.bar(ind), "nowrap"),
            (esc(w.indicator_value(ind.value, ind.unit)), "num"),
            (esc(w.indicator_target(ind)), "num"),
            f'<span class="status s-{ind.status.value}">{esc(w.indicator_status(ind.status))}</span>',
        ) for ind in self.r.indicators]
        self.table([(self.t("report.col.indicator"), ""), (self.t("report.col.source"), ""),
                    (self.t("report.col.share_of_target"), ""), (self.t("report.col.value"), "num"),
                    (self.t("report.col.target"), "num"), (self.t("report.col.status"), "")], rows)
        self.add("</section>")

    def challenges(self) -> None:
        w = self.w
        self.add('<section class="challenges">', f"<h2>{self.t('report.challenges')}</h2>")
        if not self.r.challenges:
            self.add(f"<p>{self.t('report.no_challenges')}</p>")
        for c in self.r.challenges:
            heading = (self.t("report.challenge_transversal", title=c.title) if c.transversal
                       else self.t("report.challenge", code=c.code, title=c.title))
            self.add(f"<h3>{heading}</h3>")
            if not c.actions:
                self.add(f"<p>{self.t('report.no_actions')}</p>")
                continue
            summary = self.tn("report.challenge_summary", len(c.actions), progress=w.percent(c.progress))
            self.add(f'<p class="summary">{summary}</p>')
            rows = []
            for a in c.actions:
                due = esc(w.date(a.due_date))
                if a.late:
                    due += f' <span class="late">{self.t("report.late_mark")}</span>'
                rows.append(self.row((esc(a.code), "nowrap"), esc(a.title), esc(w.status(a.status)),
                                     (esc(w.percent(a.progress)), "num"), self.join(a.pilots),
                                     self.join(a.towns), (due, "nowrap")))
            self.table([(self.t("report.col.code"), ""), (self.t("report.col.action"), ""),
                        (self.t("report.col.status"), ""), (self.t("report.col.progress"), "num"),
                        (self.t("report.col.pilots"), ""), (self.t("report.col.towns"), ""),
                        (self.t("report.col.due"), "")], rows)
        self.add("</section>")

    def meetings(self) -> None:
        r, w = self.r, self.w
        self.add('<section class="meetings">', f"<h2>{self.t('report.meetings')}</h2>")
        if not r.meetings:
            self.add(f"<p>{self.t('report.no_meetings', date=w.date(r.today))}</p>", "</section>")
            return
        summary = (self.tn("report.meetings_count", len(r.meetings), date=w.date(r.today)) + " "
                   + self.t("report.meetings_zones", zone=r.time_zone))
        self.add(f'<p class="summary">{summary}</p>')
        rows = []
        for m in r.meetings:
            place = self.t("report.remote") if m.remote else (esc(m.town) if m.town else NO_VALUE)
            rows.append(self.row((esc(w.zoned_date_time(m.local_start or m.starts_at)), "nowrap"), esc(w.kind(m.kind)),
                                 esc(m.title) or NO_VALUE, place, (str(m.attendees), "num"),
                                 (esc(w.percent(m.satisfaction)), "num")))
            if m.decisions:
                items = []
                for d in m.decisions:
                    state = self.t("report.decision_done") if d.done else self.t("report.decision_open")
                    about = f" ({self.t('report.decision_about', code=d.action_code)})" if d.action_code else ""
                    items.append(f'<li class="{"done" if d.done else "open"}">{esc(d.text)}{about} '
                                 f'<span class="state">— {state}</span></li>')
                rows.append(f'<tr class="decisions"><td></td><td colspan="5">'
                            f'<ul class="decisions" aria-label="{self.t("report.decisions")}">'
                            + "".join(items) + "</ul></td></tr>")
        self.table([(self.t("report.col.date_local"), ""), (self.t("report.col.kind"), ""),
                    (self.t("report.col.title"), ""), (self.t("report.col.place"), ""),
                    (self.t("report.col.attendees"), "num"), (self.t("report.col.satisfaction"), "num")], rows)
        self.add("</section>")

    def funding(self) -> None:
        f, w = self.r.funding, self.w
        self.add('<section class="funding">', f"<h2>{self.t('report.funding')}</h2>")
        if not f.by_funder:
            self.add(f"<p>{self.t('report.no_funding')}</p>", "</section>")
            return
        self.add(f'<p class="summary">{self.t("report.funding_total", amount=w.euros(f.total))}</p>')
        rows = [self.row(esc(funder),
                         *((esc(w.euros(f.cells[(funder, y)])) if (funder, y) in f.cells else NO_VALUE, "num")
                           for y in f.years),
                         (esc(w.euros(total)), "num"))
                for funder, total in f.by_funder]
        rows.append(self.row(self.t("report.col.total"), *((esc(w.euros(c)), "num") for _, c in f.by_year),
                             (esc(w.euros(f.total)), "num"), css="total"))
        self.table([(self.t("report.col.funder"), ""), *((str(y), "num") for y in f.years),
                    (self.t("report.col.total"), "num")], rows)
        self.add("</section>")

    def projects(self) -> None:
        w = self.w
        self.add('<section class="projects">', f"<h2>{self.t('report.projects')}</h2>")
        if not self.r.projects:
            self.add(f"<p>{self.t('report.no_projects')}</p>", "</section>")
            return
        rows = [self.row(esc(p.title), esc(w.scope(p.scope)), self.join(p.towns), esc(p.origin_code) or NO_VALUE,
                         (esc(w.date(p.started_on)), "nowrap")) for p in self.r.projects]
        self.table([(self.t("report.col.project"), ""), (self.t("report.col.scope"), ""),
                    (self.t("report.col.towns"), ""), (self.t("report.col.origin"), ""),
                    (self.t("report.col.started"), "")], rows)
        self.add("</section>")

    def late(self) -> None:
        r, w = self.r, self.w
        self.add('<section class="late-items">', f"<h2>{self.t('report.late')}</h2>")
        if not r.late_actions and not r.overdue_meetings:
            self.add(f"<p>{self.t('report.nothing_late', date=w.date(r.today))}</p>")
        if r.late_actions:
            self.add(f"<h3>{self.t('report.late_actions')}</h3>")
            rows = [self.row((esc(a.code), "nowrap"), esc(a.title), esc(w.status(a.status)),
                             (esc(w.date(a.due_date)), "nowrap"), (esc(w.days(a.days_late)), "num late"),
                             self.join(a.pilots)) for a in r.late_actions]
            self.table([(self.t("report.col.code"), ""), (self.t("report.col.action"), ""),
                        (self.t("report.col.status"), ""), (self.t("report.col.due"), ""),
                        (self.t("report.col.late_by"), "num"), (self.t("report.col.pilots"), "")], rows)
        if r.overdue_meetings:
            self.add(f"<h3>{self.t('report.late_meetings')}</h3>")
            rows = [self.row(esc(w.kind(m.kind)), esc(m.town) if m.town else self.t("report.all_towns"),
                             (esc(w.date(m.last_held)) if m.last_held else self.t("report.never"), "nowrap"),
                             (esc(w.date(m.due)), "nowrap"), (esc(w.days(m.days_late)), "num late"))
                    for m in r.overdue_meetings]
            self.table([(self.t("report.col.kind"), ""), (self.t("report.col.town"), ""),
                        (self.t("report.col.last_held"), ""), (self.t("report.col.expected"), ""),
                        (self.t("report.col.late_by"), "num")], rows)
        if r.plan_over:
            self.add(f'<p class="note">{self.t("report.plan_over")}</p>')
        self.add("</section>")

    def render(self) -> str:
        w = self.w
        self.add("<!DOCTYPE html>", f'<html lang="{w.lang}">', "<head>", '<meta charset="utf-8">',
                 '<meta name="viewport" content="width=device-width, initial-scale=1">',
                 f"<title>{esc(self.r.title)} — {self.t('report.of_date', date=w.date(self.r.today))}</title>",
                 f"<style>\n{stylesheet()}</style>", "</head>", "<body>")
        self.header()
        self.add("<main>")
        self.indicators()
        self.challenges()
        self.meetings()
        self.funding()
        self.projects()
        self.late()
        self.add("</main>", f"<footer>{self.t('report.footer', date=w.date(self.r.today))}</footer>",
                 "</body>", "</html>")
        return "\n".join(self.out) + "\n"


def render_html(report: Report, lang: str) -> str:
    """The report as one self-contained HTML document in ``lang`` ("fr" or "en")."""
    return _Html(report, lang).render()
