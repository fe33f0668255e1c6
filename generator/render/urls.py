"""The URL scheme of the content format, in one place.

A *route* is a path relative to the site root ("en/briefings/x/"); its file
is the route plus ``index.html`` when it ends with a slash. Links in pages are
root-relative to base_url's path, so a site under a sub-path works unchanged.
"""

from __future__ import annotations

from ..content.model import SiteConfig

# Entity kinds and their folders in the URL scheme are the same words.
SECTIONS = ("briefings", "pages", "weapons", "people", "organizations", "topics", "timelines")


def route(lang: str, section: str | None = None, ident: str | None = None) -> str:
    if section is None:
        return f"{lang}/"
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    return f"{lang}/{section}/{ident}/"


def file_for(route_path: str) -> str:
    """The output file of a route."""
    return route_path + "index.html" if route_path.endswith("/") or route_path == "" else route_path


class Urls:
    def __init__(self, config: SiteConfig):
        self.base_path = config.base_path
        self.base_url = config.base_url

    def path(self, route_path: str) -> str:
        """Root-relative URL of a route, under base_url's path."""
        return self.base_path + route_path

    def absolute(self, route_path: str) -> str:
        return self.base_url + route_path
