"""Locale-aware formatting with Babel (CLDR): dates, numbers, units, money.

One :class:`Formatter` per language. It also owns the gettext translations
for that language, so plural forms of quantities follow the catalogue's
rules (Russian: one / few / many).
"""

from __future__ import annotations

import datetime as dt
import gettext
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_compact_currency, format_currency, format_decimal
from babel.units import format_unit

from ..content.model import Money, PartialDate


class Formatter:
    def __init__(self, lang: str, timezone: str, translations: gettext.NullTranslations):
        self.lang = lang
        self.locale = Locale.parse(lang)
        self.tz = ZoneInfo(timezone)
        self.translations = translations

    # gettext -----------------------------------------------------------
    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    # dates -------------------------------------------------------------
    def date(self, value: dt.date | dt.datetime) -> str:
        """A publication date: '8 ноября 2022 г.', 'November 8, 2022'."""
        if isinstance(value, dt.datetime):
            value = value.astimezone(self.tz).date()
        return format_date(value, "long", locale=self.locale)

    def datetime(self, value: dt.datetime) -> str:
        return format_datetime(value, "medium", tzinfo=self.tz, locale=self.locale)

    def partial_date(self, value: PartialDate) -> str:
        """A date at its precision: day, month ('November 2022') or year."""
        if value.precision == "day":
            return format_date(value.first_day, "long", locale=self.locale)
        if value.precision == "month":
            return format_skeleton("yMMMM", value.first_day, locale=self.locale)
        return format_skeleton("y", value.first_day, locale=self.locale)

    # numbers -----------------------------------------------------------
    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def kilometres(self, value: float | int) -> str:
        """'300 км', '2,000 km' (CLDR short unit pattern)."""
        return format_unit(value, "length-kilometer", length="short", locale=self.locale)

    def money(self, value: Money) -> str:
        """'140 млн €', '€140M' for large sums; full form below a million."""
        if abs(value.amount) >= 1_000_000:
            return format_compact_currency(value.amount, value.currency, locale=self.locale, fraction_digits=1)
        return format_currency(value.amount, value.currency, locale=self.locale)

    def country(self, code: str) -> str:
        return self.locale.territories.get(code, code)

    def units(self, count: int) -> str:
        """'1 unit' / '21 единица' / '5 единиц': the catalogue's plural forms."""
        return self.ngettext("%(num)s unit", "%(num)s units", count) % {"num": self.number(count)}
