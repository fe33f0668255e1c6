"""What each page used: recorded while it renders, fingerprinted between builds.

An incremental build re-renders a page only when something it used has
changed. What a page uses is recorded, not declared: the site handed to the
renderer holds *tracked* containers, and every lookup in them while a page
renders adds a token to that page's record:

  ("entity", id)  ("source", id)  ("timeline", id)   one record
  ("place", id)                                        one place (places.yaml)
  ("image", id)                                        an image record (images.yaml) with its picture's header
  ("picture", name)                                    a picture file of content/images/ as its header describes it
                                                       (its size, and its version: a hash of its bytes)
  ("name", id)  ("entity-sources", id)               an entity's kind and name (a link to it), its sources
  ("entity", ALL) ...                                  iterating all of them
  ("briefings", ALL)  ("pages", ALL)                   a list: order and list data of every item
  ("mentions", id)                                     what mentions an entity
  ("meta", kind, slug)                                 a document group minus its Markdown bodies
  ("body", kind, slug, lang)                           one Markdown body (the page that renders it)
  ("template", name)                                   a template (or an asset) the page was made from
  ("catalogue", lang)                                  the UI strings of one language
  ("file", path)                                       the bytes of an input file (path relative to the site
                                                       root, such as "content/images/map.png")
  ("maps", "data")                                     what a range map is drawn from besides its records: the
                                                       border data shipped with the generator and the versions
                                                       of the geodesy and geometry libraries (generator/maps)

site.yaml and the generator's own code are not tracked one by one: they
are the *global* fingerprint, and a change to either re-renders every page
(like a clean build).

A token's fingerprint is a hash of the value it names in a given site
(:class:`Fingerprints`); a page is up to date when the fingerprints of the
tokens it recorded last time are unchanged. Lists depend on the *meta* of
their items, so fixing a typo in one briefing's text re-renders that page
only, while a new title also re-renders the lists that show it.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields

from ..content.model import Document, DocumentGroup, Site

ALL = "*"  # never an id (ids are lowercase letters, digits and hyphens)

_current: contextvars.ContextVar[set | None] = contextvars.ContextVar("briefing_page_deps", default=None)


def use(token: tuple) -> None:
    """Record that the page being rendered uses ``token`` (no-op outside a page)."""
    record = _current.get()
    if record is not None:
        record.add(token)


class recording:
    """``with recording() as used:`` collects the tokens used inside the block."""

    def __enter__(self) -> set:
        self.used: set = set()
        self._reset = _current.set(self.used)
        return self.used

    def __exit__(self, *exc) -> None:
        _current.reset(self._reset)


def remembered(table: dict, key, compute):
    """``compute()``, once per ``key`` in ``table``; each later use records what the first used.

    For pieces of pages that many pages share (a fact box, a timeline): the
    HTML is made once, and every page that shows it still depends on what it
    was made from.
    """
    hit = table.get(key)
    if hit is None:
        with recording() as used:
            value = compute()
        hit = table[key] = (value, tuple(used))
    record = _current.get()
    if record is not None:
        record.update(hit[1])
    return hit[0]


class TrackedMapping(Mapping):
    """A read-only mapping whose lookups are recorded as (name, key), iteration as (name, ALL).

    It holds its dict rather than being one: there is no way to read it but
    through these methods, so no lookup escapes the record, however it is
    spelled (``dict.__contains__`` on it is a TypeError).
    """

    __slots__ = ("name", "_data")

    def __init__(self, name: str, data: dict):
        self.name = name
        self._data = data

    def __getitem__(self, key):
        use((self.name, key))
        return self._data[key]

    def get(self, key, default=None):
        use((self.name, key))
        return self._data.get(key, default)

    def __contains__(self, key):
        use((self.name, key))
        return key in self._data

    def __iter__(self):
        use((self.name, ALL))
        return iter(self._data)

    def __len__(self):
        use((self.name, ALL))
        return len(self._data)

    def keys(self):
        use((self.name, ALL))
        return self._data.keys()

    def values(self):
        use((self.name, ALL))
        return self._data.values()

    def items(self):
        use((self.name, ALL))
        return self._data.items()

    def __reduce__(self):  # pickled as a plain dict: tracking is for this process only
        return (dict, (dict(self._data),))


class TrackedSequence(Sequence):
    """A read-only sequence whose every use is recorded as (name, ALL)."""

    __slots__ = ("name", "_items")

    def __init__(self, name: str, items):
        self.name = name
        self._items = tuple(items)

    def __iter__(self):
        use((self.name, ALL))
        return iter(self._items)

    def __getitem__(self, index):
        use((self.name, ALL))
        return self._items[index]

    def __len__(self):
        use((self.name, ALL))
        return len(self._items)

    def __contains__(self, item):
        use((self.name, ALL))
        return item in self._items

    def __reduce__(self):
        return (tuple, (self._items,))


class SiteView:
    """The site as pages read it: every read through it is recorded (see the tokens above).

    Templates and page kinds get this view, never the :class:`Site` itself,
    so what a page used is what it read. ``untracked`` is the plain site, for
    code that runs outside any page and whose reading is no use (planning
    which pages exist, indexing mentions); ``config`` is the global
    fingerprint's, not tracked one by one.
    """

    def __init__(self, site: Site):
        self.untracked = site
        self.config = site.config
        self.entities = TrackedMapping("entity", site.entities)
        self.sources = TrackedMapping("source", site.sources)
        self.timelines = TrackedMapping("timeline", site.timelines)
        self.places = TrackedMapping("place", site.places)
        self.images = TrackedMapping("image", site.images)
        self.pictures = TrackedMapping("picture", site.pictures)
        self.briefings = TrackedSequence("briefings", site.briefings)
        self.pages = TrackedSequence("pages", site.pages)

    def named(self, entity_id: str):
        """The entity a link shows: a use of its kind and name alone (("name", id)), not of its record."""
        use(("name", entity_id))
        return self.untracked.entities.get(entity_id)

    def entity_sources(self, entity_id: str) -> tuple[str, ...]:
        """The ids of an entity's sources: a use of that list alone (("entity-sources", id))."""
        use(("entity-sources", entity_id))
        entity = self.untracked.entities.get(entity_id)
        return entity.sources if entity is not None else ()


def site_view(site: "Site | SiteView") -> SiteView:
    """The tracked view of ``site`` (a view is returned as it is)."""
    return site if isinstance(site, SiteView) else SiteView(site)


# -- fingerprints ------------------------------------------------------------------
def ordered(tokens: Iterable[tuple]) -> tuple[tuple, ...]:
    """Tokens in a fixed order (fingerprints of what a page used are taken in it)."""
    return tuple(sorted(tokens))


def digest(*parts) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


_META_FIELDS = tuple(f.name for f in fields(Document) if f.name != "body")


def document_fingerprints(doc: Document) -> tuple[str, str]:
    """(meta, body): everything but the Markdown body, and the body."""
    return digest(*(getattr(doc, name) for name in _META_FIELDS)), digest(doc.body.encode("utf-8"))


class Fingerprints:
    """Fingerprints of tokens in one site; computed once each, on demand.

    ``documents`` maps (kind, slug, lang) -> (document, (meta, body)) for
    fingerprints known already (the cache keeps them with each document), so
    an unchanged document is never hashed again. They are used only for that
    very document object: a later stage that replaces a record (a translation
    marked outdated) gets its fingerprints computed afresh.
    """

    def __init__(self, site: Site, mentions, documents: dict | None = None, files=None):
        self.site = site
        self.mentions = mentions
        self.documents = documents or {}
        # ("template", name) and ("catalogue", lang) -> the hash of the file that serves it ("absent": none)
        self.files = files or (lambda token: "absent")
        self.groups = {(g.kind, g.slug): g for g in site.briefings + site.pages}
        self._memo: dict[tuple, str] = {}

    def of(self, token: tuple) -> str:
        value = self._memo.get(token)
        if value is None:
            value = self._memo[token] = self._compute(token)
        return value

    def _doc(self, doc: Document) -> tuple[str, str]:
        key = (doc.kind, doc.slug, doc.lang)
        known = self.documents.get(key)
        if known is None or (known[0] is not doc and known[0] != doc):
            known = self.documents[key] = (doc, document_fingerprints(doc))
        return known[1]

    def _group_meta(self, group: DocumentGroup | None) -> str:
        if group is None:
            return "absent"
        return digest(group.kind, group.slug, *((lang, self._doc(doc)[0]) for lang, doc in group.translations))

    def _compute(self, token: tuple) -> str:
        kind = token[0]
        site = self.site
        if kind in ("entity", "source", "timeline", "place", "image", "picture"):
            table = {"entity": site.entities, "source": site.sources, "timeline": site.timelines, "place": site.places,
                     "image": site.images, "picture": site.pictures}[kind]
            if token[1] == ALL:
                return digest(*sorted(table.items()))
            return digest(table.get(token[1]))
        if kind in ("briefings", "pages"):
            groups = site.briefings if kind == "briefings" else site.pages
            return digest(*(self.of(("meta", g.kind, g.slug)) for g in groups))
        if kind == "name":
            entity = site.entities.get(token[1])
            return digest(entity.kind, entity.name) if entity else "absent"
        if kind == "entity-sources":
            entity = site.entities.get(token[1])
            return digest(entity.sources) if entity else "absent"
        if kind == "meta":
            return self._group_meta(self.groups.get((token[1], token[2])))
        if kind == "body":
            group = self.groups.get((token[1], token[2]))
            doc = group.get(token[3]) if group else None
            return self._doc(doc)[1] if doc else "absent"
        if kind in ("template", "catalogue", "file"):
            return self.files(token)
        if kind == "maps":
            from ..maps.borders import data_fingerprint  # shapely and pyproj: only for a site that draws maps

            return data_fingerprint()
        if kind == "mentions":
            entity_id = token[1]
            listed = [self.of(("meta", g.kind, g.slug)) for g in self.mentions.briefings.get(entity_id, ())]
            # An event by its place and its timeline's fingerprint (which covers every event's
            # fields): the repr of each event again, for every entity, was a fifth of a rebuild's checks.
            events = [(e.timeline, e.index, self.of(("timeline", e.timeline))) for e in self.mentions.events.get(entity_id, ())]
            return digest(listed, events)
        raise ValueError(f"unknown dependency token {token!r}")
