"""The SVG of a range map: fixed number formatting, small, well formed, labelled, legible in greyscale."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from generator.cache.deps import SiteView
from generator.content.errors import Problems
from generator.content.load import load_content
from generator.content.model import MapRef
from generator.content.resolve import resolve
from generator.maps import svg
from generator.maps.figure import figure
from test_maps_alternative import formatter

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
LIMIT = 150_000  # bytes: the ceiling for one map


@pytest.fixture(scope="module")
def site():
    """The sample content, plus places for maps of several places (tracked, as pages read it)."""
    problems = Problems(ROOT)
    model = resolve(load_content(ROOT / "content", problems), problems)
    assert not problems.errors
    from generator.content.model import Place, Text
    model.places["tabriz"] = Place("tabriz", Text((("en", "Tabriz"), ("ru", "Тебриз")), "en"), 38.08, 46.2919, "IR")
    model.places["kyiv"] = Place("kyiv", Text((("en", "Kyiv"), ("ru", "Киев")), "en"), 50.4501, 30.5234, "UA")
    from generator.content.model import Weapon
    model.entities["zero"] = Weapon(kind="weapons", id="zero", name=Text.same("Zero", ("en", "ru")), range_km=0)
    return SiteView(model)


def parsed(drawing: str) -> ET.Element:
    return ET.fromstring(drawing.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


@pytest.mark.parametrize("value, text", [(3.0, "3"), (1.25, "1.2"), (1.35, "1.4"), (-0.04, "0"), (-0.06, "-0.1"),
                                         (479.96, "480"), (-12.34, "-12.3")])
def test_numbers_have_one_fixed_form(value, text):
    assert svg.num(value) == text


def test_paths_are_relative_and_compact():
    square = np.array([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1), (0, 0)], dtype=float)
    assert svg.ring_path(square) == "M0 0l1 0 0 1-1 0z"  # the repeated point and the closing one are dropped
    assert svg.ring_path(np.array([(5.5, -2.0), (6.0, -1.0)]), closed=False) == "M5.5-2l0.5 1"


@pytest.mark.parametrize("weapon, places", [("shahed-136", ("tehran",)), ("zolfaghar", ("tehran", "tabriz")),
                                            ("fateh-110", ("kyiv",)), ("nlaw", ("tehran",))])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_map_is_small_well_formed_and_labelled(site, weapon, places, lang):
    drawing = str(figure(site, formatter(lang), MapRef(weapon, places)).svg)
    assert len(drawing.encode("utf-8")) < LIMIT / 2, len(drawing)
    root = parsed(drawing)
    assert root.get("role") == "img" and root.get("viewBox").startswith("0 0 480 ")
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert root[0].text and root[1].text
    names = [site.places[p].name.get(lang) for p in places]
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert all(name in texts for name in names), texts
    assert len(root.findall(f"{SVG}circle")) + len(root.findall(f"{SVG}g/{SVG}circle")) == len(places)


def test_the_scale_bar_speaks_the_page_language(site):
    ref = MapRef("shahed-136", ("tehran",))
    en = [t.text for t in parsed(str(figure(site, formatter("en"), ref).svg)).iter(f"{SVG}text")]
    ru = [t.text for t in parsed(str(figure(site, formatter("ru"), ref).svg)).iter(f"{SVG}text")]
    assert "1,000 km" in en and "2,500 km" in en
    assert "1\u00a0000 км" in ru and "2\u00a0500 км" in ru


def test_the_same_map_is_the_same_text(site):
    ref = MapRef("zolfaghar", ("tehran", "tabriz"))
    assert str(figure(site, formatter("ru"), ref).svg) == str(figure(site, formatter("ru"), ref).svg)


def luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb: what a greyscale print keeps of a colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_colours_survive_greyscale():
    # The range and the borders stand out from land and sea by lightness alone, not by hue.
    for ground in (svg.LAND, svg.SEA):
        assert contrast(svg.RANGE, ground) > 4.5
        assert contrast(svg.BORDER, ground) > 2.5
    assert contrast(svg.LAND, svg.SEA) > 1.1  # land and sea are told apart, faintly
    # Every label is readable on land (WCAG AA for text), before its halo helps.
    for fill, _ in svg.LABEL_STYLES.values():
        assert contrast(fill, svg.LAND) >= 4.5, fill


def test_a_range_of_zero_draws_the_place_alone(site):
    drawn = figure(site, formatter("en"), MapRef("zero", ("tehran",)))
    assert drawn.reach == ("Within 0 km of Tehran: Iran (1 country).",)
    assert 'd=""' not in str(drawn.svg) and len(parsed(str(drawn.svg)).findall(f"{SVG}g/{SVG}circle")) == 1
