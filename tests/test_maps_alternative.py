"""The text alternative: countries named in the page's language, collated, counted with the right plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.errors import Problems
from generator.maps import alternative, borders
from generator.project import DEFAULT_LOCALES
from generator.render.catalog import load_translations
from generator.render.l10n import Formatter


def formatter(lang: str) -> Formatter:
    return Formatter(lang, "UTC", load_translations(DEFAULT_LOCALES, lang, Problems(Path("."))))


def test_collation_is_not_code_point_order():
    # Code points put Ё (U+0401) before А and every capital before every small letter;
    # collation puts ё with е, and case second.
    words = ["Жук", "Ёж", "ель", "Еда", "Азия", "азот"]
    assert alternative.collated(words) == ["Азия", "азот", "Еда", "Ёж", "ель", "Жук"]
    assert sorted(words) != alternative.collated(words)
    assert alternative.collated(["Zambia", "Åland Islands", "Albania", "Égypte"]) == ["Åland Islands", "Albania", "Égypte", "Zambia"]


def test_tehran_in_english_and_russian():
    codes = borders.reached(35.6892, 51.3890, 700_000)
    en = alternative.reach(formatter("en"), "Tehran", 700, codes)
    ru = alternative.reach(formatter("ru"), "Тегеран", 700, codes)
    assert en == ("Within 700 km of Tehran: Armenia, Azerbaijan, Iran, Iraq, Kazakhstan, Russia, Türkiye, "
                  "and Turkmenistan (8 countries).")
    assert ru == ("В радиусе 700 км от пункта Тегеран: Азербайджан, Армения, Ирак, Иран, Казахстан, Россия, "
                  "Туркменистан и Турция (8 стран).")


@pytest.mark.parametrize("count, word", [(1, "страна"), (2, "страны"), (4, "страны"), (5, "стран"), (11, "стран"),
                                         (21, "страна"), (22, "страны")])
def test_russian_plural_forms(count, word):
    codes = sorted(code for code in formatter("ru").locale.territories if len(code) == 2 and code.isalpha())[:count]
    sentence = alternative.reach(formatter("ru"), "Тегеран", 700, codes)
    assert sentence.endswith(f"({count} {word}).")


def test_english_plural_and_nothing_reached():
    assert alternative.reach(formatter("en"), "Tehran", 0.8, ["IR"]) == "Within 0.8 km of Tehran: Iran (1 country)."
    assert alternative.reach(formatter("en"), "Point Nemo", 50, []) == "Within 50 km of Point Nemo: no country's land."
    assert alternative.reach(formatter("ru"), "Точка Немо", 50, []) == "В радиусе 50 км от пункта Точка Немо нет суши ни одной страны."


def test_titles_and_numbers_follow_the_locale():
    assert alternative.title(formatter("en"), "Shahed-136", 2500, ["Tehran"]) == "Shahed-136: range 2,500 km around Tehran"
    assert alternative.title(formatter("ru"), "Шахед-136", 2500, ["Тегеран"]) == "Шахед-136: радиус 2\xa0500 км вокруг пункта Тегеран"  # CLDR: a no-break space groups digits
    assert alternative.title(formatter("ru"), "Фатех-110", 300, ["Тебриз", "Тегеран"]) == \
        "Фатех-110: радиус 300 км вокруг каждого из пунктов Тебриз и Тегеран"
