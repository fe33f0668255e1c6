"""Range maps as readers get them: screenshots in both languages at 1280 and 375 px, print, Nu and axe.

The screenshots (``test-artifacts/rangemap-*.png``) are for people to look
at; the assertions check what a picture alone cannot: the map fits the
screen, its smallest text is still 10 px on a phone, every label drawn with
the real fonts stays inside the map, and printed it is whole and greyscale
keeps it legible. The fixture ``maps`` (a weapon's own map, maps of several
places) passes the Nu Html Checker and axe-core as the sample site does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from generator.build import build

from .conftest import ServedSite, serve
from .test_quality_accessibility import AXE
from .test_quality_html import run_vnu

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "maps" / "content"
BRIEFING = "briefings/patrushev-tehran-visit/"
WIDTHS = {"desktop": 1280, "phone": 375}

LABELS = """() => {
  const svg = document.querySelector('.rangemap svg');
  const box = svg.getBoundingClientRect();
  const units = box.width / svg.viewBox.baseVal.width;
  const view = svg.viewBox.baseVal;
  return {
    left: box.left, right: box.right, width: box.width,
    smallest: Math.min(...[...svg.querySelectorAll('text')].map(t => +t.getAttribute('font-size') * units)),
    outside: [...svg.querySelectorAll('text')].filter(t => {
      const b = t.getBBox();
      return b.x < 0 || b.y < 0 || b.x + b.width > view.width || b.y + b.height > view.height;
    }).map(t => t.textContent),
  };
}"""


@pytest.fixture(scope="module")
def maps_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("maps") / "site"
    build(FIXTURE, folder)
    server = serve(folder, "/maps/")
    host, port = server.server_address[:2]
    yield ServedSite("maps", folder, "https://example.org/maps/", "/maps/", ("en", "ru"), f"http://{host}:{port}")
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_map_screenshot(served_sites, page, artifacts, lang, device):
    width = WIDTHS[device]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(served_sites["sample"].url(f"{lang}/{BRIEFING}"))
    figure = page.locator(".rangemap").first
    path = artifacts / f"rangemap-{lang}-{device}.png"
    figure.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    found = page.evaluate(LABELS)
    assert found["left"] >= 0 and found["right"] <= width, "the map is wider than the screen"
    assert found["smallest"] >= 10, f"text of {found['smallest']:.1f} px"
    assert not found["outside"], f"labels run off the map: {found['outside']}"
    if device == "desktop":
        assert 400 <= found["width"] <= 32 * 16 + 1  # in the column, no wider than 32rem
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_map_in_print_and_greyscale(served_sites, page, artifacts, lang):
    page.goto(served_sites["sample"].url(f"{lang}/{BRIEFING}"))
    page.emulate_media(media="print")
    figure = page.locator(".rangemap").first
    assert figure.is_visible()
    assert figure.evaluate("f => getComputedStyle(f).breakInside") == "avoid"
    assert page.locator(".rangemap-reach").first.is_visible()  # the text alternative is printed
    path = artifacts / f"rangemap-{lang}-print.png"
    figure.screenshot(path=str(path))
    grey = Image.open(path).convert("L")
    grey.save(artifacts / f"rangemap-{lang}-print-grey.png")
    # Greyscale keeps dark lines and text over light land: the map is not one flat grey.
    low, high = grey.getextrema()
    assert low < 80 and high > 200


def test_the_maps_fixture_is_valid_html(maps_site, tmp_path):
    checked, errors = run_vnu(maps_site.folder)
    pages = {str(p) for p in maps_site.folder.rglob("*.html")}
    assert pages <= checked
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("route", ["en/briefings/ranges/", "ru/briefings/ranges/", "en/weapons/zolfaghar/", "ru/weapons/fateh-110/"])
def test_no_serious_axe_violations_on_map_pages(maps_site, page, route):
    page.goto(maps_site.url(route))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert result["passes"], "axe checked nothing"
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']}: {v['help']}: " + "; ".join(n["target"][0] for n in v["nodes"][:5]) for v in bad)
