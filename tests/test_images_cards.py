"""The social card drawn for a briefing without a lead image: 1200 x 630, its headline wrapped to fit, Cyrillic included."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from generator.images import cards

RU = "Патрушев прилетел в Тегеран: Москва присматривается к иранским баллистическим ракетам"
EN = "Patrushev flies to Tehran as Moscow eyes Iranian ballistic missiles"


def test_the_fonts_are_the_ones_the_code_names():
    # A new font file must come with a new FONT_FILES: that is how every card gets a new name.
    for name, digest in cards.FONT_FILES.items():
        assert cards.font_digest(name) == digest, name
    assert (cards.FONTS / "LICENSE").read_text(encoding="utf-8").count("Bitstream") > 3


def test_the_fonts_draw_every_letter_of_both_alphabets():
    from PIL import ImageDraw

    font = cards._font("DejaVuSans-Bold.ttf", 40)

    def drawn(text: str) -> bytes:
        im = Image.new("L", (60, 60))
        ImageDraw.Draw(im).text((5, 5), text, font=font, fill=255)
        return im.tobytes()
    missing = drawn("\ue000")  # a private-use character: the font's box for what it lacks
    assert drawn("中") == missing  # (DejaVu has no Chinese: the comparison sees a missing letter)
    for letter in set("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя" + "AZaz€«»—"):
        assert drawn(letter) != missing and any(drawn(letter)), letter


@pytest.mark.parametrize("headline", [RU, EN, "Short", "Слово " * 60, "x" * 300, "Supercalifragilistic" * 5 + " end"])
def test_the_headline_is_wrapped_to_fit(headline):
    size, lines = cards.layout(headline)
    font = cards._font("DejaVuSans-Bold.ttf", size)
    assert all(font.getlength(line) <= cards.SIZE[0] - 2 * cards.MARGIN for line in lines)
    assert len(lines) * round(size * 1.2) <= cards.HEADLINE_BOTTOM - cards.HEADLINE_TOP
    shown = " ".join(lines)
    if lines[-1].endswith("…"):  # only when even the smallest size cannot hold it
        assert size == cards.HEADLINE_SIZES[-1] and headline.replace(" ", "").startswith(shown[:-1].replace(" ", ""))
    else:
        assert shown.replace(" ", "") == headline.replace(" ", "")


def test_a_short_headline_is_large_and_a_long_one_smaller():
    assert cards.layout("Short")[0] == cards.HEADLINE_SIZES[0]
    assert cards.layout(RU)[0] < cards.HEADLINE_SIZES[0]


def test_the_card_shows_the_title_the_headline_and_the_address_in_their_colours():
    data = cards.card_bytes("Брифинги о поставках оружия", RU, "briefings.example.org")
    im = Image.open(io.BytesIO(data))
    assert (im.format, im.size) == ("PNG", (1200, 630))
    assert not im.info.get("exif") and not {"icc_profile", "xmp"} & set(im.info)
    rgb = im.convert("RGB")
    ink = {rgb.getpixel((x, y)) for x in range(cards.MARGIN, 1100, 2) for y in range(cards.HEADLINE_TOP, 540, 2)}
    assert (26, 26, 26) in ink  # the headline, in ink
    title = {rgb.getpixel((x, y)) for x in range(cards.MARGIN, 700, 2) for y in range(60, 110, 2)}
    assert (155, 28, 28) in title  # the site's title, in the accent colour
    assert rgb.getpixel((5, 5)) == (155, 28, 28) and rgb.getpixel((600, 140)) == (255, 253, 249)


def test_the_same_text_draws_the_same_bytes_and_the_name_follows_the_text():
    assert cards.card_bytes("T", RU, "h") == cards.card_bytes("T", RU, "h")
    path = cards.card_path("ru", "slug", "T", RU, "h")
    assert path.startswith("images/cards/ru-slug-") and path.endswith(".png")
    assert path == cards.card_path("ru", "slug", "T", RU, "h")
    assert len({path, cards.card_path("ru", "slug", "T", RU + "!", "h"), cards.card_path("ru", "slug", "T2", RU, "h"),
                cards.card_path("ru", "slug", "T", RU, "h2")}) == 4
