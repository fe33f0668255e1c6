"""Decoding and encoding one picture: every kind of file an editor may bring comes out as sRGB, in its colours."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from generator.images import encode, files, variants

COLOUR = (200, 100, 50)


def _picture(tmp_path, name: str, im, fmt: str, **options):
    path = tmp_path / name
    im.save(path, fmt, **options)
    return files.read_picture(path, f"content/images/{name}")


def _base(size=(800, 500)):
    return Image.new("RGB", size, COLOUR)


def _half_clear(mode: str):
    """``mode`` with transparency, its left half see-through."""
    im = _base().convert("RGBA")
    im.paste((0, 0, 0, 0), (0, 0, 400, 500))
    if mode == "P":
        return im.convert("RGB").quantize(4), {"transparency": im.convert("RGB").quantize(4).getpixel((0, 0))}
    return im.convert(mode), {}


GREY = round(0.299 * COLOUR[0] + 0.587 * COLOUR[1] + 0.114 * COLOUR[2])


@pytest.mark.parametrize("name, make, fmt, options, colour, alpha", [
    ("cmyk.jpg", lambda: _base().convert("CMYK"), "JPEG", {}, COLOUR, False),
    ("grey.jpg", lambda: _base().convert("L"), "JPEG", {}, (GREY,) * 3, False),
    ("grey16.png", lambda: Image.new("I;16", (400, 300), 30000), "PNG", {}, (117,) * 3, False),
    ("palette.png", lambda: _base().quantize(8), "PNG", {}, COLOUR, False),
    ("palette-transparent.png", lambda: _half_clear("P")[0], "PNG", _half_clear("P")[1], COLOUR, True),
    ("grey-alpha.png", lambda: _half_clear("LA")[0], "PNG", {}, (GREY,) * 3, True),
    ("rgba.webp", lambda: _half_clear("RGBA")[0], "WEBP", {"lossless": True}, COLOUR, True),
    ("one-bit.png", lambda: Image.new("1", (300, 200), 1), "PNG", {}, (255, 255, 255), False),
    ("srgb-profile.png", lambda: _base(), "PNG", {"icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()},
     COLOUR, False),
    ("animated.webp", lambda: _base(), "WEBP", {"save_all": True, "append_images": [Image.new("RGB", (800, 500))], "lossless": True},
     COLOUR, False),
])
def test_every_kind_of_picture_comes_out_in_its_colours(tmp_path, name, make, fmt, options, colour, alpha):
    picture = _picture(tmp_path, name, make(), fmt, **options)
    assert isinstance(picture, files.Picture), picture
    assert picture.alpha is alpha
    for variant in variants.variants(picture):
        im = Image.open(io.BytesIO(encode.variant_bytes(picture, variant)))
        assert im.size == (variant.width, variant.height) and "icc_profile" not in im.info
        assert im.mode == ("RGBA" if alpha else "RGB")
        right = (variant.width * 3 // 4, variant.height // 2)
        assert im.convert("RGB").getpixel(right) == pytest.approx(colour, abs=6), variant.path
        if alpha:
            assert im.getpixel((variant.width // 4, variant.height // 2))[3] == 0 and im.getpixel(right)[3] == 255


def test_a_picture_smaller_than_every_width_is_served_at_its_own(tmp_path):
    picture = _picture(tmp_path, "small.png", _base((250, 100)), "PNG")
    assert variants.widths(picture) == (250,)
    assert [(v.width, v.height, v.format) for v in variants.variants(picture)] == [(250, 100, "WEBP"), (250, 100, "JPEG")]


def test_a_large_picture_is_served_up_to_the_widest_width(tmp_path):
    picture = _picture(tmp_path, "large.jpg", _base((4000, 3000)), "JPEG")
    assert variants.widths(picture) == variants.WIDTHS
    assert variants.base_scale(picture) == variants.WIDTHS[-1] / 4000
    encode.base(picture)  # decoded once, at a fraction of its size (JPEG draft)
    assert encode.base(picture).size == (1440, 1080)


@pytest.mark.parametrize("size, focus, box", [
    ((1200, 1200), (0.5, 0.5), (0, 285, 1200, 915)),  # a square: a band across its middle
    ((1200, 1200), (0.5, 0.0), (0, 0, 1200, 630)),  # the focus at the top edge: the band at the top
    ((1200, 1200), (0.5, 1.0), (0, 570, 1200, 1200)),
    ((4000, 1000), (0.9, 0.5), (2095, 0, 4000, 1000)),  # a panorama: as wide a slice as its height allows, to the right
    ((1200, 630), (0.1, 0.9), (0, 0, 1200, 630)),  # already the card's shape: all of it
])
def test_the_card_crop_keeps_the_focus_point(size, focus, box):
    assert variants.crop_box(*size, focus) == box
    left, top, right, bottom = box
    assert left <= focus[0] * size[0] <= right and top <= focus[1] * size[1] <= bottom
    assert abs((right - left) / (bottom - top) - 1200 / 630) < 0.01
