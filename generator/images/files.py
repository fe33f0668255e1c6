"""Load stage for pictures: what each file under ``content/images/`` is, from its header.

Pillow reads a file's header only (a few kilobytes): its format, its size,
its EXIF orientation (a phone's portrait photo is stored on its side) and
whether it has transparency. The pixels are decoded when a page that needs
them is rendered (``encode.py``): a file cut short in its pixel data is
reported then. The hash of the file's bytes goes into every output file
name, so a changed picture gets new names (and no reader keeps a stale copy).

A file known from an earlier build in this process (the preview server's)
is not read again while its size, times and inode are unchanged; a build
may hand over the hashes it has already taken (``file_hash``).
"""

from __future__ import annotations

import hashlib
import os
import time
import warnings
from pathlib import Path
from typing import Callable

from ..content.errors import Problems
from .records import PICTURE_SUFFIXES, Picture, Unreadable
from .variants import version_of

# Pillow's formats the site takes. (A JPEG of many phones holds a second picture: Pillow opens it as "MPO".)
FORMATS = ("JPEG", "PNG", "WEBP")
# Larger than any camera's picture: a file that says it is larger is refused before it is
# decoded (a "decompression bomb": a few kilobytes that unpack into gigabytes of pixels).
MAX_PIXELS = 120_000_000
# Orientations 5 to 8 turn the picture a quarter: its width and height swap.
TURNED = (5, 6, 7, 8)
RACY_NS = 2_000_000_000  # a file changed this recently may change again within its recorded time

FileHash = Callable[[Path], "str | None"]

_known: dict[str, tuple[tuple, Picture | Unreadable]] = {}


def read_pictures(entries: list[Path], problems: Problems, file_hash: FileHash | None = None) -> dict[str, Picture | Unreadable]:
    """What each file of content/images/ (``entries``, its visible files) is: name -> picture or why not."""
    found: dict[str, Picture | Unreadable] = {}
    for path in entries:
        found[path.name] = read_picture(path, problems.rel(path), file_hash)
    return found


def read_picture(path: Path, source: str, file_hash: FileHash | None = None) -> Picture | Unreadable:
    """One file, as its header describes it (or why it is no picture the site can use)."""
    name = path.name
    if not name.lower().endswith(PICTURE_SUFFIXES):
        return Unreadable(name, source, "is not a picture file: pictures are .jpg, .jpeg, .png or .webp files")
    try:
        st = os.stat(path)
    except OSError as error:
        return Unreadable(name, source, f"cannot be read: {error.strerror}")
    key = (source, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
    known = _known.get(str(path))
    if known is not None and known[0] == key:
        return known[1]
    found = _read(path, name, source, file_hash)
    if st.st_mtime_ns < time.time_ns() - RACY_NS:
        _known[str(path)] = (key, found)
    return found


def _read(path: Path, name: str, source: str, file_hash: FileHash | None) -> Picture | Unreadable:
    from PIL import Image, UnidentifiedImageError  # the build imports Pillow only for a site with pictures

    Image.init()  # every format plugin registered: open() looks FORMATS up by name
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels and refuses from twice that: MAX_PIXELS decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=FORMATS) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    return Unreadable(name, source, _too_large(width, height))
                orientation = im.getexif().get(0x0112, 1)  # EXIF Orientation
                alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
                kind = "JPEG" if im.format == "MPO" else im.format
    except Image.DecompressionBombError:
        return Unreadable(name, source, "says it is larger than any picture the site takes (a decompression bomb?): "
                                        "export it again at a normal size")
    except UnidentifiedImageError:
        return Unreadable(name, source, "is not a JPEG, PNG or WebP picture (Pillow cannot read it as one): "
                                        "open it in an image editor and export it again as .jpg, .png or .webp")
    except (OSError, SyntaxError, ValueError, EOFError) as error:  # what Pillow raises for a damaged header
        return Unreadable(name, source, f"is damaged and cannot be read ({error}): export it again from the original")
    if orientation in TURNED:
        width, height = height, width
    digest = (file_hash(path) if file_hash is not None else None) or _hash_file(path)
    if digest is None:
        return Unreadable(name, source, "cannot be read")
    return Picture(name, source, str(path), width, height, kind, alpha, version_of(digest))


def _too_large(width: int, height: int) -> str:
    return (f"is {width} x {height} pixels, more than the {MAX_PIXELS // 1_000_000} megapixels the site takes "
            "(a file that small cannot hold that many: a decompression bomb?): export it again at a normal size")


def _hash_file(path: Path) -> str | None:
    h = hashlib.blake2b(digest_size=16)
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()
