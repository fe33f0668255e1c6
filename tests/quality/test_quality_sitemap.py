"""sitemap.xml validates against the sitemaps.org 0.9 schema plus hreflang links.

The schemas are the project's shared copies (``shared/schemas`` beside the
checkout, read-only in CI); they import each other by relative path and are
resolved from local files only, never from the network. Beyond validity:
every page of the site is listed, and every URL lists an ``xhtml:link``
alternate for each language the page exists in.
"""

from __future__ import annotations

import os
import subprocess
import urllib.request
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
SCHEMA = "sitemap-hreflang.xsd"


def schema_folder() -> Path | None:
    """``shared/schemas`` beside this checkout, or beside the main checkout of a worktree."""
    candidates = [os.environ.get("BRIEFING_SHARED", ""), ROOT.parent / "shared"]
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        if common:
            candidates.append(Path(common).parent.parent / "shared")
    except OSError:
        pass
    for candidate in candidates:
        if candidate and (Path(candidate) / "schemas" / SCHEMA).is_file():
            return Path(candidate) / "schemas"
    return None


class LocalOnly(etree.Resolver):
    """Resolve schema imports inside the schema folder; refuse anything else."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder.resolve()

    def resolve(self, system_url, public_id, context):
        path = Path(system_url.removeprefix("file://"))
        path = (path if path.is_absolute() else self.folder / path).resolve()
        if path.parent != self.folder or not path.is_file():
            raise etree.XMLSchemaParseError(f"schema import outside {self.folder}: {system_url}")
        return self.resolve_filename(str(path), context)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    folder = schema_folder()
    if folder is None:
        pytest.skip(f"shared/schemas/{SCHEMA} not found beside the checkout ({ROOT.parent / 'shared'}); "
                    "set BRIEFING_SHARED to the shared folder")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(LocalOnly(folder))
    return etree.XMLSchema(etree.parse(str(folder / SCHEMA), parser))


def test_sitemap_validates(site, schema):
    document = etree.parse(str(site.folder / "sitemap.xml"), etree.XMLParser(no_network=True, resolve_entities=False))
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)


def test_schema_rejects_a_bad_sitemap(schema):
    """The schema really checks the alternates (guards a schema that loaded empty)."""
    bad = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
        b'<url><loc>https://example.org/en/</loc><xhtml:link rel="alternate" href="https://example.org/ru/"/></url></urlset>'
    )
    assert not schema.validate(bad)


def test_every_page_listed_with_its_translations(site):
    document = etree.parse(str(site.folder / "sitemap.xml"))
    listed = {}
    for url in document.iterfind("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        alternates = {(l.get("hreflang"), l.get("href")) for l in url.iterfind("xhtml:link", NS)}
        assert loc not in listed, f"{loc} listed twice"
        listed[loc] = alternates

    # Pages that ask search engines not to index them (404, the search pages) are not listed.
    pages = {site.base_url + r for r in site.pages() if r and b'<meta name="robots" content="noindex">' not in
             (site.folder / (r + "index.html" if r.endswith("/") else r)).read_bytes()}
    assert site.base_url + "en/search/" not in pages
    assert set(listed) == pages, f"missing: {sorted(pages - set(listed))}; extra: {sorted(set(listed) - pages)}"

    for loc, alternates in listed.items():
        lang, _, rest = loc[len(site.base_url):].partition("/")
        versions = {(code, f"{site.base_url}{code}/{rest}") for code in site.languages
                    if (site.folder / code / rest / "index.html").is_file()}
        if len(versions) > 1:
            assert alternates == versions, f"{loc}: alternates {sorted(alternates)} != existing {sorted(versions)}"
        else:
            assert alternates <= versions, f"{loc}: alternates to missing pages {sorted(alternates - versions)}"
        for _, href in alternates:
            with urllib.request.urlopen(site.local(href), timeout=10) as response:
                assert response.status == 200
