"""What a page needs to show a picture: the ``<picture>`` element's data and the social image.

Templates (``partials/picture.html``) and the Markdown renderer (a picture
a text places) print the same :class:`PictureTag`: a WebP ``<source>`` and a
fallback ``<img>``, each with every width in ``srcset``, ``sizes`` for where
the picture stands, and ``width``/``height`` so the page keeps its room
while the picture loads.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import cards, variants
from .records import Image, Picture

# How wide a picture is shown, for the browser to choose a file before the layout is known
# (templates/assets/style.css: the text column is 41rem at most, 1rem margins on phones).
SIZES = {
    "column": "(min-width: 45rem) 41rem, calc(100vw - 2rem)",
    "box": "(min-width: 62rem) 15rem, (min-width: 45rem) 39rem, calc(100vw - 4rem)",
    "thumbnail": "7rem",
}
# The widest file a use asks for (a thumbnail needs no 1440-pixel file).
LARGEST = {"column": None, "box": 960, "thumbnail": 320}
FALLBACK_WIDTH = 960  # the <img src> of a browser that reads no srcset


@dataclass(frozen=True)
class PictureTag:
    sources: tuple[tuple[str, str], ...]  # (type, srcset) of each <source>
    src: str
    srcset: str
    sizes: str
    width: int  # of the src file: with height, the picture's proportions
    height: int


@dataclass(frozen=True)
class SocialImage:
    """The image of a page's Open Graph and X cards, and of its JSON-LD."""

    url: str  # absolute
    width: int
    height: int
    type: str
    alt: str
    image: Image | None  # the lead image it is cropped from; None: a generated card


def picture_tag(picture: Picture, path, use: str = "column") -> PictureTag:
    """``path(route)`` makes a file's URL (the renderer's ``urls.path``)."""
    largest = LARGEST[use]
    every = variants.widths(picture)
    widths = [w for w in every if largest is None or w <= largest] or [every[0]]

    def srcset(fmt: str) -> str:
        return ", ".join(f"{path(variants.variant(picture, w, fmt).path)} {w}w" for w in widths)

    fallback = variants.fallback(picture)
    src_width = max((w for w in widths if w <= FALLBACK_WIDTH), default=widths[0])
    src = variants.variant(picture, src_width, fallback)
    return PictureTag((("image/webp", srcset("WEBP")),), path(src.path), srcset(fallback), SIZES[use], src.width, src.height)


def social_image(lead: Image | None, lang: str, slug: str, headline: str, site_title: str, host: str,
                 absolute, alt_of) -> SocialImage:
    """A briefing's social image: its lead image's card, or the card drawn for it.

    ``absolute(route)`` makes an absolute URL; ``alt_of(text)`` gives a
    localised text in the page's language.
    """
    if lead is not None:
        card = variants.card(lead)
        return SocialImage(absolute(card.path), card.width, card.height, card.mime, alt_of(lead.alt), lead)
    path = cards.card_path(lang, slug, site_title, headline, host)
    return SocialImage(absolute(path), *cards.SIZE, "image/png", headline, None)
