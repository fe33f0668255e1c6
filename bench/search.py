"""Benchmark: the search index at N briefings, and the bytes a first search transfers.

    python3 bench/search.py                  # N = 2,000
    python3 bench/search.py --n 500 --write bench/reports/search-n500.md

On the synthetic corpus of ``corpus.py`` (N bilingual briefings, the fact,
topic and timeline pages) it measures, one after the other, in one run:

- the pages: a cold build without the index (``search_index=False``,
  ``--jobs 2``, a cache), for scale, and a cold build with it (another
  output folder and cache);
- the index step: ``generator.search.index.index_files`` over the built
  pages, both languages (one Pagefind process each, at the same time),
  against its peer in the same run: the Pagefind program run by hand over
  the same built folder, as a site would run it after any generator
  (``pagefind --site site``: one process, both languages);
- what an edit costs: a one-briefing edit (a sentence in one ``en.md``)
  rebuilt incrementally with the index step and, the same edit again,
  without it;
- the first search, in Chromium: the built site served under its base path
  by a plain static server (Python's, no compression), the search page
  opened with ``?q=WORD``, until the results are shown; every response's
  body size summed (``request.sizes()``, or the Content-Length where
  Chromium reports none: the worker's script), by kind of file. Target: under
  300 KB at N = 2,000.

Prints a Markdown report; ``--write FILE`` saves it too. Run it once or
twice, not in loops: the machine is shared.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

TARGET_BYTES = 300 * 1024
# Words of the corpus's vocabulary (corpus.py): common, so a first search loads a full page of results.
QUERIES = (("en", "missiles"), ("ru", "ракеты"))


def timed(work):
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def edit(path: Path, suffix: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f" {suffix}\n", encoding="utf-8")


def first_search(site: Path, lang: str, word: str) -> tuple[int, dict[str, int], int, float]:
    """(bytes, bytes by kind of file, results shown, seconds) of opening the search page with ``word``."""
    from playwright.sync_api import sync_playwright

    from browser_launch import launch_chromium
    from tests.quality.conftest import serve

    server = serve(site, "/")
    host, port = server.server_address[:2]
    sizes: list[tuple[str, int]] = []
    try:
        with sync_playwright() as driver, tempfile.TemporaryDirectory() as profile:
            context = launch_chromium(driver, Path(profile))
            page = context.new_page()
            page.set_default_timeout(60_000)
            finished = []
            context.on("requestfinished", lambda request: finished.append(request))
            start = time.perf_counter()
            page.goto(f"http://{host}:{port}/{lang}/search/?q={quote(word)}")
            page.wait_for_function("() => document.querySelector('[role=status]').textContent"
                                   " && !document.querySelector('[data-search-results][aria-busy]')")
            seconds = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            shown = page.locator(".search-result").count()
            for request in finished:
                # Chromium reports no body size for the worker's script: its Content-Length then.
                response = request.response()
                length = int(response.headers.get("content-length") or 0) if response is not None else 0
                sizes.append((request.url, request.sizes()["responseBodySize"] or length))
            context.close()
    finally:
        server.shutdown()
        server.server_close()
    kinds: dict[str, int] = {}
    for url, size in sizes:
        kinds[kind_of(url)] = kinds.get(kind_of(url), 0) + size
    return sum(size for _, size in sizes), kinds, shown, seconds


def kind_of(url: str) -> str:
    path = url.split("?")[0]
    for suffix, kind in ((".pf_fragment", "result fragments"), (".pf_index", "index chunks"), (".pf_meta", "index metadata"),
                         (".pf_filter", "filters"), ("pagefind-worker.js", "Pagefind worker"), ("pagefind.js", "Pagefind script"),
                         (".pagefind", "Pagefind wasm (stemmer)"), ("pagefind-entry.json", "index entry"),
                         ("search.js", "search page script"), (".css", "stylesheet")):
        if path.endswith(suffix):
            return kind
    return "search page (HTML)" if path.endswith("/search/") else "other"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="briefings in the corpus (default 2000)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)

    from corpus import Corpus, write_briefing_site

    from generator.build import build
    from generator.search.index import index_files
    from pagefind.service import get_executable

    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        root = write_briefing_site(Corpus(args.n), work / "root")
        content = root / "content"
        plain = root / "plain"  # pages only
        pages_s, result = timed(lambda: build(content, plain, cache=root / ".cache-plain", jobs=args.jobs, search_index=False))
        html = {p.relative_to(plain).as_posix(): p for p in plain.rglob("*.html")}
        indexed = sum(1 for p in html.values() if b"data-pagefind-body" in p.read_bytes())
        langs = result.site.config.languages
        ours_s, files = timed(lambda: index_files(html, langs, work))
        peer_s, _ = timed(lambda: subprocess.run([str(get_executable()), "--site", str(plain), "--output-path", str(work / "peer"),
                                                  "--silent"], check=True))
        index_bytes = sum(len(data) for data in files.values())

        # As `briefing build` runs: a cold build with the index, then a one-briefing edit with and without it.
        site, cache = root / "site", root / ".cache"
        full_s, _ = timed(lambda: build(content, site, cache=cache, jobs=args.jobs))
        briefing = sorted((content / "briefings").iterdir())[len(result.site.briefings) // 2] / "en.md"
        edit(briefing, "Officials confirmed it.")
        edit_index_s, edited = timed(lambda: build(content, site, cache=cache, jobs=args.jobs))
        edit(briefing, "Officials denied it.")
        edit_plain_s, _ = timed(lambda: build(content, site, cache=cache, jobs=args.jobs, search_index=False))

        searches = [(lang, word, *first_search(site, lang, word)) for lang, word in QUERIES]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    lines = [
        f"## Search at N = {args.n:,} (`python3 bench/search.py --n {args.n}`)",
        "",
        f"Corpus: {args.n:,} briefings; {len(html):,} HTML pages, {indexed:,} of them indexed "
        f"(the rest: home, search, language choice, 404). Bundles: {len(files):,} files, {index_bytes / 1e6:.1f} MB.",
        "",
        "| step | time | note |",
        "|---|---:|---|",
        f"| pages (cold build, `--jobs {args.jobs}`, no index) | {pages_s:.2f} s | for scale |",
        f"| index step (`index_files`, both languages at once) | {ours_s:.2f} s | ours |",
        f"| Pagefind by hand over the same folder (`pagefind --site`) | {peer_s:.2f} s | peer, same run |",
        f"| ours / peer | {ours_s / peer_s:.2f} | |",
        f"| cold build with the index step (`--jobs {args.jobs}`) | {full_s:.2f} s | pages, then both languages indexed |",
        f"| one-briefing edit, with the index step | {edit_index_s:.2f} s | {edited.rendered} page(s) rendered, {edited.written} files written (the English index made again) |",
        f"| the same edit, without the index step | {edit_plain_s:.2f} s | `search_index=False` (what `briefing serve` does) |",
        "",
        "First search (Chromium, plain static server, no compression): every response body of the search page",
        "opened with `?q=WORD`, until the results are shown.",
        "",
        "| search | results shown | bytes | time to results | target < 300 KB |",
        "|---|---:|---:|---:|:---:|",
    ]
    for lang, word, total, kinds, shown, seconds in searches:
        lines.append(f"| {lang} `{word}` | {shown} | {total / 1024:.0f} KB | {seconds:.2f} s | {'yes' if total < TARGET_BYTES else 'NO'} |")
    lines += ["", "Bytes by kind of file:", "", "| kind | " + " | ".join(f"{lang} `{word}`" for lang, word, *_ in searches) + " |",
              "|---|" + "---:|" * len(searches)]
    for kind in sorted({k for s in searches for k in s[3]}):
        lines.append(f"| {kind} | " + " | ".join(f"{s[3].get(kind, 0) / 1024:.1f} KB" for s in searches) + " |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(report, encoding="utf-8")
    return 0 if all(s[2] < TARGET_BYTES for s in searches) else 1


if __name__ == "__main__":
    sys.exit(main())
