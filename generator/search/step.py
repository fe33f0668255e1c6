"""The search index as a step of the build: after the pages render, before the output is committed.

``build.render_and_write`` runs :meth:`SearchStep.run` once the pages are
rendered (into the staging folder, or in memory): it decides which
languages need a new bundle, hands the HTML of their pages to
:func:`index.index_files`, and stages the index files that differ from the
output's (``output.write.Staging.add``), so that the index reaches the
output folder like any page: through the one writer, in the same commit, or
not at all when the build fails. A language's bundle is made again when one
of its HTML pages was written or removed, when it has no bundle yet, or when
the build has no record of the last one (``fresh``: a first build with a
cache, new code); otherwise the bundle in the output is kept as it is.
Pagefind indexes a language as a whole (it has no update of part of an
index), so an edit costs the indexing of its language; unchanged index files
(most fragment files: they are named by their content) are not written
again. A build in memory (``briefing publish``) indexes every language and
returns the files.

``enabled=False`` makes none, and the output keeps none: an index of
pages that may have changed since is not left behind; the next build with
the step makes it again (``briefing build --no-search-index``; ``briefing
serve`` makes its index in the background into a folder of its own,
``preview.py``; ``briefing check`` makes none).

The build's record lists every output file with its stat, from the pages
it is given (``cache/build_cache.record``): :meth:`SearchStep.recorded`
adds the index files to them, so that a rebuild of an unchanged site is
recognised as unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..cache.deps import digest
from .index import bundle_folder, bundle_language, index_files, page_language


class SearchStep:
    """The search index of one build. After :meth:`run`: ``paths`` (every index file of the output after
    the commit), ``staged`` ((name in the staging folder, path)), ``written``, ``files`` (in memory),
    ``languages`` (those indexed)."""

    def __init__(self, languages: Iterable[str], enabled: bool = True, fresh: bool = False):
        self.site_languages = tuple(languages)
        self.enabled, self.fresh = enabled, fresh
        self.paths: list[str] = []
        self.staged: list[tuple[str, str]] = []
        self.written: list[str] = []
        self.files: dict[str, bytes] = {}
        self.languages: tuple[str, ...] = ()
        self._stats: dict[str, tuple[int, int, int]] = {}
        self._digests: dict[str, str] = {}

    def run(self, pages: list, results: list, output: Path | None, staging, present: Mapping[str, object]) -> None:
        """``pages``: the plan; ``results``: the pages this build rendered (``parallel.pages.Rendered``);
        ``output``: None for a build in memory; ``staging``: the ``output.write.Staging`` of the pages;
        ``present``: the files the output holds now."""
        languages = self.site_languages
        existing = [path for path in present if bundle_language(path, languages) is not None]
        if not self.enabled:
            return  # no index file among the output's: the commit removes any (see the docstring)
        written = [pages[r.index].path for r in results if r.written]
        stale = languages if output is None else stale_languages(languages, written, {page.path for page in pages}, present,
                                                                  self.fresh)
        kept = [path for path in existing if bundle_language(path, languages) not in stale]
        self.paths, self.languages = sorted(kept), stale
        if not stale:
            return
        located = built_pages(pages, results, output, staging)
        made = index_files({path: source for path, source in located.items() if page_language(path, stale)}, stale,
                           output.parent if output is not None else None)
        self.paths = sorted(kept + list(made))
        if output is None:
            self.files = made
            return
        for path, data in sorted(made.items()):
            if path in present and holds(output / path, data):
                continue
            name, stat = staging.add(path, data)
            self.staged.append((name, path))
            self.written.append(path)
            self._stats[path] = stat
            self._digests[path] = digest(data)  # as a page's, in the record

    def recorded(self, pages: list, results: list) -> tuple[list, list]:
        """The pages and results for the build's record, with the index files among them: each as a
        page that was planned (its path), and each written one as a page rendered (its digest and stat)."""
        from ..parallel.pages import Rendered
        from ..render.pages import Page
        extra = [Page(path, _made_by_the_search_step) for path in self.paths]
        by_path = {path: len(pages) + number for number, path in enumerate(self.paths)}
        made = [Rendered(by_path[path], self._digests[path], (), None, True, stat=self._stats[path], prints={})
                for path in self.written]
        return pages + extra, results + made


def _made_by_the_search_step():
    raise RuntimeError("a search index file is made by the search step, not rendered")


def built_pages(pages: list, results: list, output: Path | None, staging) -> dict[str, Path | bytes]:
    """Where the bytes of each page of the plan are: output path -> bytes or file.

    ``pages``: the plan; ``results``: the pages rendered by this build
    (``parallel.pages.Rendered``): in memory, or written into the staging
    folder; the others are unchanged in ``output``.
    """
    found: dict[str, Path | bytes] = {}
    rendered = set()
    for r in results:
        path = pages[r.index].path
        rendered.add(path)
        if r.data is not None:
            found[path] = r.data
        elif r.written:
            found[path] = staging.folder / (str(r.index) if staging.flat else path)
        elif output is not None:
            found[path] = output / path
    if output is not None:
        for page in pages:
            if page.path not in rendered:
                found[page.path] = output / page.path
    return found


def stale_languages(languages: Iterable[str], written: Iterable[str], planned: set[str], present: Mapping[str, object],
                    fresh: bool) -> tuple[str, ...]:
    """The languages whose bundle must be made again (in site order)."""
    languages = tuple(languages)
    if fresh:
        return languages
    stale = set()
    for path in written:
        lang = page_language(path, languages)
        if lang is not None:
            stale.add(lang)
    for path in present:
        if path not in planned:
            lang = page_language(path, languages)
            if lang is not None:  # a page removed
                stale.add(lang)
    for lang in languages:
        if bundle_folder(lang) + "pagefind-entry.json" not in present:
            stale.add(lang)
    return tuple(lang for lang in languages if lang in stale)


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds ``data`` (no file: False)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False
