"""The preview's search index: made again in the background after a build, off the save-to-reload path.

``briefing serve`` builds with ``search_index=False`` (the build makes no
index), publishes the pages and reloads the open page at once; then
:class:`PreviewIndex` brings the index up to date, in a folder of its own
beside the build's (the preview serves ``<lang>/pagefind/`` from there: the
build folder is the build's alone, and its record, kept in memory between
saves, trusts that nothing else writes there):

0. a second after the last build (a save in the meantime puts it off), so
   that the reloaded page loads first;
1. on the build's thread, between builds: which languages' HTML pages
   changed since their bundle was made (the stat of every page);
2. on a thread of its own, while the preview keeps building and serving:
   those pages laid out for Pagefind (hard links: a link is the version of
   the page it was made from, whatever a build does meanwhile; one that a
   build replaced in between leaves its language to the next round), and
   Pagefind (``index.PageTree.index``) at a lower priority; a save stops
   Pagefind (SIGSTOP) until a second after its build, so the save's build
   and reload never wait for the index;
3. on that thread still: the index files that differ written into the
   index's folder, each replaced atomically (``output.atomic``), the
   bundle's entry file last and stale files removed after it, so that a
   search sees either bundle whole; then a reload that only a search page
   acts on (the preview's page script ignores a reload of ``.../pagefind/``
   elsewhere).

The search page says, in the preview, that results can be a few seconds
older than the pages. A save while Pagefind runs is indexed in the next
round; nothing waits for the index.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from ..output.atomic import replace_file
from ..output.write import OutputError
from .index import BUNDLE, PageTree, bundle_folder
from .step import holds

# A round starts this long after the last build (a save in the meantime puts it off again): the
# page the reader is reloading loads first, and a burst of saves is indexed once.
DELAY_S = 1.0


class PreviewIndex:
    """Keeps the search bundles of the preview's pages (in ``output``) up to date, in ``folder``.

    ``on_build_thread(fn)``: an awaitable that runs ``fn`` where the
    preview's builds run, one at a time with them. ``reload(path)`` tells the
    open pages (the preview's livereload).
    """

    def __init__(self, output: Path, folder: Path, on_build_thread: Callable[[Callable], Awaitable],
                 reload: Callable[[str], None], err=sys.stderr, delay: float = DELAY_S):
        self.output = output
        self.folder = folder
        self.on_build_thread = on_build_thread
        self.reload = reload
        self.err = err
        self.delay = delay
        self.indexed: dict[str, str] = {}  # language -> the state of its pages when its bundle was made
        self.rounds = 0  # indexes committed (for tests)
        self._wanted = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task | None = None
        self._base = "/"
        self._running: list = []  # the Pagefind processes of the round in progress
        self._paused = False
        self._gate = threading.Event()  # set: the round's own work may go on (see PageTree)
        self._gate.set()
        self._resume: asyncio.TimerHandle | None = None

    def schedule(self, base_path: str) -> None:
        """A build succeeded: bring the index up to date with it, in the background."""
        self._base = base_path
        self._idle.clear()
        self._wanted.set()
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())
        if self._resume is not None:
            self._resume.cancel()
        self._resume = loop.call_later(self.delay, self.resume)

    def pause(self) -> None:
        """A build starts: Pagefind, if it runs, stops until a while after the build (``schedule``)."""
        self._paused = True
        self._gate.clear()
        if self._resume is not None:
            self._resume.cancel()
            self._resume = None
        for process in list(self._running):
            _signal(process, "SIGSTOP")

    def resume(self) -> None:
        self._paused = False
        self._gate.set()
        for process in list(self._running):
            _signal(process, "SIGCONT")

    def _started(self, process) -> None:  # on the index's thread
        self._running.append(process)
        if self._paused:
            _signal(process, "SIGSTOP")

    async def wait_until_current(self) -> None:
        """Until no round is pending or running (for tests)."""
        await self._idle.wait()

    async def stop(self) -> None:
        if self._resume is not None:
            self._resume.cancel()
        self._gate.set()  # a round's thread waiting on it ends
        for process in list(self._running):
            if process.poll() is None:
                process.kill()  # also a paused one: no Pagefind is left behind
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            await asyncio.sleep(self.delay)
            if self._wanted.is_set():
                continue  # another build since: wait after that one
            try:
                await self._round()
            except asyncio.CancelledError:
                raise
            except (OutputError, OSError) as error:
                print(f"search index not updated: {error}", file=self.err, flush=True)
            except Exception as error:  # a bug of ours must not take the preview down
                print(f"search index not updated: internal error: {type(error).__name__}: {error}", file=self.err, flush=True)
            if not self._wanted.is_set():
                self._idle.set()

    async def _round(self) -> None:
        prepared = await self.on_build_thread(self._prepare)
        if prepared is None:
            return
        found, states = prepared

        def index_and_write() -> tuple[bool, set[str]]:
            files, current = self._index(found)
            return self._write(tuple(found), files), current
        try:
            changed, current = await _in_daemon_thread(index_and_write)
        finally:
            self._running = []
        # A language whose pages changed while they were laid out is indexed again next round.
        self.indexed.update((lang, states[lang]) for lang in current)
        self.rounds += 1
        if changed:
            self.reload(self._base + bundle_folder(next(iter(found))))

    def _prepare(self) -> tuple[dict[str, dict], dict[str, str]] | None:
        """The pages (path -> stat) of each language whose bundle is out of date, and their state; None if none is."""
        if not self.output.is_dir():
            return None
        found, states = {}, {}
        for lang in languages_of(self.output):
            pages = _html_pages(self.output, lang)
            state = hashlib.blake2b(repr(sorted(pages.items())).encode(), digest_size=16).hexdigest()
            has_bundle = (self.folder / bundle_folder(lang) / "pagefind-entry.json").is_file()
            if state != self.indexed.get(lang) or not has_bundle:
                found[lang], states[lang] = pages, state
        return (found, states) if found else None

    def _index(self, found: dict[str, dict]) -> tuple[dict[str, bytes], set[str]]:
        """Lay out and index the pages of ``found`` (off the build thread: a build may replace pages meanwhile);
        the index files, and the languages laid out exactly as ``found`` saw them."""
        pages = {path: self.output / path for stats in found.values() for path in stats}
        with PageTree(pages, list(found), self.output.parent, missing_ok=True, gate=self._gate) as tree:
            # A link is the file it was made from: the same inode as the stat taken between builds,
            # or a page a build has replaced since (moving a page in gives it a new inode).
            current = {lang for lang, stats in found.items()
                       if all(_inode(tree.folder / "pages" / lang / path) == stat[2] for path, stat in stats.items())}
            self._gate.wait()
            return tree.index(background=True, started=self._started), current

    def _write(self, languages: tuple[str, ...], files: dict[str, bytes]) -> bool:
        """The new bundles of ``languages`` into the index's folder; whether a file changed.

        New and changed files first (Pagefind names its index files by their
        content, so they do not clash with the files of the bundle in use),
        the entry file (which names the bundle's metadata file) last but one,
        the files of the old bundle last: a search that starts meanwhile
        loads one bundle or the other, whole.
        """
        present = {path.relative_to(self.folder).as_posix() for lang in languages
                   for path in (self.folder / bundle_folder(lang)).rglob("*") if path.is_file()}
        changed = [path for path in sorted(files, key=lambda p: p.endswith("/pagefind-entry.json"))
                   if path not in present or not _same(self.folder / path, files[path])]
        for number, path in enumerate(changed):
            if number % 32 == 0:
                self._gate.wait()
            target = self.folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, files[path])
        stale = sorted(present - set(files))
        for path in stale:
            (self.folder / path).unlink(missing_ok=True)
        for lang in languages:  # folders the new bundle has no file in
            for folder in sorted((self.folder / bundle_folder(lang)).rglob("*"), reverse=True):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
        return bool(changed or stale)


def languages_of(output: Path) -> list[str]:
    """The languages of a built site: the folders with a search page."""
    try:
        entries = sorted(os.scandir(output), key=lambda entry: entry.name)
    except OSError:
        return []
    return [entry.name for entry in entries if entry.is_dir() and not entry.name.startswith(".")
            and (Path(entry.path) / "search" / "index.html").is_file()]


def _same(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds ``data``: Pagefind names its index files by their content
    (``*.pf_fragment``, ``*.pf_index``, ...), so for those the size is enough (a large site has
    thousands, read again after every save otherwise); the others are compared byte for byte."""
    if path.suffix.startswith(".pf_"):
        try:
            return os.stat(path).st_size == len(data)
        except OSError:
            return False
    return holds(path, data)


def _signal(process, name: str) -> None:
    """Stop or continue a Pagefind process (POSIX); nothing where there are no such signals."""
    number = getattr(signal, name, None)
    if number is None or process.poll() is not None:
        return
    try:
        os.kill(process.pid, number)
    except OSError:  # it has just ended
        pass


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _html_pages(output: Path, lang: str) -> dict[str, tuple[int, int, int]]:
    """Every HTML page of a language folder (its bundle aside): path -> (size, mtime_ns, inode)."""
    found = {}
    root = output / lang
    for folder, subfolders, names in os.walk(root):
        if folder == str(root) and BUNDLE in subfolders:
            subfolders.remove(BUNDLE)
        rel = Path(folder).relative_to(output).as_posix()
        for name in names:
            if name.endswith(".html"):
                st = os.stat(os.path.join(folder, name))
                found[f"{rel}/{name}"] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return found


def _in_daemon_thread(work: Callable[[], object]) -> asyncio.Future:
    """``work()`` on a thread of its own, awaited on this loop. A daemon thread: Ctrl-C never waits for Pagefind."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(result=None, error=None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def run() -> None:
        try:
            result = work()
        except BaseException as error:  # handed to the loop
            outcome = (None, error)
        else:
            outcome = (result, None)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:  # the loop has closed: the preview stopped
            pass

    threading.Thread(target=run, name="briefing-search-index", daemon=True).start()
    return future
