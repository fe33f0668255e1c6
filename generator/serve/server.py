"""``briefing serve``: a live-reloading preview of the site while editors write.

The site is built with the same :func:`generator.build.build` as ``briefing
build``, into a temporary folder (never ``site/``), and served over
livereload's server (see :mod:`generator.serve.http`). watchfiles watches the
content folder and the templates and locales the build uses; each save
rebuilds and tells the open pages to reload. The watch is started again
whenever those folders change (a ``templates/`` or ``locales/`` made or
removed, the content folder replaced by a checkout). A build that fails leaves the
last good build in place: its problems are printed here and shown over the
page, until the next good save.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import ipaddress
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from ..build import build
from ..cache.build_cache import BuildCache, NoCache
from ..output.target import Target
from ..project import Project, project_dirs
from ..content.errors import ContentError
from ..output.write import OutputError
from ..search.preview import PreviewIndex
from .http import PreviewServer, Snapshot

# watchfiles hands over a batch once no event came for this long (ms): long
# enough to group an editor's write-and-rename, short against the 300 ms target.
WATCH_STEP_MS = 10
# How often the watch checks that the folders it watches are still the ones
# to watch (a templates/ or locales/ folder made or removed, content/ replaced).
FOLDER_CHECK_S = 0.25
# The preview tidies its memory once no build came for this long after the last (see tidy_memory).
TIDY_AFTER_S = 1.0


@dataclass(frozen=True)
class Outcome:
    """One build, as the preview needs it."""

    base_path: str | None  # None: the build failed
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    files: int  # files in the built site
    rendered: int  # pages rendered (an incremental build skips unchanged ones)
    written: int  # files created or changed in the build folder
    seconds: float


def tidy_memory() -> None:
    """Collect the garbage of the builds so far, then freeze what is left (``gc.freeze``).

    The preview keeps a whole site's model and build record between saves:
    hundreds of thousands of objects that the garbage collector's full
    collections would scan again and again, 150 ms each at 2,000 briefings,
    in the middle of a save's build and reload. Frozen, they are left out of
    the automatic collections, which then only look at what the last builds
    made. Run while the preview is idle (``Preview``): everything is unfrozen
    and collected first, so garbage of older builds is never kept.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def build_once(content: Path, output: Path, cache: Path | None = None, known_base: str | None = None,
               keep: NoCache | None = None, reported: set[str] | None = None) -> tuple[Outcome, NoCache | None]:
    """Run the CLI's build into ``output``; never raises for a bad build. Returns the outcome and the cache
    object to build with next time.

    The build's record is kept in memory, in the cache object of the last
    good build (``keep``), between saves: nothing of it is written or read
    again. ``cache`` (default: beside the output, in the preview's temporary
    folder) keeps the compiled templates; a record is only good for its own
    output folder, so sharing the CLI's would only make both rebuild everything.
    ``reported``: the paths the watcher saw change since the last build
    (None: it may have missed some), so that only those are looked at.
    Pages render in this process (jobs=1): forking render workers from a
    process that runs the server's and the watcher's threads could leave a
    worker stuck on a lock one of those threads held; after the first build
    a save re-renders only the pages it touches anyway. ``known_base`` is
    the base path of the build the folder holds: when nothing was rendered it
    is still right, and asking the result for its site would load the model.
    """
    start = time.perf_counter()
    try:
        cache = cache if cache is not None else output.with_name(output.name + "-cache")
        if keep is None:
            project = Project.at(content)
            keep = BuildCache(cache, project, Target.of(output, project.sources, cache), memory=True)
        keep.reported(reported)
        # The search index is made in the background after the reload (PreviewIndex), not by the build.
        result = build(content, output, cache=cache, jobs=1, keep=keep, search_index=False)
    except ContentError as error:
        return Outcome(None, tuple(str(p) for p in error.problems), (), 0, 0, 0, time.perf_counter() - start), keep
    except OutputError as error:
        return Outcome(None, (str(error),), (), 0, 0, 0, time.perf_counter() - start), keep
    except Exception as error:  # a bug of ours must not take the preview down
        traceback.print_exc()
        message = f"briefing: internal error: {type(error).__name__}: {error} (a bug in briefing, not in your content)"
        return Outcome(None, (message,), (), 0, 0, 0, time.perf_counter() - start), None  # its record is not to be trusted
    warnings = tuple(str(w) for w in result.warnings)
    unchanged = known_base is not None and result.rendered == 0 and result.written == 0
    base_path = known_base if unchanged else result.site.config.base_path
    outcome = Outcome(base_path, (), warnings, len(result.files), result.rendered, result.written, time.perf_counter() - start)
    return outcome, result.cache


def folder_identity(dirs: list[Path]) -> tuple:
    """Which folders ``dirs`` are (device, inode): a folder replaced by a new one is another folder."""
    found = []
    for path in dirs:
        try:
            st = os.stat(path)
            found.append((st.st_dev, st.st_ino))
        except OSError:
            found.append(None)
    return tuple(found)


def watched_dirs(content: Path) -> list[Path]:
    """The content folder and the template and locale folders the build reads."""
    templates, locales = project_dirs(content)
    dirs = []
    for path in [content, *templates, locales]:
        path = path.resolve()
        if path.is_dir() and path not in dirs:
            dirs.append(path)
    return dirs


class Preview:
    """Builds, watches and tells livereload when to reload; state lives on the event loop."""

    def __init__(self, content: Path, workdir: Path, out=sys.stdout, err=sys.stderr):
        self.content = content
        self.output = workdir / "site"
        self.cache = workdir / "cache"
        self.out, self.err = out, err
        self.snapshot = Snapshot(self.output, None, ("no build yet",))
        self._warnings: tuple[str, ...] = ()
        # One build at a time, off the event loop so pages keep being served.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-build")
        self._changed: set[str] = set()
        self._dirty = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._kept: NoCache | None = None  # the cache object of the last build: its record stays in memory
        self._paths: set[str] | None = None  # what the watcher saw change since the last build (None: unknown)
        self._tidy: asyncio.TimerHandle | None = None  # tidy_memory, once the preview is idle
        self._tidy_task: asyncio.Task | None = None
        self.tidied = 0  # times tidy_memory ran (for tests)
        # The search index: made after each build, in the background, into a folder of its own (served
        # as <lang>/pagefind/): the build's folder is the build's alone (its record trusts it).
        self.search_root = workdir / "search"
        self.search = PreviewIndex(self.output, self.search_root, self._on_build_thread, PreviewServer.reload, err)

    def _on_build_thread(self, work):
        """``work()`` where the builds run, one at a time with them (the search index reads the pages there)."""
        return asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def wait_for_build(self) -> None:
        await self._idle.wait()

    async def rebuild(self, stylesheet: str = "") -> Outcome:
        """Build; ``stylesheet``: the only file that changed since a good build was this stylesheet."""
        if self._tidy is not None:
            self._tidy.cancel()
        self._idle.clear()
        paths, self._paths = self._paths, set()
        self.search.pause()  # the index's Pagefind waits until after this build (PreviewIndex.schedule)
        try:
            outcome, self._kept = await asyncio.get_running_loop().run_in_executor(
                self._executor, build_once, self.content, self.output, self.cache, self.snapshot.base_path, self._kept, paths)
        finally:
            self._idle.set()
        self._publish(outcome, stylesheet)
        if outcome.base_path is not None:
            self.search.schedule(outcome.base_path)  # after the reload, in the background
        else:
            self.search.resume()
        self._tidy = asyncio.get_running_loop().call_later(TIDY_AFTER_S, self._start_tidy)
        return outcome

    def _start_tidy(self) -> None:
        self._tidy_task = asyncio.get_running_loop().create_task(self._tidy_memory())  # (kept: a task needs a reference)

    async def _tidy_memory(self) -> None:
        """Where the builds run, unless a build started meanwhile (it tidies after itself): the last
        build's record made (it was left for now: BuildCache.record), then tidy_memory."""
        if self._idle.is_set():
            kept = self._kept

            def tidy() -> None:
                if kept is not None:
                    kept.settle()
                tidy_memory()
            await self._on_build_thread(tidy)
            self.tidied += 1

    def _publish(self, outcome: Outcome, stylesheet: str = "") -> None:
        if outcome.base_path is None:
            # Keep serving the last good build, with the problems shown over it.
            self.snapshot = Snapshot(self.output, self.snapshot.base_path, outcome.errors, self.snapshot.build + 1)
            for line in outcome.errors:
                print(line, file=self.err)
            count = len(outcome.errors)
            kept = "still serving the last good build" if self.snapshot.has_site else "nothing to serve yet"
            print(f"build failed: {count} error{'s' if count != 1 else ''}; {kept}", file=self.err, flush=True)
            return
        last = self.snapshot
        if stylesheet and not last.errors and last.has_site:  # the pages are the last build's: see Snapshot.pages_from
            self.snapshot = Snapshot(self.output, outcome.base_path, (), last.build + 1, last.pages_from, stylesheet)
        else:
            self.snapshot = Snapshot(self.output, outcome.base_path, (), last.build + 1, last.build + 1)
        if outcome.warnings != self._warnings:
            for line in outcome.warnings:
                print(line, file=self.err)
            self._warnings = outcome.warnings
        count = len(outcome.warnings)
        print(f"built in {outcome.seconds:.2f} s: {outcome.rendered} pages rendered, {outcome.written} files written, "
              f"{count} warning{'s' if count != 1 else ''}", file=self.out, flush=True)

    def _relative(self, path: str) -> str:
        root = self.content.resolve().parent
        try:
            return Path(path).relative_to(root).as_posix()
        except ValueError:
            return path

    async def watch(self, stop: asyncio.Event, ready: asyncio.Event | None = None) -> None:
        """Mark changes for ``rebuild_on_changes`` until ``stop``; ``ready`` is set once the watch is on.

        The first build waits for ``ready``: a save made while it runs is
        then seen, and so is one made the moment the preview says it serves.
        """
        ready = ready if ready is not None else asyncio.Event()
        before: dict[Path, object] | None = None  # the folders of the last round, and which they were
        shown = watched_dirs(self.content)  # as run() announces them
        gone = False
        try:
            while not stop.is_set():
                dirs = watched_dirs(self.content)
                if self.content.resolve() not in dirs:
                    # The content folder is gone (a checkout?): build once (which
                    # says so), then wait for it to come back.
                    if not gone:
                        self._changed.add(self._relative(str(self.content.resolve())) + "/")
                        self._dirty.set()
                    gone, before = True, before if before is not None else {}
                    ready.set()
                    await asyncio.sleep(FOLDER_CHECK_S)
                    continue
                gone = False
                identity = folder_identity(dirs)
                now = dict(zip(dirs, identity))
                if before is not None:
                    # Events between losing the old watch and starting this one were missed.
                    self._paths = None
                    differ = sorted(d for d in set(before) | set(now) if before.get(d) != now.get(d))
                    self._changed.update(self._relative(str(d)) + "/" for d in differ or [self.content.resolve()])
                    self._dirty.set()
                if dirs != shown:
                    names = ", ".join(self._relative(str(d)) + "/" for d in dirs)
                    print(f"watching {names}", file=self.out, flush=True)
                    shown = dirs
                before = now
                # This round's watch ends when Ctrl-C stops the preview or the
                # folders to watch are no longer these (see _guard).
                again = asyncio.Event()
                guard = asyncio.create_task(self._guard(dirs, identity, stop, again))
                try:
                    # rust_timeout=0: watchfiles would otherwise give up waiting every
                    # 5 s and clear its pending changes, which can drop a save that
                    # lands just then.
                    async with contextlib.aclosing(watchfiles.awatch(*dirs, stop_event=again, step=WATCH_STEP_MS,
                                                                      debounce=400, rust_timeout=0)) as batches:
                        # awatch makes its inotify watches on the first step, before it
                        # first waits: whoever waits for ready runs after that.
                        ready.set()
                        async for changes in batches:
                            self._changed.update(self._relative(path) for _, path in changes)
                            if self._paths is not None:
                                self._paths.update(path for _, path in changes)
                            self._dirty.set()
                            # A watched folder itself removed, moved or made anew is no
                            # longer watched by inotify: start again on what exists now.
                            roots = {str(d) for d in dirs}
                            if any(path in roots for _, path in changes) or self._moved(dirs, identity):
                                break
                except Exception as error:
                    # A folder can vanish while the watch starts, the system can
                    # refuse a watch for a moment, or the watcher can fail while it
                    # runs (watchfiles raises that inside an ExceptionGroup): say so
                    # and watch again, rather than leave the preview deaf to saves.
                    reason = error.exceptions[0] if isinstance(error, ExceptionGroup) and error.exceptions else error
                    print(f"watching stopped ({reason}); watching again", file=self.err, flush=True)
                    await asyncio.sleep(FOLDER_CHECK_S)
                finally:
                    guard.cancel()
        finally:
            ready.set()

    def _moved(self, dirs: list[Path], identity: tuple) -> bool:
        """The folders to watch are not these any more (one created, removed or replaced)."""
        return watched_dirs(self.content) != dirs or folder_identity(dirs) != identity

    async def _guard(self, dirs: list[Path], identity: tuple, stop: asyncio.Event, again: asyncio.Event) -> None:
        """End the watch on Ctrl-C, or when a templates/ or locales/ folder appears or goes.

        Nothing inside a watched folder reports a folder made beside it, and
        watching the whole site root would watch the output and .git too: a
        few stat calls a quarter-second are cheaper.
        """
        while not self._moved(dirs, identity):
            try:
                await asyncio.wait_for(stop.wait(), FOLDER_CHECK_S)
                break
            except asyncio.TimeoutError:
                pass
        again.set()

    async def rebuild_on_changes(self, server: PreviewServer) -> None:
        pages_changed = False  # by a build whose reload was left to a later one
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            changed, self._changed = sorted(self._changed), set()
            was_ok = not self.snapshot.errors
            shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            print(f"changed: {shown}", file=self.out, flush=True)
            # A stylesheet-only edit is swapped in place by livereload.js
            # (the page keeps its scroll); anything else reloads the page.
            stylesheet = changed[0] if was_ok and changed and all(p.endswith(".css") for p in changed) else ""
            outcome = await self.rebuild(stylesheet)
            if self._dirty.is_set():
                pages_changed = pages_changed or not stylesheet
                continue  # more saves came in meanwhile: reload once, after their build
            if stylesheet and outcome.base_path and not pages_changed:
                server.reload(stylesheet)
            else:
                server.reload(changed[0] if changed and not stylesheet else "/")
            pages_changed = False

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def run(content: Path, host: str, port: int, workdir: Path) -> int:
    preview = Preview(content, workdir)
    try:
        server = PreviewServer(lambda: preview.snapshot, preview.wait_for_build, loopback_only=_is_loopback(host),
                               search=preview.search_root)
        try:
            server.listen(port, host)  # first, so that a taken port costs no build
        except OSError as error:
            print(f"briefing serve: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
            return 2
        # Watching starts before the first build: nothing saved from now on is missed.
        stop = asyncio.Event()
        watching = asyncio.Event()
        tasks = [asyncio.create_task(preview.watch(stop, watching))]
        await watching.wait()
        await preview.rebuild()
        if not _is_loopback(host):
            print(f"note: listening on {host}: other computers on the network can open the preview", file=sys.stderr)
        shown = f"[{host}]" if ":" in host else host
        path = preview.snapshot.base_path or "/"
        dirs = ", ".join(preview._relative(str(d)) + "/" for d in watched_dirs(content))
        print(f"serving http://{shown}:{port}{path} (watching {dirs}); Ctrl-C stops", flush=True)

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        tasks.append(asyncio.create_task(preview.rebuild_on_changes(server)))
        await stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await preview.search.stop()
        print("stopped", flush=True)
        return 0
    finally:
        preview.close()


def cmd_serve(args) -> int:
    content = Path(args.content)
    if not content.is_dir():
        print(f"{content}: content folder not found", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="briefing-serve-"))
    try:
        return asyncio.run(run(content, args.host, args.port, workdir))
    except KeyboardInterrupt:  # Ctrl-C before the handlers were installed
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def register(sub) -> None:
    p = sub.add_parser("serve", help="preview the site with live reload while you edit")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    p.set_defaults(func=cmd_serve)
