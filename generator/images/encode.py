"""Make a picture's files with Pillow: decode, orient, convert to sRGB, resize, encode without metadata.

Nothing of the uploaded file is copied: its pixels are decoded, turned as
its EXIF orientation says, converted from its colour profile to sRGB, and
encoded again into a new image that carries no EXIF (camera serials, GPS
position, dates), IPTC, XMP or colour profile. A GPS tag can expose the
person who took a photo: no setting here lets any of it through.

A picture's files are pages of one batch (``kind.py``): the process that
renders them decodes the picture once, scaled for the widest of them
(:func:`base`), and makes each from that. How it is decoded never depends
on which file is asked for first, so every file's bytes are the same
whichever process makes them, and in whatever order.
"""

from __future__ import annotations

import io
import math
import warnings

from ..content.errors import ContentError, Problem
from . import variants
from .files import FORMATS, MAX_PIXELS
from .records import Image, Picture

ENCODED = {"count": 0}  # files encoded by this process: a build where no picture changed encodes none

_last: tuple[tuple, object] | None = None  # the last picture decoded by this process, and its base image


def base(picture: Picture):
    """The picture decoded, oriented, in sRGB, as RGB or RGBA, scaled by variants.base_scale (never up)."""
    global _last
    key = (picture.path, picture.version)
    if _last is not None and _last[0] == key:
        return _last[1]
    image = _decode(picture)
    _last = (key, image)
    return image


def _decode(picture: Picture):
    from PIL import Image as PILImage
    from PIL import ImageOps

    scale = variants.base_scale(picture)
    PILImage.init()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(picture.path, formats=FORMATS) as im:
                if im.size[0] * im.size[1] > MAX_PIXELS:
                    raise OSError("larger than the site takes")
                if im.format in ("JPEG", "MPO") and scale < 1:
                    # JPEG decodes at 1/2, 1/4 or 1/8 of its size, much faster: the largest that is still big enough.
                    im.draft("RGB" if im.mode == "RGB" else None, (math.ceil(im.size[0] * scale), math.ceil(im.size[1] * scale)))
                im.load()
                icc = im.info.get("icc_profile")
                oriented = ImageOps.exif_transpose(im)
    except (OSError, SyntaxError, ValueError, EOFError, PILImage.DecompressionBombError) as error:
        raise ContentError([Problem(picture.source, None, f"cannot be decoded ({error}): the file is damaged or cut short; "
                                                         "export it again from the original")]) from None
    image = _srgb(oriented, icc, picture.alpha)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    if image.size != size:
        image = image.resize(size, PILImage.LANCZOS, reducing_gap=3.0)
    return image


def _srgb(im, icc: bytes | None, alpha: bool):
    """``im`` in sRGB, as RGBA (``alpha``) or RGB; its colour profile applied, not kept."""
    from PIL import ImageCms

    mode = "RGBA" if alpha else "RGB"
    if im.mode == "I" or im.mode.startswith("I;16"):  # 16-bit grey: to 8 bits (a plain convert would clip it white)
        im = im.convert("I").point(lambda value: value / 256).convert("L")
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L", "LA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            source_mode = im.mode if im.mode != "LA" else "L"
            if im.mode in ("RGBA", "LA"):
                colour = ImageCms.profileToProfile(im.convert(source_mode if source_mode != "RGBA" else "RGB"), source,
                                                   ImageCms.createProfile("sRGB"), outputMode="RGB")
                colour.putalpha(im.getchannel("A"))
                return colour.convert(mode)
            return ImageCms.profileToProfile(im, source, ImageCms.createProfile("sRGB"), outputMode="RGB").convert(mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    if im.mode == "P" and alpha:
        im = im.convert("RGBA")
    return im.convert(mode)


def _fresh(im):
    """A new image holding only ``im``'s pixels: no info, no EXIF, nothing an encoder could copy over."""
    from PIL import Image as PILImage

    clean = PILImage.new(im.mode, im.size)
    clean.paste(im)
    if im.mode == "P":  # a card's shades (cards.py): the palette is the picture
        clean.putpalette(im.getpalette())
    return clean


def encode(im, fmt: str, settings: dict) -> bytes:
    clean = _fresh(im)
    buffer = io.BytesIO()
    clean.save(buffer, fmt, **settings)
    ENCODED["count"] += 1
    return buffer.getvalue()


def variant_bytes(picture: Picture, variant: variants.Variant) -> bytes:
    """One width of a picture, in one format."""
    from PIL import Image as PILImage

    im = base(picture)
    if im.size != (variant.width, variant.height):
        im = im.resize((variant.width, variant.height), PILImage.LANCZOS, reducing_gap=3.0)
    settings = {"WEBP": variants.WEBP, "JPEG": variants.JPEG, "PNG": variants.PNG}[variant.format]
    return encode(im, variant.format, settings)


def card_bytes(image: Image) -> bytes:
    """A lead image's social card: the largest 1200 x 630 crop around its focus point, as JPEG."""
    from PIL import Image as PILImage

    im = base(image.picture)
    box = variants.crop_box(im.size[0], im.size[1], image.focus)
    card = im.crop(box).resize(variants.CARD_SIZE, PILImage.LANCZOS)
    if card.mode == "RGBA":  # JPEG has no transparency: on white, as the page shows it
        flat = PILImage.new("RGB", card.size, (255, 255, 255))
        flat.paste(card, mask=card.getchannel("A"))
        card = flat
    return encode(card, "JPEG", variants.CARD_JPEG)
