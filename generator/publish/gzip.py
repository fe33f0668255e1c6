"""Precompressed ``.gz`` copies of a built site, for servers that serve them.

nginx's ``gzip_static``, Caddy's ``precompressed`` and similar serve
``page.html.gz`` instead of compressing ``page.html`` on every request. The
copies are deterministic (gzip header with mtime 0 and no file name), so an
unchanged page gives an unchanged ``.gz`` and publishing stays incremental.
"""

from __future__ import annotations

import gzip

from ..content.errors import PublishError

# Text formats the site produces; images and fonts are compressed already.
COMPRESSIBLE = (".html", ".xml", ".txt", ".css", ".js", ".json", ".svg", ".map", ".webmanifest")


def gzip_bytes(data: bytes) -> bytes:
    """gzip ``data`` reproducibly: same input, same bytes, on any machine."""
    # gzip.compress writes mtime 0 when asked and never a file name.
    return gzip.compress(data, compresslevel=9, mtime=0)


def with_gzip(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` plus a ``.gz`` copy of every text file that compression shrinks."""
    result = dict(files)
    for rel, data in files.items():
        if not rel.endswith(COMPRESSIBLE):
            continue
        packed = gzip_bytes(data)
        if len(packed) < len(data):  # tiny files would grow: a server then serves the original
            if rel + ".gz" in files:
                raise PublishError(f"--gzip: the site already has a file named {rel}.gz; remove it from templates/assets/ or publish without --gzip")
            result[rel + ".gz"] = packed
    return result
