"""The page kind of pictures: every file each picture becomes, and every social card.

Each file is a page (``render/pages.py``) whose render function decodes and
encodes with Pillow (``encode.py``) and returns the bytes. What it is handed
is declared: the picture's record, ("picture", name), and the file itself,
("file", "content/images/<name>"); so an incremental build makes a
picture's files again only when that file (or how it is encoded) changed,
and the writer rewrites only files whose bytes differ. The files of one
picture are one batch: the process that renders them decodes the picture
once. Pages render in several processes, so pictures are encoded on every
core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import cards, encode, variants

if TYPE_CHECKING:
    from ..render.pages import Plan


def picture_files(plan: Plan) -> None:
    """Every width and format of every picture in use, the cards of lead images, and the drawn cards."""
    site = plan.site.untracked  # which files exist: the plan is not a page, its reading is no use
    planned: set[str] = set()
    for name, picture in site.pictures.items():
        uses = (("picture", name), ("file", picture.source))
        for variant in variants.variants(picture):
            if variant.path not in planned:  # two names for the same bytes make the same files
                planned.add(variant.path)
                plan.add(variant.path, lambda p=picture, v=variant: encode.variant_bytes(p, v), *uses, batch=f"picture-{picture.version}")
    shared = site.config.social_image  # the site's social image: no card is drawn for a page
    leads = sorted({doc.image for group in site.briefings for _, doc in group.translations if doc.image} | ({shared} if shared else set()))
    for image_id in leads:
        image = site.images[image_id]
        card = variants.card(image)
        if card.path not in planned:
            planned.add(card.path)
            # Made from the picture and the focus point alone (the focus is in its name): an edit of the
            # record's texts leaves it as it is.
            plan.add(card.path, lambda i=image: encode.card_bytes(i), ("picture", image.picture.name), ("file", image.picture.source),
                     batch=f"picture-{image.picture.version}")
    host = urlsplit(site.config.base_url).netloc
    for group in site.briefings if not shared else ():
        for lang, doc in group.translations:
            if doc.image:
                continue
            title = plan.renderers[lang].loc(site.config.title)
            path = cards.card_path(lang, group.slug, title, doc.title, host)
            plan.add(path, lambda t=title, h=doc.title: cards.card_bytes(t, h, host), ("meta", group.kind, group.slug))
