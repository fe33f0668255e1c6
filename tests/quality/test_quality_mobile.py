"""On a 375 px phone screen: no sideways scrolling, fact box and timeline on
screen, and the language switcher, when clicked, opens the counterpart page."""

from __future__ import annotations

import pytest

from .pages import KINDS, counterpart_route, kind_of

PHONE = {"width": 375, "height": 740}


def test_no_page_scrolls_sideways(site, page):
    page.set_viewport_size(PHONE)
    wide, kinds = [], set()
    for route in site.pages():
        kinds.add(kind_of(route))
        page.goto(site.url(route))
        page.evaluate("() => window.scrollTo(1000, 0)")
        scroll_x, doc_width = page.evaluate("() => [window.scrollX, document.documentElement.scrollWidth]")
        if scroll_x or doc_width > PHONE["width"]:
            wide.append(f"{route or '/'}: {doc_width}px wide, scrolled {scroll_x}px")
    assert not wide, "\n".join(wide)
    assert set(KINDS) | {"chooser", "404"} <= kinds, f"page kinds not built: {set(KINDS) - kinds}"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_fact_box_and_timeline_fit_a_phone(site, page, lang):
    page.set_viewport_size(PHONE)
    page.goto(site.url(counterpart_route(site, "briefing", lang)))
    for selector in (".briefing-body .factbox", ".timeline", ".timeline .event"):
        element = page.locator(selector).first
        element.scroll_into_view_if_needed()
        assert element.is_visible(), selector
        box = element.bounding_box()
        assert box["width"] > 200 and box["height"] > 40, f"{selector}: {box}"
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], f"{selector} sticks out: {box}"


@pytest.mark.parametrize("kind", KINDS)
def test_language_switcher_opens_the_counterpart(site, page, kind):
    page.set_viewport_size(PHONE)
    first, other = site.languages[0], site.languages[1]
    start = counterpart_route(site, kind, first)
    target = counterpart_route(site, kind, other)
    assert target == other + start[len(first):]
    page.goto(site.url(start))
    page.locator(f".language-switcher a[hreflang='{other}']").click()
    page.wait_for_url(site.url(target))
    assert page.locator("html").get_attribute("lang") == other
    page.locator(f".language-switcher a[hreflang='{first}']").click()
    page.wait_for_url(site.url(start))
    assert page.locator("html").get_attribute("lang") == first


def test_switcher_on_an_untranslated_page_leads_to_an_existing_page(served_sites, page):
    """The English-only briefing of the fixture: the Russian link must not be a 404."""
    site = served_sites["basic"]
    page.set_viewport_size(PHONE)
    page.goto(site.url("en/briefings/en-only/"))
    with page.expect_navigation() as navigation:
        page.locator(".language-switcher a[hreflang='ru']").click()
    assert navigation.value.status == 200
    assert page.url.startswith(site.url("ru/"))
    assert page.locator("html").get_attribute("lang") == "ru"
