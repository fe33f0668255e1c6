"""The assembled site of the last build, patched when only texts changed.

A build assembles its site model from every content file: it walks the
content folder, replays each file's record, groups the translations, checks
every reference, marks outdated translations and compares figures between
translations. The usual edit changes none of that: a sentence of a
briefing. When the only files that changed are briefings or pages, and each
resolves to the record it had but for its Markdown text (the same front
matter, links, embeds and lines, and no problem), the site is the last one
with those texts replaced: the build patches the site kept here instead of
assembling it again, and checks only the edited documents' groups again.

What is kept (:class:`Assembled`): the checked site with every document
body left out (a page that needs the text of an unchanged file reads it,
checked against the fingerprint kept with it: ``incremental.StoredDocument``),
the problems of loading and resolving, the problems of the translation
checks per document group, ``translations.yaml`` as read, and every
document's fingerprints. A full build writes it whole; a patching build
writes only what it changed (a small overlay), so the large part is not
written again at every edit.
"""

from __future__ import annotations

import copyreg
import io
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..content.errors import Problem, Problems
from ..content.model import Document, DocumentGroup, Site
from ..translation import figures, revisions
from .record import StoredDocument

GroupKey = tuple[str, str]  # (kind, slug)
DocKey = tuple[str, str, str]  # (kind, slug, lang)


@dataclass
class Assembled:
    """The model stage's result, as a later build can patch it."""

    site: Site  # checked: outdated translations marked in the groups (site.documents stay unmarked)
    problems: tuple[Problem, ...]  # of loading and resolving, the whole site's
    checks: dict[GroupKey, tuple[Problem, ...]]  # of the translation checks, by the group they are about
    records: dict  # translations.yaml as read (revisions.load_records)
    prints: dict[DocKey, tuple[str, str]]  # (meta, body) fingerprints of each document (deps.document_fingerprints)

    def fingerprints(self) -> dict[DocKey, tuple[Document, tuple[str, str]]]:
        """Each document of the site with its fingerprints, as deps.Fingerprints takes them."""
        return {(d.kind, d.slug, d.lang): (d, self.prints[(d.kind, d.slug, d.lang)]) for d in self.site.documents}

    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for group_problems in self.checks.values():
            found.extend(group_problems)
        return found


def checks_by_group(site: Site, problems: list[Problem]) -> dict[GroupKey, tuple[Problem, ...]] | None:
    """The translation checks' problems, by the group of the document each names; None if one names no document."""
    group_of = {doc.path: (doc.kind, doc.slug) for doc in site.documents}
    found: dict[GroupKey, list[Problem]] = {}
    for problem in problems:
        key = group_of.get(problem.path)
        if key is None:
            return None
        found.setdefault(key, []).append(problem)
    return {key: tuple(items) for key, items in found.items()}


def with_documents(site: Site, documents: dict[DocKey, Document], groups: dict[GroupKey, DocumentGroup | None]) -> Site:
    """``site`` with these documents (in ``site.documents``) and these groups (in its lists) put in place.

    Only records already in the site are replaced: a patch never adds,
    removes or reorders anything (those edits are not text-only).
    """
    docs = tuple(documents.get((d.kind, d.slug, d.lang), d) for d in site.documents)

    def swapped(listed: tuple[DocumentGroup, ...]) -> tuple[DocumentGroup, ...]:
        return tuple(groups.get((g.kind, g.slug)) or g for g in listed)

    return replace(site, documents=docs, briefings=swapped(site.briefings), pages=swapped(site.pages))


def unmarked_groups(site: Site, keys: set[GroupKey]) -> dict[GroupKey, DocumentGroup]:
    """The groups of ``keys`` holding the documents of ``site.documents`` (not marked outdated)."""
    by_key = {(d.kind, d.slug, d.lang): d for d in site.documents if (d.kind, d.slug) in keys}
    found = {}
    for group in site.briefings + site.pages:
        if (group.kind, group.slug) in keys:
            found[(group.kind, group.slug)] = replace(group, translations=tuple(
                (lang, by_key[(group.kind, group.slug, lang)]) for lang, _ in group.translations))
    return found


def sub_site(site: Site, keys: set[GroupKey], groups: dict[GroupKey, DocumentGroup]) -> Site:
    """The part of ``site`` the translation checks look at for the groups of ``keys``."""
    return replace(site,
                   briefings=tuple(groups[(g.kind, g.slug)] for g in site.briefings if (g.kind, g.slug) in keys),
                   pages=tuple(groups[(g.kind, g.slug)] for g in site.pages if (g.kind, g.slug) in keys),
                   documents=tuple(d for d in site.documents if (d.kind, d.slug) in keys))


@dataclass
class Patch:
    """A text-only edit applied to the kept site."""

    site: Site
    assembled: Assembled  # the kept site after the patch
    overlay: "Overlay"  # every patch since the full build that wrote the kept site, this one included
    edited: list[Document]  # the documents whose text changed


def patch(kept: Assembled, earlier: "Overlay | None", edited: dict[DocKey, tuple[Document, tuple[str, str]]],
          entries: dict, root: Path) -> Patch | None:
    """``kept`` with the edited documents (each with its fingerprints) in place, their groups checked again.

    ``earlier``: the patches ``kept`` had already. The caller has made sure
    each edited document is its kept record but for the body (same meta
    fingerprint, references and no problem): the site-wide problems stay,
    the translation checks of the edited groups are done again (an edited
    original can make its translation outdated). None if a check's problem
    cannot be told apart by group (the site is then assembled again).
    """
    documents = {key: doc for key, (doc, _) in edited.items()}
    keys = {(kind, slug) for kind, slug, _ in edited}
    site = with_documents(kept.site, documents, {})
    sub = sub_site(site, keys, unmarked_groups(site, keys))
    found = Problems(root)
    sub = revisions.mark_outdated(sub, kept.records, found)
    figures.check(sub, found)
    by_group = checks_by_group(sub, found.items)
    if by_group is None:
        return None
    groups = {(g.kind, g.slug): g for g in sub.briefings + sub.pages}
    new = Overlay(documents, {key: groups.get(key) for key in keys}, {key: by_group.get(key, ()) for key in keys},
                  {key: prints for key, (_, prints) in edited.items()}, entries)
    after = new.applied(kept)
    return Patch(after.site, after, earlier.merged(new) if earlier is not None else new, list(documents.values()))


# -- keeping it -------------------------------------------------------------------------
def dumps(value, prints: dict[DocKey, tuple[str, str]], root: Path) -> bytes:
    """Pickle ``value`` (an :class:`Assembled` or an :class:`Overlay`) with every document's body left out.

    A document is kept as its fields and where its text is (its file, and
    the fingerprint the text must have): it reads back as one whose body is
    read from the file when asked for. The same document object, in a group
    and in ``site.documents``, is kept once and reads back as one object.
    """
    base = str(root)

    def document(doc: Document):
        state = dict(doc.__dict__)  # its fields (a stored one's: no body, and where to read it)
        state.pop("body", None)
        state.pop("_body", None)
        state["_source"] = (f"{base}/{doc.path}", prints[(doc.kind, doc.slug, doc.lang)][1], root)
        # Made and filled by the unpickler itself (no Python call per document: 4,000 of them).
        return (object.__new__, (StoredDocument,), state)

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, Document: document, StoredDocument: document}
    pickler.dump(value)
    return buffer.getvalue()


def loads(data: bytes):
    return pickle.loads(data)


@dataclass
class Overlay:
    """What text-only builds changed since the full build that wrote the kept site."""

    documents: dict[DocKey, Document]
    groups: dict[GroupKey, DocumentGroup | None]  # None: the group is in no list (drafts only)
    checks: dict[GroupKey, tuple[Problem, ...]]
    prints: dict[DocKey, tuple[str, str]]
    # The edited files' model entries (("doc", path) -> incremental.DocumentEntry): the model's shards are
    # not written again for them (a full build that finds a shard's entry stale reads the file).
    entries: dict = field(default_factory=dict)

    def applied(self, assembled: Assembled) -> Assembled:
        checks = dict(assembled.checks)
        for key, found in self.checks.items():
            if found:
                checks[key] = found
            else:
                checks.pop(key, None)
        return Assembled(with_documents(assembled.site, self.documents, self.groups), assembled.problems, checks,
                         assembled.records, {**assembled.prints, **self.prints})

    def merged(self, newer: "Overlay") -> "Overlay":
        return Overlay({**self.documents, **newer.documents}, {**self.groups, **newer.groups},
                       {**self.checks, **newer.checks}, {**self.prints, **newer.prints}, {**self.entries, **newer.entries})
