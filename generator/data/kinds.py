"""The page kinds of open data: the files of ``/data/`` and ``/<lang>/data/``, and the TimelineJS files.

Each file's render function reads the tracked site view (``plan.site``), so what it used is
recorded and it is made again only when that changed. Labels of weapon classes and organisation
kinds come from every language's catalogue: a file that shows one records the use of that catalogue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cache import deps
from ..render.urls import file_for
from .catalogue import dataset_json_ld, entries
from .exports import Exporter, timelinejs_path
from .tables import CSV_TABLES, table_names
from .timelinejs import TimelineJS
from .writers import to_csv, to_json

if TYPE_CHECKING:
    from ..render.pages import Plan


def data_route(lang: str) -> str:
    return f"{lang}/data/"


def open_data(plan: Plan) -> None:
    """``/data/*.json``, ``/data/*.csv``, ``/data/timelines/<id>.json`` and the page ``/<lang>/data/``."""
    site, renderers = plan.site, plan.renderers
    planned = site.untracked  # which files exist: the plan is not a page
    langs = site.config.languages
    exporter = Exporter(site, lambda vocabulary, term, lang: _label(renderers[lang], vocabulary, term))
    names = table_names(planned)

    plan.add("data/briefings.json", lambda: to_json(exporter.briefings()))
    for name in names:
        plan.add(f"data/{name}.json", lambda n=name: to_json(exporter.table(n)))
        if name in CSV_TABLES:
            plan.add(f"data/{name}.csv", lambda n=name: to_csv(*exporter.csv_table(n)))
    for timeline_id in sorted(planned.timelines):
        plan.add(f"data/timelines/{timeline_id}.json", lambda t=timeline_id: to_json(exporter.timeline(t)))

    for lang, r in renderers.items():
        def page(r=r, lang=lang) -> str:
            gettext = r.format.gettext
            title = gettext("Open data")
            listed = entries(exporter, names, gettext, lang)
            description = gettext("The facts, briefings and timelines of this site as JSON and CSV files, with their text in every language of the site.")
            if site.config.data_license:
                description += " " + gettext("They are free to reuse under the licence below.")
            info = r.page_info(data_route, title, langs, "data")
            meta = r.metadata.dataset(r.urls.absolute(data_route(lang)), title, description,
                                      dataset_json_ld(exporter, listed, lang, f"{r.loc(site.config.title)}: {title}", description))
            timelines = [entry for entry in listed if entry.key.startswith("timelines/")]
            tables = [entry for entry in listed if entry not in timelines]
            return r.render("data.html", page=info, tables=tables, timelines=timelines, meta=meta, description=description)

        plan.add(file_for(data_route(lang)), page)
    plan.in_sitemap(data_route, langs)


def _label(renderer, vocabulary: str, term: str) -> str:
    """A term's label in the renderer's language: a use of its catalogue (a data file holds every language)."""
    deps.use(("catalogue", renderer.lang))
    return renderer.label(vocabulary, term)


def timelinejs_files(plan: Plan) -> None:
    """``/<lang>/timelines/<id>/timeline.json``: every timeline in Knight Lab's TimelineJS 3 format."""
    planned = plan.site.untracked
    for lang, r in plan.renderers.items():
        converter = TimelineJS(r)
        for timeline_id in sorted(planned.timelines):
            plan.add(timelinejs_path(lang, timeline_id), lambda t=timeline_id, c=converter: to_json(c.convert(t)))
