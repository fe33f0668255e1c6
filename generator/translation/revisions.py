"""Which revision of its original each translation was made from.

The *original* of a briefing or page is its file in the default language (or,
when there is none, in the first site language that exists). Its *revision*
is a short hash of each of its title, summary and body, so a content folder
need not be a git repository and an unchanged text always hashes the same.

The record lives in one file, ``content/translations.yaml``, written only by
``briefing new --translate`` and ``briefing i18n ack``: one line per
translation, sorted, so editors' Markdown files stay clean and a diff shows
exactly which translation was checked::

    briefings/patrushev-tehran-visit/ru.md: {title: "1a2b3c4d5e6f", summary: "...", body: "..."}

A translation without a line is *unverified*; one whose line no longer
matches its original is *outdated* (and the fields that changed are known).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..content.errors import Problem, Problems
from ..content.ids import ID_PATTERN
from ..content.load import read_text
from ..content.model import Document, DocumentGroup, Outdated, Site
from ..content.yamlsafe import PosDict, YamlProblem, load_yaml
from ..output.atomic import replace_file

RECORD_FILE = "translations.yaml"
FIELDS = ("title", "summary", "body")
HASH_LENGTH = 12
KEY_RE = re.compile(rf"^(briefings|pages)/{ID_PATTERN}/[a-z]{{2,3}}\.md$")
HASH_RE = re.compile(r"^[0-9a-f]{%d}$" % HASH_LENGTH)

HEADER = """\
# Which revision of its original each translation was last checked against.
# Written by `briefing new --translate` and `briefing i18n ack`; see docs/translations.md.
# One line per translation: a short hash of the original's title, summary and body.
"""


@dataclass(frozen=True, order=True)
class Revision:
    title: str
    summary: str
    body: str

    def changed(self, current: "Revision") -> tuple[str, ...]:
        """The fields that differ between this recorded revision and ``current``."""
        return tuple(name for name in FIELDS if getattr(self, name) != getattr(current, name))

    def line(self) -> str:
        # Quoted: a hash of digits only (one in three hundred) would read back as a number.
        return "{" + ", ".join(f'{name}: "{getattr(self, name)}"' for name in FIELDS) + "}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def _normal_line(text: str) -> str:
    # YAML may fold a title over lines; only the words matter.
    return " ".join(text.split())


def _normal_body(text: str) -> str:
    # Trailing spaces and runs of blank lines do not change what readers see,
    # so they must not make a translation outdated.
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def revision(title: str | None, summary: str | None, body: str) -> Revision:
    return Revision(_digest(_normal_line(title or "")), _digest(_normal_line(summary or "")), _digest(_normal_body(body)))


def revision_of(doc: Document) -> Revision:
    return revision(doc.title, doc.summary, doc.body)


def record_key(kind: str, slug: str, lang: str) -> str:
    """The key of a translation in the record: its path inside the content folder."""
    return f"{kind}/{slug}/{lang}.md"


def key_of(doc: Document) -> str:
    return record_key(doc.kind, doc.slug, doc.lang)


# -- the record file --------------------------------------------------------

def load_records(content: Path, problems: Problems) -> dict[str, Revision]:
    """Read ``content/translations.yaml``; a missing file is an empty record."""
    path = Path(content) / RECORD_FILE
    if not path.is_file():
        return {}
    text = read_text(path, problems)
    if text is None:
        return {}
    rel = problems.rel(path)
    conflict = next((n for n, line in enumerate(text.split("\n"), 1) if line.startswith(("<<<<<<<", "=======", ">>>>>>>"))), None)
    if conflict is not None:
        # The likely way this file breaks: two branches acknowledged the same translation.
        problems.error(path, conflict, "unresolved merge conflict: keep the lines of one side (or delete the file), then check the translations with 'briefing status' and run 'briefing i18n ack'")
        return {}
    try:
        data = load_yaml(text, rel)
    except YamlProblem as error:
        problems.items.append(error.problem)
        return {}
    if data is None:
        return {}
    fix = "run 'briefing i18n ack' to rewrite it"
    if not isinstance(data, PosDict):
        problems.error(path, None, f"{RECORD_FILE} must map each translation's path to its revision: {fix}")
        return {}
    records: dict[str, Revision] = {}
    for key, value in data.items():
        line = data.line_of(key)
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.error(path, line, f"'{key}' is not the path of a translation such as briefings/<slug>/ru.md: {fix}")
            continue
        if isinstance(value, dict):
            # Written unquoted by earlier versions: a hash of twelve digits reads as a number.
            value = {f: _unquoted_hash(v) for f, v in value.items()}
        if not (isinstance(value, dict) and set(value) == set(FIELDS)
                and all(isinstance(value[f], str) and HASH_RE.match(value[f]) for f in FIELDS)):
            problems.error(path, line, f"the revision of '{key}' must be {{title: <hash>, summary: <hash>, body: <hash>}}: {fix}")
            continue
        records[key] = Revision(*(value[f] for f in FIELDS))
    return records


def _unquoted_hash(value):
    """A hash that YAML read as a decimal number (digits only, no leading zero) as the text it was."""
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) == HASH_LENGTH:
        return str(value)
    return value


def records_text(records: dict[str, Revision]) -> str:
    return HEADER + "".join(f"{key}: {records[key].line()}\n" for key in sorted(records))


def save_records(content: Path, records: dict[str, Revision]) -> Path:
    """Write the record atomically: a crash leaves the old file, never half a file."""
    path = Path(content) / RECORD_FILE
    text = records_text(records)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return path
    replace_file(path, text.encode("utf-8"), prefix=".translations-")
    return path


# -- comparing translations with their originals ----------------------------

@dataclass(frozen=True)
class Check:
    """One translation compared with its original."""

    doc: Document
    original: Document
    state: str  # "ok", "outdated" or "unverified"
    changed: tuple[str, ...] = ()


def originals(documents) -> dict[tuple[str, str], Document]:
    """The original of each (kind, slug): ``documents`` come in site language order."""
    found: dict[tuple[str, str], Document] = {}
    for doc in documents:
        found.setdefault((doc.kind, doc.slug), doc)
    return found


def check(documents, records: dict[str, Revision], revision_of=revision_of) -> list[Check]:
    """Compare every translation (drafts included) with its original.

    ``revision_of`` may be one that knows the revisions of unchanged files
    (an incremental build: ``cache/memo.py``); it must give what
    :func:`revision_of` gives.
    """
    first = originals(documents)
    result = []
    for doc in documents:
        original = first[(doc.kind, doc.slug)]
        if original is doc:
            continue
        recorded = records.get(key_of(doc))
        if recorded is None:
            result.append(Check(doc, original, "unverified"))
            continue
        changed = recorded.changed(revision_of(original))
        result.append(Check(doc, original, "outdated" if changed else "ok", changed))
    return result


def mark_outdated(site: Site, records: dict[str, Revision], problems: Problems, revision_of=revision_of) -> Site:
    """Warn about published translations whose original changed, and mark them.

    The returned site's outdated documents carry the changed fields, so the
    page can tell readers and link the original.
    """
    outdated: dict[tuple[str, str, str], Outdated] = {}
    for item in check(site.documents, records, revision_of):
        if item.state != "outdated" or item.doc.draft:
            continue
        outdated[(item.doc.kind, item.doc.slug, item.doc.lang)] = Outdated(item.original.lang, item.changed)
        problems.items.append(Problem(item.doc.path, None, (
            f"translation is outdated: its original {item.original.path} changed ({', '.join(item.changed)}) since it was last checked; "
            f"update the translation, then run 'briefing i18n ack {item.doc.path}'"), "warning"))
    if not outdated:
        return site

    def mark(group: DocumentGroup) -> DocumentGroup:
        # Only the outdated ones are made again: the others stay the very records
        # the build knows (and whose bodies it may not have read: cache/memo.py).
        if not any((doc.kind, doc.slug, code) in outdated for code, doc in group.translations):
            return group
        return replace(group, translations=tuple(
            (code, replace(doc, outdated=outdated[(doc.kind, doc.slug, code)]) if (doc.kind, doc.slug, code) in outdated else doc)
            for code, doc in group.translations))

    return replace(site, briefings=tuple(mark(g) for g in site.briefings), pages=tuple(mark(g) for g in site.pages))


# -- acknowledging ------------------------------------------------------------

def keys_for_paths(content: Path, site: Site, paths, problems: Problems) -> list[str]:
    """Record keys of the translations named by ``paths`` (files, or a briefing's folder)."""
    content = Path(content).resolve()
    translations = {key_of(c.doc): c for c in check(site.documents, {})}
    originals_by_key = {key_of(doc): doc for doc in originals(site.documents).values()}
    keys: list[str] = []
    for given in paths:
        path = Path(given)
        if not path.exists() and (problems.root / path).exists():
            path = problems.root / path  # as messages name it: relative to the content folder's parent
        if not path.exists():
            problems.items.append(Problem(str(given), None, "no such file"))
            continue
        try:
            rel = path.resolve().relative_to(content).as_posix()
        except ValueError:
            problems.items.append(Problem(str(given), None, f"is not inside the content folder ({problems.rel(content)}/)"))
            continue
        if path.is_dir():
            found = sorted(k for k in translations if k.startswith(rel.rstrip("/") + "/"))
            if not found:
                problems.items.append(Problem(str(given), None, "holds no translation to acknowledge"))
            keys += [k for k in found if k not in keys]
        elif rel in translations:
            keys += [rel] if rel not in keys else []
        elif rel in originals_by_key:
            problems.items.append(Problem(str(given), None, "is an original, not a translation: there is nothing to acknowledge"))
        else:
            problems.items.append(Problem(str(given), None, "is not a briefing or page translation such as briefings/<slug>/ru.md"))
    return keys


def acknowledge(site: Site, records: dict[str, Revision], keys: list[str] | None) -> tuple[dict[str, Revision], list[Check]]:
    """Record the current revision of the originals of ``keys`` (``None``: every translation).

    Returns the new record and the checks as they stood before. With every
    translation, lines of translations that no longer exist are dropped.
    """
    checks = check(site.documents, records)
    chosen = [c for c in checks if keys is None or key_of(c.doc) in keys]
    new = {} if keys is None else dict(records)
    for item in chosen:
        new[key_of(item.doc)] = revision_of(item.original)
    return new, chosen
