"""What rendering needs that no content changes: compiled templates and catalogues, Babel's data.

Made when first asked for, with Jinja2 and the renderer imported then (a
rebuild that renders nothing never imports them). A first build makes it all
while its other processes read the content files (:meth:`RenderSetup.prepare`):
the render processes, forked later, inherit it, and no template is compiled
twice. With a cache folder, compiled templates are kept there too (Jinja2
checks each against its source) and so are the catalogues compiled from the
``.po`` files.
"""

from __future__ import annotations

from pathlib import Path

from ..content.errors import Problems
from ..content.facts import countries
from ..content.model import SiteConfig


class RenderSetup:
    def __init__(self, template_dirs: list[Path], locales: Path, cache: Path | None):
        self.template_dirs, self.locales = list(template_dirs), locales
        self.catalogues = cache / "catalogues" if cache is not None else None
        self._folder = cache / "templates" if cache is not None else None
        self._templates = None

    def templates(self):
        """The compiled templates (a ``KeptTemplates``), over the cache folder's if any."""
        if self._templates is None:
            from .templates import KeptTemplates
            self._templates = KeptTemplates(_bytecode_cache(self._folder) if self._folder is not None else None)
        return self._templates

    def prepare(self, config: SiteConfig, root: Path) -> None:
        """Compile every template, every language's catalogue (into the cache), load Babel's data."""
        from babel import Locale

        from .catalog import load_translations
        from .templates import compile_templates
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
