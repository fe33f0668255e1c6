"""Translation status: for every record and every language, where it stands.

A row says, for one briefing, plain page, fact record, source, timeline or
the site settings, and one language, which of these states it is in:

- ``ok``: nothing to do;
- ``missing``: the briefing or page has no file in that language;
- ``fallback``: localised fields lack that language, so readers see the
  default language there (the fields are listed);
- ``outdated``: the original changed since the translation was last checked
  (the changed fields are listed);
- ``unverified``: a translation with no record of the original's revision.

Drafts are included and marked. ``rows`` computes; ``table`` and ``as_json``
only format, so the CLI prints and tests read the same data.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from ..content.errors import Problem, Problems
from ..content.load import load_content
from ..content.model import Site, Text
from ..content.resolve import resolve
from . import revisions

STATES = ("ok", "missing", "fallback", "outdated", "unverified")
KIND_ORDER = ("briefings", "pages", "weapons", "people", "organizations", "topics", "sources", "places", "timelines", "site")


@dataclass(frozen=True)
class Row:
    kind: str
    id: str
    language: str
    state: str
    fields: tuple[str, ...] = ()
    draft: bool = False
    path: str = ""  # the file of this language (for a missing one: where it would go)
    original: str | None = None  # the original's file, for translations

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "language": self.language, "state": self.state,
                "fields": list(self.fields), "draft": self.draft, "path": self.path, "original": self.original}


@dataclass(frozen=True)
class Report:
    rows: tuple[Row, ...]
    languages: tuple[str, ...]
    errors: tuple[Problem, ...]  # content errors: the exit status is 1


def collect(content: Path) -> Report:
    """Load and check the content folder, then compute every row."""
    content = Path(content)
    problems = Problems(content.resolve().parent)
    if not content.is_dir():
        return Report((), (), (Problem(problems.rel(content), None, "content folder not found"),))
    raw = load_content(content, problems)
    site = resolve(raw, problems)
    records = revisions.load_records(content, problems)
    if site is None:
        return Report((), (), tuple(problems.errors))
    return Report(tuple(rows(site, records, problems.rel(content))), site.config.languages, tuple(problems.errors))


def rows(site: Site, records: dict[str, revisions.Revision], content_rel: str) -> list[Row]:
    langs = site.config.languages
    result: list[Row] = []

    checks = {revisions.key_of(c.doc): c for c in revisions.check(site.documents, records)}
    for (kind, slug), original in revisions.originals(site.documents).items():
        present = {d.lang: d for d in site.documents if d.kind == kind and d.slug == slug}
        for lang in langs:
            doc = present.get(lang)
            if doc is None:
                path = f"{content_rel}/{revisions.record_key(kind, slug, lang)}"
                result.append(Row(kind, slug, lang, "missing", (), original.draft, path, original.path))
            elif doc is original:
                result.append(Row(kind, slug, lang, "ok", (), doc.draft, doc.path))
            else:
                item = checks[revisions.key_of(doc)]
                result.append(Row(kind, slug, lang, item.state, item.changed, doc.draft, doc.path, original.path))

    def localised(kind: str, ident: str, path: str, texts: list[tuple[str, Text | None]]) -> None:
        for lang in langs:
            lacking = tuple(name for name, text in texts if text is not None and not text.has(lang))
            result.append(Row(kind, ident, lang, "fallback" if lacking else "ok", lacking, False, path))

    for entity in site.entities.values():
        localised(entity.kind, entity.id, entity.path, _texts(entity))
    for source in site.sources.values():
        localised("sources", source.id, f"{content_rel}/facts/sources.yaml", _texts(source))
    for place in site.places.values():
        localised("places", place.id, place.path, _texts(place))
    for timeline in site.timelines.values():
        texts = _texts(timeline)
        for event in sorted(timeline.events, key=lambda e: e.index):
            texts += [(f"events[{event.index + 1}].{name}", text) for name, text in _texts(event)]
        localised("timelines", timeline.id, timeline.path, texts)
    localised("site", "site", f"{content_rel}/site.yaml", _texts(site.config))

    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    lang_order = {code: i for i, code in enumerate(langs)}
    result.sort(key=lambda r: (order[r.kind], r.id, lang_order[r.language]))
    return result


def _texts(record) -> list[tuple[str, Text | None]]:
    """The localised fields of a model record, by name."""
    return [(f.name, getattr(record, f.name)) for f in dataclasses.fields(record) if isinstance(getattr(record, f.name), Text)]


# -- formatting ---------------------------------------------------------------------

def as_json(report: Report) -> str:
    return json.dumps([row.as_dict() for row in report.rows], ensure_ascii=False, indent=2) + "\n"


def totals(report: Report) -> dict[str, dict[str, int]]:
    counts = {lang: dict.fromkeys(STATES, 0) for lang in report.languages}
    for row in report.rows:
        counts[row.language][row.state] += 1
    return counts


def _cell(row: Row) -> str:
    text = row.state
    if row.fields:
        text += ": " + ", ".join(row.fields)
    return text


def table(report: Report) -> str:
    """A table an editor reads at a glance: one line per record, one column per language."""
    langs = report.languages
    lines: list[list[str]] = []
    grouped: dict[tuple[str, str], dict[str, Row]] = {}
    for row in report.rows:
        grouped.setdefault((row.kind, row.id), {})[row.language] = row
    for (kind, ident), by_lang in grouped.items():
        draft = any(r.draft for r in by_lang.values())
        lines.append([kind, ident + (" [draft]" if draft else "")] + [_cell(by_lang[lang]) for lang in langs])
    header = ["KIND", "ID"] + [lang.upper() for lang in langs]
    widths = [max(len(cells[i]) for cells in [header] + lines) for i in range(len(header))]
    out = ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() for cells in [header] + lines]
    out.append("")
    for lang, counts in totals(report).items():
        out.append(f"{lang}: " + ", ".join(f"{counts[state]} {state}" for state in STATES))
    return "\n".join(out) + "\n"
