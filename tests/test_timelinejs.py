"""Timelines in Knight Lab's TimelineJS 3 format (generator/data/timelinejs.py).

The quick tests read the generated ``timeline.json``; the slow one hands it
to the real TimelineJS library (npm ``@knight-lab/timelinejs``, from
``node_modules``) in Chromium and checks that every event became a slide.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import html

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
OPENDATA = ROOT / "tests" / "fixtures" / "opendata" / "content"
TIMELINEJS = ROOT / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
BASE = "https://example.org/investigations/"
FILE = "{lang}/timelines/russia-iran-arms/timeline.json"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixture built under <tmp>/investigations/, as its base_url's path."""
    served = tmp_path_factory.mktemp("timelinejs")
    build(OPENDATA, served / "investigations")
    return served


def timeline(site: Path, lang: str) -> dict:
    return json.loads((site / "investigations" / FILE.format(lang=lang)).read_text(encoding="utf-8"))


def spaced(text: str) -> str:
    """CLDR's narrow and no-break spaces as plain ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_a_title_slide_then_one_slide_per_event_in_date_order(site):
    data = timeline(site, "en")
    assert data["title"]["text"]["headline"] == "Russia and Iran"
    assert data["title"]["text"]["text"].startswith("<p>Arms transfers between the two countries.</p>")
    assert f'href="{BASE}en/timelines/russia-iran-arms/"' in data["title"]["text"]["text"]
    assert [e["start_date"] for e in data["events"]] == [
        {"year": "2022"}, {"year": "2022", "month": "8"}, {"year": "2022", "month": "11", "day": "8"}]
    assert [e["display_date"] for e in data["events"]] == ["2022", "August 2022", "November 8, 2022"]
    # The ids of the timeline page's events.
    page = (site / "investigations/en/timelines/russia-iran-arms/index.html").read_text(encoding="utf-8")
    for event in data["events"]:
        assert f'id="{event["unique_id"]}"' in page
    assert len({e["unique_id"] for e in data["events"]} | {data["title"]["unique_id"]}) == 4


def test_each_language_has_its_own_text(site):
    en, ru = timeline(site, "en"), timeline(site, "ru")
    assert ru["title"]["text"]["headline"] == "Россия и Иран"
    assert [spaced(e["display_date"]) for e in ru["events"]] == ["2022", "август 2022 г.", "8 ноября 2022 г."]
    assert [e["start_date"] for e in ru["events"]] == [e["start_date"] for e in en["events"]]
    deal_en, deal_ru = spaced(en["events"][2]["text"]["text"]), spaced(ru["events"][2]["text"]["text"])
    assert "Sky News</a> reports a deal for 160 drones." in deal_en
    assert "Sky News</a> сообщает о сделке на 160 беспилотников." in deal_ru
    assert "€140M" in deal_en and "140 млн €" in deal_ru
    assert "100 units" in deal_en and "100 единиц" in deal_ru
    assert "Status: Reported" in deal_en and "Статус: Сообщается" in deal_ru


def test_the_text_is_html_with_absolute_links_and_its_sources(site):
    text = timeline(site, "ru")["events"][2]["text"]["text"]
    hrefs = re.findall(r'href="([^"]+)"', text)
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert f"{BASE}ru/organizations/sky-news/" in hrefs  # the inline [[sky-news]] link and the publisher
    assert f"{BASE}ru/weapons/shahed-136/" in hrefs  # counted in quantities
    # The source: publisher (an organisation's page), title linked to its address, date.
    fragment = html.fragment_fromstring(text, create_parent="div")
    (cite,) = fragment.xpath("//cite")
    assert spaced(cite.text_content()) == "Sky News: Russia flew cash and captured weapons to Iran in exchange for drones, 8 ноября 2022 г."
    assert cite.xpath(".//a/@href") == [f"{BASE}ru/organizations/sky-news/", "https://news.sky.com/"]
    assert fragment.xpath("//p")[-1].text_content().startswith("Источник: ")


def test_text_from_the_content_is_escaped(site):
    deal = timeline(site, "en")["events"][2]
    assert deal["text"]["headline"] == "Cash &amp; captured weapons &lt;for&gt; drones"
    assert "<for>" not in json.dumps(deal, ensure_ascii=False)


def test_a_timeline_with_one_event_and_no_description(tmp_path):
    from helpers import make_content
    content = make_content(tmp_path, {"timelines/one.yaml": """\
        title: One
        events:
          - date: 1999-12-31
            title: {en: "Last day", ru: "Последний день"}
        """})
    build(content, tmp_path / "site")
    data = json.loads((tmp_path / "site/ru/timelines/one/timeline.json").read_bytes())
    assert data["title"]["text"]["headline"] == "One"
    assert data["title"]["text"]["text"].startswith("<p><a href=")  # only the link to its page
    (event,) = data["events"]
    assert event["start_date"] == {"year": "1999", "month": "12", "day": "31"}
    assert event["text"]["text"] == "<p>Статус: Сообщается</p>"


# -- in the real library ---------------------------------------------------------------
class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


EMBED = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>embed</title>
<link rel="stylesheet" href="/timelinejs/css/timeline.css">
<script src="/timelinejs/js/timeline.js"></script></head>
<body><div id="timeline-embed" style="width: 1000px; height: 650px"></div>
<script>
  window.timelineLoaded = false;
  window.timeline = new TL.Timeline("timeline-embed", "/investigations/{file}",
                                    {{language: "{lang}", script_path: new URL("/timelinejs/js/", location.href).href}});
  window.timeline.on("loaded", function () {{ window.timelineLoaded = true; }});
</script></body></html>
"""


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_timelinejs_library_makes_a_slide_of_every_event(site, browser_context, lang):
    if not (TIMELINEJS / "js" / "timeline.js").is_file():
        pytest.fail("node_modules/@knight-lab/timelinejs is missing: run npm install (package.json)")
    link = site / "timelinejs"
    if not link.exists():
        shutil.copytree(TIMELINEJS, link)
    (site / f"embed-{lang}.html").write_text(EMBED.format(lang=lang, file=FILE.format(lang=lang)), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = timeline(site, lang)
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/embed-{lang}.html")
        page.wait_for_function("window.timelineLoaded === true", timeout=20000)
        # Every event of the file is a slide the library can find by its id, after the title slide.
        for event in data["events"]:
            assert page.evaluate("id => window.timeline.getSlideById(id) !== undefined && window.timeline.getSlideById(id) !== null",
                                 event["unique_id"]), event["unique_id"]
        assert page.locator(".tl-slide").count() == len(data["events"]) + 1
        headlines = [" ".join(t.split()) for t in page.locator(".tl-slide .tl-headline").all_text_contents()]
        expected = [data["title"]["text"]["headline"]] + [e["text"]["headline"] for e in data["events"]]
        unescaped = [html.fromstring(f"<p>{h}</p>").text_content() for h in expected]
        assert sorted(headlines) == sorted(unescaped)  # escaped text shows as written: "<for>" stays text
        assert any("<" in h for h in headlines)
        # Each event on the time axis too.
        assert page.locator(".tl-timemarker").count() == len(data["events"])
        assert page.locator(".tl-message-full, .tl-message").filter(has_text=re.compile("error|Error")).count() == 0
        assert not errors, errors
    finally:
        page.close()
        server.shutdown()
