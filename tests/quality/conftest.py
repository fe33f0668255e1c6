"""Fixtures for the output quality gates: built sites served over http.

Each built site (the sample content and the fixture ``basic``) is served by a
small threaded ``http.server`` on 127.0.0.1 under the path of its
``base_url`` (``/news/`` for the fixture), so root-relative links are
followed exactly as a browser on the published site would follow them.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from browser_launch import launch_chromium

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SITES = {"sample": ROOT / "content", "basic": FIXTURES / "basic" / "content"}
ARTIFACTS = ROOT / "test-artifacts"


@dataclass(frozen=True)
class ServedSite:
    """A built site and where it is served: ``origin + base_path + route``."""

    name: str
    folder: Path
    base_url: str  # as published, e.g. https://example.org/news/
    base_path: str  # e.g. /news/
    languages: tuple[str, ...]
    origin: str  # e.g. http://127.0.0.1:40123

    def url(self, route: str = "") -> str:
        """The local URL of a route such as ``en/briefings/x/``."""
        return self.origin + self.base_path + route

    def pages(self) -> list[str]:
        """Routes of every HTML page in the build (``404.html`` included)."""
        routes = []
        for file in sorted(self.folder.rglob("*.html")):
            rel = file.relative_to(self.folder).as_posix()
            routes.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        return routes

    def local(self, public_url: str) -> str:
        """Map a published absolute URL (on base_url) to the local server."""
        assert public_url.startswith(self.base_url), public_url
        return self.url(public_url[len(self.base_url):])


class _Handler(SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``prefix`` only; anything else is a 404."""

    prefix = "/"

    def send_head(self):
        if not urlsplit(self.path).path.startswith(self.prefix):
            self.send_error(404, "outside the site's base path")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path[len(self.prefix):])

    def log_message(self, format, *args):  # keep test output clean
        pass


def serve(folder: Path, prefix: str):
    handler = type("SiteHandler", (_Handler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def served_sites(request) -> dict[str, ServedSite]:
    """Both sites, built once and served for the whole session."""
    servers, sites = [], {}
    for name, content in SITES.items():
        folder = request.getfixturevalue(f"{name}_site")
        settings = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
        base_url = settings["base_url"]
        base_path = urlsplit(base_url).path or "/"
        server = serve(folder, base_path)
        servers.append(server)
        host, port = server.server_address[:2]
        sites[name] = ServedSite(name, folder, base_url, base_path, tuple(settings["languages"]), f"http://{host}:{port}")
    yield sites
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session", params=sorted(SITES))
def site(request, served_sites) -> ServedSite:
    """Each served site in turn."""
    return served_sites[request.param]


@pytest.fixture
def page(browser_context):
    """A fresh tab in the shared Chromium."""
    tab = browser_context.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def nojs_context(playwright, tmp_path_factory):
    """A second Chromium with JavaScript disabled."""
    context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-nojs"), java_script_enabled=False)
    yield context
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/`` at the repository root (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
