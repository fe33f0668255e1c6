"""Gettext catalogues for UI strings, compiled in memory at build time.

The ``.po`` files in ``locales/<lang>/LC_MESSAGES/messages.po`` are the only
form committed; they are compiled with Babel into an in-memory ``.mo`` so no
binary file lives in the repository and a stale ``.mo`` can never be used.
"""

from __future__ import annotations

import gettext
import hashlib
import io
from pathlib import Path

from ..content.errors import Problems
from ..output.atomic import replace_file


# Compiled catalogues by the digest of their source (and language, and Babel's version), in this process.
_COMPILED: dict[str, bytes] = {}


def catalogue_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / "messages.po"


def load_translations(locales_dir: Path, lang: str, problems: Problems, compiled: Path | None = None) -> gettext.NullTranslations:
    """The catalogue of ``lang``, compiled from its ``.po`` file.

    ``compiled``: a folder of the build cache where the compiled form is
    kept, named by a hash of the ``.po`` text, so that a rebuild neither
    parses the catalogue again nor imports Babel's catalogue tools.
    """
    path = catalogue_path(locales_dir, lang)
    try:
        source = path.read_bytes()
    except OSError:
        return gettext.NullTranslations()
    from babel import __version__ as babel_version  # the compiler's version is part of the name
    digest = hashlib.blake2b(source + f"\0{lang}\0{babel_version}".encode(), digest_size=12).hexdigest()
    kept = compiled / f"{lang}.{digest}.mo" if compiled is not None else None
    if digest in _COMPILED:  # compiled by an earlier build of this process (the preview's, a test's)
        data = _COMPILED[digest]
        if kept is not None and not _holds(kept, data):
            _keep(kept, data)
        return gettext.GNUTranslations(io.BytesIO(data))
    if kept is not None:
        try:
            data = kept.read_bytes()
            translations = gettext.GNUTranslations(io.BytesIO(data))
            _COMPILED[digest] = data
            return translations
        except (OSError, ValueError):  # not compiled yet, or damaged: compile again
            pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po
    try:
        catalog = read_po(io.BytesIO(source), locale=lang, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        problems.error(path, getattr(error, "lineno", None), f"broken catalogue: {error}")
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    # Fuzzy entries are drafts of a translator: never shown to readers.
    write_mo(buffer, catalog, use_fuzzy=False)
    if kept is not None:
        _keep(kept, buffer.getvalue())
    if len(_COMPILED) > 64:
        _COMPILED.clear()
    _COMPILED[digest] = buffer.getvalue()
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _keep(target: Path, data: bytes) -> None:
    """Store a compiled catalogue in the cache, in place of older ones of its language."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob(target.name.split(".")[0] + ".*.mo"):
            old.unlink(missing_ok=True)
        replace_file(target, data)
    except OSError:
        pass  # a cache that cannot be written costs speed, not the build
