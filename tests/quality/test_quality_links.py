"""No broken internal link or asset on any page, base_url sub-path included.

Every URL a page points at (links, stylesheets, images, canonical and
alternate links) that belongs to the site is fetched from the local server,
which serves the build under base_url's path only: a link that forgot the
sub-path is a 404 here just as on the published site. Fragments must name an
element of the target page.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html

# (element, attribute) pairs that load or link a URL.
URL_ATTRIBUTES = [("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
                  ("iframe", "src"), ("video", "src"), ("audio", "src"), ("form", "action"), ("object", "data")]


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def ids_of(html: bytes) -> set[str]:
    tree = lxml.html.fromstring(html)
    return {el.get("id") for el in tree.iter() if el.get("id")} | {a.get("name") for a in tree.iter("a") if a.get("name")}


def internal_urls(site, route: str) -> list[tuple[str, str]]:
    """(what the page says, local URL to fetch) for every URL on the site."""
    page_url = site.url(route)
    html = (site.folder / (route + "index.html" if route.endswith("/") or not route else route)).read_bytes()
    tree = lxml.html.fromstring(html)
    public_host = urlsplit(site.base_url).netloc
    found = []
    for tag, attribute in URL_ATTRIBUTES:
        for element in tree.iter(tag):
            value = element.get(attribute)
            if value is None:
                continue
            target = urljoin(page_url, value.strip())
            parts = urlsplit(target)
            if parts.scheme in ("http", "https") and parts.netloc == public_host:
                target = site.local(target)  # canonical and alternate links are absolute
            elif parts.scheme not in ("http", "https") or parts.netloc != urlsplit(site.origin).netloc:
                continue  # another site (sources, organisations) or mailto: and the like
            found.append((value, target))
    return found


def test_no_broken_internal_links(site):
    cache: dict[str, tuple[int, bytes, str]] = {}
    broken, checked = [], 0
    for route in site.pages():
        links = internal_urls(site, route)
        assert links, f"{route}: no internal link found (the header links home)"
        for written, target in links:
            checked += 1
            address, fragment = urldefrag(target)
            if address not in cache:
                cache[address] = fetch(address)
            status, body, kind = cache[address]
            if status != 200:
                broken.append(f"{route or '/'}: {written} -> HTTP {status}")
            elif fragment and kind == "text/html" and fragment not in ids_of(body):
                broken.append(f"{route or '/'}: {written} -> no element with id {fragment!r}")
    assert not broken, "\n".join(broken)
    assert checked > 5 * len(site.pages())

