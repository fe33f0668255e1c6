"""A timeline in Knight Lab's TimelineJS 3 JSON format, in one language.

``/<lang>/timelines/<id>/timeline.json`` is a file another newsroom's page can hand to TimelineJS
(``new TL.Timeline(element, url)``): a title slide (the timeline's title and description, and a
link to its page), then one slide per event in date order. An event's ``start_date`` holds only
the precision its YAML gives (``2022-10``: a year and a month, as strings, as in TimelineJS's
documentation); the slide's ``display_date`` says the date in the file's language. Its text is
HTML (TimelineJS shows headlines as HTML too): the event's text, what it counts and names, its
status and its sources, every link absolute (the file is shown on other sites). Text from the
content is escaped: it is data, never markup.
"""

from __future__ import annotations

import functools

from markupsafe import Markup, escape

from ..cache import deps
from ..content import labels
from ..content.model import Event, PartialDate, Source, Timeline
from ..render.markup import MarkdownRenderer
from ..render.urls import route


def start_date(date: PartialDate) -> dict[str, str]:
    """TimelineJS's date object at the precision of ``date``: year, then month and day if known."""
    parts = {"year": str(date.year)}
    if date.month:
        parts["month"] = str(date.month)
    if date.day:
        parts["day"] = str(date.day)
    return parts


class TimelineJS:
    """Converts timelines with one language's renderer (``render.language.LanguageRenderer``)."""

    def __init__(self, renderer):
        self.r = renderer
        self.site = renderer.site  # the tracked view: what a file reads is recorded
        self.lang = renderer.lang
        self.urls = renderer.urls
        self.format = renderer.format

    @functools.cached_property
    def markdown(self) -> MarkdownRenderer:
        # Links of its own: absolute, since the text is shown on other sites.
        return MarkdownRenderer(self._link, _no_blocks)

    def convert(self, timeline_id: str) -> dict:
        deps.use(("catalogue", self.lang))  # labels and "Sources" in this language
        timeline = self.site.timelines[timeline_id]
        return {"title": self._title(timeline), "events": [self._slide(event) for event in timeline.events]}

    # -- slides --------------------------------------------------------------------------
    def _title(self, timeline: Timeline) -> dict:
        page = self.urls.absolute(route(self.lang, "timelines", timeline.id))
        site_title = self.r.loc(self.site.config.title)
        text = Markup("")
        if timeline.description is not None:
            text += Markup("<p>{}</p>").format(self.r.loc(timeline.description))
        text += Markup('<p><a href="{}">{}</a></p>').format(page, self._("%(site)s: the timeline with its sources") % {"site": site_title})
        return {"text": {"headline": str(escape(self.r.loc(timeline.title))), "text": str(text)}, "unique_id": f"timeline-{timeline.id}"}

    def _slide(self, event: Event) -> dict:
        return {"start_date": start_date(event.date), "display_date": self.format.partial_date(event.date),
                "text": {"headline": str(escape(self.r.loc(event.title))), "text": str(self._event_text(event))},
                "unique_id": f"event-{event.anchor}"}

    def _event_text(self, event: Event) -> Markup:
        html = Markup("")
        if event.text is not None:
            html += Markup("<p>{}</p>").format(Markup(self.markdown.inline(self.r.loc(event.text))))
        if event.value is not None:
            html += Markup("<p>{}: {}</p>").format(self._("Value"), self.format.money(event.value))
        if event.quantities:
            html += Markup("<p>{}</p>").format(Markup("; ").join(
                Markup("{}: {}").format(self._entity_link(q.entity), self.format.units(q.count)) for q in event.quantities))
        counted = {q.entity for q in event.quantities}
        named = [entity_id for entity_id in event.entities if entity_id not in counted]
        if named:
            html += Markup("<p>{}: {}</p>").format(self._("Mentioned"), Markup(", ").join(self._entity_link(i) for i in named))
        status = labels.STATUS_LABELS[event.status]
        html += Markup("<p>{}: {}</p>").format(self._("Status"), self._(status))
        if event.sources:
            heading = self._("Source") if len(event.sources) == 1 else self._("Sources")
            html += Markup("<p>{}: {}</p>").format(heading, Markup("; ").join(self._cite(self.site.sources[s]) for s in event.sources))
        return html

    # -- pieces --------------------------------------------------------------------------
    def _(self, message: str) -> str:
        return self.format.gettext(message)

    def _entity_link(self, entity_id: str) -> Markup:
        entity = self.site.named(entity_id)
        return Markup('<a href="{}">{}</a>').format(self.urls.absolute(route(self.lang, entity.kind, entity_id)), self.r.loc(entity.name))

    def _cite(self, source: Source) -> Markup:
        publisher = self._entity_link(source.publisher_id) if source.publisher_id else escape(self.r.loc(source.publisher))
        title = self.r.loc(source.title)
        cited = Markup('<a href="{}">{}</a>').format(source.url, title) if source.url else escape(title)
        date = Markup(", {}").format(self.format.partial_date(source.date)) if source.date else Markup("")
        return Markup("<cite>{}: {}{}</cite>").format(publisher, cited, date)

    def _link(self, target: str, text: str | None):
        entity = self.site.named(target)
        if entity is not None:
            return self.urls.absolute(route(self.lang, entity.kind, target)), text or self.r.loc(entity.name)
        if target in self.site.timelines:
            return self.urls.absolute(route(self.lang, "timelines", target)), text or self.r.loc(self.site.timelines[target].title)
        return None


def _no_blocks(kind: str, ident: str) -> str:
    raise ValueError(f"[[{kind}:{ident}]] is not allowed in inline text")  # facts.py reports it first
