"""generator/search/preview.py: ``briefing serve`` makes the search index after the reload, in the background.

In process: the preview's own ``Preview`` builds (without the index), then
its ``PreviewIndex`` reads which pages changed on the build thread, lays them
out and runs Pagefind on a thread of its own, and writes the bundles into
the index's own folder (the preview serves ``<lang>/pagefind/`` from there).
The browser side (the search page reloads, other pages do not) is in
tests/test_search_browser.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import os
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.serve import server as serve
from generator.serve.http import PreviewServer

from tests.test_search_index import failing_pagefind

pytestmark = pytest.mark.slow  # the preview's background index: Pagefind processes, timed pauses

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "search" / "content"


def bundles(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "/pagefind/" in p.relative_to(folder).as_posix()}


@pytest.fixture
def preview(tmp_path, monkeypatch):
    content = tmp_path / "root" / "content"
    shutil.copytree(FIXTURE, content)
    reloads: list[str] = []
    monkeypatch.setattr(PreviewServer, "reload", staticmethod(reloads.append))
    err = io.StringIO()
    made = serve.Preview(content, tmp_path / "work", out=io.StringIO(), err=err)
    made.reloads, made.errors = reloads, err
    yield made
    made.close()


def run(scenario) -> None:
    # In a thread of its own: the session's Playwright driver may hold this thread's loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()


def edit(path: Path, old: str, new: str, preview=None) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    if preview is not None:
        preview._paths = None  # no file watcher here: the next build looks at every input file


def test_the_index_follows_the_builds_and_only_search_pages_are_told(preview, tmp_path):
    site, index = preview.output, preview.search_root

    async def scenario():
        await preview.rebuild()
        assert not bundles(site) and not bundles(index)  # no index yet: the page reloaded without waiting for it
        await asyncio.wait_for(preview.search.wait_until_current(), 60)
        assert not bundles(site)  # the build folder is the build's alone
        first = bundles(index)
        assert first == bundles(clean(preview.content, tmp_path / "clean-1"))
        # Told once the index is in (rebuild_on_changes tells the pages themselves): a path that only
        # search pages act on (the preview's page script).
        assert preview.reloads == ["/desk/en/pagefind/"]

        edit(preview.content / "briefings/drone-sighting/ru.md", "перед рассветом", "на закате", preview)
        await preview.rebuild()
        await asyncio.wait_for(preview.search.wait_until_current(), 60)
        second = bundles(index)
        assert second == bundles(clean(preview.content, tmp_path / "clean-2"))
        changed = {path for path in second if second[path] != first.get(path)}
        assert changed and all(path.startswith("ru/pagefind/") for path in changed)
        assert preview.search.rounds == 2 and preview.reloads[-1] == "/desk/ru/pagefind/"

        await preview.rebuild()  # nothing changed: no index round
        await asyncio.wait_for(preview.search.wait_until_current(), 60)
        assert preview.search.rounds == 2
        await preview.search.stop()
    run(scenario)
    # No staging or scratch folder left beside the preview's site and index.
    assert sorted(os.listdir(site.parent)) == ["cache", "search", "site"]
    assert not [p for p in index.rglob("*") if p.name.startswith(".")]  # no temporary file of a replacement


def clean(content: Path, out: Path) -> Path:
    build(content, out)
    return out


def test_a_failed_index_is_said_and_the_preview_goes_on(preview, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing_pagefind(tmp_path, "Error: out of memory")))

    async def scenario():
        outcome = await preview.rebuild()
        assert outcome.base_path == "/desk/"  # the pages were built and published
        await asyncio.wait_for(preview.search.wait_until_current(), 60)
        assert "search index not updated: the search index could not be made" in preview.errors.getvalue()
        assert "out of memory" in preview.errors.getvalue()
        monkeypatch.delenv("PAGEFIND_BINARY_PATH")
        await preview.rebuild()  # the next build's round makes it
        await asyncio.wait_for(preview.search.wait_until_current(), 60)
        assert bundles(preview.search_root)
        await preview.search.stop()
    run(scenario)


def test_a_page_replaced_while_it_is_laid_out_leaves_its_language_to_the_next_round(tmp_path):
    from generator.search.preview import PreviewIndex
    site = tmp_path / "site"
    build(FIXTURE, site, search_index=False)
    index = PreviewIndex(site, tmp_path / "search", on_build_thread=None, reload=None)
    found, states = index._prepare()
    assert set(found) == {"en", "ru"} and set(states) == {"en", "ru"}
    page = site / "ru/briefings/drone-sighting/index.html"
    replacement = page.with_name("new.html")
    replacement.write_bytes(page.read_bytes().replace("рассветом".encode(), "закатом".encode()))
    os.replace(replacement, page)  # as a build's commit moves a page in: a new file
    files, current = index._index(found)
    assert current == {"en"} and any(path.startswith("ru/pagefind/") for path in files)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".briefing-search-")]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_build_pauses_pagefind_until_a_while_after_it(preview, tmp_path, monkeypatch):
    from pagefind.service import get_executable
    slow = tmp_path / "slow-pagefind"
    slow.write_text(f"#!/bin/sh\nsleep 3\nexec '{get_executable()}' \"$@\"\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))

    def state(process) -> str:
        return Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]

    async def scenario():
        preview.search.delay = 0.2
        await preview.rebuild()
        while not preview.search._running:  # the round has started Pagefind
            await asyncio.sleep(0.05)
        processes = list(preview.search._running)
        assert all(state(p) != "T" for p in processes)
        preview.search.pause()  # as a save's build starts
        await asyncio.sleep(0.1)
        assert all(state(p) == "T" for p in processes)  # stopped
        edit(preview.content / "briefings/drone-sighting/en.md", "before dawn", "at dusk", preview)
        await preview.rebuild()  # schedule(): going on a while after the build
        await asyncio.sleep(0.5)
        assert all(p.poll() is not None or state(p) != "T" for p in processes)
        await asyncio.wait_for(preview.search.wait_until_current(), 60)
        assert b"at dusk" in (preview.output / "en/briefings/drone-sighting/index.html").read_bytes()
        assert (preview.search_root / "en/pagefind/pagefind-entry.json").is_file()
        await preview.search.stop()
        assert all(p.poll() is not None for p in processes)
    run(scenario)
