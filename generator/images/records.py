"""The model's pictures: a file under ``content/images/`` as its header describes it, and an image record.

``content/facts/images.yaml`` maps an image id to its record (file, alt,
caption, credit, licence, focus point); image ids are fact ids, unique
across every fact file. A record is read field by field here
(:func:`read_image`), then checked against the picture files the load stage
read (:func:`assemble`), together with the pictures Markdown texts place:
a missing or unreadable file is an error at the line that names it.
Nothing here does I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..content.errors import Problems, plain
from ..content.fields import Fields, mapping_records, shown
from ..content.model import SiteConfig, Text
from ..content.yamlsafe import PosDict

PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
IMAGE_FIELDS = ("file", "alt", "caption", "credit", "license", "focus")
CENTRE = (0.5, 0.5)


@dataclass(frozen=True)
class Picture:
    """A picture file as its header describes it (the load stage reads it: ``files.py``)."""

    name: str  # its file name under content/images/
    source: str  # its path relative to the site root: the ("file", source) token, and messages
    path: str  # its absolute path, for the pages that decode it (open data leaves paths out)
    width: int  # as shown: its EXIF orientation applied
    height: int
    format: str  # "JPEG", "PNG" or "WEBP" (as Pillow reads the bytes, whatever the suffix)
    alpha: bool  # has transparency to keep
    version: str  # the file's bytes, the encoding settings and the encoders' versions: in every output name


@dataclass(frozen=True)
class Unreadable:
    """A file under content/images/ that is no picture the site can use, and why."""

    name: str
    source: str
    reason: str  # says what is wrong and what to do


@dataclass(frozen=True)
class Image:
    """A record of images.yaml, its picture checked."""

    id: str
    picture: Picture
    alt: Text
    caption: Text | None
    credit: Text
    license: str | None
    focus: tuple[float, float]  # x, y in 0..1 (left to right, top to bottom): the point every crop keeps
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class ImageFields:
    """A record as read, before its file is checked against the pictures."""

    id: str
    file: str
    file_line: int
    alt: Text
    caption: Text | None
    credit: Text
    license: str | None
    focus: tuple[float, float]
    path: Path
    line: int


def read_images(raw_file, config: SiteConfig, problems: Problems) -> dict[str, ImageFields]:
    """Every record of images.yaml (``raw_file``: only the ids it owns), field by field."""
    found: dict[str, ImageFields] = {}
    for image_id, record, line in mapping_records(raw_file, "image", "file, alt, credit, ...", problems):
        image = read_image(image_id, record, raw_file.path, config, problems, line)
        if image is not None:
            found[image_id] = image
    return found


def read_image(image_id: str, record: PosDict, path: Path, config: SiteConfig, problems: Problems,
               line: int | None = None) -> ImageFields | None:
    what = f"image '{image_id}'"
    fields = Fields(record, path, problems, config.languages, what, line)
    fields.check_known(IMAGE_FIELDS)
    file = _file_name(fields)
    alt = _required(fields, "alt", f"{what} needs an 'alt' field: a sentence saying what the picture shows, "
                                   "in every language (screen readers read it out, and it stands in for a picture that does not load)")
    caption = fields.text("caption")
    credit = _required(fields, "credit", f"{what} needs a 'credit' field: who made the picture or holds its rights, "
                                         "such as 'Planet Labs PBC' or 'Briefings desk'")
    license_url = fields.url("license")
    focus = _focus(fields)
    if file is None or alt is None or credit is None:
        return None
    return ImageFields(image_id, file, fields.line("file"), alt, caption, credit, license_url, focus, path, record.line)


def _required(fields: Fields, key: str, missing: str) -> Text | None:
    if key not in fields.data:
        fields.problems.error(fields.path, fields.where, missing)
        return None
    return fields.text(key, required=True)


def _file_name(fields: Fields) -> str | None:
    value = fields.string("file", required=True)
    if value is None:
        return None
    if "/" in value or "\\" in value or value.startswith("."):
        name = value.replace("\\", "/").rsplit("/", 1)[-1]
        fields.error("file", f"'file' is a file name in content/images/, without folders: write '{plain(name)}', not '{plain(value)}'")
        return None
    return value


def _focus(fields: Fields) -> tuple[float, float]:
    if not fields.present("focus"):
        return CENTRE
    value = fields.data["focus"]
    if (isinstance(value, list) and len(value) == 2
            and all(not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v) and 0 <= v <= 1 for v in value)):
        return float(value[0]), float(value[1])
    fields.error("focus", f"'focus' must be two numbers from 0 to 1, across then down, such as [0.5, 0.35] "
                          f"(the point every crop keeps), not {shown(value)}")
    return CENTRE


def check_picture_name(name: str) -> str | None:
    """Why a picture a text names cannot be one of content/images/ (None: it can)."""
    if "/" in name or "\\" in name or name.startswith("."):
        return "pictures are files directly in content/images/: name the file alone, such as map.png"
    if not name.lower().endswith(PICTURE_SUFFIXES):
        return f"a picture must be a .jpg, .jpeg, .png or .webp file in content/images/, not '{plain(name)}'"
    return None


def assemble(found: dict[str, Picture | Unreadable], records: dict[str, ImageFields],
             used: list[tuple[str, int, str]], problems: Problems) -> tuple[dict[str, Image], dict[str, Picture]]:
    """Image records with their pictures, and every picture some record or text uses.

    ``found``: what the load stage read of content/images/ (name -> picture or
    why not). ``used``: (path, line, name) of each picture a Markdown text
    places. Each missing or unreadable file is an error where it is named.
    """
    pictures: dict[str, Picture] = {}

    def picture(name: str, path, line: int) -> Picture | None:
        file = found.get(name)
        if isinstance(file, Picture):
            pictures[name] = file
            return file
        if isinstance(file, Unreadable):
            problems.error(path, line, f"{file.source} {file.reason}")
        else:
            problems.error(path, line, f"no picture '{plain(name)}' in content/images/{_near(name, found)}: "
                                       "put the file there, or correct the name (letter case counts)")
        return None

    images: dict[str, Image] = {}
    for image_id, fields in sorted(records.items()):
        file = picture(fields.file, fields.path, fields.file_line)
        if file is not None:
            images[image_id] = Image(image_id, file, fields.alt, fields.caption, fields.credit, fields.license,
                                     fields.focus, problems.rel(fields.path), fields.line)
    for path, line, name in used:
        picture(name, path, line)
    return images, dict(sorted(pictures.items()))


def published(pictures: dict[str, Picture], images: dict[str, Image], image_uses: list[tuple[str, str]],
              placed: list[tuple[str, str]], drafts: set[str]) -> tuple[dict[str, Image], dict[str, Picture]]:
    """The image records and pictures some published page shows: what the site publishes (pages, files, open data).

    ``image_uses``: (file, image id) of every use of an image record (front
    matter, [[image:...]], a fact record's ``image``); ``placed``: (file,
    picture name) of every picture a text places; ``drafts``: the files of
    draft briefings and pages (relative paths). A draft's pictures, and a
    record no page uses, are not published: a picture could tell what a
    briefing is about before it is out.
    """
    shown = {ident for path, ident in image_uses if path not in drafts and ident in images}
    names = {name for path, name in placed if path not in drafts} | {images[ident].picture.name for ident in shown}
    return ({ident: image for ident, image in images.items() if ident in shown},
            {name: picture for name, picture in pictures.items() if name in names})


def _near(name: str, found: dict) -> str:
    """A hint when only the letter case or the suffix differs."""
    stem = name.rsplit(".", 1)[0].lower()
    close = sorted(other for other in found if other.lower() == name.lower() or other.rsplit(".", 1)[0].lower() == stem)
    return f" (there is {', '.join(close)})" if close else ""
