"""A first build reads its briefings and pages in several processes (``--jobs``).

Chunks of files are claimed by whichever process is free (``parallel/claims.py``),
the build's own included; a briefing's translations stay in one chunk, so
their figures are compared there. Each file is read once and hashed as read.
The other processes send back their entries without the texts (a render
process reads a text from its file when its page needs it, checked against
its fingerprint). Meanwhile the build's own process parses the fact and
timeline files and prepares the rendering, before it reads files of its own.
What is read is put where the memo's hooks look, so the build that follows
finds every file known; a file with a problem is left to that build, which
reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..content.errors import Problems
from ..content.load import load_document
from ..content.model import SiteConfig
from ..parallel.claims import Claims
from ..translation import figures
from .memo import DocumentMemo, comparison_key
from .record import DocumentEntry, without_body
from .scan import hash_bytes


PREFETCH_MINIMUM = 200  # below this, starting processes costs more than it saves
PREFETCH_CHUNK = 64  # files a reading process claims at a time


def read_ahead(memo: DocumentMemo, files: list[tuple[str, str, str, Path]], config: SiteConfig, root: Path, jobs: int,
               yaml_files: list[Path] = (), meanwhile: Callable[[], None] | None = None) -> int:
    """Load and resolve, in ``jobs`` processes, the files of ``files`` ``memo`` does not know.

    ``yaml_files`` (facts, timelines) are parsed by the build's own process
    while the others read, and then ``meanwhile()`` is done, before it reads
    files of its own. Returns how many files were read.
    """
    print_ = memo.config_print(config)
    todo = [f for f in files if not memo.knows(f[3], print_)]
    import multiprocessing  # here: a rebuild that renders a page or two never needs it
    if jobs < 2 or len(todo) < PREFETCH_MINIMUM or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    memo.detach()
    global _prefetch
    context = multiprocessing.get_context("fork")
    chunks = reading_chunks(todo)
    claims = Claims(context, len(chunks))
    _prefetch = _Reading(memo, todo, config, root, chunks, claims)

    def keep(entries, comparisons):
        for index, entry in entries:
            memo.previous[("doc", str(todo[index][3]))] = entry
        memo.previous.update(comparisons)
    try:
        with context.Pool(jobs - 1) as pool:
            # One ticket per chunk: a ticket reads the next chunk no process has claimed,
            # so every process reads until none is left and all finish together.
            theirs = pool.imap_unordered(_prefetch_claimed, range(len(chunks)))
            memo.parse_yaml(yaml_files, root)
            if meanwhile is not None:
                meanwhile()
            while (claimed := claims.next()) is not None:
                keep(*_prefetch_chunk(chunks[claimed], keep_bodies=True))
            for entries, comparisons in theirs:
                keep(entries, comparisons)
    finally:
        _prefetch = None
    return len(todo)


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
            found.append((index, memo.entry_of(raw, config, root, hash_bytes(data))))
    comparisons = _comparisons([entry for _, entry in found], config)
    if not keep_bodies:
        found = [(index, without_body(entry)) for index, entry in found]
    return found, comparisons


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
