"""The report as GitHub-flavoured Markdown: report data in, text out.

Every text that comes from the plan is escaped, so that a title holding "|", "*"
or "<script>" stays a title: a table cell stays one cell, nothing turns into
emphasis, a link, math or HTML.  Every Markdown punctuation character a viewer
could act on is escaped with a backslash (``\\ ` * _ [ ] < > | & ~ $``), line
breaks inside a cell, a heading or a list item become spaces, and a line that
would start a heading, list or quote is escaped too.  The text is also made
:func:`~coopterm.text.printable`, because the report is printed on the terminal
without ``-o``: an escape sequence in a title shows as ``␛``, it never acts.

Indicator bars are ten text cells ("███████░░░").  Meetings are one compact
table, newest first, followed by the decisions grouped under each meeting that
took some (a table row cannot hold a list).
"""

from __future__ import annotations

import re
from collections.abc import Set

from coopterm.domain.indicators import gauge_fill, target_share
from coopterm.domain.report import Report, ReportIndicator
from coopterm.present import NO_VALUE
from coopterm.report.words import Words
from coopterm.text import printable

BAR_CELLS = 10
FULL, EMPTY = "\u2588", "\u2591"  # █ ░
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~$])")
_BREAKS = re.compile(r"[ \t\r\n\f\v]+")
_LINE_START = re.compile(r"^(\s*)([-+=#]|\d+[.)])", re.MULTILINE)


def one_line(text: str) -> str:
    """Line breaks and runs of spaces as one space; no-break spaces (in "90 %") are kept."""
    return _BREAKS.sub(" ", str(text)).strip(" ")


def md_text(text: str) -> str:
    """Plain text made inert in Markdown and printable, on one line (for table cells,
    headings, list items)."""
    return _SPECIAL.sub(r"\\\1", printable(one_line(text)))


def md_paragraphs(text: str) -> list[str]:
    """Plain text as paragraphs: blank lines separate them, lines inside one are joined."""
    blocks = [one_line(b) for b in re.split(r"\n[ \t\r\f\v]*\n", str(text))]
    return [_LINE_START.sub(r"\1\\\2", md_text(b)) for b in blocks if b]


def text_bar(ratio: float) -> str:
    """``BAR_CELLS`` cells, ``ratio`` of them full, rounded down: a full bar means the target is reached."""
    full = min(BAR_CELLS, int(ratio * BAR_CELLS + 1e-9))
    return FULL * full + EMPTY * (BAR_CELLS - full)


def _table(header: list[str], rows: list[list[str]], right: Set[int] = frozenset()) -> list[str]:
    """A GFM table; cells are given already escaped."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


class _Markdown:
    def __init__(self, report: Report, lang: str) -> None:
        self.r = report
        self.w = Words(lang)
        self.out: list[str] = []

    def add(self, *lines: str) -> None:
        self.out.extend(lines)

    def block(self, *lines: str) -> None:
        """Lines followed by a blank line."""
        self.out.extend(lines)
        self.out.append("")

    def join(self, names: tuple[str, ...]) -> str:
        return ", ".join(md_text(n) for n in names) or NO_VALUE

    # --- sections ---------------------------------------------------------------------

    def header(self) -> None:
        r, w = self.r, self.w
        self.block(f"# {md_text(r.title)}")
        self.block(f"**{md_text(w.t('report.of_date', date=w.date(r.today)))}**")
        self.block(
            f"- {md_text(w.t('report.period', start=w.date(r.start_date), end=w.date(r.end_date)))}",
            f"- {md_text(w.t('report.towns', towns=', '.join(r.towns) or NO_VALUE))}",
        )
        if r.vision.strip():
            self.block(f"## {md_text(w.t('report.vision'))}")
            for paragraph in md_paragraphs(r.vision):
                self.block(f"> {paragraph}")

    def bar(self, ind: ReportIndicator) -> str:
        """The share of the target reached; no bar without a target (a share of nothing)."""
        ratio = gauge_fill(ind.value, ind.target, ind.unit)
        if ratio is None or ind.target is None or ind.target <= 0:
            return NO_VALUE
        share = target_share(ind.value, ind.target)
        if share is None:
            return f"{text_bar(0)} {md_text(self.w.t('report.no_data'))}"
        return f"{text_bar(ratio)} {md_text(self.w.percent(share))}"

    def indicators(self) -> None:
        w = self.w
        self.block(f"## {md_text(w.t('report.indicators'))}")
        if not self.r.indicators:
            self.block(md_text(w.t("report.no_indicators")))
            return
        rows = [[
            md_text(w.indicator_label(ind)),
            md_text(w.t("report.indicator_computed") if ind.computed else w.t("report.indicator_manual")),
            self.bar(ind),
            md_text(w.indicator_value(ind.value, ind.unit)),
            md_text(w.indicator_target(ind)),
            md_text(w.indicator_status(ind.status)),
        ] for ind in self.r.indicators]
        self.block(*_table([md_text(w.t(k)) for k in (
            "report.col.indicator", "report.col.source", "report.col.share_of_target",
            "report.col.value", "report.col.target", "report.col.status")], rows, {3, 4}))

    def challenges(self) -> None:
        w = self.w
        self.block(f"## {md_text(w.t('report.challenges'))}")
        if not self.r.challenges:
            self.block(md_text(w.t("report.no_challenges")))
            return
        for c in self.r.challenges:
            heading = (w.t("report.challenge_transversal", title=c.title) if c.transversal
                       else w.t("report.challenge", code=c.code, title=c.title))
            self.block(f"### {md_text(heading)}")
            if not c.actions:
                self.block(md_text(w.t("report.no_actions")))
                continue
            self.block("*" + md_text(w.tn("report.challenge_summary", len(c.actions),
                                         progress=w.percent(c.progress))) + "*")
            rows = []
            for a in c.actions:
                due = md_text(w.date(a.due_date))
                if a.late:
                    due += f" **{md_text(w.t('report.late_mark'))}**"
                rows.append([md_text(a.code), md_text(a.title), md_text(w.status(a.status)),
                             md_text(w.percent(a.progress)), self.join(a.pilots), self.join(a.towns), due])
            self.block(*_table([md_text(w.t(k)) for k in (
                "report.col.code", "report.col.action", "report.col.status", "report.col.progress",
                "report.col.pilots", "report.col.towns", "report.col.due")], rows, {3}))

    def place(self, town: str | None, remote: bool) -> str:
        if remote:
            return md_text(self.w.t("report.remote"))
        return md_text(town) if town else NO_VALUE

    def meetings(self) -> None:
        r, w = self.r, self.w
        self.block(f"## {md_text(w.t('report.meetings'))}")
        if not r.meetings:
            self.block(md_text(w.t("report.no_meetings", date=w.date(r.today))))
            return
        self.block(md_text(w.tn("report.meetings_count", len(r.meetings), date=w.date(r.today))) + " "
                   + md_text(w.t("report.meetings_zones", zone=r.time_zone)))
        rows = [[md_text(w.zoned_date_time(m.local_start or m.starts_at)), md_text(w.kind(m.kind)),
                 md_text(m.title) or NO_VALUE,
                 self.place(m.town, m.remote), str(m.attendees), md_text(w.percent(m.satisfaction)),
                 str(len(m.decisions))] for m in r.meetings]
        self.block(*_table([md_text(w.t(k)) for k in (
            "report.col.date_local", "report.col.kind", "report.col.title", "report.col.place",
            "report.col.attendees", "report.col.satisfaction", "report.col.decisions")], rows, {4, 5, 6}))
        with_decisions = [m for m in r.meetings if m.decisions]
        if not with_decisions:
            return
        self.block(f"### {md_text(w.t('report.decisions'))}")
        for m in with_decisions:
            name = m.title or w.kind(m.kind)
            self.block(f"**{md_text(w.date((m.local_start or m.starts_at).date()))} — {md_text(name)}**")
            items = []
            for d in m.decisions:
                state = w.t("report.decision_done") if d.done else w.t("report.decision_open")
                about = f" ({md_text(w.t('report.decision_about', code=d.action_code))})" if d.action_code else ""
                items.append(f"- [{'x' if d.done else ' '}] {md_text(d.text)}{about} — {md_text(state)}")
            self.block(*items)

    def funding(self) -> None:
        f, w = self.r.funding, self.w
        self.block(f"## {md_text(w.t('report.funding'))}")
        if not f.by_funder:
            self.block(md_text(w.t("report.no_funding")))
            return
        self.block(md_text(w.t("report.funding_total", amount=w.euros(f.total))))
        header = [md_text(w.t("report.col.funder")), *(str(y) for y in f.years), md_text(w.t("report.col.total"))]
        rows = [[md_text(funder), *(md_text(w.euros(f.cells[(funder, y)])) if (funder, y) in f.cells else NO_VALUE
                                    for y in f.years), md_text(w.euros(total))]
                for funder, total in f.by_funder]
        rows.append([f"**{md_text(w.t('report.col.total'))}**",
                     *(f"**{md_text(w.euros(cents))}**" for _, cents in f.by_year),
                     f"**{md_text(w.euros(f.total))}**"])
        self.block(*_table(header, rows, set(range(1, len(header)))))

    def projects(self) -> None:
        w = self.w
        self.block(f"## {md_text(w.t('report.projects'))}")
        if not self.r.projects:
            self.block(md_text(w.t("report.no_projects")))
            return
        rows = [[md_text(p.title), md_text(w.scope(p.scope)), self.join(p.towns),
                 md_text(p.origin_code) or NO_VALUE, md_text(w.date(p.started_on))] for p in self.r.projects]
        self.block(*_table([md_text(w.t(k)) for k in (
            "report.col.project", "report.col.scope", "report.col.towns", "report.col.origin",
            "report.col.started")], rows))

    def late(self) -> None:
        r, w = self.r, self.w
        self.block(f"## {md_text(w.t('report.late'))}")
        if not r.late_actions and not r.overdue_meetings:
            self.block(md_text(w.t("report.nothing_late", date=w.date(r.today))))
        if r.late_actions:
            self.block(f"### {md_text(w.t('report.late_actions'))}")
            rows = [[md_text(a.code), md_text(a.title), md_text(w.status(a.status)), md_text(w.date(a.due_date)),
                     md_text(w.days(a.days_late)), self.join(a.pilots)] for a in r.late_actions]
            self.block(*_table([md_text(w.t(k)) for k in (
                "report.col.code", "report.col.action", "report.col.status", "report.col.due",
                "report.col.late_by", "report.col.pilots")], rows, {4}))
        if r.overdue_meetings:
            self.block(f"### {md_text(w.t('report.late_meetings'))}")
            rows = [[md_text(w.kind(m.kind)), md_text(m.town) if m.town else md_text(w.t("report.all_towns")),
                     md_text(w.date(m.last_held)) if m.last_held else md_text(w.t("report.never")),
                     md_text(w.date(m.due)), md_text(w.days(m.days_late))]
                    for m in r.overdue_meetings]
            self.block(*_table([md_text(w.t(k)) for k in (
                "report.col.kind", "report.col.town", "report.col.last_held", "report.col.expected",
                "report.col.late_by")], rows, {4}))
        if r.plan_over:
            self.block(md_text(w.t("report.plan_over")))

    def render(self) -> str:
        self.header()
        self.indicators()
        self.challenges()
        self.meetings()
        self.funding()
        self.projects()
        self.late()
        self.block("---", "*" + md_text(self.w.t("report.footer", date=self.w.date(self.r.today))) + "*")
        while self.out and not self.out[-1]:
            self.out.pop()
        return "\n".join(self.out) + "\n"


def render_markdown(report: Report, lang: str) -> str:
    """The report as GitHub-flavoured Markdown in ``lang`` ("fr" or "en")."""
    return _Markdown(report, lang).render()
