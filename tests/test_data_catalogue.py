"""The open data page /<lang>/data/ (generator/data/catalogue.py): what it lists, its Dataset JSON-LD,
the sitemap and the links that lead to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree, html

from generator.build import build

OPENDATA = Path(__file__).resolve().parent / "fixtures" / "opendata" / "content"
BASE = "https://example.org/investigations/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("opendata-page") / "site"
    build(OPENDATA, out)
    return out


def page(site: Path, rel: str):
    return html.fromstring((site / rel).read_bytes())


def json_ld(site: Path, rel: str) -> dict:
    (script,) = page(site, rel).xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


def local(site: Path, href: str) -> Path:
    assert href.startswith("/investigations/"), href
    rel = href[len("/investigations/"):]
    return site / (rel + "index.html" if rel.endswith("/") else rel)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_page_links_every_data_file_and_each_link_works(site, lang):
    root = page(site, f"{lang}/data/index.html")
    links = root.xpath("//main//a[@type]/@href")
    expected = {f"/investigations/data/{n}.json" for n in ("briefings", "weapons", "people", "organizations", "topics", "sources", "places",
                                                           "images")}
    expected |= {f"/investigations/data/{n}.csv" for n in ("weapons", "people", "organizations", "sources")}
    expected |= {"/investigations/data/timelines/russia-iran-arms.json", f"/investigations/{lang}/timelines/russia-iran-arms/timeline.json"}
    assert set(links) == expected
    for href in links:
        assert local(site, href).is_file(), href
    assert root.xpath("//main//a[@rel='license']/@href") == [LICENSE]


def test_the_page_is_in_the_page_language(site):
    en, ru = page(site, "en/data/index.html"), page(site, "ru/data/index.html")
    assert en.xpath("//h1")[0].text_content() == "Open data" and ru.xpath("//h1")[0].text_content() == "Открытые данные"
    assert "Вооружение" in [h.text_content() for h in ru.xpath("//h2")]
    text = " ".join(ru.xpath("//main")[0].text_content().split())
    assert "3 записи" in text and "2 записи" in text  # Russian plural forms of the record counts


def test_dataset_json_ld(site):
    data = json_ld(site, "en/data/index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["name"] == "Arms Transfer Monitor: Open data"
    assert len(data["description"]) >= 50 and data["license"] == LICENSE and data["inLanguage"] == "en"
    # Every file of /data/ (and this language's TimelineJS file) is a distribution.
    built = {BASE + p.relative_to(site).as_posix() for p in (site / "data").rglob("*") if p.is_file()}
    built.add(BASE + "en/timelines/russia-iran-arms/timeline.json")
    downloads = {d["contentUrl"]: d["encodingFormat"] for d in data["distribution"]}
    assert set(downloads) == built
    assert all(d["@type"] == "DataDownload" for d in data["distribution"])
    assert downloads[BASE + "data/weapons.csv"] == "text/csv" and downloads[BASE + "data/weapons.json"] == "application/json"
    # Earliest date: the timeline's year-precision event; latest: the newest briefing.
    assert data["temporalCoverage"] == "2022/2022-11-10"
    parts = {part["name"]: part for part in data["hasPart"]}
    assert list(parts) == ["Briefings", "Weapons", "People", "Organisations", "Topics", "Sources", "Places", "Images", "Russia and Iran"]
    for part in parts.values():
        assert part["@type"] == "Dataset" and part["license"] == LICENSE and part["distribution"]
    assert parts["Briefings"]["temporalCoverage"] == "2022-11-08/2022-11-10"
    assert parts["Sources"]["temporalCoverage"] == "2022-10/2022-11-08"
    assert parts["Russia and Iran"]["temporalCoverage"] == "2022/2022-11-08"
    assert "temporalCoverage" not in parts["Weapons"]  # weapons have no dates
    assert [d["encodingFormat"] for d in parts["Weapons"]["distribution"]] == ["application/json", "text/csv"]
    assert json_ld(site, "ru/data/index.html")["hasPart"][1]["name"] == "Вооружение"


def test_without_a_licence_none_is_claimed(tmp_path):
    from helpers import make_content
    content = make_content(tmp_path)
    build(content, tmp_path / "site")
    data = json_ld(tmp_path / "site", "en/data/index.html")
    assert "license" not in data and all("license" not in part for part in data["hasPart"])
    assert not page(tmp_path / "site", "en/data/index.html").xpath("//a[@rel='license']")
    assert "temporalCoverage" not in data  # nothing dated


def test_the_sitemap_lists_both_data_pages_with_their_translations(site):
    tree = etree.parse(str(site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    for lang in ("en", "ru"):
        (url,) = tree.xpath(f"//s:url[s:loc='{BASE}{lang}/data/']", namespaces=ns)
        alternates = {link.get("hreflang"): link.get("href") for link in url.xpath("x:link", namespaces=ns)}
        assert alternates == {"en": BASE + "en/data/", "ru": BASE + "ru/data/"}


def test_every_page_links_the_data_page_in_its_footer(site):
    for file in site.rglob("*.html"):
        rel = file.relative_to(site).as_posix()
        if rel in ("index.html", "404.html"):
            continue  # the language choice and the 404 page have no footer
        lang = rel.split("/")[0]
        assert f"/investigations/{lang}/data/" in page(site, rel).xpath("//footer//a/@href"), rel


def test_the_timeline_page_offers_the_embed_and_the_data(site):
    root = page(site, "ru/timelines/russia-iran-arms/index.html")
    links = {a.text_content(): a.get("href") for a in root.xpath("//main//p[contains(@class, 'timeline-data')]/a")}
    assert links == {"Встроить эту хронологию": "/investigations/ru/timelines/russia-iran-arms/timeline.json",
                     "Хронология как открытые данные": "/investigations/data/timelines/russia-iran-arms.json"}
    for href in links.values():
        assert local(site, href).is_file()
