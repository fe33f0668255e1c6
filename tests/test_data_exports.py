"""Open data files (generator/data): /data/*.json, /data/*.csv, /data/timelines/<id>.json.

Built from the fixture ``opendata`` (a data licence, vocabularies of its own)
and ``basic`` (a missing translation), and read back as a consumer would:
with ``json`` and ``csv``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import deps
from generator.content.errors import Problems
from generator.content.load import load_content
from generator.content.model import Text
from generator.content.resolve import resolve
from generator.data.tables import table_names
from generator.project import DEFAULT_LOCALES, DEFAULT_TEMPLATES
from generator.render.pages import plan_site

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OPENDATA = FIXTURES / "opendata" / "content"
BASE = "https://example.org/investigations/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
JSON_FILES = ["briefings", "weapons", "people", "organizations", "topics", "sources", "places"]
CSV_FILES = ["weapons", "people", "organizations", "sources"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("opendata") / "site"
    result = build(OPENDATA, out)
    assert not result.warnings, result.warnings
    return out


def read_json(site: Path, rel: str) -> dict:
    return json.loads((site / rel).read_text(encoding="utf-8"))


def read_csv(site: Path, rel: str) -> list[dict]:
    data = (site / rel).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def by_id(records: list[dict]) -> dict:
    return {record["id"]: record for record in records}


def page_of(site: Path, url: str) -> Path:
    """The built file of an absolute page URL of the fixture."""
    assert url.startswith(BASE), url
    return site / url[len(BASE):].split("#")[0] / "index.html"


def test_every_fact_file_briefings_and_timelines_are_exported(site):
    for name in JSON_FILES:
        assert (site / "data" / f"{name}.json").is_file(), name
    for name in CSV_FILES:
        assert (site / "data" / f"{name}.csv").is_file(), name
    assert (site / "data" / "timelines" / "russia-iran-arms.json").is_file()
    # No CSV for topics: the contract names four tables.
    assert sorted(p.name for p in (site / "data").glob("*.csv")) == sorted(f"{n}.csv" for n in CSV_FILES)


def test_every_file_carries_the_data_licence_and_every_language(site):
    for rel in [f"data/{n}.json" for n in JSON_FILES] + ["data/timelines/russia-iran-arms.json"]:
        data = read_json(site, rel)
        assert data["license"] == LICENSE, rel
        assert data["languages"] == ["en", "ru"] and data["site"] == BASE, rel
    for name in CSV_FILES:
        rows = read_csv(site, f"data/{name}.csv")
        assert rows and all(row["license"] == LICENSE for row in rows), name


def test_records_carry_ids_and_page_urls_of_pages_that_exist(site):
    for name in ["weapons", "people", "organizations", "topics"]:
        records = read_json(site, f"data/{name}.json")["records"]
        assert records, name
        for record in records:
            assert set(record["page_url"]) == {"en", "ru"}
            for lang, url in record["page_url"].items():
                assert url == f"{BASE}{lang}/{name}/{record['id']}/"
                assert page_of(site, url).is_file()
    for row in read_csv(site, "data/weapons.csv"):
        assert page_of(site, row["page_url_en"]).is_file() and page_of(site, row["page_url_ru"]).is_file()
    assert [r["id"] for r in read_json(site, "data/sources.json")["records"]] == ["sky-news-2022-11-08", "wapo-2022-10"]


def test_a_weapon_record_in_json(site):
    weapons = by_id(read_json(site, "data/weapons.json")["records"])
    assert list(weapons) == ["fateh-110", "kab-500", "shahed-136"]  # id order
    kab = weapons["kab-500"]
    assert kab["name"] == {"en": "KAB-500", "ru": "КАБ-500"}
    assert kab["class"] == "glide-bomb"
    assert kab["class_label"] == {"en": "Glide bomb", "ru": "Планирующая бомба"}  # the site's own term
    assert kab["origin"] == "RU" and kab["range_km"] == 40.5 and kab["status"] == "confirmed"
    assert kab["summary"] is None and kab["sources"] == []
    fateh = weapons["fateh-110"]
    assert fateh["class_label"]["ru"] == "Оперативно-тактическая баллистическая ракета"  # built-in: the catalogue
    assert fateh["sources"] == ["wapo-2022-10"] and fateh["range_km"] == 300
    # Where the record was written is not data.
    assert not {"path", "line", "kind", "weapon_class"} & set(kab)


def test_csv_has_a_column_per_language_and_round_trips_text(site):
    rows = by_id(read_csv(site, "data/weapons.csv"))
    columns = list(rows["shahed-136"])
    assert columns[:3] == ["id", "page_url_en", "page_url_ru"] and columns[-1] == "license"
    assert {"name_en", "name_ru", "summary_en", "summary_ru", "class", "class_label_en", "class_label_ru"} <= set(columns)
    shahed = rows["shahed-136"]
    # Commas, quotes, < and & come back exactly as written.
    assert shahed["summary_en"] == 'A one-way attack drone, "Geran-2" in Russian service; range < 2,500 km & cheap to build.'
    assert shahed["summary_ru"].startswith("Ударный беспилотник, в российской армии — «Герань-2»")
    assert shahed["range_km"] == "2500" and rows["kab-500"]["range_km"] == "40.5"
    assert rows["kab-500"]["summary_en"] == "" and rows["kab-500"]["sources"] == ""
    assert rows["kab-500"]["class_label_ru"] == "Планирующая бомба"
    organizations = by_id(read_csv(site, "data/organizations.csv"))
    assert organizations["alabuga"]["kind"] == "industrial-zone"
    assert organizations["alabuga"]["kind_label_en"] == "Industrial zone"
    assert organizations["sky-news"]["name_ru"] == "Sky News" and organizations["sky-news"]["url"] == "https://news.sky.com/"
    sources = by_id(read_csv(site, "data/sources.csv"))
    assert sources["sky-news-2022-11-08"]["publisher_id"] == "sky-news"
    assert sources["wapo-2022-10"]["date"] == "2022-10" and sources["wapo-2022-10"]["title_ru"] == "Иран отправит ракеты в Россию"
    # RFC 4180 line ends.
    assert (site / "data" / "weapons.csv").read_bytes().count(b"\r\n") == 4


def test_csv_columns_come_from_the_record_type_not_the_values(tmp_path):
    # A site whose people have no role at all still has the role columns.
    from helpers import make_content
    content = make_content(tmp_path, {"facts/people.yaml": "x:\n  name: X\n"})
    out = tmp_path / "site"
    build(content, out)
    (row,) = read_csv(out, "data/people.csv")
    assert row["role_en"] == "" and row["role_ru"] == "" and row["country"] == "" and row["name_ru"] == "X"
    assert read_json(out, "data/people.json")["license"] is None  # no data_license: said so, as null
    assert row["license"] == ""


def test_a_missing_translation_is_null_not_the_fallback(basic_site):
    drone = by_id(read_json(basic_site, "data/weapons.json")["records"])["drone-x"]
    assert drone["summary"] == {"en": "A fictional loitering munition used only in tests.", "ru": None}
    assert by_id(read_csv(basic_site, "data/weapons.csv"))["drone-x"]["summary_ru"] == ""
    # A plain string is the same in every language.
    assert by_id(read_json(basic_site, "data/weapons.json")["records"])["missile-y"]["name"] == {"en": "Missile-Y", "ru": "Missile-Y"}


def test_briefings_index(site):
    data = read_json(site, "data/briefings.json")
    assert data["dataset"] == "briefings" and data["license"] == LICENSE
    records = data["records"]
    assert [r["id"] for r in records] == ["missile-talks", "patrushev-visit", "drone-deal"]  # newest first
    visit, deal = records[1], records[2]
    assert visit["languages"] == ["en", "ru"]
    assert visit["title"] == {"en": "Patrushev in Tehran", "ru": "Патрушев в Тегеране"}
    assert visit["published"] == {"en": "2022-11-09T12:00:00+03:00", "ru": "2022-11-09T12:00:00+03:00"}
    assert visit["updated"] == {"en": "2022-11-10T08:30:00+03:00", "ru": None}
    assert visit["authors"] == {"en": ["Monitor desk"], "ru": ["Редакция монитора"]}
    assert visit["topics"] == ["russia-iran"]
    assert visit["facts"] == ["nikolai-patrushev"]  # a link to the timeline is not a fact
    assert visit["timelines"] == ["russia-iran-arms"]
    assert records[0]["timelines"] == ["russia-iran-arms"] and records[0]["facts"] == ["fateh-110"]
    # English only: the Russian side is null, not a copy.
    assert deal["languages"] == ["en"]
    assert deal["page_url"] == {"en": BASE + "en/briefings/drone-deal/", "ru": None}
    assert deal["title"]["ru"] is None and deal["summary"] == {"en": "A deal reported by Sky News.", "ru": None}
    assert deal["facts"] == ["alabuga", "kab-500", "shahed-136"] and deal["timelines"] == []
    for record in records:
        for url in filter(None, record["page_url"].values()):
            assert page_of(site, url).is_file()


def test_drafts_are_not_in_the_briefings_index(basic_site):
    ids = [r["id"] for r in read_json(basic_site, "data/briefings.json")["records"]]
    assert "draft-note" not in ids and set(ids) == {"bilingual", "en-only"}


def test_timeline_file(site):
    data = read_json(site, "data/timelines/russia-iran-arms.json")
    assert data["id"] == "russia-iran-arms" and data["dataset"] == "timelines/russia-iran-arms"
    assert data["title"] == {"en": "Russia and Iran", "ru": "Россия и Иран"}
    assert data["timelinejs_url"]["ru"] == BASE + "ru/timelines/russia-iran-arms/timeline.json"
    assert (site / "ru/timelines/russia-iran-arms/timeline.json").is_file()
    events = data["events"]
    # Date order, each date at the precision the YAML gave.
    assert [e["date"] for e in events] == ["2022", "2022-08", "2022-11-08"]
    deal = events[2]
    assert deal["id"] == "russia-iran-arms-1"  # file position: the anchor of the timeline page
    assert deal["title"]["en"] == "Cash & captured weapons <for> drones"
    assert deal["text"]["en"] == "[[sky-news]] reports a deal for 160 drones."  # as written
    assert deal["quantities"] == [{"entity": "shahed-136", "count": 100}]
    assert deal["value"] == {"amount": 140000000, "currency": "EUR"}
    assert deal["entities"] == ["sky-news"] and deal["sources"] == ["sky-news-2022-11-08"] and deal["status"] == "reported"
    assert not {"timeline", "index"} & set(deal)
    for event in events:
        for url in event["page_url"].values():
            anchor = url.split("#")[1]
            assert f'id="{anchor}"' in page_of(site, url).read_text(encoding="utf-8"), url


def test_the_same_input_gives_the_same_bytes(tmp_path):
    first = build(OPENDATA, tmp_path / "a").files
    second = build(OPENDATA, tmp_path / "b", jobs=2).files
    data = sorted(p for p in first if p.startswith("data/") or p.endswith("timeline.json"))
    assert len(data) == 15
    assert all(first[p] == second[p] for p in data)


def test_an_edited_fact_is_exported_again_as_a_clean_build_would(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(OPENDATA, root / "content")
    build(root / "content", root / "site", cache=root / ".cache")
    weapons = root / "content" / "facts" / "weapons.yaml"
    weapons.write_text(weapons.read_text(encoding="utf-8").replace("range_km: 40.5", "range_km: 65"), encoding="utf-8")
    result = build(root / "content", root / "site", cache=root / ".cache")
    clean = build(root / "content", tmp_path / "clean").files
    for rel in ("data/weapons.json", "data/weapons.csv"):
        assert (root / "site" / rel).read_bytes() == clean[rel]
    assert by_id(read_json(root / "site", "data/weapons.json")["records"])["kab-500"]["range_km"] == 65
    assert result.rendered < len(result.files) / 2


# -- a table of the model outside site.entities (images.yaml, places.yaml) ---------------------
def test_a_further_fact_table_is_exported_generically_when_the_model_has_it(tmp_path):
    from generator.images.records import Image, Picture
    problems = Problems(OPENDATA.parent)
    plain = resolve(load_content(OPENDATA, problems), problems)
    assert table_names(plain) == ["weapons", "people", "organizations", "topics", "sources", "places", "images"]
    langs = plain.config.languages
    picture = Picture("factory.jpg", "content/images/factory.jpg", "/somewhere/content/images/factory.jpg", 800, 600, "JPEG", False, "0123456789")
    image = Image("factory", picture, Text((("en", "A factory"), ("ru", "Завод")), "en"), None, Text.same("Desk", langs), None,
                  (0.5, 0.25), "content/facts/images.yaml", 3)
    site = dataclasses.replace(plain, images={"factory": image})
    pages = {page.path: page for page in plan_site(deps.SiteView(site), [DEFAULT_TEMPLATES], DEFAULT_LOCALES, problems)}
    assert "data/images.json" in pages and "data/images.csv" not in pages
    with deps.recording() as used:
        data = json.loads(pages["data/images.json"].content())
    assert ("image", deps.ALL) in used  # read through the tracked view: re-made when the images change
    assert data["license"] == LICENSE and data["dataset"] == "images"
    # Field by field; where a record or a file is on the machine that builds is left out.
    assert data["records"] == [{"id": "factory", "picture": {"name": "factory.jpg", "source": "content/images/factory.jpg",
                                                            "width": 800, "height": 600, "format": "JPEG", "alpha": False,
                                                            "version": "0123456789"},
                                "alt": {"en": "A factory", "ru": "Завод"}, "caption": None, "credit": {"en": "Desk", "ru": "Desk"},
                                "license": None, "focus": [0.5, 0.25]}]
    page = pages["en/data/index.html"].content().decode()
    assert "/investigations/data/images.json" in page


class ViewWithoutImages(deps.SiteView):
    def __init__(self, site):
        super().__init__(site)
        del self.images


def test_a_further_table_missing_from_the_tracked_view_is_a_clear_error():
    problems = Problems(OPENDATA.parent)
    plain = resolve(load_content(OPENDATA, problems), problems)
    pages = {page.path: page for page in plan_site(ViewWithoutImages(plain), [DEFAULT_TEMPLATES], DEFAULT_LOCALES, problems)}
    with pytest.raises(TypeError, match="add a TrackedMapping for it there"):
        pages["data/images.json"].content()
