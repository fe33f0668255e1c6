"""l10n.Formatter: CLDR dates, units, money and plural forms via the catalogues."""

from __future__ import annotations

import datetime as dt
import gettext
from pathlib import Path

import pytest

from generator.render.catalog import load_translations
from generator.content.errors import Problems
from generator.render.l10n import Formatter
from generator.content.model import Money, PartialDate
from generator.project import DEFAULT_LOCALES


def plain(text: str) -> str:
    """CLDR separates with no-break spaces; compare with ordinary ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module", params=["en", "ru"])
def fmt(request) -> Formatter:
    translations = load_translations(DEFAULT_LOCALES, request.param, Problems(Path(".")))
    return Formatter(request.param, "Europe/Moscow", translations)


def pick(fmt: Formatter, en: str, ru: str) -> str:
    return en if fmt.lang == "en" else ru


def test_publication_date(fmt):
    assert plain(fmt.date(dt.date(2022, 11, 8))) == pick(fmt, "November 8, 2022", "8 ноября 2022 г.")


def test_datetime_is_shown_in_the_site_time_zone(fmt):
    # 22:30 UTC on 7 November is already 8 November in Moscow.
    moment = dt.datetime(2022, 11, 7, 22, 30, tzinfo=dt.timezone.utc)
    assert plain(fmt.date(moment)) == pick(fmt, "November 8, 2022", "8 ноября 2022 г.")


@pytest.mark.parametrize("value, en, ru", [
    (PartialDate(2022, 11, 8), "November 8, 2022", "8 ноября 2022 г."),
    (PartialDate(2022, 11), "November 2022", "ноябрь 2022 г."),
    (PartialDate(2022), "2022", "2022"),
])
def test_partial_dates_at_their_precision(fmt, value, en, ru):
    assert plain(fmt.partial_date(value)) == pick(fmt, en, ru)


@pytest.mark.parametrize("km, en, ru", [
    (300, "300 km", "300 км"),
    (700, "700 km", "700 км"),
    (2000, "2,000 km", "2 000 км"),
    (4.5, "4.5 km", "4,5 км"),
])
def test_kilometres_with_cldr_units(fmt, km, en, ru):
    assert plain(fmt.kilometres(km)) == pick(fmt, en, ru)


@pytest.mark.parametrize("money, en, ru", [
    (Money(140_000_000, "EUR"), "€140M", "140 млн €"),
    (Money(1_500, "USD"), "$1,500.00", "1 500,00 $"),
])
def test_money(fmt, money, en, ru):
    assert plain(fmt.money(money)) == pick(fmt, en, ru)


def test_country_names_from_cldr(fmt):
    assert fmt.country("IR") == pick(fmt, "Iran", "Иран")
    assert fmt.country("GB") == pick(fmt, "United Kingdom", "Великобритания")


@pytest.mark.parametrize("count, en, ru", [
    (1, "1 unit", "1 единица"),
    (2, "2 units", "2 единицы"),
    (5, "5 units", "5 единиц"),
    (11, "11 units", "11 единиц"),
    (21, "21 units", "21 единица"),
    (22, "22 units", "22 единицы"),
    (6000, "6,000 units", "6 000 единиц"),
])
def test_plural_forms_of_quantities_via_the_catalogue(fmt, count, en, ru):
    assert plain(fmt.units(count)) == pick(fmt, en, ru)


def test_without_a_catalogue_plurals_fall_back_to_english_forms():
    # Proves the Russian forms above come from the ru catalogue, not from code.
    bare = Formatter("ru", "UTC", gettext.NullTranslations())
    assert plain(bare.units(5)) == "5 units"
