"""The search index: Pagefind over the built HTML pages, one bundle per language.

:func:`index_files` hands the HTML pages of each language to Pagefind and
returns the bundle as files, ``<lang>/pagefind/...`` -> bytes, for the
build's writer to commit like any page. Nothing here touches the output
folder.

What is indexed is marked in the templates: ``data-pagefind-body`` on the
content of briefings, plain pages, fact, topic and timeline pages (home and
search pages have none, so Pagefind leaves them out), ``data-pagefind-ignore``
on source lists, lists of other pages and labels, ``data-pagefind-meta``
(``date``, and ``facets``: the words the search page filters by, see
``facets.py``) and ``data-pagefind-sort`` (``date``, the only sort key).
Pagefind picks each page's language, and so its stemmer (Russian, English,
...), from ``<html lang>``.

Why a bundle per language (``/en/pagefind/``, ``/ru/pagefind/``) rather
than one bundle holding every language: a search page loads only its own
language either way, but separate bundles are indexed in parallel (one
Pagefind process each), a language whose pages did not change keeps its
bundle, and each bundle's files are the same bytes for the same pages
(Pagefind 1.5.2 lists the languages of a shared bundle in an order that
changes from run to run).

Pagefind runs as the binary of ``pagefind[bin]`` (found by the Python
package's ``pagefind.service.get_executable``), over the pages laid out in a
scratch folder (hard links to the built files where there are files), and
writes the bundle there; it is read back. Not through the Python API's
``PagefindIndex``, for three reasons seen with 1.5.2: the API reads one
answer of the Pagefind process per tenth of a second (``add_html_file`` per
page would take 400 s for 4,000 pages); ``get_files`` stalls on an answer
larger than its 2 MiB pipe buffer (as its documentation warns; a 2,000-page
index is 6 MB); and ``write_files`` answers before the process has written
its files (unflushed asynchronous writes) while leaving the context stops
the process at once, so a file can come out empty. ``add_directory`` is
"equivalent to running the Pagefind binary with --site" (the API's
documentation), and the binary finishes its writes before it exits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..output.write import OutputError

BUNDLE = "pagefind"  # the bundle's folder in each language folder: /<lang>/pagefind/
# Pagefind writes its own search interfaces into every bundle; the site has
# its own (templates/search.html, assets/search.js), so they are not published.
UNUSED_FILES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
# A fact box or a timeline shown inside an article is a copy of what has a
# page of its own (indexed there): indexed in every article that shows it, it
# would list each of them for any word of the box.
EXCLUDE_SELECTORS = (".briefing .factbox", ".briefing .timeline")
# Beyond this (seconds), a Pagefind process is taken to have stalled.
TIMEOUT_S = 120.0
TIMEOUT_PER_PAGE_S = 0.05
GATE_EVERY = 32  # files between two looks at a PageTree's gate
BACKGROUND_NICENESS = "19"  # the preview's Pagefind: after the reader's browser and the next build


class SearchIndexError(OutputError):
    """The search index could not be made; the output is left as it was."""


def bundle_folder(lang: str) -> str:
    """The bundle of ``lang`` in the site: ``en/pagefind/``."""
    return f"{lang}/{BUNDLE}/"


def bundle_language(path: str, languages: Iterable[str]) -> str | None:
    """The language whose bundle holds the output file ``path``, or None."""
    if f"/{BUNDLE}/" not in path:  # asked of every output file: the quick answer first
        return None
    lang, _, rest = path.partition("/")
    return lang if rest.startswith(BUNDLE + "/") and lang in languages else None


def page_language(path: str, languages: Iterable[str]) -> str | None:
    """The language of an HTML page that may be indexed (any ``<lang>/...html``), or None."""
    lang, _, rest = path.partition("/")
    if rest and path.endswith(".html") and lang in languages and not rest.startswith(BUNDLE + "/"):
        return lang
    return None


def index_files(pages: Mapping[str, bytes | Path], languages: Iterable[str], scratch: Path | None = None) -> dict[str, bytes]:
    """The search bundle of each language in ``languages``, made from its HTML pages in ``pages``.

    ``pages`` maps output paths to the page's bytes, or to a file that holds
    them (linked into the scratch folder, not copied). Only the HTML pages of
    the language folders are read. ``scratch``: where the scratch folder is
    made (the same file system as the files, for links); default the
    system's temporary folder. Returns ``<lang>/pagefind/<file>`` -> bytes,
    the same bytes for the same pages. Raises :class:`SearchIndexError`.
    """
    with PageTree(pages, languages, scratch) as tree:
        return tree.index()


class PageTree:
    """The HTML pages of some languages, laid out in a scratch folder for Pagefind.

    The preview makes one in the background, while it builds and serves
    (``preview.py``): ``gate`` is then an event that is cleared while a
    build runs, and the tree's own work (laying out, reading the bundle
    back, removing the folder) waits for it every few files, as Pagefind
    is stopped meanwhile.
    """

    def __init__(self, pages: Mapping[str, bytes | Path], languages: Iterable[str], scratch: Path | None = None,
                 missing_ok: bool = False, gate: threading.Event | None = None):
        """``missing_ok``: a page file that is gone (a build removed it meanwhile) is left out."""
        self.languages = tuple(dict.fromkeys(languages))
        self.gate = gate
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=".briefing-search-", dir=scratch))
        except OSError as error:
            raise SearchIndexError(f"the search index could not be made: cannot make a scratch folder in {scratch} "
                                   f"({error.strerror})") from None
        try:
            self.counts = _lay_out(pages, self.languages, self.folder, missing_ok, gate)
        except OSError as error:
            self.close()
            raise SearchIndexError(f"the search index could not be made: cannot lay out the pages for Pagefind "
                                   f"({error.strerror}: {error.filename})") from None
        except BaseException:
            self.close()
            raise

    def index(self, background: bool = False, started: Callable[[subprocess.Popen], None] | None = None) -> dict[str, bytes]:
        """``<lang>/pagefind/<file>`` -> bytes, for every language (Pagefind runs once per language, at the same time).

        ``background``: Pagefind runs at a lower priority (the preview's index
        must not slow the page a reader is reloading, nor the next build).
        ``started(process)`` is told of each Pagefind process (the preview
        pauses them while it builds).
        """
        jobs = [(lang, self.folder / "pages" / lang, self.folder / "bundles" / lang, self.counts[lang])
                for lang in self.languages if self.counts[lang]]
        _index_all(jobs, background, started)
        files: dict[str, bytes] = {}
        for lang, _, bundle, _ in jobs:
            files.update(_read_bundle(bundle, bundle_folder(lang), self.gate))
        return files

    def close(self) -> None:
        if self.gate is None:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        for count, (folder, subfolders, names) in enumerate(os.walk(self.folder, topdown=False)):
            if count % GATE_EVERY == 0:
                self.gate.wait()
            for name in names:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
            with contextlib.suppress(OSError):
                os.rmdir(folder)

    def __enter__(self) -> "PageTree":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _lay_out(pages: Mapping[str, bytes | Path], languages: tuple[str, ...], temp: Path, missing_ok: bool = False,
             gate: threading.Event | None = None) -> dict[str, int]:
    """Each language's pages under ``temp/pages/<lang>/``, at their paths in the site; how many."""
    counts = dict.fromkeys(languages, 0)
    made: set[Path] = set()
    for number, path in enumerate(pages):
        if gate is not None and number % GATE_EVERY == 0:
            gate.wait()
        lang = page_language(path, counts)
        if lang is None:
            continue
        target = temp / "pages" / lang / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        source = pages[path]
        if isinstance(source, Path):
            try:
                os.link(source, target)
            except FileNotFoundError:
                if missing_ok:
                    continue
                raise
            except OSError:  # another file system, or one without hard links
                shutil.copyfile(source, target)
        else:
            target.write_bytes(source)
        counts[lang] += 1
    return counts


def _index_all(jobs: list[tuple[str, Path, Path, int]], background: bool = False,
               started: Callable[[subprocess.Popen], None] | None = None) -> None:
    """One Pagefind process per language, at the same time; ``background``: at a lower priority."""
    from pagefind.service import get_executable
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError("the search index could not be made: Pagefind's program was not found "
                               "(install it with pip install 'pagefind[bin]')")
    # Set before the program starts (``nice``), its every thread runs at the lower priority.
    nice = shutil.which("nice") if background else None
    running = []
    try:
        for lang, pages, bundle, count in jobs:
            command = [nice, "-n", BACKGROUND_NICENESS] if nice else []
            command += [str(binary), "--site", str(pages), "--output-path", str(bundle), "--silent"]
            for selector in EXCLUDE_SELECTORS:
                command += ["--exclude-selectors", selector]
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            running.append((lang, bundle, count, process))
            if started is not None:
                started(process)
        for lang, bundle, count, process in running:
            try:
                output, _ = process.communicate(timeout=TIMEOUT_S + TIMEOUT_PER_PAGE_S * count)
            except subprocess.TimeoutExpired:
                raise SearchIndexError(f"the search index could not be made: Pagefind did not finish indexing the '{lang}' pages") from None
            said = output.decode("utf-8", "replace").strip()
            if process.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
                raise SearchIndexError(f"the search index could not be made: Pagefind failed on the '{lang}' pages"
                                       + (f": {said.splitlines()[-1]}" if said else f" (exit status {process.returncode})"))
    except OSError as error:
        raise SearchIndexError(f"the search index could not be made: cannot run Pagefind ({error.strerror or error})") from None
    finally:
        for _, _, _, process in running:
            if process.poll() is None:
                process.kill()
                process.wait()


def _read_bundle(folder: Path, prefix: str, gate: threading.Event | None = None) -> dict[str, bytes]:
    files = {}
    for number, path in enumerate(sorted(folder.rglob("*"))):
        if gate is not None and number % GATE_EVERY == 0:
            gate.wait()
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not rel.startswith(UNUSED_FILES):
            files[prefix + rel] = path.read_bytes()
    return files
