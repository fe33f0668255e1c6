"""The kept site in the build cache: read it, patch it for a text-only edit, write it.

``assembled.py`` says what is kept and how a patch is made; this module
decides, from the files that changed, whether an edit can be a patch (every
changed file a briefing or page that resolves to its record but for its
text), and reads and writes the kept site next to the rest of the record.
The state record names the kept site it goes with ("<full build>/<patch>"):
anything else found in the cache is not used.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..content.errors import Problems
from ..content.load import is_document_file, load_document
from ..content.model import Site
from . import assembled, deps
from .memo import DocumentMemo
from .record import State, Store
from .scan import Inputs


KEPT_SITE = "site.pickle"
KEPT_PATCH = "site-patch.pickle"


def text_only_patch(store: Store, key: str, previous: State, inputs: Inputs, content: Path,
                     problems: Problems) -> assembled.Patch | None:
    """The last build's site with the edited texts in place, if only texts changed (else None).

    Every changed file must be a briefing or page the record knows, without
    a problem, that resolves to its record but for its Markdown text: the
    same meta fingerprint (every field, the entities it mentions, the
    timelines it embeds, the line its text starts on) and the same
    references (lines aside).
    """
    changed = inputs.changed_since(previous.inputs)
    if not changed or not all(is_document_file(path, content) for path in changed):
        return None  # a fact file, a template, site.yaml, translations.yaml, an image...
    found = _read(store, key, previous.assembled)
    if found is None:
        return None
    kept, overlay = found
    # The record of each changed file: in the patch if an earlier text-only build read it, else in the model.
    entries = dict(overlay.entries) if overlay is not None else {}
    unknown = [("doc", path) for path in changed if ("doc", path) not in entries]
    if unknown:
        entries.update(store.model_entries(key, unknown) or {})
    if any(("doc", path) not in entries for path in changed):
        return None  # not known as a briefing or page (a language site.yaml does not declare, say)
    config = kept.site.config
    config_print = deps.digest(config)
    troubled = {p.path for p in kept.problems}
    memo = DocumentMemo(inputs, {})
    edited = {}
    new_entries = {}
    for path in changed:
        old = entries[("doc", path)]
        doc = old.document
        if doc is None or old.config != config_print or old.problems or doc.path in troubled or not old.fingerprints:
            return None
        doc_key = (doc.kind, doc.slug, doc.lang)
        if doc_key not in kept.prints:
            return None
        quiet = Problems(problems.root)
        raw = load_document(doc.kind, doc.slug, doc.lang, Path(path), quiet)
        if raw is None or quiet.items or raw.front_broken:
            return None
        entry = memo.entry_of(raw, config, problems.root)
        if (entry.document is None or entry.problems or entry.fingerprints[0] != old.fingerprints[0]
                or _refs_apart_from_lines(entry.refs) != _refs_apart_from_lines(old.refs)):
            return None
        edited[doc_key] = (entry.document, entry.fingerprints)
        new_entries[("doc", path)] = entry
    return assembled.patch(kept, overlay, edited, new_entries, problems.root)


def _refs_apart_from_lines(refs) -> list:
    return sorted((path, target, kinds, what) for path, _line, target, kinds, what in refs)


def _read(store: Store, key: str, ident: str) -> "tuple[assembled.Assembled, assembled.Overlay | None] | None":
    """The kept site named ``ident`` ("<full>/<patch>"), its patches applied; None if it is not there."""
    full, _, patched = ident.partition("/")
    found = store.extra(KEPT_SITE, key)
    if not found or found[0] != full:
        return None
    try:
        kept = store.loaded(found[1], assembled.loads)
        overlay = None
        if patched:
            extra = store.extra(KEPT_PATCH, key)
            if not extra or extra[:2] != (full, patched):
                return None
            overlay = assembled.loads(extra[2])
            kept = overlay.applied(kept)
    except Exception:  # from another version of the generator: build the site again
        return None
    return kept, overlay


def keep_site(store: Store, key: str, site: Site | None, checked, documents: dict | None, root: Path) -> str:
    """Keep the site this build assembled, with what its model stage found (``build.Checked``: the problems
    apart from the translation checks', translations.yaml as read, the checks' problems); returns its name
    for the state ("" if it could not be kept)."""
    if site is None or checked is None or not documents:
        return ""
    checks = assembled.checks_by_group(site, checked.checks)
    if checks is None:
        return ""
    prints = {doc_key: found[1] for doc_key, found in documents.items()}
    if any((d.kind, d.slug, d.lang) not in prints for d in site.documents):
        return ""
    kept = assembled.Assembled(site, tuple(checked.problems), checks, checked.records, prints)
    name = os.urandom(8).hex()
    ok = store.save_extra(KEPT_SITE, key, (name, assembled.dumps(kept, prints, root)))
    return name if ok else ""


def keep_patch(store: Store, key: str, ident: str, patch: assembled.Patch, root: Path) -> str:
    """Keep what a text-only build changed (in the kept site's patch); the kept site's new name."""
    full = ident.partition("/")[0]
    name = os.urandom(8).hex()
    ok = store.save_extra(KEPT_PATCH, key, (full, name, assembled.dumps(patch.overlay, patch.assembled.prints, root)))
    return f"{full}/{name}" if ok else ""
