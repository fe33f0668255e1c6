"""Incremental builds (build(cache=...)): the same bytes as a clean build, after every kind of edit.

Each test builds a copy of the fixture site ``basic`` with a cache, edits it,
builds again with the cache, and compares the output folder with a clean
build of the edited site into a fresh folder, byte for byte.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.parallel import pages as parallel
from generator.build import build
from generator.content.errors import ContentError
from generator.project import DEFAULT_LOCALES, DEFAULT_TEMPLATES

from tests.helpers import edit, snapshot

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic" / "content"


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def pages(paths) -> set[str]:
    """The pages among output paths, the search index aside (``<lang>/pagefind/``: made again
    with the pages of its language; tests/test_search_step.py follows it)."""
    return {path for path in paths if "/pagefind/" not in path}


@pytest.fixture
def root(tmp_path) -> Path:
    """A site root with its own templates and catalogues (so both can be edited)."""
    site = tmp_path / "root"
    shutil.copytree(FIXTURE, site / "content")
    shutil.copytree(DEFAULT_TEMPLATES, site / "templates")
    shutil.copytree(DEFAULT_LOCALES, site / "locales")
    return site


def incremental(root: Path, **options):
    return build(root / "content", root / "site", cache=root / ".cache", **options)


def clean(root: Path) -> dict[str, bytes]:
    out = root.parent / f"clean-{len(list(root.parent.iterdir()))}"
    build(root / "content", out)
    return snapshot(out)


def _rename(root: Path) -> None:
    briefings = root / "content" / "briefings"
    (briefings / "bilingual").rename(briefings / "renamed")


EDITS = {
    "briefing body": lambda r: edit(r / "content/briefings/bilingual/en.md", "had arrived.", "had arrived, officials said."),
    "briefing title": lambda r: edit(r / "content/briefings/bilingual/ru.md", "title:", "title: 'Правка:' #"),
    "briefing date": lambda r: edit(r / "content/briefings/en-only/en.md", "date: ", "date: 2030-01-01\nold_date: "),
    "briefing becomes a draft": lambda r: edit(r / "content/briefings/bilingual/ru.md", "---\n\n", "draft: true\n---\n\n"),
    "page body": lambda r: edit(r / "content/pages/about/en.md", "\n\n", "\n\nA new first paragraph.\n\n"),
    "page title (in every footer)": lambda r: edit(r / "content/pages/about/en.md", "title:", "title: 'Renamed:' #"),
    "page deleted": lambda r: shutil.rmtree(r / "content/pages/about"),
    "fact": lambda r: edit(r / "content/facts/weapons.yaml", "range_km: 1500", "range_km: 1750"),
    "fact name": lambda r: edit(r / "content/facts/weapons.yaml", "ru: Дрон-X", "ru: Дрон-Икс"),
    "source": lambda r: edit(r / "content/facts/sources.yaml", "url: ", "url: https://example.com/moved#"),
    # A source's citation (HTML and JSON-LD) is made once and shared: it names its publisher.
    "publisher name": lambda r: edit(r / "content/facts/organizations.yaml", "en: Test News Agency", "en: Renamed Agency"),
    "list item title": lambda r: edit(r / "content/briefings/en-only/en.md", "title:", "title: 'Retitled:' #"),
    "timeline": lambda r: edit(r / "content/timelines/test-events.yaml", "Tie A (first in file)", "Tie A (renamed)"),
    "template": lambda r: edit(r / "templates/briefing.html", "</article>", "<p>Template edit</p>\n</article>"),
    "partial template": lambda r: edit(r / "templates/partials/factbox.html", "</aside>", "<p>edited</p>\n</aside>"),
    # Made once per build and shared by the pages that show them (render.py): each page still records them.
    "source partial": lambda r: edit(r / "templates/partials/source.html", "</cite>", " (edited)</cite>"),
    "list item partial": lambda r: edit(r / "templates/partials/briefing_item.html", "</article>", "<p>edited</p></article>"),
    "asset": lambda r: (r / "templates/assets/style.css").write_text("body { color: black }\n", encoding="utf-8"),
    "catalogue": lambda r: edit(r / "locales/ru/LC_MESSAGES/messages.po", 'msgstr "Обновлено"', 'msgstr "Изменено"'),
    "site.yaml": lambda r: edit(r / "content/site.yaml", "base_url: https://example.org/news/", "base_url: https://example.org/other/"),
    "site.yaml timezone": lambda r: edit(r / "content/site.yaml", "timezone: Europe/Moscow", "timezone: Asia/Tokyo"),
    "file deleted": lambda r: (r / "content/briefings/bilingual/ru.md").unlink(),
    "folder deleted": lambda r: shutil.rmtree(r / "content/briefings/en-only"),
    "file renamed": _rename,
    "file added": lambda r: shutil.copy(r / "content/briefings/en-only/en.md", r / "content/briefings/en-only/ru.md"),
    "template deleted": lambda r: (r / "templates/briefing.html").unlink(),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_incremental_build_equals_a_clean_build(root, name):
    incremental(root)
    EDITS[name](root)
    incremental(root)
    assert snapshot(root / "site") == clean(root)


def test_several_edits_in_a_row(root):
    incremental(root)
    for name in ("fact", "briefing body", "template", "file renamed", "catalogue", "timeline"):
        EDITS[name](root)
        incremental(root)
        assert snapshot(root / "site") == clean(root), name


def test_an_unchanged_site_renders_and_writes_nothing(root):
    first = incremental(root)
    before = mtimes(root / "site")
    again = incremental(root)
    assert (again.rendered, again.written) == (0, 0)
    assert mtimes(root / "site") == before
    assert set(again.files) == set(first.files) and again.warnings == first.warnings
    assert again.files["en/index.html"] == (root / "site" / "en" / "index.html").read_bytes()
    assert again.site.config.base_path == "/news/"  # the model, from the cache when asked for


def test_a_body_edit_renders_that_page_only_and_writes_only_what_changed(root):
    incremental(root)
    before = mtimes(root / "site")
    EDITS["briefing body"](root)
    result = incremental(root)
    after = mtimes(root / "site")
    changed = {path for path in after if after[path] != before.get(path)}
    assert result.rendered == 1 and result.written == len(changed)
    assert pages(changed) == {"en/briefings/bilingual/index.html"}


def test_a_fact_edit_renders_the_pages_that_show_it(root):
    incremental(root)
    before = snapshot(root / "site")
    EDITS["fact"](root)
    result = incremental(root)
    after = snapshot(root / "site")
    changed = {path for path in after if after[path] != before.get(path)}
    # Both languages of the briefing with its fact box, and of the weapon's page; the weapons' open data.
    assert pages(changed) == {"en/briefings/bilingual/index.html", "ru/briefings/bilingual/index.html",
                              "en/weapons/drone-x/index.html", "ru/weapons/drone-x/index.html",
                              "data/weapons.json", "data/weapons.csv"}
    # Rendered again: those, the sitemap (it lists every entity), the rest of the open data that
    # reads every entity (4 tables as JSON, 3 as CSV, the data page of each language, which counts them)
    # and the two search pages (they list the topics, from every entity); not the pages that merely
    # link the weapon or list it in a timeline (they show its name).
    assert result.written == len(changed) and result.rendered == 5 + 7 + 2 + 2


def test_a_template_edit_keeps_the_pages_that_do_not_use_it(root):
    incremental(root)
    EDITS["template"](root)
    before = snapshot(root / "site")
    result = incremental(root)
    after = snapshot(root / "site")
    changed = {path for path in after if after[path] != before.get(path)}
    assert result.written == len(changed) and pages(changed) == {p for p in result.files if "/briefings/" in p}


def test_output_edited_by_hand_is_repaired(root):
    incremental(root)
    site = root / "site"
    (site / "en" / "index.html").write_text("scribbled", encoding="utf-8")
    (site / "ru" / "feed.xml").unlink()
    (site / "stray.txt").write_text("left over", encoding="utf-8")
    (site / "old-folder" / "deep").mkdir(parents=True)
    incremental(root)
    assert snapshot(site) == clean(root)
    assert not (site / "old-folder").exists()


def test_errors_leave_the_output_and_the_record_untouched(root):
    incremental(root)
    before, stamps = snapshot(root / "site"), mtimes(root / "site")
    EDITS["fact"](root)
    edit(root / "content/briefings/bilingual/en.md", "[[drone-x]]", "[[no-such-weapon]]")
    with pytest.raises(ContentError):
        incremental(root)
    assert snapshot(root / "site") == before and mtimes(root / "site") == stamps
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []  # no staging folder left
    edit(root / "content/briefings/bilingual/en.md", "[[no-such-weapon]]", "[[drone-x]]")
    incremental(root)
    assert snapshot(root / "site") == clean(root)


def test_a_template_error_leaves_the_output_untouched(root):
    incremental(root)
    before = snapshot(root / "site")
    edit(root / "templates/briefing.html", "</article>", "{{ no_such_variable }}</article>")
    with pytest.raises(ContentError) as caught:
        incremental(root)
    assert caught.value.problems[0].path == "templates/briefing.html"
    assert snapshot(root / "site") == before


def test_a_broken_or_deleted_cache_means_a_clean_build(root):
    incremental(root)
    EDITS["fact"](root)
    records = [p for p in (root / ".cache").rglob("*") if p.is_file()]
    assert any(p.parent.name == "templates" for p in records)  # compiled templates are kept too
    for record in records:
        record.write_bytes(b"not a pickle")
    incremental(root)
    assert snapshot(root / "site") == clean(root)
    shutil.rmtree(root / ".cache")
    EDITS["timeline"](root)
    result = incremental(root)
    assert snapshot(root / "site") == clean(root)
    assert result.written < len(result.files)  # rendered again, but unchanged files were not rewritten


def test_an_edit_that_keeps_size_and_mtime_right_after_a_build_is_seen(root):
    # A file saved just before a build, then saved again within the same
    # clock tick: its stat is unchanged, so it must not be trusted.
    path = root / "content/briefings/bilingual/en.md"
    path.write_bytes(path.read_bytes())
    incremental(root)
    stat = path.stat()
    edit(path, "21 units", "31 units")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    incremental(root)
    assert b"31 units" in (root / "site/en/briefings/bilingual/index.html").read_bytes()


def test_a_cache_for_another_output_folder_is_not_used(root):
    incremental(root)
    other = build(root / "content", root / "other", cache=root / ".cache")
    assert other.rendered == len(pages(other.files))
    assert snapshot(root / "other") == snapshot(root / "site")


def test_refuses_to_build_into_a_folder_holding_the_content(root):
    from generator.output.write import OutputError
    with pytest.raises(OutputError):
        build(root / "content", root, cache=root / ".cache")
    assert (root / "content" / "site.yaml").is_file()


@pytest.mark.slow  # several processes
@pytest.mark.parametrize("cache", [False, True])
def test_several_processes_give_the_same_bytes_as_one(root, monkeypatch, cache):
    monkeypatch.setattr(parallel, "MIN_PAGES_PER_WORKER", 1)  # the fixture is small: use workers anyway
    options = {"cache": root / ".cache"} if cache else {}
    one = build(root / "content", root / "one", jobs=1, **options)
    two = build(root / "content", root / "two", jobs=2, **options)
    assert two.rendered == len(pages(two.files))
    assert snapshot(root / "one") == snapshot(root / "two")
    assert one.warnings == two.warnings
    EDITS["fact"](root)
    build(root / "content", root / "two", jobs=2, **options)
    assert snapshot(root / "two") == clean(root)


@pytest.mark.slow  # several processes
@pytest.mark.parametrize("jobs", [1, 2])
def test_the_record_written_while_pages_render_is_the_record_a_rebuild_uses(root, monkeypatch, jobs):
    # The kept site and the model are written during the render (parallel.render's meanwhile):
    # a text edit right after is patched from them, and a rebuild re-reads no file.
    monkeypatch.setattr(parallel, "MIN_PAGES_PER_WORKER", 1)
    calls = []
    real = parallel.render

    def render(*args, **kwargs):
        meanwhile = args[4] if len(args) > 4 else kwargs.get("meanwhile")
        calls.append(meanwhile is not None)
        return real(*args, **kwargs)
    monkeypatch.setattr(parallel, "render", render)
    build(root / "content", root / "site", cache=root / ".cache", jobs=jobs)
    assert calls == [True]
    EDITS["briefing body"](root)
    again = build(root / "content", root / "site", cache=root / ".cache", jobs=jobs)
    assert again.rendered == 1 and "load" not in again.timings  # the kept site, patched
    assert snapshot(root / "site") == clean(root)


@pytest.mark.slow  # several processes
def test_several_processes_in_memory(root, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PAGES_PER_WORKER", 1)
    one = build(root / "content", jobs=1)
    three = build(root / "content", jobs=3)
    assert dict(one.files) == dict(three.files)


def test_the_preview_server_builds_incrementally(root, tmp_path):
    from generator.serve.server import build_once
    out = tmp_path / "work" / "site"
    outcome, kept = build_once(root / "content", out)
    assert outcome.base_path == "/news/"
    before = mtimes(out)
    EDITS["briefing body"](root)
    outcome, again = build_once(root / "content", out, keep=kept)
    assert again is kept  # the record stays in memory between saves
    assert outcome.base_path == "/news/" and outcome.files == len(before) and outcome.rendered == 1
    after = mtimes(out)
    assert {path for path in after if after[path] != before.get(path)} == {"en/briefings/bilingual/index.html"}
    assert not list((tmp_path / "work").glob("site-cache/*.pickle"))  # nothing of it written to disk
    # The preview's search index is made in the background, in a folder of its own (search/preview.py).
    assert snapshot(out) == {path: data for path, data in clean(root).items() if path in pages([path])}


@pytest.mark.parametrize("settled", [True, False])
def test_the_previews_record_is_made_after_its_build_and_still_right(root, tmp_path, settled):
    # In memory, a build leaves its record to make (BuildCache.record): the preview server
    # makes it once the reloaded page is served (settle), or the next build does first.
    from generator.serve.server import build_once
    out = tmp_path / "work" / "site"
    outcome, kept = build_once(root / "content", out)
    EDITS["briefing body"](root)
    outcome, kept = build_once(root / "content", out, keep=kept)
    assert outcome.rendered == 1
    before = kept.store.state(kept.key)
    if settled:
        kept.settle()
        assert kept.store.state(kept.key) is not before  # made now, not at the next build
    EDITS["fact"](root)
    outcome, again = build_once(root / "content", out, keep=kept)
    assert again is kept and 0 < outcome.rendered < outcome.files
    assert snapshot(out) == {path: data for path, data in clean(root).items() if path in pages([path])}


@pytest.mark.slow  # several processes
def test_reading_files_in_several_processes_gives_the_same_site(root, monkeypatch):
    from generator.cache import read_ahead
    monkeypatch.setattr(read_ahead, "PREFETCH_MINIMUM", 1)  # the fixture is small: read in workers anyway
    monkeypatch.setattr(read_ahead, "PREFETCH_CHUNK", 1)  # files read by the build's process and by a worker
    monkeypatch.setattr(parallel, "MIN_PAGES_PER_WORKER", 1)
    result = build(root / "content", root / "site", cache=root / ".cache", jobs=2)
    assert snapshot(root / "site") == clean(root)
    assert result.warnings == build(root / "content").warnings
    EDITS["site.yaml timezone"](root)  # every file is read again
    edit(root / "content/briefings/en-only/en.md", "title:", "title: [broken")
    with pytest.raises(ContentError) as in_workers:
        build(root / "content", root / "site", cache=root / ".cache", jobs=2)
    with pytest.raises(ContentError) as in_one:
        build(root / "content")
    assert in_workers.value.problems == in_one.value.problems


@pytest.mark.slow  # several processes
def test_a_first_build_in_several_processes_records_the_hash_of_every_file(root, monkeypatch):
    # The texts' hashes are taken by the processes that read them (Inputs.complete): the record
    # must hold what hashing each file gives, for files read in either process; a file that
    # could not be read is hashed by the build, which reports its problem.
    import pickle

    from generator.cache import read_ahead, record, scan
    monkeypatch.setattr(read_ahead, "PREFETCH_MINIMUM", 1)
    monkeypatch.setattr(read_ahead, "PREFETCH_CHUNK", 1)
    edit(root / "content/briefings/en-only/en.md", "title:", "title: [broken")
    with pytest.raises(ContentError):
        build(root / "content", root / "site", cache=root / ".cache", jobs=2)
    edit(root / "content/briefings/en-only/en.md", "title: [broken", "title:")
    build(root / "content", root / "site", cache=root / ".cache", jobs=2)
    _, state = pickle.loads((root / ".cache" / record.STATE_FILE).read_bytes())
    texts = [path for path in state.inputs.files if path.endswith(".md") and "/briefings/" in path]
    assert len(texts) >= 3
    for path, (_, digest) in state.inputs.files.items():
        assert digest == scan.hash_file(path), path
    assert snapshot(root / "site") == clean(root)


def test_the_files_to_read_are_found_from_the_scan_as_the_build_finds_them(root):
    # A first build lists the texts to read from the scan it already made (no folder listed twice).
    from generator.cache.scan import Inputs
    from generator.content.errors import Problems
    from generator.content.load import document_files, load_content
    content = root / "content"
    (content / "briefings" / ".hidden").mkdir()
    (content / "briefings" / ".hidden" / "en.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (content / "briefings" / "stray.md").write_text("not a folder\n", encoding="utf-8")
    (content / "briefings" / "bilingual" / "notes.txt").write_text("kept aside\n", encoding="utf-8")
    inputs = Inputs.scan([content], None)
    found = document_files(content, inputs.listing)
    assert ("briefings", "bilingual", "ru", content / "briefings" / "bilingual" / "ru.md") in found
    loaded = load_content(content, Problems(root)).documents
    assert sorted(found) == sorted((d.kind, d.slug, d.lang, d.path) for d in loaded)


@pytest.mark.slow  # several processes
def test_a_first_build_in_several_processes_parses_each_fact_file_once(root, monkeypatch):
    # The facts and timelines are parsed while the other processes read the texts, not after.
    from generator.cache import memo, read_ahead
    monkeypatch.setattr(read_ahead, "PREFETCH_MINIMUM", 1)
    parsed = []
    original = memo.parse_yaml_file
    reading = lambda: read_ahead._prefetch is not None  # noqa: E731 (set while the texts are read)
    monkeypatch.setattr(memo, "parse_yaml_file",
                        lambda path, *a: parsed.append((path.name, reading())) or original(path, *a))
    build(root / "content", root / "site", cache=root / ".cache", jobs=2)
    data = [p.name for folder in ("facts", "timelines") for p in (root / "content" / folder).iterdir()]
    assert sorted(parsed) == sorted([(name, True) for name in data] + [("site.yaml", False)])
    assert snapshot(root / "site") == clean(root)


TRANSLATIONS = Path(__file__).resolve().parent / "fixtures" / "translations" / "content"


def translations_site(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A built copy of the translations fixture: its root, a translated page, and that page's bytes."""
    root = tmp_path / "root"
    shutil.copytree(TRANSLATIONS, root / "content")
    incremental(root)
    translated = root / "site/ru/briefings/current/index.html"
    return root, translated, translated.read_bytes()


@pytest.mark.parametrize("change", ["original edited", "record changed", "record file deleted"])
def test_translation_status_follows_incremental_edits(tmp_path, change):
    # An original's edit makes its translation outdated (a notice on the
    # translated page, which did not change itself); the record of checks
    # (translations.yaml) decides the same.
    root, translated, before = translations_site(tmp_path)
    if change == "original edited":
        edit(root / "content/briefings/current/en.md", "\n\n", "\n\nA new first paragraph.\n\n")
    elif change == "record changed":  # checked against another revision: outdated
        edit(root / "content/translations.yaml", "body: \"bc4591c832a4\"", "body: \"abcdefabcdef\"")
    else:
        (root / "content/translations.yaml").unlink()
    incremental(root)
    assert snapshot(root / "site") == clean(root)
    if change != "record file deleted":  # (unverified: nothing to say on the page)
        assert translated.read_bytes() != before  # the Russian page says something new, its file being unchanged


def test_dot_files_in_the_content_are_no_change(root):
    incremental(root)
    (root / "content/briefings/bilingual/.en.md.swp").write_bytes(b"an editor's swap file")
    (root / "content/.DS_Store").write_bytes(b"\0")
    again = incremental(root)
    assert (again.rendered, again.written) == (0, 0) and again.timings.keys() == {"check"}


def test_a_cache_that_cannot_be_written_costs_speed_not_the_build(root):
    (root / ".cache").write_text("a file where the cache folder should be")
    first = incremental(root)
    assert snapshot(root / "site") == clean(root)
    EDITS["fact"](root)
    second = incremental(root)
    assert second.rendered == len(pages(second.files))  # no record: everything rendered again
    assert snapshot(root / "site") == clean(root)
    assert first.warnings == second.warnings


@pytest.mark.slow  # several processes
def test_figures_compared_in_the_reading_processes_warn_as_in_one(tmp_path, monkeypatch):
    from generator.cache import read_ahead
    monkeypatch.setattr(read_ahead, "PREFETCH_MINIMUM", 1)
    root = tmp_path / "root"
    shutil.copytree(TRANSLATIONS, root / "content")
    result = build(root / "content", root / "site", cache=root / ".cache", jobs=2)
    alone = build(root / "content")
    assert any("figures or facts differ" in p.message for p in alone.warnings)
    assert result.warnings == alone.warnings
    assert snapshot(root / "site") == clean(root)


# -- the record keeps no bodies: pages read them from the files when needed ---------
def _recorded_documents(cache: Path):
    import pickle
    for shard in sorted(cache.glob("model-*.pickle")):
        _, part = pickle.loads(shard.read_bytes())
        yield from (entry.document for key, entry in part.items() if key[0] == "doc" and entry.document is not None)


def test_the_record_keeps_no_bodies_and_a_template_edit_reads_them_from_the_files(root):
    incremental(root)
    documents = list(_recorded_documents(root / ".cache"))
    assert documents and all(doc.body == "" for doc in documents)
    # Every HTML page renders again (base.html), each body read back from its unchanged file.
    edit(root / "templates" / "base.html", "</footer>", "<p>edition 2</p></footer>")
    result = incremental(root)
    assert result.rendered >= 20
    assert snapshot(root / "site") == clean(root)


def test_a_file_changed_while_its_body_is_read_back_fails_the_build_and_keeps_the_output(root, monkeypatch):
    from generator.cache import record
    incremental(root)
    before = snapshot(root / "site")
    edit(root / "templates" / "briefing.html", "</article>", "<p>edition 2</p></article>")
    # As if an editor saved ru.md between the build's scan and the moment its page needs the body.
    real = record.read_body
    monkeypatch.setattr(record, "read_body", lambda path: real(path) + ("\nSaved meanwhile." if path.name == "ru.md" else ""))
    with pytest.raises(ContentError) as caught:
        incremental(root, jobs=1)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("content/briefings/") and m.endswith("ru.md: changed while the site was being built: build again")
               for m in messages), messages
    assert snapshot(root / "site") == before


def test_a_document_read_back_from_the_record_is_the_document_it_stands_for(root):
    import dataclasses
    import pickle
    from generator.content.model import Document
    result = incremental(root)
    edit(root / "templates" / "briefing.html", "</article>", "<p>edition 2</p></article>")
    again = incremental(root)
    fresh = {(d.kind, d.slug, d.lang): d for d in result.site.documents}
    for doc in again.site.documents:
        plain = fresh[(doc.kind, doc.slug, doc.lang)]
        assert doc == plain and plain == doc and hash(doc) == hash(plain)
        assert doc.body == plain.body
        copied = pickle.loads(pickle.dumps(doc))
        assert type(copied) is Document and copied == plain
        assert dataclasses.replace(doc, title="Other").body == plain.body
    assert any(type(doc) is not Document for doc in again.site.documents)  # some did come from the record


def test_the_record_of_a_small_site_is_whole_after_its_first_build(root):
    # Fewer files than shards: the empty shards are written too, or the next build finds no record.
    import pickle
    from generator.cache.record import SHARDS, Store
    incremental(root)
    key, _ = pickle.loads((root / ".cache" / "state.pickle").read_bytes())
    model = Store(root / ".cache").model(key)
    assert model is not None and len(list((root / ".cache").glob("model-*.pickle"))) == SHARDS
    assert sum(1 for k in model if k[0] == "doc") == len(list((root / "content").glob("*/*/*.md")))


def test_library_versions_are_those_importlib_metadata_reports():
    from importlib import metadata
    from generator.cache.fingerprint import LIBRARIES, library_versions
    assert library_versions() == [(name, metadata.version(name)) for name, _ in LIBRARIES]


# -- the output scan trusts a folder whose time is as recorded -----------------------
@pytest.fixture
def old_record(monkeypatch):
    """Builds whose record says it was taken a minute later: every folder's time is trusted."""
    import time as clock
    from generator import build as build_module
    real = clock.time_ns
    monkeypatch.setattr(build_module.time, "time_ns", lambda: real() + 60_000_000_000, raising=False)


def test_hand_edits_in_trusted_folders_are_seen(root, old_record):
    import time
    incremental(root)
    site = root / "site"
    time.sleep(0.05)  # a later clock tick than the build's last write
    (site / "en" / "briefings" / "bilingual" / "stray.html").write_text("by hand", encoding="utf-8")
    (site / "ru" / "briefings" / "bilingual" / "index.html").unlink()
    page = site / "en" / "briefings" / "en-only" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"<html", b"<html data-x=\"1\"", 1))
    (site / "en" / "topics" / "unplanned").mkdir()
    result = incremental(root)
    assert result.rendered == 2 and result.written == 2
    assert snapshot(site) == clean(root)


def test_trusted_folders_are_not_listed(root, old_record, monkeypatch):
    import os as system
    incremental(root)
    listed = []
    real = system.scandir
    monkeypatch.setattr(system, "scandir", lambda path=".": listed.append(str(path)) or real(path))
    result = incremental(root)
    assert result.rendered == 0
    # (The output itself is listed once, to check it holds a built site.)
    below = [p for p in listed if p.startswith(str(root / "site") + "/")]
    assert below == [], below  # every page folder trusted: none listed


def test_the_racy_window_is_narrow_only_where_times_carry_fractions_of_a_second():
    from generator.cache.scan import FINE_RACY_NS, RACY_NS, racy_window
    assert racy_window([1_700_000_000_000_000_000, 1_700_000_002_000_000_000]) == RACY_NS  # FAT, HFS+
    assert racy_window([1_700_000_000_000_000_000, 1_700_000_000_123_456_789]) == FINE_RACY_NS
    assert racy_window([]) == RACY_NS


def test_a_rebuild_soon_after_another_lists_only_the_folders_that_build_wrote(root, monkeypatch):
    import os as system
    import time
    incremental(root)
    time.sleep(0.2)  # beyond the narrow window of a file system with fine times (this one)
    edit(root / "content" / "briefings" / "bilingual" / "en.md", "Drone-X", "Drone-X (edited)")
    incremental(root)  # writes a few pages; the record is taken well after the other folders' times
    listed = []
    real = system.scandir
    monkeypatch.setattr(system, "scandir", lambda path=".": listed.append(str(path)) or real(path))
    assert incremental(root).rendered == 0
    below = {p.removeprefix(str(root / "site") + "/") for p in listed if p.startswith(str(root / "site") + "/")}
    # Only folders the last build wrote into are listed again (data/: the briefings' index; the edit is in
    # the title, so the social card drawn for it is new: images/cards; the search index's aside: its
    # folders change with any page of their language).
    below = {p for p in below if "pagefind" not in p.split("/")}
    assert below and len(below) <= 10, below


def test_a_text_edit_fingerprints_only_that_text_and_its_group(root, monkeypatch):
    import pickle
    from generator.cache import deps
    incremental(root)
    _, state = pickle.loads((root / ".cache" / "state.pickle").read_bytes())
    computed = []
    real = deps.Fingerprints._compute
    monkeypatch.setattr(deps.Fingerprints, "_compute", lambda self, token: computed.append(token) or real(self, token))
    edit(root / "content" / "briefings" / "bilingual" / "ru.md", "\n\n", "\n\nНовая фраза.\n\n")
    result = incremental(root)
    assert result.rendered == 1
    assert set(computed) <= {("body", "briefings", "bilingual", "ru"), ("meta", "briefings", "bilingual")}, computed
    assert len(state.prints) > 20  # what a full check would have fingerprinted again
    assert snapshot(root / "site") == clean(root)
    # A title edit is not only text: everything is checked, and the lists that show it follow.
    computed.clear()
    edit(root / "content" / "briefings" / "bilingual" / "ru.md", 'title: "', 'title: "Новый заголовок. ')
    incremental(root)
    assert len(set(computed)) > 20
    assert snapshot(root / "site") == clean(root)


def test_translation_checks_of_unchanged_files_read_no_text(tmp_path, monkeypatch):
    # translations.yaml asks for the revision of every original: the record knows it.
    from generator.cache import record
    site = tmp_path / "root"
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "translations", site)
    build(site / "content", site / "site", cache=site / ".cache")
    read = []
    real = record.read_body
    monkeypatch.setattr(record, "read_body", lambda path: read.append(path.name) or real(path))
    original = next((site / "content" / "briefings").glob("*/en.md"))
    original.write_text(original.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    result = build(site / "content", site / "site", cache=site / ".cache")
    assert not [p for p in read if p == "en.md"], read  # no original's text read back for its revision
    out = tmp_path / "clean"
    clean_result = build(site / "content", out)
    assert snapshot(site / "site") == snapshot(out)
    assert sorted(map(str, result.warnings)) == sorted(map(str, clean_result.warnings))


def test_a_translation_record_added_later_is_followed_and_its_revisions_kept(tmp_path, monkeypatch):
    # Without translations.yaml no file's revision is made; once the record
    # appears, each original's revision is made once and kept in the cache.
    from generator.cache import record
    site = tmp_path / "root"
    shutil.copytree(TRANSLATIONS, site / "content")
    kept = (site / "content" / "translations.yaml").read_bytes()
    (site / "content" / "translations.yaml").unlink()
    incremental(site)
    (site / "content" / "translations.yaml").write_bytes(kept)
    first = incremental(site)
    assert any("translation is outdated" in p.message for p in first.warnings)
    assert snapshot(site / "site") == clean(site)
    made = []
    real = record.revisions.revision_of
    monkeypatch.setattr(record.revisions, "revision_of", lambda doc: made.append(doc.path) or real(doc))
    edit(site / "content/briefings/current/ru.md", "title: ", "title: Правка. ")  # the whole site is checked again
    second = incremental(site)
    assert made and not [path for path in made if path.endswith("en.md")], made  # originals' revisions: from the cache
    assert sorted(map(str, second.warnings)) == sorted(map(str, build(site / "content").warnings))
    assert snapshot(site / "site") == clean(site)


# -- templates and catalogues are recorded by the pages that use them ---------------------
def _changed_files(root: Path, before: dict[str, int]) -> set[str]:
    """The pages the last build changed (the search index of their language changes with them)."""
    after = mtimes(root / "site")
    return pages(path for path in after if after[path] != before.get(path))


@pytest.mark.parametrize("template, old, new, expected", [
    # Only the pages made from the edited template are rendered again.
    ("entity.html", "</article>", "<p>entity edit</p></article>", lambda p: p.split("/")[1:2] in (["weapons"], ["people"], ["organizations"])),
    ("partials/factbox.html", "</aside>", "<p>factbox edit</p></aside>", None),
    ("assets/style.css", "", "", lambda p: p == "assets/style.css"),
])
def test_a_template_edit_renders_only_the_pages_made_from_it(root, template, old, new, expected):
    incremental(root)
    before = mtimes(root / "site")
    path = root / "templates" / template
    if old:
        edit(path, old, new)
    else:
        path.write_text(path.read_text(encoding="utf-8") + "\n.edited { color: red }\n", encoding="utf-8")
    result = incremental(root)
    assert snapshot(root / "site") == clean(root)
    changed = _changed_files(root, before)
    assert changed and result.rendered < len(result.files) / 2, (result.rendered, len(result.files))
    if expected is not None:
        assert all(expected(p) for p in changed), changed
    else:  # the pages that show a fact box: the bilingual briefing and the fact pages
        assert {"en/briefings/bilingual/index.html", "ru/briefings/bilingual/index.html"} <= changed
        assert "en/index.html" not in changed and "en/briefings/en-only/index.html" not in changed


def test_a_catalogue_edit_renders_that_language_only(root):
    incremental(root)
    before = mtimes(root / "site")
    EDITS["catalogue"](root)  # a Russian string
    result = incremental(root)
    assert snapshot(root / "site") == clean(root)
    changed = _changed_files(root, before)
    assert changed and all(p.startswith("ru/") or p == "404.html" for p in changed), changed
    assert result.rendered < len(result.files) / 2


def test_a_site_template_that_overrides_a_default_is_followed(tmp_path):
    # A site without its own templates folder uses the defaults; a templates/
    # folder added later is a new set of template folders: a full build. A
    # template added to an existing folder shadows the default from then on.
    site = tmp_path / "root"
    shutil.copytree(FIXTURE, site / "content")
    (site / "templates" / "partials").mkdir(parents=True)
    (site / "templates" / "partials" / "unused.html").write_text("unused\n", encoding="utf-8")
    incremental(site)
    factbox = (DEFAULT_TEMPLATES / "partials" / "factbox.html").read_text(encoding="utf-8")
    (site / "templates" / "partials" / "factbox.html").write_text(factbox.replace("</aside>", "<p>own factbox</p></aside>"), encoding="utf-8")
    incremental(site)
    assert snapshot(site / "site") == clean(site)
    assert "own factbox" in (site / "site" / "en" / "briefings" / "bilingual" / "index.html").read_text(encoding="utf-8")
    (site / "templates" / "partials" / "factbox.html").unlink()
    incremental(site)
    assert snapshot(site / "site") == clean(site)
    assert "own factbox" not in (site / "site" / "en" / "briefings" / "bilingual" / "index.html").read_text(encoding="utf-8")


# -- bodies' HTML kept between builds (bodies.py) ------------------------------------------
@pytest.fixture
def keep_bodies(monkeypatch):
    """Bodies kept and reused however few pages a build renders (the fixture site is small)."""
    from generator.cache import build_cache
    monkeypatch.setattr(build_cache, "MINIMUM_PAGES", 0)


@pytest.fixture
def conversions(monkeypatch) -> list:
    from generator.render.markup import MarkdownRenderer
    done: list = []
    real = MarkdownRenderer.block
    monkeypatch.setattr(MarkdownRenderer, "block", lambda self, text: done.append(text) or real(self, text))
    return done


@pytest.mark.slow  # several processes
@pytest.mark.parametrize("name", sorted(EDITS))
def test_kept_bodies_give_the_bytes_of_a_clean_build_after_every_edit(root, keep_bodies, name):
    incremental(root)
    edit(root / "templates" / "base.html", "</footer>", "<p>every page again</p></footer>")
    incremental(root)  # every body reused once
    EDITS[name](root)
    incremental(root)
    assert snapshot(root / "site") == clean(root)


@pytest.mark.slow  # several processes
def test_a_template_edit_reuses_the_bodies_and_a_body_edit_converts_only_that_body(root, keep_bodies, conversions):
    incremental(root)
    assert conversions  # a first build converts every body (and keeps them)
    bodies = [text for text in conversions if "\n\n" in text]  # event texts are one paragraph; bodies are several
    assert len(bodies) >= 3
    conversions.clear()
    edit(root / "templates" / "briefing.html", "</article>", "<p>Template edit</p>\n</article>")
    result = incremental(root)
    assert result.rendered >= 3
    assert [text for text in conversions if text in bodies] == []  # no body converted again
    assert snapshot(root / "site") == clean(root)
    conversions.clear()
    EDITS["briefing body"](root)
    edit(root / "templates" / "briefing.html", "Template edit", "Template edit 2")
    incremental(root)
    assert len([text for text in conversions if "\n\n" in text]) == 1, conversions  # the edited body alone
    assert snapshot(root / "site") == clean(root)


@pytest.mark.slow  # several processes
@pytest.mark.parametrize("change", [
    lambda r: edit(r / "content/facts/weapons.yaml", "ru: Дрон-X", "ru: Дрон-Икс"),  # a linked name
    lambda r: edit(r / "content/facts/weapons.yaml", "range_km: 1500", "range_km: 1750"),  # in a fact box
    lambda r: edit(r / "templates/partials/factbox.html", "</aside>", "<p>box</p></aside>"),  # the fact box's template
    lambda r: edit(r / "locales/ru/LC_MESSAGES/messages.po", 'msgstr "Дальность"', 'msgstr "Радиус"'),  # a fact box label
    lambda r: edit(r / "content/site.yaml", "base_url: https://example.org/news/", "base_url: https://example.org/other/"),
], ids=["linked name", "fact box fact", "fact box template", "fact box label", "site.yaml"])
def test_a_kept_body_is_converted_again_when_what_it_shows_changed(root, keep_bodies, conversions, change):
    incremental(root)
    change(root)
    edit(root / "templates" / "briefing.html", "</article>", "<p>Template edit</p>\n</article>")  # every briefing again
    conversions.clear()
    incremental(root)
    assert any("[[factbox:drone-x]]" in text for text in conversions), "the body showing it was not converted again"
    assert snapshot(root / "site") == clean(root)


@pytest.mark.slow  # several processes
def test_a_kept_body_is_read_only_from_the_version_of_its_page_it_was_kept_from(root, keep_bodies, conversions, monkeypatch):
    # A body's HTML is read back from its own page. A build that renders a few pages does not
    # use the kept bodies: a title edited then moves the body within its page, and the page
    # edited by hand is another file again. Neither may be read at the old place.
    from generator.cache import build_cache
    incremental(root)
    monkeypatch.setattr(build_cache, "MINIMUM_PAGES", 10**6)
    edit(root / "content/briefings/bilingual/en.md", "title:", "title: 'A much longer title, which moves the body:' #")
    incremental(root)
    page = root / "site" / "ru" / "briefings" / "bilingual" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<main", "<!-- edited by hand -->\n<main"), encoding="utf-8")
    monkeypatch.setattr(build_cache, "MINIMUM_PAGES", 0)
    edit(root / "templates" / "briefing.html", "</article>", "<p>Template edit</p>\n</article>")
    conversions.clear()
    incremental(root)
    assert snapshot(root / "site") == clean(root)
    converted = [text for text in conversions if "\n\n" in text]
    bilingual = [(root / "content/briefings/bilingual" / f"{lang}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
                 for lang in ("en", "ru")]
    assert all(any(body.strip() in text for text in converted) for body in bilingual), "a body was read from the wrong page"


@pytest.mark.slow  # several processes
def test_kept_bodies_of_another_generator_are_deleted_and_many_files_merged(root, keep_bodies, monkeypatch):
    from generator.cache import record
    incremental(root)
    folder = root / ".cache" / record.BODIES
    written = sorted(folder.iterdir())
    assert written and all(p.name.endswith(".pickle") for p in written)
    (folder / "0123456789abcdef-00000000000000000001-1-1.pickle").write_bytes(b"another version's")
    monkeypatch.setattr(record, "BODY_FILES", 0)  # any file is one too many: merged at the next build
    edit(root / "templates" / "briefing.html", "</article>", "<p>Template edit</p>\n</article>")
    incremental(root)
    left = sorted(folder.iterdir())
    assert len(left) == 1 and left[0] not in written and not left[0].name.startswith("0123456789abcdef")
    import pickle
    _, merged = pickle.loads(left[0].read_bytes())
    assert ("briefings", "bilingual", "en") in merged and ("briefings", "bilingual", "ru") in merged
    EDITS["briefing body"](root)
    edit(root / "templates" / "briefing.html", "Template edit", "Template edit 2")
    incremental(root)
    assert snapshot(root / "site") == clean(root)


def test_the_pages_of_a_batch_are_rendered_in_one_process_and_results_keep_plan_order():
    import time

    from generator.render.pages import Page

    def render():
        time.sleep(0.0005)  # long enough for both processes to take pages
        return str(os.getpid())
    pages = [Page(f"p{i}.html", render, (), "lists-en" if i % 7 == 0 else "lists-ru" if i % 11 == 0 else "")
             for i in range(400)]
    job = parallel.Job(pages, [], None, None, False, {})
    todo = list(range(0, 400, 2)) + list(range(1, 400, 2))
    results = parallel.render(job, todo, 2)
    assert [r.index for r in results] == sorted(todo)
    by_batch: dict[str, set] = {}
    for r in results:
        by_batch.setdefault(pages[r.index].batch, set()).add(r.data)
    assert len(by_batch["lists-en"]) == 1 and len(by_batch["lists-ru"]) == 1


@pytest.mark.parametrize("jobs", [2, 3])
def test_the_build_process_renders_pages_too(jobs):
    # --jobs N: the build's own process and N - 1 workers claim chunks of pages as they are free.
    import time

    from generator.render.pages import Page

    def render():
        time.sleep(0.004)  # long enough for every process to start and claim chunks
        return str(os.getpid())
    pages = [Page(f"p{i}.html", render, (), "") for i in range(200)]
    job = parallel.Job(pages, [], None, None, False, {})
    results = parallel.render(job, list(range(200)), jobs)
    renderers = {r.data for r in results}
    assert str(os.getpid()).encode() in renderers
    assert len(renderers) == jobs
    assert [r.index for r in results] == list(range(200))


@pytest.mark.slow  # several processes
def test_reading_chunks_keep_the_translations_of_a_briefing_together():
    from generator.cache.read_ahead import PREFETCH_CHUNK, reading_chunks
    files = [("briefings", f"b{i:04}", lang, Path(f"b{i:04}/{lang}.md")) for i in range(100) for lang in ("en", "ru", "uk")]
    files += [("pages", "about", "en", Path("about/en.md"))]
    chunks = reading_chunks(files)
    assert [i for chunk in chunks for i in chunk] == list(range(len(files)))
    assert len(chunks) > 2 and all(len(chunk) <= PREFETCH_CHUNK + 2 for chunk in chunks)
    for before, after in zip(chunks, chunks[1:]):
        assert files[before[-1]][:2] != files[after[0]][:2]  # no briefing split between two chunks


@pytest.mark.slow  # several processes
@pytest.mark.parametrize("jobs", [1, 2])
def test_fingerprints_taken_by_the_render_processes_are_the_builds_own(root, tmp_path, monkeypatch, jobs):
    # Each render process fingerprints the tokens its pages used (parallel.Job.prints); the
    # record must hold what the build computes itself when they do not.
    import dataclasses
    import pickle

    from generator.cache import record as cache_module
    monkeypatch.setattr(parallel, "MIN_PAGES_PER_WORKER", 1)
    build(root / "content", root / "site", cache=root / ".cache", jobs=jobs)
    _, by_processes = pickle.loads((root / ".cache" / cache_module.STATE_FILE).read_bytes())
    original = parallel.render
    monkeypatch.setattr(parallel, "render", lambda job, *a, **k: original(dataclasses.replace(job, prints=None), *a, **k))
    build(root / "content", tmp_path / "other-site", cache=tmp_path / "other-cache", jobs=jobs)
    _, by_build = pickle.loads((tmp_path / "other-cache" / cache_module.STATE_FILE).read_bytes())
    assert len(by_processes.prints) > 50
    assert by_processes.prints == by_build.prints
    # One object per token in the record (pickle writes it once): the pages' and the fingerprints'.
    used = {id(token) for uses, _ in by_processes.pages.values() for token in uses}
    assert {id(token) for token in by_processes.prints} == used
    assert by_processes.output_files.keys() == by_build.output_files.keys()


@pytest.mark.slow  # several processes
def test_a_broken_catalogue_is_reported_by_a_first_build_in_several_processes(root, monkeypatch):
    # The rendering is prepared while the texts are read (catalogues compiled): what is
    # wrong with a catalogue is still reported, as a build in one process reports it.
    from generator.cache import read_ahead as cache_module
    monkeypatch.setattr(cache_module, "PREFETCH_MINIMUM", 1)
    catalogue = root / "locales/ru/LC_MESSAGES/messages.po"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    with pytest.raises(ContentError) as in_workers:
        build(root / "content", root / "site", cache=root / ".cache", jobs=2)
    with pytest.raises(ContentError) as in_one:
        build(root / "content", root / "other-site")
    assert in_workers.value.problems == in_one.value.problems
    assert any("messages.po" in str(problem) for problem in in_workers.value.problems)
