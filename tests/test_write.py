"""write.write_site: the output folder is replaced whole, or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.write import OutputError, write_site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_writes_exactly_the_files(tmp_path):
    out = tmp_path / "site"
    files = {"index.html": b"<p>root</p>", "en/weapons/x/index.html": "Фатех".encode()}
    assert write_site(files, out) == 2
    assert tree(out) == files


def test_replaces_previous_output_and_leaves_no_stale_file(tmp_path):
    out = tmp_path / "site"
    write_site({"old/index.html": b"old", "keep.txt": b"1"}, out)
    write_site({"keep.txt": b"2", "new/index.html": b"new"}, out)
    assert tree(out) == {"keep.txt": b"2", "new/index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left


def test_failed_write_leaves_previous_output_untouched(tmp_path):
    out = tmp_path / "site"
    write_site({"a.html": b"published"}, out)
    before = tree(out)
    # "x" is both a file and a folder: writing fails half-way through.
    with pytest.raises(OSError):
        write_site({"x": b"file", "x/y.html": b"child"}, out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_output_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "site"
    target.write_text("my notes")
    with pytest.raises(OutputError):
        write_site({"a.html": b"x"}, target)
    assert target.read_text() == "my notes"


def test_refuses_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "precious.txt").write_text("keep")
    with pytest.raises(OutputError):
        write_site({"a.html": b"x"}, tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep"


def test_output_is_world_readable(tmp_path):
    out = tmp_path / "site"
    write_site({"a.html": b"x"}, out)
    assert os.stat(out).st_mode & 0o755 == 0o755
