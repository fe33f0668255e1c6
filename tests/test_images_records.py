"""Image records and the pictures texts place: read into the model, every mistake one positioned message.

Each case writes the picture site of ``pictures.py`` (a phone photo, a
transparent PNG, a briefing that shows both), makes one mistake and builds
it in-process: the build must fail (or warn) with exactly that
``path:line: message``, in words an editor can act on.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from pathlib import Path

import pytest

from generator.build import build
from generator.content.errors import ContentError
from mistakes import line_of, tree_digest
from pictures import BRIEFING_EN, IMAGES_YAML, photo, picture_site

IMAGES = "facts/images.yaml"
EN = "briefings/pictures/en.md"


def problems_of(content: Path, strict: bool = False) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a build of ``content`` that writes nothing."""
    try:
        result = build(content, None, strict=strict)
    except ContentError as error:
        return [str(p) for p in error.problems], []
    return [], [str(w) for w in result.warnings]


def replace(content: Path, rel: str, old: str, new: str) -> None:
    text = (content / rel).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    (content / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


def only_error(content: Path, rel: str, at: str | None, words: str) -> str:
    errors, _ = problems_of(content)
    where = f"content/{rel}" + (f":{line_of(content, rel, at)}" if at is not None else "")
    assert len(errors) == 1, "\n".join(errors)
    assert errors[0].startswith(where + ": "), f"expected {where}: ..., got {errors[0]}"
    assert words in errors[0], errors[0]
    return errors[0]


def test_records_are_read_with_their_pictures(tmp_path):
    site = build(picture_site(tmp_path), None).site
    photo_record = site.images["photo"]
    # Stored 900 x 600 on its side (EXIF orientation 6): shown 600 x 900.
    assert (photo_record.picture.width, photo_record.picture.height, photo_record.picture.format) == (600, 900, "JPEG")
    assert photo_record.alt.get("ru") == "Четыре цветных квадрата" and photo_record.credit.get("en") == "Test Agency"
    assert photo_record.license == "https://creativecommons.org/licenses/by/4.0/" and photo_record.focus == (0.25, 0.25)
    assert photo_record.path == "content/facts/images.yaml" and photo_record.picture.source == "content/images/photo.jpg"
    assert site.images["logo"].picture.alpha and not photo_record.picture.alpha
    assert site.images["logo"].focus == (0.5, 0.5)
    assert sorted(site.pictures) == ["logo.png", "photo.jpg"]
    assert site.entities["drone-x"].image == "logo"
    assert {d.lang: d.image for d in site.documents if d.slug == "pictures"} == {"en": "photo", "ru": "photo"}


def test_a_file_no_record_or_text_uses_is_neither_published_nor_an_error(tmp_path):
    content = picture_site(tmp_path, {"images/spare.png": b"not even a picture", "images/notes.txt": "credits to check\n"})
    result = build(content, tmp_path / "site")
    assert not result.warnings
    assert sorted(result.site.pictures) == ["logo.png", "photo.jpg"]
    assert not any("spare" in path or "notes" in path for path in result.files)


@pytest.mark.parametrize("name, rel, old, new, at, words", [
    ("a missing file", IMAGES, "file: logo.png", "file: gone.png", "file: gone.png",
     "no picture 'gone.png' in content/images/"),
    ("a name that differs in letter case", IMAGES, "file: logo.png", "file: Logo.png", "file: Logo.png",
     "no picture 'Logo.png' in content/images/ (there is logo.png)"),
    ("a file in a folder", IMAGES, "file: logo.png", "file: images/logo.png", "file: images/logo.png",
     "without folders: write 'logo.png'"),
    ("an unknown image id in front matter", EN, "image: photo", "image: nope", "image: nope",
     "unknown image 'nope' in 'image'"),
    ("an unknown image id in a figure", EN, "[[image:logo]]", "[[image:nope]]", "[[image:nope]]",
     "unknown image 'nope' in [[image:...]]"),
    ("an unknown image id in a fact record", "facts/weapons.yaml", "image: logo", "image: nope", "image: nope",
     "unknown image 'nope' in 'image' of weapon 'drone-x'"),
    ("a weapon id as an image", EN, "image: photo", "image: drone-x", "image: drone-x",
     "'drone-x' in 'image' is a weapon, not an image"),
    ("an image inline", EN, "First paragraph.", "First [[logo]] paragraph.", "First [[logo]]",
     "is an image: a picture is placed as a paragraph of its own, [[image:logo]]"),
    ("a figure inside a paragraph", EN, "[[image:logo]]\n", "See [[image:logo]]\n", "See [[image:logo]]",
     "[[image:logo]] must stand alone in its own paragraph"),
    ("a missing alt", IMAGES, "  alt: {en: A red disc, ru: Красный круг}\n", "", "logo:",
     "image 'logo' needs an 'alt' field: a sentence saying what the picture shows"),
    ("an empty alt", IMAGES, "alt: {en: A red disc, ru: Красный круг}", "alt:", "alt:\n  credit: {en: Test desk",
     "'alt' is empty"),
    ("alt without the default language", IMAGES, "alt: {en: A red disc, ru: Красный круг}", "alt: {ru: Красный круг}",
     "alt: {ru: Красный круг}", "has no 'en' text: the default language is required"),
    ("a missing credit", IMAGES, "  credit: Test Agency\n", "", "photo:", "image 'photo' needs a 'credit' field"),
    ("a licence that is no address", IMAGES, "license: https://creativecommons.org/licenses/by/4.0/", "license: CC BY",
     "license: CC BY", "'license' must be an absolute http(s) address"),
    ("a focus outside the picture", IMAGES, "focus: [0.25, 0.25]", "focus: [1.5, 0.25]", "focus: [1.5",
     "'focus' must be two numbers from 0 to 1"),
    ("an empty Markdown alt", EN, "![A red disc on nothing](logo.png)", "![](logo.png)", "![](logo.png)",
     "the picture 'logo.png' has no alt text"),
    ("a Markdown picture of no file", EN, "](logo.png)", "](nowhere.png)", "](nowhere.png)",
     "no picture 'nowhere.png' in content/images/"),
    ("a Markdown picture in a folder", EN, "](logo.png)", "](../images/logo.png)", "](../images/logo.png)",
     "pictures are files directly in content/images/"),
    ("a Markdown picture of another type", EN, "](logo.png)", "](logo.gif)", "](logo.gif)",
     "a picture must be a .jpg, .jpeg, .png or .webp file"),
])
def test_a_mistake_is_one_message_at_its_line(tmp_path, name, rel, old, new, at, words):
    content = picture_site(tmp_path)
    replace(content, rel, old, new)
    only_error(content, rel, at, words)


def _bomb() -> bytes:
    """A PNG that says it is 40,000 x 40,000 pixels, in 200 KB: its pixel data is all zeros, compressed."""
    width = height = 40_000
    row = b"\x00" * (1 + width // 8)  # a filter byte, then one bit per pixel
    squeeze = zlib.compressobj(9)
    data = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])  # 1 bit, greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _gif() -> bytes:
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, words", [
    ("a text file", b"these are notes, not a picture\n", "is not a JPEG, PNG or WebP picture"),
    ("a GIF named .png", _gif(), "is not a JPEG, PNG or WebP picture"),
    ("an empty file", b"", "is not a JPEG, PNG or WebP picture"),
    ("a decompression bomb", _bomb(), "decompression bomb"),
])
def test_a_file_that_is_no_usable_picture_is_an_error_where_it_is_named(tmp_path, name, data, words):
    content = picture_site(tmp_path, {"images/logo.png": data})
    errors, _ = problems_of(content)
    # Named twice: where a text places it and where a record names it.
    assert len(errors) == 2, errors
    reason = errors[0].split("content/images/logo.png ", 1)[1]
    assert errors == [f"content/{EN}:{line_of(content, EN, '](logo.png)')}: content/images/logo.png {reason}",
                      f"content/{IMAGES}:{line_of(content, IMAGES, 'file: logo.png')}: content/images/logo.png {reason}"]
    assert words in reason


def test_a_picture_cut_short_stops_the_build_and_keeps_the_last_site(tmp_path):
    content = picture_site(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    before = tree_digest(out)
    whole = photo(orientation=6)
    (content / "images" / "photo.jpg").write_bytes(whole[: len(whole) // 2])  # its header is whole: read at decoding
    with pytest.raises(ContentError) as raised:
        build(content, out, cache=tmp_path / "cache")
    messages = [str(p) for p in raised.value.problems]
    assert len(messages) == 1 and messages[0].startswith("content/images/photo.jpg: cannot be decoded"), messages
    assert "export it again" in messages[0]
    assert tree_digest(out) == before


def test_every_mistake_of_a_run_is_reported(tmp_path):
    content = picture_site(tmp_path, {"images/logo.png": b"junk"})
    replace(content, IMAGES, "  credit: Test Agency\n", "")
    replace(content, EN, "image: photo", "image: nope")
    replace(content, EN, "![A red disc on nothing]", "![ ]")
    errors, _ = problems_of(content)
    assert len(errors) == 5, "\n".join(errors)
    assert [e.split(":", 1)[0] for e in errors] == [f"content/{EN}"] * 3 + [f"content/{IMAGES}"] * 2


def test_a_missing_translation_of_alt_is_a_warning_and_an_error_under_strict(tmp_path):
    content = picture_site(tmp_path)
    replace(content, IMAGES, "alt: {en: A red disc, ru: Красный круг}", "alt: {en: A red disc}")
    line = line_of(content, IMAGES, "alt: {en: A red disc}")
    errors, warnings = problems_of(content)
    assert not errors
    assert warnings == [f"content/{IMAGES}:{line}: warning: missing 'ru' translation of 'alt' of image 'logo': 'en' is shown instead"]
    errors, _ = problems_of(content, strict=True)
    assert errors == [f"content/{IMAGES}:{line}: missing 'ru' translation of 'alt' of image 'logo': 'en' is shown instead (an error under --strict)"]


def test_a_picture_on_another_site_is_a_warning_and_an_error_under_strict(tmp_path):
    content = picture_site(tmp_path)
    replace(content, EN, "](logo.png)", "](https://cdn.example.com/disc.png)")
    line = line_of(content, EN, "https://cdn.example.com")
    errors, warnings = problems_of(content)
    assert not errors and len(warnings) == 1
    assert warnings[0].startswith(f"content/{EN}:{line}: warning: the picture https://cdn.example.com/disc.png is on another site")
    assert "save it in content/images/" in warnings[0]
    errors, _ = problems_of(content, strict=True)
    assert len(errors) == 1 and errors[0].endswith("(an error under --strict)")


def test_reference_style_pictures_are_checked_too(tmp_path):
    content = picture_site(tmp_path)
    replace(content, EN, "![A red disc on nothing](logo.png)", "![][disc]\n\n[disc]: missing.png")
    errors, _ = problems_of(content)
    line = line_of(content, EN, "![][disc]")
    assert errors == [f"content/{EN}:{line}: no picture 'missing.png' in content/images/: put the file there, or correct the name (letter case counts)",
                      f"content/{EN}:{line}: the picture 'missing.png' has no alt text: say what it shows between the brackets, "
                      "such as ![A map of the route](map.png) (screen readers read it out)"]


def test_pictures_in_code_are_left_alone(tmp_path):
    content = picture_site(tmp_path)
    replace(content, EN, "First paragraph.", "First `![](nothing.png)` paragraph.\n\n```\n![](nothing.png)\n```")
    assert problems_of(content) == ([], [])


def test_a_picture_in_an_event_text_is_an_error(tmp_path):
    content = picture_site(tmp_path, {"timelines/events.yaml": (
        "title: Events\nevents:\n  - date: 2023-01-01\n    title: One\n    text: {en: 'Look ![a disc](logo.png)', ru: Смотрите}\n")})
    errors, _ = problems_of(content)
    assert errors == ["content/timelines/events.yaml:5: a picture cannot be placed in the text of event 1: pictures go in "
                      "the text of a briefing or page (![alt](file) or [[image:id]])"]


def test_a_record_no_page_shows_is_checked_all_the_same(tmp_path):
    content = picture_site(tmp_path, {"facts/images.yaml": IMAGES_YAML + "spare:\n  file: nowhere.png\n  alt: x\n  credit: y\n"})
    errors, _ = problems_of(content)
    assert errors == [f"content/{IMAGES}:{line_of(content, IMAGES, 'file: nowhere.png')}: no picture 'nowhere.png' in content/images/: "
                      "put the file there, or correct the name (letter case counts)"]


def test_image_ids_are_fact_ids(tmp_path):
    content = picture_site(tmp_path, {"facts/people.yaml": "logo:\n  name: Someone\n"})
    errors, _ = problems_of(content)
    line = line_of(content, IMAGES, "logo:")
    assert f"content/{IMAGES}:{line}: id 'logo' is already used in content/facts/people.yaml:1: fact ids must be unique across all fact files" in errors


def test_the_images_yaml_of_the_contract_reads(tmp_path):
    """The example record of the shared contract, as written there."""
    from pictures import plain_png
    content = picture_site(tmp_path, {
        "images/alabuga-satellite.jpg": photo(),
        "facts/images.yaml": IMAGES_YAML + (
            "alabuga-satellite:\n"
            "  file: alabuga-satellite.jpg\n"
            "  alt: {en: Factory halls seen from above, ru: Цеха завода сверху}\n"
            "  caption: {en: The plant in 2023, ru: Завод в 2023 году}\n"
            "  credit: Planet Labs PBC\n"
            "  license: https://creativecommons.org/licenses/by/4.0/\n"
            "  focus: [0.5, 0.35]\n"),
        "briefings/pictures/en.md": BRIEFING_EN.replace("image: photo", "image: alabuga-satellite"),
        "images/unused.png": plain_png((20, 20)),
    })
    site = build(content, None).site
    assert site.images["alabuga-satellite"].focus == (0.5, 0.35)
    assert site.images["alabuga-satellite"].credit.get("ru") == "Planet Labs PBC"


def test_only_pictures_a_published_page_shows_are_published(tmp_path):
    from pictures import plain_png
    content = picture_site(tmp_path, {
        "images/unused.png": plain_png((400, 300)),
        "images/scoop.png": plain_png((400, 300), colour=(10, 20, 30)),
        "images/scoop-lead.png": plain_png((400, 300), colour=(30, 20, 10)),
        "facts/images.yaml": IMAGES_YAML + "unused:\n  file: unused.png\n  alt: Nothing\n  credit: Desk\n"
                                          "scoop-lead:\n  file: scoop-lead.png\n  alt: A scoop\n  credit: Desk\n",
        "briefings/scoop/en.md": "---\ntitle: Not out yet\ndate: 2023-04-01\ndraft: true\nimage: scoop-lead\n---\n\n"
                                 "![The scoop](scoop.png)\n\n[[image:unused]]\n",
    })
    result = build(content, tmp_path / "site")
    assert sorted(result.site.pictures) == ["logo.png", "photo.jpg"]
    assert sorted(result.site.images) == ["logo", "photo"]  # (every record is checked all the same: above)
    assert [r["id"] for r in json.loads(result.files["data/images.json"])["records"]] == ["logo", "photo"]
    assert not any(re.search(r"unused|scoop", path) for path in result.files)
    # Published, the briefing brings its pictures along.
    replace(content, "briefings/scoop/en.md", "draft: true\n", "")
    names = set(build(content, None).files)
    assert {p.split("-")[0] for p in names if p.startswith("images/") and "cards" not in p} == {
        "images/logo", "images/photo", "images/scoop", "images/unused"}
