"""The pictures of a built site: re-encoded without metadata, oriented, in every width and format, shown right.

The site is the picture site of ``pictures.py``: a phone photo stored on
its side that carries a GPS position, a camera serial number, XMP and
IPTC; a transparent PNG; a briefing that shows both (lead image, figure,
a picture its text places), a weapon with a picture, and a briefing
without a lead image (its social card is drawn).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from PIL import Image, IptcImagePlugin

from generator.build import build
from generator.images import variants
from pictures import GPS_LATITUDE, IPTC_MARKER, QUARTERS, SERIAL, XMP_MARKER, photo, picture_site

BASE = "https://example.org/news/"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("pictures")
    content = picture_site(root)
    build(content, root / "site")
    return content, root / "site"


def files_under(site: Path, folder: str = "images") -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / folder).rglob("*")) if p.is_file()}


def page(site: Path, route: str):
    # (libxml2's HTML parser knows no <source> element: it keeps the <img> after one inside it, hence the // below.)
    return lxml.html.fromstring((site / route / "index.html").read_bytes())


def test_the_photo_carries_everything_it_must_not_pass_on(tmp_path):
    """The test photo is what it claims: otherwise the next test would pass for nothing."""
    im = Image.open(io.BytesIO(photo(orientation=6)))
    exif = im.getexif()
    assert exif.get_ifd(0x8825)[2] == GPS_LATITUDE and exif.get_ifd(0x8769)[0xA431] == SERIAL and exif[0x0112] == 6
    assert XMP_MARKER.encode() in im.info["xmp"]
    assert IptcImagePlugin.getiptcinfo(im)[(2, 80)] == IPTC_MARKER


def test_no_output_file_carries_exif_gps_serials_iptc_or_xmp(built):
    _, site = built
    pictures = files_under(site)
    assert len(pictures) >= 9
    for path, data in pictures.items():
        for marker in (SERIAL.encode(), XMP_MARKER.encode(), IPTC_MARKER, b"TestCam", b"Model X", b"Exif\x00\x00", b"Photoshop 3.0",
                       b"http://ns.adobe.com/xap/", b"adobe:ns:meta"):
            assert marker not in data, f"{path} holds {marker!r}"
        im = Image.open(io.BytesIO(data))
        assert not im.getexif(), f"{path} has EXIF"
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "photoshop", "icc_profile", "comment"} & set(im.info), (path, im.info.keys())
        if im.format == "JPEG":
            assert [name for name, _ in im.applist] == ["APP0"], (path, im.applist)  # JFIF only: no APP1 (EXIF, XMP), APP13 (IPTC)
        if im.format == "WEBP":
            assert data[12:16] in (b"VP8 ", b"VP8L", b"VP8X") and b"EXIF" not in data and b"XMP " not in data
        if im.format == "PNG":
            assert not re.search(rb"eXIf|iTXt|tEXt|zTXt", data), path


def test_the_photo_is_turned_as_its_exif_says(built):
    _, site = built
    (largest,) = [p for p in files_under(site) if re.search(r"photo-\w+-600\.jpg$", p)]
    im = Image.open(site / largest).convert("RGB")
    assert im.size == (600, 900)  # stored 900 x 600, orientation 6: a quarter turn clockwise
    # The stored top left (red) is now top right; the stored bottom left (blue) is now top left.
    expected = {(150, 225): QUARTERS[2], (450, 225): QUARTERS[0], (150, 675): QUARTERS[3], (450, 675): QUARTERS[1]}
    for xy, colour in expected.items():
        assert all(abs(a - b) < 20 for a, b in zip(im.getpixel(xy), colour)), (xy, im.getpixel(xy), colour)


def test_every_width_in_webp_and_a_fallback_never_wider_than_the_original(built):
    content, site = built
    pictures = build(content, None).site.pictures
    names = files_under(site)
    for picture in pictures.values():
        expected = variants.variants(picture)
        assert {v.path for v in expected} <= set(names)
        assert max(v.width for v in expected) == min(picture.width, variants.WIDTHS[-1])
        for v in expected:
            im = Image.open(io.BytesIO(names[v.path]))
            assert (im.format, im.size) == (v.format, (v.width, v.height))
            assert v.width <= picture.width
    assert {Image.open(io.BytesIO(names[v.path])).format for v in variants.variants(pictures["photo.jpg"])} == {"WEBP", "JPEG"}


def test_transparency_is_kept(built):
    content, site = built
    logo = build(content, None).site.pictures["logo.png"]
    for v in variants.variants(logo):
        im = Image.open(site / v.path)
        assert v.format in ("WEBP", "PNG")
        assert im.convert("RGBA").getpixel((2, 2))[3] == 0, v.path  # the corner stays see-through
        assert im.convert("RGBA").getpixel((v.width // 2, v.height // 2))[3] == 255


def test_every_img_has_width_height_and_alt_and_only_the_lead_image_loads_eagerly(built):
    _, site = built
    for route in ("en/briefings/pictures/", "ru/briefings/pictures/", "en/", "ru/", "en/weapons/drone-x/", "en/briefings/plain/"):
        for img in page(site, route).iter("img"):
            assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), (route, img.attrib)
            assert img.get("alt"), (route, img.attrib)
            src = img.get("src")
            assert src.startswith("/news/images/") and (site / src.removeprefix("/news/")).is_file()
            lead = bool(img.xpath("ancestor::figure[contains(@class, 'lead-image')]"))
            assert (img.get("loading") == "lazy") is not lead and (img.get("fetchpriority") == "high") is lead


def test_the_briefing_shows_its_lead_image_figure_and_placed_picture(built):
    _, site = built
    en = page(site, "en/briefings/pictures/")
    (lead,) = en.xpath("//figure[contains(@class, 'lead-image')]")
    assert lead.xpath("string(.//figcaption)").split() == "A test photo Image: Test Agency (licence)".split()
    assert lead.xpath(".//a[@rel='license']/@href") == ["https://creativecommons.org/licenses/by/4.0/"]
    sources = lead.xpath(".//source")
    assert [s.get("type") for s in sources] == ["image/webp"]
    assert [w.split()[-1] for w in sources[0].get("srcset").split(", ")] == ["320w", "600w"]
    assert sources[0].get("sizes") == lead.xpath(".//img/@sizes")[0]
    (figure,) = en.xpath("//div[@class='briefing-body']/figure")
    assert figure.xpath("string(.//img/@alt)") == "A red disc"
    assert figure.xpath("string(.//figcaption)").split() == ["Image:", "Test", "desk"]
    (placed,) = en.xpath("//div[@class='briefing-body']/p//picture//img")
    assert placed.get("alt") == "A red disc on nothing" and placed.get("src").endswith(".png")
    # The Russian page: its language's texts.
    ru = page(site, "ru/briefings/pictures/")
    assert ru.xpath("string(//figure[contains(@class, 'lead-image')]//img/@alt)") == "Четыре цветных квадрата"
    assert ru.xpath("string(//div[@class='briefing-body']/figure//figcaption)").split() == ["Изображение:", "Тестовая", "редакция"]


def test_lists_show_thumbnails_and_fact_boxes_their_picture(built):
    _, site = built
    home = page(site, "en/")
    items = {li.xpath("string(.//h2)"): li for li in home.xpath("//li[contains(@class, 'briefing-item')]")}
    assert items["A briefing with pictures"].xpath(".//div[@class='thumbnail']//img/@src")[0].endswith("-320.jpg")
    assert not items["Без картинки: a briefing without a lead image"].xpath(".//img")
    box = page(site, "en/weapons/drone-x/").xpath("//aside[contains(@class, 'factbox')]")[0]
    assert box.xpath("string(.//div[@class='factbox-image']//img/@alt)") == "A red disc"
    assert box.xpath("string(.//p[@class='credit'])").split() == ["Image:", "Test", "desk"]


def _meta(root) -> tuple[dict, dict, dict]:
    properties = {m.get("property"): m.get("content") for m in root.xpath("//meta[@property]")}
    names = {m.get("name"): m.get("content") for m in root.xpath("//meta[@name]")}
    data = json.loads(root.xpath("string(//script[@type='application/ld+json'])"))
    return properties, names, data


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_lead_image_is_the_social_image_cropped_around_its_focus(built, lang):
    _, site = built
    properties, names, data = _meta(page(site, f"{lang}/briefings/pictures/"))
    url = properties["og:image"]
    assert url.startswith(BASE + "images/photo-") and names["twitter:image"] == url and names["twitter:card"] == "summary_large_image"
    assert (properties["og:image:width"], properties["og:image:height"]) == ("1200", "630")
    assert properties["og:image:alt"] == {"en": "Four coloured squares", "ru": "Четыре цветных квадрата"}[lang]
    card = Image.open(site / url.removeprefix(BASE)).convert("RGB")
    assert card.size == (1200, 630)
    # Focus [0.25, 0.25] of the 600 x 900 picture: the crop is its top, so the blue top-left quarter is in it, the bottom is not.
    assert card.getpixel((10, 10)) == pytest.approx(QUARTERS[2], abs=20) and card.getpixel((1190, 620)) == pytest.approx(QUARTERS[0], abs=20)
    image = data["image"]
    assert image["@type"] == "ImageObject" and image["contentUrl"] == url and (image["width"], image["height"]) == (1200, 630)
    assert image["creditText"] == "Test Agency" and image["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert image["caption"] == {"en": "A test photo", "ru": "Тестовое фото"}[lang]


def test_a_briefing_without_a_lead_image_gets_a_card_drawn_for_it(built):
    _, site = built
    properties, names, data = _meta(page(site, "en/briefings/plain/"))
    url = properties["og:image"]
    assert url.startswith(BASE + "images/cards/en-plain-") and url.endswith(".png")
    card = Image.open(site / url.removeprefix(BASE))
    assert card.size == (1200, 630) and card.format == "PNG"
    assert properties["og:image:alt"] == "Без картинки: a briefing without a lead image"
    assert data["image"]["contentUrl"] == url and data["image"]["creditText"] == "Test"


def scripts_of(site: Path, route: str) -> int:
    """The bytes of the scripts a page loads (the search page's and Pagefind's are not a briefing's)."""
    base = urlsplit(BASE).path
    return sum((site / src.removeprefix(base)).stat().st_size for src in page(site, route).xpath("//script/@src"))


def test_a_briefing_page_stays_light(built):
    _, site = built
    for lang in ("en", "ru"):
        html = (site / lang / "briefings" / "pictures" / "index.html").stat().st_size
        css = sum(p.stat().st_size for p in (site / "assets").glob("*.css"))
        scripts = scripts_of(site, f"{lang}/briefings/pictures/")
        assert html + css + scripts < 100_000


def test_the_same_input_builds_the_same_pictures(built, tmp_path):
    content, site = built
    again = tmp_path / "again"
    build(content, again, jobs=2)  # in two processes, too
    assert files_under(again) == files_under(site)


def test_names_change_when_the_bytes_change(tmp_path):
    content = picture_site(tmp_path)
    # (The search index changes too, with the pages: it is not a picture's.)
    before = set(build(content, None, search_index=False).files)
    (content / "images" / "photo.jpg").write_bytes(photo(size=(1000, 700), orientation=6))
    after = set(build(content, None, search_index=False).files)
    changed = {p for p in before ^ after}
    assert changed and all(p.startswith("images/photo-") for p in changed), changed
    assert {p for p in before if p.startswith("images/logo-")} == {p for p in after if p.startswith("images/logo-")}


def test_the_sample_briefing_has_its_pictures_and_stays_light(sample_site):
    for lang in ("en", "ru"):
        root = page(sample_site, f"{lang}/briefings/patrushev-tehran-visit/")
        assert root.xpath("//figure[contains(@class, 'lead-image')]//img/@src")
        assert len(root.xpath("//div[@class='briefing-body']//figure[@class='figure']")) == 1  # (and a range map)
        html = (sample_site / lang / "briefings" / "patrushev-tehran-visit" / "index.html").stat().st_size
        css = sum(p.stat().st_size for p in (sample_site / "assets").glob("*.css"))
        scripts = sum((sample_site / src.removeprefix("/")).stat().st_size
                      for src in root.xpath("//script/@src"))  # the scripts the page loads
        assert html + css + scripts < 100_000, (html, css, scripts)


def test_a_site_social_image_stands_in_for_the_drawn_cards(tmp_path):
    from generator.content.errors import ContentError
    from tests.helpers import SITE_YAML
    content = picture_site(tmp_path, {"site.yaml": SITE_YAML + "social_image: photo\n"})
    build(content, tmp_path / "site")
    properties, names, data = _meta(page(tmp_path / "site", "en/briefings/plain/"))
    url = properties["og:image"]
    assert url.startswith(BASE + "images/photo-") and names["twitter:image"] == url
    assert properties["og:image:alt"] == "Four coloured squares" and data["image"]["creditText"] == "Test Agency"
    assert not (tmp_path / "site" / "images" / "cards").exists()  # no card drawn for any page
    lead = _meta(page(tmp_path / "site", "en/briefings/pictures/"))[0]["og:image"]
    assert lead == url  # the same picture, and the same crop, as the lead image's
    (content / "site.yaml").write_text(SITE_YAML + "social_image: nowhere\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content, tmp_path / "site")
    assert [str(p) for p in caught.value.problems] == [
        "content/site.yaml:5: unknown image 'nowhere' in 'social_image': no such id in content/facts"]
