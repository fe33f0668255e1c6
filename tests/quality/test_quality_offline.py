"""Pages need no JavaScript and load nothing from outside the site."""

from __future__ import annotations

import pytest

from .pages import counterpart_route, kind_of


@pytest.fixture
def nojs_page(nojs_context):
    tab = nojs_context.new_page()
    yield tab
    tab.close()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_briefing_works_without_javascript(site, nojs_page, lang):
    page = nojs_page
    page.goto(site.url(counterpart_route(site, "briefing", lang)))
    assert page.locator("h1").first.inner_text().strip()
    assert len(page.locator(".briefing-body").inner_text()) > 200
    assert page.locator(".briefing-body .factbox").first.is_visible()
    assert page.locator(".timeline").first.is_visible()
    assert page.locator(".timeline .event").count() >= 3
    assert page.locator(".timeline .event").first.is_visible()


def test_javascript_is_really_off(served_sites, nojs_page):
    """Guards the test above: a script in the page must not run in this browser."""
    nojs_page.set_content("<p id=x>off</p><script>document.getElementById('x').textContent = 'on'</script>")
    assert nojs_page.locator("#x").inner_text() == "off"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_no_request_leaves_the_site(site, browser_context, nojs_context, javascript):
    context = browser_context if javascript else nojs_context
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # Waiting for the network to go idle costs half a second a page, so only
    # the first page of each kind gets it (time for scripts to fetch late),
    # and only where scripts run.
    seen_kinds: set[str] = set()
    try:
        for route in site.pages():
            kind = kind_of(route)
            page.goto(site.url(route), wait_until="networkidle" if javascript and kind not in seen_kinds else "load")
            seen_kinds.add(kind)
    finally:
        page.close()
    outside = sorted({url for url in requests if not url.startswith(site.origin + "/")})
    assert not outside, "\n".join(outside)
    assert site.url("assets/style.css") in requests  # the listener saw subresources
    assert len(requests) > len(site.pages())
