"""``briefing serve``: the real server in a subprocess, driven over HTTP and in Chromium.

Every test copies the fixture site ``basic`` (base_url path ``/news/``) into a
temporary folder, starts ``python3 -m generator serve`` on a free port with
TMPDIR pointed into the test's own folder (so its build folder can be found
and checked), and stops it with SIGINT.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest

from browser_launch import launch_chromium
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # servers, Chromium

ARTICLE = "news/en/briefings/bilingual/"
START_TIMEOUT = 60
BROWSER_TIMEOUT_MS = 20_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running ``briefing serve`` over a copy of a fixture site."""

    def __init__(self, tmp: Path, with_templates: bool = False, prepare=None):
        self.root = tmp / "root"
        # Without what a manual build of the fixture may have left there (its cache, its output).
        shutil.copytree(FIXTURES / "basic", self.root, ignore=shutil.ignore_patterns(".cache", "site"))
        if prepare is not None:
            prepare(self.root)
        if with_templates:  # the site's own templates and locales, which the build then uses
            shutil.copytree(ROOT / "templates", self.root / "templates")
            shutil.copytree(ROOT / "locales", self.root / "locales")
        # A published site beside the content: the preview must never touch it.
        (self.root / "site").mkdir()
        (self.root / "site" / "index.html").write_text("published, not a preview\n", encoding="utf-8")
        self.initial_names = sorted(p.name for p in self.root.iterdir())
        self.tmpdir = tmp / "tmpdir"
        self.tmpdir.mkdir()
        self.port = free_port()
        self.stdout_path, self.stderr_path = tmp / "stdout.txt", tmp / "stderr.txt"
        env = dict(os.environ, TMPDIR=str(self.tmpdir), PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        with open(self.stdout_path, "w") as out, open(self.stderr_path, "w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "generator", "serve", "--port", str(self.port), "--content", str(self.root / "content")],
                cwd=self.root, env=env, stdout=out, stderr=err)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "") -> str:
        return self.base + path

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"serve exited with {self.proc.returncode}:\n{self.stderr()}")
            if "serving http://" in self.stdout():
                return
            time.sleep(0.05)
        pytest.fail(f"serve did not start:\n{self.stdout()}\n{self.stderr()}")

    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8")

    def build_dirs(self) -> list[Path]:
        return sorted(self.tmpdir.glob("briefing-serve-*"))

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                pytest.fail("serve did not stop on SIGINT")
        return self.proc.returncode


def get(served: Served, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """A raw GET: the path is sent exactly as given (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path)
    server.wait_ready()
    yield server
    server.stop()


@pytest.fixture
def served_with_templates(tmp_path):
    """A running preview of a site with its own templates and locales (which the tests edit)."""
    server = Served(tmp_path, with_templates=True)
    try:
        server.wait_ready()
        yield server
    finally:
        assert server.stop() == 0


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One server for the read-only HTTP tests."""
    server = Served(tmp_path_factory.mktemp("serve-http"))
    server.wait_ready()
    yield server
    server.stop()


@pytest.fixture
def browser(playwright, tmp_path):
    # The session's Playwright driver (tests/conftest.py): the sync API allows
    # one per thread. A fresh Chromium profile for each test all the same.
    context = launch_chromium(playwright, tmp_path / "chromium-profile")
    try:
        yield context
    finally:
        context.close()


def cli_errors(root: Path) -> list[str]:
    """The problems ``briefing check`` prints for the same content."""
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(root / "content")],
                          cwd=root, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    return [line for line in proc.stderr.splitlines() if re.match(r"\S+:\d+: ", line) and "warning:" not in line]


def body_text(page) -> str:
    return page.evaluate("document.body.innerText")


def wait_connected(page) -> None:
    """livereload.js has done its handshake with the server's websocket."""
    page.wait_for_function("() => window.LiveReload !== undefined && window.LiveReload.connector.protocol > 0",
                           timeout=BROWSER_TIMEOUT_MS)


def wait_text(page, text: str, present: bool = True) -> None:
    """The reloaded page shows (or no longer shows) ``text``, and listens for the next reload.

    A reload sent before the new page's livereload.js has connected reaches
    no one: a test saves again only once it has.
    """
    page.wait_for_function("([t, want]) => document.body !== null && document.body.innerText.includes(t) === want",
                           arg=[text, present], timeout=BROWSER_TIMEOUT_MS)
    wait_connected(page)


# --- the browser: a save shows up by itself ---------------------------------------------


def test_save_reloads_the_open_page(served, browser):
    page = browser.new_page()
    requests, sockets = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(served.url(ARTICLE))
    assert "Drone-X deliveries" in page.title()
    # livereload.js is connected (its handshake is done) before we save
    wait_connected(page)

    served.edit("content/briefings/bilingual/en.md", "had arrived.", "had arrived. Saved while the preview was open.")
    wait_text(page, "Saved while the preview was open.")
    assert "Drone-X deliveries" in page.title()

    # Nothing left the machine: the page, livereload.js and its websocket are all local.
    assert any(u.startswith(served.url("livereload.js")) for u in requests)
    assert requests and all(u.startswith(served.base) for u in requests), requests
    assert sockets and all(u == f"ws://127.0.0.1:{served.port}/livereload" for u in sockets), sockets


def test_broken_save_shows_the_error_over_the_last_good_page_then_recovers(served, browser):
    page = browser.new_page()
    page.goto(served.url(ARTICLE))
    wait_connected(page)

    served.edit("content/briefings/bilingual/en.md", "[[test-person]] said", "[[no-such-person]] said")
    expected = cli_errors(served.root)
    assert any(line.startswith("content/briefings/bilingual/en.md:") and "no-such-person" in line for line in expected)
    page.wait_for_selector("#briefing-build-error", timeout=BROWSER_TIMEOUT_MS)
    wait_connected(page)
    overlay = page.inner_text("#briefing-build-error")
    for line in expected:
        assert line in overlay
    # The last good build is still there, under the message.
    assert "Drone-X deliveries" in body_text(page)
    assert page.is_visible("#briefing-build-error")
    # ... and the terminal says the same.
    deadline = time.monotonic() + 10
    while not all(line in served.stderr() for line in expected) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(line in served.stderr() for line in expected), served.stderr()
    assert "still serving the last good build" in served.stderr()

    served.edit("content/briefings/bilingual/en.md", "[[no-such-person]] said", "[[test-person]] told reporters")
    wait_text(page, "told reporters")
    assert page.query_selector("#briefing-build-error") is None


def test_template_and_locale_edits_reload(served_with_templates, browser):
    server = served_with_templates
    page = browser.new_page()
    page.goto(server.url("news/ru/briefings/bilingual/"))
    wait_connected(page)
    assert "Лента Atom" in body_text(page)

    server.edit("locales/ru/LC_MESSAGES/messages.po", 'msgstr "Лента Atom"', 'msgstr "Новости в формате Atom"')
    wait_text(page, "Новости в формате Atom")

    server.edit("templates/base.html", '<footer class="site-footer">', '<footer class="site-footer"><p>Предпросмотр</p>')
    wait_text(page, "Предпросмотр")


# --- HTTP -------------------------------------------------------------------------------


def test_root_redirects_to_the_base_path(shared):
    status, headers, _ = get(shared, "/")
    assert status in (301, 302) and headers["location"] == "/news/"
    status, headers, _ = get(shared, "/news")
    assert status in (301, 302) and headers["location"] == "/news/"
    status, headers, _ = get(shared, "/news/en")
    assert status in (301, 302) and headers["location"] == "/news/en/"
    status, _, body = get(shared, "/news/")
    assert status == 200 and b'hreflang="x-default"' in body


@pytest.mark.parametrize("path", ["/news/en/", "/news/en/feed.xml", "/news/sitemap.xml", "/news/404.html"])
def test_html_and_xml_declare_utf8(shared, path):
    status, headers, _ = get(shared, path)
    assert status == 200
    assert headers["content-type"].replace(" ", "").lower().endswith("charset=utf-8"), headers["content-type"]
    kind = headers["content-type"].split(";")[0]
    assert kind == ("text/html" if path.endswith(".html") or path.endswith("/") else "application/xml")


def test_unknown_paths_get_the_sites_404_page(shared, basic_site):
    not_found = (basic_site / "404.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", not_found).group(1)
    for path in ["/news/en/briefings/no-such-briefing/", "/news/nothing.html", "/elsewhere/", "/newsroom/"]:
        status, headers, body = get(shared, path)
        assert status == 404, path
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert f"<title>{title}</title>" in body.decode("utf-8")


@pytest.mark.parametrize("path", [
    "/news/../../../../etc/passwd",
    "/news/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/news/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/news/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/news/%2fetc%2fpasswd",
    "/news//etc/passwd",
    "/news/..%5c..%5c..%5cetc%5cpasswd",
    "/news/en/%00/index.html",
    "/../news/en/",
])
def test_no_path_leaves_the_build_folder(shared, path):
    status, _, body = get(shared, path)
    assert status == 404, path
    assert b"root:" not in body


def test_symlinks_out_of_the_build_are_refused(shared, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret outside the site\n", encoding="utf-8")
    (build_dir,) = shared.build_dirs()
    site = build_dir / "site"
    assert (site / "en" / "index.html").is_file()
    (site / "leak.txt").symlink_to(secret)
    (site / "outside").symlink_to(tmp_path, target_is_directory=True)
    (site / "inside").symlink_to(site / "en", target_is_directory=True)
    try:
        for path in ["/news/leak.txt", "/news/outside/secret.txt", "/news/outside/"]:
            status, _, body = get(shared, path)
            assert status == 404, path
            assert b"the secret" not in body
        # A link that stays inside the build is just another name for a page.
        status, _, body = get(shared, "/news/inside/")
        assert status == 200 and body == get(shared, "/news/en/")[2]
    finally:
        for name in ("leak.txt", "outside", "inside"):
            (site / name).unlink()


def test_other_host_names_are_refused_on_loopback(shared):
    # A DNS name rebound to 127.0.0.1 must not let a web page read the preview.
    status, _, body = get(shared, "/news/en/", headers={"Host": f"attacker.example:{shared.port}"})
    assert status == 403 and b"Drone-X" not in body
    assert get(shared, "/news/en/", headers={"Host": f"localhost:{shared.port}"})[0] == 200


def test_hundreds_of_concurrent_requests(shared):
    paths = ["/news/en/", "/news/ru/", "/news/en/feed.xml", "/news/en/briefings/bilingual/", "/news/missing/"]
    expected = {p: get(shared, p)[0] for p in paths}

    async def one(i: int) -> tuple[str, int]:
        path = paths[i % len(paths)]
        reader, writer = await asyncio.open_connection("127.0.0.1", shared.port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{shared.port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        data = await reader.read()
        writer.close()
        return path, int(data.split(b" ", 2)[1])

    async def all_at_once():
        return await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(400))), timeout=120)

    # In a thread of its own: the session's Playwright driver keeps an event
    # loop running in this one, and asyncio.run refuses to nest.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, all_at_once()).result()
    assert len(results) == 400
    assert all(status == expected[path] for path, status in results)
    assert shared.proc.poll() is None


def test_first_build_broken_shows_the_error_until_fixed(tmp_path):
    def break_it(root: Path) -> None:
        (root / "content/briefings/bilingual/en.md").write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")

    server = Served(tmp_path, prepare=break_it)
    try:
        server.wait_ready()
        expected = cli_errors(server.root)
        assert expected
        status, headers, body = get(server, "/anything/")
        assert status == 500 and headers["content-type"] == "text/html; charset=utf-8"
        overlay = lxml.html.fromstring(body).get_element_by_id("briefing-build-error").text_content()
        for line in expected:
            assert line in overlay
        shutil.copy(FIXTURES / "basic/content/briefings/bilingual/en.md", server.root / "content/briefings/bilingual/en.md")
        deadline = time.monotonic() + 20
        while get(server, "/")[0] == 500 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert get(server, "/")[1].get("location") == "/news/"
        assert get(server, "/news/en/")[0] == 200
    finally:
        assert server.stop() == 0


def test_sigint_stops_cleanly_and_removes_the_build_folder(served):
    (build_dir,) = served.build_dirs()
    assert (build_dir / "site" / "en" / "index.html").is_file()
    assert served.stop() == 0
    assert served.build_dirs() == []
    assert "stopped" in served.stdout()
    assert "Traceback" not in served.stderr()
    # The published site/ beside the content was never touched, and none appeared elsewhere.
    assert sorted(p.name for p in (served.root / "site").iterdir()) == ["index.html"]
    assert (served.root / "site" / "index.html").read_text(encoding="utf-8") == "published, not a preview\n"
    # Nor did any other output appear beside content/ (a build's hidden cache folder would be its own business).
    assert sorted(p.name for p in served.root.iterdir() if not p.name.startswith(".")) == served.initial_names


def wait_for(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_content_folder_replaced_is_watched_again(served, tmp_path):
    # A checkout can remove the content folder and write a new one in its place.
    content = served.root / "content"
    away = tmp_path / "away"
    shutil.move(content, away)
    assert wait_for(lambda: b"content folder not found" in get(served, "/news/en/")[2])
    assert get(served, "/news/en/")[0] == 200  # the last good build, under the message
    page = away / "briefings" / "bilingual" / "en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("had arrived.", "had arrived after the checkout."), encoding="utf-8")
    shutil.move(away, content)

    def rebuilt() -> bool:
        # The new files land on disk a moment before the problems are cleared: wait for both.
        body = get(served, "/news/en/briefings/bilingual/")[2]
        return b"after the checkout" in body and b"briefing-build-error" not in body

    assert wait_for(rebuilt)
    # ... and later saves are seen too.
    served.edit("content/briefings/bilingual/en.md", "after the checkout", "after the second save")
    assert wait_for(lambda: b"after the second save" in get(served, "/news/en/briefings/bilingual/")[2])


def test_content_folder_swapped_at_once_is_watched_again(served, tmp_path):
    # No moment without a content folder: the old one moved aside and a new copy
    # in its place in one go, before the preview has seen either change.
    content = served.root / "content"
    fresh = tmp_path / "fresh"
    shutil.copytree(content, fresh)
    page = fresh / "briefings" / "bilingual" / "en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("had arrived.", "had arrived in the swap."), encoding="utf-8")
    os.rename(content, tmp_path / "old")
    os.rename(fresh, content)
    assert wait_for(lambda: b"in the swap" in get(served, "/news/en/briefings/bilingual/")[2])
    # The new folder is the one watched: a save in it is seen.
    served.edit("content/briefings/bilingual/en.md", "in the swap", "after the swap")
    assert wait_for(lambda: b"after the swap" in get(served, "/news/en/briefings/bilingual/")[2])


def test_templates_and_locales_folders_made_while_serving_are_watched(served, browser):
    page = browser.new_page()
    page.goto(served.url("news/ru/briefings/bilingual/"))
    wait_connected(page)
    assert "Лента Atom" in body_text(page) and "Предпросмотр" not in body_text(page)

    # The site's own templates/ made while the preview runs, then an override
    # of one template saved into it: the new folder is watched.
    page.evaluate("window.beforeTemplates = true")
    templates = served.root / "templates"
    templates.mkdir()
    assert wait_for(lambda: "watching content/, templates/" in served.stdout())
    # The empty folder's build reloads the page; the save comes after that
    # (a reload sent while a page is still loading would reach no one).
    page.wait_for_function("() => window.beforeTemplates === undefined", timeout=BROWSER_TIMEOUT_MS)
    wait_connected(page)
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert '<footer class="site-footer">' in base
    (templates / "base.html").write_text(
        base.replace('<footer class="site-footer">', '<footer class="site-footer"><p>Предпросмотр</p>'), encoding="utf-8")
    wait_text(page, "Предпросмотр")
    served.edit("templates/base.html", "<p>Предпросмотр</p>", "<p>Предпросмотр, вторая правка</p>")
    wait_text(page, "Предпросмотр, вторая правка")

    # locales/ put in place whole (one rename), with one Russian string of its own.
    staged = served.root.parent / "locales-draft"
    shutil.copytree(ROOT / "locales", staged)
    po = staged / "ru" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Лента Atom"', 'msgstr "Новости в формате Atom"'),
                  encoding="utf-8")
    os.rename(staged, served.root / "locales")
    wait_text(page, "Новости в формате Atom")
    assert "Предпросмотр, вторая правка" in body_text(page)

    # Removed again: the default templates are back.
    shutil.rmtree(templates)
    wait_text(page, "Предпросмотр", present=False)
    assert "Новости в формате Atom" in body_text(page)
    assert "Traceback" not in served.stderr()


def test_a_taken_port_is_a_message_not_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "generator", "serve", "--port", str(port),
                               "--content", str(FIXTURES / "basic" / "content")],
                              cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path)),
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # its temporary folder is gone too


@pytest.mark.parametrize("when", ["start", "running"])
def test_a_watch_that_fails_is_started_again(tmp_path, monkeypatch, when):
    # In process: the first watch is refused by the system as it starts (a folder
    # vanished, no inotify instance left), or fails while it runs (watchfiles
    # raises the watcher's error inside anyio's ExceptionGroup); the preview says
    # so and watches again, never going deaf.
    import io

    from watchfiles._rust_notify import WatchfilesRustInternalError

    from generator.serve import server as serve

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    starts = []
    failure = {"start": OSError(24, "Too many open files"),
               "running": ExceptionGroup("unhandled errors in a TaskGroup",
                                         [WatchfilesRustInternalError("error in underlying watcher: IO error")])}[when]

    def awatch(*dirs, stop_event, **options):
        starts.append(dirs)
        if len(starts) == 1 and when == "start":
            raise failure

        async def batches():
            if len(starts) == 1:
                raise failure
            yield {("modified", str(content / "site.yaml"))}
            await stop_event.wait()
        return batches()

    monkeypatch.setattr(serve.watchfiles, "awatch", awatch)
    err = io.StringIO()
    preview = serve.Preview(content, tmp_path / "work", out=io.StringIO(), err=err)

    async def scenario():
        stop = asyncio.Event()
        task = asyncio.create_task(preview.watch(stop))
        await asyncio.wait_for(preview._dirty.wait(), timeout=10)
        stop.set()
        await asyncio.wait_for(task, timeout=10)

    try:
        # In a thread of its own: the session's Playwright driver may hold this thread's loop.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, scenario()).result()
    finally:
        preview.close()
    assert len(starts) == 2
    reason = "[Errno 24] Too many open files" if when == "start" else "error in underlying watcher: IO error"
    assert f"watching stopped ({reason}); watching again" in err.getvalue()
    assert "content/site.yaml" in preview._changed or "content/" in preview._changed


def test_a_build_that_lands_while_the_page_reloads_is_not_missed(served, browser):
    # The first save's reload is held between the new page's arrival and its
    # websocket (its livereload.js is held back); the second save's build
    # lands meanwhile, and its reload reaches no open page. The page must
    # still end on the newest build.
    page = browser.new_page()
    page.goto(served.url(ARTICLE))
    wait_connected(page)
    held = []
    page.route("**/livereload.js*", lambda route: held.append(route))

    served.edit("content/briefings/bilingual/en.md", "had arrived.", "had arrived. First save.")
    page.wait_for_function("() => document.body !== null && document.body.innerText.includes('First save.')",
                           timeout=BROWSER_TIMEOUT_MS)
    assert page.evaluate("window.LiveReload === undefined")  # this page is not connected yet
    # Playwright calls the route handler while this thread waits in a Playwright call.
    deadline = time.monotonic() + BROWSER_TIMEOUT_MS / 1000
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert held

    built = served.stdout().count("built in ")
    served.edit("content/briefings/bilingual/en.md", "First save.", "Second save.")
    # The second build is published (and its reload sent, to no one) before the page connects.
    assert wait_for(lambda: served.stdout().count("built in ") > built)
    assert "Second save." in get(served, "/" + ARTICLE)[2].decode("utf-8")
    assert "First save." in body_text(page)

    for route in held:
        route.continue_()
    page.unroute("**/livereload.js*")
    wait_text(page, "Second save.")
    assert "First save." not in body_text(page)
    # Connected on the newest build, the page is left alone.
    page.evaluate("window.settled = true")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.settled") is True


def test_a_page_whose_stylesheet_was_swapped_is_not_reloaded_when_it_reconnects(served_with_templates, browser):
    # A stylesheet edit is swapped into the open page in place (it keeps its
    # scroll and state). Its HTML carries the build it was served from, now an
    # older one: when its websocket connects again it must get the stylesheet
    # again, not a reload of the whole page.
    server = served_with_templates
    page = browser.new_page()
    page.goto(server.url(ARTICLE))
    wait_connected(page)
    page.evaluate("window.kept = 'the page was not reloaded'")
    with open(server.root / "templates" / "assets" / "style.css", "a", encoding="utf-8") as css:
        css.write("\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
    page.wait_for_function("() => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'",
                           timeout=BROWSER_TIMEOUT_MS)
    assert page.evaluate("window.kept") == "the page was not reloaded"

    page.evaluate("window.LiveReload.connector.socket.close()")  # as when a laptop wakes up
    page.wait_for_function("() => window.LiveReload.connector.protocol === 0", timeout=BROWSER_TIMEOUT_MS)
    wait_connected(page)
    page.wait_for_timeout(1000)  # time for a reload, had one been sent
    assert page.evaluate("window.kept") == "the page was not reloaded"
    assert page.evaluate("getComputedStyle(document.body).outlineColor") == "rgb(1, 2, 3)"

    # Any other edit after it reloads the page as before.
    server.edit("content/briefings/bilingual/en.md", "had arrived.", "had arrived. After the stylesheet.")
    wait_text(page, "After the stylesheet.")
    assert page.evaluate("window.kept") is None


def test_what_a_page_of_an_older_build_must_reload():
    from generator.serve.http import PreviewServer, Snapshot
    snap = Snapshot(Path("/nowhere"), "/news/", (), build=7, pages_from=5, stylesheet="/site/templates/assets/style.css")
    server = PreviewServer(lambda: snap, None, True)
    run = server.stamp().partition(".")[0]
    assert server.catch_up(f"{run}.7") is None  # the newest build
    assert server.catch_up(f"{run}.5") == snap.stylesheet  # same pages, an older stylesheet
    assert server.catch_up(f"{run}.6") == snap.stylesheet
    assert server.catch_up(f"{run}.4") == "/"  # older pages
    assert server.catch_up("0000.7") == "/"  # a page of an earlier run of serve
    assert server.catch_up("junk") == "/"
    plain = Snapshot(Path("/nowhere"), "/news/", (), build=7, pages_from=7)
    other = PreviewServer(lambda: plain, None, True)
    assert other.catch_up(other.stamp().partition(".")[0] + ".6") == "/"  # no stylesheet-only build since


def test_tidy_memory_frees_the_garbage_of_earlier_builds_and_freezes_the_rest():
    # The preview freezes what its builds leave (the site's model, the record), so that the
    # collector's automatic full collections do not scan them during a save's build. Garbage
    # frozen by an earlier tidy must still be freed by the next one.
    import gc
    import weakref

    from generator.serve import server as serve

    class Node:
        pass

    cycle = Node()
    cycle.me = cycle  # only the collector frees a cycle
    gone = weakref.ref(cycle)
    kept = Node()
    still = weakref.ref(kept)
    try:
        gc.freeze()  # as an earlier tidy left it: the cycle frozen with everything else
        del cycle
        gc.collect()
        assert gone() is not None  # a collection leaves what is frozen
        serve.tidy_memory()
        assert gone() is None  # unfrozen, collected
        assert still() is kept
        assert gc.get_freeze_count() > 0  # what is left is frozen again
    finally:
        gc.unfreeze()


def test_the_preview_tidies_its_memory_once_idle_after_a_build(tmp_path, monkeypatch):
    # In process: a build, then another before the pause is over (no tidy between them),
    # then the pause: one tidy, after the last build, on the builds' thread.
    import io

    from generator.serve import server as serve

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    monkeypatch.setattr(serve, "TIDY_AFTER_S", 0.3)
    tidied_on = []
    monkeypatch.setattr(serve, "tidy_memory", lambda: tidied_on.append(__import__("threading").current_thread().name))
    preview = serve.Preview(content, tmp_path / "work", out=io.StringIO(), err=io.StringIO())

    async def scenario():
        first = await preview.rebuild()
        assert first.base_path is not None
        await asyncio.sleep(0.05)
        await preview.rebuild()
        assert preview.tidied == 0
        await asyncio.sleep(0.6)
        assert preview.tidied == 1

    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, scenario()).result()
    finally:
        preview.close()
    assert len(tidied_on) == 1 and tidied_on[0].startswith("briefing-build")
