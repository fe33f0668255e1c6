"""Metadata for search engines, feed readers and social networks.

Reads the real build of fixture ``basic`` (base_url with the sub-path
/news/): Open Graph and Twitter tags parsed with lxml.html, JSON-LD parsed
with json, the sitemap with lxml.etree, the feeds with feedparser.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from lxml import etree, html

from generator.build import build
from generator.render.metadata import json_ld, og_locale

from tests.helpers import make_content

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://example.org/news/"
OFFSET_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def head_of(site: Path, rel: str):
    root = html.fromstring((site / rel).read_bytes())
    properties: dict[str, list[str]] = {}
    for meta in root.xpath("//head/meta[@property]"):
        properties.setdefault(meta.get("property"), []).append(meta.get("content"))
    names = {meta.get("name"): meta.get("content") for meta in root.xpath("//head/meta[@name]")}
    scripts = root.xpath("//script[@type='application/ld+json']")
    data = [json.loads(script.text) for script in scripts]
    return root, properties, names, data


def one(properties, key):
    values = properties.get(key, [])
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


# -- the JSON-LD text itself ------------------------------------------------------

def test_json_ld_cannot_leave_its_script_element():
    hostile = {"headline": "</script><script>alert(1)</script> <!-- & \u2028 «ёлка»"}
    text = str(json_ld(hostile))
    assert not set("<>&") & set(text)
    assert "\u2028" not in text and "«ёлка»" in text  # Cyrillic stays readable
    assert json.loads(text) == hostile


def test_og_locale_has_a_territory():
    assert [og_locale(code) for code in ("en", "ru", "uk", "de", "pt-BR")] == ["en_US", "ru_RU", "uk_UA", "de_DE", "pt_BR"]


# -- briefing pages -----------------------------------------------------------------

@pytest.mark.parametrize("lang, other, locale, alternate", [("en", "ru", "en_US", "ru_RU"), ("ru", "en", "ru_RU", "en_US")])
def test_bilingual_briefing_tags(basic_site, lang, other, locale, alternate):
    url = f"{BASE}{lang}/briefings/bilingual/"
    root, properties, names, _ = head_of(basic_site, f"{lang}/briefings/bilingual/index.html")
    assert root.xpath("//link[@rel='canonical']/@href") == [url]
    assert one(properties, "og:url") == url
    assert one(properties, "og:type") == "article"
    assert one(properties, "og:title") == root.xpath("string(//h1)")
    assert one(properties, "og:description") == root.xpath("string(//p[@class='lede'])")
    assert one(properties, "og:locale") == locale
    assert properties["og:locale:alternate"] == [alternate]
    assert one(properties, "og:site_name") == {"en": "Test Briefings", "ru": "Тестовые брифинги"}[lang]
    assert one(properties, "article:published_time") == "2023-03-01T10:00:00+03:00"
    assert one(properties, "article:modified_time") == "2023-03-02T09:15:00+03:00"
    assert properties["article:tag"] == [{"en": "Test topic", "ru": "Тестовая тема"}[lang]]
    # A briefing always has a large social image (its lead image's card or one drawn for it: test_images_metadata.py).
    assert names["twitter:card"] == "summary_large_image"
    assert names["twitter:image"] == one(properties, "og:image")
    assert names["twitter:title"] == one(properties, "og:title")
    assert names["twitter:description"] == one(properties, "og:description")


def test_untranslated_briefing_has_no_alternate_locale(basic_site):
    _, properties, _, _ = head_of(basic_site, "en/briefings/en-only/index.html")
    assert one(properties, "og:locale") == "en_US"
    assert "og:locale:alternate" not in properties
    # A plain date is midnight in the site's time zone (Europe/Moscow).
    assert one(properties, "article:published_time") == "2023-02-15T00:00:00+03:00"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_briefing_news_article(basic_site, lang):
    url = f"{BASE}{lang}/briefings/bilingual/"
    root, _, _, data = head_of(basic_site, f"{lang}/briefings/bilingual/index.html")
    assert len(data) == 1
    article = data[0]
    assert article["@context"] == "https://schema.org" and article["@type"] == "NewsArticle"
    assert article["url"] == url and article["mainEntityOfPage"]["@id"] == url
    assert article["headline"] == root.xpath("string(//h1)")
    assert article["description"] == root.xpath("string(//p[@class='lede'])")
    assert OFFSET_MOMENT.match(article["datePublished"]) and OFFSET_MOMENT.match(article["dateModified"])
    assert (article["datePublished"], article["dateModified"]) == ("2023-03-01T10:00:00+03:00", "2023-03-02T09:15:00+03:00")
    assert article["inLanguage"] == lang
    authors = {"en": ["Test desk", "Jane Doe"], "ru": ["Тестовая редакция", "Джейн Доу"]}[lang]
    assert [a["name"] for a in article["author"]] == authors
    assert article["publisher"]["name"] == {"en": "Test desk", "ru": "Тестовая редакция"}[lang]
    assert article["publisher"]["url"] == f"{BASE}{lang}/"
    # The cited sources: exactly the external links of the page's Sources section.
    cited = root.xpath("//section[@class='sources']//a[@rel='external']/@href")
    assert cited and [c["url"] for c in article["citation"]] == cited
    assert {c["name"] for c in article["citation"]} == set(root.xpath("//section[@class='sources']//a[@rel='external']/text()"))


def test_translation_links_both_ways(basic_site):
    en = head_of(basic_site, "en/briefings/bilingual/index.html")[3][0]
    ru = head_of(basic_site, "ru/briefings/bilingual/index.html")[3][0]
    # English is the site's default language, so its version is the original.
    assert "translationOfWork" not in en
    assert [(t["url"], t["inLanguage"], t["headline"]) for t in en["workTranslation"]] == [
        (ru["url"], "ru", ru["headline"])]
    assert "workTranslation" not in ru
    assert (ru["translationOfWork"]["url"], ru["translationOfWork"]["inLanguage"]) == (en["url"], "en")
    only = head_of(basic_site, "en/briefings/en-only/index.html")[3][0]
    assert "workTranslation" not in only and "translationOfWork" not in only
    assert only["author"][0]["@type"] == "NewsMediaOrganization"  # no authors: the desk signs


def test_hostile_title_is_data_not_markup(tmp_path):
    title = 'Drones </script><script>alert("x")</script> & <!-- "quotes"'
    content = make_content(tmp_path, {
        "briefings/x/en.md": f"---\ntitle: '{title}'\nsummary: 'A <b>bold</b> claim & more'\ndate: 2023-01-02\n---\n\nText.\n",
    })
    out = tmp_path / "site"
    build(content, out)
    root, properties, names, data = head_of(out, "en/briefings/x/index.html")
    assert data[0]["headline"] == title and one(properties, "og:title") == title
    assert data[0]["description"] == "A <b>bold</b> claim & more" == names["twitter:description"]
    assert len(root.xpath("//script")) == 1, "the title opened a script element"


@pytest.mark.slow  # the Nu Html Checker
def test_pages_with_metadata_are_valid_html(tmp_path):
    vnu = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
    if not vnu.is_file():
        pytest.skip("node_modules/vnu-jar is missing: run scripts/test.sh (or link /work/main/node_modules)")
    out = tmp_path / "site"
    build(ROOT / "tests/fixtures/basic/content", out)
    pages = [out / rel for rel in ("en/briefings/bilingual/index.html", "ru/briefings/bilingual/index.html",
                                   "ru/weapons/drone-x/index.html", "en/people/test-person/index.html",
                                   "en/index.html", "ru/index.html", "en/pages/about/index.html", "ru/pages/ru-only/index.html",
                                   "ru/topics/test-topic/index.html", "en/timelines/test-events/index.html")]
    done = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--format", "gnu", *map(str, pages)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# -- fact pages ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru"])
def test_weapon_page_describes_the_weapon(basic_site, lang):
    url = f"{BASE}{lang}/weapons/missile-y/"
    root, properties, names, data = head_of(basic_site, f"{lang}/weapons/missile-y/index.html")
    assert one(properties, "og:url") == url and one(properties, "og:title") == "Missile-Y"
    assert names["twitter:card"] == "summary"
    thing = data[0]
    assert thing["@type"] == "Product" and thing["name"] == "Missile-Y" and thing["url"] == url
    assert thing["description"] == {"en": "A fictional short-range ballistic missile.",
                                    "ru": "Вымышленная баллистическая ракета малой дальности."}[lang]
    assert thing["category"] == {"en": "Short-range ballistic missile", "ru": "Оперативно-тактическая баллистическая ракета"}[lang]
    assert thing["countryOfOrigin"] == {"@type": "Country", "identifier": "IR", "name": {"en": "Iran", "ru": "Иран"}[lang]}
    [range_] = thing["additionalProperty"]
    assert (range_["propertyID"], range_["value"], range_["unitCode"]) == ("range", 300, "KMT")
    assert range_["unitText"] == {"en": "km", "ru": "км"}[lang]
    # subjectOf: the briefings the page lists, as absolute URLs.
    listed = [urljoin(url, href) for href in root.xpath("//section[@class='mentions']//a/@href") if "/briefings/" in href]
    assert listed and [a["url"] for a in thing["subjectOf"]] == listed
    assert all(a["@type"] == "NewsArticle" and OFFSET_MOMENT.match(a["datePublished"]) for a in thing["subjectOf"])


def test_fractional_range_and_entity_kinds(basic_site):
    rocket = head_of(basic_site, "ru/weapons/rocket-z/index.html")[3][0]
    assert rocket["additionalProperty"][0]["value"] == 4.5
    assert "subjectOf" not in rocket  # mentioned only in a timeline, by no briefing
    person = head_of(basic_site, "ru/people/test-person/index.html")[3][0]
    assert person["@type"] == "Person" and person["nationality"]["identifier"] == "RU"
    org = head_of(basic_site, "en/organizations/test-org/index.html")[3][0]
    assert org["@type"] == "Organization"


# -- home, plain, topic and timeline pages -------------------------------------------

SITE_NAME = {"en": "Test Briefings", "ru": "Тестовые брифинги"}
LOCALES = {"en": ("en_US", "ru_RU"), "ru": ("ru_RU", "en_US")}


def check_tags(root, properties, names, url, og_type, lang, alternates):
    """The tags every page with metadata shares, checked against the page itself."""
    assert root.xpath("//link[@rel='canonical']/@href") == [url]
    assert one(properties, "og:url") == url
    assert one(properties, "og:type") == og_type
    assert one(properties, "og:site_name") == SITE_NAME[lang]
    assert one(properties, "og:locale") == LOCALES[lang][0]
    assert properties.get("og:locale:alternate", []) == alternates
    assert one(properties, "og:description") == root.xpath("string(//head/meta[@name='description']/@content)")
    assert names["twitter:card"] == "summary"
    assert names["twitter:title"] == one(properties, "og:title")
    assert names["twitter:description"] == one(properties, "og:description")


def part_of_site(data, lang):
    assert data["inLanguage"] == lang
    assert data["isPartOf"] == {"@type": "WebSite", "@id": f"{BASE}{lang}/", "url": f"{BASE}{lang}/", "name": SITE_NAME[lang]}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_home_page_is_a_website_in_its_language(basic_site, lang):
    url = f"{BASE}{lang}/"
    root, properties, names, data = head_of(basic_site, f"{lang}/index.html")
    check_tags(root, properties, names, url, "website", lang, [LOCALES[lang][1]])
    assert one(properties, "og:title") == SITE_NAME[lang] == root.xpath("string(//title)")
    assert one(properties, "og:description") == root.xpath("string(//p[@class='lede'])")
    [site] = data
    assert (site["@context"], site["@type"]) == ("https://schema.org", "WebSite")
    assert site["@id"] == site["url"] == url and site["name"] == SITE_NAME[lang]
    assert site["inLanguage"] == lang and site["description"] == one(properties, "og:description")
    assert site["publisher"]["name"] == {"en": "Test desk", "ru": "Тестовая редакция"}[lang]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_plain_page_is_an_article_and_an_about_page(basic_site, lang):
    url = f"{BASE}{lang}/pages/about/"
    root, properties, names, data = head_of(basic_site, f"{lang}/pages/about/index.html")
    check_tags(root, properties, names, url, "article", lang, [LOCALES[lang][1]])
    assert one(properties, "og:title") == root.xpath("string(//h1)")
    assert one(properties, "og:description") == root.xpath("string(//p[@class='lede'])")
    assert "article:published_time" not in properties  # the page has no date, and none is made up
    [page] = data
    assert page["@type"] == "AboutPage" and page["@id"] == page["url"] == url
    assert page["name"] == root.xpath("string(//h1)") and page["description"] == one(properties, "og:description")
    assert "datePublished" not in page
    part_of_site(page, lang)


def test_untranslated_plain_page_is_a_web_page_without_alternate(basic_site):
    url = f"{BASE}ru/pages/ru-only/"
    root, properties, names, data = head_of(basic_site, "ru/pages/ru-only/index.html")
    check_tags(root, properties, names, url, "article", "ru", [])
    [page] = data
    assert page["@type"] == "WebPage" and page["url"] == url and page["name"] == "Страница только на русском"
    part_of_site(page, "ru")


def test_dated_plain_page_says_when(tmp_path):
    content = make_content(tmp_path, {
        "pages/methodology/en.md": "---\ntitle: How we work\ndate: 2023-01-02\nupdated: 2023-02-03T12:00\n---\n\nText.\n",
    })
    out = tmp_path / "site"
    build(content, out)
    _, properties, _, [page] = head_of(out, "en/pages/methodology/index.html")
    assert page["@type"] == "WebPage"
    assert one(properties, "article:published_time") == page["datePublished"] == "2023-01-02T00:00:00+03:00"
    assert one(properties, "article:modified_time") == page["dateModified"] == "2023-02-03T12:00:00+03:00"
    assert "og:description" not in properties and "description" not in page  # neither summary nor site description


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_topic_page_is_a_collection_of_its_briefings(basic_site, lang):
    url = f"{BASE}{lang}/topics/test-topic/"
    root, properties, names, data = head_of(basic_site, f"{lang}/topics/test-topic/index.html")
    check_tags(root, properties, names, url, "website", lang, [LOCALES[lang][1]])
    assert one(properties, "og:title") == root.xpath("string(//h1)")
    assert one(properties, "og:description") == root.xpath("string(//p[@class='lede'])")
    [page] = data
    assert page["@type"] == "CollectionPage" and page["@id"] == page["url"] == url
    part_of_site(page, lang)
    assert page["about"] == {"@type": "Thing", "@id": url + "#subject", "name": root.xpath("string(//h1)"),
                             "description": one(properties, "og:description")}
    # The list: exactly the briefings the page lists, in its order, as absolute URLs.
    listed = [urljoin(url, href) for href in root.xpath("//ol[@class='briefing-list']//h2/a/@href")]
    items = page["mainEntity"]["itemListElement"]
    assert page["mainEntity"]["@type"] == "ItemList" and page["mainEntity"]["numberOfItems"] == len(items) == len(listed) > 1
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    assert [i["item"]["url"] for i in items] == listed
    assert [i["item"]["headline"] for i in items] == root.xpath("//ol[@class='briefing-list']//h2/a/text()")
    assert all(i["item"]["@type"] == "NewsArticle" and OFFSET_MOMENT.match(i["item"]["datePublished"]) for i in items)
    if lang == "ru":  # the English-only briefing is listed in English, and says so
        assert [i["item"]["inLanguage"] for i in items] == ["ru", "en"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_timeline_page_is_a_collection_of_its_events(basic_site, lang):
    url = f"{BASE}{lang}/timelines/test-events/"
    root, properties, names, data = head_of(basic_site, f"{lang}/timelines/test-events/index.html")
    check_tags(root, properties, names, url, "website", lang, [LOCALES[lang][1]])
    assert one(properties, "og:title") == root.xpath("string(//h1)")
    assert one(properties, "og:description") == {"en": "Fictional events for the tests.", "ru": "Вымышленные события для тестов."}[lang]
    [page] = data
    assert page["@type"] == "CollectionPage" and page["url"] == url and page["name"] == root.xpath("string(//h1)")
    part_of_site(page, lang)
    items = page["mainEntity"]["itemListElement"]
    # Each event by its anchor on the page, in the page's order, with its title.
    events = root.xpath("//li[contains(@class, 'event ')]")
    assert len(events) == 6
    assert [i["item"]["url"] for i in items] == [f"{url}#{e.get('id')}" for e in events]
    assert [i["item"]["name"] for i in items] == [e.xpath("string(.//*[@class='event-title'])") for e in events]


# -- sitemap, robots.txt, feeds ---------------------------------------------------------

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_entries(site: Path) -> dict[str, tuple[str | None, dict[str, str]]]:
    tree = etree.parse(str(site / "sitemap.xml"))
    return {u.findtext("s:loc", namespaces=SITEMAP): (u.findtext("s:lastmod", namespaces=SITEMAP),
            {l.get("hreflang"): l.get("href") for l in u.findall("x:link", namespaces=SITEMAP)})
            for u in tree.getroot().findall("s:url", namespaces=SITEMAP)}


def test_sitemap_lastmod_from_content_dates(basic_site):
    entries = sitemap_entries(basic_site)
    assert entries[BASE + "en/briefings/bilingual/"][0] == "2023-03-02"  # `updated` wins over `date`
    assert entries[BASE + "en/briefings/en-only/"][0] == "2023-02-15"
    assert entries[BASE + "ru/"][0] == entries[BASE + "en/"][0] == "2023-03-02"  # the newest briefing
    assert entries[BASE + "en/weapons/drone-x/"][0] is None  # facts carry no dates: no guess


def test_sitemap_hreflang_alternates(basic_site):
    entries = sitemap_entries(basic_site)
    pair = {"en": BASE + "en/briefings/bilingual/", "ru": BASE + "ru/briefings/bilingual/"}
    assert entries[pair["en"]][1] == pair == entries[pair["ru"]][1]
    assert entries[BASE + "en/briefings/en-only/"][1] == {}  # no translation, nothing to alternate with
    for loc, (_, alternates) in entries.items():
        assert not alternates or alternates[loc.split("/")[4]] == loc  # each set includes the page itself


def test_robots_txt_names_the_absolute_sitemap_and_explains_the_sub_path(basic_site, sample_site):
    text = (basic_site / "robots.txt").read_text()
    assert re.search(r"^Sitemap: https://example\.org/news/sitemap\.xml$", text, re.M)
    assert "https://example.org/robots.txt" in text and all(
        line.startswith("#") for line in text.splitlines() if "robots.txt" in line)
    sample = (sample_site / "robots.txt").read_text()  # base_url at the host root: nothing to explain
    assert "Sitemap: https://briefings.example.org/sitemap.xml" in sample and "#" not in sample


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_feed_urls_are_absolute(basic_site, lang):
    raw = (basic_site / lang / "feed.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo
    urls = [link.href for link in feed.feed.links] + [feed.feed.id]
    urls += [link.href for entry in feed.entries for link in entry.links] + [entry.id for entry in feed.entries]
    assert feed.entries and all(u.startswith(BASE) for u in urls), urls
    # And nothing in the raw XML is a relative reference.
    assert not re.search(rb'(href|src)="(?!https?://)', raw)


# -- any value survives the trip through the script element ------------------------
from hypothesis import given, strategies as st  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(_json_values)
def test_json_ld_reads_back_as_the_same_value_and_stays_inside_its_script(value):
    text = str(json_ld({"value": value}))
    assert json.loads(text) == {"value": value}
    assert not set("<>&\u2028\u2029") & set(text)


def test_json_ld_refuses_values_json_cannot_hold():
    with pytest.raises(ValueError):
        json_ld({"x": float("nan")})
