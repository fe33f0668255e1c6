"""Model stage for one language file of a briefing or plain page: its front matter, the [[...]] of its text and its pictures.

A picture a text places names a file (``![alt](map.png)``): it is noted as
a reference of kind "pictures", checked against content/images/ once every
file is known (``resolve.py``), as ids are.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ..images import markdown as pictures
from . import embeds
from .errors import Problems
from .fields import Fields
from .ids import ID_RULE, is_id
from .load import RawDocument
from ..maps import embed as map_embed
from .model import Document, MapRef, SiteConfig
from .refs import Refs

BRIEFING_FIELDS = ("title", "summary", "date", "updated", "authors", "topics", "timeline", "draft", "image")


PAGE_FIELDS = ("title", "summary", "date", "updated", "draft")


def _check_body(raw: RawDocument, problems: Problems, refs: Refs) -> tuple[list[str], list[str], list[MapRef]]:
    """Every [[...]] of a Markdown body: the entities it mentions, the timelines and the range maps it embeds."""
    references, misuses = embeds.scan(raw.body, raw.body_line)
    for misuse in misuses:
        problems.error(raw.path, misuse.line, misuse.message)
    mentions: list[str] = []
    embedded: list[str] = []
    maps: dict[MapRef, int] = {}
    for ref in references:
        if ref.kind == "map":
            _check_map(raw, ref, problems, refs, maps, mentions)
            continue
        if not is_id(ref.target):
            problems.error(raw.path, ref.line, f"'{ref.target}' in [[...]] is not a valid id: use {ID_RULE}")
            continue
        if ref.kind == "timeline":
            refs.add(raw.path, ref.line, ref.target, ("timelines",), "[[timeline:...]]")
            embedded.append(ref.target)
        elif ref.kind == "image":
            refs.add(raw.path, ref.line, ref.target, ("images",), "[[image:...]]")
        elif ref.kind == "factbox":
            refs.add(raw.path, ref.line, ref.target, ("weapons", "people", "organizations", "topics"), "[[factbox:...]]")
            mentions.append(ref.target)
        else:
            refs.add(raw.path, ref.line, ref.target, ("weapons", "people", "organizations", "topics", "timelines"), f"[[{ref.target}]]")
            mentions.append(ref.target)
    if "![" in raw.body:
        _check_pictures(raw, problems, refs)
    return mentions, embedded, list(maps)


def _check_map(raw: RawDocument, ref, problems: Problems, refs: Refs, maps: dict[MapRef, int], mentions: list[str]) -> None:
    """[[map:weapon@place,...]]: its syntax here, its ids with the others; the weapon counts as mentioned."""
    found, mistakes = map_embed.parse(ref.target)
    for message in mistakes:
        problems.error(raw.path, ref.line, message)
    if found is None:
        return
    if found in maps:  # the figure's id would be there twice
        problems.error(raw.path, ref.line, f"[[map:{ref.target}]] is already shown at line {maps[found]}: show each map once per page")
        return
    maps[found] = ref.line
    refs.add(raw.path, ref.line, found.weapon, ("weapons",), "[[map:...]]")
    for place in found.places:
        refs.add(raw.path, ref.line, place, ("places",), "[[map:...]]")
    mentions.append(found.weapon)


def _check_pictures(raw: RawDocument, problems: Problems, refs: Refs) -> None:
    for placed in pictures.scan(raw.body, raw.body_line):
        wrong = pictures.check(placed)
        if wrong is not None:
            (problems.error if wrong[0] == "error" else problems.warning)(raw.path, placed.line, wrong[1])
        if pictures.is_local(placed.target):
            refs.add(raw.path, placed.line, placed.target, ("pictures",), "a picture")


def resolve_document(raw: RawDocument, config: SiteConfig, problems: Problems, refs: Refs) -> Document | None:
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
    image = fields.ident("image") if briefing else None
    if image:
        refs.add(raw.path, image[1], image[0], ("images",), "'image'")
    draft = fields.boolean("draft")
    if published and updated and updated[0] < published[0]:
        fields.error("updated", "'updated' is earlier than 'date'")
    mentions, embedded, maps = _check_body(raw, problems, refs)
    if title is None or (briefing and published is None):
        return None
    return Document(
        kind=raw.kind, slug=raw.slug, lang=raw.lang, title=title, summary=summary,
        published=published[0] if published else None, published_has_time=bool(published and published[1]),
        updated=updated[0] if updated else None, authors=authors, topics=tuple(t for t, _ in topics),
        timeline=timeline[0] if timeline else None, draft=draft, body=raw.body, body_line=raw.body_line,
        path=problems.rel(raw.path), mentions=tuple(dict.fromkeys(mentions)), embedded_timelines=tuple(dict.fromkeys(embedded)),
        maps=tuple(maps), image=image[0] if image else None,
    )
