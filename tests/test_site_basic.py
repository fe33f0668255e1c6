"""The built fixture site ``basic``: URLs, links, languages, localisation.

Everything here reads the real output of a real build of
``tests/fixtures/basic`` (base_url ``https://example.org/news/``); the
fixture's README lists the edge cases each test relies on.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import feedparser
import pytest
from lxml import etree, html

from generator.build import build

CONTENT = Path(__file__).resolve().parent / "fixtures" / "basic" / "content"
BASE_PATH = "/news/"
BASE_URL = "https://example.org/news/"
LANGS = ("en", "ru")

# Every page the URL scheme promises for this fixture, and nothing else.
BILINGUAL_PAGES = [
    "{lang}/index.html",
    "{lang}/briefings/bilingual/index.html",
    "{lang}/pages/about/index.html",
    "{lang}/weapons/drone-x/index.html",
    "{lang}/weapons/missile-y/index.html",
    "{lang}/weapons/rocket-z/index.html",
    "{lang}/people/test-person/index.html",
    "{lang}/organizations/test-org/index.html",
    "{lang}/topics/test-topic/index.html",
    "{lang}/timelines/test-events/index.html",
    "{lang}/data/index.html",  # the open data page (generator/data)
    "{lang}/search/index.html",
]
EXPECTED_HTML = sorted(
    [p.format(lang=lang) for p in BILINGUAL_PAGES for lang in LANGS]
    + ["en/briefings/en-only/index.html", "ru/pages/ru-only/index.html", "index.html", "404.html"]
)
# Display order of the fixture timeline's events, as their file positions.
TIMELINE_ORDER = [2, 4, 5, 1, 3, 6]


def text_of(element) -> str:
    """Visible text with whitespace (including CLDR's no-break spaces) collapsed."""
    return re.sub(r"\s+", " ", element.text_content().replace("\u00a0", " ").replace("\u202f", " ")).strip()


def page(site: Path, rel: str):
    return html.fromstring((site / rel).read_bytes())


def html_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def local_file(site: Path, path: str) -> Path:
    """The built file a root-relative URL path points at."""
    assert path.startswith(BASE_PATH), f"{path} is not under the sub-path {BASE_PATH}"
    rel = path[len(BASE_PATH):]
    return site / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def ids_in(site: Path, file: Path) -> set[str]:
    return set(html.fromstring(file.read_bytes()).xpath("//@id"))


def lang_of(rel: str) -> str | None:
    first = rel.split("/", 1)[0]
    return first if first in LANGS else None


def counterpart(rel: str, lang: str) -> str:
    return lang + rel[2:]


@pytest.fixture(scope="module")
def warnings():
    return build(CONTENT).warnings


# -- the URL scheme -----------------------------------------------------------

def test_every_page_of_the_url_scheme_exists_and_nothing_else(basic_site):
    assert html_files(basic_site) == EXPECTED_HTML
    for extra in ("en/feed.xml", "ru/feed.xml", "sitemap.xml", "robots.txt", "assets/style.css"):
        assert (basic_site / extra).is_file(), extra


def test_language_chooser_links_both_homes_with_x_default(basic_site):
    root = page(basic_site, "index.html")
    hrefs = [a.get("href") for a in root.xpath("//main//a")]
    assert hrefs == ["/news/en/", "/news/ru/"]
    alternates = {link.get("hreflang"): link.get("href") for link in root.xpath("//link[@rel='alternate']")}
    assert alternates == {"en": BASE_URL + "en/", "ru": BASE_URL + "ru/", "x-default": BASE_URL}


def test_404_page_offers_both_homes(basic_site):
    root = page(basic_site, "404.html")
    assert [a.get("href") for a in root.xpath("//main//a")] == ["/news/en/", "/news/ru/"]
    assert "Page not found" in text_of(root) and "Страница не найдена" in text_of(root)


def test_robots_points_at_the_sitemap(basic_site):
    assert "Sitemap: https://example.org/news/sitemap.xml" in (basic_site / "robots.txt").read_text()


def test_sitemap_lists_every_language_page_and_only_those(basic_site):
    tree = etree.parse(str(basic_site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert len(locs) == len(set(locs))
    # The search pages are for readers, not search engines (noindex): not listed.
    pages = {BASE_URL + rel[: -len("index.html")] for rel in EXPECTED_HTML if lang_of(rel) and "/search/" not in rel}
    assert set(locs) == pages
    for loc in locs:
        assert local_file(basic_site, urlsplit(loc).path).is_file()


# -- links --------------------------------------------------------------------

def test_every_internal_link_and_asset_resolves_under_the_sub_path(basic_site):
    checked = 0
    for rel in html_files(basic_site):
        root = page(basic_site, rel)
        for element, attribute, link, _ in root.iterlinks():
            url, fragment = urldefrag(link)
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and not url.startswith(BASE_URL):
                assert element.tag == "a", f"{rel}: external resource {link} (pages must make no external request)"
                continue
            if url.startswith(BASE_URL):
                url = "/" + url[len("https://example.org/"):]
            if url == "":
                target = basic_site / rel  # "#fragment" in the same page
            else:
                assert url.startswith(BASE_PATH), f"{rel}: {attribute}={link} is not under {BASE_PATH}"
                target = local_file(basic_site, url)
                assert target.is_file(), f"{rel}: {link} leads to a missing file"
            if fragment and target.suffix == ".html":
                assert fragment in ids_in(basic_site, target), f"{rel}: {link}: no id '{fragment}' there"
            checked += 1
    assert checked > 300  # the walk really saw the site's links


def test_pages_need_no_javascript(basic_site):
    for rel in html_files(basic_site):
        root = page(basic_site, rel)
        if rel.endswith("/search/index.html"):
            # Search runs in the browser (Pagefind): without JavaScript the page says so and lists the topics.
            assert root.xpath("//*[@data-search-nojs][not(@hidden)]") and root.xpath("//form[@hidden]"), rel
            assert root.xpath("//nav[contains(@class, 'search-topics')]//a/@href") == ["/news/%s/topics/test-topic/" % lang_of(rel)]
            continue
        # JSON-LD (schema.org metadata) is data for crawlers, never run.
        assert not root.xpath("//script[not(@type='application/ld+json')]"), rel
        assert not root.xpath("//@*[starts-with(name(), 'on')]"), rel


# -- languages ----------------------------------------------------------------

def test_html_lang_is_right_on_every_page(basic_site):
    for rel in html_files(basic_site):
        expected = lang_of(rel) or "en"  # chooser and 404: the default language
        assert page(basic_site, rel).get("lang") == expected, rel


def test_language_switcher_leads_to_the_counterpart(basic_site):
    for rel in html_files(basic_site):
        lang = lang_of(rel)
        if lang is None:
            continue
        other = "ru" if lang == "en" else "en"
        links = page(basic_site, rel).xpath("//nav[contains(@class,'language-switcher')]//a")
        assert [a.get("hreflang") for a in links] == [other], rel
        twin = counterpart(rel, other)
        if (basic_site / twin).is_file():
            assert links[0].get("href") == BASE_PATH + twin[: -len("index.html")], rel
        else:
            assert links[0].get("href") == f"{BASE_PATH}{other}/", rel


def test_alternate_links_name_each_existing_translation(basic_site):
    for rel in html_files(basic_site):
        lang = lang_of(rel)
        if lang is None:
            continue
        root = page(basic_site, rel)
        alternates = {link.get("hreflang"): link.get("href") for link in root.xpath("//head/link[@rel='alternate'][@hreflang]")}
        expected = {code: BASE_URL + counterpart(rel, code)[: -len("index.html")]
                    for code in LANGS if (basic_site / counterpart(rel, code)).is_file()}
        assert alternates == expected, rel


def test_english_only_briefing_in_russian_lists(basic_site):
    ru_home = page(basic_site, "ru/index.html")
    items = ru_home.xpath("//li[contains(@class,'briefing-item')]")
    only_en = [li for li in items if "An English-only briefing" in text_of(li)]
    assert len(only_en) == 1
    link = only_en[0].xpath(".//a")[0]
    assert link.get("href") == "/news/en/briefings/en-only/" and link.get("hreflang") == "en"
    assert "Только" in text_of(only_en[0]) and "English" in text_of(only_en[0])
    # No page anywhere links a Russian version that does not exist.
    for rel in html_files(basic_site):
        assert "/news/ru/briefings/en-only/" not in (basic_site / rel).read_text(encoding="utf-8"), rel


def test_english_only_briefing_switches_to_the_russian_home(basic_site):
    root = page(basic_site, "en/briefings/en-only/index.html")
    link = root.xpath("//nav[contains(@class,'language-switcher')]//a")[0]
    assert link.get("href") == "/news/ru/"
    assert "untranslated" in link.get("class")


def test_russian_only_plain_page(basic_site):
    assert not (basic_site / "en/pages/ru-only").exists()
    root = page(basic_site, "ru/pages/ru-only/index.html")
    assert root.xpath("//nav[contains(@class,'language-switcher')]//a/@href") == ["/news/en/"]


# -- ordering and localisation -------------------------------------------------

def test_home_lists_briefings_newest_first_with_localised_dates(basic_site):
    en = page(basic_site, "en/index.html").xpath("//ol[@class='briefing-list']/li")
    ru = page(basic_site, "ru/index.html").xpath("//ol[@class='briefing-list']/li")
    assert [li.xpath(".//a/@href")[0] for li in en] == ["/news/en/briefings/bilingual/", "/news/en/briefings/en-only/"]
    assert [text_of(li.xpath(".//time")[0]) for li in en] == ["March 1, 2023", "February 15, 2023"]
    assert [text_of(li.xpath(".//time")[0]) for li in ru] == ["1 марта 2023 г.", "15 февраля 2023 г."]


@pytest.mark.parametrize("rel", ["{lang}/timelines/test-events/index.html", "{lang}/briefings/bilingual/index.html"])
@pytest.mark.parametrize("lang", LANGS)
def test_timeline_events_in_date_order_ties_in_file_order(basic_site, rel, lang):
    events = page(basic_site, rel.format(lang=lang)).xpath("//li[contains(@class,'event ')]")
    assert [li.get("id") for li in events] == [f"event-test-events-{n}" for n in TIMELINE_ORDER]


def test_entity_page_lists_events_in_date_order(basic_site):
    hrefs = page(basic_site, "en/weapons/drone-x/index.html").xpath("//ol[@class='event-list']//a/@href")
    assert [h.rsplit("-", 1)[1] for h in hrefs] == ["2", "4", "5", "1", "3"]


DATES = {
    "en": ["2021", "May 1, 2022", "May 2022", "June 10, 2022", "June 10, 2022", "January 20, 2023"],
    "ru": ["2021", "1 мая 2022 г.", "май 2022 г.", "10 июня 2022 г.", "10 июня 2022 г.", "20 января 2023 г."],
}
QUANTITIES = {  # file order of events 2, 4, 5, 1, 3, 6 -> 1, 21, 6000, 2, 5, 1 units
    "en": ["Drone-X: 1 unit", "Drone-X: 21 units", "Drone-X: 6,000 units", "Drone-X: 2 units", "Drone-X: 5 units", "Rocket-Z: 1 unit"],
    "ru": ["Дрон-X: 1 единица", "Дрон-X: 21 единица", "Дрон-X: 6 000 единиц", "Дрон-X: 2 единицы", "Дрон-X: 5 единиц", "Ракета-Z: 1 единица"],
}
STATUSES = {
    "en": ["Claimed", "Reported", "Denied", "Confirmed", "Disputed", "Reported"],
    "ru": ["Заявлено", "Сообщается", "Опровергнуто", "Подтверждено", "Оспаривается", "Сообщается"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_dates_quantities_and_statuses_are_localised(basic_site, lang):
    root = page(basic_site, f"{lang}/timelines/test-events/index.html")
    events = root.xpath("//li[contains(@class,'event ')]")
    assert [text_of(li.xpath(".//p[@class='event-date']")[0]) for li in events] == DATES[lang]
    assert [text_of(li.xpath(".//ul[@class='event-quantities']")[0]) for li in events] == QUANTITIES[lang]
    assert [text_of(li.xpath(".//*[contains(@class,'status ')]")[0]) for li in events] == STATUSES[lang]
    # precision is kept in the machine-readable date too
    assert [li.xpath(".//time/@datetime")[0] for li in events] == ["2021", "2022-05-01", "2022-05", "2022-06-10", "2022-06-10", "2023-01-20"]


@pytest.mark.parametrize("lang, value", [("en", "€140M"), ("ru", "140 млн €")])
def test_event_value_is_localised_money(basic_site, lang, value):
    root = page(basic_site, f"{lang}/timelines/test-events/index.html")
    values = [text_of(p) for p in root.xpath("//p[@class='event-value']")]
    assert len(values) == 1 and values[0].endswith(value)
    assert root.xpath("//li[@id='event-test-events-4']//p[@class='event-value']")


def test_timeline_events_link_entities_and_cite_sources(basic_site):
    event = page(basic_site, "en/timelines/test-events/index.html").xpath("//li[@id='event-test-events-4']")[0]
    assert "/news/en/people/test-person/" in event.xpath(".//a/@href")  # in the text and in 'Mentioned'
    assert "/news/en/weapons/drone-x/" in event.xpath(".//ul[@class='event-quantities']//a/@href")
    cite = event.xpath(".//p[@class='event-sources']//cite")[0]
    assert text_of(cite) == "Test News Agency: Drones, missiles: a test report, May 1, 2022"
    assert cite.xpath(".//a/@href") == ["/news/en/organizations/test-org/", "https://example.com/report-a"]


RANGES = {
    "en": {"drone-x": "1,500 km", "missile-y": "300 km", "rocket-z": "4.5 km"},
    "ru": {"drone-x": "1 500 км", "missile-y": "300 км", "rocket-z": "4,5 км"},
}


@pytest.mark.parametrize("lang", LANGS)
def test_weapon_ranges_use_cldr_units(basic_site, lang):
    for weapon, expected in RANGES[lang].items():
        root = page(basic_site, f"{lang}/weapons/{weapon}/index.html")
        assert text_of(root.xpath("//dd[@class='range']")[0]) == expected


def facts(root) -> dict[str, str]:
    return {text_of(div.xpath("dt")[0]): text_of(div.xpath("dd")[0]) for div in root.xpath("//aside[contains(@class,'factbox')]//dl/div")}


def test_weapon_fact_box_in_both_languages(basic_site):
    en = page(basic_site, "en/weapons/missile-y/index.html")
    ru = page(basic_site, "ru/weapons/missile-y/index.html")
    assert facts(en) == {"Class": "Short-range ballistic missile", "Origin": "Iran", "Range": "300 km", "Status": "Confirmed"}
    assert facts(ru) == {"Класс": "Оперативно-тактическая баллистическая ракета", "Происхождение": "Иран", "Дальность": "300 км", "Статус": "Подтверждено"}
    cites = [text_of(c) for c in ru.xpath("//aside[contains(@class,'factbox')]//cite")]
    assert cites == [
        "Тестовое информационное агентство: Drones, missiles: a test report, 1 мая 2022 г.",
        "Plain Text Publisher: Второй тестовый отчет, июнь 2022 г.",
    ]
    links = ru.xpath("//aside[contains(@class,'factbox')]//cite//a/@href")
    assert links == ["/news/ru/organizations/test-org/", "https://example.com/report-a", "https://example.com/report-b"]


def test_person_and_organisation_boxes(basic_site):
    assert facts(page(basic_site, "ru/people/test-person/index.html")) == {"Должность": "Вымышленный министр", "Страна": "Россия", "Статус": "Сообщается"}
    org = facts(page(basic_site, "ru/organizations/test-org/index.html"))
    assert org == {"Тип": "Информационное агентство", "Страна": "Великобритания", "Сайт": "https://example.com/", "Статус": "Сообщается"}
    person = page(basic_site, "en/people/test-person/index.html")
    assert [text_of(c) for c in person.xpath("//aside//cite")] == ["Plain Text Publisher: Second test report, June 2022"]


def test_missing_translation_falls_back_and_is_reported(basic_site, warnings):
    assert [(w.path, w.line) for w in warnings] == [("content/facts/weapons.yaml", 8)]
    assert "'ru'" in warnings[0].message and "drone-x" in warnings[0].message
    summary = page(basic_site, "ru/weapons/drone-x/index.html").xpath("//p[@class='factbox-summary']")[0]
    assert summary.get("lang") == "en" and text_of(summary) == "A fictional loitering munition used only in tests."


# -- what each page lists -------------------------------------------------------

def listed(site: Path, rel: str) -> list[str]:
    return page(site, rel).xpath("//ol[@class='briefing-list']//h2/a/@href")


def test_entity_and_topic_pages_list_the_briefings_that_mention_them(basic_site):
    assert listed(basic_site, "en/weapons/drone-x/index.html") == ["/news/en/briefings/bilingual/"]
    assert listed(basic_site, "en/weapons/missile-y/index.html") == ["/news/en/briefings/bilingual/", "/news/en/briefings/en-only/"]
    assert listed(basic_site, "ru/weapons/missile-y/index.html") == ["/news/ru/briefings/bilingual/", "/news/en/briefings/en-only/"]
    assert listed(basic_site, "ru/topics/test-topic/index.html") == ["/news/ru/briefings/bilingual/", "/news/en/briefings/en-only/"]
    # An entity named only in an event's quantities is still mentioned by it.
    events = page(basic_site, "en/weapons/rocket-z/index.html").xpath("//ol[@class='event-list']//a/@href")
    assert events == ["/news/en/timelines/test-events/#event-test-events-6"]


def test_drafts_are_absent_everywhere(basic_site):
    assert not list(basic_site.rglob("*draft-note*"))
    for path in basic_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8")
            for needle in ("draft-note", "A draft briefing", "Черновик брифинга"):
                assert needle not in text, f"{path.relative_to(basic_site)} mentions the draft"


@pytest.mark.parametrize("lang, expected", [
    ("en", ["bilingual", "en-only"]),
    ("ru", ["bilingual"]),  # the English-only briefing is not in the Russian feed
])
def test_feeds(basic_site, lang, expected):
    feed = feedparser.parse((basic_site / lang / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.language == lang
    assert [e.link for e in feed.entries] == [f"{BASE_URL}{lang}/briefings/{slug}/" for slug in expected]
    for entry in feed.entries:
        assert local_file(basic_site, urlsplit(entry.link).path).is_file()
    assert feed.entries[0].title == ("Drone-X deliveries: a bilingual test briefing" if lang == "en" else "Поставки Дрона-X: двуязычный тестовый брифинг")


# -- Markdown is data -------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_raw_jinja_in_markdown_appears_as_text(basic_site, lang):
    body = text_of(page(basic_site, f"{lang}/pages/about/index.html").xpath("//article")[0])
    assert "{{ 7 * 7 }}" in body and "{% if true %}x{% endif %}" in body
    assert "49" not in body


@pytest.mark.parametrize("lang", LANGS)
def test_raw_html_in_markdown_is_escaped(basic_site, lang):
    article = page(basic_site, f"{lang}/pages/about/index.html").xpath("//article")[0]
    assert not article.xpath(".//script | .//b | .//div")
    body = text_of(article)
    assert '<script>alert("x")</script>' in body and "<b>" in body and '<div class="raw-block">' in body


def test_timeline_shown_once_where_embedded_or_after_the_article(basic_site):
    bilingual = page(basic_site, "en/briefings/bilingual/index.html")
    assert len(bilingual.xpath("//section[contains(@class,'timeline')]")) == 1
    assert bilingual.xpath("//div[@class='briefing-body']//section[contains(@class,'timeline')]")
    en_only = page(basic_site, "en/briefings/en-only/index.html")
    assert len(en_only.xpath("//section[contains(@class,'timeline')]")) == 1
    assert not en_only.xpath("//div[@class='briefing-body']//section[contains(@class,'timeline')]")


def test_inline_entity_links_use_localised_names_or_given_text(basic_site):
    links = page(basic_site, "ru/briefings/bilingual/index.html").xpath("//div[@class='briefing-body']/p/a[@class='entity-link']")
    assert [(a.get("href"), text_of(a)) for a in links[:4]] == [
        ("/news/ru/people/test-person/", "Иван Тестов"),
        ("/news/ru/weapons/drone-x/", "Дрон-X"),
        ("/news/ru/organizations/test-org/", "информационное агентство"),
        ("/news/ru/topics/test-topic/", "«Тестовая тема»"),
    ]


# -- determinism ------------------------------------------------------------------

def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(CONTENT, first)
    build(CONTENT, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


@pytest.mark.parametrize("lang, expected", [
    ("en", [("/news/en/pages/about/", "About the test site")]),
    ("ru", [("/news/ru/pages/about/", "О тестовом сайте"), ("/news/ru/pages/ru-only/", "Страница только на русском")]),
])
def test_footer_links_the_plain_pages_of_the_language(basic_site, lang, expected):
    for rel in html_files(basic_site):
        if lang_of(rel) == lang:
            links = page(basic_site, rel).xpath("//footer//ul[@class='footer-pages']//a")
            assert [(a.get("href"), text_of(a)) for a in links] == expected, rel
