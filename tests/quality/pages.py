"""Which built page stands for each page kind, for the browser tests."""

from __future__ import annotations

KINDS = ("home", "briefing", "weapon", "person", "organization", "topic", "timeline", "page", "data", "search")
SECTIONS = {"briefing": "briefings", "weapon": "weapons", "person": "people", "organization": "organizations",
            "topic": "topics", "timeline": "timelines", "page": "pages"}


def counterpart_route(site, kind: str, lang: str) -> str:
    """The route of a page of ``kind`` in ``lang`` that exists in every language."""
    if kind == "home":
        return f"{lang}/"
    if kind == "data":  # one page per language, the open data (generator/data)
        return f"{lang}/data/"
    if kind == "search":
        return f"{lang}/search/"
    section = SECTIONS[kind]
    idents = sorted(p.parent.name for p in (site.folder / lang / section).glob("*/index.html"))
    for ident in idents:
        if all((site.folder / code / section / ident / "index.html").is_file() for code in site.languages):
            return f"{lang}/{section}/{ident}/"
    raise AssertionError(f"{site.name}: no {kind} page exists in every language")


def kind_of(route: str) -> str:
    """The page kind of a route: home, briefing, ..., chooser or 404."""
    if route == "":
        return "chooser"
    if route == "404.html":
        return "404"
    parts = route.strip("/").split("/")
    if len(parts) == 1:
        return "home"
    if parts[1:] == ["data"]:
        return "data"
    if parts[1:] == ["search"]:
        return "search"
    return {section: kind for kind, section in SECTIONS.items()}[parts[1]]
