"""A page missing in one language is never a dead link or an empty page.

Lists and language switchers say the page exists only in the other language
and link that page (or the other language's home); checked on the fixture
``translations``, which has a briefing in each language only.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html

from generator.build import build

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "translations"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("untranslated") / "site"
    build(FIXTURE / "content", out)
    return out


def page(out: Path, rel: str):
    return html.fromstring((out / rel).read_bytes())


def text(element) -> str:
    return " ".join(element.text_content().split())


def item(root, title: str):
    (found,) = [li for li in root.xpath("//li[contains(@class,'briefing-item')]") if title in text(li)]
    return found


def test_untranslated_briefings_have_no_page_in_the_other_language(out):
    assert (out / "ru/briefings/russian-only/index.html").is_file()
    assert not (out / "en/briefings/russian-only").exists()
    assert (out / "en/briefings/english-only/index.html").is_file()
    assert not (out / "ru/briefings/english-only").exists()
    assert not list(out.rglob("wip"))  # a draft: nowhere


@pytest.mark.parametrize("lang, title, href, other, note", [
    ("en", "Только по-русски", "/ru/briefings/russian-only/", "ru", "Only in the “Русский” version"),
    ("ru", "Only in English", "/en/briefings/english-only/", "en", "Только в версии «English»"),
])
def test_home_and_topic_lists_link_the_other_language_and_say_so(out, lang, title, href, other, note):
    for rel in (f"{lang}/index.html", f"{lang}/topics/deliveries/index.html"):
        entry = item(page(out, rel), title)
        (link,) = entry.xpath(".//h2//a")
        assert link.get("href") == href and link.get("hreflang") == other and link.get("lang") == other
        assert note in text(entry), rel
        assert entry.xpath(".//p[@class='summary']/@lang") == [other]


@pytest.mark.parametrize("rel, other, home, note, title", [
    ("ru/briefings/russian-only/index.html", "en", "/en/", "(нет перевода)", "Этой страницы нет в версии «English»"),
    ("en/briefings/english-only/index.html", "ru", "/ru/", "(not translated)", "This page has no “Русский” version"),
])
def test_switcher_of_an_untranslated_page_leads_home_and_says_why(out, rel, other, home, note, title):
    root = page(out, rel)
    (link,) = root.xpath(f"//nav[contains(@class,'language-switcher')]//a[@hreflang='{other}']")
    assert link.get("href") == home and "untranslated" in link.get("class") and link.get("title") == title
    assert note in text(link.getparent())
    # No alternate points at the page that does not exist.
    assert [a.get("hreflang") for a in root.xpath("//link[@rel='alternate'][@hreflang]")] == [rel[:2]]


def test_no_internal_link_is_dead(out):
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        root = html.fromstring(path.read_bytes())
        for target in root.xpath("//a/@href | //link/@href | //img/@src | //script/@src"):
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            file = out / parts.path.lstrip("/")
            if parts.path.endswith("/"):
                file = file / "index.html"
            assert file.is_file(), f"{path.relative_to(out)} links {target}, which does not exist"


def test_feeds_only_carry_their_own_language(out):
    en = (out / "en/feed.xml").read_text(encoding="utf-8")
    ru = (out / "ru/feed.xml").read_text(encoding="utf-8")
    assert "russian-only" not in en and "english-only" in en
    assert "english-only" not in ru and "russian-only" in ru


@pytest.mark.slow  # the Nu Html Checker
def test_every_page_of_the_fixture_is_valid_html(out):
    # Outdated notices, "only in" notes and untranslated switchers included.
    vnu = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
    if not vnu.is_file():
        pytest.skip("node_modules/vnu-jar is missing: run scripts/test.sh (or link /work/main/node_modules)")
    done = subprocess.run(["java", "-jar", str(vnu), "--skip-non-html", "--errors-only", "--format", "gnu", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
