"""How the app, the command line and the report write numbers, money, dates and counts.

This is the only module that turns a figure into text, so that one figure reads
the same on the dashboard, in ``coopterm status`` and in the report, in French
and in English.  The conventions are the locale's, from Babel (CLDR data):
grouping and decimal signs, where the percent and euro signs go and which
spaces hold them, and the plural rules that choose between "1 action" and
"3 actions".  What this module adds on top of Babel:

- **Rounding half-up.**  Babel rounds half-to-even (6.25 % would print "6.2"); a
  reader expects "6.3", so every value is rounded here with
  ``Decimal.quantize(ROUND_HALF_UP)`` on its decimal text (never on the binary
  float, where 0.145 is 0.14499...) before Babel only lays it out.  An exact
  ``Fraction`` (the computed indicators) is rounded exactly: 1/16 x 100 is "6.3".
- **At most one decimal for a measured value.**  Percents and indicator values
  show one decimal, none when it rounds to a whole number ("72,7 %", "90 %").
- **Money in integer cents.**  Whole euros are written without decimals
  ("17 100 €", "€17,100"), any cents with two ("17 100,50 €", "€17,100.50").
- **Meeting times with their zone.**  A meeting's local time is always followed by
  its zone's short name, summer time included ("14:00 CEST", "14:00 EAT"; "UTC+03"
  for a zone with no letters of its own), so no time is read in the wrong zone.
- **Dates with pinned patterns.**  French is 31/12/2021 (what Babel's French
  short format gives today, pinned so a CLDR update cannot change it); English
  is ISO 2021-12-31, because Babel's English short date is the American
  "12/31/21", which the partners of a French plan would misread.

Every function takes ``lang`` ("fr" or "en"); without it, the language of the
interface (:func:`coopterm.i18n.language`).  The report passes its own language,
which may differ from the app's.  Babel is imported on the first figure
written, not when this module is: screens import it at start-up, and the first
frame should not wait for Babel's locale data.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING

from coopterm.i18n import language

if TYPE_CHECKING:
    from babel import Locale

NBSP = "\u00a0"
NO_VALUE = "\u2014"  # —
"""What stands for a figure that does not exist (no data, no date)."""

DATE_PATTERNS = {"fr": "dd/MM/yyyy", "en": "yyyy-MM-dd"}
"""Babel (CLDR) date patterns: see the module's docstring for why they are pinned."""

Number = int | float | Decimal | Fraction


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(lang)


def _lang(lang: str | None) -> str:
    return lang or language()


def rounded(value: Number, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places, from its decimal text.

    A float goes through ``repr`` (its shortest exact text), so 6.25 rounds to 6.3
    and 0.145 to 0.15, as a reader computing by hand would.  A ``Fraction`` is
    rounded on its exact value (ties away from zero, as ``ROUND_HALF_UP``): no
    decimal text of 2/3 is exact, and its nearest float could sit on the wrong
    side of a tie.
    """
    if isinstance(value, Fraction):
        whole = int(abs(value) * 10**decimals + Fraction(1, 2))  # floor: half-up on the magnitude
        return Decimal(whole if value >= 0 else -whole).scaleb(-decimals)
    exact = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _at_most(value: Number, decimals: int) -> Decimal:
    """Rounded to ``decimals`` places, trailing zeros dropped ("90.0" → "90")."""
    q = rounded(value, decimals)
    return q.quantize(Decimal(1)) if q == q.to_integral_value() else q.normalize()


def number(value: Number | None, decimals: int = 0, *, lang: str | None = None) -> str:
    """ "1 234,6" in French (narrow no-break space), "1,234.6" in English: exactly ``decimals`` places."""
    if value is None:
        return NO_VALUE
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(rounded(value, decimals), format=pattern, locale=_locale(_lang(lang)))


def short_number(value: Number | None, *, lang: str | None = None) -> str:
    """A measured value: one decimal at most, none when it rounds to a whole ("12,5", "13")."""
    if value is None:
        return NO_VALUE
    q = _at_most(value, 1)
    return number(q, 1 if q != q.to_integral_value() else 0, lang=lang)


def percent(value: Number | None, *, lang: str | None = None) -> str:
    """A percentage given on a 0-100 scale: "72,7 %" in French, "72.7%" in English.

    One decimal at most, rounded half-up (6.25 → "6,3 %"), none for a whole number.
    """
    if value is None:
        return NO_VALUE
    from babel.numbers import format_percent

    share = _at_most(value, 1) / 100
    return format_percent(share, locale=_locale(_lang(lang)), decimal_quantization=False)


def money(cents: int | None, *, lang: str | None = None) -> str:
    """An amount of euro cents, exactly: "17 100 €" / "17 100,50 €" in French,
    "€17,100" / "€17,100.50" in English (the locale's standard currency format;
    whole euros without decimals)."""
    if cents is None:
        return NO_VALUE
    from babel.numbers import format_currency

    locale = _locale(_lang(lang))
    pattern = locale.currency_formats["standard"].pattern
    if cents % 100 == 0:
        pattern = pattern.replace(".00", "")
    return format_currency(Decimal(cents).scaleb(-2), "EUR", format=pattern, locale=locale, currency_digits=False)


def money_input(cents: int, *, lang: str | None = None) -> str:
    """An amount as a form field shows it, to be typed again: "17100" or "17100,50" (no grouping)."""
    from babel.numbers import format_decimal

    pattern = "0" if cents % 100 == 0 else "0.00"
    return format_decimal(Decimal(cents).scaleb(-2), format=pattern, locale=_locale(_lang(lang)))


def measure(value: Number | None, unit: str, *, lang: str | None = None) -> str:
    """An indicator's value (or target) with its unit: "72,7 %", "12 projets", "3".

    A percentage follows :func:`percent`; any other unit follows the number after
    a no-break space.  ``None`` gives "—": the caller says "no data" in its own words.
    """
    if value is None:
        return NO_VALUE
    if unit == "%":
        return percent(value, lang=lang)
    text = short_number(value, lang=lang)
    return f"{text}{NBSP}{unit}" if unit else text


def date(value: dt.date | None, *, lang: str | None = None) -> str:
    """31/12/2021 in French, 2021-12-31 in English; "—" for no date."""
    if value is None:
        return NO_VALUE
    from babel.dates import format_date

    lang = _lang(lang)
    return format_date(value, DATE_PATTERNS[lang], locale=_locale(lang))


def date_time(value: dt.datetime | None, *, lang: str | None = None) -> str:
    """The date and the time as given (24-hour clock in both languages): "14/06/2021 09:30".

    The caller chooses the clock (when a change was made: this machine's); a meeting's
    time is written with its zone by :func:`zoned_date_time`.
    """
    if value is None:
        return NO_VALUE
    return f"{date(value.date(), lang=lang)} {value:%H:%M}"


def zone_abbreviation(value: dt.datetime) -> str:
    """The short name of the zone of an aware time, summer time included: "CEST", "EAT",
    "GMT", "UTC"; a zone with no letters of its own shows its offset: "UTC+03"."""
    name = value.tzname() or "UTC"
    return f"UTC{name}" if name[:1] in "+-" else name


def zoned_date_time(value: dt.datetime | None, *, lang: str | None = None) -> str:
    """A meeting's local date and time followed by its zone: "14/07/2021 14:00 CEST".

    ``value`` is already in the zone it is shown in (``domain.zones.to_local``); the zone
    is always written, so that a time is never read in the wrong one.
    """
    if value is None:
        return NO_VALUE
    return f"{date_time(value, lang=lang)} {zone_abbreviation(value)}"


def plural_form(count: int, *, lang: str | None = None) -> str:
    """The CLDR plural category of ``count`` in ``lang``: "one", "many" or "other".

    French says "0 action" and "1 action" ("one"), English "0 actions" ("other").
    """
    return str(_locale(_lang(lang)).plural_form(abs(count)))
