"""generator/search/index.py: Pagefind's bundle of each language, made from the built pages.

The bundles are read back here as Pagefind wrote them: each fragment file
is one indexed page (gzip, Pagefind's signature, then JSON with its URL,
text and metadata), which shows what was indexed without a browser. What
the search finds is tested in Chromium (tests/test_search_browser.py).
"""

from __future__ import annotations

import gzip
import json
import os
import stat
from pathlib import Path

import pytest

from generator.search.facets import facet_words
from generator.search.index import SearchIndexError, index_files

SIGNATURE = b"pagefind_dcd"


def pages_of(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


def fragments(files: dict[str, bytes], lang: str) -> dict[str, dict]:
    """URL -> the indexed page, from the fragment files of one language's bundle."""
    found = {}
    for path, data in files.items():
        if path.startswith(f"{lang}/pagefind/fragment/"):
            raw = gzip.decompress(data)
            assert raw.startswith(SIGNATURE)
            page = json.loads(raw[len(SIGNATURE):])
            found[page["url"]] = page
    return found


def bundle(site: Path, lang: str) -> dict[str, bytes]:
    root = site / lang / "pagefind"
    return {f"{lang}/pagefind/{p.relative_to(root).as_posix()}": p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def indexed_pages(site: Path, lang: str) -> set[str]:
    """The URLs (site-relative, as Pagefind gives them) of the pages the templates mark for the index."""
    return {"/" + rel.removesuffix("index.html") for rel, path in pages_of(site).items()
            if rel.startswith(lang + "/") and b"data-pagefind-body" in path.read_bytes()}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_each_language_has_a_bundle_of_its_own_pages(search_site, lang):
    files = bundle(search_site, lang)
    entry = json.loads(files[f"{lang}/pagefind/pagefind-entry.json"])
    assert list(entry["languages"]) == [lang]  # Pagefind took the language from <html lang>
    found = fragments(files, lang)
    assert set(found) == indexed_pages(search_site, lang)
    assert entry["languages"][lang]["page_count"] == len(found) == 7  # 3 briefings, a page, a weapon, 2 topics
    assert f"{lang}/pagefind/wasm.{lang}.pagefind" in files  # its stemmer
    assert all(url.startswith(f"/{lang}/") for url in found)


def test_home_and_search_pages_are_not_indexed(search_site):
    found = fragments(bundle(search_site, "en"), "en")
    assert "/en/" not in found and "/en/search/" not in found


def test_the_article_is_indexed_not_the_header_footer_or_sources(basic_site):
    page = fragments(bundle(basic_site, "en"), "en")["/en/briefings/bilingual/"]
    text = page["content"]
    assert "21 units of Drone-X had arrived" in text and "Drone-X deliveries" in text
    assert "Test Briefings" not in text  # the site title in the header
    assert "Atom feed" not in text and "Skip to content" not in text
    assert "Drones, missiles: a test report" not in text  # a source's title (the source list, and the fact box's)
    assert "A fictional loitering munition used only in tests." not in text  # the embedded fact box: the weapon's page has it
    assert "Tie A (first in file)" not in text  # the embedded timeline: its own page has it
    assert page["meta"]["title"] == "Drone-X deliveries: a bilingual test briefing"
    assert page["meta"]["date"] == "March 1, 2023"


def test_fact_and_timeline_pages_are_indexed_with_their_facts(basic_site):
    found = fragments(bundle(basic_site, "en"), "en")
    weapon = found["/en/weapons/drone-x/"]["content"]
    assert "Loitering munition" in weapon and "1,500 km" in weapon and "A fictional loitering munition used only in tests." in weapon
    assert "Drone-X deliveries" not in weapon  # the list of briefings that mention it belongs to those briefings
    assert "Tie A (first in file)" in found["/en/timelines/test-events/"]["content"]


def test_each_page_holds_the_words_of_its_filters(search_site):
    found = fragments(bundle(search_site, "ru"), "ru")
    assert found["/ru/briefings/drone-factory/"]["meta"]["facets"] == facet_words("briefings", ["unmanned"])
    assert found["/ru/weapons/geran-2/"]["meta"]["facets"] == facet_words("weapons")
    assert found["/ru/topics/unmanned/"]["meta"]["facets"] == facet_words("topics", ["unmanned"])
    assert found["/ru/pages/about/"]["meta"]["facets"] == facet_words("pages")


def test_the_same_pages_give_the_same_bytes(search_site):
    pages = pages_of(search_site)
    first = index_files(pages, ["en", "ru"])
    assert index_files(pages, ["ru", "en"]) == first
    # Pages handed as bytes index as pages handed as files.
    assert index_files({rel: path.read_bytes() for rel, path in pages.items()}, ["en", "ru"]) == first
    # As the build wrote them.
    assert {**bundle(search_site, "en"), **bundle(search_site, "ru")} == first


def test_only_the_languages_asked_for_and_only_the_search_files(search_site):
    files = index_files(pages_of(search_site), ["ru"])
    assert files and all(path.startswith("ru/pagefind/") for path in files)
    names = {path.rsplit("/", 1)[-1] for path in files}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.ru.pagefind"} <= names
    # Pagefind's own search interfaces: the site has its own.
    assert not [name for name in names if name.startswith(("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight"))]
    assert index_files(pages_of(search_site), []) == {}


def test_a_missing_pagefind_program_says_how_to_install_it(search_site, monkeypatch, tmp_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchIndexError, match=r"pip install 'pagefind\[bin\]'"):
        index_files(pages_of(search_site), ["en"])


def failing_pagefind(folder: Path, message: str = "Error: the disk is on fire") -> Path:
    """A stand-in for Pagefind's program that fails the way it does: a message and exit status 1."""
    script = folder / "pagefind"
    script.write_text(f"#!/bin/sh\necho '{message}'\nexit 1\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_pagefind_failing_is_an_error_with_its_message(search_site, monkeypatch, tmp_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing_pagefind(tmp_path)))
    with pytest.raises(SearchIndexError, match="the disk is on fire"):
        index_files(pages_of(search_site), ["en"], tmp_path)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".briefing-search-")]  # the scratch folder is gone
