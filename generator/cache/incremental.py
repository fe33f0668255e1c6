"""The persistent build cache: what the last successful build read and wrote.

A build with a cache folder (``--cache``, default ``.cache/briefing`` in the
site root) keeps three things there, keyed by content hashes:

- every input file (content, templates, catalogues) with its size, mtime and
  hash, so an unchanged site is recognised from ``stat`` calls alone;
- every briefing and page file as loaded and resolved (its model record
  without the Markdown body, problems and the ids it refers to), so only
  edited files are parsed again; a body is read back from its unchanged file
  only when a page needs it (:class:`StoredDocument`);
- every output file with what its page used (``deps.py``) and the hash of
  its bytes, so only pages whose inputs changed are rendered again.

The record is written only after a successful build, atomically. Anything
unreadable, from another version of the generator or for another site is
ignored: the build is then cold, and correct. Deleting the folder gives a
cold build. A file whose mtime is within two seconds of the scan is hashed
again next time even if its stat looks unchanged (an edit in the same clock
tick would otherwise go unnoticed).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
import time
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Callable

from ..content.documents import resolve_document
from ..content.errors import ContentError, Problem, Problems
from ..content.load import (
    DOCUMENT_KINDS,
    LANG_FILE_RE,
    RawDocument,
    RawFile,
    load_document,
    parse_yaml_file,
    read_body,
)
from ..content.model import Document, SiteConfig
from ..content.refs import Refs
from ..content.yamlsafe import PosDict
from ..output.atomic import replace_file
from ..parallel.claims import Claims
from ..translation import figures, revisions
from . import deps

FORMAT = 1
RACY_NS = 2_000_000_000
# On a file system whose times carry fractions of a second, a change is stamped
# with the kernel's clock tick (a few milliseconds): 50 ms is a wide margin.
FINE_RACY_NS = 50_000_000
STATE_FILE = "state.pickle"

Stat = tuple[int, int, int]  # size, mtime_ns, inode


def default_cache_dir(content: Path) -> Path:
    """``.cache/briefing`` in the site root (the content folder's parent)."""
    return Path(content).resolve().parent / ".cache" / "briefing"


# The libraries whose versions shape the output: (distribution, module).
LIBRARIES = (("jinja2", "jinja2"), ("markdown", "markdown"), ("babel", "babel"), ("pyyaml", "yaml"), ("markupsafe", "markupsafe"))


@functools.cache  # the code this process runs: read once (a build asks twice, the preview server at every build)
def code_fingerprint() -> str:
    """The generator's own source and the versions of the libraries that shape output."""
    here = Path(__file__).resolve().parent.parent  # the generator package: every module of every subpackage
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(here.rglob("*.py")):
        h.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name, version in library_versions():
        h.update(f"{name}={version}\0".encode())
    h.update(f"{FORMAT} {sys.version_info[:3]}".encode())
    return h.hexdigest()


def library_versions() -> list[tuple[str, str]]:
    """(distribution, version) of each library in LIBRARIES.

    Read from the ``<name>-<version>.dist-info`` folders beside the modules
    (one listing of site-packages); importlib.metadata, which scans every
    installed distribution, cost a rebuild 0.04 s. It is asked only for a
    library installed some other way (an editable install, say).
    """
    found: list[tuple[str, str]] = []
    listed: dict[str, list[str]] = {}
    for name, module in LIBRARIES:
        version = None
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.origin:
            folder = os.path.dirname(os.path.dirname(spec.origin))
            if folder not in listed:
                try:
                    listed[folder] = os.listdir(folder)
                except OSError:
                    listed[folder] = []
            normal = name.lower().replace("-", "_")
            candidates = set()
            for entry in listed[folder]:
                stem, _, kind = entry.rpartition(".")
                dist, dash, candidate = stem.partition("-")
                if kind == "dist-info" and dash and dist.lower().replace("-", "_") == normal:
                    candidates.add(candidate)
            if len(candidates) == 1:  # two: an old one left behind; let importlib.metadata choose
                version = candidates.pop()
        if version is None:
            from importlib import metadata
            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = "?"
        found.append((name, version))
    return found


# -- scanning ------------------------------------------------------------------------
def racy_window(times) -> int:
    """How close to the record a recorded time may be and still be trusted.

    Times that are all whole seconds come from a coarse file system (FAT: two
    seconds, HFS+: one): the wide window. Otherwise the narrow one.
    """
    return FINE_RACY_NS if any(t % 1_000_000_000 for t in times) else RACY_NS


def scan_tree(root: Path, listing: dict | None = None) -> tuple[dict[str, Stat], set[str]]:
    """Files (relative path -> stat) and folders under ``root``, without dot entries.

    Dot entries are no input: the build skips them (an editor's swap file
    changes nothing).

    ``listing``, when given, receives every folder's entries as ``load_content``
    lists them (absolute folder path -> [(name, is a link, is a folder)]), so
    the build does not read the content folder twice.
    """
    files: dict[str, Stat] = {}
    folders: set[str] = set()
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        seen: list[tuple[str, bool, bool]] | None = [] if listing is not None else None
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                rel = prefix + name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(rel)
                    stack.append((rel + "/", entry.path))
                    if seen is not None:
                        seen.append((name, False, True))
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    st = None
                if st is not None:
                    files[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
                if seen is not None:
                    link = entry.is_symlink()
                    seen.append((name, link, link and st is not None and stat.S_ISDIR(st.st_mode)))
        if seen is not None:
            listing[folder] = seen
    return files, folders


def scan_output(output: Path, last: "State | None") -> tuple[dict[str, Stat], set[str], dict[str, int]]:
    """The output's files (relative path -> stat) and folders, and each folder's mtime.

    Top-level dot entries (``.git``, ``.well-known``) are not the build's and
    are not looked into. With the last build's record, a folder whose
    modification time is the one recorded holds the entries it held then
    (adding, removing or renaming an entry changes it): its files are
    stat'ed one by one, which finds any edited or replaced file, but the
    folder is not listed. Listing 4,000 page folders was a tenth of a
    rebuild. A time recorded within the record's racy window of the record
    is not trusted (a change in the same clock tick would keep it).
    """
    files: dict[str, Stat] = {}
    folders: set[str] = set()
    times: dict[str, int] = {}
    known_times = last.output_times if last is not None else {}
    trusted_before = last.saved_ns - last.output_racy_ns if last is not None else 0
    files_in: dict[str, list[str]] = {}
    folders_in: dict[str, list[str]] = {}
    if known_times:
        for rel in last.output_files:
            files_in.setdefault(rel.rpartition("/")[0], []).append(rel)
        for rel in last.output_folders:
            folders_in.setdefault(rel.rpartition("/")[0], []).append(rel)
    base = str(output)
    stack = [""]
    while stack:
        rel = stack.pop()
        path = f"{base}/{rel}" if rel else base
        try:
            mtime = os.lstat(path).st_mtime_ns
        except OSError:
            continue
        times[rel] = mtime
        known = known_times.get(rel)
        if known == mtime and known < trusted_before:
            for name in files_in.get(rel, ()):
                try:
                    st = os.stat(f"{base}/{name}")
                except OSError:
                    continue
                files[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
            for sub in folders_in.get(rel, ()):
                folders.add(sub)
                stack.append(sub)
            continue
        prefix = rel + "/" if rel else ""
        try:
            entries = os.scandir(path)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not rel and entry.name.startswith("."):
                    continue
                child = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(child)
                    stack.append(child)
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    continue
                files[child] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return files, folders, times


@dataclass
class Inputs:
    """Every input file of a build (absolute path -> (stat, hash)), and the folders.

    A stat of None means: seen too close to the scan to be trusted, hash again.
    """

    files: dict[str, tuple[Stat | None, str]]
    folders: frozenset[str]

    @classmethod
    def scan(cls, roots: list[Path], previous: "Inputs | None", later: Callable[[str], bool] | None = None) -> "Inputs":
        """Stat every file under ``roots``; hash those ``previous`` does not know as they are.

        ``later(path)``: files whose hash is left for :meth:`complete` (a first
        build hashes its texts in the processes that read them).
        """
        known = previous.files if previous else {}
        racy = time.time_ns() - RACY_NS
        files: dict[str, tuple[Stat | None, str]] = {}
        folders: set[str] = set()
        listing: dict[str, list] = {}
        deferred: list[str] = []
        for root in roots:
            found, subfolders = scan_tree(root, listing)
            base = str(root) + os.sep
            folders.add(str(root))
            folders.update(base + f for f in subfolders)
            for rel, stat in found.items():
                path = base + rel
                old = known.get(path)
                if old is not None and old[0] == stat:
                    digest = old[1]
                elif later is not None and later(path):
                    digest = None
                    deferred.append(path)
                else:
                    digest = _hash_file(path)
                files[path] = (stat if stat[1] < racy else None, digest)
        inputs = cls(files, frozenset(folders))
        inputs._listing = listing
        inputs._deferred = deferred
        return inputs

    def complete(self, hash_of: Callable[[str], str | None]) -> None:
        """Give the files left by scan() their hash: ``hash_of(path)`` if it knows it, else hashed now."""
        for path in getattr(self, "_deferred", ()):
            stat, _ = self.files[path]
            self.files[path] = (stat, hash_of(path) or _hash_file(path))
        self._deferred = []

    def __getstate__(self):  # the listing is for this build only: the record keeps files and folders
        return {"files": self.files, "folders": self.folders}

    def listing(self, folder: Path) -> list[tuple[str, bool, bool]] | None:
        """The visible entries of ``folder`` as the scan saw them, sorted; None if it did not list it."""
        found = getattr(self, "_listing", {}).get(str(folder))
        return sorted(found) if found is not None else None

    def hash_of(self, path: Path) -> str | None:
        entry = self.files.get(str(path))
        return entry[1] if entry else None

    def changed_since(self, other: "Inputs | None") -> list[str] | None:
        """The files whose contents differ from ``other``'s; None when files or folders came or went."""
        if other is None or self.folders != other.folders or self.files.keys() != other.files.keys():
            return None
        theirs = other.files
        return [path for path, entry in self.files.items() if entry[1] != theirs[path][1]]

    def same_as(self, other: "Inputs | None") -> bool:
        return self.changed_since(other) == []

    def digest_under(self, root: Path) -> str:
        base = str(root) + os.sep
        return deps.digest(*sorted((p, e[1]) for p, e in self.files.items() if p.startswith(base)))


def _hash_file(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return _hash_bytes(handle.read())
    except OSError:
        return "unreadable"


def _hash_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# -- the record ------------------------------------------------------------------------
class StoredDocument(Document):
    """A document of the record, whose body is read from its file only when asked for.

    The record keeps no bodies (they were four fifths of it, and every
    rebuild read them all); the file is known unchanged (its hash was
    checked by this build's scan), and reading it again costs less than
    keeping it. The body read is checked against the fingerprint taken
    when the document was built: a file edited while the build runs is an
    error that asks for another build, never a page built from the wrong
    text. Everything else behaves as the Document it stands for.
    """

    @property
    def body(self) -> str:
        state = self.__dict__
        if "_body" not in state:
            path, expected, root = state["_source"]
            text = read_body(Path(path))
            if text is None or deps.digest(text.encode("utf-8")) != expected:
                raise ContentError([Problem(Problems(root).rel(path), None, "changed while the site was being built: build again")])
            state["_body"] = text
        return state["_body"]

    @body.setter
    def body(self, value: str) -> None:  # Document.__init__, as dataclasses.replace calls it
        self.__dict__["_body"] = value

    def __eq__(self, other):
        if not isinstance(other, Document):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _DOCUMENT_FIELDS)

    __hash__ = Document.__hash__

    def __reduce__(self):  # pickled as the Document it stands for
        return (Document, tuple(getattr(self, f) for f in _DOCUMENT_FIELDS))


_DOCUMENT_FIELDS = tuple(f.name for f in dataclass_fields(Document))


def _stored(document: Document, path: str, body_print: str, root: Path) -> Document:
    """The document of the record (its body left out) as one whose body is read when needed."""
    lazy = object.__new__(StoredDocument)
    state = dict(document.__dict__)
    state.pop("body", None)
    state["_source"] = (path, body_print, root)
    lazy.__dict__.update(state)
    return lazy


def _without_body(entry: "DocumentEntry") -> "DocumentEntry":
    """What the record keeps of an entry: its document without the body."""
    doc = entry.document
    if doc is None or (type(doc) is Document and doc.body == ""):
        return entry
    kept = copy.copy(entry)
    stripped = object.__new__(Document)
    stripped.__dict__.update({f: getattr(doc, f) for f in _DOCUMENT_FIELDS if f != "body"})
    stripped.__dict__["body"] = ""
    kept.document = stripped
    return kept


@dataclass
class DocumentEntry:
    hash: str
    config: str  # fingerprint of the SiteConfig it was resolved with
    document: Document | None
    problems: tuple[Problem, ...]
    refs: tuple[tuple, ...]
    fingerprints: tuple[str, str] | None  # (meta, body), see deps.document_fingerprints
    revision: "revisions.Revision | None" = None  # what translations.yaml records of it (revisions.revision_of)


@dataclass
class State:
    """The small part of the record: read by every build."""

    key: str  # code fingerprint, content folder, template and locale folders
    output: str
    inputs: Inputs
    global_fingerprint: str
    pages: dict[str, tuple[tuple, str]]  # output path -> (what it used, sorted; digest of its bytes)
    page_order: list[str]
    prints: dict[tuple, str]  # fingerprint of every token some page used, in the site of that build
    output_files: dict[str, Stat]  # as the build left them
    output_folders: frozenset[str]
    warnings: list[Problem]
    output_times: dict[str, int] = field(default_factory=dict)  # folder ("" the output itself) -> mtime_ns
    saved_ns: int = 0  # when this record was taken (output_times within output_racy_ns of it are not trusted)
    output_racy_ns: int = RACY_NS  # see racy_window
    assembled: str = ""  # which kept site (assembled.py) goes with this record: "<full build>/<patch>", "" none


SHARDS = 16
BODIES = "bodies"  # the folder of the kept bodies' HTML
BODY_FILES = 256  # more files than this are merged into one
_body_files_written = 0  # in this process: makes each file's name its own


def _shard(key) -> int:
    return hashlib.blake2b(repr(key).encode("utf-8"), digest_size=2).digest()[0] % SHARDS


class Store:
    """The cache folder. Reads never fail (a bad record is no record).

    The large part, the *model* (every file as loaded and resolved), is a
    mapping split over shards by key, and only shards with a changed entry
    are written again: an edit to one briefing rewrites one sixteenth.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._origin: dict = {}

    def _read(self, name: str, key: str):
        try:
            with open(self.folder / name, "rb") as handle:
                found_key, value = pickle.load(handle)
        except Exception:  # missing, truncated, from another version: a cold build
            return None
        return value if found_key == key else None

    def state(self, key: str) -> State | None:
        return self._read(STATE_FILE, key)

    def model(self, key: str) -> dict | None:
        merged: dict = {}
        origin: dict = {}
        for shard in range(SHARDS):
            part = self._read(f"model-{shard:02d}.pickle", key)
            if part is None:
                return None
            merged.update(part)
            origin.update(dict.fromkeys(part, shard))
        self._origin = origin  # which shard each key was read from: not hashed again when saving
        return merged

    def save(self, key: str, state: State) -> None:
        """Write the state (last: it names the kept site, and any model goes with it, see save_model).

        A cache that cannot be written (a full disk, no permission) costs the
        next build its speed, never its result: the site is already written.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(STATE_FILE, key, state)
        except OSError:
            pass

    def save_model(self, key: str, model: dict, previous: dict | None = None) -> None:
        """Write the shards of ``model`` that differ from ``previous``.

        Any state may go with any model: each entry is checked against the
        hash of its file when read. So a build writes its model before its
        state, while its pages render.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Without a previous model (a first build) every shard is written, empty ones too:
            # a missing shard makes the whole record unreadable.
            dirty = set(range(SHARDS)) if not previous else {
                _shard(k) for k in model.keys() | previous.keys() if model.get(k) is not previous.get(k)}
            parts: list[dict] = [{} for _ in range(SHARDS)]
            origin = self._origin if previous else {}
            for k, v in model.items():
                shard = origin.get(k)
                if shard is None:
                    shard = _shard(k)
                if shard in dirty:
                    parts[shard][k] = _without_body(v) if k[0] == "doc" else v
            for shard in sorted(dirty):
                self._write(f"model-{shard:02d}.pickle", key, parts[shard])
        except OSError:
            pass

    # -- bodies' HTML (bodies.py): files written by the render processes, a batch each ----
    def _body_files(self, key: str) -> tuple[list[str], list[str]]:
        """The names of the kept bodies' files of this key, oldest first, and of any other key."""
        try:
            names = sorted(os.listdir(self.folder / BODIES))
        except OSError:
            return [], []
        prefix = key[:16] + "-"
        own = [name for name in names if name.startswith(prefix) and name.endswith(".pickle")]
        return own, [name for name in names if not name.startswith(prefix) and not name.startswith(".")]

    def bodies(self, key: str) -> dict:
        """The kept bodies' HTML; a later file's entry wins over an earlier one's (each is checked when used)."""
        merged: dict = {}
        for name in self._body_files(key)[0]:
            merged.update(self._read(f"{BODIES}/{name}", key) or {})
        return merged

    def write_bodies(self, key: str, made: dict) -> None:
        """Keep ``made`` in a file of its own (a render process calls this: see bodies.KeptBodies.flush)."""
        global _body_files_written
        _body_files_written += 1
        name = f"{BODIES}/{key[:16]}-{time.time_ns():020d}-{os.getpid()}-{_body_files_written}.pickle"
        try:
            (self.folder / BODIES).mkdir(parents=True, exist_ok=True)
            self._write(name, key, made)
        except OSError:
            pass  # the next build converts them again

    def tidy_bodies(self, key: str, alive: set) -> None:
        """Delete the bodies of other versions of the generator; past BODY_FILES files, merge them into one
        (keeping the documents in ``alive``)."""
        own, other = self._body_files(key)
        try:
            for name in other:
                (self.folder / BODIES / name).unlink()
            if len(own) > BODY_FILES:
                merged = {k: v for k, v in self.bodies(key).items() if k in alive}
                self.write_bodies(key, merged)
                for name in own:
                    (self.folder / BODIES / name).unlink()
        except OSError:
            pass

    def extra(self, name: str, key: str):
        """Another file of the record (assembled.py), or None."""
        return self._read(name, key)

    def save_extra(self, name: str, key: str, value) -> bool:
        """Write it; False if the cache cannot be written (see save)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(name, key, value)
        except OSError:
            return False
        return True

    def model_entries(self, key: str, keys: list) -> dict | None:
        """The model entries of ``keys``, reading only their shards; None if a shard is unreadable."""
        found = {}
        for shard in sorted({_shard(k) for k in keys}):
            part = self._read(f"model-{shard:02d}.pickle", key)
            if part is None:
                return None
            found.update((k, part[k]) for k in keys if k in part)
        return found

    def _write(self, name: str, key: str, value) -> None:
        replace_file(self.folder / name, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))


# -- loading and resolving only what changed -----------------------------------------
class DocumentMemo:
    """Load and resolve hooks (see ``load_content`` and ``resolve``) that reuse known files.

    ``previous`` is the model of the last build: ("doc", path) -> DocumentEntry,
    ("yaml", path) -> (hash, RawFile); ``model`` collects this build's.
    """

    def __init__(self, inputs: Inputs, previous: dict):
        self.inputs = inputs
        self._given = previous  # never changed: it is the record of the last build
        self.previous = previous
        self.model: dict = {}
        self._unchanged: set[str] = set()
        self._handed: dict[str, Document] = {}  # path -> the document given for a record entry
        self._config: tuple[object, str] = (None, "")
        self.parsed = 0

    def yaml_file(self, path: Path, problems: Problems) -> RawFile | None:
        found = self._parsed(path, problems)
        if found is None:
            return None  # its problem is reported again next time
        self.model[("yaml", str(path))] = found
        return found[1]

    def _parsed(self, path: Path, problems: Problems) -> tuple[str, RawFile] | None:
        """(hash, file as parsed): as this build or the last one parsed it if unchanged, else parsed now."""
        key = ("yaml", str(path))
        digest = self.inputs.hash_of(path)
        old = self.model.get(key) or self.previous.get(key)  # this build's first: site.yaml is asked for twice
        if old is None or old[0] != digest:
            raw = parse_yaml_file(path, problems)
            if raw is None:
                return None
            old = (digest, raw)
        return old

    def load(self, kind: str, slug: str, lang: str, path: Path, problems: Problems) -> RawDocument | None:
        key = str(path)
        old = self.previous.get(("doc", key))
        if old is not None and old.hash == self.inputs.hash_of(path):
            self._unchanged.add(key)
            # Nothing reads it: resolve() hands it back to self.resolve below.
            return RawDocument(kind, slug, lang, path, PosDict(), "", 0)
        self.parsed += 1
        return load_document(kind, slug, lang, path, problems)

    def _config_print(self, config: SiteConfig) -> str:
        if self._config[0] is not config:
            self._config = (config, deps.digest(config))
        return self._config[1]

    def entry_of(self, raw: RawDocument, config: SiteConfig, root: Path, file_hash: str | None = None) -> DocumentEntry:
        """The record of one file as read (``raw``) and resolved with ``config``: what the cache keeps of it.

        ``file_hash``: the hash of the bytes ``raw`` was read from, when the caller has them.
        """
        own_problems, own_refs = Problems(root), Refs()
        document = resolve_document(raw, config, own_problems, own_refs)
        # Paths as text: a record holds thousands of them, and str pickles small;
        # one object per path, so that pickle writes (and reads) it once per file.
        texts: dict[str, str] = {}
        refs_of = tuple((texts.setdefault(str(ref[0]), str(ref[0])),) + tuple(ref[1:]) for ref in own_refs.items)
        # A first build hashes its texts in the processes that read them (see Inputs.complete).
        file_hash = file_hash or self.inputs.hash_of(raw.path) or _hash_file(str(raw.path))
        return DocumentEntry(file_hash, self._config_print(config), document, tuple(own_problems.items),
                             refs_of, deps.document_fingerprints(document) if document else None,
                             revisions.revision_of(document) if document and self._revisions_wanted(raw.path) else None)

    def _revisions_wanted(self, path: Path) -> bool:
        """Whether the site keeps a translations.yaml (only then is a file's revision asked for).

        ``path`` is a language file, content/<kind>/<slug>/<lang>.md. Without the
        record, the revision is made when first asked for (see revision_of).
        """
        content = str(path).rsplit(os.sep, 3)[0]  # plain strings: asked for every file a first build reads
        return content + os.sep + revisions.RECORD_FILE in self.inputs.files

    def resolve(self, raw: RawDocument, config: SiteConfig, problems: Problems, refs: Refs) -> Document | None:
        key = str(raw.path)
        config_print = self._config_print(config)
        old = self.previous.get(("doc", key)) if key in self._unchanged else None
        if old is None or old.config != config_print:
            if key in self._unchanged:  # known file, new site.yaml: read it again
                raw = load_document(raw.kind, raw.slug, raw.lang, raw.path, problems)
                if raw is None:
                    return None
            old = self.entry_of(raw, config, problems.root)
        problems.items.extend(old.problems)
        refs.items.extend(old.refs)
        self.model[("doc", key)] = old
        document = old.document
        if document is not None and type(document) is Document and document.body == "" and old.fingerprints:
            # From the record, which keeps no bodies (an empty body reads back as empty).
            document = self._handed[key] = _stored(document, key, old.fingerprints[1], problems.root)
        return document

    def revision_of(self, doc: Document):
        """revisions.revision_of, known for every document this memo resolved (no body read).

        A file read when the site had no translations.yaml has no revision
        in the record yet: it is made now and kept with the file's entry.
        """
        if not isinstance(doc, StoredDocument):
            return revisions.revision_of(doc)  # its text is here: nothing to read
        key = doc.__dict__["_source"][0]
        entry = self.model.get(("doc", key))
        if entry is None or self._handed.get(key) is not doc:
            return revisions.revision_of(doc)
        if entry.revision is None:  # a new entry (not the record's own object): its shard is written
            entry = self.model[("doc", key)] = replace(entry, revision=revisions.revision_of(doc))
        return entry.revision

    def document_of(self, key: str, entry: DocumentEntry) -> Document | None:
        """The document this memo gave the build for ``entry`` (read from the record or not)."""
        return self._handed.get(key, entry.document)

    def fingerprints(self) -> dict[tuple[str, str, str], tuple[Document, tuple[str, str]]]:
        """(kind, slug, lang) -> (document, (meta, body)) of every resolved document."""
        found = {}
        for k, e in self.model.items():
            if k[0] == "doc" and e.document is not None and e.fingerprints:
                document = self.document_of(k[1], e)
                found[(document.kind, document.slug, document.lang)] = (document, e.fingerprints)
        return found

    def body_prints(self) -> dict[int, tuple[Document, str]]:
        """id(document) -> (document, body fingerprint) of every resolved document."""
        return {id(document): (document, prints[1]) for document, prints in self.fingerprints().values()}

    # -- reading many files at once ----------------------------------------------------
    def prefetch(self, files: list[tuple[str, str, str, Path]], config: SiteConfig, root: Path, jobs: int,
                 yaml_files: list[Path] = (), meanwhile: Callable[[], None] | None = None) -> int:
        """Load and resolve, in ``jobs`` processes, the files of ``files`` this memo does not know.

        What they give is put where the hooks above look, so the build that
        follows finds every file known; ``yaml_files`` (facts, timelines) are
        parsed here too, by the build's own process, while the others read,
        and then ``meanwhile()`` is done, before it reads files of its own.
        A file with a problem is left to that build, which reports it.
        Returns how many files were read.
        """
        print_ = self._config_print(config)
        todo = [f for f in files if not self._known(f[3], print_)]
        import multiprocessing  # here: a rebuild that renders a page or two never needs it
        if jobs < 2 or len(todo) < PREFETCH_MINIMUM or "fork" not in multiprocessing.get_all_start_methods():
            return 0
        if self.previous is self._given:  # the record of the last build stays as it was read
            self.previous = dict(self._given)
        global _prefetch
        context = multiprocessing.get_context("fork")
        chunks = reading_chunks(todo)
        claims = Claims(context, len(chunks))
        _prefetch = _Reading(self, todo, config, root, chunks, claims)

        def keep(entries, comparisons):
            for index, entry in entries:
                self.previous[("doc", str(todo[index][3]))] = entry
            self.previous.update(comparisons)
        try:
            with context.Pool(jobs - 1) as pool:
                # One ticket per chunk: a ticket reads the next chunk no process has claimed,
                # so every process reads until none is left and all finish together.
                theirs = pool.imap_unordered(_prefetch_claimed, range(len(chunks)))
                self._parse_yaml(yaml_files, root)
                if meanwhile is not None:
                    meanwhile()
                while (claimed := claims.next()) is not None:
                    keep(*_prefetch_chunk(chunks[claimed], keep_bodies=True))
                for entries, comparisons in theirs:
                    keep(entries, comparisons)
        finally:
            _prefetch = None
        return len(todo)

    def _parse_yaml(self, paths: list[Path], root: Path) -> None:
        for path in paths:
            found = self._parsed(path, Problems(root))  # a file with a problem is left to the build, which reports it
            if found is not None:
                # Where yaml_file looks; not yet this build's model (the build may not use the file).
                self.previous[("yaml", str(path))] = found

    def hash_read(self, path: str) -> str | None:
        """The hash of the file at ``path`` as a reading process found it (see Inputs.complete)."""
        entry = self.previous.get(("doc", path))
        return entry.hash if entry is not None and entry.hash else None

    def _known(self, path: Path, config_print: str) -> bool:
        old = self.previous.get(("doc", str(path)))
        return old is not None and old.hash == self.inputs.hash_of(path) and old.config == config_print


PREFETCH_MINIMUM = 200  # below this, starting processes costs more than it saves
PREFETCH_CHUNK = 64  # files a reading process claims at a time


@dataclass(frozen=True)
class _Reading:
    """What the reading processes share: set before forking, inherited."""

    memo: "DocumentMemo"
    files: list[tuple[str, str, str, Path]]
    config: SiteConfig
    root: Path
    chunks: list[list[int]]
    claims: Claims


_prefetch: _Reading | None = None


def reading_chunks(files: list[tuple[str, str, str, Path]]) -> list[list[int]]:
    """The indices of ``files`` (sorted by kind and slug) in chunks of about PREFETCH_CHUNK.

    A chunk ends with a group: the translations of a briefing are read by
    one process, which compares their figures (see _comparisons); a pair
    split between two would be compared by the build alone, after the reading.
    """
    chunks: list[list[int]] = []
    current: list[int] = []
    for index, (kind, slug, _, _) in enumerate(files):
        if len(current) >= PREFETCH_CHUNK and files[current[-1]][:2] != (kind, slug):
            chunks.append(current)
            current = []
        current.append(index)
    if current:
        chunks.append(current)
    return chunks


def _prefetch_claimed(_ticket: int) -> tuple[list[tuple[int, DocumentEntry]], dict]:
    """A reading process's turn: the next unclaimed chunk (nothing if none is left)."""
    claimed = _prefetch.claims.next()
    return _prefetch_chunk(_prefetch.chunks[claimed]) if claimed is not None else ([], {})


def _prefetch_chunk(indices: list[int], keep_bodies: bool = False) -> tuple[list[tuple[int, DocumentEntry]], dict]:
    """Read and resolve the files at ``indices``: their entries, and the comparisons among them.

    Another process sends its entries without the bodies, as the record keeps
    them: the build reads a body from its file when a page needs it (checked
    against its fingerprint), in the render processes. Sending the texts
    back and forth cost more than reading them again.
    """
    memo, files, config, root = _prefetch.memo, _prefetch.files, _prefetch.config, _prefetch.root
    found = []
    for index in indices:
        kind, slug, lang, path = files[index]
        quiet = Problems(root)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue  # the build reads it again, and says what is wrong
        # Hashed as read: the text and its hash come from the same bytes.
        raw = load_document(kind, slug, lang, path, quiet, data)
        if raw is not None and not quiet.items:
            found.append((index, memo.entry_of(raw, config, root, _hash_bytes(data))))
    comparisons = _comparisons([entry for _, entry in found], config)
    if not keep_bodies:
        found = [(index, _without_body(entry)) for index, entry in found]
    return found, comparisons


def comparison_key(original: Document, translation: Document, body_print) -> tuple:
    """How figures.compare answers are remembered: both files' path, language, first line and body."""
    return ("compare",) + tuple((d.path, d.lang, d.body_line, body_print(d)) for d in (original, translation))


def _comparisons(entries: list[DocumentEntry], config: SiteConfig) -> dict:
    """figures.compare for the translations among ``entries``, as figures.check will pair them.

    Done here, in the worker that read both files; a pair split between two
    workers is compared by the build itself (answers are remembered by content).
    """
    order = {code: i for i, code in enumerate(config.languages)}
    groups: dict[str, list[DocumentEntry]] = {}
    for entry in entries:
        doc = entry.document
        if doc is not None and doc.kind == "briefings" and not doc.draft and doc.lang in order:
            groups.setdefault(doc.slug, []).append(entry)
    answers = {}
    for members in groups.values():
        members.sort(key=lambda e: order[e.document.lang])
        first = members[0]
        for other in members[1:]:
            key = comparison_key(first.document, other.document,
                                 lambda d: first.fingerprints[1] if d is first.document else other.fingerprints[1])
            answers[key] = figures.compare(first.document, other.document)
    return answers


def is_document_file(content: Path) -> Callable[[str], bool]:
    """Whether a path is a language file of a briefing or page under ``content`` (as document_files finds them)."""
    base = str(content) + os.sep

    def test(path: str) -> bool:
        if not path.startswith(base):
            return False
        parts = path[len(base):].split(os.sep)
        return len(parts) == 3 and parts[0] in DOCUMENT_KINDS and LANG_FILE_RE.match(parts[2]) is not None
    return test


def document_files(content: Path, listing: Callable[[Path], list | None] | None = None) -> list[tuple[str, str, str, Path]]:
    """(kind, slug, lang, path) of the language files under ``content`` (as load_content finds them).

    ``listing(folder)``: a folder's entries as :meth:`Inputs.listing` gives them
    (None: not listed), so that folders the build has scanned are not listed again.
    """
    def names(folder: Path) -> list[str] | None:
        if listing is not None:
            found = listing(folder)
            return [entry[0] for entry in found] if found is not None else None
        try:
            return sorted(name for name in os.listdir(folder) if not name.startswith("."))
        except OSError:
            return None

    found = []
    for kind in DOCUMENT_KINDS:
        folder = content / kind
        for slug in names(folder) or ():
            for name in names(folder / slug) or ():
                match = LANG_FILE_RE.match(name)
                if match:
                    found.append((kind, slug, match.group(1), folder / slug / name))
    return found
