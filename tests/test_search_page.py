"""generator/search/page.py and templates/search.html: the search page of each language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html

from generator.search.facets import facet_word


def page(site: Path, rel: str):
    return html.fromstring((site / rel).read_bytes())


def settings(site: Path, lang: str) -> dict:
    return json.loads(page(site, f"{lang}/search/index.html").xpath("//script[@id='search-settings']")[0].text)


@pytest.mark.parametrize("lang, title, label", [
    ("en", "Search · Search Fixture", "Search the briefings and fact pages"),
    ("ru", "Поиск · Проверка поиска", "Поиск по брифингам и справочным страницам"),
])
def test_a_search_page_per_language_with_a_labelled_field(search_site, lang, title, label):
    root = page(search_site, f"{lang}/search/index.html")
    assert root.get("lang") == lang
    assert root.findtext(".//title") == title
    form = root.xpath("//form[@role='search']")[0]
    assert form.get("hidden") is not None  # shown by the script, which runs the search
    assert form.get("action") == f"/desk/{lang}/search/" and form.get("method") == "get"
    field = form.xpath(".//input[@type='search']")[0]
    assert field.get("name") == "q"
    assert form.xpath(f".//label[@for='{field.get('id')}']")[0].text_content().strip() == label
    for select in form.xpath(".//select"):
        assert form.xpath(f".//label[@for='{select.get('id')}']"), select.get("id")
    assert root.xpath("//*[@role='status']")  # where the number of results is said
    assert root.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert root.xpath("//script/@src") == ["/desk/assets/search.js"]


@pytest.mark.parametrize("lang, message", [
    ("en", "Search needs JavaScript"),
    ("ru", "Для поиска нужен JavaScript"),
])
def test_without_javascript_it_says_so_and_links_the_topic_pages(search_site, lang, message):
    root = page(search_site, f"{lang}/search/index.html")
    note = root.xpath("//*[@data-search-nojs]")[0]
    assert note.get("hidden") is None and message in note.text_content()
    topics = root.xpath("//nav[contains(@class, 'search-topics')]//a")
    assert [a.get("href") for a in topics] == ([f"/desk/{lang}/topics/missiles/", f"/desk/{lang}/topics/unmanned/"] if lang == "en"
                                               else [f"/desk/{lang}/topics/unmanned/", f"/desk/{lang}/topics/missiles/"])
    for a in topics:  # each link leads to a page of the site
        assert (search_site / a.get("href").removeprefix("/desk/") / "index.html").is_file()


def test_every_page_links_its_language_s_search_page_from_the_header(search_site):
    checked = 0
    for path in search_site.rglob("*.html"):
        rel = path.relative_to(search_site).as_posix()
        lang = rel.split("/")[0]
        if lang not in ("en", "ru"):
            continue  # the language choice and the 404 page have no header
        links = page(search_site, rel).xpath("//header//a[contains(@class, 'search-link')]")
        assert [a.get("href") for a in links] == [f"/desk/{lang}/search/"], rel
        assert (links[0].get("aria-current") == "page") == rel.endswith("/search/index.html"), rel
        checked += 1
    assert checked == 20  # per language: home, search, open data, 3 briefings, a page, a weapon, 2 topics


def test_the_settings_point_at_the_language_s_bundle_under_the_site_s_path(search_site):
    for lang in ("en", "ru"):
        found = settings(search_site, lang)
        assert found["bundle"] == f"/desk/{lang}/pagefind/" and found["base"] == "/desk/"
        assert (search_site / lang / "pagefind" / "pagefind.js").is_file()
        assert found["facets"]["topic"] == {"unmanned": facet_word("topic", "unmanned"), "missiles": facet_word("topic", "missiles")}
        assert found["facets"]["kind"]["weapons"] == facet_word("kind", "weapons")
    assert settings(search_site, "ru")["kinds"]["briefings"] == "Брифинг"
    assert settings(search_site, "en")["kinds"]["people"] == "Person"


def test_the_filters_list_the_kinds_and_topics_in_the_page_s_language(search_site):
    root = page(search_site, "ru/search/index.html")
    topics = [(o.get("value"), o.text) for o in root.xpath("//select[@name='topic']/option")]
    assert topics == [("", "Все темы"), ("unmanned", "Беспилотная авиация"), ("missiles", "Ракеты")]
    kinds = [o.get("value") for o in root.xpath("//select[@name='kind']/option")]
    assert kinds == ["", "briefings", "weapons", "people", "organizations", "topics", "timelines", "pages"]
    assert [o.get("value") for o in root.xpath("//select[@name='sort']/option")] == ["", "newest"]


def test_the_pages_hold_the_words_the_filters_search_for(search_site):
    """The options' words (settings) are the words in the pages' facets metadata (templates)."""
    words = settings(search_site, "ru")["facets"]
    meta = page(search_site, "ru/briefings/drone-factory/index.html").xpath("//article/@data-pagefind-meta")[0]
    assert meta == f"facets:{words['kind']['briefings']} {words['topic']['unmanned']}"
    meta = page(search_site, "ru/topics/missiles/index.html").xpath("//article/@data-pagefind-meta")[0]
    assert meta == f"facets:{words['kind']['topics']} {words['topic']['missiles']}"


def test_result_counts_come_in_every_plural_form_of_the_language(search_site):
    russian = settings(search_site, "ru")["messages"]
    assert russian["results"] == {
        "one": "%(count)s результат по запросу «%(query)s»",
        "few": "%(count)s результата по запросу «%(query)s»",
        "many": "%(count)s результатов по запросу «%(query)s»",
    }
    assert set(russian["filtered"]) == {"one", "few", "many"}
    english = settings(search_site, "en")["messages"]
    assert english["results"] == {"one": "%(count)s result for “%(query)s”", "other": "%(count)s results for “%(query)s”"}
    assert russian["none"] == "По запросу «%(query)s» ничего не найдено."


def test_the_search_page_is_not_in_the_sitemap(search_site):
    assert b"/search/" not in (search_site / "sitemap.xml").read_bytes()
