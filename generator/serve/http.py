"""HTTP side of ``briefing serve``: a tornado application of livereload's handlers and our file handler.

livereload supplies the reloading: its ``/livereload`` websocket handler
(protocol, handshake, the set of open pages) and its own copy of
``livereload.js`` served from ``/livereload.js``. What it serves is ours:
:class:`SiteHandler` answers every other path from the preview's current
build folder, under base_url's path, and refuses anything that would resolve
outside that folder. While the last build failed, HTML responses carry the
build errors over the last good page. The search index of the preview is not
in the build folder but in a folder of its own, kept up to date in the
background (``search/preview.py``): ``<lang>/pagefind/...`` is served from
there.

A reload sent while a page is between its unload and its new websocket
reaches no one. So every HTML page carries the number of the build it was
served from, as a livereload.js plugin (livereload.js sends each plugin's
``analyze()`` to the server when it connects), and :class:`BuildReloadHandler`
reloads at once a page that connects showing any build but the newest.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import livereload.watcher
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web

# Text types get an explicit charset: every file the generator writes is UTF-8.
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
}
_LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_HEAD_END = b"</head>"
_PLUGIN = "briefing-build"
# Put before </head> of every HTML response: the build plugin (livereload.js
# adds every window.LiveReloadPlugin* when it loads), then livereload's own
# loader for livereload.js, as livereload.Server writes it.
_LIVE_SCRIPT = (
    '<script>(function(){'
    'var B=function(){};B.identifier="' + _PLUGIN + '";B.version="1";'
    'B.prototype.analyze=function(){return{build:%s};};'
    # The search index is updated after the pages (generator/search/preview.py): its
    # reload (a path ending in /pagefind/) is for search pages, and ignored elsewhere.
    'B.prototype.reload=function(p){return /\\/pagefind\\/$/.test(p)&&!document.querySelector("[data-search]");};'
    'window.LiveReloadPluginBriefingBuild=B;'
    'var s=document.createElement("script");'
    'var port=(window.location.port||(window.location.protocol=="https:"?443:80));'
    's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    'document.head.appendChild(s);'
    '})();</script>'
)


@dataclass(frozen=True)
class Snapshot:
    """What the preview serves right now; replaced whole after every build."""

    root: Path  # the build folder
    base_path: str | None  # "/news/"; None until a build has succeeded
    errors: tuple[str, ...] = ()  # the last build's problems as the CLI prints them
    build: int = 0  # counts the builds published, good or failed
    # The builds from this one on serve the same pages but for a stylesheet,
    # swapped into open pages in place: a page of such a build needs the
    # stylesheet, not a reload (see PreviewServer.catch_up).
    pages_from: int = 0
    stylesheet: str = ""  # the path sent for that swap

    @property
    def has_site(self) -> bool:
        return self.base_path is not None


def content_type(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def resolve(root: Path, rel: str) -> Path | None:
    """The file or folder ``rel`` names inside ``root``, or None if it is outside.

    ``rel`` is already percent-decoded. Symlinks are followed before the check,
    so a link inside the build that points out of it is refused too.
    """
    if "\x00" in rel or "\\" in rel or any(part in ("..", ".") for part in rel.split("/")):
        return None
    real_root = os.path.realpath(root)
    candidate = os.path.realpath(os.path.join(real_root, rel.lstrip("/")))
    if os.path.commonpath([real_root, candidate]) != real_root:
        return None
    return Path(candidate)


def error_overlay(errors: tuple[str, ...], has_site: bool) -> bytes:
    """The build errors as a readable block fixed over the top of the page."""
    lead = ("The page below is the last good build. Fix the file and save: the page reloads by itself."
            if has_site else "Nothing could be built yet. Fix the file and save: the page reloads by itself.")
    # One problem per item, continuation lines indented, so that long messages stay apart.
    items = "".join(f'<li style="margin:0 0 .4rem;padding-left:2ch;text-indent:-2ch">{html.escape(line)}</li>'
                    for line in errors)
    return (
        '<div id="briefing-build-error" role="alert" lang="en" dir="ltr" style="position:fixed;z-index:2147483647;'
        "top:0;left:0;right:0;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.25rem;box-sizing:border-box;"
        "background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #b00020;box-shadow:0 2px 12px rgba(0,0,0,.35);"
        'font:16px/1.45 system-ui,sans-serif;text-align:left">'
        f'<p style="margin:0 0 .5rem;font-weight:bold;color:#b00020">Build failed: {len(errors)} '
        f'error{"s" if len(errors) != 1 else ""}</p>'
        f'<p style="margin:0 0 .75rem">{lead}</p>'
        '<ul style="margin:0;padding:0;list-style:none;white-space:pre-wrap;overflow-wrap:anywhere;'
        f'font:15px/1.5 ui-monospace,monospace">{items}</ul></div>'
    ).encode("utf-8")


def with_overlay(page: bytes, overlay: bytes) -> bytes:
    match = _BODY_OPEN.search(page)
    at = match.end() if match else 0
    return page[:at] + overlay + page[at:]


def error_page(errors: tuple[str, ...]) -> bytes:
    """Served in place of the site while no build has succeeded yet."""
    head = b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Build failed</title>\n</head>\n<body>\n'
    return head + error_overlay(errors, has_site=False) + b"\n</body>\n</html>\n"


class SiteHandler(web.RequestHandler):
    """GET/HEAD of the built site; everything else is livereload's."""

    def initialize(self, snapshot: Callable[[], Snapshot], stamp: Callable[[Snapshot], str], wait_for_build,
                   loopback_only: bool, search: Path | None = None) -> None:
        self._search = search  # the folder of the preview's search index, if any
        self._snapshot = snapshot
        self._stamp = stamp
        self._wait_for_build = wait_for_build
        self._loopback_only = loopback_only

    def prepare(self) -> None:
        # A page elsewhere on the web must not read the preview through a
        # DNS name that resolves to 127.0.0.1 (DNS rebinding).
        if self._loopback_only and _host_name(self.request.host) not in _LOOPBACK_NAMES:
            raise web.HTTPError(403)

    def set_default_headers(self) -> None:
        # A preview must always show the latest build, never a cached one.
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    async def head(self, path: str) -> None:
        await self.get(path)

    async def get(self, path: str) -> None:
        snap = self._snapshot()
        if not snap.has_site:
            await self._wait_for_build()  # the first build may still be running
            snap = self._snapshot()
        if not snap.has_site:
            self._send(error_page(snap.errors), _TYPES[".html"], status=500, snap=snap)
            return
        base = unquote(snap.base_path)
        if path == "/" or path + "/" == base:
            self.redirect(snap.base_path)
            return
        if not path.startswith(base):
            self._not_found(snap)
            return
        if self._search is not None and _is_search_file(path[len(base):]):
            target = resolve(self._search, path[len(base):])
            if target is None or not target.is_file():
                self._not_found(snap)
            else:
                self._send_file(snap, target)
            return
        target = resolve(snap.root, path[len(base):])
        if target is not None and not target.exists():
            # The build may be swapping folders this very moment: ask again after it.
            await self._wait_for_build()
            snap = self._snapshot()
            target = resolve(snap.root, path[len(base):])
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                self.redirect(self.request.path + "/")
                return
            target = target / "index.html"
        if target is None or not target.is_file():
            self._not_found(snap)
            return
        self._send_file(snap, target)

    def _not_found(self, snap: Snapshot) -> None:
        page = resolve(snap.root, "404.html")
        if page is not None and page.is_file():
            self._send_file(snap, page, status=404)
        else:
            self._send(b"404: Not Found\n", _TYPES[".txt"], status=404, snap=snap)

    def _send_file(self, snap: Snapshot, target: Path, status: int = 200) -> None:
        data = target.read_bytes()
        kind = content_type(target.name)
        if snap.errors and kind.startswith("text/html"):
            data = with_overlay(data, error_overlay(snap.errors, has_site=True))
        self._send(data, kind, status, snap)

    def _send(self, data: bytes, kind: str, status: int, snap: Snapshot) -> None:
        if kind.startswith("text/html") and _HEAD_END in data:
            # The build number is the one read before the page's file: the
            # page is never older than it says, so a page that says it is the
            # newest build is.
            script = _LIVE_SCRIPT % json.dumps(self._stamp(snap))
            data = data.replace(_HEAD_END, script.encode("utf-8") + _HEAD_END, 1)
        self.set_status(status)
        self.set_header("Content-Type", kind)
        if self.request.method == "HEAD":
            self.set_header("Content-Length", len(data))
            self.finish()
        else:
            self.finish(data)


def _is_search_file(rel: str) -> bool:
    """A file of a language's search index: ``<lang>/pagefind/...``."""
    parts = rel.split("/")
    return len(parts) > 2 and parts[1] == "pagefind"


def _host_name(host: str) -> str:
    if host.startswith("["):  # [::1]:8000
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class BuildReloadHandler(LiveReloadHandler):
    """livereload's websocket; a page that connects showing an older build is brought up to date at once."""

    def initialize(self, catch_up: Callable[[object], "str | None"]) -> None:
        self._catch_up = catch_up

    def on_message(self, message) -> None:
        super().on_message(message)  # the handshake; "info" adds the page to those reloaded
        data = json.loads(message)
        plugins = data.get("plugins") if isinstance(data, dict) and data.get("command") == "info" else None
        seen = plugins.get(_PLUGIN) if isinstance(plugins, dict) else None
        path = self._catch_up(seen["build"]) if isinstance(seen, dict) and "build" in seen else None
        if path is not None:
            # Checked in the same step of the event loop that added the page:
            # a build published before it is caught here, any later one reloads it.
            self.send_message({"command": "reload", "path": path, "liveCSS": True, "liveImg": True})


class PreviewServer:
    """A tornado application of livereload's handlers (ours for the websocket) and :class:`SiteHandler`."""

    def __init__(self, snapshot: Callable[[], Snapshot], wait_for_build, loopback_only: bool, search: Path | None = None):
        """``search``: the folder of the preview's search index (``<lang>/pagefind/...``)."""
        self._snapshot = snapshot
        # Told apart from the builds of an earlier run: a page left open across
        # a restart reconnects to this one and is reloaded.
        self._run = secrets.token_hex(4)
        self._handler_args = {"snapshot": snapshot, "stamp": self.stamp, "wait_for_build": wait_for_build,
                              "loopback_only": loopback_only, "search": search}

    def stamp(self, snap: Snapshot | None = None) -> str:
        """Which build ``snap`` (default: the current one) is, as the pages carry it."""
        return f"{self._run}.{(snap or self._snapshot()).build}"

    def catch_up(self, seen) -> str | None:
        """What a page showing build ``seen`` must reload: None if it is the newest build,
        the stylesheet if only that changed since (it may have missed the swap), else "/"."""
        snap = self._snapshot()
        if seen == self.stamp(snap):
            return None
        run, _, number = str(seen).partition(".")
        if run == self._run and number.isdigit() and snap.stylesheet and snap.pages_from <= int(number) < snap.build:
            return snap.stylesheet
        return "/"

    def listen(self, port: int, host: str) -> None:
        """Start serving on the running IOLoop (raises OSError if the port is taken)."""
        # livereload.Server.application() would fix the websocket handler to its own;
        # these two class settings are what it would make for reload_waiters().
        # The base watcher is never started: files are watched with watchfiles
        # by the caller, which then tells the browsers itself (reload()).
        LiveReloadHandler.watcher = livereload.watcher.Watcher()
        LiveReloadHandler.live_css = True
        app = web.Application([
            (r"/livereload", BuildReloadHandler, {"catch_up": self.catch_up}),
            (r"/livereload.js", LiveReloadJSHandler),
            (r"(/.*)", SiteHandler, self._handler_args),
        ])
        app.listen(port, address=host)

    @staticmethod
    def reload(path: str) -> None:
        """Tell every open page to reload (livereload protocol)."""
        LiveReloadHandler.reload_waiters(path)
