"""The pipeline: load -> model -> render -> write, each a call, each step timed.

``build()`` is the single entry point used by the command line, the preview
server and the publisher. It returns the pages (in memory, or read from the
output folder on demand) and only writes when an output folder is given, and
then only if the whole build succeeded.

The cache sits beside the pipeline as one object with named hooks
(``cache/build_cache.py``): what changed, which pages to render, what to
record. A clean build has a :class:`~generator.cache.build_cache.NoCache`;
every path gives the same bytes as a clean build in one process. ``jobs``
renders in that many processes (``parallel/pages.py``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Callable

from .cache.build_cache import BuildCache, NoCache, open_cache
from .cache.fingerprint import default_cache_dir
from .content.errors import ContentError, Problem, Problems
from .content.load import load_content
from .content.model import Site
from .content.resolve import resolve
from .output.target import Target
from .project import Project, project_dirs
from .render.setup import RenderSetup
from .search.step import SearchStep
from .translation import figures, revisions

__all__ = ["BuildCache", "BuildResult", "build", "default_cache_dir", "open_cache", "project_dirs"]

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class OutputFiles(Mapping):
    """The built files, read from the output folder when asked for."""

    def __init__(self, output: Path, paths: list[str]):
        self.output = output
        self.paths = paths
        self._set = set(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._set:
            raise KeyError(path)
        return (self.output / path).read_bytes()

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


class BuildResult:
    """What a build made: ``files`` (path -> bytes), the site model, warnings, counts."""

    def __init__(self, files: Mapping[str, bytes], site: Site | Callable[[], Site], warnings: list[Problem],
                 timings: dict[str, float] | None = None, written: int = 0, rendered: int = 0, cache: NoCache | None = None):
        self.files = files
        self._site = site
        self.warnings = warnings
        self.timings = timings if timings is not None else {}
        self.written = written  # files created or changed in the output folder
        self.rendered = rendered  # pages rendered (the others were unchanged)
        self.cache = cache  # the cache object of this build: pass it as build(keep=...) to the next one

    @property
    def site(self) -> Site:
        if callable(self._site):  # an unchanged site: the model is made from the record when asked for
            self._site = self._site()
        return self._site


def build(content: Path, output: Path | None = None, strict: bool = False, cache: Path | None = None,
          jobs: int = 1, progress: Progress | None = None, keep: BuildCache | None = None, dry_run: bool = False,
          search_index: bool = True) -> BuildResult:
    """Build the site in ``content``; raise :class:`ContentError` on any error.

    ``cache``: a folder for the build record (None: a clean build). ``keep``:
    the cache object of an earlier build (``BuildResult.cache``), kept in
    memory by the preview server; used if it is for the same project and
    output folder. ``jobs``: processes that render pages.
    ``progress`` is called with (stage, done, total) while pages render.
    ``dry_run`` (``briefing check``): every check of a build, the pages that
    changed rendered in memory, and nothing written: neither the output nor
    the record, which is only read. ``search_index=False``: no search index
    is made, and the output keeps none (``--no-search-index``; the preview
    makes its own, in the background).
    """
    clock = _Clock()
    project = Project.at(content)
    problems = Problems(project.root)
    target = Target.of(output, project.sources, cache, checked=not dry_run)
    book = keep.renewed(project, target) if keep is not None else open_cache(cache, project, target, read_only=dry_run)
    book.start(jobs, ("search-index",) if search_index else ())  # (a check makes no index, but reads the record of a build that does)
    if book.unchanged():
        clock.lap("check")
        order, warnings = book.unchanged_output()
        _stop_on_errors(Problems(problems.root, list(warnings)), strict)
        return BuildResult(OutputFiles(target.path, order), lambda: model(project, problems, book.reading(problems))[0],
                           warnings, clock.timings, cache=book)

    setup = RenderSetup(project.template_dirs, project.locales, book.folder if not dry_run else None)
    site = book.kept_site(problems)  # only texts changed: the last build's site, patched
    if site is None:
        # A first build reads in several processes, and meanwhile this one prepares the rendering.
        reading = book.reading(problems, jobs, setup.prepare)
        site, checked = model(project, problems, reading, clock)
        book.modelled(site, checked)
    clock.lap("model")

    pages, mentions = plan(site, project, problems, setup, book, strict)
    todo = book.pages_to_render(site, mentions, pages)
    clock.lap("render")
    # The search index: a step after the pages render, committed with them (search/step.py).
    search = SearchStep(site.config.languages, search_index and not dry_run, isinstance(book, BuildCache) and book.previous is None)
    results = render_and_write(pages, todo, project, target if not dry_run else None, book, problems, strict, jobs,
                               progress, clock, record=not dry_run, search=search)

    files = OutputFiles(target.path, [page.path for page in pages] + search.paths) if target is not None else {
        **{pages[r.index].path: r.data for r in results}, **search.files}
    written = sum(1 for r in results if r.written) + len(search.written)
    return BuildResult(files, site, problems.warnings, clock.timings, written, len(results), book)


def model(project: Project, problems: Problems, reading, clock: "_Clock | None" = None):
    """The load and model stages: every file read (through ``reading``'s hooks), the site resolved and
    checked, then the translation checks (outdated translations, figures that differ)."""
    raw = load_content(project.content, problems, reading.load, reading.yaml_file, reading.listing, reading.file_hash)
    if clock:
        clock.lap("load")
    site = resolve(raw, problems, reading.resolve)
    checked = None
    if site is not None:
        records = revisions.load_records(project.content, problems)
        before = list(problems.items)
        checks = Problems(problems.root)
        site = revisions.mark_outdated(site, records, checks, reading.revision_of)
        figures.check(site, checks, reading.compare)
        problems.items.extend(checks.items)
        checked = Checked(before, records, checks.items)
    return site, checked


class Checked:
    """What the model stage found, as the cache keeps it: problems apart from the translation checks'."""

    def __init__(self, problems: list, records: dict, checks: list):
        self.problems, self.records, self.checks = problems, records, checks


def plan(site: Site, project: Project, problems: Problems, setup: RenderSetup, book: NoCache, strict: bool):
    """The render stage's plan: every output file of the site, rendered on demand (render/pages.py)."""
    # The render side (Jinja2, Markdown, the renderer): imported once there is a site to render
    # (a first build has imported it already, while the other processes read).
    from .cache import deps
    from .render.mentions import Mentions
    from .render.pages import plan_site
    from .render.templates import check_template_syntax
    if problems.errors:
        check_template_syntax(list(project.template_dirs), problems)  # report broken templates in the same run
    _stop_on_errors(problems, strict)
    view = deps.site_view(site)
    mentions = Mentions(view)  # made outside any page: building it is no use of anything
    pages = plan_site(view, list(project.template_dirs), project.locales, problems, setup.templates(), mentions,
                      setup.catalogues, book.bodies())
    _stop_on_errors(problems, strict)
    return pages, mentions


def render_and_write(pages: list, todo: list[int], project: Project, target: Target | None, book: NoCache,
                     problems: Problems, strict: bool, jobs: int, progress: Progress | None, clock: "_Clock",
                     record: bool = True, search: SearchStep | None = None) -> list:
    """Render the pages at ``todo`` (in ``jobs`` processes, into a staging folder), then commit them
    (output/write.py) and record the build; nothing reaches the output if a page fails. Without a
    ``target`` the pages stay in memory; without ``record`` the cache keeps nothing of this build.
    ``search``: the search index, made from the rendered pages and committed with them."""
    from .parallel import pages as parallel
    from .render.templates import check_template_syntax
    template_dirs = list(project.template_dirs)
    survey = book.survey
    on_progress = (lambda done, total: progress("render", done, total)) if progress else None
    staging = target.staging() if target is not None else None
    with staging if staging is not None else _Nothing():
        job = parallel.Job(pages, template_dirs, target.path if target is not None and survey.files else None,
                           staging.folder if staging is not None else None, staging.flat if staging is not None else False,
                           book.known, book.bodies_in_use(), book.job_prints)
        results = parallel.render(job, todo, jobs, on_progress, book.keep_model if record else None)
        # One template mistake fails every page that uses it: report it once per
        # template line (the first page's wording), with every other broken template.
        failures = {(r.problem.path, r.problem.line): r.problem for r in reversed(results) if r.problem is not None}
        if failures:
            problems.items.extend(failures.values())
            check_template_syntax(template_dirs, problems)
            _stop_on_errors(problems, strict)
        clock.lap("render")
        order = [page.path for page in pages]
        written = [pages[r.index].path for r in results if r.written]
        search = search if search is not None else SearchStep((), enabled=False)
        search.run(pages, results, target.path if target is not None else None, staging, survey.files)
        if search.languages:
            clock.lap("search")  # Pagefind's time, apart from the pages'
        if staging is not None:
            staging.commit([(str(r.index) if staging.flat else pages[r.index].path, pages[r.index].path)
                            for r in results if r.written] + search.staged, set(order) | set(search.paths),
                           survey.files, survey.folders)
    if record:
        book.record(*search.recorded(pages, results), written + search.written, problems.warnings)  # the index files too
    if target is not None:
        clock.lap("write")
    return results


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def _stop_on_errors(problems: Problems, strict: bool) -> None:
    errors = problems.errors
    if strict:
        errors = errors + [Problem(w.path, w.line, w.message + " (an error under --strict)") for w in problems.warnings]
    if errors:
        raise ContentError(errors)
