"""Render stage: the plan of every output file, each page rendered on demand, in memory.

``plan_site`` lists every output file as a :class:`Page` that renders when
asked, so a build can render only the pages whose inputs changed, and in
several processes (``parallel/pages.py``). Nothing here touches the output
folder.

The pages come from the page kinds of ``PAGE_KINDS``: each is a function of
the :class:`Plan` that adds its pages. A new capability that makes pages (a
search page, open data files) plugs in as a kind of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from ..cache.bodies import KeptBodies
from ..cache.deps import SiteView, site_view
from ..content.errors import Problems
from ..content.model import Site
from ..data import kinds as data_kinds
from ..images import kind as images
from ..search.page import search_pages
from . import kinds
from .language import LanguageRenderer
from .mentions import Mentions


@dataclass(frozen=True)
class Page:
    """One output file. ``render()`` gives its text (or bytes, for assets)."""

    path: str
    render: Callable[[], str | bytes]
    deps: tuple[tuple, ...] = ()  # what render() is handed rather than looks up (see deps.py)
    # Pages of one batch share pieces their renderer makes once (list items): rendered in one process.
    batch: str = ""

    def content(self) -> bytes:
        data = self.render()
        return data if isinstance(data, bytes) else data.encode("utf-8")


class Output:
    """The plan's pages in a fixed order, each output path once."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self._paths: set[str] = set()

    def add(self, path: str, render: Callable[[], str | bytes], *uses: tuple, batch: str = "") -> None:
        if path in self._paths:
            raise ValueError(f"two pages want the same output file {path}")
        self._paths.add(path)
        self.pages.append(Page(path, render, uses, batch))


@dataclass
class Plan:
    """What a page kind plans with: the (tracked) site, a renderer per language, and the pages so far."""

    site: SiteView
    renderers: dict[str, LanguageRenderer]
    mentions: Mentions
    template_dirs: list[Path]
    output: Output = field(default_factory=Output)
    # Pages of further kinds for the sitemap: (route_for(lang), the languages it exists in), in plan order.
    sitemap: list[tuple[Callable[[str], str], tuple[str, ...]]] = field(default_factory=list)

    def add(self, path: str, render: Callable[[], str | bytes], *uses: tuple, batch: str = "") -> None:
        """A page at ``path``; ``uses``: dependency tokens of what ``render`` is handed (deps.py)."""
        self.output.add(path, render, *uses, batch=batch)

    def in_sitemap(self, route_for: Callable[[str], str], languages: tuple[str, ...]) -> None:
        """List a page of a further kind in the sitemap: ``route_for(lang)`` is its route in each of ``languages``.

        The sitemap renders after the plan is made, so a kind planned after it is listed all the same.
        """
        self.sitemap.append((route_for, tuple(languages)))

    @property
    def default(self) -> LanguageRenderer:
        """The renderer of the site's default language."""
        return self.renderers[self.site.config.default_language]


# The page kinds, in the order their pages are planned.
PAGE_KINDS: tuple[Callable[[Plan], None], ...] = (
    kinds.language_pages,
    search_pages,
    kinds.site_pages,
    kinds.asset_files,
    data_kinds.open_data,
    data_kinds.timelinejs_files,
    images.picture_files,
)


def plan_site(site: Site | SiteView, template_dirs: list[Path], locales_dir: Path, problems: Problems,
              bytecode_cache: jinja2.BytecodeCache | None = None, mentions: Mentions | None = None,
              compiled_catalogues: Path | None = None, bodies: KeptBodies | None = None) -> list[Page]:
    """Every output file of the site, in a fixed order, each rendered on demand.

    Pages read ``site`` through its tracked view (``deps.SiteView``), so
    what each page used is recorded while it renders. ``mentions``: the site's
    :class:`Mentions`, when the caller has made them already.
    ``compiled_catalogues``: a cache folder for compiled catalogues.
    ``bodies``: bodies' HTML kept from earlier builds (``cache/bodies.py``).
    """
    site = site_view(site)
    mentions = mentions or Mentions(site)
    renderers = {lang: LanguageRenderer(site, lang, template_dirs, locales_dir, problems, mentions, bytecode_cache,
                                        compiled_catalogues, bodies)
                 for lang in site.config.languages}
    plan = Plan(site, renderers, mentions, template_dirs)
    for kind in PAGE_KINDS:
        kind(plan)
    return plan.output.pages
