"""Metadata for search engines and social networks, built as data.

For a briefing page: Open Graph and Twitter card tags and a schema.org
``NewsArticle``, with its social image (its lead image's card, or a card
drawn for it: ``images/``) as ``og:image`` and an ``ImageObject``; for a fact page (weapon, person, organisation): the same
tags and schema.org data for the thing it describes (a weapon is a
``Product`` with its country of origin and range). The home page of each
language is a ``WebSite``, a topic or timeline page a ``CollectionPage`` of
what it lists, a plain page (about, methodology) a ``WebPage``. Everything here is plain
Python data turned into text by :func:`json_ld`, never assembled from string
templates, so no value can break out of its ``<script>`` element; the
template partial ``partials/meta.html`` only prints a :class:`PageMeta`.

Nothing in here reads a clock: the dates come from the content, so the same
input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from babel.core import Locale, get_global
from babel.units import get_unit_name
from markupsafe import Markup

from ..cache import deps
from ..content import labels
from ..content.model import (
    Document,
    DocumentGroup,
    Entity,
    Organization,
    Person,
    Site,
    Source,
    Text,
    Timeline,
    Topic,
    Weapon,
)
from ..images import html as pictures
from .l10n import Formatter
from .urls import Urls, route

SCHEMA = "https://schema.org"

# Characters that could end or confuse a <script> element (or an HTML
# comment inside one) when they appear in a JSON string, and the two line
# separators old JavaScript parsers reject inside strings.
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                  ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))

# Compact separators keep json.dumps on its C encoder (an indent makes it
# fall back to a generator written in Python, and every page has JSON-LD).
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class PageMeta:
    """What ``partials/meta.html`` prints into a page's ``<head>``."""

    properties: tuple[tuple[str, str], ...]  # <meta property=... content=...>: Open Graph
    names: tuple[tuple[str, str], ...]  # <meta name=... content=...>: Twitter card
    json_ld: Markup  # the text of <script type="application/ld+json">, already safe
    description: str  # also the page's <meta name="description">, so search and social agree


def json_ld(data: dict, last: tuple[str, list[str]] | None = None) -> Markup:
    """``data`` as JSON that can sit inside ``<script>`` unescaped by HTML rules.

    ``last``: (key, items already made by :func:`_safe_json`), a list put
    after every key of ``data`` (which is not empty): the same text as if
    the list of values were in ``data``, for lists whose items many pages share.
    """
    text = _safe_json(data)
    if last is not None:
        key, items = last
        text = f'{text[:-1]},{_safe_json(key)}:[{",".join(items)}]}}'
    return Markup(text)


def _safe_json(value) -> str:
    text = _encode(value)
    # str.replace runs in C; str.translate with a table is slow on Cyrillic text.
    # Each unsafe character becomes an escape without any: pieces escaped apart join as if escaped together.
    for unsafe, escaped in _SCRIPT_UNSAFE:
        if unsafe in text:
            text = text.replace(unsafe, escaped)
    return text


@functools.lru_cache(maxsize=None)  # CLDR lookups are slow, and every page asks
def og_locale(lang: str) -> str:
    """Open Graph wants language_TERRITORY: 'ru' -> 'ru_RU', 'en' -> 'en_US'."""
    code = lang.replace("-", "_")
    likely = get_global("likely_subtags").get(code, code)
    locale = Locale.parse(likely)
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def moment(value: dt.datetime) -> str:
    """An aware datetime in ISO 8601 with its offset: '2023-03-01T10:00:00+03:00'."""
    if value.tzinfo is None:
        raise ValueError("a naive datetime has no place in metadata")  # resolve.py makes them aware
    return value.isoformat()


class MetadataBuilder:
    """Builds :class:`PageMeta` for the pages of one language."""

    def __init__(self, site: Site, lang: str, formatter: Formatter):
        self.site = site
        self.lang = lang
        self.format = formatter
        self.urls = Urls(site.config)
        self._citations: dict = {}  # source id -> its JSON, with what it used (deps.remembered)
        self._refs: dict = {}  # (kind, slug, lang) -> (document, the JSON of article_ref)

    # helpers -----------------------------------------------------------------
    def loc(self, value: Text | str | None) -> str:
        if value is None:
            return ""
        return value.get(self.lang) if isinstance(value, Text) else value

    def doc_url(self, doc: Document) -> str:
        return self.urls.absolute(route(doc.lang, doc.kind, doc.slug))

    def entity_url(self, entity: Entity) -> str:
        return self.urls.absolute(route(self.lang, entity.kind, entity.id))

    def publisher(self) -> dict:
        config = self.site.config
        return {"@type": "NewsMediaOrganization", "name": self.loc(config.publisher or config.title),
                "url": self.urls.absolute(route(self.lang))}

    def article_ref(self, doc: Document) -> dict:
        """A short reference to a briefing in some language."""
        ref = {"@type": "NewsArticle", "@id": self.doc_url(doc), "url": self.doc_url(doc), "headline": doc.title,
               "inLanguage": doc.lang}
        if doc.published is not None:
            ref["datePublished"] = moment(doc.published)
        return ref

    def citation(self, source: Source) -> dict:
        cited = {"@type": "CreativeWork", "name": self.loc(source.title)}
        if source.url:
            cited["url"] = source.url
        publisher = self.site.entities[source.publisher_id].name if source.publisher_id else source.publisher
        cited["publisher"] = {"@type": "Organization", "name": self.loc(publisher)}
        if source.date:
            cited["datePublished"] = source.date.iso()
        return cited

    def home_url(self) -> str:
        return self.urls.absolute(route(self.lang))

    def website_ref(self) -> dict:
        """The site in this language, which every other page is part of."""
        return {"@type": "WebSite", "@id": self.home_url(), "url": self.home_url(), "name": self.loc(self.site.config.title)}

    def country(self, code: str) -> dict:
        return {"@type": "Country", "name": self.format.country(code), "identifier": code}

    def _tags(self, og_type: str, title: str, description: str, url: str, languages: tuple[str, ...]) -> tuple[list, list]:
        properties = [("og:type", og_type), ("og:site_name", self.loc(self.site.config.title)), ("og:title", title)]
        if description:
            properties.append(("og:description", description))
        properties += [("og:url", url), ("og:locale", og_locale(self.lang))]
        properties += [("og:locale:alternate", og_locale(code)) for code in languages if code != self.lang]
        names = [("twitter:card", "summary"), ("twitter:title", title)]
        if description:
            names.append(("twitter:description", description))
        return properties, names

    # pages -------------------------------------------------------------------
    def briefing(self, group: DocumentGroup, doc: Document, sources: list[Source]) -> PageMeta:
        """A briefing page: Open Graph article, Twitter card, schema.org NewsArticle."""
        url = self.doc_url(doc)
        description = doc.summary or self.loc(self.site.config.description)
        modified = doc.updated or doc.published
        topics = [self.site.entities[t] for t in doc.topics]

        properties, names = self._tags("article", doc.title, description, url, group.languages)
        social = self.social_image(group, doc)
        properties += [("og:image", social.url), ("og:image:type", social.type), ("og:image:width", str(social.width)),
                       ("og:image:height", str(social.height)), ("og:image:alt", social.alt)]
        names[0] = ("twitter:card", "summary_large_image")
        names += [("twitter:image", social.url), ("twitter:image:alt", social.alt)]
        properties.append(("article:published_time", moment(doc.published)))
        properties.append(("article:modified_time", moment(modified)))
        properties += [("article:tag", self.loc(topic.name)) for topic in topics]

        data = {
            "@context": SCHEMA, "@type": "NewsArticle", "@id": url, "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": doc.title,
            "image": self.image_object(social),
        }
        if description:
            data["description"] = description
        data["datePublished"] = moment(doc.published)
        data["dateModified"] = moment(modified)
        data["inLanguage"] = doc.lang
        # Authors are plain names in the content; without any, the desk signs.
        data["author"] = [{"@type": "Person", "name": name} for name in doc.authors] or [self.publisher()]
        data["publisher"] = self.publisher()
        if topics:
            data["about"] = [{"@type": "Thing", "name": self.loc(t.name), "url": self.entity_url(t)} for t in topics]
        # The default language's version counts as the original; the others
        # are its translations (the content format records no other order).
        original = group.get(self.site.config.default_language) or group.translations[0][1]
        if doc is original:
            others = [d for code, d in group.translations if d is not doc]
            if others:
                data["workTranslation"] = [self.article_ref(d) for d in others]
        else:
            data["translationOfWork"] = self.article_ref(original)
        # A briefing cites a few dozen sources, each cited by many briefings: each made once.
        cited = [deps.remembered(self._citations, s.id, lambda s=s: _safe_json(self.citation(self.site.sources[s.id])))
                 for s in sources]
        return PageMeta(tuple(properties), tuple(names), json_ld(data, ("citation", cited) if cited else None), description)

    def social_image(self, group: DocumentGroup, doc: Document) -> pictures.SocialImage:
        """A briefing's image for social networks: its lead image's card, or the card drawn for it."""
        config = self.site.config
        shared = self.site.config.social_image  # the site's own share image, instead of a drawn card
        lead = self.site.images[doc.image] if doc.image else self.site.images[shared] if shared else None
        return pictures.social_image(lead, doc.lang, group.slug, doc.title, self.loc(config.title),
                                     urlsplit(config.base_url).netloc, self.urls.absolute, self.loc)

    def image_object(self, social: pictures.SocialImage) -> dict:
        """schema.org ImageObject of a social image: who made it, under which licence."""
        data = {"@type": "ImageObject", "contentUrl": social.url, "url": social.url, "width": social.width,
                "height": social.height, "encodingFormat": social.type}
        lead = social.image
        if lead is None:  # drawn by the site: its publisher's
            data["creditText"] = self.loc(self.site.config.publisher or self.site.config.title)
            return data
        if lead.caption:
            data["caption"] = self.loc(lead.caption)
        data["description"] = self.loc(lead.alt)
        data["creditText"] = self.loc(lead.credit)
        if lead.license:
            data["license"] = lead.license
        return data

    def home(self) -> PageMeta:
        """The home page of a language: Open Graph website, schema.org WebSite in that language."""
        config = self.site.config
        url = self.home_url()
        title = self.loc(config.title)
        description = self.loc(config.description)
        properties, names = self._tags("website", title, description, url, config.languages)
        data = {"@context": SCHEMA, "@type": "WebSite", "@id": url, "url": url, "name": title}
        if description:
            data["description"] = description
        data["inLanguage"] = self.lang
        data["publisher"] = self.publisher()
        return PageMeta(tuple(properties), tuple(names), json_ld(data), description)

    def page(self, group: DocumentGroup, doc: Document) -> PageMeta:
        """A plain page (about, methodology): Open Graph article, schema.org WebPage."""
        url = self.doc_url(doc)
        description = doc.summary or self.loc(self.site.config.description)
        properties, names = self._tags("article", doc.title, description, url, group.languages)
        data = {"@context": SCHEMA, "@type": _PAGE_TYPES.get(group.slug, "WebPage"), "@id": url, "url": url, "name": doc.title}
        if description:
            data["description"] = description
        # A plain page need not have a date; when it has one, say so as a briefing does.
        if doc.published is not None:
            modified = doc.updated or doc.published
            properties.append(("article:published_time", moment(doc.published)))
            properties.append(("article:modified_time", moment(modified)))
            data["datePublished"] = moment(doc.published)
            data["dateModified"] = moment(modified)
        data["inLanguage"] = doc.lang
        data["isPartOf"] = self.website_ref()
        data["publisher"] = self.publisher()
        return PageMeta(tuple(properties), tuple(names), json_ld(data), description)

    def dataset(self, url: str, name: str, description: str, data: dict) -> PageMeta:
        """A page of open data (``generator/data``): Open Graph website; ``data``, its schema.org Dataset, as JSON-LD."""
        properties, names = self._tags("website", name, description, url, self.site.config.languages)
        return PageMeta(tuple(properties), tuple(names), json_ld(data), description)

    def _collection(self, url: str, name: str, description: str, items: list[dict]) -> tuple[list, list, dict]:
        """A page that lists things: Open Graph website, schema.org CollectionPage with an ItemList."""
        properties, names = self._tags("website", name, description, url, self.site.config.languages)
        data = {"@context": SCHEMA, "@type": "CollectionPage", "@id": url, "url": url, "name": name}
        if description:
            data["description"] = description
        data["inLanguage"] = self.lang
        data["isPartOf"] = self.website_ref()
        if items:
            data["mainEntity"] = {"@type": "ItemList", "numberOfItems": len(items), "itemListElement": [
                {"@type": "ListItem", "position": n, "item": item} for n, item in enumerate(items, 1)]}
        return properties, names, data

    def topic(self, entity: Topic, briefings: list[Document]) -> PageMeta:
        """A topic page: a collection of the briefings about the topic, which it is ``about``."""
        url = self.entity_url(entity)
        name = self.loc(entity.name)
        # The page's lede: a topic's description, else its summary (templates/topic.html).
        description = self.loc(entity.description or entity.summary)
        properties, names, data = self._collection(url, name, description, [self.article_ref(doc) for doc in briefings])
        subject = {"@type": "Thing", "@id": url + "#subject", "name": name}
        if description:
            subject["description"] = description
        data["about"] = subject
        return PageMeta(tuple(properties), tuple(names), json_ld(data), description)

    def timeline(self, timeline: Timeline) -> PageMeta:
        """A timeline page: a collection of its events, each by its anchor on the page."""
        url = self.urls.absolute(route(self.lang, "timelines", timeline.id))
        events = [{"@type": "Thing", "name": self.loc(event.title), "url": f"{url}#event-{event.anchor}"}
                  for event in timeline.events]
        description = self.loc(timeline.description)
        properties, names, data = self._collection(url, self.loc(timeline.title), description, events)
        return PageMeta(tuple(properties), tuple(names), json_ld(data), description)

    def entity(self, entity: Entity, briefings: list[Document]) -> PageMeta:
        """A fact page: the thing it describes, and the briefings about it."""
        if isinstance(entity, Topic):
            return self.topic(entity, briefings)
        url = self.entity_url(entity)
        name = self.loc(entity.name)
        description = self.loc(entity.summary)
        properties, names = self._tags("website", name, description, url, self.site.config.languages)

        data = {"@context": SCHEMA, "@type": _SCHEMA_TYPES[entity.kind], "@id": url + "#subject", "name": name,
                "url": url, "mainEntityOfPage": {"@type": "WebPage", "@id": url}}
        if description:
            data["description"] = description
        if isinstance(entity, Weapon):
            if entity.weapon_class:
                data["category"] = labels.term_label(self.site.config.vocabularies, "class", entity.weapon_class, self.lang,
                                                        self.format.gettext)
            if entity.origin:
                data["countryOfOrigin"] = self.country(entity.origin)
            if entity.range_km is not None:
                data["additionalProperty"] = [{
                    "@type": "PropertyValue", "propertyID": "range", "name": self.format.gettext("Range"),
                    "value": entity.range_km, "unitCode": "KMT",  # UN/CEFACT code for kilometre
                    "unitText": get_unit_name("length-kilometer", length="short", locale=self.format.locale),
                }]
        elif isinstance(entity, Person):
            if entity.role:
                data["jobTitle"] = self.loc(entity.role)
            if entity.country:
                data["nationality"] = self.country(entity.country)
        elif isinstance(entity, Organization):
            if entity.url:
                data["sameAs"] = entity.url
            if entity.country:
                data["location"] = self.country(entity.country)
        # A fact page lists every briefing that mentions it: each reference made once per build.
        refs = [self._article_ref_json(doc) for doc in briefings]
        return PageMeta(tuple(properties), tuple(names), json_ld(data, ("subjectOf", refs) if refs else None), description)

    def _article_ref_json(self, doc: Document) -> str:
        key = (doc.kind, doc.slug, doc.lang)
        known = self._refs.get(key)
        if known is None or known[0] is not doc:
            known = self._refs[key] = (doc, _safe_json(self.article_ref(doc)))
        return known[1]


# A weapon is described as a Product: schema.org's type that has a country of
# origin and measured properties. Search engines show no product snippet for
# it (there is no offer), which is right for these pages.
_SCHEMA_TYPES = {"weapons": "Product", "people": "Person", "organizations": "Organization"}

# Plain pages are WebPages; the one the content format's sample calls "about"
# is schema.org's AboutPage (the slug is the only hint the content gives).
_PAGE_TYPES = {"about": "AboutPage"}
