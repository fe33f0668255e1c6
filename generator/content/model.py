"""Model stage records: typed, validated, immutable.

These dataclasses are what the renderer sees. They hold no file handles and
do no I/O; ``resolve.py`` builds them from raw loaded data and checks every
link between them. Localised text is a :class:`Text`, which keeps the values
that exist and knows the default language to fall back to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..images.records import Image, Picture

STATUSES = ("confirmed", "reported", "claimed", "disputed", "denied")
ENTITY_KINDS = ("weapons", "people", "organizations", "topics")

# Weapon classes and organisation kinds have their labels in the UI
# catalogue; a site adds its own, with their labels, in site.yaml
# (``vocabularies:``). Any other value is an error, not a blank.
WEAPON_CLASSES = (
    "srbm", "mrbm", "irbm", "icbm", "cruise-missile", "anti-ship-missile",
    "loitering-munition", "uav", "ucav", "atgm", "manpads", "sam",
    "artillery", "mlrs", "rocket", "tank", "ifv", "apc", "aircraft",
    "helicopter", "small-arms", "ammunition", "electronic-warfare",
)
ORGANIZATION_KINDS = (
    "think-tank", "news-agency", "newspaper", "broadcaster", "media",
    "government-body", "ministry", "intelligence-agency", "military",
    "company", "ngo", "armed-group", "international-organization",
)


@dataclass(frozen=True)
class Text:
    """A localised text: the values that exist, and the default language."""

    values: tuple[tuple[str, str], ...]
    default: str

    @classmethod
    def same(cls, text: str, languages: tuple[str, ...]) -> "Text":
        """A plain string: the same text in every language."""
        return cls(tuple((code, text) for code in languages), languages[0])

    def get(self, lang: str) -> str:
        fallback = None
        for code, text in self.values:
            if code == lang:
                return text
            if code == self.default:
                fallback = text
        return fallback if fallback is not None else self.values[0][1]

    def has(self, lang: str) -> bool:
        return any(code == lang for code, _ in self.values)

    def __str__(self) -> str:  # pragma: no cover - templates use the loc filter
        return self.get(self.default)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str  # ISO 4217


@dataclass(frozen=True)
class Vocabularies:
    """The site's own terms (``vocabularies:`` in site.yaml), beside the built-in ones: id -> label."""

    organization_kinds: tuple[tuple[str, Text], ...] = ()
    weapon_classes: tuple[tuple[str, Text], ...] = ()

    def label(self, vocabulary: str, key: str) -> Text | None:
        """The site's label of ``key`` in ``vocabulary`` ("organization_kinds" or "weapon_classes"), if it has one."""
        return next((text for term, text in getattr(self, vocabulary) if term == key), None)


DEFAULT_FEED_LIMIT = 50


@dataclass(frozen=True)
class SiteConfig:
    title: Text
    base_url: str  # absolute, ends with "/"
    base_path: str  # path part of base_url, starts and ends with "/"
    languages: tuple[str, ...]
    timezone: str
    description: Text | None = None
    publisher: Text | None = None
    data_license: str | None = None  # an absolute URL: the licence of the open data (/data/)
    feed_limit: int = DEFAULT_FEED_LIMIT  # entries per Atom feed
    vocabularies: Vocabularies = Vocabularies()
    # An image id: the social image of every briefing without a lead image, instead of a card drawn for
    # each (a newsroom's share image; a site of thousands of briefings draws thousands of cards).
    social_image: str | None = None

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def weapon_classes(self) -> tuple[str, ...]:
        """Every weapon class a record may name: the built-in ones, then the site's own."""
        return WEAPON_CLASSES + tuple(term for term, _ in self.vocabularies.weapon_classes)

    @property
    def organization_kinds(self) -> tuple[str, ...]:
        """Every organisation kind a record may name: the built-in ones, then the site's own."""
        return ORGANIZATION_KINDS + tuple(term for term, _ in self.vocabularies.organization_kinds)

    @property
    def host_url(self) -> str:
        """``scheme://host/`` of base_url: where crawlers look for robots.txt."""
        return self.base_url[: len(self.base_url) - len(self.base_path)] + "/"


@dataclass(frozen=True)
class Source:
    id: str
    publisher: Text
    publisher_id: str | None  # an organisation id when the publisher is one
    title: Text
    url: str | None
    date: PartialDate | None


@dataclass(frozen=True, kw_only=True)
class Entity:
    kind: str  # one of ENTITY_KINDS
    id: str
    name: Text
    summary: Text | None = None
    status: str = "reported"
    sources: tuple[str, ...] = ()
    path: str = ""
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class Weapon(Entity):
    weapon_class: str | None = None
    origin: str | None = None  # ISO 3166-1 alpha-2
    range_km: float | int | None = None
    based_at: tuple[str, ...] = ()  # place ids: the weapon's page shows its range map around them
    image: str | None = None  # an image id: shown in its fact box and on its page


@dataclass(frozen=True, kw_only=True)
class Person(Entity):
    role: Text | None = None
    country: str | None = None
    image: str | None = None  # an image id: shown in its fact box and on its page


@dataclass(frozen=True, kw_only=True)
class Organization(Entity):
    org_kind: str | None = None
    country: str | None = None
    url: str | None = None
    image: str | None = None  # an image id: shown in its fact box and on its page


@dataclass(frozen=True, kw_only=True)
class Topic(Entity):
    description: Text | None = None


@dataclass(frozen=True)
class Place:
    """A point on the map (``places.yaml``): where a range map is centred."""

    id: str
    name: Text
    lat: float  # degrees, WGS84
    lon: float
    country: str | None = None  # ISO 3166-1 alpha-2
    status: str = "reported"
    sources: tuple[str, ...] = ()
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class MapRef:
    """A range map: a weapon's range around one or more places (``[[map:weapon@place,place]]``)."""

    weapon: str
    places: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The map's id in its page, unambiguous (ids never hold '@' or ',')."""
        return f"map-{self.weapon}@{','.join(self.places)}"


@dataclass(frozen=True)
class Quantity:
    entity: str
    count: int


@dataclass(frozen=True)
class Event:
    timeline: str
    index: int  # position in the file: ties in date keep file order
    date: PartialDate
    title: Text
    text: Text | None
    entities: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    sources: tuple[str, ...]
    status: str
    value: Money | None = None

    @property
    def anchor(self) -> str:
        return f"{self.timeline}-{self.index + 1}"

    @property
    def mentioned(self) -> tuple[str, ...]:
        """Entities named in ``entities`` or only in ``quantities``."""
        ids = list(self.entities)
        ids += [q.entity for q in self.quantities if q.entity not in ids]
        return tuple(ids)


@dataclass(frozen=True)
class Timeline:
    id: str
    title: Text
    description: Text | None
    events: tuple[Event, ...]  # in date order
    path: str = ""


@dataclass(frozen=True)
class Outdated:
    original: str  # the original's language
    fields: tuple[str, ...]  # what changed there: title, summary, body


@dataclass(frozen=True)
class Document:
    """One language version of a briefing or plain page."""

    kind: str  # "briefings" or "pages"
    slug: str
    lang: str
    title: str
    summary: str | None
    published: dt.datetime | None  # aware; None for plain pages without date
    published_has_time: bool
    updated: dt.datetime | None
    authors: tuple[str, ...]
    topics: tuple[str, ...]
    timeline: str | None
    draft: bool
    body: str
    body_line: int
    path: str  # relative to the content folder's parent
    mentions: tuple[str, ...] = ()  # entity ids named in the body, in order
    embedded_timelines: tuple[str, ...] = ()
    maps: tuple[MapRef, ...] = ()  # the range maps the body shows, in order
    # Set on a translation whose original changed since it was last checked
    # (revisions.py), so the page can say so and link the original.
    outdated: "Outdated | None" = None
    image: str | None = None  # the lead image's id: top of the page, lists, the social card


@dataclass(frozen=True)
class DocumentGroup:
    """The translations of one briefing or page, keyed by language."""

    kind: str
    slug: str
    translations: tuple[tuple[str, Document], ...]

    def get(self, lang: str) -> Document | None:
        return next((doc for code, doc in self.translations if code == lang), None)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.translations)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    entities: dict[str, Entity] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    timelines: dict[str, Timeline] = field(default_factory=dict)
    briefings: tuple[DocumentGroup, ...] = ()  # published only, newest first
    pages: tuple[DocumentGroup, ...] = ()
    # Every valid briefing and page, drafts included (for the translation
    # workflow: status, revisions), in kind, slug and language order.
    documents: tuple[Document, ...] = ()
    places: dict[str, Place] = field(default_factory=dict)
    images: "dict[str, Image]" = field(default_factory=dict)  # images.yaml, each record with its picture
    pictures: "dict[str, Picture]" = field(default_factory=dict)  # every picture file a record or a text uses, by name
