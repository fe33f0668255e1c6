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


# Every built site has these at its root; write_site replaces only a folder that has them.
MARKERS = {"index.html": b"<p>home</p>", "sitemap.xml": b"<urlset/>"}


def test_replaces_previous_output_and_leaves_no_stale_file(tmp_path):
    out = tmp_path / "site"
    write_site({**MARKERS, "old/index.html": b"old", "keep.txt": b"1"}, out)
    write_site({**MARKERS, "keep.txt": b"2", "new/index.html": b"new"}, out)
    assert tree(out) == {**MARKERS, "keep.txt": b"2", "new/index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left


def test_failed_write_leaves_previous_output_untouched(tmp_path):
    out = tmp_path / "site"
    write_site({**MARKERS, "a.html": b"published"}, out)
    before = tree(out)
    # "x" is both a file and a folder: writing fails half-way through.
    with pytest.raises(OutputError):
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


# -- nothing a user wrote is replaced -------------------------------------------
def test_a_folder_of_unrelated_files_is_refused(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.md").write_text("mine")
    with pytest.raises(OutputError, match="holds other files \\(notes.md\\) and no built site"):
        write_site(MARKERS, out)
    assert tree(out) == {"notes.md": b"mine"}


def test_an_empty_folder_is_used(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    write_site(MARKERS, out)
    assert tree(out) == MARKERS


@pytest.mark.parametrize("where", ["content", "project", "inside"])
def test_the_output_never_holds_or_sits_in_a_protected_folder(tmp_path, where):
    content = tmp_path / "project" / "content"
    content.mkdir(parents=True)
    (content / "site.yaml").write_text("title: T\n")
    out = {"content": content, "project": tmp_path / "project", "inside": content / "site"}[where]
    with pytest.raises(OutputError, match="choose a folder"):
        write_site(MARKERS, out, protect=(content,))
    assert (content / "site.yaml").read_text() == "title: T\n"
    assert sorted(p.name for p in content.iterdir()) == ["site.yaml"]
    assert sorted(p.name for p in (tmp_path / "project").iterdir()) == ["content"]


def test_the_working_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "index.html").write_text("x")
    (tmp_path / "sitemap.xml").write_text("x")
    with pytest.raises(OutputError, match="refusing to replace this folder"):
        write_site(MARKERS, Path("."))


def test_top_level_dot_entries_of_the_output_are_kept(tmp_path):
    out = tmp_path / "site"
    write_site(MARKERS, out)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / ".well-known").mkdir()
    (out / ".well-known" / "security.txt").write_text("Contact: x")
    write_site({**MARKERS, "new.html": b"new"}, out)
    assert tree(out) == {**MARKERS, "new.html": b"new", ".git/HEAD": b"ref: refs/heads/gh-pages\n",
                         ".well-known/security.txt": b"Contact: x"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_linked_output_folder_is_replaced_where_it_points(tmp_path):
    real = tmp_path / "real"
    write_site(MARKERS, real)
    link = tmp_path / "site"
    link.symlink_to(real, target_is_directory=True)
    write_site({**MARKERS, "new.html": b"new"}, link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert tree(real) == {**MARKERS, "new.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real", "site"]


def test_an_output_whose_parent_is_a_file_is_an_output_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot create the output folder"):
        write_site(MARKERS, tmp_path / "file" / "site")
    assert (tmp_path / "file").read_text() == "x"
