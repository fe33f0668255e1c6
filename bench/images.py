"""Benchmark: what pictures cost a build, against a plain Pillow loop doing the same encodes, in the same run.

    python3 bench/images.py                 # N = 200 briefings, a picture each
    python3 bench/images.py --n 200 --size 1200x800 --write bench/RESULTS-images.md

The corpus is ``corpus.py``'s (``--n`` bilingual briefings, fact boxes,
timelines) with a picture per briefing: a synthetic photo (``--size``,
JPEG, with EXIF, GPS and an orientation, as a phone saves it), described in
``facts/images.yaml`` and set as the briefing's lead image. Measured, in
this order:

  ours      every picture file the build makes of ``--sample`` pictures
            (``images/kind.py``'s pages: each width in WebP and JPEG, and the
            lead image's social card), rendered one after the other in one process
  peer      a plain Pillow loop making the same files with the same settings
            (open, draft, orient, resize, save): what any script would do;
            ours and the peer take turns (A B, B A, ...) for ``--rounds``
  build     clean builds of the corpus, ``--jobs`` 1 and 2: how encoding
            spreads over the cores
  no change a rebuild where nothing changed (it encodes nothing and writes
            nothing), against the same rebuild of the corpus without
            pictures; and a rebuild after one briefing's text changed
  cards     the social card drawn for a briefing without a lead image
  AVIF      one encode of the widest file, AVIF against WebP, for the record

The ratio ours / peer is the overhead of the build's picture pipeline
(decoding once per picture, a fresh image for each encode, the sRGB step).
Timings are medians over ``--rounds``; the machine's load is printed.
Speed targets live here, never in the tests.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from corpus import Corpus, write_briefing_site  # noqa: E402

from generator.build import build  # noqa: E402
from generator.content.errors import Problems  # noqa: E402
from generator.images import encode as ours  # noqa: E402
from generator.images import variants  # noqa: E402


# -- the corpus -------------------------------------------------------------------
def synthetic_photo(seed: int, size: tuple[int, int]) -> bytes:
    """A photo-like JPEG: sky and ground gradients, blurred shapes, grain; EXIF with GPS; stored on its side."""
    from PIL import Image, ImageDraw, ImageFilter
    rng = random.Random(seed)
    w, h = size
    sky = Image.linear_gradient("L").resize((w, h))
    im = Image.merge("RGB", (sky.point(lambda v: 90 + v // 3), sky.point(lambda v: 120 + v // 4), sky.point(lambda v: 200 - v // 3)))
    draw = ImageDraw.Draw(im)
    for _ in range(40):
        x, y, r = rng.randrange(w), rng.randrange(h // 3, h), rng.randrange(w // 40, w // 6)
        draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=tuple(rng.randrange(40, 220) for _ in range(3)))
    im = im.filter(ImageFilter.GaussianBlur(3))
    grain = Image.frombytes("L", (w // 4, h // 4), bytes(rng.randrange(256) for _ in range((w // 4) * (h // 4)))).resize((w, h))
    im = Image.blend(im, Image.merge("RGB", (grain, grain, grain)), 0.08)
    exif = Image.Exif()
    exif[0x0112] = 6 if seed % 3 == 0 else 1  # every third one is stored on its side
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (55.0, 45.0, float(seed % 60)), "E", (37.0, 37.0, 4.0)
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=88, exif=exif)
    return buffer.getvalue()


def write_corpus(n: int, root: Path, size: tuple[int, int], pictures: bool = True) -> Path:
    corpus = Corpus(n)
    write_briefing_site(corpus, root, drawn_cards=True)  # its own pictures: no site share picture
    content = root / "content"
    if not pictures:
        return content
    (content / "images").mkdir()
    records = []
    for index, b in enumerate(corpus.briefings):
        ident = f"photo-{index:05d}"
        (content / "images" / f"{ident}.jpg").write_bytes(synthetic_photo(index, size))
        records.append(f"{ident}:\n  file: {ident}.jpg\n  alt: {{en: Photo {index}, ru: Фото {index}}}\n"
                       f"  credit: Bench agency\n  focus: [0.5, 0.4]\n")
        for path in (content / "briefings" / b["slug"]).glob("*.md"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("---\n", f"---\nimage: {ident}\n", 1), encoding="utf-8")
    (content / "facts" / "images.yaml").write_text("".join(records), encoding="utf-8")
    return content


# -- the two ways of making the files ----------------------------------------------------
def picture_pages(content: Path):
    """Every picture page of the build's plan (not the drawn cards)."""
    from generator.build import project_dirs
    from generator.content.load import load_content
    from generator.content.resolve import resolve
    from generator.render.pages import plan_site
    problems = Problems(content.parent)
    site = resolve(load_content(content, problems), problems)
    templates, locales = project_dirs(content)
    pages = plan_site(site, templates, locales, problems)
    return [p for p in pages if p.path.startswith("images/") and not p.path.startswith("images/cards/")], site


def run_ours(pages) -> float:
    ours._last = None  # nothing decoded before
    start = time.perf_counter()
    for page in pages:
        page.content()
    return time.perf_counter() - start


def run_peer(images) -> float:
    """A plain Pillow loop: the same files (widths, formats, settings, card crop), nothing else."""
    from PIL import Image, ImageOps
    start = time.perf_counter()
    for image in images:
        picture = image.picture
        with Image.open(picture.path) as im:
            scale = variants.base_scale(picture)
            im.draft("RGB", (math.ceil(im.size[0] * scale), math.ceil(im.size[1] * scale)))
            base = ImageOps.exif_transpose(im).convert("RGB")
        base = base.resize((round(picture.width * scale), round(picture.height * scale)), Image.LANCZOS, reducing_gap=3.0)
        for v in variants.variants(picture):
            resized = base.resize((v.width, v.height), Image.LANCZOS, reducing_gap=3.0)
            settings = variants.WEBP if v.format == "WEBP" else variants.JPEG
            resized.save(io.BytesIO(), v.format, **settings)
        card = base.crop(variants.crop_box(*base.size, image.focus)).resize(variants.CARD_SIZE, Image.LANCZOS)
        card.save(io.BytesIO(), "JPEG", **variants.CARD_JPEG)
    return time.perf_counter() - start


def timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def median(values) -> float:
    return statistics.median(values)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="briefings, a picture each (default 200)")
    parser.add_argument("--size", default="1800x1200", help="the pictures' size, WIDTHxHEIGHT (default 1800x1200)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of ours against the peer, and of rebuilds (default 2; medians)")
    parser.add_argument("--sample", type=int, default=60, help="pictures whose files ours and the peer make (default 60)")
    parser.add_argument("--write", help="also write the report to this file")
    args = parser.parse_args(argv)
    size = tuple(int(x) for x in args.size.split("x"))
    work = Path(tempfile.mkdtemp(prefix="bench-images-"))
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    try:
        load = os.getloadavg()
        say(f"N = {args.n} briefings, a {size[0]} x {size[1]} JPEG each; {args.rounds} rounds; "
            f"{len(os.sched_getaffinity(0))} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start")
        content = write_corpus(args.n, work / "pictures", size)
        plain = write_corpus(args.n, work / "plain", size, pictures=False)
        pages, site = picture_pages(content)
        say(f"{len(site.images)} pictures -> {len(pages)} files (widths x WebP/JPEG + a card each)")
        say()
        sample = sorted(site.images.values(), key=lambda image: image.id)[: args.sample]
        names = {image.picture.name for image in sample}
        versions = {image.picture.version for image in sample}
        pages = [p for p in pages if any(f"-{v}-" in p.path for v in versions)]
        files = len(pages)
        assert len(names) == len(sample) and files >= len(sample)

        # ours and the peer, alternating (A B, B A) so that the machine's load weighs on both alike
        mine, peer = [], []
        for r in range(args.rounds):
            order = (("ours", "peer") if r % 2 == 0 else ("peer", "ours"))
            for which in order:
                if which == "ours":
                    mine.append(run_ours(pages))
                else:
                    peer.append(run_peer(sample))
        ratio = median(mine) / median(peer)
        say(f"| making the {files} files of {len(sample)} pictures (one process, median of {args.rounds}) | seconds | per file | ours / peer |")
        say("|---|---:|---:|---:|")
        say(f"| ours: the build's picture pages | {median(mine):.2f} | {median(mine) / files * 1000:.0f} ms | {ratio:.2f} |")
        say(f"| peer: a plain Pillow loop | {median(peer):.2f} | {median(peer) / files * 1000:.0f} ms | 1.00 |")
        say()

        # clean builds, one and two processes
        clean = {}
        for jobs in (1, 2):
            clean[jobs] = timed(lambda j=jobs: build(content, work / f"out-{j}", jobs=j))
            shutil.rmtree(work / f"out-{jobs}")
        plain_clean = timed(lambda: build(plain, work / "plain-out", jobs=2))
        shutil.rmtree(work / "plain-out")
        say("| clean build | seconds |")
        say("|---|---:|")
        say(f"| with pictures, --jobs 1 | {clean[1]:.2f} |")
        say(f"| with pictures, --jobs 2 | {clean[2]:.2f} ({clean[1] / clean[2]:.2f} x faster) |")
        say(f"| without pictures (a card drawn for every page), --jobs 2 | {plain_clean:.2f} |")
        say()

        # rebuilds: nothing changed, one text changed
        out, cache = work / "site", work / "cache"
        build(content, out, cache=cache, jobs=2)
        plain_out, plain_cache = work / "plain-site", work / "plain-cache"
        build(plain, plain_out, cache=plain_cache, jobs=2)
        encoded = ours.ENCODED["count"]
        stamps = {p: p.stat().st_mtime_ns for p in (out / "images").rglob("*") if p.is_file()}
        same, same_plain = [], []
        for _ in range(args.rounds):
            same.append(timed(lambda: build(content, out, cache=cache, jobs=2)))
            same_plain.append(timed(lambda: build(plain, plain_out, cache=plain_cache, jobs=2)))
        briefing = next((content / "briefings").iterdir()) / "en.md"
        text = briefing.read_text(encoding="utf-8")
        briefing.write_text(re.sub(r"\n\n", "\n\nAn added sentence.\n\n", text, count=1), encoding="utf-8")
        edited = timed(lambda: build(content, out, cache=cache, jobs=2))
        untouched = all(p.stat().st_mtime_ns == t for p, t in stamps.items())
        # (These rebuilds render at most a few pages: in this process, where the encodes are counted.)
        say(f"| rebuild (median of {args.rounds}) | seconds | picture files encoded | picture files rewritten |")
        say("|---|---:|---:|---:|")
        say(f"| nothing changed, with pictures | {median(same):.3f} | {ours.ENCODED['count'] - encoded} | "
            f"{0 if untouched else 'some'} |")
        say(f"| nothing changed, without pictures (peer) | {median(same_plain):.3f} | - | - |")
        say(f"| one briefing's text changed | {edited:.3f} | {ours.ENCODED['count'] - encoded} | {0 if untouched else 'some'} |")
        say(f"| no-change ratio, with / without pictures | {median(same) / median(same_plain):.2f} | | |")
        say()

        # a drawn card; AVIF against WebP
        from generator.images import cards
        titles = [f"Briefing {i}: analysts report a shipment of drones and missiles across the border" for i in range(50)]
        card_time = timed(lambda: [cards.card_bytes("Arms Transfer Briefings", t, "briefings.example.org") for t in titles]) / len(titles)
        from PIL import features
        widest = ours.base(next(iter(site.pictures.values())))
        webp = io.BytesIO()
        webp_time = timed(lambda: widest.save(webp, "WEBP", **variants.WEBP))
        say("| one file | ms | bytes |")
        say("|---|---:|---:|")
        say(f"| a drawn social card (PNG, 1200 x 630) | {card_time * 1000:.0f} | |")
        say(f"| the widest file ({widest.size[0]} x {widest.size[1]}), WebP q80 | {webp_time * 1000:.0f} | {len(webp.getvalue())} |")
        if features.check("avif"):
            avif = io.BytesIO()
            avif_time = timed(lambda: widest.save(avif, "AVIF", quality=60))
            say(f"| the same, AVIF q60 (Pillow's default speed) | {avif_time * 1000:.0f} | {len(avif.getvalue())} |")
        load = os.getloadavg()
        say()
        say(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.write:
        Path(args.write).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
