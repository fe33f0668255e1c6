"""The search page of each language, ``/<lang>/search/``: a page kind (``render.pages.PAGE_KINDS``).

The page (``templates/search.html``) holds the form (its filters by kind
of page and by topic list the site's kinds and topics), the topic list that
stands in for search without JavaScript, and the settings of
``assets/search.js``: where the language's Pagefind bundle is, the site's
base path (the result URLs of the index are relative to the site root), the
index word of each filter value (``facets.py``), the label of each kind of
page, and the messages the script shows, from the language's catalogue.
Messages that count results come in every plural form the language has,
keyed by CLDR plural category, so the script picks the form with
``Intl.PluralRules``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..render.urls import file_for
from .facets import facet_word
from .index import bundle_folder

# The kinds of page the search finds, in the order the filter lists them (sections of the URL scheme).
KINDS = ("briefings", "weapons", "people", "organizations", "topics", "timelines", "pages")

if TYPE_CHECKING:
    from ..cache.deps import SiteView
    from ..render.language import LanguageRenderer
    from ..render.pages import Plan


def search_route(lang: str) -> str:
    return f"{lang}/search/"


def search_pages(plan: Plan) -> None:
    """A search page per language."""
    site = plan.site
    for renderer in plan.renderers.values():
        plan.add(file_for(search_route(renderer.lang)), lambda r=renderer: render_search_page(site, r))


def render_search_page(site: SiteView, r: LanguageRenderer) -> str:
    info = r.page_info(search_route, r.format.gettext("Search"), site.config.languages, "search")
    # Every topic, by name: a filter, and the way in without JavaScript. (A use of every entity: one page per language.)
    topics = sorted(((item.id, r.loc(item.name), r.entity_url(item.id)) for item in site.entities.values() if item.kind == "topics"),
                    key=lambda topic: (topic[1].casefold(), topic[0]))
    kinds = [(kind, r.label("section", kind)) for kind in KINDS]
    return r.render("search.html", page=info, topics=topics, kinds=kinds, settings=settings(r, kinds, topics))


def settings(r: LanguageRenderer, kinds: list[tuple[str, str]], topics: list[tuple[str, str, str]]) -> dict:
    """What ``assets/search.js`` needs, as JSON in the page."""
    gettext = r.format.gettext
    return {
        "bundle": r.urls.path(bundle_folder(r.lang)),
        "base": r.urls.base_path,
        # A filter value -> the word that marks its pages in the index.
        "facets": {"kind": {kind: facet_word("kind", kind) for kind, _ in kinds},
                   "topic": {ident: facet_word("topic", ident) for ident, _, _ in topics}},
        "kinds": dict(kinds),  # a result's kind, from the section of its URL
        "messages": {
            "searching": gettext("Searching…"),
            "none": gettext("Nothing found for “%(query)s”."),
            "noneFiltered": gettext("No page matches these filters."),
            "failed": gettext("Search could not be loaded. The briefings are listed by topic below."),
            # %(count)s and %(query)s are filled in by the script.
            "results": by_plural_category(r, lambda n: r.format.ngettext(
                "%(count)s result for “%(query)s”", "%(count)s results for “%(query)s”", n)),
            "filtered": by_plural_category(r, lambda n: r.format.ngettext(
                "%(count)s page matches these filters", "%(count)s pages match these filters", n)),
        },
    }


def by_plural_category(r: LanguageRenderer, message: Callable[[int], str]) -> dict[str, str]:
    """``message(n)`` for a whole number ``n`` of each CLDR plural category of the language.

    The catalogue's plural forms follow the same CLDR rules (``briefing i18n
    update`` writes them), so the form for one number of a category is the
    form for all of them. Categories no whole number falls in (Russian
    "other", for fractions) are left out; the script falls back to "other",
    then to the last form.
    """
    rule = r.format.locale.plural_form
    forms: dict[str, str] = {}
    for n in range(0, 1000):
        forms.setdefault(rule(n), message(n))
    return dict(sorted(forms.items()))
