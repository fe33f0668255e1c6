"""The page kinds of the content format: per language the home page, feed, briefings, plain pages,
fact pages and timelines; once for the site the language choice, 404, sitemap, robots.txt and assets.

Each kind is a function of the :class:`~generator.render.pages.Plan` that
adds its pages (``plan.add``); ``pages.PAGE_KINDS`` lists them in order. A
page's render function looks its data up in the (tracked) site while it
runs, so what it used is recorded (``deps.py``); what the plan hands it
directly is declared with the page.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

from ..cache.deps import SiteView
from ..content.model import Document, DocumentGroup, Timeline
from .language import LanguageRenderer, ListItem, language_name
from .templates import assets
from .urls import file_for, route

if TYPE_CHECKING:
    from .pages import Plan


def language_pages(plan: Plan) -> None:
    """Per language: the home page, the feed, every briefing and plain page, every fact page and timeline."""
    for renderer in plan.renderers.values():
        _language(plan, renderer)


def site_pages(plan: Plan) -> None:
    """Once for the site: the language choice, the 404 page, the sitemap and robots.txt."""
    site, renderers, first = plan.site, plan.renderers, plan.default
    langs = site.config.languages
    plan.add("index.html", lambda: first.render("chooser.html", languages=[(code, language_name(code), first.urls.path(route(code))) for code in langs]))
    plan.add("404.html", lambda: first.render("404.html", languages=[(code, language_name(code), first.urls.path(route(code)), renderers[code].format.gettext("Page not found")) for code in langs]),
             *(("catalogue", code) for code in langs))  # "Page not found" in every language
    # A batch of its own: heavy, it is claimed first rather than left to the end, where one
    # process would render it while the others wait.
    plan.add("sitemap.xml", lambda: first.render("sitemap.xml", entries=_sitemap_entries(site, renderers, plan.sitemap)), batch="sitemap")
    plan.add("robots.txt", lambda: first.render("robots.txt"))


def asset_files(plan: Plan) -> None:
    """The files under ``templates/assets/`` (the stylesheet), as they are."""
    for path, data in assets(plan.template_dirs).items():
        plan.add(path, lambda data=data: data, ("template", path))  # its file in the templates folder


def _language(plan: Plan, r: LanguageRenderer) -> None:
    site, mentions, add = plan.site, plan.mentions, plan.add
    planned = site.untracked  # which pages exist: the plan is not a page, its reading is no use
    lang = r.lang
    langs = site.config.languages

    def home():
        items = [r.list_item(g) for g in site.briefings]
        info = r.page_info(lambda code: route(code), r.loc(site.config.title), langs, "home")
        return r.render("home.html", page=info, items=items, meta=r.metadata.home())

    def feed():
        # The newest feed_limit briefings of this language (site.briefings: newest first).
        items = list(itertools.islice((i for i in (r.list_item(g) for g in site.briefings) if i.translated), site.config.feed_limit))
        return r.render("feed.xml", items=items, updated=_feed_updated(items), feed_url=r.urls.absolute(f"{lang}/feed.xml"), home_url=r.urls.absolute(route(lang)))

    # The home page, the feed and the fact and topic pages list briefings, each item made once
    # per renderer (briefing_item): one process renders them all, not every process its own copies.
    lists = f"lists-{lang}"
    add(file_for(route(lang)), home, batch=lists)
    add(f"{lang}/feed.xml", feed, batch=lists)

    def briefing(group: DocumentGroup, doc: Document) -> str:
        r._timelines_shown = []
        body = r.body(doc)
        after = [site.timelines[doc.timeline]] if doc.timeline and doc.timeline not in r._timelines_shown else []
        shown = [site.timelines[t] for t in r._timelines_shown] + after
        info = r.page_info(lambda code: route(code, "briefings", group.slug), doc.title, group.languages, "briefings")
        topics = [site.entities[t] for t in doc.topics]
        sources = _sources_of(site, doc.mentions, shown)
        return r.placed(doc, r.render("briefing.html", page=info, doc=doc, group=group, body=body, timeline_after=after,
                                      topics=topics, sources=sources, meta=r.metadata.briefing(group, doc, sources)))

    for group in planned.briefings:
        doc = group.get(lang)
        if doc is not None:
            add(file_for(route(lang, "briefings", group.slug)), lambda g=group, d=doc: briefing(g, d), ("meta", group.kind, group.slug))

    def page(group: DocumentGroup, doc: Document) -> str:
        info = r.page_info(lambda code: route(code, "pages", group.slug), doc.title, group.languages, "pages")
        return r.placed(doc, r.render("page.html", page=info, doc=doc, body=r.body(doc), meta=r.metadata.page(group, doc)))

    for group in planned.pages:
        doc = group.get(lang)
        if doc is not None:
            add(file_for(route(lang, "pages", group.slug)), lambda g=group, d=doc: page(g, d), ("meta", group.kind, group.slug))

    def entity(entity_id: str) -> str:
        item = site.entities[entity_id]
        info = r.page_info(lambda code: route(code, item.kind, entity_id), r.loc(item.name), langs, item.kind)
        listed = [r.list_item(g) for g in mentions.briefings.get(entity_id, [])]
        template = "topic.html" if item.kind == "topics" else "entity.html"
        return r.render(template, page=info, item=item, items=listed, events=mentions.events.get(entity_id, []), sources=_sources_of(site, [entity_id], []),
                        meta=r.metadata.entity(item, [i.doc for i in listed]))

    for entity_id, item in sorted(planned.entities.items()):
        add(file_for(route(lang, item.kind, entity_id)), lambda e=entity_id: entity(e), batch=lists)

    def timeline(timeline_id: str) -> str:
        timeline = site.timelines[timeline_id]
        info = r.page_info(lambda code: route(code, "timelines", timeline_id), r.loc(timeline.title), langs, "timelines")
        return r.render("timeline.html", page=info, timeline=timeline, sources=_sources_of(site, [], [timeline]),
                        meta=r.metadata.timeline(timeline))

    for timeline_id in sorted(planned.timelines):
        add(file_for(route(lang, "timelines", timeline_id)), lambda t=timeline_id: timeline(t))


def _sources_of(site: SiteView, entity_ids, timelines: list[Timeline]) -> list:
    # The list of an entity's sources, not all of its record; a [[link]] to a timeline has none here.
    # dict.fromkeys: first-seen order, each source once (even if listed twice).
    ids = dict.fromkeys(
        [s for entity_id in entity_ids for s in site.entity_sources(entity_id)]
        + [s for timeline in timelines for event in timeline.events for s in event.sources]
    )
    return [site.sources[s] for s in ids]


def _feed_updated(items: list[ListItem]) -> dt.datetime:
    moments = [i.doc.updated or i.doc.published for i in items]
    return max(moments) if moments else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _sitemap_entries(site: SiteView, renderers: dict[str, LanguageRenderer], further=()):
    """(absolute url, lastmod or None, alternates) for every page of every language; ``further``: Plan.sitemap."""
    urls = next(iter(renderers.values())).urls
    langs = site.config.languages
    entries = []

    def add(route_for, available, lastmod=None):
        alternates = [(code, urls.absolute(route_for(code))) for code in langs if code in available]
        for code in langs:
            if code in available:
                entries.append((urls.absolute(route_for(code)), lastmod(code) if lastmod else None, alternates if len(alternates) > 1 else []))

    # A home page lists every briefing: it changed when the newest one did.
    # Fact pages get no lastmod: their YAML records carry no dates.
    newest = max(((d.updated or d.published) for g in site.briefings for _, d in g.translations), default=None)
    add(lambda c: route(c), langs, (lambda c: newest.date().isoformat()) if newest else None)
    for group in site.briefings:
        add(lambda c, g=group: route(c, "briefings", g.slug), group.languages,
            lambda c, g=group: (g.get(c).updated or g.get(c).published).date().isoformat())
    for group in site.pages:
        add(lambda c, g=group: route(c, "pages", g.slug), group.languages)
    for entity_id, item in sorted(site.entities.items()):
        add(lambda c, e=item: route(c, e.kind, e.id), langs)
    for timeline_id in sorted(site.timelines):
        add(lambda c, t=timeline_id: route(c, "timelines", t), langs)
    for route_for, available in further:
        add(route_for, available)
    return entries
