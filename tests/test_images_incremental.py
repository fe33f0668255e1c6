"""Pictures and the incremental build: a build where no picture changed encodes nothing and rewrites no picture file.

Encoding is counted in this process (``encode.ENCODED``: the builds here
render in one process); whether a file was rewritten is seen from its
modification time and inode. Every cached build is compared with a clean
build of the same content, byte for byte.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.build import build
from generator.images.encode import ENCODED
from pictures import photo, picture_site

from tests.helpers import edit, snapshot


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (os.stat(p).st_mtime_ns, os.stat(p).st_ino)
            for p in sorted((site / "images").rglob("*")) if p.is_file()}


def encodes(step) -> tuple[int, object]:
    before = ENCODED["count"]
    result = step()
    return ENCODED["count"] - before, result


def test_builds_where_no_picture_changed_encode_nothing_and_rewrite_no_picture_file(tmp_path):
    content = picture_site(tmp_path)
    out, cache = tmp_path / "site", tmp_path / "cache"
    count, first = encodes(lambda: build(content, out, cache=cache))
    pictures = {p for p in first.files if p.startswith("images/")}
    assert count == len(pictures) >= 10  # every width, format and card: once each
    before = stamps(out)

    count, result = encodes(lambda: build(content, out, cache=cache))  # nothing changed at all
    assert (count, result.rendered, result.written) == (0, 0, 0)
    assert stamps(out) == before

    edit(content / "briefings" / "pictures" / "en.md", "First paragraph.", "First paragraph, edited.")
    count, result = encodes(lambda: build(content, out, cache=cache))  # a text
    assert count == 0 and result.rendered >= 1 and result.written >= 1
    assert stamps(out) == before

    edit(content / "facts" / "images.yaml", "caption: {en: A test photo", "caption: {en: A photo for the tests")
    edit(content / "facts" / "weapons.yaml", "name: Drone-X", "name: Drone-X2")
    count, result = encodes(lambda: build(content, out, cache=cache))  # an image record's text, a fact: the model again
    assert count == 0 and result.written >= 2
    assert "A photo for the tests" in (out / "en" / "briefings" / "pictures" / "index.html").read_text(encoding="utf-8")
    assert stamps(out) == before

    assert snapshot(out) == snapshot(_clean(content, tmp_path))


def test_a_changed_picture_encodes_its_own_files_only(tmp_path):
    content = picture_site(tmp_path)
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(content, out, cache=cache)
    before = stamps(out)
    (content / "images" / "photo.jpg").write_bytes(photo(size=(1000, 700), orientation=6))
    count, result = encodes(lambda: build(content, out, cache=cache))
    after = stamps(out)
    new = sorted(set(after) - set(before))
    assert new and all(p.startswith("images/photo-") for p in new)
    assert count == len(new)  # the photo's widths, formats and card; nothing else
    assert not any(p.startswith("images/photo-") for p in set(before) & set(after))  # the old ones are gone
    assert {p: s for p, s in after.items() if not p.startswith("images/photo-")} == {
        p: s for p, s in before.items() if not p.startswith("images/photo-")}
    assert snapshot(out) == snapshot(_clean(content, tmp_path))


def test_a_new_focus_point_makes_a_new_card_only(tmp_path):
    content = picture_site(tmp_path)
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(content, out, cache=cache)
    edit(content / "facts" / "images.yaml", "focus: [0.25, 0.25]", "focus: [0.75, 0.9]")
    count, result = encodes(lambda: build(content, out, cache=cache))
    assert count == 1
    assert snapshot(out) == snapshot(_clean(content, tmp_path))


def test_a_new_headline_draws_a_new_card(tmp_path):
    content = picture_site(tmp_path)
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(content, out, cache=cache)
    cards = {p for p in stamps(out) if p.startswith("images/cards/")}
    edit(content / "briefings" / "plain" / "en.md", "a briefing without a lead image", "a briefing still without a picture")
    count, _ = encodes(lambda: build(content, out, cache=cache))
    assert count == 1
    now = {p for p in stamps(out) if p.startswith("images/cards/")}
    assert len(now) == len(cards) == 1 and now != cards
    assert snapshot(out) == snapshot(_clean(content, tmp_path))


def _clean(content: Path, tmp_path: Path) -> Path:
    out = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
    build(content, out)
    return out


def test_the_preview_does_not_encode_again_on_a_text_save(tmp_path):
    from generator.serve.server import build_once
    content = picture_site(tmp_path)
    out = tmp_path / "preview"
    first, kept = build_once(content, out)
    assert not first.errors and first.written > 10
    edit(content / "briefings" / "pictures" / "en.md", "First paragraph.", "First paragraph, saved again.")
    count, (outcome, _) = encodes(lambda: build_once(content, out, keep=kept))
    assert count == 0 and not outcome.errors and outcome.rendered >= 1
    assert "saved again" in (out / "en" / "briefings" / "pictures" / "index.html").read_text(encoding="utf-8")


def test_a_new_pillow_gives_pictures_new_names_and_no_page_names_a_missing_file(tmp_path, monkeypatch):
    """A picture's version holds the encoders' versions: it lives in the model, so pages and files move together."""
    from generator.images import files, variants
    content = picture_site(tmp_path)
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(content, out, cache=cache)
    old = {p for p in stamps(out) if not p.startswith("images/cards/")}
    monkeypatch.setattr(variants, "encoders", lambda: "Pillow 99.0 (as if upgraded)")
    monkeypatch.setattr(files, "_known", {})  # a new Pillow is a new process: nothing remembered
    edit(content / "briefings" / "pictures" / "en.md", "First paragraph.", "First paragraph, after the upgrade.")
    build(content, out, cache=cache)  # a text alone: the last build's site, its pictures as they were named
    assert_every_named_picture_exists(out)
    edit(content / "facts" / "images.yaml", "caption: {en: A test photo", "caption: {en: The test photo")
    build(content, out, cache=cache)  # the model again: new versions, new names, and the pages that name them
    new = {p for p in stamps(out) if not p.startswith("images/cards/")}
    assert new and not new & old
    assert_every_named_picture_exists(out)
    assert snapshot(out) == snapshot(_clean(content, tmp_path))


def assert_every_named_picture_exists(site: Path) -> None:
    named = set()
    for page in site.rglob("*.html"):
        named |= set(re.findall(r"/news/(images/[^\s\"]+)", page.read_text(encoding="utf-8")))
    assert named and all((site / path).is_file() for path in named), sorted(p for p in named if not (site / p).is_file())
