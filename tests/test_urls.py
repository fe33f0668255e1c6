"""urls: the URL scheme of the content format, under base_url's path."""

from __future__ import annotations

import pytest

from generator.content.model import SiteConfig, Text
from generator.render.urls import Urls, file_for, route


def config(base_url: str, base_path: str) -> SiteConfig:
    return SiteConfig(Text.same("T", ("en", "ru")), base_url, base_path, ("en", "ru"), "UTC")


@pytest.mark.parametrize("args, expected", [
    (("en",), "en/"),
    (("ru", "briefings", "patrushev-tehran-visit"), "ru/briefings/patrushev-tehran-visit/"),
    (("en", "weapons", "fateh-110"), "en/weapons/fateh-110/"),
    (("en", "people", "nikolai-patrushev"), "en/people/nikolai-patrushev/"),
    (("en", "organizations", "isw"), "en/organizations/isw/"),
    (("en", "topics", "russia-iran"), "en/topics/russia-iran/"),
    (("en", "timelines", "russia-iran-arms"), "en/timelines/russia-iran-arms/"),
    (("ru", "pages", "about"), "ru/pages/about/"),
])
def test_routes(args, expected):
    assert route(*args) == expected


def test_unknown_section_is_a_bug_not_a_path():
    with pytest.raises(ValueError):
        route("en", "../etc", "x")


@pytest.mark.parametrize("route_path, file", [
    ("", "index.html"), ("en/", "en/index.html"), ("en/weapons/x/", "en/weapons/x/index.html"),
    ("en/feed.xml", "en/feed.xml"), ("sitemap.xml", "sitemap.xml"),
])
def test_file_for(route_path, file):
    assert file_for(route_path) == file


def test_links_are_root_relative_to_the_sub_path():
    urls = Urls(config("https://example.org/news/", "/news/"))
    assert urls.path("en/weapons/x/") == "/news/en/weapons/x/"
    assert urls.path("") == "/news/"
    assert urls.absolute("ru/feed.xml") == "https://example.org/news/ru/feed.xml"


def test_site_at_the_domain_root():
    urls = Urls(config("https://example.org/", "/"))
    assert urls.path("en/") == "/en/" and urls.absolute("") == "https://example.org/"
