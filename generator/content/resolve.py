"""Model stage: turn raw loaded content into a validated :class:`Site`.

Every record is read field by field (``fields.Fields``), every id that one
record uses is checked against the records that exist, translations are
grouped by folder, and drafts are set aside. Problems are collected, never
raised one by one; the caller decides what to do with them. No I/O here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from . import embeds
from .errors import Problems, plain
from .fields import Fields, shown
from .load import FACT_KINDS, RawContent, RawDocument
from .model import (
    ORGANIZATION_KINDS, STATUSES, WEAPON_CLASSES, Document, DocumentGroup, Entity, Event,
    Organization, Person, Quantity, SiteConfig, Site, Source, Text, Timeline, Topic, Weapon,
)
from .yamlsafe import PosDict



@functools.cache
def countries() -> frozenset[str]:
    """ISO 3166 two-letter codes, as CLDR knows them: loaded when first asked for, not on import."""
    return frozenset(code for code in Locale("en").territories if re.match(r"^[A-Z]{2}$", code))


SITE_FIELDS = ("title", "base_url", "languages", "timezone", "description", "publisher")
BRIEFING_FIELDS = ("title", "summary", "date", "updated", "authors", "topics", "timeline", "draft")
PAGE_FIELDS = ("title", "summary", "date", "updated", "draft")
COMMON_FACT_FIELDS = ("name", "summary", "status", "sources")
FACT_FIELDS = {
    "weapons": COMMON_FACT_FIELDS + ("class", "origin", "range_km"),
    "people": COMMON_FACT_FIELDS + ("role", "country"),
    "organizations": COMMON_FACT_FIELDS + ("kind", "country", "url"),
    "topics": COMMON_FACT_FIELDS + ("description",),
}
SOURCE_FIELDS = ("publisher", "title", "url", "date", "status")
TIMELINE_FIELDS = ("title", "description", "events")
EVENT_FIELDS = ("date", "title", "text", "entities", "quantities", "sources", "status", "value")


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
    if not ok or title is None or base_url is None:
        return None
    if not base_url.endswith("/"):
        base_url += "/"
    base_path = urlsplit(base_url).path or "/"
    return SiteConfig(title, base_url, base_path, langs, tz_name, description, publisher)


class _Refs:
    """Ids used by records, checked once every record is known."""

    def __init__(self) -> None:
        self.items: list[tuple[str, int, str, tuple[str, ...], str]] = []

    def add(self, path, line: int, target: str, kinds: tuple[str, ...], what: str) -> None:
        self.items.append((path, line, target, kinds, what))


KIND_WORDS = {
    "weapons": "weapon", "people": "person", "organizations": "organisation",
    "topics": "topic", "sources": "source", "timelines": "timeline",
}


def _check_refs(refs: _Refs, known: dict[str, str], problems: Problems, broken: frozenset[str] = frozenset()) -> None:
    """``known`` maps id -> kind ("weapons", ..., "sources", "timelines").

    ``broken`` holds the fact kinds whose file holds no mapping of ids: an
    unknown id that could be one of them is not reported (the file's error is).
    """
    for path, line, target, kinds, what in refs.items:
        kind = known.get(target)
        if kind is None and "timelines" in kinds and ("timeline", target) in known:
            continue
        if kind in kinds:
            continue
        if kind is None and broken.intersection(kinds):
            continue
        wanted = " or ".join(KIND_WORDS[k] for k in kinds)
        if kind is None:
            problems.error(path, line, f"unknown {wanted} '{target}' in {what}: no such id in content/facts{' or content/timelines' if 'timelines' in kinds else ''}")
        else:
            problems.error(path, line, f"'{target}' in {what} is a {KIND_WORDS[kind]}, not a {wanted}")


def _status(fields: Fields) -> str:
    return fields.choice("status", STATUSES, "reported")


def resolve_sources(raw_file, config: SiteConfig, problems: Problems, refs: _Refs) -> dict[str, Source]:
    result: dict[str, Source] = {}
    data = raw_file.data
    for source_id, record in data.items():
        line = data.line_of(source_id)
        if not isinstance(record, PosDict):
            problems.error(raw_file.path, line, f"source '{source_id}' must be a mapping of fields (publisher, title, url, date)")
            continue
        fields = Fields(record, raw_file.path, problems, config.languages, f"source '{source_id}'", line)
        fields.check_known(SOURCE_FIELDS)
        publisher = fields.text("publisher", required=True)
        publisher_id = None
        raw_publisher = record.get("publisher")
        if isinstance(raw_publisher, str) and re.match(r"^[a-z0-9-]{1,80}$", raw_publisher):
            publisher_id = raw_publisher  # an organisation id if one matches; checked later
        title = fields.text("title", required=True)
        url = fields.url("url")
        date = fields.partial_date("date")
        _status(fields)  # allowed on every record; checked even though sources do not show it
        if publisher is None or title is None:
            continue
        result[source_id] = Source(source_id, publisher, publisher_id, title, url, date)
    return result


def resolve_entity(kind: str, entity_id: str, record: PosDict, path: Path, config: SiteConfig, problems: Problems, refs: _Refs, line: int | None = None) -> Entity | None:
    what = f"{KIND_WORDS[kind]} '{entity_id}'"
    fields = Fields(record, path, problems, config.languages, what, line)
    fields.check_known(FACT_FIELDS[kind])
    name = fields.text("name", required=True)
    common = dict(
        kind=kind, id=entity_id, name=name, summary=fields.text("summary"), status=_status(fields),
        sources=tuple(i for i, _ in fields.ids("sources")), path=problems.rel(path), line=record.line,
    )
    for source_id, line in fields.ids("sources"):
        refs.add(path, line, source_id, ("sources",), f"the sources of {what}")

    def country(key: str) -> str | None:
        value = fields.string(key)
        if value is not None and value.upper() not in countries():
            fields.error(key, f"'{key}' must be a two-letter country code (ISO 3166-1) such as IR or RU, not '{value}'")
            return None
        return value.upper() if value else None

    if kind == "weapons":
        entity = Weapon(**common, weapon_class=fields.choice("class", WEAPON_CLASSES), origin=country("origin"), range_km=fields.number("range_km"))
    elif kind == "people":
        entity = Person(**common, role=fields.text("role"), country=country("country"))
    elif kind == "organizations":
        entity = Organization(**common, org_kind=fields.choice("kind", ORGANIZATION_KINDS), country=country("country"), url=fields.url("url"))
    else:
        entity = Topic(**common, description=fields.text("description"))
    return entity if name is not None else None


def resolve_timeline(timeline_id: str, raw_file, config: SiteConfig, problems: Problems, refs: _Refs) -> Timeline | None:
    path = raw_file.path
    data = raw_file.data
    if not isinstance(data, PosDict):
        empty = "the timeline file is empty" if data is None else "a timeline must be fields written as 'name: value' lines"
        problems.error(path, None, f"{empty}: it needs 'title' and 'events' fields")
        return None
    fields = Fields(data, path, problems, config.languages, f"timeline '{timeline_id}'")
    fields.check_known(TIMELINE_FIELDS)
    title = fields.text("title", required=True)
    description = fields.text("description")
    raw_events = data.get("events")
    events: list[Event] = []
    if raw_events is None:
        fields._missing("events", True)
    elif not isinstance(raw_events, list):
        fields.error("events", "'events' must be a list, each item starting with '- date: ...'")
    else:
        for index, record in enumerate(raw_events):
            line = raw_events.line_of(index)
            if not isinstance(record, PosDict):
                problems.error(path, line, "an event must be a mapping of fields (date, title, ...)")
                continue
            event = _resolve_event(timeline_id, index, record, path, config, problems, refs)
            if event is not None:
                events.append(event)
    if title is None:
        return None
    events.sort(key=lambda e: (e.date.first_day, e.index))
    return Timeline(timeline_id, title, description, tuple(events), problems.rel(path))


def _resolve_event(timeline_id, index, record, path, config, problems, refs) -> Event | None:
    what = f"event {index + 1}"
    fields = Fields(record, path, problems, config.languages, what)
    fields.check_known(EVENT_FIELDS)
    date = fields.partial_date("date", required=True)
    title = fields.text("title", required=True)
    text = fields.text("text")
    entities = fields.ids("entities")
    for entity_id, line in entities:
        refs.add(path, line, entity_id, ("weapons", "people", "organizations", "topics"), f"'entities' of {what}")
    sources = fields.ids("sources")
    for source_id, line in sources:
        refs.add(path, line, source_id, ("sources",), f"'sources' of {what}")
    quantities: list[Quantity] = []
    raw_q = record.get("quantities")
    if raw_q is not None:
        if not isinstance(raw_q, PosDict):
            fields.error("quantities", "'quantities' must be a mapping of id to count, such as {shahed-136: 100}")
        else:
            for entity_id, count in raw_q.items():
                line = raw_q.line_of(entity_id)
                if not isinstance(entity_id, str) or not re.match(r"^[a-z0-9-]{1,80}$", entity_id):
                    problems.error(path, line, f"'{plain(entity_id)}' in 'quantities' is not a valid id: use lowercase ASCII letters, digits and hyphens, 1-80 characters")
                    continue
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    problems.error(path, line, f"the quantity of '{entity_id}' must be a whole number of zero or more, not {shown(count)}")
                    continue
                refs.add(path, line, entity_id, ("weapons", "people", "organizations", "topics"), f"'quantities' of {what}")
                quantities.append(Quantity(entity_id, count))
    if text is not None:
        _check_inline_links(record, "text", path, problems, refs, f"the text of {what}")
    status = _status(fields)
    value = fields.money("value")
    if date is None or title is None:
        return None
    return Event(timeline_id, index, date, title, text, tuple(i for i, _ in entities), tuple(quantities),
                 tuple(i for i, _ in sources), status, value)


def _check_inline_links(record: PosDict, key: str, path: Path, problems: Problems, refs: _Refs, what: str) -> None:
    """Inline Markdown in YAML (event texts) may hold [[id]] links, never embeds.

    Each language's text is scanned where it is written; a '|' block keeps
    its line breaks, so a link in it is reported at its own line.
    """
    value = record[key]
    if isinstance(value, PosDict):
        texts = [(value[code], value, code) for code in value]
    else:
        texts = [(value, record, key)]
    for text, holder, holder_key in texts:
        if not isinstance(text, str):
            continue
        line = holder.value_line(holder_key)
        if holder_key in holder.literal_keys:
            references, misuses = embeds.scan(text, line)
        else:  # folded or one-line text: its line breaks are not the file's
            references, misuses = embeds.scan(text.replace("\n", " "), line)
        for misuse in misuses:
            if re.match(r"\[\[(factbox|timeline):", misuse.message):  # an embed, not a misplaced one
                problems.error(path, misuse.line, f"{misuse.message.split(']]')[0]}]] cannot be used in {what}: only [[id]] links")
            else:
                problems.error(path, misuse.line, f"{misuse.message} (in {what})")
        for ref in references:
            if ref.kind != "link":
                problems.error(path, ref.line, f"[[{ref.kind}:{ref.target}]] cannot be used in {what}: only [[id]] links")
            elif not re.match(r"^[a-z0-9-]{1,80}$", ref.target):
                problems.error(path, ref.line, f"'{ref.target}' in [[...]] is not a valid id: use lowercase ASCII letters, digits and hyphens")
            else:
                refs.add(path, ref.line, ref.target, ("weapons", "people", "organizations", "topics", "timelines"), f"[[{ref.target}]] in {what}")


def _check_body(raw: RawDocument, problems: Problems, refs: _Refs) -> tuple[list[str], list[str]]:
    """Every [[...]] of a Markdown body: the entities it mentions and the timelines it embeds."""
    references, misuses = embeds.scan(raw.body, raw.body_line)
    for misuse in misuses:
        problems.error(raw.path, misuse.line, misuse.message)
    mentions: list[str] = []
    embedded: list[str] = []
    for ref in references:
        if not re.match(r"^[a-z0-9-]{1,80}$", ref.target):
            problems.error(raw.path, ref.line, f"'{ref.target}' in [[...]] is not a valid id: use lowercase ASCII letters, digits and hyphens")
            continue
        if ref.kind == "timeline":
            refs.add(raw.path, ref.line, ref.target, ("timelines",), "[[timeline:...]]")
            embedded.append(ref.target)
        elif ref.kind == "factbox":
            refs.add(raw.path, ref.line, ref.target, ("weapons", "people", "organizations", "topics"), "[[factbox:...]]")
            mentions.append(ref.target)
        else:
            refs.add(raw.path, ref.line, ref.target, ("weapons", "people", "organizations", "topics", "timelines"), f"[[{ref.target}]]")
            mentions.append(ref.target)
    return mentions, embedded


def resolve_document(raw: RawDocument, config: SiteConfig, problems: Problems, refs: _Refs) -> Document | None:
    if raw.front_broken:
        _check_body(raw, problems, refs)  # its front matter's error is already reported
        return None
    tz = ZoneInfo(config.timezone)
    briefing = raw.kind == "briefings"
    what = "the front matter"
    fields = Fields(raw.front, raw.path, problems, config.languages, what)
    fields.check_known(BRIEFING_FIELDS if briefing else PAGE_FIELDS)
    title = fields.string("title", required=True)
    summary = fields.string("summary")
    published = fields.moment("date", tz, required=briefing)
    updated = fields.moment("updated", tz)
    authors = fields.strings("authors") if briefing else ()
    topics = fields.ids("topics") if briefing else []
    for topic_id, line in topics:
        refs.add(raw.path, line, topic_id, ("topics",), "'topics'")
    timeline = fields.ident("timeline") if briefing else None
    if timeline:
        refs.add(raw.path, timeline[1], timeline[0], ("timelines",), "'timeline'")
    draft = fields.boolean("draft")
    if published and updated and updated[0] < published[0]:
        fields.error("updated", "'updated' is earlier than 'date'")
    mentions, embedded = _check_body(raw, problems, refs)
    if title is None or (briefing and published is None):
        return None
    return Document(
        kind=raw.kind, slug=raw.slug, lang=raw.lang, title=title, summary=summary,
        published=published[0] if published else None, published_has_time=bool(published and published[1]),
        updated=updated[0] if updated else None, authors=authors, topics=tuple(t for t, _ in topics),
        timeline=timeline[0] if timeline else None, draft=draft, body=raw.body, body_line=raw.body_line,
        path=problems.rel(raw.path), mentions=tuple(dict.fromkeys(mentions)), embedded_timelines=tuple(dict.fromkeys(embedded)),
    )


DocumentResolver = Callable[[RawDocument, SiteConfig, Problems, _Refs], "Document | None"]


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
        config = SiteConfig(title, "https://example.invalid/", "/", languages, "UTC")
        usable = False
    else:
        usable = True
    refs = _Refs()
    known: dict = {}
    owners: dict[str, tuple[str, int]] = {}
    entities: dict[str, Entity] = {}
    sources: dict[str, Source] = {}
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
            if not isinstance(fact_id, str) or not re.match(r"^[a-z0-9-]{1,80}$", fact_id):
                problems.error(raw_file.path, line, f"'{plain(fact_id)}' is not a valid id: use lowercase ASCII letters, digits and hyphens, 1-80 characters")
                # Uses of the id as it will be once fixed ('Test-Person' -> test-person)
                # are not errors of their own.
                if isinstance(fact_id, str) and re.match(r"^[a-z0-9-]{1,80}$", fact_id.lower()):
                    known.setdefault(fact_id.lower(), kind)
                continue
            if fact_id in owners:
                first_path, first_line = owners[fact_id]
                problems.error(raw_file.path, line, f"id '{fact_id}' is already used in {problems.rel(first_path)}:{first_line}: fact ids must be unique across all fact files")
                continue
            owners[fact_id] = (raw_file.path, line)
            known[fact_id] = kind
        if kind == "sources":
            ok_records = PosDict({k: v for k, v in raw_file.data.items() if owners.get(k, (None,))[0] == raw_file.path})
            ok_records.key_lines = raw_file.data.key_lines
            ok_records.line = raw_file.data.line
            sources = resolve_sources(type(raw_file)(raw_file.path, ok_records), config, problems, refs)
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
    _check_refs(refs, known, problems, frozenset(broken))
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
    return Site(config, entities, sources, timelines, tuple(briefings), tuple(pages), documents)


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
