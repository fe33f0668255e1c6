"""Precompressed copies: correct, reproducible, only where they help."""

import gzip

import pytest

from generator.content.errors import PublishError
from generator.publish.gzip import gzip_bytes, with_gzip

PAGE = ("<!DOCTYPE html><html><body>" + "<p>Шахед-136, Fateh-110</p>" * 200 + "</body></html>").encode()


def test_copies_decompress_to_the_original():
    files = with_gzip({"en/index.html": PAGE, "assets/style.css": b"body{margin:0}" * 100})
    assert gzip.decompress(files["en/index.html.gz"]) == PAGE
    assert gzip.decompress(files["assets/style.css.gz"]) == b"body{margin:0}" * 100
    assert files["en/index.html"] == PAGE  # the original stays


def test_header_has_no_time_and_no_name():
    packed = gzip_bytes(PAGE)
    assert packed[:3] == b"\x1f\x8b\x08"
    assert packed[3] & 0x08 == 0, "FNAME flag set: the file name would be stored"
    assert packed[4:8] == b"\0\0\0\0", "mtime stored in the header"
    assert gzip_bytes(PAGE) == packed


def test_skips_binary_and_files_that_would_grow():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10
    files = with_gzip({"assets/logo.png": png, ".nojekyll": b"", "robots.txt": b"User-agent: *\n"})
    assert set(files) == {"assets/logo.png", ".nojekyll", "robots.txt"}


def test_refuses_to_overwrite_a_site_file():
    with pytest.raises(PublishError, match="index.html.gz"):
        with_gzip({"index.html": PAGE, "index.html.gz": b"mine"})
