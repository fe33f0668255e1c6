"""Search in Chromium, on a served build: the acceptance tests of the search page.

The fixture site ``search`` is built and served under its base path
(``/desk/``), as a reader's browser would load it from the published site;
Chromium runs ``assets/search.js`` over Pagefind's bundle. The fixture's
README says which word forms each page holds. Every request of the browser
is recorded (the page's and the search worker's): none may leave the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from browser_launch import launch_chromium
from tests.quality.conftest import serve

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def site(search_site):
    server = serve(search_site, "/desk/")
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def requests(browser_context):
    """Every URL the shared Chromium asks for while this module runs (pages, scripts, the worker's fetches)."""
    seen: list[str] = []
    listener = lambda request: seen.append(request.url)  # noqa: E731
    browser_context.on("request", listener)
    yield seen
    browser_context.remove_listener("request", listener)


@pytest.fixture
def page(browser_context, requests):
    tab = browser_context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    yield tab
    tab.close()


def search(page, site: str, lang: str, query: str = "") -> list[str]:
    """Open the search page with ``query`` in the address; the result links, once the count is said."""
    page.goto(f"{site}/desk/{lang}/search/{'?' + query if query else ''}")
    return results(page)


def results(page) -> list[str]:
    page.wait_for_function("() => { const s = document.querySelector('[role=status]');"
                           " return s.textContent && !document.querySelector('[data-search-results][aria-busy]'); }")
    return page.eval_on_selector_all(".search-results a", "links => links.map(a => a.getAttribute('href'))")


def status(page) -> str:
    return page.locator("[role=status]").inner_text().strip()


def text_of(search_site: Path, route: str) -> str:
    return (search_site / route / "index.html").read_text(encoding="utf-8").lower()


def test_a_russian_word_form_finds_pages_with_other_forms_of_it(site, page, search_site):
    # The guard: the page holds another form, never the one searched for.
    assert "беспилотников" in text_of(search_site, "ru/briefings/drone-factory")
    assert "беспилотниками" not in text_of(search_site, "ru/briefings/drone-factory")
    found = search(page, site, "ru", "q=" + quote("беспилотниками"))
    assert "/desk/ru/briefings/drone-factory/" in found  # беспилотников
    assert "/desk/ru/briefings/drone-sighting/" in found  # беспилотник
    assert all(url.startswith("/desk/ru/") for url in found), found
    assert status(page) == f"{len(found)} результата по запросу «беспилотниками»"  # 2: the "few" form


def test_an_english_plural_finds_the_singular(site, page, search_site):
    assert "drones" not in text_of(search_site, "en/briefings/drone-factory")
    assert " drone " in text_of(search_site, "en/briefings/drone-factory")
    found = search(page, site, "en", "q=drones")
    assert set(found) == {"/desk/en/briefings/drone-factory/", "/desk/en/briefings/drone-sighting/"}
    assert status(page) == "2 results for “drones”"


@pytest.mark.parametrize("lang, query, theirs", [
    # Each word is on a page of the other language too (the fixture's README): a shared index would find it there.
    ("en", "беспилотник", "/desk/ru/briefings/drone-sighting/"),
    ("ru", "drones", "/desk/en/"),
    ("en", "Yelabuga", "/desk/ru/"),
])
def test_a_search_finds_only_pages_of_its_language(site, page, lang, query, theirs):
    found = search(page, site, lang, "q=" + quote(query))
    assert found, f"{query} is on a {lang} page"
    assert all(url.startswith(f"/desk/{lang}/") for url in found), found
    assert not any(url.startswith(theirs) for url in found)


def test_results_show_title_kind_date_and_an_excerpt_with_the_words_marked(site, page):
    search(page, site, "en", "q=drones")
    first = page.locator(".search-result").first
    assert first.locator("h2 a").inner_text() in ("A factory in Tatarstan", "A sighting over the river")
    assert re.fullmatch(r"Briefing · (May 2, 2023|January 15, 2021)", first.locator(".meta").inner_text())
    assert first.locator(".search-excerpt mark").count() >= 1
    assert "drone" in first.locator(".search-excerpt mark").first.inner_text().lower()


def test_filters_by_kind_and_topic_narrow_the_results(site, page):
    everything = search(page, site, "en", "q=geran")
    assert "/desk/en/weapons/geran-2/" in everything and "/desk/en/briefings/drone-factory/" in everything
    assert search(page, site, "en", "q=geran&kind=weapons") == ["/desk/en/weapons/geran-2/"]
    assert page.locator("select[name=kind]").input_value() == "weapons"
    assert search(page, site, "en", "q=geran&kind=briefings") == ["/desk/en/briefings/drone-factory/"]
    assert search(page, site, "en", "q=drone&topic=missiles") == []
    assert status(page) == "Nothing found for “drone”."
    # Filters alone: every page of the topic, newest first.
    assert search(page, site, "ru", "topic=unmanned") == [
        "/desk/ru/briefings/drone-factory/", "/desk/ru/briefings/drone-sighting/", "/desk/ru/topics/unmanned/"]
    assert status(page) == "3 страницы подходят под эти фильтры"


def test_newest_first_orders_by_publication_date(site, page):
    found = search(page, site, "en", "q=the&sort=newest")
    dated = [url for url in found if "/briefings/" in url]
    assert dated == ["/desk/en/briefings/drone-factory/", "/desk/en/briefings/missile-convoy/", "/desk/en/briefings/drone-sighting/"]
    assert found[:3] == dated  # pages without a date come after
    page.select_option("select[name=sort]", "")
    assert set(results(page)) == set(found)
    assert "sort=" not in page.url


def test_the_address_follows_the_search(site, page):
    page.goto(f"{site}/desk/en/search/")
    assert status(page) == "" and page.locator(".search-result").count() == 0
    page.fill("input[name=q]", "convoy")
    page.press("input[name=q]", "Enter")
    assert results(page) == ["/desk/en/briefings/missile-convoy/"]
    assert page.url.endswith("/desk/en/search/?q=convoy")
    page.select_option("select[name=topic]", "missiles")
    results(page)
    assert page.url.endswith("?q=convoy&topic=missiles")
    page.reload()
    assert results(page) == ["/desk/en/briefings/missile-convoy/"]  # opened again with the same results


def test_keyboard_only_from_any_page_to_a_result(site, page):
    page.goto(f"{site}/desk/en/briefings/missile-convoy/")
    focus_on(page, "the header's search link", "document.activeElement.classList.contains('search-link')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/desk/en/search/")
    focus_on(page, "the search field", "document.activeElement.id === 'search-query'")
    page.keyboard.type("drones")
    page.keyboard.press("Enter")
    assert len(results(page)) == 2
    focus_on(page, "the first result", "document.activeElement.closest('.search-result') !== null")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(site + target)


def focus_on(page, what: str, test: str, presses: int = 25) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    pytest.fail(f"Tab never reached {what}")


def test_more_results_come_with_a_button_that_moves_the_focus_to_them(playwright, tmp_path):
    from generator.build import build

    from tests.helpers import make_content
    briefings = {f"briefings/b{i:02d}/en.md": f"""\
        ---
        title: Report {i:02d}
        date: 2023-01-{i + 1:02d}
        ---

        Another convoy, number {i}.
        """ for i in range(13)}
    build(make_content(tmp_path, briefings), tmp_path / "site")
    server = serve(tmp_path / "site", "/news/")
    # A browser of its own: this site's requests are not the module's site's (test_no_request_leaves_the_site).
    context = launch_chromium(playwright, tmp_path / "profile")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        host, port = server.server_address[:2]
        page.goto(f"http://{host}:{port}/news/en/search/?q=convoy&sort=newest")
        assert len(results(page)) == 10 and status(page) == "13 results for “convoy”"
        more = page.locator("[data-search-more]")
        assert more.is_visible()
        more.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelectorAll('.search-result').length === 13")
        assert page.evaluate("document.activeElement.textContent") == "Report 02"  # the first of the new ones
        assert more.is_hidden()
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_axe_finds_nothing_serious_with_results_shown(site, page, lang):
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (scripts/test.sh does)")
    search(page, site, lang, "q=" + quote("drone" if lang == "en" else "беспилотник") + "&sort=newest")
    assert page.locator(".search-result").count() >= 1
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, [f"{v['id']}: {v['help']}: {[n['target'] for n in v['nodes'][:3]]}" for v in bad]
    # The count is said in a polite live region, the field has a name.
    assert page.locator("[role=status]").get_attribute("aria-live") in (None, "polite")
    assert page.get_by_role("searchbox").count() == 1
    assert page.get_by_role("searchbox").evaluate("e => e.labels.length") == 1


def test_without_javascript_the_page_says_so_and_links_the_topics(site, playwright, tmp_path):
    context = launch_chromium(playwright, tmp_path / "nojs", java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{site}/desk/ru/search/?q=drones")
        assert tab.locator("[data-search-nojs]").is_visible()
        assert "Для поиска нужен JavaScript" in tab.locator("[data-search-nojs]").inner_text()
        assert tab.locator("form[role=search]").is_hidden()
        links = tab.locator(".search-topics a")
        assert links.count() == 2 and links.first.is_visible()
        links.first.click()
        tab.wait_for_url(f"{site}/desk/ru/topics/unmanned/")
    finally:
        context.close()


def test_no_request_leaves_the_site(site, page, requests):
    """Everything a search loads (the page's and the search worker's requests) comes from the site, under its path."""
    mine: list[str] = []
    page.on("request", lambda request: mine.append(request.url))
    for lang, query in (("ru", "q=" + quote("ракеты")), ("en", "q=drones&kind=briefings&sort=newest"), ("en", "topic=missiles")):
        assert search(page, site, lang, query)
    assert any(url.endswith(".pf_fragment") for url in mine), "no result loaded: the listener saw nothing"
    assert any(url.endswith("/desk/ru/pagefind/wasm.ru.pagefind") for url in mine)  # the Russian stemmer
    everything = sorted(set(requests) | set(mine))  # this module's other tests' too
    outside = [url for url in everything if not url.startswith(site + "/desk/")]
    assert not outside, outside


def test_in_the_preview_the_search_page_follows_saves_and_other_pages_ignore_the_index(tmp_path, playwright):
    """``briefing serve``: the index is made after the reload; the open search page reloads once it is in,
    an open article does not reload for it, and the search page says its results can lag."""
    import time

    from tests.test_serve import ARTICLE, Served, wait_connected, wait_text

    served = Served(tmp_path)
    context = launch_chromium(playwright, tmp_path / "profile")
    try:
        served.wait_ready()
        # Each page counts its own loads.
        context.add_init_script("sessionStorage.loads = String(Number(sessionStorage.loads || 0) + 1)")
        index_dir = served.build_dirs()[0] / "search"  # the preview's index, beside its build folder
        deadline = time.monotonic() + 60
        while not (index_dir / "en" / "pagefind" / "pagefind-entry.json").is_file():  # the first index, in the background
            assert time.monotonic() < deadline, "the preview made no search index"
            time.sleep(0.1)
        searching = context.new_page()
        searching.set_default_timeout(TIMEOUT_MS)
        searching.goto(served.url("news/en/search/?q=zebrafish"))
        assert searching.locator("[data-search-preview]").is_visible()  # "results can be a few seconds older"
        assert results(searching) == [] and status(searching) == "Nothing found for “zebrafish”."
        wait_connected(searching)
        reading = context.new_page()
        reading.goto(served.url(ARTICLE))
        wait_connected(reading)

        served.edit("content/briefings/bilingual/en.md", "had arrived.", "had arrived with a zebrafish logo.")
        wait_text(reading, "zebrafish logo")  # the save's reload
        loads = reading.evaluate("sessionStorage.loads")
        # The search page finds the new word by itself: reloaded once the index was in.
        searching.wait_for_function("() => document.querySelectorAll('.search-result').length === 1", timeout=60_000)
        assert results(searching) == ["/news/en/briefings/bilingual/"]
        time.sleep(1)
        assert reading.evaluate("sessionStorage.loads") == loads  # the index's reload was not for the article
        assert "search index not updated" not in served.stderr()
        assert not (served.build_dirs()[0] / "site" / "en" / "pagefind").exists()  # the build folder is the build's alone
    finally:
        context.close()
        assert served.stop() == 0
