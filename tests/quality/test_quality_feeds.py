"""The Atom feeds of both sites parse cleanly with feedparser.

Each language's feed has a title and one entry per briefing published in
that language; every entry has a title, a link to an existing page, an id
and a date.
"""

from __future__ import annotations

import urllib.request

import feedparser


def test_feeds_parse_and_entries_are_complete(site):
    for lang in site.languages:
        with urllib.request.urlopen(site.url(f"{lang}/feed.xml"), timeout=10) as response:
            assert response.status == 200
            feed = feedparser.parse(response.read())
        where = f"{site.name} {lang}/feed.xml"
        assert not feed.bozo, f"{where}: {feed.get('bozo_exception')}"
        assert feed.version == "atom10", where
        assert feed.feed.get("title", "").strip(), f"{where}: no feed title"
        assert feed.feed.get("language") == lang, where

        published = {p.parent.name for p in (site.folder / lang / "briefings").glob("*/index.html")}
        assert published, f"{where}: the site has no {lang} briefing to list"
        linked = set()
        for entry in feed.entries:
            assert entry.get("title", "").strip(), f"{where}: entry without title"
            assert entry.get("id", "").strip(), f"{where}: entry without id"
            assert entry.get("updated_parsed") or entry.get("published_parsed"), f"{where}: {entry.title}: no date"
            link = entry.get("link", "")
            assert link.startswith(site.base_url + f"{lang}/briefings/"), f"{where}: {entry.title}: link {link!r}"
            with urllib.request.urlopen(site.local(link), timeout=10) as page:
                assert page.status == 200
            linked.add(link[len(site.base_url + f"{lang}/briefings/"):].strip("/"))
        assert linked == published, f"{where}: entries {sorted(linked)} != briefings {sorted(published)}"
