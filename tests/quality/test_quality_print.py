"""A briefing prints as a clean document: no masthead or navigation, but its
fact boxes, timeline, the URLs of its sources and its own address (both
hidden on screen). The PDFs are written to ``test-artifacts/`` to look at."""

from __future__ import annotations

import re

import pytest

from .pages import counterpart_route


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_print_stylesheet(site, page, lang):
    page.goto(site.url(counterpart_route(site, "briefing", lang)))
    urls = page.locator(".source-url")
    assert urls.count() > 0
    assert not urls.first.is_visible(), "source URLs are for print only"
    assert not page.locator(".site-footer .print-only").is_visible()

    page.emulate_media(media="print")
    for hidden in (".site-header", ".language-switcher", ".skip-link", ".site-footer a"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is printed"
    # The printed page says where it came from: the published address.
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert page.locator(".site-footer .print-only").inner_text().strip() == canonical
    assert page.locator("h1").first.is_visible()
    assert page.locator(".briefing-body .factbox").first.is_visible()
    assert page.locator(".timeline .event").first.is_visible()
    for index in range(urls.count()):
        span = urls.nth(index)
        assert span.is_visible(), f"source URL {index} is not printed"
        link = span.locator("xpath=preceding-sibling::cite[1]//a[@rel='external']")
        assert span.inner_text().strip() == link.get_attribute("href")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_briefing_pdf(served_sites, page, artifacts, lang):
    site = served_sites["sample"]
    page.goto(site.url(f"{lang}/briefings/patrushev-tehran-visit/"))
    path = artifacts / f"briefing-{lang}.pdf"
    page.pdf(path=str(path), format="A4", print_background=False)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 2 <= pages <= 12, f"{pages} pages"
