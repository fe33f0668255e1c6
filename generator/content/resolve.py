"""Model stage: turn raw loaded content into a validated :class:`Site`.

Every record is read field by field (``fields.Fields``; fact files and
timelines in ``facts.py``, briefings and pages in ``documents.py``), every id
that one record uses is checked against the records that exist
(``refs.py``), translations are grouped by folder, and drafts are set aside.
Problems are collected, never raised one by one; the caller decides what to
do with them. No I/O here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from ..images import records as images
from ..maps.embed import check_maps
from ..maps.places import resolve_places
from .documents import resolve_document
from .errors import Problems, plain
from .facts import resolve_entity, resolve_sources, resolve_timeline
from .fields import URL_RE, Fields, shown
from .ids import ID_RULE, is_id
from .load import FACT_KINDS, RawContent, RawDocument
from .model import (
    DEFAULT_FEED_LIMIT,
    Document,
    DocumentGroup,
    Entity,
    Place,
    Site,
    SiteConfig,
    Source,
    Text,
    Timeline,
)
from .refs import KIND_WORDS, Refs, check_refs
from .vocabularies import read_vocabularies, salvaged_vocabularies
from .yamlsafe import PosDict

SITE_FIELDS = ("title", "base_url", "languages", "timezone", "description", "publisher", "data_license", "feed_limit",
               "vocabularies", "social_image")


def resolve_config(raw: RawContent, problems: Problems) -> SiteConfig | None:
    if raw.site is None:
        return None
    path = raw.site.path
    data = raw.site.data
    if not isinstance(data, PosDict):
        empty = "site.yaml is empty" if data is None else "site.yaml must hold fields written as 'name: value' lines"
        problems.error(path, None, f"{empty}: it needs title, base_url and languages")
        return None
    ok = True
    languages: list[str] = []
    raw_languages = data.get("languages")
    if raw_languages is None:
        problems.error(path, data.line, "site.yaml needs 'languages', such as [en, ru] (the first is the default)")
        ok = False
    elif not isinstance(raw_languages, list) or not raw_languages:
        problems.error(path, data.line_of("languages"), "'languages' must be a list of language codes, such as [en, ru]")
        ok = False
    else:
        for index, code in enumerate(raw_languages):
            line = raw_languages.line_of(index)
            if not isinstance(code, str) or not re.match(r"^[a-z]{2,3}$", code):
                problems.error(path, line, f"'{plain(code)}' is not a language code: use two or three lowercase letters such as en or ru")
                ok = False
                continue
            try:
                Locale.parse(code)
            except (UnknownLocaleError, ValueError):
                problems.error(path, line, f"'{code}' is not a language known to CLDR")
                ok = False
                continue
            if code in languages:
                problems.error(path, line, f"language '{code}' is listed twice")
                continue
            languages.append(code)
    # With a mistake in 'languages', texts are read without checking their
    # language keys (see fields.read_text), or every text would be an error.
    langs = tuple(languages) if ok else ()
    fields = Fields(data, path, problems, langs, "site.yaml")
    fields.check_known(SITE_FIELDS)
    title = fields.text("title", required=True)
    base_url = fields.url("base_url")
    if base_url is None and "base_url" not in data:
        fields._missing("base_url", True)
    tz_name = fields.string("timezone") or "UTC"
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        fields.error("timezone", f"unknown time zone '{tz_name}': use a name such as Europe/Moscow or UTC")
        ok = False
    description = fields.text("description")
    publisher = fields.text("publisher")
    data_license = _data_license(fields)
    feed_limit = _feed_limit(fields)
    vocabularies = read_vocabularies(fields)
    social_image = fields.ident("social_image")
    if not ok or title is None or base_url is None:
        return None
    if not base_url.endswith("/"):
        base_url += "/"
    base_path = urlsplit(base_url).path or "/"
    return SiteConfig(title, base_url, base_path, langs, tz_name, description, publisher, data_license, feed_limit, vocabularies,
                      social_image[0] if social_image else None)


def _data_license(fields: Fields) -> str | None:
    value = fields.string("data_license")
    if value is not None and not URL_RE.match(value):
        fields.error("data_license", "'data_license' must be the absolute address of the licence of your data, "
                                     f"such as https://creativecommons.org/licenses/by/4.0/, not '{plain(value)}'")
        return None
    return value


def _feed_limit(fields: Fields) -> int:
    if not fields.present("feed_limit"):
        return DEFAULT_FEED_LIMIT
    value = fields.data["feed_limit"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        fields.error("feed_limit", f"'feed_limit' must be a whole number of 1 or more (entries per feed, such as 50), not {shown(value)}")
        return DEFAULT_FEED_LIMIT
    return value


DocumentResolver = Callable[[RawDocument, SiteConfig, Problems, Refs], "Document | None"]


def resolve(raw: RawContent, problems: Problems, documents: DocumentResolver | None = None) -> Site | None:
    """Build the validated site model; returns None when there is no usable config.

    ``documents`` resolves one language file (default :func:`resolve_document`);
    an incremental build passes one that reuses what it resolved before.
    """
    resolve_one = documents or resolve_document
    config = resolve_config(raw, problems)
    if config is None:
        # Without languages nothing else can be checked reliably; still parse
        # what can be parsed with a provisional config so all errors show.
        languages = _provisional_languages(raw)
        title = Text.same("Untitled", languages) if languages else Text((("", "Untitled"),), "")
        config = SiteConfig(title, "https://example.invalid/", "/", languages, "UTC",
                            vocabularies=salvaged_vocabularies(raw.site.data if raw.site else None))
        usable = False
    else:
        usable = True
    refs = Refs()
    known: dict = {}
    owners: dict[str, tuple[str, int]] = {}
    entities: dict[str, Entity] = {}
    sources: dict[str, Source] = {}
    places: dict[str, Place] = {}
    image_records: dict[str, images.ImageFields] = {}
    # Ids defined in a file that could not be read would be unknown, and every
    # use of them one more error: only the file's own error is reported.
    broken: set[str] = set()
    for kind, ids in raw.broken_facts.items():
        for fact_id in ids:
            known.setdefault(fact_id, kind)
    for kind in FACT_KINDS:
        raw_file = raw.facts.get(kind)
        if raw_file is None or raw_file.data is None:
            continue
        if not isinstance(raw_file.data, PosDict):
            problems.error(raw_file.path, None, f"{kind}.yaml must map each id to its fields ('id:' then indented fields)")
            broken.add(kind)
            continue
        for fact_id, record in raw_file.data.items():
            line = raw_file.data.line_of(fact_id)
            if not is_id(fact_id):
                problems.error(raw_file.path, line, f"'{plain(fact_id)}' is not a valid id: use {ID_RULE}")
                # Uses of the id as it will be once fixed ('Test-Person' -> test-person)
                # are not errors of their own.
                if isinstance(fact_id, str) and is_id(fact_id.lower()):
                    known.setdefault(fact_id.lower(), kind)
                continue
            if fact_id in owners:
                first_path, first_line = owners[fact_id]
                problems.error(raw_file.path, line, f"id '{fact_id}' is already used in {problems.rel(first_path)}:{first_line}: fact ids must be unique across all fact files")
                continue
            owners[fact_id] = (raw_file.path, line)
            known[fact_id] = kind
        if kind in ("sources", "places", "images"):
            ok_records = PosDict({k: v for k, v in raw_file.data.items() if owners.get(k, (None,))[0] == raw_file.path})
            ok_records.key_lines = raw_file.data.key_lines
            ok_records.line = raw_file.data.line
            if kind == "sources":
                sources = resolve_sources(type(raw_file)(raw_file.path, ok_records), config, problems, refs)
            elif kind == "places":
                places = resolve_places(type(raw_file)(raw_file.path, ok_records), config, problems, refs)
            else:
                image_records = images.read_images(type(raw_file)(raw_file.path, ok_records), config, problems)
            continue
        for fact_id, record in raw_file.data.items():
            if owners.get(fact_id, (None,))[0] != raw_file.path or known.get(fact_id) != kind:
                continue
            if not isinstance(record, PosDict):
                problems.error(raw_file.path, raw_file.data.line_of(fact_id), f"{KIND_WORDS[kind]} '{fact_id}' must be a mapping of fields such as name:")
                continue
            entity = resolve_entity(kind, fact_id, record, raw_file.path, config, problems, refs, raw_file.data.line_of(fact_id))
            if entity is not None:
                entities[fact_id] = entity

    timelines: dict[str, Timeline] = {}
    for timeline_id, raw_file in raw.timelines.items():
        known[("timeline", timeline_id)] = "timelines"
        if timeline_id in owners:  # [[id]] names no kind: it would mean whichever came first
            fact_path, fact_line = owners[timeline_id]
            problems.error(raw_file.path, None, f"the timeline id '{timeline_id}' is already a fact id in {problems.rel(fact_path)}:{fact_line}: "
                                                "[[" + timeline_id + "]] would name both; rename this timeline file (ids are unique across facts and timelines)")
        timeline = resolve_timeline(timeline_id, raw_file, config, problems, refs)
        if timeline is not None:
            timelines[timeline_id] = timeline

    groups: dict[tuple[str, str], list[Document]] = {}
    for raw_doc in raw.documents:
        # With a broken site.yaml, against the languages it lists beyond doubt (if any).
        if config.languages and raw_doc.lang not in config.languages:
            problems.error(raw_doc.path, None, f"language '{raw_doc.lang}' is not declared in site.yaml (languages: {', '.join(config.languages)}): add '{raw_doc.lang}' to languages there, or rename the file to one of {', '.join(c + '.md' for c in config.languages)}")
            continue
        document = resolve_one(raw_doc, config, problems, refs)
        if document is not None:
            groups.setdefault((raw_doc.kind, raw_doc.slug), []).append(document)

    known = _known_with_timelines(known, timelines, raw)
    for timeline_id in raw.broken_timelines:
        known.setdefault(timeline_id, "timelines")
        known[("timeline", timeline_id)] = "timelines"
    if config.social_image and raw.site is not None and isinstance(raw.site.data, PosDict):
        refs.add(raw.site.path, raw.site.data.line_of("social_image"), config.social_image, ("images",), "'social_image'")
    # Pictures that texts place name files, not ids: checked against content/images/ with the image records.
    placed = [(path, line, name) for path, line, name, kinds, _ in refs.items if kinds == ("pictures",)]
    refs.items = [ref for ref in refs.items if ref[3] != ("pictures",)]
    check_refs(refs, known, problems, frozenset(broken))
    check_maps([d for docs in groups.values() for d in docs], entities, places, problems)
    image_table, pictures = images.assemble(raw.pictures, image_records, placed, problems)
    # Published: the records and pictures a published page shows (a draft's are checked, and kept back with it).
    drafts = {doc.path for docs in groups.values() for doc in docs if doc.draft}
    image_uses = [(problems.rel(ref[0]), ref[2]) for ref in refs.items if ref[3] == ("images",)]
    image_table, pictures = images.published(pictures, image_table, image_uses, [(problems.rel(path), name) for path, _, name in placed], drafts)
    if not usable:
        return None

    order = {code: i for i, code in enumerate(config.languages)}
    briefings, pages = [], []
    for (kind, slug), documents in sorted(groups.items()):
        published = sorted((d for d in documents if not d.draft), key=lambda d: order[d.lang])
        if not published:
            continue
        group = DocumentGroup(kind, slug, tuple((d.lang, d) for d in published))
        (briefings if kind == "briefings" else pages).append(group)
    briefings.sort(key=lambda g: (_newest(g), g.slug), reverse=True)
    sources = {sid: _with_publisher(source, known) for sid, source in sources.items()}
    documents = tuple(d for _, docs in sorted(groups.items()) for d in sorted(docs, key=lambda d: order[d.lang]))
    return Site(config, entities, sources, timelines, tuple(briefings), tuple(pages), documents, places=places,
                images=image_table, pictures=pictures)


def _newest(group: DocumentGroup):
    return max(doc.published for _, doc in group.translations)


def _with_publisher(source: Source, known: dict) -> Source:
    # A publisher is an organisation id only if one matches; otherwise it is plain text.
    if source.publisher_id and known.get(source.publisher_id) != "organizations":
        return replace(source, publisher_id=None)
    return source


def _known_with_timelines(known: dict, timelines, raw: RawContent) -> dict:
    merged = {k: v for k, v in known.items() if isinstance(k, str)}
    for timeline_id in raw.timelines:
        merged.setdefault(timeline_id, "timelines")
        merged[("timeline", timeline_id)] = "timelines"
    return merged


def _provisional_languages(raw: RawContent) -> tuple[str, ...]:
    """The languages of a site whose site.yaml has errors, if they are beyond doubt; else ()."""
    data = raw.site.data if raw.site else None
    codes = data.get("languages") if isinstance(data, dict) else raw.salvaged_languages
    if not isinstance(codes, list) or not codes:
        return ()
    if not all(isinstance(code, str) and re.match(r"^[a-z]{2,3}$", code) for code in codes) or len(set(codes)) != len(codes):
        return ()
    try:
        for code in codes:
            Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return ()
    return tuple(codes)
