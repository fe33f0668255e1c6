"""Range maps in built pages: the briefing's maps, a weapon's own map and its list of maps, in both languages.

Builds the fixture ``maps`` and reads the output: where each map is, what it
says, where the links lead. A map's output is byte-identical between builds,
and a cached rebuild after an edit of a place, a weapon or the map's template
equals a clean build; an edit of a place no map shows renders nothing again.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from generator.build import build
from generator.project import DEFAULT_LOCALES, DEFAULT_TEMPLATES

from tests.helpers import edit, snapshot

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "maps" / "content"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("maps") / "site"
    build(FIXTURE, out)
    return out


def page(built: Path, route: str):
    return lxml.html.fromstring((built / route / "index.html").read_bytes())


def figures(doc) -> dict[str, object]:
    return {f.get("id"): f for f in doc.xpath("//figure[@class='rangemap']")}


def test_a_briefing_shows_each_map_where_it_is_embedded(built):
    doc = page(built, "en/briefings/ranges")
    found = figures(doc)
    assert list(found) == ["map-zolfaghar@tehran", "map-fateh-110@tabriz,tehran"]
    zolfaghar = found["map-zolfaghar@tehran"]
    # In the flow of the text: right after the paragraph that introduces it.
    assert "reaches about 700 km" in zolfaghar.getprevious().text_content()
    assert zolfaghar.xpath("string(.//*[local-name()='svg']/*[local-name()='title'])") == "Zolfaghar: range 700 km around Tehran"
    reach = [p.text_content() for p in zolfaghar.xpath(".//figcaption/p[@class='rangemap-reach']")]
    assert reach == ["Within 700 km of Tehran: Armenia, Azerbaijan, Iran, Iraq, Kazakhstan, Russia, Türkiye, "
                     "and Turkmenistan (8 countries)."]
    fateh = [p.text_content() for p in found["map-fateh-110@tabriz,tehran"].xpath(".//figcaption/p[@class='rangemap-reach']")]
    assert [s.split(":")[0] for s in fateh] == ["Within 300 km of Tabriz", "Within 300 km of Tehran"]


def test_the_russian_page_says_it_in_russian(built):
    found = figures(page(built, "ru/briefings/ranges"))
    figure = found["map-zolfaghar@tehran"]
    assert figure.xpath("string(.//p[@class='rangemap-title'])") == "Зольфагар: радиус 700 км вокруг пункта Тегеран"
    assert figure.xpath("string(.//p[@class='rangemap-reach'])") == (
        "В радиусе 700 км от пункта Тегеран: Азербайджан, Армения, Ирак, Иран, Казахстан, Россия, Туркменистан и Турция (8 стран).")
    labels = figure.xpath(".//*[local-name()='text']/text()")
    assert "Тегеран" in labels and "Иран" in labels and "200 км" in labels


def test_a_weapon_based_somewhere_shows_its_map_and_lists_the_briefings_maps(built):
    doc = page(built, "en/weapons/zolfaghar")
    assert list(figures(doc)) == ["map-zolfaghar@tehran"]
    links = doc.xpath("//section[h2[@id='mentions-maps']]//a")
    assert [(a.get("href"), a.text_content()) for a in links] == [
        ("/maps/en/briefings/ranges/#map-zolfaghar@tehran", "Zolfaghar: range 700 km around Tehran")]


def test_a_weapon_without_based_at_lists_its_maps_only(built):
    doc = page(built, "ru/weapons/fateh-110")
    assert figures(doc) == {}
    links = doc.xpath("//section[h2[@id='mentions-maps']]//a")
    assert [(a.get("href"), a.text_content()) for a in links] == [
        ("/maps/ru/briefings/ranges/#map-fateh-110@tabriz,tehran", "Фатех-110: радиус 300 км вокруг каждого из пунктов Тебриз и Тегеран")]
    # The anchor leads to the map.
    assert "map-fateh-110@tabriz,tehran" in figures(page(built, "ru/briefings/ranges"))


def test_a_weapon_with_no_map_says_nothing_of_maps(built):
    html = (built / "en/weapons/test-drone/index.html").read_text(encoding="utf-8")
    assert "rangemap" not in html and "mentions-maps" not in html


def test_every_map_is_well_under_the_size_limit(built):
    for path in built.rglob("*.html"):
        for svg in re.findall(r"<svg .*?</svg>", path.read_text(encoding="utf-8"), re.S):
            assert len(svg.encode("utf-8")) < 75_000, path


def test_two_clean_builds_are_byte_identical(built, tmp_path):
    build(FIXTURE, tmp_path / "again")
    assert snapshot(tmp_path / "again") == snapshot(built)


@pytest.fixture
def root(tmp_path) -> Path:
    site = tmp_path / "root"
    shutil.copytree(FIXTURE, site / "content")
    shutil.copytree(DEFAULT_TEMPLATES, site / "templates")
    shutil.copytree(DEFAULT_LOCALES, site / "locales")
    return site


EDITS = {
    "place moved": lambda r: edit(r / "content/facts/places.yaml", "coords: [35.6892, 51.3890]", "coords: [35.70, 51.42]"),
    "place renamed": lambda r: edit(r / "content/facts/places.yaml", "ru: Тегеран", "ru: Тегеран (столица)"),
    "range changed": lambda r: edit(r / "content/facts/weapons.yaml", "range_km: 300", "range_km: 350"),
    "based_at changed": lambda r: edit(r / "content/facts/weapons.yaml", "based_at: [tehran]", "based_at: [tabriz]"),
    "map template": lambda r: edit(r / "templates/partials/rangemap.html", "</figcaption>", "<p>edited</p></figcaption>"),
    "map removed": lambda r: edit(r / "content/briefings/ranges/en.md", "[[map:zolfaghar@tehran]]", "No map."),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_cached_rebuild_equals_a_clean_build(root, name, tmp_path):
    build(root / "content", root / "site", cache=root / ".cache")
    before = snapshot(root / "site")
    EDITS[name](root)
    build(root / "content", root / "site", cache=root / ".cache")
    build(root / "content", tmp_path / "clean")
    after = snapshot(root / "site")
    assert after == snapshot(tmp_path / "clean")
    assert after != before


def test_an_edit_of_a_place_no_map_shows_renders_only_the_open_data_about_places(root):
    build(root / "content", root / "site", cache=root / ".cache")
    edit(root / "content/facts/places.yaml", "coords: [50.4501, 30.5234]", "coords: [50.45, 30.52]")
    again = build(root / "content", root / "site", cache=root / ".cache")
    # /data/places.json (written: its coordinates changed) and the data pages that count the places.
    assert (again.rendered, again.written) == (3, 1)


def test_moving_a_place_renders_the_pages_of_its_maps_again(root):
    build(root / "content", root / "site", cache=root / ".cache")
    edit(root / "content/facts/places.yaml", "coords: [38.0800, 46.2919]", "coords: [38.10, 46.30]")  # Tabriz
    again = build(root / "content", root / "site", cache=root / ".cache")
    # The briefing in both languages (its map), and the Fateh-110's pages, which list that map by its places'
    # names (read from their records); not the Zolfaghar's pages, whose own map is of Tehran. And the open
    # data about places: /data/places.json (written) and the data pages that count them.
    assert again.rendered == 7
    assert again.written == 3
