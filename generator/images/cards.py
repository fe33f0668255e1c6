"""The social card of a briefing without a lead image: the site's title and the headline, drawn with Pillow.

1200 x 630 pixels (what Open Graph and X show best), in the page's
language: the headline is set as large as it fits, wrapped word by word by
the width Pillow measures, and shortened with an ellipsis only if even the
smallest size cannot hold it. The fonts ship with the package (DejaVu
Sans, which covers Latin, Cyrillic and Greek; ``fonts/LICENSE``): nothing
is fetched, and the same text always gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from .variants import FOLDER

FONTS = Path(__file__).resolve().parent / "fonts"
# The fonts' hashes, checked by a test: a new font file is a change of this module,
# which the build's code fingerprint sees (every page is made again).
FONT_FILES = {
    "DejaVuSans-Bold.ttf": "1c8ddf2db8a67a1e4697d93cfb7001cb",
    "DejaVuSans.ttf": "36b15715a818886d1443d82345087e07",
}
SIZE = (1200, 630)
MARGIN = 80
PAPER, INK, ACCENT, MUTED, RULE = "#fffdf9", "#1a1a1a", "#9b1c1c", "#595959", "#d9d4ca"
HEADLINE_SIZES = tuple(range(76, 39, -4))  # the largest that fits is used
HEADLINE_TOP, HEADLINE_BOTTOM = 150, 540
LAYOUT = "2026-12-2"  # any change to the drawing below changes this: every card gets a new name


@functools.cache
def _font(name: str, size: int):
    from PIL import ImageFont
    # The basic layout: the same glyph positions with or without libraqm installed.
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.BASIC)


def card_path(lang: str, slug: str, site_title: str, headline: str, host: str) -> str:
    """The output path of a card: its name changes whenever what it shows, or how it is drawn, does.

    How it is drawn is this module (LAYOUT, the fonts' hashes): the code's
    own fingerprint sees a change of it. Pillow's version is left out: a
    page that names a card is rendered again only when its own inputs
    change, and a card name made from the running Pillow could then be one
    no kept page names (a new Pillow is a new build once it is one of the
    libraries the build's fingerprint counts: see docs/images.md).
    """
    digest = hashlib.blake2b(repr((site_title, headline, host, LAYOUT, sorted(FONT_FILES.items()))).encode(), digest_size=5).hexdigest()
    return f"{FOLDER}/cards/{lang}-{slug}-{digest}.png"


def wrap(text: str, font, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` as ``font`` measures them (a word too long for a line is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:  # a word wider than the line (an address): cut it
            cut = max(1, next(i for i in range(len(word), 0, -1) if font.getlength(word[:i]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def layout(headline: str) -> tuple[int, list[str]]:
    """The headline's font size and lines: the largest size whose lines fit the card."""
    width = SIZE[0] - 2 * MARGIN
    room = HEADLINE_BOTTOM - HEADLINE_TOP
    for size in HEADLINE_SIZES:
        lines = wrap(headline, _font("DejaVuSans-Bold.ttf", size), width)
        if len(lines) * round(size * 1.2) <= room:
            return size, lines
    size = HEADLINE_SIZES[-1]
    font = _font("DejaVuSans-Bold.ttf", size)
    lines = wrap(headline, font, width)[: room // round(size * 1.2)]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return size, lines


def card_bytes(site_title: str, headline: str, host: str) -> bytes:
    """The card as PNG.

    The text is drawn once, as a grey mask, and each part (title, headline,
    address) takes its colour from a palette of 64 shades between the paper
    and its ink: a palette PNG is a third of the data of a full-colour one,
    and encoding it is most of a card's cost (a site has one per briefing
    and language).
    """
    from PIL import Image, ImageDraw

    from .encode import encode

    mask = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(mask)
    title_font = _font("DejaVuSans-Bold.ttf", 34)
    draw.text((MARGIN, 64), wrap(site_title, title_font, SIZE[0] - 2 * MARGIN)[0], font=title_font, fill=255)
    size, lines = layout(headline)
    font = _font("DejaVuSans-Bold.ttf", size)
    step = round(size * 1.2)
    for number, line in enumerate(lines):
        draw.text((MARGIN, HEADLINE_TOP + number * step), line, font=font, fill=255)
    draw.text((MARGIN, 572), host, font=_font("DejaVuSans.ttf", 26), fill=255)
    index = Image.new("L", SIZE, 0)
    for box, ink in (((0, 40, SIZE[0], 130), 1), ((0, 130, SIZE[0], 550), 0), ((0, 560, SIZE[0], SIZE[1]), 2)):
        index.paste(mask.crop(box).point(_shades(ink)), box[:2])
    index.paste(SHADES * 1 + SHADES - 1, (0, 0, SIZE[0], 14))  # the accent bar
    index.paste(SHADES * 3 + SHADES - 1, (MARGIN, 555, SIZE[0] - MARGIN, 557))  # the rule
    index.putpalette(_palette())
    return encode(index, "PNG", {"compress_level": 1})  # 6: a quarter smaller, twice as slow (a card a briefing page)


SHADES = 64  # per ink: 0 is the paper, SHADES - 1 the ink itself
INKS = (INK, ACCENT, MUTED, RULE)


@functools.cache
def _shades(ink: int) -> list[int]:
    """A mask value (0-255) -> the palette index of that much of ink number ``ink`` on the paper."""
    return [0 if v == 0 else ink * SHADES + round(v * (SHADES - 1) / 255) for v in range(256)]


@functools.cache
def _palette() -> list[int]:
    from PIL import ImageColor

    paper = ImageColor.getrgb(PAPER)
    values: list[int] = []
    for ink in INKS:
        colour = ImageColor.getrgb(ink)
        for k in range(SHADES):
            values += [round(p + (c - p) * k / (SHADES - 1)) for p, c in zip(paper, colour)]
    return values


def font_digest(name: str) -> str:
    return hashlib.blake2b((FONTS / name).read_bytes(), digest_size=16).hexdigest()
