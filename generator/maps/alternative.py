"""A range map in words: the countries each ring reaches, named in the page's language, in its collation order.

This is what screen readers, search engines and the printed page get, so
it is computed from the geometry (``borders.reached``), never typed. Country
names are CLDR's (Babel); they are sorted with the Unicode Collation
Algorithm (pyuca: the CLDR root collation, which is the order of English and
of Russian, ``ё`` with ``е``); the list is joined by CLDR's list pattern
("A, B, and C", "А, Б и В") and counted with the catalogue's plural forms
("1 страна", "3 страны", "7 стран").
"""

from __future__ import annotations

import functools

from babel.lists import format_list

from ..render.l10n import Formatter


@functools.cache
def _collator():
    from pyuca import Collator  # reads its table (a third of a second) when a map is first described

    return Collator()


def collated(names: list[str]) -> list[str]:
    """``names`` in collation order (ties, such as names that differ only in case, by code point)."""
    key = _collator().sort_key
    return sorted(names, key=lambda name: (key(name), name))


def country_names(fmt: Formatter, codes) -> list[str]:
    """The CLDR names of ``codes`` in the formatter's language, collated."""
    return collated([fmt.country(code) for code in codes])


def reach(fmt: Formatter, place: str, range_km: float, codes) -> str:
    """One sentence: the countries within ``range_km`` of ``place``."""
    names = country_names(fmt, codes)
    values = {"range": fmt.kilometres(range_km), "place": place}
    if not names:
        return fmt.gettext("Within %(range)s of %(place)s: no country's land.") % values
    values.update(countries=format_list(names, locale=fmt.locale), num=fmt.number(len(names)))
    return fmt.ngettext("Within %(range)s of %(place)s: %(countries)s (%(num)s country).",
                        "Within %(range)s of %(place)s: %(countries)s (%(num)s countries).", len(names)) % values


def title(fmt: Formatter, weapon: str, range_km: float, places: list[str]) -> str:
    """The map's title: the weapon, its range and the places it is measured from."""
    # One place or several, not a count: Russian names them "пункт Тегеран" / "пункты Тебриз и Тегеран", never declined.
    if len(places) == 1:
        return fmt.gettext("%(weapon)s: range %(range)s around %(place)s") % {
            "weapon": weapon, "range": fmt.kilometres(range_km), "place": places[0]}
    return fmt.gettext("%(weapon)s: range %(range)s around each of %(places)s") % {
        "weapon": weapon, "range": fmt.kilometres(range_km), "places": format_list(places, locale=fmt.locale)}


def note(fmt: Formatter, centre: str) -> str:
    """How the map is drawn, and what it can be trusted for."""
    return fmt.gettext("Geodesic ranges on the WGS84 ellipsoid; azimuthal equidistant projection centred on %(place)s, "
                       "so distances from %(place)s are true. Borders: Natural Earth.") % {"place": centre}
