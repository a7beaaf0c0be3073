"""The words and numbers of a report in one language, chosen by the caller.

The report is rendered in the language asked for (``--lang``), which may differ
from the language of the app that asks for it.  So the renderers never use the
process-wide language of :mod:`coopterm.i18n`: they read the catalogue of their
own language through :class:`Words`, and format numbers, amounts and dates
here, with no global state (the app may render a report in a worker thread
while its screens keep their own language).

The indicator bar follows the dashboard's gauge: full at the target; without a
target, full at 100 for a percentage, and no bar at all for a count.
"""

from __future__ import annotations

import datetime as dt

from coopterm.domain.report import ReportIndicator
from coopterm.errors import CooptermError
from coopterm.i18n import LANGUAGES, catalog
from coopterm.vocabulary import ActionStatus, IndicatorStatus, MeetingKind, ProjectScope

NBSP, NNBSP = "\u00a0", "\u202f"
NO_VALUE = "\u2014"  # —


class Words:
    """Messages and formats of one language (``fr`` or ``en``)."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise CooptermError("report.bad_language", lang=lang, choices=", ".join(LANGUAGES))
        self.lang = lang
        self._messages = catalog(lang)
        self._fallback = catalog("en")

    def t(self, key: str, /, **params: object) -> str:
        """The message ``key`` in this language (English if missing, as ``i18n.t`` does)."""
        template = self._messages.get(key) or self._fallback.get(key) or key
        return template.format(**params) if params else template

    # --- numbers, money, dates ---------------------------------------------------

    def number(self, value: float, decimals: int = 0) -> str:
        """ "1 234,5" in French (narrow no-break spaces), "1,234.5" in English."""
        text = f"{value:,.{decimals}f}"
        if self.lang == "fr":
            text = text.replace(",", NNBSP).replace(".", ",")
        return text

    def euros(self, cents: int) -> str:
        """An amount of integer cents, exactly: "17 100,50 €" in French, "€17,100.50" in English.

        Whole euros are written without decimals ("17 100 €", "€17,100").
        """
        euros, rest = divmod(abs(int(cents)), 100)
        whole = f"{euros:,}"
        sign = "-" if cents < 0 else ""
        if self.lang == "fr":
            text = whole.replace(",", NNBSP) + (f",{rest:02d}" if rest else "")
            return f"{sign}{text}{NBSP}€"
        return f"{sign}€{whole}" + (f".{rest:02d}" if rest else "")

    def date(self, value: dt.date | None) -> str:
        """31/12/2021 in French, 2021-12-31 in English (as the app writes them)."""
        if value is None:
            return NO_VALUE
        return value.strftime("%d/%m/%Y") if self.lang == "fr" else value.isoformat()

    def date_time(self, value: dt.datetime) -> str:
        """The date and the UTC time of a meeting ("14/06/2021 09:30")."""
        return f"{self.date(value.date())} {value:%H:%M}"

    def percent(self, value: float | None) -> str:
        if value is None:
            return NO_VALUE
        return f"{self.number(value, 0 if float(value).is_integer() else 1)}{NBSP}%"

    def days(self, count: int) -> str:
        """ "1 day", "12 days" ("1 jour", "12 jours")."""
        if count == 1:
            return self.t("report.one_day")
        return self.t("report.days", days=self.number(count))

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
        """The plan's label; a computed indicator the plan never named gets its default name."""
        return ind.label if ind.label is not None else self.t(f"indicator.{ind.key}")

    def indicator_value(self, value: float | None, unit: str) -> str:
        if value is None:
            return self.t("report.no_data")
        if unit == "%":
            return self.percent(value)
        decimals = 0 if float(value).is_integer() else 1
        return self.number(value, decimals) + (f"{NBSP}{unit}" if unit else "")

    def indicator_target(self, ind: ReportIndicator) -> str:
        if ind.target is None:
            return self.t("report.no_target")
        return self.indicator_value(ind.target, ind.unit)


def bar_scale(ind: ReportIndicator) -> float | None:
    """What a full bar stands for: the target, else 100 for a percentage; ``None``: no bar."""
    if ind.target is not None and ind.target > 0:
        return ind.target
    if ind.target is not None or ind.unit == "%":
        return 100.0
    return None


def fill_ratio(ind: ReportIndicator) -> float | None:
    """The filled share of the bar, 0 to 1; ``None`` when there is no bar to draw."""
    scale = bar_scale(ind)
    if scale is None:
        return None
    if ind.value is None:
        return 0.0
    if ind.target is not None and ind.value >= ind.target:
        return 1.0
    return max(0.0, min(1.0, ind.value / scale))
