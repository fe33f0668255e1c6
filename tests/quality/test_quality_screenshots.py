"""Screenshots of the sample briefing, both languages, desktop and phone.

Written to ``test-artifacts/`` for people to look at; the assertions check
what a screenshot alone cannot prove: Cyrillic text is drawn with a font of
the stylesheet's stacks (not a fallback that shows boxes), and the fact box
sits beside the text on a desktop but in the flow on a phone.
"""

from __future__ import annotations

import pytest

BRIEFING = "briefings/patrushev-tehran-visit/"
WIDTHS = {"desktop": 1280, "phone": 375}
# Families named in style.css's --serif and --sans stacks that cover Cyrillic.
CYRILLIC_FAMILIES = {"PT Serif", "PT Sans", "Noto Serif", "Noto Sans", "DejaVu Serif", "DejaVu Sans", "Georgia", "Segoe UI", "Arial", "Times New Roman"}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_briefing_screenshot(served_sites, page, artifacts, lang, device):
    site = served_sites["sample"]
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.goto(site.url(f"{lang}/{BRIEFING}"))
    path = artifacts / f"briefing-{lang}-{device}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000

    body = page.locator(".briefing-body").bounding_box()
    box = page.locator(".briefing-body .factbox").first.bounding_box()
    if device == "desktop":
        assert box["x"] >= body["x"] + body["width"] - 1, "the fact box should stand beside the text"
    else:
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[device]


@pytest.mark.parametrize("selector", ["h1", ".briefing-body p", ".factbox", ".timeline"])
def test_cyrillic_renders_in_a_stylesheet_font(served_sites, page, selector):
    site = served_sites["sample"]
    page.goto(site.url(f"ru/{BRIEFING}"))
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    used = {f["familyName"] for f in fonts if f["glyphCount"]}
    print(selector, fonts)
    assert used and used <= CYRILLIC_FAMILIES, used
