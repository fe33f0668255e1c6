"""The page ``/<lang>/data/``: what each open data file holds, and its schema.org ``Dataset`` metadata.

The page lists every file of ``/data/`` with what it holds, how many records, and the period its
dates cover. Its JSON-LD is one ``Dataset`` for the site's open data as a whole (licence, every
file as a ``DataDownload`` with its format and address, the period covered) with a ``Dataset`` per
table as its parts, so search engines for data find each.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.labels import N_
from ..content.model import PartialDate
from ..render.urls import route
from .exports import timelinejs_path

JSON, CSV = "application/json", "text/csv"

# What each table is called and holds: UI strings, translated in the catalogues.
DESCRIPTIONS = {
    "briefings": (N_("Briefings"), N_("Every published briefing: its title, summary, dates and authors in each language, its topics, the facts and timelines it mentions, and the addresses of its pages.")),
    "weapons": (N_("Weapons"), N_("Every weapon system on this site: its name in each language, class, country of origin, range in kilometres, status, sources and the addresses of its pages.")),
    "people": (N_("People"), N_("Every person on this site: their name and role in each language, country, status, sources and the addresses of their pages.")),
    "organizations": (N_("Organisations"), N_("Every organisation on this site: its name in each language, kind, country, website, status, sources and the addresses of its pages.")),
    "topics": (N_("Topics"), N_("Every topic of this site: its name and description in each language and the addresses of its pages.")),
    "sources": (N_("Sources"), N_("Every source this site cites: its publisher, title, address and date.")),
    "places": (N_("Places"), N_("Every place on this site: its name in each language, its coordinates (WGS84 latitude and longitude) and country.")),
    "images": (N_("Images"), N_("Every picture on this site: what it shows and its caption in each language, its credit and licence.")),
}
TIMELINE_DESCRIPTION = N_("The dated events of this timeline in each language, with the facts they name, their status and sources.")


@dataclass(frozen=True)
class Download:
    label: str  # "JSON", "CSV", "TimelineJS"
    path: str  # the output path (route) of the file
    media_type: str


@dataclass(frozen=True)
class DatasetEntry:
    """One dataset as the page lists it."""

    key: str  # "weapons", "timelines/<id>"
    name: str
    description: str
    count: int
    downloads: tuple[Download, ...]
    coverage: tuple[PartialDate, PartialDate] | None  # the first and last date of its records, as precise as known


def coverage(dates) -> tuple[PartialDate, PartialDate] | None:
    """(earliest, latest) of ``dates`` (partial dates: '2023' sorts as its first day, as events do)."""
    known = [d for d in dates if d is not None]
    if not known:
        return None
    key = lambda d: (d.first_day, d.iso())  # noqa: E731
    return min(known, key=key), max(known, key=key)


def interval(span: tuple[PartialDate, PartialDate] | None) -> str | None:
    """An ISO 8601 interval (schema.org temporalCoverage): '2022-08/2023-03', or one date."""
    if span is None:
        return None
    first, last = span[0].iso(), span[1].iso()
    return first if first == last else f"{first}/{last}"


def _day(moment) -> PartialDate:
    return PartialDate(moment.year, moment.month, moment.day)


def entries(exporter, tables: list[str], gettext, lang: str) -> list[DatasetEntry]:
    """The datasets of the page, in a fixed order: briefings, the fact tables, then each timeline."""
    from .tables import CSV_TABLES, records

    site = exporter.site
    found = []
    briefings = list(site.briefings)
    name, description = DESCRIPTIONS["briefings"]
    found.append(DatasetEntry("briefings", gettext(name), gettext(description), len(briefings),
                              (Download("JSON", "data/briefings.json", JSON),),
                              coverage(_day(doc.published) for g in briefings for _, doc in g.translations)))
    for table in tables:
        rows = records(site, table)
        name, description = DESCRIPTIONS.get(table, (table, ""))
        downloads = [Download("JSON", f"data/{table}.json", JSON)]
        if table in CSV_TABLES:
            downloads.append(Download("CSV", f"data/{table}.csv", CSV))
        dates = [getattr(row, "date", None) for row in rows]
        found.append(DatasetEntry(table, gettext(name) if name != table else table, gettext(description) if description else "",
                                  len(rows), tuple(downloads), coverage(d for d in dates if isinstance(d, PartialDate))))
    for timeline_id in sorted(site.timelines):
        timeline = site.timelines[timeline_id]
        found.append(DatasetEntry(
            f"timelines/{timeline_id}", timeline.title.get(lang),
            timeline.description.get(lang) if timeline.description is not None else gettext(TIMELINE_DESCRIPTION),
            len(timeline.events),
            (Download("JSON", f"data/timelines/{timeline_id}.json", JSON), Download("TimelineJS", timelinejs_path(lang, timeline_id), JSON)),
            coverage(event.date for event in timeline.events)))
    return found


def dataset_json_ld(exporter, listed: list[DatasetEntry], lang: str, title: str, description: str) -> dict:
    """schema.org ``Dataset`` of the site's open data, with one ``Dataset`` part per table or timeline."""
    urls = exporter.urls
    config = exporter.config
    page = urls.absolute(f"{lang}/data/")
    license_ = {"license": config.data_license} if config.data_license else {}
    creator = {"@type": "Organization", "name": (config.publisher or config.title).get(lang), "url": urls.absolute(route(lang))}

    def distribution(entry: DatasetEntry) -> list[dict]:
        return [{"@type": "DataDownload", "name": f"{entry.name} ({download.label})", "encodingFormat": download.media_type,
                 "contentUrl": urls.absolute(download.path)} for download in entry.downloads]

    def part(entry: DatasetEntry) -> dict:
        data = {"@type": "Dataset", "@id": f"{page}#{entry.key.replace('/', '-')}", "name": entry.name}
        if entry.description:
            data["description"] = entry.description
        data.update(license_)
        data["distribution"] = distribution(entry)
        if entry.coverage:
            data["temporalCoverage"] = interval(entry.coverage)
        return data

    data = {"@context": "https://schema.org", "@type": "Dataset", "@id": f"{page}#dataset", "url": page, "name": title,
            "description": description, "inLanguage": lang, **license_, "isAccessibleForFree": True,
            "creator": creator, "publisher": creator,
            "distribution": [d for entry in listed for d in distribution(entry)]}
    whole = coverage([date for entry in listed if entry.coverage for date in entry.coverage])
    if whole:
        data["temporalCoverage"] = interval(whole)
    data["hasPart"] = [part(entry) for entry in listed]
    return data
