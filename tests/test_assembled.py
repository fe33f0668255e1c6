"""The kept site (assembled.py): a text-only edit patches the last build's site.

Each test builds a copy of a fixture site with a cache, edits it, builds
again, and checks three things: the output equals a clean build of the
edited site byte for byte, the warnings are the clean build's, and whether
the build patched the kept site or assembled the site again (it assembles
it by walking the content folder: ``load_content``).
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from generator import build as build_module
from generator.build import build
from generator.content.errors import ContentError

from tests.test_incremental import FIXTURE, edit, incremental, snapshot, translations_site


@pytest.fixture
def root(tmp_path) -> Path:
    site = tmp_path / "root"
    shutil.copytree(FIXTURE, site / "content")
    return site


@pytest.fixture
def walks(monkeypatch) -> list:
    """Every walk of a content folder (a build that assembles its site again)."""
    found: list = []
    real = build_module.load_content
    monkeypatch.setattr(build_module, "load_content", lambda *a, **k: found.append(a[0]) or real(*a, **k))
    return found


def clean_build(root: Path):
    out = root.parent / f"clean-{len(list(root.parent.iterdir()))}"
    return build(root / "content", out), snapshot(out)


def assert_as_clean(root: Path, result) -> None:
    clean_result, files = clean_build(root)
    assert snapshot(root / "site") == files
    assert result.warnings == clean_result.warnings


BILINGUAL = "content/briefings/bilingual"

PATCHED = {  # edits of texts alone: the kept site is patched
    "a sentence in an original": lambda r: edit(r / BILINGUAL / "en.md", "had arrived.", "had arrived, officials said."),
    "a sentence in a translation": lambda r: edit(r / BILINGUAL / "ru.md", "21 аппарат", "21 беспилотный аппарат"),
    "a figure only one language has": lambda r: edit(r / BILINGUAL / "en.md", "had arrived.", "had arrived, 40 more in May."),
    "a line added before the links": lambda r: edit(r / BILINGUAL / "en.md", "\n\n[[test-person]]", "\n\nA first line.\n\n[[test-person]]"),
    "a page's text": lambda r: edit(r / "content/pages/about/en.md", "\n\n", "\n\nA new first paragraph.\n\n"),
    "a draft's text": lambda r: edit(next((r / "content/briefings/draft-note").glob("*.md")), "\n\n", "\n\nA draft sentence.\n\n"),
    "two languages at once": lambda r: (edit(r / BILINGUAL / "en.md", "had arrived.", "had arrived, officials said."),
                                        edit(r / BILINGUAL / "ru.md", "21 аппарат", "21 беспилотный аппарат")),
}

ASSEMBLED = {  # not texts alone: the site is assembled again
    "a new link": lambda r: edit(r / BILINGUAL / "en.md", "had arrived.", "had arrived, says [[missile-y]]."),
    "a title": lambda r: edit(r / BILINGUAL / "ru.md", "title:", "title: 'Правка:' #"),
    "a link now a fact box": lambda r: edit(r / BILINGUAL / "en.md", "with a range of 300 km.", "with a range of 300 km.\n\n[[factbox:missile-y]]"),
    "a fact": lambda r: edit(r / "content/facts/weapons.yaml", "range_km: 1500", "range_km: 1750"),
    "a text and a fact": lambda r: (edit(r / BILINGUAL / "en.md", "had arrived.", "had arrived, officials said."),
                                    edit(r / "content/facts/weapons.yaml", "range_km: 1500", "range_km: 1750")),
}


@pytest.mark.parametrize("name, patched", [(name, True) for name in sorted(PATCHED)] + [(name, False) for name in sorted(ASSEMBLED)])
def test_the_kept_site_is_patched_when_only_texts_changed(root, walks, name, patched):
    incremental(root)
    walks.clear()
    (PATCHED if patched else ASSEMBLED)[name](root)
    result = incremental(root)
    assert (walks == []) == patched, "the site was assembled again" if patched else "the kept site was patched"
    assert_as_clean(root, result)


def test_edits_in_a_row_patch_and_assemble_as_needed(root, walks):
    incremental(root)
    steps = [("a sentence in an original", PATCHED), ("a page's text", PATCHED), ("a fact", ASSEMBLED),
             ("a sentence in a translation", PATCHED), ("a line added before the links", PATCHED)]
    for name, kind in steps:
        walks.clear()
        kind[name](root)
        result = incremental(root)
        assert bool(walks) == (kind is ASSEMBLED), name
        assert_as_clean(root, result)
    walks.clear()
    again = incremental(root)  # nothing changed: nothing done, the model read back when asked for
    assert (again.rendered, again.written) == (0, 0)
    assert again.site.documents == clean_build(root)[0].site.documents


def test_a_link_that_becomes_a_wrong_kind_of_embed_is_an_error(root):
    # The same ids mentioned (the meta fingerprint is unchanged), but the
    # references differ: [[factbox:...]] of a timeline is an error, which only
    # resolving the references finds.
    edit(root / BILINGUAL / "en.md", "concerns [[test-topic]].", "concerns [[test-topic]] and [[test-events]].")
    incremental(root)
    before = snapshot(root / "site")
    edit(root / BILINGUAL / "en.md", "with a range of 300 km.", "with a range of 300 km.\n\n[[factbox:test-events]]")
    with pytest.raises(ContentError) as caught:
        incremental(root)
    assert any("'test-events' in [[factbox:...]] is a timeline" in p.message for p in caught.value.problems)
    assert snapshot(root / "site") == before


def test_a_broken_front_matter_is_reported_not_patched(root):
    incremental(root)
    before = snapshot(root / "site")
    edit(root / BILINGUAL / "en.md", "title:", "title: [unclosed")
    with pytest.raises(ContentError) as caught:
        incremental(root)
    assert [p.path for p in caught.value.problems] == [f"{BILINGUAL}/en.md"]
    assert snapshot(root / "site") == before


def test_an_edited_original_makes_its_translation_outdated(tmp_path, walks):
    root, translated, before = translations_site(tmp_path)
    walks.clear()
    edit(root / "content/briefings/current/en.md", "\n\n", "\n\nA new first paragraph.\n\n")
    result = incremental(root)
    assert walks == []
    assert translated.read_bytes() != before  # the Russian page now says its original changed
    assert any("translation is outdated" in p.message and p.path.endswith("current/ru.md") for p in result.warnings)
    assert_as_clean(root, result)


@pytest.mark.parametrize("damage", ["deleted", "truncated", "from another build"])
def test_a_missing_or_stale_kept_site_means_assembling_again(root, walks, damage):
    cache = root / ".cache"
    incremental(root)
    older = (cache / "site.pickle").read_bytes()
    edit(root / "content/facts/weapons.yaml", "range_km: 1500", "range_km: 1750")
    incremental(root)  # a new kept site
    kept = cache / "site.pickle"
    if damage == "deleted":
        kept.unlink()
    elif damage == "truncated":
        kept.write_bytes(kept.read_bytes()[:1000])
    else:
        kept.write_bytes(older)  # the site before the fact edit: its range must not come back
    walks.clear()
    PATCHED["a sentence in an original"](root)
    result = incremental(root)
    assert walks, "a kept site that is not the record's own was used"
    assert_as_clean(root, result)


def test_the_kept_site_holds_no_texts(root):
    incremental(root)
    PATCHED["a sentence in an original"](root)
    incremental(root)
    kept = (root / ".cache" / "site.pickle").read_bytes() + (root / ".cache" / "site-patch.pickle").read_bytes()
    assert "had arrived".encode() not in kept and "прибыл".encode() not in kept
    _, (_, data) = pickle.loads((root / ".cache" / "site.pickle").read_bytes())
    assert b"Drone-X deliveries" in data  # titles are kept: only the Markdown texts are read back from the files


def test_the_kept_site_reads_back_as_the_site_built(root):
    from generator.cache import assembled
    result = incremental(root)
    _, (_, data) = pickle.loads((root / ".cache" / "site.pickle").read_bytes())
    kept = assembled.loads(data)
    assert kept.site == result.site  # every document equal, its text read from its file when compared
    assert sorted(map(str, kept.all_problems())) == sorted(map(str, result.warnings))
    in_group = kept.site.briefings[0].translations[0][1]
    assert any(doc is in_group for doc in kept.site.documents)  # one object, as in the site built
