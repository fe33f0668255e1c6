"""Model stage for the fact files and timelines: each record read field by field into its model record.

Every id a record uses is noted in :class:`~generator.content.refs.Refs`, to
be checked once every record is known (``resolve.py``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from babel import Locale

from ..images import markdown as pictures
from . import embeds
from .errors import Problems, plain
from .fields import Fields, mapping_records, shown
from .ids import ID_RULE, is_id
from .model import (
    STATUSES,
    Entity,
    Event,
    Organization,
    Person,
    Quantity,
    SiteConfig,
    Source,
    Timeline,
    Topic,
    Weapon,
)
from .refs import KIND_WORDS, Refs
from .yamlsafe import PosDict


@functools.cache
def countries() -> frozenset[str]:
    """ISO 3166 two-letter codes, as CLDR knows them: loaded when first asked for, not on import."""
    return frozenset(code for code in Locale("en").territories if re.match(r"^[A-Z]{2}$", code))


COMMON_FACT_FIELDS = ("name", "summary", "status", "sources")


FACT_FIELDS = {
    "weapons": COMMON_FACT_FIELDS + ("class", "origin", "range_km", "based_at", "image"),
    "people": COMMON_FACT_FIELDS + ("role", "country", "image"),
    "organizations": COMMON_FACT_FIELDS + ("kind", "country", "url", "image"),
    "topics": COMMON_FACT_FIELDS + ("description",),
}


SOURCE_FIELDS = ("publisher", "title", "url", "date", "status")


TIMELINE_FIELDS = ("title", "description", "events")


EVENT_FIELDS = ("date", "title", "text", "entities", "quantities", "sources", "status", "value")


def _status(fields: Fields) -> str:
    return fields.choice("status", STATUSES, "reported")


def resolve_sources(raw_file, config: SiteConfig, problems: Problems, refs: Refs) -> dict[str, Source]:
    result: dict[str, Source] = {}
    for source_id, record, line in mapping_records(raw_file, "source", "publisher, title, url, date", problems):
        fields = Fields(record, raw_file.path, problems, config.languages, f"source '{source_id}'", line)
        fields.check_known(SOURCE_FIELDS)
        publisher = fields.text("publisher", required=True)
        publisher_id = None
        raw_publisher = record.get("publisher")
        if isinstance(raw_publisher, str) and is_id(raw_publisher):
            publisher_id = raw_publisher  # an organisation id if one matches; checked later
        title = fields.text("title", required=True)
        url = fields.url("url")
        date = fields.partial_date("date")
        _status(fields)  # allowed on every record; checked even though sources do not show it
        if publisher is None or title is None:
            continue
        result[source_id] = Source(source_id, publisher, publisher_id, title, url, date)
    return result


def resolve_entity(kind: str, entity_id: str, record: PosDict, path: Path, config: SiteConfig, problems: Problems, refs: Refs, line: int | None = None) -> Entity | None:
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
    image = fields.ident("image") if "image" in FACT_FIELDS[kind] else None
    if image:
        refs.add(path, image[1], image[0], ("images",), f"'image' of {what}")
        common["image"] = image[0]

    def country(key: str) -> str | None:
        value = fields.string(key)
        if value is not None and value.upper() not in countries():
            fields.error(key, f"'{key}' must be a two-letter country code (ISO 3166-1) such as IR or RU, not '{value}'")
            return None
        return value.upper() if value else None

    if kind == "weapons":
        range_km = fields.number("range_km")
        based_at = fields.ids("based_at")
        for place_id, place_line in based_at:
            refs.add(path, place_line, place_id, ("places",), f"'based_at' of {what}")
        if based_at and range_km is None and "range_km" not in record:
            fields.error("based_at", f"{what} has 'based_at' but no 'range_km': its page draws a range map around those places, "
                                     "so add 'range_km: <kilometres>'")
        entity = Weapon(**common, weapon_class=_term(fields, "class", config.weapon_classes, "weapon_classes"), origin=country("origin"), range_km=range_km,
                        based_at=tuple(dict.fromkeys(i for i, _ in based_at)))
    elif kind == "people":
        entity = Person(**common, role=fields.text("role"), country=country("country"))
    elif kind == "organizations":
        entity = Organization(**common, org_kind=_term(fields, "kind", config.organization_kinds, "organization_kinds"), country=country("country"), url=fields.url("url"))
    else:
        entity = Topic(**common, description=fields.text("description"))
    return entity if name is not None else None


def _term(fields: Fields, key: str, terms: tuple[str, ...], vocabulary: str) -> str | None:
    """A weapon class or organisation kind: a built-in term or one of the site's own (vocabularies.py)."""
    value = fields.string(key)
    if value is not None and value not in terms:
        fields.error(key, f"'{key}' is '{plain(value)}', which is not one of: {', '.join(terms)}; "
                          f"a term of your own goes under 'vocabularies: {vocabulary}:' in site.yaml, with its labels")
        return None
    return value


def resolve_timeline(timeline_id: str, raw_file, config: SiteConfig, problems: Problems, refs: Refs) -> Timeline | None:
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
                if not is_id(entity_id):
                    problems.error(path, line, f"'{plain(entity_id)}' in 'quantities' is not a valid id: use {ID_RULE}")
                    continue
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    problems.error(path, line, f"the quantity of '{entity_id}' must be a whole number of zero or more, not {shown(count)}")
                    continue
                refs.add(path, line, entity_id, ("weapons", "people", "organizations", "topics"), f"'quantities' of {what}")
                quantities.append(Quantity(entity_id, count))
    if text is not None:
        check_inline_links(record, "text", path, problems, refs, f"the text of {what}")
    status = _status(fields)
    value = fields.money("value")
    if date is None or title is None:
        return None
    return Event(timeline_id, index, date, title, text, tuple(i for i, _ in entities), tuple(quantities),
                 tuple(i for i, _ in sources), status, value)


def check_inline_links(record: PosDict, key: str, path: Path, problems: Problems, refs: Refs, what: str) -> None:
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
            if re.match(r"\[\[(" + "|".join(embeds.BLOCK_KINDS) + r"):", misuse.message):  # an embed, not a misplaced one
                problems.error(path, misuse.line, f"{misuse.message.split(']]')[0]}]] cannot be used in {what}: only [[id]] links")
            else:
                problems.error(path, misuse.line, f"{misuse.message} (in {what})")
        if "![" in text:
            for placed in pictures.scan(text if holder_key in holder.literal_keys else text.replace("\n", " "), line):
                problems.error(path, placed.line, f"a picture cannot be placed in {what}: pictures go in the text of a "
                                                  "briefing or page (![alt](file) or [[image:id]])")
        for ref in references:
            if ref.kind != "link":
                problems.error(path, ref.line, f"[[{ref.kind}:{ref.target}]] cannot be used in {what}: only [[id]] links")
            elif not is_id(ref.target):
                problems.error(path, ref.line, f"'{ref.target}' in [[...]] is not a valid id: use {ID_RULE}")
            else:
                refs.add(path, ref.line, ref.target, ("weapons", "people", "organizations", "topics", "timelines"), f"[[{ref.target}]] in {what}")
