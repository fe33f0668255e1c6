"""Load and resolve hooks that reuse what the last build read: only edited files are parsed again.

:class:`DocumentMemo` is what the load and model stages are handed by a
cached build (``content/load.py`` and ``content/resolve.py`` take hooks): an
unchanged file's record is replayed instead of being read, parsed and
resolved again, and figures compared between unchanged translations are
answered from the record.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..content.documents import resolve_document
from ..content.errors import Problems
from ..content.load import RawDocument, RawFile, load_document, parse_yaml_file
from ..content.model import Document, SiteConfig
from ..content.refs import Refs
from ..content.yamlsafe import PosDict
from ..translation import figures, revisions
from . import deps
from .record import DocumentEntry, StoredDocument, stored
from .scan import Inputs, hash_file


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

    def config_print(self, config: SiteConfig) -> str:
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
        file_hash = file_hash or self.inputs.hash_of(raw.path) or hash_file(str(raw.path))
        return DocumentEntry(file_hash, self.config_print(config), document, tuple(own_problems.items),
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
        config_print = self.config_print(config)
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
            document = self._handed[key] = stored(document, key, old.fingerprints[1], problems.root)
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

    def detach(self) -> None:
        """Let what is read ahead be added to ``previous`` (the record of the last build stays as it was read)."""
        if self.previous is self._given:
            self.previous = dict(self._given)

    def parse_yaml(self, paths: list[Path], root: Path) -> None:
        for path in paths:
            found = self._parsed(path, Problems(root))  # a file with a problem is left to the build, which reports it
            if found is not None:
                # Where yaml_file looks; not yet this build's model (the build may not use the file).
                self.previous[("yaml", str(path))] = found

    def hash_read(self, path: str) -> str | None:
        """The hash of the file at ``path`` as a reading process found it (see Inputs.complete)."""
        entry = self.previous.get(("doc", path))
        return entry.hash if entry is not None and entry.hash else None

    def knows(self, path: Path, config_print: str) -> bool:
        old = self.previous.get(("doc", str(path)))
        return old is not None and old.hash == self.inputs.hash_of(path) and old.config == config_print


def comparison_key(original: Document, translation: Document, body_print) -> tuple:
    """How figures.compare answers are remembered: both files' path, language, first line and body."""
    return ("compare",) + tuple((d.path, d.lang, d.body_line, body_print(d)) for d in (original, translation))


class RememberedComparisons:
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
