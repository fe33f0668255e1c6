"""The HTML of Markdown bodies, kept between builds.

Converting Markdown is most of what rendering a briefing costs, and a page
is often rendered again with the same body: an edit of ``briefing.html``
renders every briefing again. Each body's HTML is kept in the cache with
what it was made from: the tokens used while it was converted (``deps.py``:
the entities it links, the fact boxes and timelines it embeds, the
templates of those, the catalogue of its language), each with its
fingerprint. A later build reuses it while the text, every one of those
fingerprints, the generator and ``site.yaml`` are unchanged; the page that
shows it still records all of them.

Only a build that renders many pages reads the kept bodies (reading them
costs more than converting a page or two); every build that reads them
keeps the bodies it converts. The render processes write those to the
cache themselves (``flush``), a file per batch of pages: sending them back
to the build to be written cost a first build a fifth of a second.
"""

from __future__ import annotations

from typing import Callable

from . import deps
from .model import Document

# Below this many pages to render, bodies are converted rather than read back.
MINIMUM_PAGES = 400

# (body fingerprint, context, ((token, fingerprint), ...), HTML as UTF-8, timelines embedded)
# The HTML is kept encoded: it goes from the render processes to the build and
# into the cache as bytes, which pickle copies, where text would be encoded each way.
Entry = tuple

DocKey = tuple[str, str, str]  # (kind, slug, lang)


class KeptBodies:
    """Bodies' HTML from earlier builds, and the ones converted in this process since last asked."""

    def __init__(self) -> None:
        self.kept: dict[DocKey, Entry] | None = None  # None: not in use in this build
        self.prints: deps.Fingerprints | None = None
        self.context = ""
        self.made: dict[DocKey, Entry] = {}
        self.sink: Callable[[dict[DocKey, Entry]], None] | None = None

    def start(self, kept: dict[DocKey, Entry], prints: deps.Fingerprints, context: str,
              sink: Callable[[dict[DocKey, Entry]], None] | None = None) -> None:
        """Use ``kept`` in this build; ``context``: the build's global fingerprint (generator, site.yaml);
        ``sink`` keeps the bodies converted (see flush)."""
        self.kept, self.prints, self.context, self.sink = kept, prints, context, sink

    @property
    def active(self) -> bool:
        return self.kept is not None

    def html(self, doc: Document, convert: Callable[[], str], embedded: list[str]) -> str:
        """The HTML of ``doc``'s body: kept, or ``convert()``-ed and kept.

        ``embedded`` is the renderer's list of timelines embedded by the page
        so far: a kept body adds its own to it, as converting it would.
        """
        key = (doc.kind, doc.slug, doc.lang)
        of = self.prints.of
        body_print = of(("body",) + key)
        hit = self.kept.get(key)
        if hit is not None and hit[0] == body_print and hit[1] == self.context and all(of(t) == p for t, p in hit[2]):
            for token, _ in hit[2]:
                deps.use(token)
            embedded.extend(hit[4])
            return hit[3].decode("utf-8")
        start = len(embedded)
        with deps.recording() as used:
            deps.use(("catalogue", doc.lang))  # a fact box's labels are UI strings
            html = convert()
        for token in used:
            deps.use(token)
        self.made[key] = (body_print, self.context, tuple((t, of(t)) for t in deps.ordered(used)), html.encode("utf-8"),
                          tuple(embedded[start:]))
        return html

    def flush(self) -> None:
        """Keep the bodies converted since the last flush (called by each render process, after each batch of pages)."""
        if self.made and self.sink is not None:
            self.sink(self.made)
        self.made = {}
