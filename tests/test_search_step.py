"""generator/search/step.py: the search index as a step of the build.

The index is made with the pages, committed with them (or not at all), made
again only for the languages whose pages changed, and the same bytes whether
a build is incremental, clean or in memory.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.cli.main import main
from generator.search import step
from generator.search.index import SearchIndexError

from tests.helpers import edit, snapshot
from tests.test_search_index import failing_pagefind

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "search" / "content"


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "root" / "content")
    return tmp_path / "root"


def incremental(root: Path, **options):
    return build(root / "content", root / "site", cache=root / ".cache", **options)


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def bundle_of(files: dict, lang: str) -> dict:
    return {path: data for path, data in files.items() if path.startswith(f"{lang}/pagefind/")}


@pytest.fixture
def indexed(monkeypatch) -> list[tuple[str, ...]]:
    """The languages each Pagefind run of the build step indexed."""
    runs = []
    real = step.index_files

    def spy(pages, languages, scratch=None):
        runs.append(tuple(languages))
        return real(pages, languages, scratch)
    monkeypatch.setattr(step, "index_files", spy)
    return runs


def test_a_first_build_indexes_every_language_with_the_pages(root, indexed):
    result = incremental(root)
    assert indexed == [("en", "ru")]
    site = snapshot(root / "site")
    assert bundle_of(site, "en") and bundle_of(site, "ru")
    assert set(result.files) == set(site)  # the index is part of the build's files
    assert result.written == len(site)


def test_an_unchanged_site_runs_no_pagefind_and_touches_no_index_file(root, indexed):
    incremental(root)
    before = stats(root / "site")
    again = incremental(root)
    assert indexed == [("en", "ru")]  # the first build's only
    assert stats(root / "site") == before and again.written == 0
    # The record knows the index files the first build wrote: nothing to check but the inputs.
    assert again.timings.keys() == {"check"}


def test_an_edit_in_one_language_indexes_that_language_only(root, indexed):
    incremental(root)
    before, old = stats(root / "site"), snapshot(root / "site")
    edit(root / "content/briefings/missile-convoy/en.md", "at night.", "at night, witnesses said.")
    result = incremental(root)
    assert indexed == [("en", "ru"), ("en",)]
    after = stats(root / "site")
    changed = {path for path in after if after[path] != before.get(path)}
    assert "en/briefings/missile-convoy/index.html" in changed
    assert {path for path in changed if not path.startswith("en/pagefind/")} == {"en/briefings/missile-convoy/index.html"}
    assert not [path for path in changed if path.startswith("ru/")]
    # Only the index files whose bytes changed were written: not Pagefind's script, nor the other pages' fragments.
    assert "en/pagefind/pagefind.js" not in changed
    unchanged_fragments = [p for p in bundle_of(old, "en") if "/fragment/" in p and p in after and p not in changed]
    assert len(unchanged_fragments) == 6
    assert result.written == len(changed)
    assert "search" in result.timings  # Pagefind's time, shown apart by `briefing build`
    new = snapshot(root / "site")
    assert (set(bundle_of(old, "en")) - set(bundle_of(new, "en"))) == {p for p in old if p.startswith("en/pagefind/") and p not in new}
    assert snapshot(root / "site") == clean(root)


def clean(root: Path) -> dict[str, bytes]:
    out = root.parent / f"clean-{len(list(root.parent.iterdir()))}"
    build(root / "content", out)
    return snapshot(out)


@pytest.mark.parametrize("change", ["briefing removed", "page added", "topic renamed", "template"])
def test_incremental_index_equals_a_clean_build(root, change):
    incremental(root)
    content = root / "content"
    if change == "briefing removed":
        shutil.rmtree(content / "briefings/drone-sighting")
    elif change == "page added":
        shutil.copytree(content / "pages/about", content / "pages/contact")
    elif change == "topic renamed":
        edit(content / "facts/topics.yaml", "ru: Ракеты", "ru: Ракетное оружие")
    else:
        (root / "templates").mkdir()
        shutil.copytree(Path(__file__).resolve().parents[1] / "templates", root / "templates", dirs_exist_ok=True)
        edit(root / "templates/entity.html", "</article>", "<p>Extra words on every fact page.</p></article>")
    incremental(root)
    site = snapshot(root / "site")
    assert site == clean(root)
    entry = json.loads(site["ru/pagefind/pagefind-entry.json"])
    expected = {"briefing removed": 6, "page added": 8, "topic renamed": 7, "template": 7}[change]
    assert entry["languages"]["ru"]["page_count"] == expected


def test_a_build_in_memory_has_the_index_of_a_build_into_a_folder(root):
    in_memory = build(root / "content").files
    incremental(root)
    assert dict(in_memory) == snapshot(root / "site")


def test_without_the_index_step_the_output_keeps_no_index_and_the_next_build_makes_it(root, indexed):
    fresh = build(root / "content", root / "fresh", search_index=False)
    assert not [path for path in fresh.files if "/pagefind/" in path] and not (root / "fresh/en/pagefind").exists()
    incremental(root)
    assert [p for p in snapshot(root / "site") if "/pagefind/" in p]
    edit(root / "content/briefings/missile-convoy/en.md", "at night.", "at dawn.")
    result = incremental(root, search_index=False)
    after = snapshot(root / "site")
    assert b"at dawn." in after["en/briefings/missile-convoy/index.html"]
    # An index of the page before the edit would find words it no longer has: none is left.
    assert not [p for p in after if "/pagefind/" in p] and not [p for p in result.files if "/pagefind/" in p]
    assert "search" not in result.timings
    again = incremental(root)
    assert {p: d for p, d in snapshot(root / "site").items() if "/pagefind/" in p} == {
        p: d for p, d in build(root / "content").files.items() if "/pagefind/" in p}
    assert again.timings.get("search")
    assert indexed == [("en", "ru")] * 3  # the first build, the build after, the build in memory


def test_a_failed_index_leaves_the_output_as_it_was(root, monkeypatch, tmp_path):
    incremental(root)
    before, times = snapshot(root / "site"), stats(root / "site")
    edit(root / "content/briefings/missile-convoy/ru.md", "ночью", "на рассвете")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing_pagefind(tmp_path, "Error: no space left")))
    with pytest.raises(SearchIndexError, match="no space left"):
        incremental(root)
    assert snapshot(root / "site") == before and stats(root / "site") == times
    assert sorted(os.listdir(root)) == [".cache", "content", "site"]  # no staging or scratch folder left
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    incremental(root)  # Pagefind works again: the edit is built, with its index
    assert snapshot(root / "site") == clean(root)


def test_the_command_line_reports_a_failed_index(root, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing"))
    code = main(["build", "--content", str(root / "content"), "--output", str(root / "site")])
    assert code == 1
    err = capsys.readouterr().err
    assert "the search index could not be made" in err and "pip install 'pagefind[bin]'" in err
    assert "Traceback" not in err and not (root / "site").exists()
