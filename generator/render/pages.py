"""Render stage: Jinja2 + Babel per language, every page in memory.

``plan_site`` lists every output file as a :class:`Page` that renders on
demand, so a build can render only the pages whose inputs changed, and in
several processes (``build.py``, ``parallel.py``); ``render_site`` renders
them all and returns a mapping of output path -> bytes. Nothing here
touches the output folder. Each page gets a fresh context of its own (no
shared mutable dict); per-language helpers (localised text, dates, units,
URLs, labels) are Jinja2 globals and filters bound to that language.

A page's render function looks its data up in the (tracked) site while it
runs, so what it used is recorded (``deps.py``); what the plan hands it
directly is declared as the page's ``deps``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2
from babel import Locale
from markupsafe import Markup

from ..cache import deps
from ..content import labels
from ..cache.bodies import KeptBodies
from .catalog import load_translations
from ..project import DEFAULT_LOCALES, DEFAULT_TEMPLATES  # noqa: F401 (also imported from here)
from ..content.errors import Problem, Problems
from .l10n import Formatter
from .markup import MarkdownRenderer
from .metadata import MetadataBuilder
from ..content.model import Document, DocumentGroup, Entity, Site, Text, Timeline
from .urls import Urls, file_for, route


@dataclass(frozen=True)
class Switch:
    lang: str
    name: str  # the language's own name: "English", "Русский"
    url: str
    exists: bool  # False: the page is not translated; url leads to that language's home


@dataclass(frozen=True)
class PageInfo:
    lang: str
    route: str
    url: str
    absolute_url: str
    title: str
    alternates: tuple[tuple[str, str], ...]  # (lang, absolute url) of existing versions, self included
    switches: tuple[Switch, ...]
    section: str = ""


@dataclass(frozen=True)
class ListItem:
    """A briefing in a list: in this language, or only in another one."""

    group: DocumentGroup
    doc: Document
    url: str
    translated: bool  # False: shown in the original language, says so


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
    """The plan: pages in a fixed order, each output path once."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self._paths: set[str] = set()

    def add(self, path: str, render: Callable[[], str | bytes], *uses: tuple, batch: str = "") -> None:
        if path in self._paths:
            raise ValueError(f"two pages want the same output file {path}")
        self._paths.add(path)
        self.pages.append(Page(path, render, uses, batch))


@functools.lru_cache(maxsize=None)  # a CLDR lookup, asked for by every page
def language_name(lang: str) -> str:
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


class Mentions:
    """Which briefings and timeline events mention each entity."""

    def __init__(self, site: Site):
        self.briefings: dict[str, list[DocumentGroup]] = {}
        self.events: dict[str, list] = {}
        for group in tuple.__iter__(site.briefings):  # built once, outside any page: not a use
            # A topic both linked inline and listed in `topics` counts once.
            ids = dict.fromkeys(i for _, doc in group.translations for i in doc.mentions + doc.topics)
            for entity_id in ids:
                self.briefings.setdefault(entity_id, []).append(group)
        for timeline in sorted(dict.values(site.timelines), key=lambda t: t.id):
            for event in timeline.events:
                for entity_id in event.mentioned:
                    self.events.setdefault(entity_id, []).append(event)
        for events in self.events.values():
            events.sort(key=lambda e: (e.date.first_day, e.timeline, e.index))
        # Looked up by the pages: each lookup is a use of ("mentions", id).
        self.briefings = deps.TrackedMap("mentions", self.briefings)
        self.events = deps.TrackedMap("mentions", self.events)


class LanguageRenderer:
    """Everything needed to render pages in one language."""

    def __init__(self, site: Site, lang: str, template_dirs: list[Path], locales_dir: Path, problems: Problems, mentions: Mentions,
                 bytecode_cache: jinja2.BytecodeCache | None = None, compiled_catalogues: Path | None = None,
                 bodies: KeptBodies | None = None):
        self.site = site
        self.lang = lang
        self.urls = Urls(site.config)
        self.mentions = mentions
        self.format = Formatter(lang, site.config.timezone, load_translations(locales_dir, lang, problems, compiled_catalogues))
        self.env = template_environment(template_dirs, bytecode_cache)
        self.env.install_gettext_translations(self.format.translations, newstyle=True)
        self.env.globals["_"] = _remembering_gettext(self.env.globals["gettext"])
        # Babel's formatting is pure and slow, and the same dates and figures recur on many pages.
        cached = functools.lru_cache(maxsize=4096)
        self.env.filters.update(
            loc=self.loc, date=cached(self.format.date), pdate=cached(self.format.partial_date), km=cached(self.format.kilometres),
            money=cached(self.format.money), country=cached(self.format.country), units=cached(self.format.units),
            number=cached(self.format.number), inline_md=self.inline_markdown, isodate=lambda d: d.isoformat(),
            timeline_box=self.timeline_box,
            # Filters, not globals: Jinja2 calls a filter directly, a global through Context.call
            # (which checks what it is given at each call), and these run for every listed item.
            cite=self.cite, briefing_item=self.briefing_item,
        )
        self.env.globals.update(
            lang=lang, site=site, config=site.config, entity=self.entity, source=self.source, entity_url=self.entity_url,
            entity_name=self.entity_name,
            url=self.urls.path, absolute=self.urls.absolute, route=route, label=self.label, language_name=language_name,
            is_translated=self.is_translated, default_language=site.config.default_language,
            # Plain pages (about, methodology) that exist in this language, for the footer.
            # Made before any page renders, so its use is recorded when a page lists it (deps.py).
            plain_pages=deps.TrackedList("pages", tuple(
                (self.urls.path(route(lang, "pages", g.slug)), g.get(lang).title) for g in tuple.__iter__(site.pages) if g.get(lang))),
        )
        self.metadata = MetadataBuilder(site, lang, self.format)  # Open Graph, JSON-LD
        self._timelines_shown: list[str] = []
        self.bodies = bodies  # Markdown bodies' HTML kept from earlier builds (bodies.py), if any
        # Fact boxes, timelines and event texts appear on many pages: made once
        # per build and language (see deps.remembered: each use still records its inputs).
        self._shared: dict = {}
        self._list_items: dict[tuple[str, str], ListItem] = {}

    # Made when first needed: a rebuild often renders one page, in one language.
    @functools.cached_property
    def markdown(self) -> MarkdownRenderer:
        return MarkdownRenderer(self.resolve_link, self.resolve_block)

    @functools.cached_property
    def inline_markdown_renderer(self) -> MarkdownRenderer:
        # Event texts are rendered while a body is being converted (a timeline
        # embed), so they need an instance of their own: reset() would clobber it.
        return MarkdownRenderer(self.resolve_link, self._no_blocks)

    # helpers for templates ------------------------------------------------
    def loc(self, value: Text | str | None) -> str:
        if value is None:
            return ""
        return value.get(self.lang) if isinstance(value, Text) else str(value)

    def is_translated(self, value: Text | None) -> bool:
        return value is None or value.has(self.lang)

    def entity(self, entity_id: str) -> Entity:
        return self.site.entities[entity_id]

    def source(self, source_id: str):
        return self.site.sources[source_id]

    def _named(self, entity_id: str) -> Entity:
        # A link shows an entity's name and needs its kind (the URL): a use of
        # those alone, so editing a weapon's range leaves the pages that merely link it.
        deps.use(("name", entity_id))
        return dict.__getitem__(self.site.entities, entity_id)

    def entity_url(self, entity_id: str) -> str:
        return self.urls.path(route(self.lang, self._named(entity_id).kind, entity_id))

    def entity_name(self, entity_id: str) -> str:
        return self.loc(self._named(entity_id).name)

    def label(self, vocabulary: str, key: str) -> str:
        table = {
            "status": labels.STATUS_LABELS, "class": labels.WEAPON_CLASS_LABELS,
            "org": labels.ORGANIZATION_KIND_LABELS, "section": labels.SECTION_LABELS,
            "sections": labels.SECTION_TITLES,
        }[vocabulary]
        return self.format.gettext(table[key])

    def inline_markdown(self, text: Text | str) -> Markup:
        source = self.loc(text)
        return Markup(deps.remembered(self._shared, ("inline", source), lambda: self.inline_markdown_renderer.inline(source)))

    def cite(self, source) -> Markup:
        """``partials/source.html`` for a source: made once, shared by every page that cites it.

        A briefing lists a few dozen sources, and most sources are cited by
        many briefings: rendering the partial at each citation was a fifth
        of a cold build's template time. Rendered alone, the partial sees
        ``s`` and the globals only.
        """
        return Markup(deps.remembered(self._shared, ("source", source.id), lambda: self.env.get_template(
            "partials/source.html").render(s=self.site.sources[source.id])))

    def timeline_box(self, timeline: Timeline, heading_level: int) -> Markup:
        """``partials/timeline.html`` for a timeline: made once, shared by every page that shows it."""
        return Markup(deps.remembered(self._shared, ("timeline", timeline.id, heading_level), lambda: self.env.get_template(
            "partials/timeline.html").render(timeline=self.site.timelines[timeline.id], heading_level=heading_level)))

    # markdown callbacks -----------------------------------------------------
    def resolve_link(self, target: str, text: str | None):
        # Bodies link the same few hundred ids tens of thousands of times: each resolved once.
        found = deps.remembered(self._shared, ("link", target), lambda: self._link(target))
        return None if found is None else (found[0], text or found[1])

    def _link(self, target: str) -> tuple[str, str] | None:
        """(URL, name) of what ``[[target]]`` links; its uses are the same whether a text is given or not."""
        if dict.__contains__(self.site.entities, target):
            return self.entity_url(target), self.entity_name(target)
        if target in self.site.timelines:
            return self.urls.path(route(self.lang, "timelines", target)), self.loc(self.site.timelines[target].title)
        return None

    def resolve_block(self, kind: str, ident: str) -> str:
        if kind == "factbox":
            return deps.remembered(self._shared, ("factbox", ident), lambda: self.env.get_template(
                "partials/factbox.html").render(item=self.site.entities[ident], heading_level=2))
        self._timelines_shown.append(ident)
        return self.timeline_box(self.site.timelines[ident], 2)

    @staticmethod
    def _no_blocks(kind: str, ident: str) -> str:
        raise ValueError(f"[[{kind}:{ident}]] is not allowed in inline text")  # resolve.py reports it first

    def render_markdown(self, body: str) -> Markup:
        return Markup(self.markdown.block(body))

    def body(self, doc: Document) -> Markup:
        """The HTML of a document's Markdown body (a use of that body), kept from an earlier build if it can be."""
        deps.use(("body", doc.kind, doc.slug, doc.lang))
        if self.bodies is not None and self.bodies.active:
            return Markup(self.bodies.html(doc, lambda: self.markdown.block(doc.body), self._timelines_shown))
        return self.render_markdown(doc.body)

    def placed(self, doc: Document, text: str) -> str:
        """``text``, the page that shows ``doc``'s body: the kept bodies note where the body is in it."""
        if self.bodies is not None and self.bodies.active:
            self.bodies.placed(doc, text)
        return text

    # lists ------------------------------------------------------------------
    def list_item(self, group: DocumentGroup) -> ListItem:
        # Made once per group: home pages, feeds and fact pages list the same briefings again and again.
        known = self._list_items.get((group.kind, group.slug))
        if known is not None and known.group is group:
            return known
        doc = group.get(self.lang)
        if doc is not None:
            item = ListItem(group, doc, self.urls.path(route(self.lang, group.kind, group.slug)), True)
        else:
            original = group.get(self.site.config.default_language) or group.translations[0][1]
            item = ListItem(group, original, self.urls.path(route(original.lang, group.kind, group.slug)), False)
        self._list_items[(group.kind, group.slug)] = item
        return item

    def briefing_item(self, item: ListItem) -> Markup:
        """``partials/briefing_item.html`` for a list item: made once, shared by every list that shows it.

        What it shows is covered by the token of the list it is in
        (("briefings", ALL) or ("mentions", id), which cover the meta of every listed briefing).
        """
        key = ("briefing-item", item.group.kind, item.group.slug, item.doc.lang, item.url, item.translated)
        return Markup(deps.remembered(self._shared, key, lambda: self.env.get_template("partials/briefing_item.html").render(item=item)))

    # page metadata ----------------------------------------------------------
    def page_info(self, route_for, title: str, available: tuple[str, ...], section: str = "") -> PageInfo:
        """``route_for(lang)`` gives the route of this page in another language."""
        urls = self.urls
        alternates = tuple((code, urls.absolute(route_for(code))) for code in self.site.config.languages if code in available)
        switches = []
        for code in self.site.config.languages:
            if code == self.lang:
                continue
            exists = code in available
            switches.append(Switch(code, language_name(code), urls.path(route_for(code) if exists else route(code)), exists))
        own = route_for(self.lang)
        return PageInfo(self.lang, own, urls.path(own), urls.absolute(own), title, alternates, tuple(switches), section)

    def render(self, template: str, **context) -> str:
        deps.use(("catalogue", self.lang))  # every page's UI strings come from its language's catalogue
        return self.env.get_template(template).render(**context)


def _remembering_gettext(installed):
    """Jinja2's ``_`` (the i18n extension's), remembering each UI string without variables.

    Its own goes through three ``Context.call``s and formats the string at
    every call; ``_("Sources")`` is the same text on every page (for one
    autoescape setting). Anything else (variables, a template that sets its
    own ``gettext``) goes the extension's way.
    """
    memo: dict = {}

    @jinja2.pass_context
    def _(context, *args, **kwargs):
        gettext = context.resolve_or_missing("gettext")
        if gettext is not installed or kwargs or len(args) != 1 or type(args[0]) is not str:
            return context.call(context.resolve("gettext"), *args, **kwargs)
        key = (args[0], context.eval_ctx.autoescape)
        text = memo.get(key)
        if text is None:
            text = memo[key] = context.call(gettext, args[0])
        return text

    return _


def _entity_sources(site: Site, entity_id: str) -> tuple[str, ...]:
    deps.use(("entity-sources", entity_id))  # the list of an entity's sources, not all of its record
    entity = dict.get(site.entities, entity_id)
    return entity.sources if entity is not None else ()  # a [[link]] to a timeline: it is not shown, nor its sources


def _sources_of(site: Site, entity_ids, timelines: list[Timeline]) -> list:
    # dict.fromkeys: first-seen order, each source once (even if listed twice).
    ids = dict.fromkeys(
        [s for entity_id in entity_ids for s in _entity_sources(site, entity_id)]
        + [s for timeline in timelines for event in timeline.events for s in event.sources]
    )
    return [site.sources[s] for s in ids]


def template_problem(error: Exception, template_dirs: list[Path]) -> Problem | None:
    """The problem to report for an error raised while rendering; None if it is a bug of ours.

    Python errors raised by a template (``{{ 1/0 }}``), or by a filter that a
    site's own template called wrongly, are the template's mistake. Anything
    else raised while rendering the default templates is a bug of ours, for
    the CLI's internal-error report.
    """
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(_template_path(error.filename, error.name, template_dirs), error.lineno, f"template error: {error.message}")
    path, line = _template_position(error, template_dirs)
    if isinstance(error, jinja2.TemplateError):
        return Problem(path, line, f"template error: {_template_message(error)}")
    if line is None or not (_raised_in_template(error) or _is_own_template(path, template_dirs)):
        return None
    return Problem(path, line, f"template error: {error}")


def check_template_syntax(template_dirs: list[Path], problems: Problems) -> None:
    """Compile every template and report each syntax error.

    Used when a build stops early (content errors, or a template error while
    rendering), so that one run names every broken template, not just the first.
    """
    compile_templates(template_dirs, problems=problems)


# The renderer's filters (LanguageRenderer sets them): their names are checked when a template compiles.
FILTERS = ("loc", "date", "pdate", "km", "money", "country", "units", "number", "inline_md", "isodate",
           "timeline_box", "cite", "briefing_item")


def template_environment(template_dirs: list[Path], bytecode_cache: jinja2.BytecodeCache | None = None) -> "_TrackedEnvironment":
    """A renderer's Jinja2 environment before its language is set: it compiles templates as the renderer's does."""
    env = _TrackedEnvironment(
        loader=_TemplateLoader([str(d) for d in template_dirs]),
        bytecode_cache=bytecode_cache,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One build renders from one state of the templates (the preview server makes a new
        # renderer per build): checking every template file's mtime at each include is waste.
        auto_reload=False,
    )
    env.newstyle_gettext = True  # as the renderer installs its translations: {% trans %} compiles to keyword calls
    env.filters.update(dict.fromkeys(FILTERS, _filter_not_set))
    return env


def _filter_not_set(*_args, **_kwargs):
    raise RuntimeError("a template environment's filter was used before its renderer set it")


class KeptTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, over the cache folder's (``folder``, if any).

    :func:`compile_templates` fills it while a first build reads its files;
    the render processes, forked later, inherit it, and no template is
    compiled twice, by two processes or for two languages.
    """

    def __init__(self, folder: jinja2.BytecodeCache | None = None):
        self.folder = folder
        self.code: dict[tuple[str, str], object] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
            return
        if self.folder is not None:
            self.folder.load_bytecode(bucket)
            if bucket.code is not None:
                self.code[(bucket.key, bucket.checksum)] = bucket.code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[(bucket.key, bucket.checksum)] = bucket.code
        if self.folder is not None:
            self.folder.dump_bytecode(bucket)


def compile_templates(template_dirs: list[Path], kept: KeptTemplates | None = None, problems: Problems | None = None) -> None:
    """Compile every template (into ``kept``: ahead of rendering); report each syntax error in ``problems``, if given.

    Any other mistake is left to the render, which reports it with the page's line.
    """
    env = template_environment(template_dirs, kept)
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        if name.startswith("assets/"):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            if problems is not None and not re.match(r"No (filter|test) named", error.message or ""):
                problems.items.append(Problem(_template_path(error.filename, error.name, template_dirs), error.lineno,
                                              f"template error: {error.message}"))
        except (jinja2.TemplateError, OSError):
            continue


class _TrackedEnvironment(jinja2.Environment):
    """A Jinja2 environment that records each template a page loads as a use of ("template", name).

    Extends, includes and imports all load through ``get_template`` (or
    ``select_template``): a page depends on the templates it was made from,
    and an edit of one template re-renders only the pages that use it.
    """

    def get_template(self, name, parent=None, globals=None):
        self._use(name, parent)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        if not isinstance(names, (str, jinja2.Undefined)):
            for name in names:  # the first that exists is used: each one tried is a use
                self._use(name, parent)
        return super().select_template(names, parent, globals)

    def _use(self, name, parent) -> None:
        if isinstance(name, str):  # (a Template object given instead of a name is not recorded)
            deps.use(("template", self.join_path(name, parent) if parent is not None else name))


class _TemplateLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that names a template file that is not UTF-8."""

    def get_source(self, environment, template):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as error:
            pieces = jinja2.loaders.split_template_path(template)
            for searchpath in self.searchpath:
                path = Path(searchpath, *pieces)
                if path.is_file():
                    line = path.read_bytes()[: error.start].count(b"\n") + 1
                    raise jinja2.TemplateSyntaxError("the template is not UTF-8 text: save it with UTF-8 encoding", line, template, str(path)) from None
            raise


def _template_message(error: jinja2.TemplateError) -> str:
    """Jinja2's message without Python internals (module paths, search paths)."""
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template '{error.name}' does not exist"
    message = error.message or str(error)
    # 'generator.model.Weapon object' has no attribute 'x' -> Weapon has no field 'x'
    match = re.match(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']*)'$", message)
    if match:
        return f"{match.group(1)} has no field '{match.group(2)}'"
    return message


def _raised_in_template(error: Exception) -> bool:
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_globals.get("__jinja_template__") is not None


def _is_own_template(path: str, template_dirs: list[Path]) -> bool:
    """Whether ``path`` (as reported) is one of the site's own templates, not a default one."""
    if len(template_dirs) < 2:
        return False
    return (template_dirs[0] / path.removeprefix("templates/")).is_file()


def plan_site(site: Site, template_dirs: list[Path], locales_dir: Path, problems: Problems,
              bytecode_cache: jinja2.BytecodeCache | None = None, mentions: Mentions | None = None,
              compiled_catalogues: Path | None = None, bodies: KeptBodies | None = None) -> list[Page]:
    """Every output file of the site, in a fixed order, each rendered on demand.

    ``site`` should be a tracked site (``deps.tracked_site``) when the
    caller wants to know what each page used. ``mentions``: the site's
    :class:`Mentions`, when the caller has made them already.
    ``compiled_catalogues``: a cache folder for compiled catalogues.
    ``bodies``: bodies' HTML kept from earlier builds (``bodies.py``).
    """
    out = Output()
    mentions = mentions or Mentions(site)
    all_langs = site.config.languages
    renderers = {lang: LanguageRenderer(site, lang, template_dirs, locales_dir, problems, mentions, bytecode_cache,
                                        compiled_catalogues, bodies)
                 for lang in all_langs}
    for lang, r in renderers.items():
        _plan_language(site, r, out, mentions)
    first = renderers[site.config.default_language]
    out.add("index.html", lambda: first.render("chooser.html", languages=[(code, language_name(code), first.urls.path(route(code))) for code in all_langs]))
    out.add("404.html", lambda: first.render("404.html", languages=[(code, language_name(code), first.urls.path(route(code)), renderers[code].format.gettext("Page not found")) for code in all_langs]),
            *(("catalogue", code) for code in all_langs))  # "Page not found" in every language
    # A batch of its own: heavy, it is claimed first rather than left to the end, where one
    # process would render it while the others wait.
    out.add("sitemap.xml", lambda: first.render("sitemap.xml", entries=_sitemap_entries(site, renderers)), batch="sitemap")
    out.add("robots.txt", lambda: first.render("robots.txt"))
    for path, data in _assets(template_dirs).items():
        out.add(path, lambda data=data: data, ("template", path))  # its file in the templates folder
    return out.pages


def render_site(site: Site, template_dirs: list[Path], locales_dir: Path, problems: Problems) -> dict[str, bytes]:
    """Render every page of the site. Template errors become problems."""
    try:
        return {page.path: page.content() for page in plan_site(site, template_dirs, locales_dir, problems)}
    except Exception as error:
        problem = template_problem(error, template_dirs)
        if problem is None:
            raise
        problems.items.append(problem)
        check_template_syntax(template_dirs, problems)
        return {}


def _assets(template_dirs: list[Path]) -> dict[str, bytes]:
    """Static files under ``templates/assets/``; a site's own file wins over the default."""
    files: dict[str, bytes] = {}
    for directory in reversed(template_dirs):
        assets = directory / "assets"
        if assets.is_dir():
            for path in sorted(assets.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["assets/" + path.relative_to(assets).as_posix()] = path.read_bytes()
    return files


def _template_path(filename: str | None, name: str | None, template_dirs: list[Path]) -> str:
    if filename:
        path = Path(filename)
        for directory in template_dirs:
            try:
                return "templates/" + path.resolve().relative_to(directory.resolve()).as_posix()
            except ValueError:
                continue
        return path.name
    return f"templates/{name}" if name else "templates"


def _template_position(error: Exception, template_dirs: list[Path]) -> tuple[str, int | None]:
    """Find the innermost template frame of a runtime template error."""
    tb = error.__traceback__
    found = ("templates", None)
    while tb is not None:
        frame = tb.tb_frame
        filename = frame.f_code.co_filename
        if filename.endswith(".html") or filename.endswith(".xml") or filename.endswith(".txt"):
            template = frame.f_globals.get("__jinja_template__")
            line = template.get_corresponding_lineno(tb.tb_lineno) if template is not None else tb.tb_lineno
            found = (_template_path(filename, None, template_dirs), line)
        tb = tb.tb_next
    return found


def _plan_language(site: Site, r: LanguageRenderer, out: Output, mentions: Mentions) -> None:
    lang = r.lang
    langs = site.config.languages

    def home():
        items = [r.list_item(g) for g in site.briefings]
        info = r.page_info(lambda code: route(code), r.loc(site.config.title), langs, "home")
        return r.render("home.html", page=info, items=items, meta=r.metadata.home())

    def feed():
        items = [i for i in (r.list_item(g) for g in site.briefings) if i.translated]
        return r.render("feed.xml", items=items, updated=_feed_updated(items), feed_url=r.urls.absolute(f"{lang}/feed.xml"), home_url=r.urls.absolute(route(lang)))

    # The home page, the feed and the fact and topic pages list briefings, each item made once
    # per renderer (briefing_item): one process renders them all, not every process its own copies.
    lists = f"lists-{lang}"
    out.add(file_for(route(lang)), home, batch=lists)
    out.add(f"{lang}/feed.xml", feed, batch=lists)

    def briefing(group: DocumentGroup, doc: Document) -> str:
        r._timelines_shown = []
        body = r.body(doc)
        after = [site.timelines[doc.timeline]] if doc.timeline and doc.timeline not in r._timelines_shown else []
        shown = [site.timelines[t] for t in r._timelines_shown] + after
        info = r.page_info(lambda code: route(code, "briefings", group.slug), doc.title, group.languages, "briefings")
        topics = [site.entities[t] for t in doc.topics]
        sources = _sources_of(site, doc.mentions, shown)
        return r.placed(doc, r.render("briefing.html", page=info, doc=doc, group=group, body=body, timeline_after=after,
                                      topics=topics, sources=sources, meta=r.metadata.briefing(group, doc, sources)))

    for group in tuple.__iter__(site.briefings):  # the plan is not a page: its reading is no use
        doc = group.get(lang)
        if doc is not None:
            out.add(file_for(route(lang, "briefings", group.slug)), lambda g=group, d=doc: briefing(g, d), ("meta", group.kind, group.slug))

    def page(group: DocumentGroup, doc: Document) -> str:
        info = r.page_info(lambda code: route(code, "pages", group.slug), doc.title, group.languages, "pages")
        return r.placed(doc, r.render("page.html", page=info, doc=doc, body=r.body(doc), meta=r.metadata.page(group, doc)))

    for group in tuple.__iter__(site.pages):
        doc = group.get(lang)
        if doc is not None:
            out.add(file_for(route(lang, "pages", group.slug)), lambda g=group, d=doc: page(g, d), ("meta", group.kind, group.slug))

    def entity(entity_id: str) -> str:
        item = site.entities[entity_id]
        info = r.page_info(lambda code: route(code, item.kind, entity_id), r.loc(item.name), langs, item.kind)
        listed = [r.list_item(g) for g in mentions.briefings.get(entity_id, [])]
        template = "topic.html" if item.kind == "topics" else "entity.html"
        return r.render(template, page=info, item=item, items=listed, events=mentions.events.get(entity_id, []), sources=_sources_of(site, [entity_id], []),
                        meta=r.metadata.entity(item, [i.doc for i in listed]))

    for entity_id, item in sorted(dict.items(site.entities)):
        out.add(file_for(route(lang, item.kind, entity_id)), lambda e=entity_id: entity(e), batch=lists)

    def timeline(timeline_id: str) -> str:
        timeline = site.timelines[timeline_id]
        info = r.page_info(lambda code: route(code, "timelines", timeline_id), r.loc(timeline.title), langs, "timelines")
        return r.render("timeline.html", page=info, timeline=timeline, sources=_sources_of(site, [], [timeline]),
                        meta=r.metadata.timeline(timeline))

    for timeline_id in sorted(dict.keys(site.timelines)):
        out.add(file_for(route(lang, "timelines", timeline_id)), lambda t=timeline_id: timeline(t))


def _feed_updated(items: list[ListItem]) -> dt.datetime:
    moments = [i.doc.updated or i.doc.published for i in items]
    return max(moments) if moments else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _sitemap_entries(site: Site, renderers: dict[str, LanguageRenderer]):
    """(absolute url, lastmod or None, alternates) for every page of every language."""
    urls = next(iter(renderers.values())).urls
    langs = site.config.languages
    entries = []

    def add(route_for, available, lastmod=None):
        alternates = [(code, urls.absolute(route_for(code))) for code in langs if code in available]
        for code in langs:
            if code in available:
                entries.append((urls.absolute(route_for(code)), lastmod(code) if lastmod else None, alternates if len(alternates) > 1 else []))

    # A home page lists every briefing: it changed when the newest one did.
    # Fact pages get no lastmod: their YAML records carry no dates.
    newest = max(((d.updated or d.published) for g in site.briefings for _, d in g.translations), default=None)
    add(lambda c: route(c), langs, (lambda c: newest.date().isoformat()) if newest else None)
    for group in site.briefings:
        add(lambda c, g=group: route(c, "briefings", g.slug), group.languages,
            lambda c, g=group: (g.get(c).updated or g.get(c).published).date().isoformat())
    for group in site.pages:
        add(lambda c, g=group: route(c, "pages", g.slug), group.languages)
    for entity_id, item in sorted(site.entities.items()):
        add(lambda c, e=item: route(c, e.kind, e.id), langs)
    for timeline_id in sorted(site.timelines):
        add(lambda c, t=timeline_id: route(c, "timelines", t), langs)
    return entries
