"""The gettext workflow for UI strings, through Babel's API.

``extract`` reads the strings marked in templates (``_()``, ``ngettext`` in
Jinja2) and code (``N_()`` in Python) as ``babel.cfg`` at the project root
maps them, into ``locales/messages.pot``; ``update`` merges that template into
each ``locales/<lang>/LC_MESSAGES/messages.po`` (Babel marks near matches
fuzzy and takes each language's plural forms from CLDR: three for Russian);
``compile`` checks every catalogue and, for those who want them, writes
``.mo`` files to a folder of their choice. The build itself never reads a
``.mo``: ``catalog.py`` compiles the ``.po`` files in memory.

Files are rewritten only when their messages change, so running the
workflow twice changes nothing (no new creation date, no diff).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

from ..content.errors import Problem
from ..output.atomic import replace_file

CONFIG = "babel.cfg"
TEMPLATE = Path("locales") / "messages.pot"
PROJECT = "briefing"
# Message ids are English: the English catalogue holds copies of them, so it
# is complete by construction and readers never see an empty string.
SOURCE_LANGUAGE = "en"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
# The same layout as `pybabel extract --no-location --sort-output`: a diff
# shows changed strings, not moved lines.
PO_OPTIONS = dict(width=76, no_location=True, sort_output=True, ignore_obsolete=True)


class CatalogError(Exception):
    """Problems that stop a step; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class Stats:
    lang: str
    path: str
    messages: int
    untranslated: tuple[str, ...]  # message ids without a translation
    fuzzy: tuple[str, ...]  # ids whose translation awaits review
    written: bool = False  # whether this step changed a file


def catalogue_file(root: Path, lang: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / "messages.po"


def languages(root: Path) -> list[str]:
    """Languages that have a catalogue under ``locales/``."""
    base = root / "locales"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "LC_MESSAGES" / "messages.po").is_file())


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Atomic write, skipped when the bytes are already there."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, data)
    return True


def _po_bytes(catalog: Catalog, **options) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, **{**PO_OPTIONS, **options})
    return buffer.getvalue()


def _read(path: Path, root: Path, locale: str | None = None) -> Catalog:
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise CatalogError([Problem(_rel(root, path), getattr(error, "lineno", None), f"broken catalogue: {error}")]) from None


# -- extract ------------------------------------------------------------------

def extract(root: Path) -> Catalog:
    """Every UI string of the project at ``root``, as a template catalogue in memory."""
    root = Path(root)
    config = root / CONFIG
    if not config.is_file():
        raise CatalogError([Problem(_rel(root, config), None, f"no {CONFIG} here: it says which templates and code hold UI strings (run from the project root or pass --root)")])
    try:
        with config.open(encoding="utf-8") as handle:
            method_map, options_map = parse_mapping_cfg(handle, str(config))
        # Jinja2's extractor skips a template it cannot parse unless told
        # not to: a template with a syntax error must not lose its strings.
        for pattern, method in method_map:
            if method == "jinja2" or method.endswith(":babel_extract"):
                options_map.setdefault(pattern, {}).setdefault("silent", "false")
    except Exception as error:  # configparser raises several unrelated types
        raise CatalogError([Problem(_rel(root, config), getattr(error, "lineno", None), f"cannot read {CONFIG}: {error}")]) from None
    catalog = Catalog(project=PROJECT, fuzzy=True)
    problems: list[Problem] = []
    current = [CONFIG]  # the file being read: extractors do not always name it in their errors

    def reading(filename: str, method: str, options: dict) -> None:
        current[0] = filename

    try:
        for filename, lineno, message, comments, context in extract_from_dir(
                root, method_map, options_map, keywords=KEYWORDS, callback=reading, directory_filter=_visible):
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    except SyntaxError as error:  # a Python module that does not parse
        problems.append(Problem(current[0], error.lineno, f"cannot extract messages: {error.msg}"))
    except Exception as error:  # Jinja2's TemplateSyntaxError and friends
        message = getattr(error, "message", None) or str(error)
        problems.append(Problem(current[0], getattr(error, "lineno", None), f"cannot extract messages: {message}"))
    if problems:
        raise CatalogError(problems)
    return catalog


def _visible(dirname: str) -> bool:
    # Hidden folders, caches and node_modules hold no UI strings of ours.
    name = os.path.basename(dirname)
    return not name.startswith((".", "_")) and name not in ("node_modules", "site")


def write_template(root: Path) -> tuple[Path, int, bool]:
    """Extract into ``locales/messages.pot``: (path, number of messages, whether it changed)."""
    root = Path(root)
    catalog = extract(root)
    path = root / TEMPLATE
    if path.is_file():
        # Same messages, same file: keep the old creation date so nothing changes.
        catalog.creation_date = _read(path, root).creation_date
        if _write_if_changed(path, _po_bytes(catalog)) is False:
            return path, len(catalog), False
        catalog.creation_date = dt.datetime.now(dt.timezone.utc)
    _write_if_changed(path, _po_bytes(catalog))
    return path, len(catalog), True


def read_template(root: Path) -> Catalog:
    """The committed ``locales/messages.pot``."""
    root = Path(root)
    path = root / TEMPLATE
    if not path.is_file():
        raise CatalogError([Problem(_rel(root, path), None, "no message template yet: run 'briefing i18n extract' first")])
    return _read(path, root)


# -- update ---------------------------------------------------------------------

def update(root: Path, new_languages: tuple[str, ...] = ()) -> list[Stats]:
    """Merge the template into every catalogue (creating those of ``new_languages``)."""
    root = Path(root)
    template = read_template(root)
    problems = []
    for lang in new_languages:
        try:
            Locale.parse(lang)
        except (UnknownLocaleError, ValueError):
            problems.append(Problem(lang, None, f"'{lang}' is not a language known to CLDR"))
    if problems:
        raise CatalogError(problems)
    # Read everything before writing anything: one broken file stops the step.
    catalogs: dict[str, Catalog] = {}
    for lang in sorted(set(languages(root)) | set(new_languages)):
        path = catalogue_file(root, lang)
        if path.is_file():
            try:
                catalogs[lang] = _read(path, root, lang)
            except CatalogError as error:
                problems += error.problems
        else:
            catalogs[lang] = Catalog(locale=lang, project=PROJECT, creation_date=template.creation_date, fuzzy=False)
    if problems:
        raise CatalogError(problems)
    result = []
    for lang, catalog in catalogs.items():
        # Babel's update() adopts the template's message objects: each
        # catalogue needs a template of its own or the English copies leak.
        catalog.update(read_template(root))
        if lang == SOURCE_LANGUAGE:
            _copy_ids(catalog)
        written = _write_if_changed(catalogue_file(root, lang), _po_bytes(catalog))
        result.append(_stats(root, lang, catalog, template, written))
    return result


def _copy_ids(catalog: Catalog) -> None:
    """The source language's catalogue: every translation is its message id."""
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            message.string = tuple(message.id[0] if i == 0 else message.id[1] for i in range(catalog.num_plurals))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
        message.previous_id = []


# -- compile / statistics ----------------------------------------------------

def _untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return not all(strings)


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def _stats(root: Path, lang: str, catalog: Catalog, template: Catalog | None, written: bool = False) -> Stats:
    ids = [m for m in catalog if m.id]
    missing = [_key(m) for m in ids if _untranslated(m)]
    if template is not None:  # strings not merged in yet are untranslated too
        missing += [_key(m) for m in template if m.id and catalog.get(m.id, m.context) is None]
    fuzzy = [_key(m) for m in ids if m.fuzzy and not _untranslated(m)]
    return Stats(lang, _rel(root, catalogue_file(root, lang)), len(template) if template is not None else len(ids),
                 tuple(sorted(missing)), tuple(sorted(fuzzy)), written)


def read_catalogue(root: Path, lang: str) -> Catalog:
    return _read(catalogue_file(Path(root), lang), Path(root), lang)


def compile_catalogues(root: Path, output: Path | None = None) -> list[Stats]:
    """Check every catalogue; with ``output``, write ``<output>/<lang>/LC_MESSAGES/messages.mo``.

    Errors (a broken file, a translation whose placeholders differ from the
    message's) stop the step before anything is written.
    """
    root = Path(root)
    template_path = root / TEMPLATE
    template = _read(template_path, root) if template_path.is_file() else None
    problems: list[Problem] = []
    compiled: list[tuple[Stats, bytes]] = []
    for lang in languages(root):
        try:
            catalog = read_catalogue(root, lang)
        except CatalogError as error:
            problems += error.problems
            continue
        path = _rel(root, catalogue_file(root, lang))
        for message, errors in catalog.check():
            line = message.lineno if message.lineno else None
            for error in errors:
                problems.append(Problem(path, line, f"translation of {_key(message)!r}: {error}"))
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)  # fuzzy entries are drafts: never shown
        compiled.append((_stats(root, lang, catalog, template), buffer.getvalue()))
    if problems:
        raise CatalogError(problems)
    result = []
    for stats, data in compiled:
        written = False
        if output is not None:
            written = _write_if_changed(Path(output) / stats.lang / "LC_MESSAGES" / "messages.mo", data)
        result.append(Stats(stats.lang, stats.path, stats.messages, stats.untranslated, stats.fuzzy, written))
    return result
