"""The words and numbers of a report in one language, chosen by the caller.

The report is rendered in the language asked for (``--lang``), which may differ
from the language of the app that asks for it.  So the renderers never use the
process-wide language of :mod:`coopterm.i18n`: they read the catalogue of their
own language through :class:`Words`, and write numbers, amounts and dates with
:mod:`coopterm.present` in that language, with no global state (the app may
render a report in a worker thread while its screens keep their own language).
The formats are the app's and ``coopterm status``'s: one rule, in ``present``.

The indicator bar follows the dashboard's gauge
(:func:`coopterm.domain.indicators.gauge_fill`).
"""

from __future__ import annotations

import datetime as dt

from coopterm import present
from coopterm.domain.indicators import Amount
from coopterm.domain.report import ReportIndicator
from coopterm.errors import CooptermError
from coopterm.i18n import LANGUAGES, template
from coopterm.vocabulary import ActionStatus, IndicatorStatus, MeetingKind, ProjectScope


class Words:
    """Messages and formats of one language (``fr`` or ``en``)."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise CooptermError("report.bad_language", lang=lang, choices=", ".join(LANGUAGES))
        self.lang = lang

    def t(self, key: str, /, **params: object) -> str:
        """The message ``key`` in this language (English if missing, as ``i18n.t`` does)."""
        text = template(key, self.lang)
        return text.format(**params) if params else text

    def tn(self, key: str, count: int, /, **params: object) -> str:
        """The counted message ``key`` in the form ``count`` takes in this language (as ``i18n.tn``)."""
        return template(key, self.lang, count).format(**params, count=present.number(count, lang=self.lang))

    # --- numbers, money, dates (written by coopterm.present in this language) ------

    def euros(self, cents: int) -> str:
        """ "17 100,50 €" in French, "€17,100.50" in English; whole euros without decimals."""
        return present.money(cents, lang=self.lang)

    def date(self, value: dt.date | None) -> str:
        """31/12/2021 in French, 2021-12-31 in English; "—" for no date."""
        return present.date(value, lang=self.lang)

    def date_time(self, value: dt.datetime) -> str:
        """The date and the time as given ("14/06/2021 09:30")."""
        return present.date_time(value, lang=self.lang)

    def zoned_date_time(self, value: dt.datetime) -> str:
        """A meeting's local date and time with its zone ("14/06/2021 09:30 CEST")."""
        return present.zoned_date_time(value, lang=self.lang)

    def percent(self, value: Amount | None) -> str:
        """ "72,7 %" in French, "72.7%" in English; "—" for none."""
        return present.percent(value, lang=self.lang)

    def days(self, count: int) -> str:
        """ "1 day", "12 days" ("1 jour", "12 jours")."""
        return self.tn("report.days", count)

    # --- the plan's vocabulary ---------------------------------------------------

    def status(self, status: ActionStatus) -> str:
        return self.t(f"action_status.{ActionStatus(status).value}")

    def kind(self, kind: MeetingKind) -> str:
        return self.t(f"meeting_kind.{MeetingKind(kind).value}")

    def scope(self, scope: ProjectScope) -> str:
        return self.t(f"project_scope.{ProjectScope(scope).value}")

    def indicator_status(self, status: IndicatorStatus) -> str:
        return self.t(f"indicator_status.{IndicatorStatus(status).value}")

    # --- indicators ----------------------------------------------------------------

    def indicator_label(self, ind: ReportIndicator) -> str:
        """A manual indicator's label as the plan wrote it; a computed one's name in the report's language."""
        return ind.label if ind.label is not None else self.t(f"indicator.{ind.key}")

    def indicator_value(self, value: Amount | None, unit: str) -> str:
        if value is None:
            return self.t("report.no_data")
        return present.measure(value, unit, lang=self.lang)

    def indicator_target(self, ind: ReportIndicator) -> str:
        if ind.target is None:
            return self.t("report.no_target")
        return self.indicator_value(ind.target, ind.unit)
