"""The pipeline: load -> model -> render -> write, each step timed.

``build()`` is the single entry point used by the CLI, the preview server
and the publisher. It returns the pages (in memory, or read from the output
folder on demand) and only writes when an output folder is given, and then
only if the whole build succeeded.

With a ``cache`` folder the build is incremental (``incremental.py``): an
unchanged site is recognised from file stats and nothing is done; when only
texts changed, the last build's site is patched with them (``kept_site.py``);
otherwise only edited files are parsed, only pages whose inputs changed are rendered
(``deps.py``), and only files whose bytes changed are written. ``jobs``
renders in that many processes (``parallel.py``). Every path gives the same
bytes as a clean build in one process.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Callable

from .cache import deps, kept_site
from .cache.bodies import MINIMUM_PAGES, KeptBodies
from .cache.incremental import (
    DocumentMemo,
    Inputs,
    State,
    Store,
    code_fingerprint,
    comparison_key,
    default_cache_dir,
    document_files,
    is_document_file,
    racy_window,
    scan_output,
)
from .content.errors import ContentError, Problem, Problems
from .content.facts import countries
from .content.load import RawContent, load_content
from .content.model import Site, SiteConfig
from .content.resolve import resolve, resolve_config
from .output.write import check_target, commit_site, discard, staging_folder
from .project import DEFAULT_LOCALES, DEFAULT_TEMPLATES
from .render.catalog import catalogue_path
from .translation import figures, revisions

__all__ = ["BuildResult", "build", "default_cache_dir", "project_dirs"]

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
                 timings: dict[str, float] | None = None, written: int = 0, rendered: int = 0):
        self.files = files
        self._site = site
        self.warnings = warnings
        self.timings = timings if timings is not None else {}
        self.written = written  # files created or changed in the output folder
        self.rendered = rendered  # pages rendered (the others were unchanged)

    @property
    def site(self) -> Site:
        if callable(self._site):  # an unchanged site: the model is read from the cache when asked for
            self._site = self._site()
        return self._site


def project_dirs(content: Path) -> tuple[list[Path], Path]:
    """Templates (the site's own first, then the defaults) and the locales folder."""
    root = content.resolve().parent
    template_dirs = [DEFAULT_TEMPLATES]
    own = root / "templates"
    if own.is_dir() and own.resolve() != DEFAULT_TEMPLATES.resolve():
        template_dirs.insert(0, own)
    locales = root / "locales"
    return template_dirs, (locales if locales.is_dir() else DEFAULT_LOCALES)


def build(content: Path, output: Path | None = None, strict: bool = False, cache: Path | None = None,
          jobs: int = 1, progress: Progress | None = None) -> BuildResult:
    """Build the site in ``content``; raise :class:`ContentError` on any error.

    ``cache``: a folder for the incremental build record (None: a clean
    build). ``jobs``: processes that render pages. ``progress`` is called
    with (stage, done, total) while pages render.
    """
    content = Path(content)
    problems = Problems(content.resolve().parent)
    timings: dict[str, float] = {}
    clock = _Clock(timings)

    if not content.is_dir():
        raise ContentError([Problem(problems.rel(content), None, "content folder not found")])
    content = content.resolve()  # cached paths stay valid whatever the working folder
    template_dirs, locales = project_dirs(content)
    if output is not None and Path(output).is_symlink():
        output = Path(output).resolve()  # write into the folder the link points to, keep the link
    output_abs = Path(output).absolute() if output is not None else None
    # The output is made to hold exactly the site: never a folder that holds or is inside the sources.
    protect = (content, *template_dirs, locales) + ((Path(cache),) if cache is not None else ())
    if output_abs is not None:
        check_target(output_abs, protect)  # before anything is read or kept: an unusable folder touches nothing

    # The record of the last build is usable only for the same output folder.
    store = Store(cache) if cache is not None and output_abs is not None else None
    key = deps.digest(code_fingerprint(), str(content), [str(d) for d in template_dirs], str(locales)) if store else ""
    previous = store.state(key) if store else None
    if previous is not None and previous.output != str(output_abs):
        previous = None
    # A first build in several processes hashes its texts in the processes that read them (_prefetch).
    later = is_document_file(content) if store and previous is None and jobs > 1 else None
    inputs = Inputs.scan([content, *template_dirs, locales], previous.inputs if previous else None, later) if store else None
    present, folders, seen_times = scan_output(output_abs, previous) if output_abs is not None and output_abs.is_dir() else ({}, set(), {})
    intact = previous is not None and present == previous.output_files and folders == previous.output_folders
    if intact and inputs.same_as(previous.inputs):
        # Nothing changed, and the output is as the last build left it.
        clock.lap("check")
        _stop_on_errors(Problems(problems.root, list(previous.warnings)), strict)
        previous.inputs = inputs  # newer stats: fewer files to hash next time
        store.save(key, previous)
        return BuildResult(OutputFiles(output_abs, previous.page_order), lambda: _cached_site(store, key, content, problems),
                           list(previous.warnings), timings)

    rendering = _Rendering(template_dirs, locales, Path(cache) if store else None)
    patch = kept_site.text_only_patch(store, key, previous, inputs, content, problems) if previous is not None and previous.assembled else None
    if patch is not None:  # only texts changed: the last build's site, patched
        site = patch.site
        problems.items.extend(patch.assembled.all_problems())
        clock.lap("model")
        documents = patch.assembled.fingerprints()
        edited: list | None = patch.edited
    else:
        known_model = (store.model(key) if previous is not None else None) or {}
        memo = DocumentMemo(inputs, known_model) if store else None
        if memo is not None and jobs > 1 and _many_unknown(memo, content):
            # While the other processes read, this one prepares the rendering (the render processes inherit it).
            _prefetch(memo, content, problems.root, jobs, rendering.prepare)
        if memo is not None:
            inputs.complete(memo.hash_read)
        site, compared, checked = _model(content, problems, memo, known_model, clock)
        documents = memo.fingerprints() if memo else None
        edited = _edited_documents(previous.inputs, inputs, memo) if previous is not None else None
    # The render side (Jinja2, Markdown, the renderer): imported once there is a site to render
    # (a first build has imported it already, while the other processes read).
    from .parallel import pages as parallel
    from .render.mentions import Mentions
    from .render.pages import plan_site
    from .render.templates import check_template_syntax
    if problems.errors:
        check_template_syntax(template_dirs, problems)  # report broken templates in the same run
    _stop_on_errors(problems, strict)

    tracked = deps.site_view(site)
    mentions = Mentions(tracked)  # made outside any page: building it is no use of anything
    bodies = KeptBodies() if store else None
    pages = plan_site(tracked, template_dirs, locales, problems, rendering.templates(), mentions, rendering.catalogues, bodies)
    _stop_on_errors(problems, strict)
    prints = deps.Fingerprints(site, mentions, documents, _file_prints(inputs, template_dirs, locales, content.parent) if inputs else None)
    # Templates and catalogues are recorded by the pages that use them (deps.py): not global.
    global_print = deps.digest(code_fingerprint(), site.config) if inputs else ""

    # A page is kept when nothing it used changed and its file is as we left it.
    old_pages = previous.pages if previous is not None and previous.global_fingerprint == global_print else {}
    changed, rechecked = _changed_tokens(previous, edited, prints) if old_pages else (set(), None)
    old_files = previous.output_files if previous is not None else {}
    todo: list[int] = []
    kept: dict[str, tuple[tuple, str]] = {}
    for index, page in enumerate(pages):
        entry = old_pages.get(page.path)
        stat = present.get(page.path)
        if entry is not None and stat is not None and stat == old_files.get(page.path) and changed.isdisjoint(entry[0]):
            kept[page.path] = entry
        else:
            todo.append(index)
    # Bytes the output folder holds, known without reading them.
    known = {path: entry[1] for path, entry in (previous.pages.items() if previous else ())
             if path in present and present[path] == old_files.get(path)}
    clock.lap("render")

    if bodies is not None and len(todo) >= MINIMUM_PAGES:  # many pages: bodies' HTML from earlier builds
        bodies.start(store.bodies(key), prints, global_print, functools.partial(store.write_bodies, key), output_abs, known)
    staging = staging_folder(output_abs, protect) if output_abs is not None else None
    try:
        flat = output_abs is not None and output_abs.exists()
        job = parallel.Job(pages, template_dirs, output_abs if present else None, staging, flat, known, bodies,
                           prints if store is not None and rechecked is None else None)
        kept_id = ""

        def keep_record() -> None:
            # What the record keeps of the site and the model needs no page: written while pages render.
            nonlocal kept_id
            if patch is not None:
                kept_id = kept_site.keep_patch(store, key, previous.assembled, patch, problems.root)
            else:
                kept_id = kept_site.keep_site(store, key, site, checked, documents, problems.root)
                model = dict(memo.model)
                model.update(compared.used)
                store.save_model(key, model, known_model)
        results = parallel.render(job, todo, jobs, (lambda done, total: progress("render", done, total)) if progress else None,
                                  keep_record if store is not None else None)
        # One template mistake fails every page that uses it: report it once
        # per template line (the first page's wording), with every other
        # broken template of the run.
        failures = {(r.problem.path, r.problem.line): r.problem for r in reversed(results) if r.problem is not None}
        if failures:
            problems.items.extend(failures.values())
            check_template_syntax(template_dirs, problems)
            _stop_on_errors(problems, strict)
        clock.lap("render")
        order = [page.path for page in pages]
        written = [pages[r.index].path for r in results if r.written]
        staged = [(str(r.index) if flat else pages[r.index].path, pages[r.index].path) for r in results if r.written]
        if output_abs is not None:
            commit_site(staging, output_abs, staged, set(order), present, folders)
            staging = None
    except BaseException:
        if staging is not None:
            discard(staging)
        raise

    if output_abs is None:
        files: Mapping[str, bytes] = {pages[r.index].path: r.data for r in results}
    else:
        files = OutputFiles(output_abs, order)
    result = BuildResult(files, site, problems.warnings, timings, len(written), len(results))
    if store is not None:
        # The kept site and the model were written while pages rendered; the state last: it names the kept site.
        results_by_path = [(pages[r.index].path, r) for r in results]
        state = _next_state(key, output_abs, inputs, global_print, previous, kept, results_by_path, prints, rechecked,
                            present, folders, seen_times, order, written, problems.warnings, kept_id)
        if bodies is not None and bodies.active:  # the render processes wrote the bodies they converted
            store.tidy_bodies(key, {(d.kind, d.slug, d.lang) for d in site.documents})
        store.save(key, state)
    if output_abs is not None:
        clock.lap("write")
    return result


def _file_prints(inputs: Inputs, template_dirs: list[Path], locales: Path, root: Path):
    """The fingerprint of a ("template", name), ("catalogue", lang) or ("file", path) token: the hash of the
    file that serves it (the first template folder that has it; the language's messages.po; the file)."""
    def of(token: tuple) -> str:
        if token[0] == "template":
            candidates = [folder / token[1] for folder in template_dirs]
        elif token[0] == "file":
            candidates = [root / token[1]]
        else:
            candidates = [catalogue_path(locales, token[1])]
        for path in candidates:
            found = inputs.hash_of(path)
            if found is not None:
                return found
        return "absent"
    return of


def _next_state(key: str, output: Path, inputs: Inputs, global_print: str, previous: State | None, kept: dict,
                results: list, prints: deps.Fingerprints, rechecked: set | None, present: dict, folders: set[str],
                seen_times: dict[str, int], order: list[str], written: list[str], warnings, kept_id: str = "") -> State:
    """The record of this build: what each page used, the fingerprints, the output as left."""
    entries = dict(kept)
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
    after = _output_after(output, present, order, [(path, r.stat) for path, r in results if r.written])
    folders_after = _folders_of(order)
    times = _folder_times_after(output, seen_times, folders, folders_after, set(present) - set(order), written)
    if rechecked is None and not kept and all(r.prints is not None for _, r in results):
        # Every page was rendered, and each token it used fingerprinted by the process that rendered it.
        new_prints = {setdefault(t, t): value for t, value in fingerprinted.items()}
    else:
        tokens = {token for uses, _ in entries.values() for token in uses}
        if rechecked is None:
            new_prints = {t: fingerprinted[t] if t in fingerprinted else prints.of(t) for t in tokens}
        else:  # only these can differ from the last record (see _changed_tokens)
            last = previous.prints
            new_prints = {t: prints.of(t) if t in rechecked or t not in last else last[t] for t in tokens}
    return State(key, str(output), inputs, global_print, entries, order, new_prints, after, frozenset(folders_after),
                 warnings, times, time.time_ns(), racy_window(times.values()), kept_id)


def _model(content: Path, problems: Problems, memo: DocumentMemo | None, known_model: dict, clock: "_Clock | None" = None):
    """Load and resolve (reusing what the memo knows), then the translation checks."""
    if memo is not None:
        raw = load_content(content, problems, memo.load, memo.yaml_file, memo.inputs.listing)
    else:
        raw = load_content(content, problems)
    if clock:
        clock.lap("load")
    site = resolve(raw, problems, memo.resolve if memo else None)
    # memo.previous: the last build's record and what was read in parallel just now.
    compared = _RememberedComparisons(memo.previous if memo else known_model, memo.body_prints() if memo else {})
    checked = None
    if site is not None:  # the translation workflow: outdated translations, figures that differ
        records = revisions.load_records(content, problems)
        before = list(problems.items)
        checks = Problems(problems.root)
        site = revisions.mark_outdated(site, records, checks, memo.revision_of if memo else revisions.revision_of)
        figures.check(site, checks, compared.compare if memo else figures.compare)
        problems.items.extend(checks.items)
        checked = kept_site.Checked(before, records, checks.items)
    if clock:
        clock.lap("model")
    return site, compared, checked


def _many_unknown(memo: DocumentMemo, content: Path) -> bool:
    """A first build, or a new site.yaml (every file is resolved again): worth reading in parallel."""
    site_yaml = content / "site.yaml"
    known = memo.previous.get(("yaml", str(site_yaml)))
    return known is None or known[0] != memo.inputs.hash_of(site_yaml)


class _Rendering:
    """What rendering needs that no content changes: the compiled templates (kept in the cache
    folder too, where Jinja2 checks each against its source), the catalogues, Babel's data.

    Made when first asked for, with Jinja2 and the renderer imported then. A
    first build makes it all while the other processes read its files: the
    render processes, forked later, inherit it.
    """

    def __init__(self, template_dirs: list[Path], locales: Path, cache: Path | None):
        self.template_dirs, self.locales = template_dirs, locales
        self.catalogues = cache / "catalogues" if cache is not None else None
        self._folder = cache / "templates" if cache is not None else None
        self._templates = None

    def templates(self):
        if self._templates is None:
            from .render.templates import KeptTemplates
            self._templates = KeptTemplates(_bytecode_cache(self._folder) if self._folder is not None else None)
        return self._templates

    def prepare(self, config: SiteConfig, root: Path) -> None:
        """Compile every template, every language's catalogue (into the cache), load Babel's data."""
        from babel import Locale

        from .render.catalog import load_translations
        from .render.templates import compile_templates
        compile_templates(self.template_dirs, self.templates())
        quiet = Problems(root)  # a broken catalogue is reported when the pages are planned
        for lang in config.languages:
            load_translations(self.locales, lang, quiet, self.catalogues)
            try:
                Locale.parse(lang).territories  # noqa: B018 - loads the language's CLDR data
            except (ValueError, LookupError):
                pass  # an unknown language: reported by the build
        countries()


def _bytecode_cache(folder: Path):
    import jinja2
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no cache folder: templates are compiled each time
    return jinja2.FileSystemBytecodeCache(str(folder))


def _prefetch(memo: DocumentMemo, content: Path, root: Path, jobs: int, meanwhile: Callable[[SiteConfig, Path], None]) -> None:
    """Read the briefings and pages the cache does not know in ``jobs`` processes (a first build).

    ``meanwhile(config, root)``: work for this process while the others start reading.
    """
    quiet = Problems(root)  # whatever is wrong is reported by the build itself
    site_file = memo.yaml_file(content / "site.yaml", quiet) if (content / "site.yaml").is_file() else None
    config = resolve_config(RawContent(content, site_file, {}, {}, ()), quiet) if site_file is not None else None
    if config is not None and not quiet.items:
        memo.prefetch(document_files(content, memo.inputs.listing), config, root, jobs, _data_files(memo.inputs, content),
                      lambda: meanwhile(config, root))


def _data_files(inputs: Inputs, content: Path) -> list[Path]:
    """The YAML files of the facts and timelines folders, as the scan listed them."""
    found = []
    for folder in (content / "facts", content / "timelines"):
        for name, _, is_dir in inputs.listing(folder) or ():
            if not is_dir and name.endswith((".yaml", ".yml")):
                found.append(folder / name)
    return found


def _changed_tokens(previous: State, edited: list | None, prints: deps.Fingerprints) -> tuple[set, set | None]:
    """The tokens whose fingerprint differs from the last build's, and which were computed (None: all).

    Usually every token some page used is fingerprinted again (thousands).
    When the only files that changed are briefings or pages whose fields
    other than the text are as before (the usual edit: a sentence), the
    site is the last one but for those texts: only their ("body", ...)
    tokens can differ, and their groups' ("meta", ...) tokens are checked
    to be the same (a translation marked outdated changes one).
    """
    if edited is not None:
        rechecked = set()
        for doc in edited:
            rechecked.add(("body", doc.kind, doc.slug, doc.lang))
            rechecked.add(("meta", doc.kind, doc.slug))
        if all(prints.of(t) == previous.prints.get(t) for t in rechecked if t[0] == "meta"):
            return {t for t in rechecked if prints.of(t) != previous.prints.get(t)}, rechecked
    return {token for token, value in previous.prints.items() if prints.of(token) != value}, None


def _edited_documents(before: Inputs, now: Inputs, memo: DocumentMemo | None) -> list | None:
    """The documents of the files that alone changed since the last build; None if any other input did."""
    changed = now.changed_since(before) if memo is not None else None
    if changed is None:
        return None
    documents = []
    for path in changed:
        entry = memo.model.get(("doc", path))
        if entry is None or entry.document is None:
            return None  # a fact file, a template, site.yaml, translations.yaml...
        documents.append(entry.document)
    return documents


def _folder_times_after(output: Path, seen: dict[str, int], folders_before: set[str], folders_after: set[str],
                        deleted: set[str], written: list[str]) -> dict[str, int]:
    """The mtime of every output folder after the commit, stat'ing only the folders it changed."""
    touched = {""}
    for path in (*written, *deleted, *(folders_before ^ folders_after)):
        touched.add(path.rpartition("/")[0])
    times = {folder: t for folder, t in seen.items() if folder in folders_after and folder not in touched}
    base = str(output)
    for folder in touched | (folders_after - set(times)):
        try:
            times[folder] = os.lstat(f"{base}/{folder}" if folder else base).st_mtime_ns
        except OSError:
            pass
    return times


def _output_after(output: Path | None, present: dict, order: list[str], written: list[tuple[str, tuple | None]]) -> dict:
    """The stat of every output file after the commit, without listing the folder again.

    ``written``: (path, stat) of each file the build wrote, the stat as the process that
    wrote it took it (moving the file into the output keeps it), or None (stat'ed here).
    """
    after = {path: present[path] for path in order if path in present}
    base = str(output)
    for path, stat in written:
        if stat is None:
            st = os.stat(f"{base}/{path}")
            stat = (st.st_size, st.st_mtime_ns, st.st_ino)
        after[path] = stat
    return after


def _folders_of(paths: list[str]) -> set[str]:
    folders: set[str] = set()
    for path in paths:
        cut = path.rfind("/")
        while cut > 0:
            folder = path[:cut]
            if folder in folders:
                break
            folders.add(folder)
            cut = path.rfind("/", 0, cut)
    return folders


class _RememberedComparisons:
    """figures.compare, answered from the last build for unchanged pairs of files."""

    def __init__(self, known: dict, body_prints: dict):
        self.known = known
        # id(document) -> (document, its body's fingerprint): no need to hash (or read) the body again
        self.body_prints = body_prints
        self.used: dict = {}

    def _body(self, doc) -> str:
        known = self.body_prints.get(id(doc))
        if known is not None and known[0] is doc:
            return known[1]
        return deps.digest(doc.body.encode("utf-8"))

    def compare(self, original, translation):
        key = comparison_key(original, translation, self._body)
        if key in self.known:
            answer = self.known[key]
        else:
            answer = figures.compare(original, translation)
        self.used[key] = answer
        return answer


def _cached_site(store: Store, key: str, content: Path, problems: Problems) -> Site:
    """The model of an unchanged site, from the record (or built again if it is gone)."""
    known = store.model(key) or {}
    state = store.state(key)
    memo = DocumentMemo(state.inputs, known) if state is not None else None
    return _model(content, problems, memo, known)[0]


class _Clock:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings
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
