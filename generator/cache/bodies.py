"""The HTML of Markdown bodies, kept between builds.

Converting Markdown is most of what rendering a briefing costs, and a page
is often rendered again with the same body: an edit of ``briefing.html``
renders every briefing again. Each body's HTML is kept, with what it was
made from: the tokens used while it was converted (``deps.py``:
the entities it links, the fact boxes and timelines it embeds, the
templates of those, the catalogue of its language), each with its
fingerprint. A later build reuses it while the text, every one of those
fingerprints, the generator and ``site.yaml`` are unchanged; the page that
shows it still records all of them.

The HTML itself is not copied into the cache: it is kept where it already
is, in the document's own page in the output folder. An entry says where
(the characters it spans in the page's text) and which version of the page
holds it (the digest of the page's bytes). A later build reads it back from
the page only while the output folder holds that very version (the build's
record says so, checked against each file's stat); otherwise, or if anything
does not match, the body is converted again.

Only a build that renders many pages reads the kept bodies (reading them
costs more than converting a page or two); every build that reads them
keeps where the bodies it shows are. The render processes write those
entries to the cache themselves (``flush``), a file per batch of pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..content.model import Document
from ..render.urls import file_for, route
from . import deps

# Below this many pages to render, bodies are converted rather than read back.
MINIMUM_PAGES = 400

# (body fingerprint, context, ((token, fingerprint), ...), (start, length, page digest), timelines embedded)
Entry = tuple

DocKey = tuple[str, str, str]  # (kind, slug, lang)


class KeptBodies:
    """Bodies' HTML from earlier builds, and where the pages rendered in this process since last asked put theirs."""

    def __init__(self) -> None:
        self.kept: dict[DocKey, Entry] | None = None  # None: not in use in this build
        self.prints: deps.Fingerprints | None = None
        self.context = ""
        self.made: dict[DocKey, Entry] = {}
        self.sink: Callable[[dict[DocKey, Entry]], None] | None = None
        self.output: Path | None = None
        self.known: dict[str, str] = {}
        self._shown: dict[DocKey, tuple] = {}  # bodies shown by the page being rendered: (head, timelines, HTML)
        self._placed: list[tuple] = []  # and where they are in its text

    def start(self, kept: dict[DocKey, Entry], prints: deps.Fingerprints, context: str,
              sink: Callable[[dict[DocKey, Entry]], None] | None = None, output: Path | None = None,
              known: dict[str, str] | None = None) -> None:
        """Use ``kept`` in this build; ``context``: the build's global fingerprint (generator, site.yaml);
        ``sink`` keeps where the bodies shown are (see flush). ``output``: the output folder, and
        ``known`` the digest of each page it holds (output path -> digest, checked by the build)."""
        self.kept, self.prints, self.context, self.sink = kept, prints, context, sink
        self.output, self.known = output, known or {}

    @property
    def active(self) -> bool:
        return self.kept is not None

    def html(self, doc: Document, convert: Callable[[], str], embedded: list[str]) -> str:
        """The HTML of ``doc``'s body: kept, or ``convert()``-ed.

        ``embedded`` is the renderer's list of timelines embedded by the page
        so far: a kept body adds its own to it, as converting it would.
        """
        key = (doc.kind, doc.slug, doc.lang)
        of = self.prints.of
        body_print = of(("body",) + key)
        hit = self.kept.get(key)
        if hit is not None and hit[0] == body_print and hit[1] == self.context and all(of(t) == p for t, p in hit[2]):
            html = self._read(key, hit[3])
            if html is not None:
                for token, _ in hit[2]:
                    deps.use(token)
                embedded.extend(hit[4])
                self._shown[key] = (hit[:3], hit[4], html)
                return html
        start = len(embedded)
        with deps.recording() as used:
            deps.use(("catalogue", doc.lang))  # a fact box's labels are UI strings
            html = convert()
        for token in used:
            deps.use(token)
        head = (body_print, self.context, tuple((t, of(t)) for t in deps.ordered(used)))
        self._shown[key] = (head, tuple(embedded[start:]), html)
        return html

    def _read(self, key: DocKey, where: tuple) -> str | None:
        """The HTML an entry points at, if the output folder holds the page version it names."""
        start, length, page_digest = where
        path = page_path(key)
        if self.output is None or self.known.get(path) != page_digest:
            return None
        try:
            with open(self.output / path, "rb") as handle:
                text = handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        html = text[start:start + length]
        return html if len(html) == length else None

    def placed(self, doc: Document, text: str) -> None:
        """``text`` is the page that shows ``doc``'s body: note where the body is in it."""
        shown = self._shown.pop((doc.kind, doc.slug, doc.lang), None)
        if shown is not None:
            head, timelines, html = shown
            start = text.find(html)
            if start >= 0:  # (a template that changes the body leaves nothing to keep)
                self._placed.append(((doc.kind, doc.slug, doc.lang), head, start, len(html), timelines))
        self._shown.clear()

    def page_done(self, digest: str | None) -> None:
        """The page rendered last has bytes of ``digest`` (None: it failed): keep where its bodies are."""
        if digest is not None:
            for key, head, start, length, timelines in self._placed:
                self.made[key] = (*head, (start, length, digest), timelines)
        self._placed.clear()
        self._shown.clear()

    def flush(self) -> None:
        """Keep the entries made since the last flush (called by each render process, after each batch of pages)."""
        if self.made and self.sink is not None:
            self.sink(self.made)
        self.made = {}


def page_path(key: DocKey) -> str:
    """The output file of a document's own page (the one that shows its body)."""
    kind, slug, lang = key
    return file_for(route(lang, kind, slug))
