"""Render pages in several processes; the result is the same as in one.

Workers are forked once the plan exists, so they inherit the site model,
the templates and the page list instead of receiving them by pickle. The
build's own process renders too: with ``jobs`` N, N - 1 workers are started.
Each process claims chunks of pages as it is free (``claims.py``), records
what each page used (``deps.py``), and a worker sends back small results.
When the build writes a folder, a process writes a page into the staging
folder itself, and only if its bytes differ from what the output folder
already holds: page bytes never travel between processes, and unchanged
files are never rewritten. Results are put back in plan order, so nothing
depends on which process rendered what.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..cache import deps
from ..content.errors import Problem
from ..output.write import stage_file
from .claims import Claims

if TYPE_CHECKING:  # the renderer (Jinja2, Markdown) is not imported for the command line's default_jobs
    from ..render.pages import Page

# Below this many pages, starting processes costs more than it saves.
MIN_PAGES_PER_WORKER = 48


@dataclass(frozen=True)
class Job:
    """What every worker needs; inherited through fork, never pickled."""

    pages: list[Page]
    template_dirs: list[Path]
    output: Path | None  # the current output folder (compared against), if any
    staging: Path | None  # where changed pages are written; None: keep bytes in memory
    flat: bool  # staged as staging/<index> (moved into an existing output one by one), else as the site's tree
    known: dict[str, str]  # output path -> digest of the bytes the output folder holds (verified)
    bodies: object = None  # bodies.KeptBodies of the pages' renderers: flushed after each batch of pages
    # deps.Fingerprints of the site, when the build records what pages used: each process
    # fingerprints the tokens its pages used (once each), instead of the build after the pages.
    prints: object = None


@dataclass(frozen=True)
class Rendered:
    index: int
    digest: str
    uses: tuple  # what the page used, sorted (deps.ordered)
    data: bytes | None  # only when nothing is written to a folder
    written: bool  # a new or changed file was written into the staging folder
    problem: Problem | None = None
    stat: tuple | None = None  # (size, mtime_ns, inode) of the file written: moving it into the output keeps them
    prints: dict | None = None  # token -> fingerprint, for the tokens this process had not fingerprinted yet


_job: Job | None = None  # set in the parent just before forking
_fingerprinted: set = set()  # the tokens this process has fingerprinted in this render (see Job.prints)
_claims: tuple[list[list[int]], Claims] | None = None  # the chunks, and which are claimed: likewise


def _render_one(job: Job, index: int) -> Rendered:
    page = job.pages[index]
    with deps.recording() as used:
        try:
            data = page.content()
        except Exception as error:  # a template's mistake, or a bug of ours (template_problem says which)
            from ..render.templates import template_problem
            if job.bodies is not None:
                job.bodies.page_done(None)
            problem = template_problem(error, job.template_dirs)
            if problem is None:
                raise
            return Rendered(index, "", (), None, False, problem)
    uses = deps.ordered(used.union(page.deps))  # sorted here, in the render processes: the record keeps them so
    digest = deps.digest(data)
    if job.bodies is not None:
        job.bodies.page_done(digest)  # where the page's bodies are, in the page of this digest
    prints = None
    if job.prints is not None:
        prints = {token: job.prints.of(token) for token in uses if token not in _fingerprinted}
        _fingerprinted.update(prints)
    if job.staging is None:
        return Rendered(index, digest, uses, data, False, prints=prints)
    if _same_as_output(job, page.path, data, digest):
        return Rendered(index, digest, uses, None, False, prints=prints)
    # Flat: no folders to make in the staging area, nor to delete after.
    stat = stage_file(job.staging, str(index) if job.flat else page.path, data, page.path)
    return Rendered(index, digest, uses, None, True, stat=stat, prints=prints)


def _same_as_output(job: Job, path: str, data: bytes, digest: str) -> bool:
    known = job.known.get(path)
    if known is not None:
        return known == digest
    if job.output is None:
        return False
    try:  # no record of this file (the cache was deleted): compare the bytes
        with open(job.output / path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _render_chunk(indices: list[int]) -> list[Rendered]:
    assert _job is not None
    rendered = [_render_one(_job, i) for i in indices]
    if _job.bodies is not None:
        _job.bodies.flush()
    return rendered


def _render_claimed(_ticket: int) -> list[Rendered]:
    """A render process's turn: the next unclaimed chunk (nothing if none is left)."""
    assert _claims is not None
    claimed = _claims[1].next()
    return _render_chunk(_claims[0][claimed]) if claimed is not None else []


def render(job: Job, todo: list[int], jobs: int, progress: Callable[[int, int], None] | None = None,
           meanwhile: Callable[[], None] | None = None) -> list[Rendered]:
    """Render the pages at ``todo`` (indices into ``job.pages``), in plan order.

    ``meanwhile()`` is work of the build that does not need the pages: it is
    done first, while the other processes start on the pages (in one
    process, after the pages).
    """
    global _job, _claims
    _fingerprinted.clear()  # before the workers are forked: they inherit it empty
    workers = max(1, min(jobs, len(todo) // MIN_PAGES_PER_WORKER))
    total = len(todo)
    results: list[Rendered] = []
    if workers > 1:
        import multiprocessing  # only here: a rebuild that renders a page or two never needs it (10 ms)
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for count, index in enumerate(todo, 1):
            results.append(_render_one(job, index))
            if progress and count % 16 == 0:
                progress(count, total)
        if job.bodies is not None:
            job.bodies.flush()
        if meanwhile is not None:
            meanwhile()
        return results
    chunks = _chunks(job.pages, todo, workers)
    context = multiprocessing.get_context("fork")
    claims = Claims(context, len(chunks))
    _job, _claims = job, (chunks, claims)
    try:
        # This process renders too (see claims.py): workers - 1 more. One ticket per
        # chunk: a ticket renders the next chunk no process has claimed.
        with context.Pool(workers - 1) as pool:
            theirs = pool.imap_unordered(_render_claimed, range(len(chunks)))
            if meanwhile is not None:
                meanwhile()
            while (claimed := claims.next()) is not None:
                results.extend(_render_chunk(chunks[claimed]))
                if progress:
                    progress(len(results), total)
            for chunk in theirs:
                results.extend(chunk)
                if progress and chunk:
                    progress(len(results), total)
    finally:
        _job = _claims = None
    results.sort(key=lambda r: r.index)
    return results


def _chunks(pages: list[Page], todo: list[int], workers: int) -> list[list[int]]:
    """The pages at ``todo`` in the chunks the workers take, one at a time, as each is free.

    The pages of a batch make one chunk, first: they are the heavy ones (lists).
    The others go in small chunks, smaller and smaller towards the end, so that
    no worker is left alone with much more to do.
    """
    batches: dict[str, list[int]] = {}
    rest = []
    for index in todo:
        batch = pages[index].batch
        if batch:
            batches.setdefault(batch, []).append(index)
        else:
            rest.append(index)
    size = max(4, min(64, len(todo) // (workers * 8)))
    chunks = list(batches.values())
    start = 0
    while start < len(rest):
        left = len(rest) - start
        step = size if left > 2 * size * workers else max(4, left // (2 * workers))
        chunks.append(rest[start:start + step])
        start += step
    return chunks


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
