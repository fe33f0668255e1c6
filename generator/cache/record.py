"""The record of the last successful build, and the cache folder that keeps it.

- every input file (content, templates, catalogues) with its size, mtime and
  hash (``scan.Inputs``), so an unchanged site is recognised from ``stat``
  calls alone;
- every briefing and page file as loaded and resolved (:class:`DocumentEntry`:
  its model record without the Markdown body, problems and the ids it refers
  to), so only edited files are parsed again; a body is read back from its
  unchanged file only when a page needs it (:class:`StoredDocument`);
- every output file with what its page used (``deps.py``) and the hash of
  its bytes (:class:`State`), so only pages whose inputs changed are rendered
  again.

The record is written only after a successful build, atomically. Anything
unreadable, from another version of the generator or for another site is
ignored (:class:`Store`): the build is then cold, and correct. Deleting the
folder gives a cold build.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path

from ..content.errors import ContentError, Problem, Problems
from ..content.load import read_body
from ..content.model import Document
from ..output.atomic import replace_file
from ..translation import revisions
from . import deps
from .scan import RACY_NS, Inputs, Stat

STATE_FILE = "state.pickle"


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


def stored(document: Document, path: str, body_print: str, root: Path) -> Document:
    """The document of the record (its body left out) as one whose body is read when needed."""
    lazy = object.__new__(StoredDocument)
    state = dict(document.__dict__)
    state.pop("body", None)
    state["_source"] = (path, body_print, root)
    lazy.__dict__.update(state)
    return lazy


def without_body(entry: "DocumentEntry") -> "DocumentEntry":
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
    steps: tuple[str, ...] = ()  # the build's optional steps that ran ("search-index"): an output made without one is not unchanged for a build with it


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

    def __init__(self, folder: Path, read_only: bool = False):
        self.folder = Path(folder)
        self.read_only = read_only  # reads the record, writes nothing (briefing check)
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
            self._ready()
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
            self._ready()
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
                    parts[shard][k] = without_body(v) if k[0] == "doc" else v
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
            self._ready(BODIES)
            self._write(name, key, made)
        except OSError:
            pass  # the next build converts them again

    def tidy_bodies(self, key: str, alive: set) -> None:
        """Delete the bodies of other versions of the generator; past BODY_FILES files, merge them into one
        (keeping the documents in ``alive``)."""
        own, other = self._body_files(key)
        try:
            for name in other:
                self._delete(f"{BODIES}/{name}")
            if len(own) > BODY_FILES:
                merged = {k: v for k, v in self.bodies(key).items() if k in alive}
                self.write_bodies(key, merged)
                for name in own:
                    self._delete(f"{BODIES}/{name}")
        except OSError:
            pass

    def extra(self, name: str, key: str):
        """Another file of the record (assembled.py), or None."""
        return self._read(name, key)

    def save_extra(self, name: str, key: str, value) -> bool:
        """Write it; False if the cache cannot be written (see save)."""
        try:
            self._ready()
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

    def loaded(self, data: bytes, load):
        """``load(data)``: a kept value that was pickled on its own (the kept site, see kept_site.py)."""
        return load(data)

    # -- the folder (MemoryStore keeps the same in memory) -------------------------------
    def _ready(self, sub: str = "") -> None:
        if not self.read_only:
            (self.folder / sub if sub else self.folder).mkdir(parents=True, exist_ok=True)

    def _write(self, name: str, key: str, value) -> None:
        if not self.read_only:
            replace_file(self.folder / name, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))

    def _delete(self, name: str) -> None:
        if not self.read_only:
            (self.folder / name).unlink()


class MemoryStore(Store):
    """A record kept in memory only, by the object that builds (the preview server's: its output is a
    temporary folder, and a save is served sooner when nothing of the record is pickled or read)."""

    def __init__(self) -> None:
        super().__init__(Path("<memory>"))
        self._files: dict[str, tuple[str, object]] = {}
        self._loaded: dict[int, tuple[bytes, object]] = {}

    def _read(self, name: str, key: str):
        found = self._files.get(name)
        return found[1] if found is not None and found[0] == key else None

    def _ready(self, sub: str = "") -> None:
        pass

    def _write(self, name: str, key: str, value) -> None:
        self._files[name] = (key, value)

    def _delete(self, name: str) -> None:
        self._files.pop(name, None)

    def _body_files(self, key: str) -> tuple[list[str], list[str]]:
        prefix = f"{BODIES}/{key[:16]}-"
        names = sorted(name for name in self._files if name.startswith(f"{BODIES}/"))
        own = [name.removeprefix(f"{BODIES}/") for name in names if name.startswith(prefix)]
        return own, [name.removeprefix(f"{BODIES}/") for name in names if not name.startswith(prefix)]

    def loaded(self, data: bytes, load):
        found = self._loaded.get(id(data))
        if found is None or found[0] is not data:
            if len(self._loaded) >= 4:  # the kept site and its patch, and the ones they replace
                self._loaded.pop(next(iter(self._loaded)))
            found = self._loaded[id(data)] = (data, load(data))
        return found[1]
