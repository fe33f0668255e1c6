"""Rendering in one language: a Jinja2 environment with that language's catalogue, CLDR formatting and helpers.

Per-language helpers (localised text, dates, units, URLs, labels) are Jinja2
globals and filters bound to the language. Pieces many pages share (fact
boxes, timelines, list items, cited sources, links) are made once per build
and language (``deps.remembered``: each use still records what it was made
from).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2
from babel import Locale
from markupsafe import Markup

from ..cache import deps
from ..cache.bodies import KeptBodies
from ..content import labels
from ..content.errors import Problems
from ..content.model import Document, DocumentGroup, Entity, MapRef, Site, Text, Timeline
from ..images import html as pictures
from ..images import markdown as placed
from ..search.facets import facet_words
from .catalog import load_translations
from .l10n import Formatter
from .markup import MarkdownRenderer
from .mentions import Mentions
from .metadata import MetadataBuilder
from .templates import template_environment
from .urls import Urls, route


@dataclass(frozen=True)
class Switch:
    lang: str
    name: str  # the language's own name: "English", "Русский"
    url: str
    exists: bool  # False: the page is not translated; url leads to that language's home


@dataclass(frozen=True)
class PageInfo:
    lang: str
    route: str
    url: str
    absolute_url: str
    title: str
    alternates: tuple[tuple[str, str], ...]  # (lang, absolute url) of existing versions, self included
    switches: tuple[Switch, ...]
    section: str = ""


@dataclass(frozen=True)
class ListItem:
    """A briefing in a list: in this language, or only in another one."""

    group: DocumentGroup
    doc: Document
    url: str
    translated: bool  # False: shown in the original language, says so


@dataclass(frozen=True)
class MapListing:
    """A range map of a briefing, listed on the weapon's page."""

    url: str  # the briefing's, with the map's anchor
    title: str
    item: ListItem


@functools.lru_cache(maxsize=None)  # a CLDR lookup, asked for by every page
def language_name(lang: str) -> str:
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


class LanguageRenderer:
    """Everything needed to render pages in one language."""

    def __init__(self, site: Site | deps.SiteView, lang: str, template_dirs: list[Path], locales_dir: Path, problems: Problems, mentions: Mentions,
                 bytecode_cache: jinja2.BytecodeCache | None = None, compiled_catalogues: Path | None = None,
                 bodies: KeptBodies | None = None):
        self.site = site = deps.site_view(site)  # every read of a page through it is recorded
        self.lang = lang
        self.urls = Urls(site.config)
        self.mentions = mentions
        self.format = Formatter(lang, site.config.timezone, load_translations(locales_dir, lang, problems, compiled_catalogues))
        self.env = template_environment(template_dirs, bytecode_cache)
        self.env.install_gettext_translations(self.format.translations, newstyle=True)
        self.env.globals["_"] = _remembering_gettext(self.env.globals["gettext"])
        # Babel's formatting is pure and slow, and the same dates and figures recur on many pages.
        cached = functools.lru_cache(maxsize=4096)
        self.env.filters.update(
            loc=self.loc, date=cached(self.format.date), pdate=cached(self.format.partial_date), km=cached(self.format.kilometres),
            money=cached(self.format.money), country=cached(self.format.country), units=cached(self.format.units),
            number=cached(self.format.number), inline_md=self.inline_markdown, isodate=lambda d: d.isoformat(),
            timeline_box=self.timeline_box,
            # Filters, not globals: Jinja2 calls a filter directly, a global through Context.call
            # (which checks what it is given at each call), and these run for every listed item.
            cite=self.cite, briefing_item=self.briefing_item,
        )
        self.env.globals.update(
            lang=lang, site=site, config=site.config, entity=self.entity, source=self.source, entity_url=self.entity_url,
            entity_name=self.entity_name, range_map=self.range_map, briefing_maps=self.briefing_maps,
            search_facets=facet_words,  # the words the search page filters by (generator/search/facets.py)
            url=self.urls.path, absolute=self.urls.absolute, route=route, label=self.label, language_name=language_name,
            is_translated=self.is_translated, default_language=site.config.default_language,
            image=self.image, picture_tag=self.picture_tag,
            # Plain pages (about, methodology) that exist in this language, for the footer.
            # Made before any page renders, so its use is recorded when a page lists it (deps.py).
            plain_pages=deps.TrackedSequence("pages", tuple(
                (self.urls.path(route(lang, "pages", g.slug)), g.get(lang).title) for g in site.untracked.pages if g.get(lang))),
        )
        self.metadata = MetadataBuilder(site, lang, self.format)  # Open Graph, JSON-LD
        self._timelines_shown: list[str] = []
        self.bodies = bodies  # Markdown bodies' HTML kept from earlier builds (bodies.py), if any
        # Fact boxes, timelines and event texts appear on many pages: made once
        # per build and language (see deps.remembered: each use still records its inputs).
        self._shared: dict = {}
        self._list_items: dict[tuple[str, str], ListItem] = {}

    # Made when first needed: a rebuild often renders one page, in one language.
    @functools.cached_property
    def markdown(self) -> MarkdownRenderer:
        return MarkdownRenderer(self.resolve_link, self.resolve_block, pictures=self.resolve_picture)

    @functools.cached_property
    def inline_markdown_renderer(self) -> MarkdownRenderer:
        # Event texts are rendered while a body is being converted (a timeline
        # embed), so they need an instance of their own: reset() would clobber it.
        return MarkdownRenderer(self.resolve_link, self._no_blocks)

    # helpers for templates ------------------------------------------------
    def loc(self, value: Text | str | None) -> str:
        if value is None:
            return ""
        return value.get(self.lang) if isinstance(value, Text) else str(value)

    def is_translated(self, value: Text | None) -> bool:
        return value is None or value.has(self.lang)

    def entity(self, entity_id: str) -> Entity:
        return self.site.entities[entity_id]

    def source(self, source_id: str):
        return self.site.sources[source_id]

    def image(self, image_id: str):
        """An image record (images.yaml), with its picture."""
        return self.site.images[image_id]

    def picture_tag(self, picture, use: str = "column") -> pictures.PictureTag:
        """What ``partials/picture.html`` prints for a picture shown as ``use`` (column, box, thumbnail)."""
        return pictures.picture_tag(picture, self.urls.path, use)

    # A link shows an entity's name and needs its kind (the URL): a use of those
    # alone (SiteView.named), so editing a weapon's range leaves the pages that merely link it.
    def entity_url(self, entity_id: str) -> str:
        return self.urls.path(route(self.lang, self.site.named(entity_id).kind, entity_id))

    def entity_name(self, entity_id: str) -> str:
        return self.loc(self.site.named(entity_id).name)

    def label(self, vocabulary: str, key: str) -> str:
        if vocabulary in ("class", "org"):  # a site may add terms of its own (site.yaml's vocabularies)
            return labels.term_label(self.site.config.vocabularies, vocabulary, key, self.lang, self.format.gettext)
        table = {
            "status": labels.STATUS_LABELS, "section": labels.SECTION_LABELS, "sections": labels.SECTION_TITLES,
        }[vocabulary]
        return self.format.gettext(table[key])

    def inline_markdown(self, text: Text | str) -> Markup:
        source = self.loc(text)
        return Markup(deps.remembered(self._shared, ("inline", source), lambda: self.inline_markdown_renderer.inline(source)))

    def cite(self, source) -> Markup:
        """``partials/source.html`` for a source: made once, shared by every page that cites it.

        A briefing lists a few dozen sources, and most sources are cited by
        many briefings: rendering the partial at each citation was a fifth
        of a cold build's template time. Rendered alone, the partial sees
        ``s`` and the globals only.
        """
        return Markup(deps.remembered(self._shared, ("source", source.id), lambda: self.env.get_template(
            "partials/source.html").render(s=self.site.sources[source.id])))

    def timeline_box(self, timeline: Timeline, heading_level: int) -> Markup:
        """``partials/timeline.html`` for a timeline: made once, shared by every page that shows it."""
        return Markup(deps.remembered(self._shared, ("timeline", timeline.id, heading_level), lambda: self.env.get_template(
            "partials/timeline.html").render(timeline=self.site.timelines[timeline.id], heading_level=heading_level)))

    # markdown callbacks -----------------------------------------------------
    def resolve_link(self, target: str, text: str | None):
        # Bodies link the same few hundred ids tens of thousands of times: each resolved once.
        found = deps.remembered(self._shared, ("link", target), lambda: self._link(target))
        return None if found is None else (found[0], text or found[1])

    def _link(self, target: str) -> tuple[str, str] | None:
        """(URL, name) of what ``[[target]]`` links; its uses are the same whether a text is given or not."""
        if self.site.named(target) is not None:
            return self.entity_url(target), self.entity_name(target)
        if target in self.site.timelines:
            return self.urls.path(route(self.lang, "timelines", target)), self.loc(self.site.timelines[target].title)
        return None

    def resolve_block(self, kind: str, ident: str) -> str:
        if kind == "map":
            from ..maps.embed import parse

            ref, _ = parse(ident)  # its mistakes were reported before any page renders
            return self.range_map(ref.weapon, ref.places)
        if kind == "factbox":
            return deps.remembered(self._shared, ("factbox", ident), lambda: self.env.get_template(
                "partials/factbox.html").render(item=self.site.entities[ident], heading_level=2))
        if kind == "image":
            return deps.remembered(self._shared, ("figure", ident), lambda: self.env.get_template(
                "partials/figure.html").render(img=self.site.images[ident], lead=False))
        self._timelines_shown.append(ident)
        return self.timeline_box(self.site.timelines[ident], 2)

    def resolve_picture(self, src: str):
        """A picture a text places: its file's record (a use of it), or None for a picture elsewhere (a warning said so)."""
        if not placed.is_local(src):
            return None
        picture = self.site.pictures.get(src)
        return None if picture is None else self.picture_tag(picture)
    def range_map(self, weapon_id: str, place_ids) -> Markup:
        """``partials/rangemap.html`` for a weapon's range around places: made once, shared by every page that shows it."""
        ref = MapRef(weapon_id, tuple(place_ids))

        def make() -> str:
            from ..maps.figure import figure  # pyproj, shapely, the border data: loaded by a site that draws a map

            return self.env.get_template("partials/rangemap.html").render(map=figure(self.site, self.format, ref))

        return Markup(deps.remembered(self._shared, ("map", ref), make))

    def briefing_maps(self, items: list[ListItem], weapon_id: str) -> list[MapListing]:
        """The range maps of ``weapon_id`` in the listed briefings, each with its title in this language (weapon pages)."""
        from ..maps.alternative import title

        weapon = self.site.entities[weapon_id]
        found = []
        for item in items:
            for ref in item.doc.maps:
                if ref.weapon == weapon_id:
                    names = [self.loc(self.site.places[place].name) for place in ref.places]
                    found.append(MapListing(f"{item.url}#{ref.anchor}", title(self.format, self.loc(weapon.name), weapon.range_km, names), item))
        return found

    @staticmethod
    def _no_blocks(kind: str, ident: str) -> str:
        raise ValueError(f"[[{kind}:{ident}]] is not allowed in inline text")  # resolve.py reports it first

    def render_markdown(self, body: str) -> Markup:
        return Markup(self.markdown.block(body))

    def body(self, doc: Document) -> Markup:
        """The HTML of a document's Markdown body (a use of that body), kept from an earlier build if it can be."""
        deps.use(("body", doc.kind, doc.slug, doc.lang))
        if self.bodies is not None and self.bodies.active:
            return Markup(self.bodies.html(doc, lambda: self.markdown.block(doc.body), self._timelines_shown))
        return self.render_markdown(doc.body)

    def placed(self, doc: Document, text: str) -> str:
        """``text``, the page that shows ``doc``'s body: the kept bodies note where the body is in it."""
        if self.bodies is not None and self.bodies.active:
            self.bodies.placed(doc, text)
        return text

    # lists ------------------------------------------------------------------
    def list_item(self, group: DocumentGroup) -> ListItem:
        # Made once per group: home pages, feeds and fact pages list the same briefings again and again.
        known = self._list_items.get((group.kind, group.slug))
        if known is not None and known.group is group:
            return known
        doc = group.get(self.lang)
        if doc is not None:
            item = ListItem(group, doc, self.urls.path(route(self.lang, group.kind, group.slug)), True)
        else:
            original = group.get(self.site.config.default_language) or group.translations[0][1]
            item = ListItem(group, original, self.urls.path(route(original.lang, group.kind, group.slug)), False)
        self._list_items[(group.kind, group.slug)] = item
        return item

    def briefing_item(self, item: ListItem) -> Markup:
        """``partials/briefing_item.html`` for a list item: made once, shared by every list that shows it.

        What it shows is covered by the token of the list it is in
        (("briefings", ALL) or ("mentions", id), which cover the meta of every listed briefing).
        """
        key = ("briefing-item", item.group.kind, item.group.slug, item.doc.lang, item.url, item.translated)
        return Markup(deps.remembered(self._shared, key, lambda: self.env.get_template("partials/briefing_item.html").render(item=item)))

    # page metadata ----------------------------------------------------------
    def page_info(self, route_for, title: str, available: tuple[str, ...], section: str = "") -> PageInfo:
        """``route_for(lang)`` gives the route of this page in another language."""
        urls = self.urls
        alternates = tuple((code, urls.absolute(route_for(code))) for code in self.site.config.languages if code in available)
        switches = []
        for code in self.site.config.languages:
            if code == self.lang:
                continue
            exists = code in available
            switches.append(Switch(code, language_name(code), urls.path(route_for(code) if exists else route(code)), exists))
        own = route_for(self.lang)
        return PageInfo(self.lang, own, urls.path(own), urls.absolute(own), title, alternates, tuple(switches), section)

    def render(self, template: str, **context) -> str:
        deps.use(("catalogue", self.lang))  # every page's UI strings come from its language's catalogue
        return self.env.get_template(template).render(**context)


def _remembering_gettext(installed):
    """Jinja2's ``_`` (the i18n extension's), remembering each UI string without variables.

    Its own goes through three ``Context.call``s and formats the string at
    every call; ``_("Sources")`` is the same text on every page (for one
    autoescape setting). Anything else (variables, a template that sets its
    own ``gettext``) goes the extension's way.
    """
    memo: dict = {}

    @jinja2.pass_context
    def _(context, *args, **kwargs):
        gettext = context.resolve_or_missing("gettext")
        if gettext is not installed or kwargs or len(args) != 1 or type(args[0]) is not str:
            return context.call(context.resolve("gettext"), *args, **kwargs)
        key = (args[0], context.eval_ctx.autoescape)
        text = memo.get(key)
        if text is None:
            text = memo[key] = context.call(gettext, args[0])
        return text

    return _
