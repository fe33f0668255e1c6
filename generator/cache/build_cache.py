"""The build cache as the pipeline sees it: one object, named hooks, called in this order.

``build()`` (``generator/build.py``) runs load -> model -> render -> write and
asks the cache at each step; the cache decides what need not be done again,
never what a page says (a cached build is byte for byte a clean one):

1. :meth:`BuildCache.start` -- what changed: the last build's record, the
   input files' stats and hashes, the output folder as it stands;
2. :meth:`~BuildCache.unchanged` -- nothing changed: the build stops here;
3. :meth:`~BuildCache.kept_site` -- only texts changed: the last build's
   site, patched (``kept_site.py``, ``assembled.py``), instead of load and model;
4. :meth:`~BuildCache.reading` -- otherwise the hooks of the load and model
   stages, which replay every unchanged file's record (``memo.py``; a first
   build reads in several processes, ``read_ahead.py``), and
   :meth:`~BuildCache.modelled` once the site is checked;
5. :meth:`~BuildCache.pages_to_render` -- the pages whose inputs changed
   (``deps.py``), and :meth:`~BuildCache.bodies`, Markdown bodies' HTML kept
   from earlier builds (``bodies.py``);
6. :meth:`~BuildCache.keep_model` -- while pages render: the kept site and
   the model entries;
7. :meth:`~BuildCache.record` -- after the commit: what each page used, the
   output as left (``record.py``).

:class:`NoCache` answers the same hooks for a clean build. The preview
server keeps one :class:`BuildCache` between saves: its record stays in
memory, and a build reads nothing of it from disk.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from ..content.errors import Problem, Problems
from ..content.load import document_files, is_document_file, load_document, parse_yaml_file
from ..content.documents import resolve_document
from ..content.model import Site, SiteConfig
from ..output.target import Survey, Target
from ..project import Project
from ..render.catalog import catalogue_path
from ..translation import figures, revisions
from . import deps, kept_site
from .bodies import MINIMUM_PAGES, KeptBodies
from .fingerprint import code_fingerprint
from .memo import DocumentMemo, RememberedComparisons
from .output_record import folder_times_after, folders_of, output_after
from .read_ahead import read_ahead
from .record import MemoryStore, State, Store
from .scan import Inputs, racy_window


class PlainReading:
    """The load and model stages' own readers: every file read, parsed and resolved."""

    load = staticmethod(load_document)
    yaml_file = staticmethod(parse_yaml_file)
    listing = None
    file_hash = None
    resolve = staticmethod(resolve_document)
    revision_of = staticmethod(revisions.revision_of)
    compare = staticmethod(figures.compare)


class CachedReading:
    """The readers of a cached build: the memo's hooks, figures compared from the record when known."""

    def __init__(self, memo: DocumentMemo):
        self.memo = memo
        self.load, self.yaml_file, self.listing = memo.load, memo.yaml_file, memo.inputs.listing
        self.file_hash = memo.inputs.hash_of  # pictures are named by the hash the scan took
        self.resolve, self.revision_of = memo.resolve, memo.revision_of
        self._compared: RememberedComparisons | None = None

    @property
    def compared(self) -> RememberedComparisons:
        if self._compared is None:  # after resolve: the documents' fingerprints are known then
            self._compared = RememberedComparisons(self.memo.previous, self.memo.body_prints())
        return self._compared

    def compare(self, original, translation):
        return self.compared.compare(original, translation)


class NoCache:
    """A clean build: reads everything, renders every page, records nothing."""

    folder: Path | None = None
    survey = Survey()

    def start(self, jobs: int = 1, steps: tuple[str, ...] = ()) -> None:
        """``steps``: the optional steps of this build (``("search-index",)``)."""
        self.survey = self.target.survey() if self.target is not None else Survey()

    def __init__(self, project: Project, target: Target | None):
        self.project, self.target = project, target

    def renewed(self, project: Project, target: Target | None) -> "NoCache":
        """The cache for a build of ``project`` into ``target``: this one if it is for them, else a new one of its kind."""
        return NoCache(project, target)

    def unchanged(self) -> bool:
        return False

    def kept_site(self, problems: Problems) -> Site | None:
        return None

    def reading(self, problems: Problems, jobs: int = 1, meanwhile=None):
        return PlainReading

    def modelled(self, site: Site | None, checked) -> None:
        """The site the model stage made, and what it found (``build.Checked``)."""

    def bodies(self) -> KeptBodies | None:
        """Markdown bodies' HTML kept from earlier builds, for the renderers (None: every body is converted)."""
        return None

    def bodies_in_use(self) -> KeptBodies | None:
        """What :meth:`bodies` gave, for the render processes (they keep where each body is)."""
        return None

    def pages_to_render(self, site: Site, mentions, pages: list) -> list[int]:
        return list(range(len(pages)))

    known: dict[str, str] = {}  # output path -> digest of the bytes the output holds (checked)
    job_prints = None  # the site's fingerprints, when the render processes take them

    def keep_model(self) -> None:
        pass

    def record(self, pages: list, results: list, written: list[str], warnings: list[Problem]) -> None:
        pass

    def settle(self) -> None:
        """Make a record left to make (see BuildCache.record)."""


class BuildCache(NoCache):
    """The record of the last build in ``folder``, for builds of one project into one output folder."""

    def __init__(self, folder: Path, project: Project, target: Target, memory: bool = False, read_only: bool = False):
        """``memory``: keep the record in this object only (``folder`` still keeps compiled templates).
        ``read_only``: use the record in ``folder``, write nothing there."""
        super().__init__(project, target)
        self.folder = Path(folder)
        self.memory = memory
        self.store = MemoryStore() if memory else Store(self.folder, read_only)
        self.key = deps.digest(code_fingerprint(), str(project.content), [str(d) for d in project.template_dirs],
                               str(project.locales))
        self._last: State | None = None  # the record this object wrote last (kept by the preview server)
        self._pending: Callable[[], None] | None = None  # a record not made yet (see record)
        self._reported: set[str] | None = None  # input paths a watcher reported changed since that record
        self._told = False

    def renewed(self, project: Project, target: Target | None) -> NoCache:
        if target is not None and project == self.project and target.path == self.target.path:
            return self
        return BuildCache(self.folder, project, target, self.memory) if target is not None else NoCache(project, None)

    # 1. what changed ------------------------------------------------------------------
    def start(self, jobs: int = 1, steps: tuple[str, ...] = ()) -> None:
        self.settle()  # the last build's record, if it was left to make
        self.steps = tuple(steps)
        previous = self._last if self._last is not None else self.store.state(self.key)
        if previous is not None and previous.output != str(self.target.path):
            previous = None  # the record of the last build is usable only for the same output folder
        self.previous = previous
        content = self.project.content
        # A first build in several processes hashes its texts in the processes that read them.
        later = (lambda path: is_document_file(path, content)) if previous is None and jobs > 1 else None
        roots = [content, *self.project.template_dirs, self.project.locales]
        told, self._told = self._told, False
        if told and previous is not None and previous is self._last and self._reported is not None:
            self.inputs = previous.inputs.updated(self._reported, roots)  # only what the watcher saw change
        else:
            self.inputs = Inputs.scan(roots, previous.inputs if previous else None, later)
        if self.memory and previous is not None:
            # The preview's own output folder: nobody but this object's builds writes there, and the
            # record in memory is what the last of them left (stat'ing 8,000 files took most of a save).
            self.survey = Survey(dict(previous.output_files), set(previous.output_folders), dict(previous.output_times))
        else:
            self.survey = self.target.survey(previous)
        self._patch = self._memo = self._reading = self._checked = self._site = None
        self._documents: dict | None = None
        self._edited: list | None = None
        self._kept_id = ""
        self._bodies: KeptBodies | None = None

    def reported(self, paths: set[str] | None) -> None:
        """A file watcher saw these input paths change (absolute; None: it may have missed some).

        The next build then looks at these paths only, instead of every
        input file (the preview server's watcher reports every save). They
        count until a build succeeds: a failed build's changes are looked at
        again by the next one.
        """
        if paths is None or self._reported is None:
            self._reported = None  # unknown until the next record: the next build scans every file
        else:
            self._reported |= set(paths)
        self._told = True  # for the next build only: a build nobody reported for scans every file

    # 2. nothing changed ----------------------------------------------------------------
    def unchanged(self) -> bool:
        previous, survey = self.previous, self.survey
        return (previous is not None and previous.steps == self.steps and survey.files == previous.output_files
                and survey.folders == previous.output_folders and self.inputs.same_as(previous.inputs))

    def unchanged_output(self) -> tuple[list[str], list[Problem]]:
        """The pages and warnings of the unchanged site; the record keeps the newer stats."""
        previous = self.previous
        previous.inputs = self.inputs  # fewer files to hash next time
        self._save(previous)
        self._reported = set()  # what a watcher reports from now on is what changed since this record
        return previous.page_order, list(previous.warnings)

    # 3. only texts changed -------------------------------------------------------------
    def kept_site(self, problems: Problems) -> Site | None:
        if self.previous is None or not self.previous.assembled:
            return None
        patch = kept_site.text_only_patch(self.store, self.key, self.previous, self.inputs, self.project.content, problems)
        if patch is None:
            return None
        self._patch = patch
        problems.items.extend(patch.assembled.all_problems())
        self._documents = patch.assembled.fingerprints()
        self._edited = patch.edited
        return patch.site

    # 4. the load and model stages' readers ---------------------------------------------
    def reading(self, problems: Problems, jobs: int = 1, meanwhile: Callable[[SiteConfig, Path], None] | None = None):
        """``meanwhile(config, root)``: work for this process while a first build's other processes read."""
        self._known_model = (self.store.model(self.key) if self.previous is not None else None) or {}
        memo = self._memo = DocumentMemo(self.inputs, self._known_model)
        if jobs > 1 and self._many_unknown(memo):
            self._read_ahead(memo, problems.root, jobs, meanwhile)
        self.inputs.complete(memo.hash_read)
        self._reading = CachedReading(memo)
        return self._reading

    def modelled(self, site: Site | None, checked) -> None:
        memo = self._memo
        self._site, self._checked = site, checked
        self._documents = memo.fingerprints()
        self._edited = self._edited_documents(memo) if self.previous is not None else None

    # 5. which pages to render ----------------------------------------------------------
    def bodies(self) -> KeptBodies:
        self._bodies = KeptBodies()
        return self._bodies

    def bodies_in_use(self) -> KeptBodies | None:
        return self._bodies

    def pages_to_render(self, site: Site, mentions, pages: list) -> list[int]:
        """The indices of the pages whose inputs changed, or whose file is not as the last build left it."""
        previous, survey = self.previous, self.survey
        prints = self.prints = deps.Fingerprints(site, mentions, self._documents, self._file_prints())
        # Templates and catalogues are recorded by the pages that use them (deps.py): not global.
        self.global_print = deps.digest(code_fingerprint(), site.config)
        old_pages = previous.pages if previous is not None and previous.global_fingerprint == self.global_print else {}
        changed, self.rechecked = self._changed_tokens(prints) if old_pages else (set(), None)
        old_files = previous.output_files if previous is not None else {}
        present = survey.files
        todo: list[int] = []
        self.kept_pages: dict[str, tuple[tuple, str]] = {}
        for index, page in enumerate(pages):
            entry = old_pages.get(page.path)
            stat = present.get(page.path)
            if entry is not None and stat is not None and stat == old_files.get(page.path) and changed.isdisjoint(entry[0]):
                self.kept_pages[page.path] = entry
            else:
                todo.append(index)
        # Bytes the output folder holds, known without reading them.
        self.known = {path: entry[1] for path, entry in (previous.pages.items() if previous else ())
                      if path in present and present[path] == old_files.get(path)}
        self.job_prints = prints if self.rechecked is None else None
        if self._bodies is not None and len(todo) >= MINIMUM_PAGES:  # many pages: bodies' HTML from earlier builds
            self._bodies.start(self.store.bodies(self.key), prints, self.global_print,
                               lambda made: self.store.write_bodies(self.key, made), self.target.path, self.known)
        return todo

    # 6. while pages render -------------------------------------------------------------
    def keep_model(self) -> None:
        """Keep what the record keeps of the site and the model: it needs no page."""
        root = self.project.root
        if self._patch is not None:
            self._kept_id = kept_site.keep_patch(self.store, self.key, self.previous.assembled, self._patch, root)
            return
        self._kept_id = kept_site.keep_site(self.store, self.key, self._site, self._checked, self._documents, root)
        model = dict(self._memo.model)
        model.update(self._reading.compared.used)
        self.store.save_model(self.key, model, self._known_model)

    # 7. after the commit ---------------------------------------------------------------
    def record(self, pages: list, results: list, written: list[str], warnings: list[Problem]) -> None:
        """What each page used and the output as left: the state, written last (it names the kept site).

        In memory (the preview server) the record is made later: by
        :meth:`settle`, which the server calls once it has reloaded the page
        and nothing is being saved, or else the next build's :meth:`start`.
        A save's new page is then served without waiting for it. The record
        is what it would have been: made from this build's own values, which
        nothing changes before the next start.
        """
        order = [page.path for page in pages]
        by_path = [(pages[r.index].path, r) for r in results]

        def make() -> None:
            state = self._next_state(by_path, order, written, warnings)
            if self._bodies is not None and self._bodies.active:  # the render processes wrote the bodies they converted
                self.store.tidy_bodies(self.key, {(d.kind, d.slug, d.lang) for d in self._site_documents()})
            self._save(state)
        self._reported = set()  # what a watcher reports from now on is what changed since this build
        if self.memory:
            self._pending = make
        else:
            make()

    def settle(self) -> None:
        """Make the record the last build left to make (in memory only; nothing if there is none)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending()

    # -- the parts ---------------------------------------------------------------------
    def _save(self, state: State) -> None:
        self.store.save(self.key, state)
        self._last = state

    def _site_documents(self):
        site = self._patch.site if self._patch is not None else self._site
        return site.documents if site is not None else ()

    def _many_unknown(self, memo: DocumentMemo) -> bool:
        """A first build, or a new site.yaml (every file is resolved again): worth reading in parallel."""
        site_yaml = self.project.content / "site.yaml"
        known = memo.previous.get(("yaml", str(site_yaml)))
        return known is None or known[0] != memo.inputs.hash_of(site_yaml)

    def _read_ahead(self, memo: DocumentMemo, root: Path, jobs: int, meanwhile) -> None:
        """Read the briefings and pages the record does not know in ``jobs`` processes."""
        from ..content.load import RawContent
        from ..content.resolve import resolve_config
        content = self.project.content
        quiet = Problems(root)  # whatever is wrong is reported by the build itself
        site_file = memo.yaml_file(content / "site.yaml", quiet) if (content / "site.yaml").is_file() else None
        config = resolve_config(RawContent(content, site_file, {}, {}, ()), quiet) if site_file is not None else None
        if config is not None and not quiet.items:
            read_ahead(memo, document_files(content, memo.inputs.listing), config, root, jobs, self._data_files(),
                       (lambda: meanwhile(config, root)) if meanwhile is not None else None)

    def _data_files(self) -> list[Path]:
        """The YAML files of the facts and timelines folders, as the scan listed them."""
        found = []
        for folder in (self.project.content / "facts", self.project.content / "timelines"):
            for name, _, is_dir in self.inputs.listing(folder) or ():
                if not is_dir and name.endswith((".yaml", ".yml")):
                    found.append(folder / name)
        return found

    def _file_prints(self):
        """The fingerprint of a ("template", name), ("catalogue", lang) or ("file", path) token: the hash of the
        file that serves it (the first template folder that has it; the language's messages.po; the file)."""
        inputs, project = self.inputs, self.project

        def of(token: tuple) -> str:
            if token[0] == "template":
                candidates = [folder / token[1] for folder in project.template_dirs]
            elif token[0] == "file":
                candidates = [project.root / token[1]]
            else:
                candidates = [catalogue_path(project.locales, token[1])]
            for path in candidates:
                found = inputs.hash_of(path)
                if found is not None:
                    return found
            return "absent"
        return of

    def _edited_documents(self, memo: DocumentMemo) -> list | None:
        """The documents of the files that alone changed since the last build; None if any other input did."""
        changed = self.inputs.changed_since(self.previous.inputs)
        if changed is None:
            return None
        documents = []
        for path in changed:
            entry = memo.model.get(("doc", path))
            if entry is None or entry.document is None:
                return None  # a fact file, a template, site.yaml, translations.yaml...
            documents.append(entry.document)
        return documents

    def _changed_tokens(self, prints: deps.Fingerprints) -> tuple[set, set | None]:
        """The tokens whose fingerprint differs from the last build's, and which were computed (None: all).

        Usually every token some page used is fingerprinted again (thousands).
        When the only files that changed are briefings or pages whose fields
        other than the text are as before (the usual edit: a sentence), the
        site is the last one but for those texts: only their ("body", ...)
        tokens can differ, and their groups' ("meta", ...) tokens are checked
        to be the same (a translation marked outdated changes one).
        """
        previous = self.previous
        if self._edited is not None:
            rechecked = set()
            for doc in self._edited:
                rechecked.add(("body", doc.kind, doc.slug, doc.lang))
                rechecked.add(("meta", doc.kind, doc.slug))
            if all(prints.of(t) == previous.prints.get(t) for t in rechecked if t[0] == "meta"):
                return {t for t in rechecked if prints.of(t) != previous.prints.get(t)}, rechecked
        return {token for token, value in previous.prints.items() if prints.of(token) != value}, None

    def _next_state(self, results: list, order: list[str], written: list[str], warnings) -> State:
        """The record of this build: what each page used, the fingerprints, the output as left."""
        previous, survey, rechecked = self.previous, self.survey, self.rechecked
        entries = dict(self.kept_pages)
        # One object per token in the record: pickle then writes each once,
        # not once per page that used it (the record shrinks by a third and
        # every build reads it). Kept entries share the last record's objects.
        canon = {token: token for token in previous.prints} if previous is not None else {}
        fingerprinted: dict = {}  # by the render processes (parallel.Job.prints)
        setdefault = canon.setdefault
        for path, r in results:
            entries[path] = (tuple(map(setdefault, r.uses, r.uses)), r.digest)
            if r.prints:
                fingerprinted.update(r.prints)
        output = self.target.path
        after = output_after(output, survey.files, order, [(path, r.stat) for path, r in results if r.written])
        folders_after = folders_of(order)
        times = folder_times_after(output, survey.times, survey.folders, folders_after, set(survey.files) - set(order), written)
        if rechecked is None and not self.kept_pages and all(r.prints is not None for _, r in results):
            # Every page was rendered, and each token it used fingerprinted by the process that rendered it.
            new_prints = {setdefault(t, t): value for t, value in fingerprinted.items()}
        else:
            tokens = {token for uses, _ in entries.values() for token in uses}
            if rechecked is None:
                new_prints = {t: fingerprinted[t] if t in fingerprinted else self.prints.of(t) for t in tokens}
            else:  # only these can differ from the last record (see _changed_tokens)
                last = previous.prints
                new_prints = {t: self.prints.of(t) if t in rechecked or t not in last else last[t] for t in tokens}
        return State(self.key, str(output), self.inputs, self.global_print, entries, order, new_prints, after,
                     frozenset(folders_after), warnings, times, time.time_ns(), racy_window(times.values()), self._kept_id, self.steps)


def open_cache(folder: Path | None, project: Project, target: Target | None, read_only: bool = False) -> NoCache:
    """The build cache in ``folder`` for builds into ``target``; a :class:`NoCache` without either.

    ``read_only``: the record is used and never written (``briefing check``).
    """
    if folder is None or target is None:
        return NoCache(project, target)
    return BuildCache(folder, project, target, read_only=read_only)
