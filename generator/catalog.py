"""Gettext catalogues for UI strings, compiled in memory at build time.

The ``.po`` files in ``locales/<lang>/LC_MESSAGES/messages.po`` are the only
form committed; they are compiled with Babel into an in-memory ``.mo`` so no
binary file lives in the repository and a stale ``.mo`` can never be used.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .errors import Problems


def catalogue_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / "messages.po"


def load_translations(locales_dir: Path, lang: str, problems: Problems) -> gettext.NullTranslations:
    path = catalogue_path(locales_dir, lang)
    if not path.is_file():
        return gettext.NullTranslations()
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        problems.error(path, getattr(error, "lineno", None), f"broken catalogue: {error}")
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    # Fuzzy entries are drafts of a translator: never shown to readers.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
