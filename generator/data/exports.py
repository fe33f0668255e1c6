"""The open data files: each fact table as JSON (and CSV), the briefings' index, each timeline.

Every JSON file is one object: which dataset it is, the site, its languages, the data licence of
site.yaml (``null`` without one), then its records, each with its id and the addresses of its pages.
Every CSV file has a header row, one row per record and a ``license`` column. Both are made from
the model records generically (``records.py``) and written in a fixed order (``writers.py``).
"""

from __future__ import annotations

from ..content.model import Organization, Person, Source, Weapon
from ..render.urls import SECTIONS, Urls, route
from .records import Labeller, csv_columns, csv_row, json_record
from .tables import records

# The record type of each CSV table: its columns come from the type, whatever the records hold.
CSV_TYPES = {"weapons": Weapon, "people": Person, "organizations": Organization, "sources": Source}


class Exporter:
    """Makes the open data of one site; ``site`` is the tracked view, read while a file renders."""

    def __init__(self, site, labels: Labeller):
        self.site = site
        self.config = site.config
        self.languages = site.config.languages
        self.urls = Urls(site.config)
        self.labels = labels

    def envelope(self, dataset: str) -> dict:
        config = self.config
        return {"dataset": dataset, "site": config.base_url, "languages": list(self.languages), "license": config.data_license}

    def page_urls(self, section: str, ident: str, available: tuple[str, ...] | None = None) -> dict:
        """The absolute address of a page in each site language (``null`` where it has none)."""
        available = self.languages if available is None else available
        return {code: (self.urls.absolute(route(code, section, ident)) if code in available else None) for code in self.languages}

    # -- fact tables ---------------------------------------------------------------------
    def table(self, name: str) -> dict:
        items = []
        for record in records(self.site, name):
            item = {"id": record.id}
            if name in SECTIONS:  # a kind with a page per record
                item["page_url"] = self.page_urls(name, record.id)
            item.update(json_record(record, self.languages, self.labels))
            items.append(item)
        return {**self.envelope(name), "records": items}

    def csv_table(self, name: str) -> tuple[list[str], list[dict]]:
        """(columns, rows) of table ``name``."""
        langs = self.languages
        pages = name in SECTIONS
        page_columns = [f"page_url_{code}" for code in langs] if pages else []
        columns = csv_columns(CSV_TYPES[name], langs, labels=True)
        rows = []
        for record in records(self.site, name):
            row = csv_row(record, langs, self.labels)
            if pages:
                row.update({f"page_url_{code}": url for code, url in self.page_urls(name, record.id).items()})
            row["license"] = self.config.data_license or ""
            rows.append(row)
        # The id first, then the page addresses, then the record's fields.
        ordered = ["id"] + page_columns + [c for c in columns if c != "id"] + ["license"]
        return ordered, rows

    # -- briefings -----------------------------------------------------------------------
    def briefings(self) -> dict:
        langs = self.languages
        items = []
        for group in self.site.briefings:  # newest first, as on the home page
            docs = {code: group.get(code) for code in langs}

            def each(read, docs=docs):
                return {code: (read(doc) if doc is not None else None) for code, doc in docs.items()}

            translations = [doc for _, doc in group.translations]
            mentioned = dict.fromkeys(i for doc in translations for i in doc.mentions)
            linked_timelines = [i for i in mentioned if i in self.site.timelines]
            timelines = dict.fromkeys([doc.timeline for doc in translations if doc.timeline]
                                      + [t for doc in translations for t in doc.embedded_timelines] + linked_timelines)
            items.append({
                "id": group.slug,
                "languages": list(group.languages),
                "page_url": self.page_urls("briefings", group.slug, group.languages),
                "title": each(lambda d: d.title),
                "summary": each(lambda d: d.summary),
                "published": each(lambda d: d.published.isoformat()),
                "updated": each(lambda d: d.updated.isoformat() if d.updated else None),
                "authors": each(lambda d: list(d.authors)),
                "topics": list(dict.fromkeys(t for doc in translations for t in doc.topics)),
                "facts": sorted(i for i in mentioned if i not in linked_timelines),
                "timelines": sorted(timelines),
            })
        return {**self.envelope("briefings"), "records": items}

    # -- timelines -----------------------------------------------------------------------
    def timeline(self, timeline_id: str) -> dict:
        timeline = self.site.timelines[timeline_id]
        langs = self.languages
        data = {**self.envelope(f"timelines/{timeline_id}"), "id": timeline.id,
                "page_url": self.page_urls("timelines", timeline.id),
                "timelinejs_url": {code: self.urls.absolute(timelinejs_path(code, timeline.id)) for code in langs}}
        data.update(json_record(timeline, langs, skip=frozenset({"id", "events"})))
        events = []
        for event in timeline.events:  # in date order
            item = {"id": event.anchor,
                    "page_url": {code: f"{url}#event-{event.anchor}" for code, url in data["page_url"].items()}}
            item.update(json_record(event, langs, skip=frozenset({"timeline", "index"})))
            events.append(item)
        data["events"] = events
        return data


def timelinejs_path(lang: str, timeline_id: str) -> str:
    """The output path of a timeline's TimelineJS file in ``lang``."""
    return route(lang, "timelines", timeline_id) + "timeline.json"


__all__ = ["CSV_TYPES", "Exporter", "timelinejs_path"]
