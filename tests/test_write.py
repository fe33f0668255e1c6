"""write.py through build(): the output holds exactly the site, or stays as it was.

Every guarantee is checked on the path ``build`` takes: a first build (the
staging folder renamed into place) and a rebuild into an existing output
(changed files moved in one by one, stale ones deleted).
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest


from generator.output import write
from generator.build import build
from generator.content.errors import ContentError
from generator.output.write import OutputError

from tests.helpers import make_content, snapshot, write_tree


def stats(root: Path) -> dict[str, tuple]:
    """Every entry with its kind, bytes, mode, mtime and inode: 'untouched' means all of these."""
    found = {".": (oct(os.stat(root).st_mode), "folder")}
    for p in sorted(root.rglob("*")):
        st = os.lstat(p)
        found[p.relative_to(root).as_posix()] = (oct(st.st_mode), st.st_mtime_ns, st.st_ino,
                                                 p.read_bytes() if p.is_file() else "folder")
    return found


def briefing(title: str) -> str:
    return f"---\ntitle: {title}\ndate: 2022-11-09\n---\nText of {title}.\n"


def site_v1(root: Path) -> Path:
    return make_content(root, {"briefings/a/en.md": briefing("A"), "briefings/a/ru.md": briefing("А"),
                               "briefings/b/en.md": briefing("B")})


def to_v2(content: Path) -> None:
    """b deleted (a stale page and folders), c added (new folders), a edited (changed pages)."""
    shutil.rmtree(content / "briefings" / "b")
    write_tree(content, {"briefings/c/en.md": briefing("C"), "briefings/a/en.md": briefing("A, edited")})


def clean_build(content: Path, tmp: Path) -> dict[str, bytes]:
    reference = tmp / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    build(content, reference)
    return snapshot(reference)


def beside(out: Path) -> list[str]:
    """What sits next to the output: no staging folder may be left behind."""
    return sorted(p.name for p in out.parent.iterdir())


# -- a first build, a rebuild ------------------------------------------------------
def test_a_first_build_writes_exactly_the_site_readable_by_all(tmp_path):
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    result = build(content, out)
    assert snapshot(out) == {path: result.files[path] for path in result.files}
    assert "en/briefings/b/index.html" in snapshot(out)
    assert os.stat(out).st_mode & 0o777 == 0o755
    assert beside(out) == ["content", "site"]


@pytest.mark.parametrize("cache", [False, True])
def test_a_rebuild_leaves_no_stale_file(tmp_path, cache):
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    record = tmp_path / "cache" if cache else None
    build(content, out, cache=record)
    # Put by hand: removed like any stale file (only top-level dot entries are kept).
    write_tree(out, {"notes.txt": "x", "en/.DS_Store": "x", "en/old/index.html": "x"})
    to_v2(content)
    build(content, out, cache=record)
    expected = clean_build(content, tmp_path)
    assert snapshot(out) == expected
    assert "en/briefings/b/index.html" not in expected and "en/briefings/c/index.html" in expected
    assert not (out / "en" / "briefings" / "b").exists() and not (out / "en" / "old").exists()
    assert beside(out) == sorted(["content", "site", "reference"] + (["cache"] if cache else []))


def test_an_empty_folder_becomes_the_site_and_is_made_readable_by_all(tmp_path):
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    out.mkdir(mode=0o700)
    os.chmod(out, 0o700)
    build(content, out)
    assert snapshot(out) == clean_build(content, tmp_path)
    assert os.stat(out).st_mode & 0o777 == 0o755


# -- what belongs to others is kept ----------------------------------------------------
def test_top_level_dot_entries_of_the_output_are_kept(tmp_path):
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    write_tree(out, {".git/HEAD": "ref: refs/heads/gh-pages\n", ".well-known/security.txt": "Contact: x"})
    to_v2(content)
    build(content, out)
    assert snapshot(out) == {**clean_build(content, tmp_path), ".git/HEAD": b"ref: refs/heads/gh-pages\n",
                         ".well-known/security.txt": b"Contact: x"}


def test_a_folder_holding_only_dot_entries_is_built_into_and_they_are_kept(tmp_path):
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    write_tree(out, {".git/HEAD": "ref: refs/heads/gh-pages\n"})  # a fresh clone of a publishing branch
    build(content, out)
    assert snapshot(out) == {**clean_build(content, tmp_path), ".git/HEAD": b"ref: refs/heads/gh-pages\n"}


def test_a_linked_output_folder_is_updated_where_it_points(tmp_path):
    content = site_v1(tmp_path)
    real = tmp_path / "real"
    build(content, real)
    link = tmp_path / "site"
    link.symlink_to(real, target_is_directory=True)
    to_v2(content)
    build(content, link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert snapshot(real) == clean_build(content, tmp_path)
    assert beside(link) == ["content", "real", "reference", "site"]


def test_a_link_to_a_folder_not_made_yet_is_kept(tmp_path):
    content = site_v1(tmp_path)
    link = tmp_path / "site"
    link.symlink_to(tmp_path / "real", target_is_directory=True)
    build(content, link)
    assert link.is_symlink() and snapshot(tmp_path / "real") == clean_build(content, tmp_path)


# -- a failed build changes nothing ------------------------------------------------------
def test_a_template_that_fails_while_pages_render_leaves_the_output_untouched(tmp_path):
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    before = stats(out)
    to_v2(content)
    write_tree(tmp_path, {"templates/briefing.html": "{{ 1 // 0 }}\n"})
    with pytest.raises(ContentError) as caught:
        build(content, out)
    assert [(p.path, p.line) for p in caught.value.problems] == [("templates/briefing.html", 1)]
    assert stats(out) == before
    assert beside(out) == ["content", "site", "templates"]


def _fail_at_step(monkeypatch, failing: int) -> list[int]:
    """Make the commit's ``failing``-th move (0-based) fail as a full disk would."""
    count = [0]
    for name in ("move_away", "make_folders", "replace"):
        real = getattr(write._Undo, name)

        def step(self, *args, _real=real):
            if count[0] == failing:
                count[0] += 1
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            count[0] += 1
            return _real(self, *args)
        monkeypatch.setattr(write._Undo, name, step)
    return count


def test_a_move_that_fails_at_any_step_is_undone(tmp_path, monkeypatch):
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    os.chmod(out, 0o700)  # the commit's first change: made readable by all
    to_v2(content)
    expected = clean_build(content, tmp_path)
    shutil.rmtree(tmp_path / "reference")
    before = stats(out)
    failing = 0
    while True:
        with monkeypatch.context() as patch:
            count = _fail_at_step(patch, failing)
            try:
                build(content, out)
            except OutputError as error:
                assert "No space left on device" in str(error) and "the previous output is unchanged" in str(error)
                assert stats(out) == before, f"step {failing}"
                assert beside(out) == ["content", "site"]
                failing += 1
                continue
        break
    # Every step was made to fail once: deletions, a stale folder, new folders, changed and new files.
    assert count[0] == failing > 8
    assert snapshot(out) == expected and os.stat(out).st_mode & 0o777 == 0o755


def test_a_file_the_system_refuses_to_replace_undoes_the_commit(tmp_path):
    """For real: an immutable folder (chattr +i) cannot take the changed home page."""
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(out / "en")], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here (needs root and a file system with attributes)")
    try:
        before = stats(out)
        to_v2(content)
        with pytest.raises(OutputError, match="Operation not permitted.*the previous output is unchanged"):
            build(content, out)
        assert stats(out) == before
        assert beside(out) == ["content", "site"]
    finally:
        subprocess.run(["chattr", "-i", str(out / "en")], check=True)
    build(content, out)
    assert snapshot(out) == clean_build(content, tmp_path)


@pytest.mark.parametrize("first", [True, False])
def test_a_full_disk_while_pages_are_written_leaves_the_output_untouched(tmp_path, monkeypatch, first):
    content = site_v1(tmp_path)
    out = tmp_path / "site"
    if not first:
        build(content, out)
        to_v2(content)
    before = stats(out) if not first else None

    def full_disk_open(path, mode="r", *args, **kwargs):  # the staging writer's open() (the render processes' too): nothing fits
        if "w" in mode and ".site.new-" in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return open(path, mode, *args, **kwargs)
    monkeypatch.setattr(write, "open", full_disk_open, raising=False)
    with pytest.raises(OutputError, match=r"site: cannot write .* \(No space left on device\); the previous output is unchanged"):
        build(content, out)
    if first:
        assert not out.exists()
    else:
        assert stats(out) == before
    assert beside(out) == (["content"] if first else ["content", "site"])


# -- folders that are not the build's to replace --------------------------------------------
def test_output_that_is_a_file_is_refused(tmp_path):
    content = site_v1(tmp_path)
    target = tmp_path / "site"
    target.write_text("my notes")
    with pytest.raises(OutputError, match="this is a file"):
        build(content, target)
    assert target.read_text() == "my notes"


def test_refuses_the_home_folder(monkeypatch, tmp_path):
    content = site_v1(tmp_path / "project")
    home = tmp_path / "home"
    write_tree(home, {"precious.txt": "keep", "index.html": "x", "sitemap.xml": "x"})
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(OutputError, match="refusing to replace this folder"):
        build(content, home)
    assert snapshot(home) == {"precious.txt": b"keep", "index.html": b"x", "sitemap.xml": b"x"}


def test_the_working_folder_is_refused(tmp_path, monkeypatch):
    content = site_v1(tmp_path / "project")
    work = write_tree(tmp_path / "work", {"index.html": "x", "sitemap.xml": "x"})
    monkeypatch.chdir(work)
    with pytest.raises(OutputError, match="refusing to replace this folder"):
        build(content, Path("."))
    assert snapshot(work) == {"index.html": b"x", "sitemap.xml": b"x"}


def test_a_folder_of_unrelated_files_is_refused(tmp_path):
    content = site_v1(tmp_path)
    out = write_tree(tmp_path / "docs", {"notes.md": "mine"})
    with pytest.raises(OutputError, match="holds other files \\(notes.md\\) and no built site"):
        build(content, out)
    assert snapshot(out) == {"notes.md": b"mine"}
    assert beside(out) == ["content", "docs"]


@pytest.mark.parametrize("where", ["content", "project", "inside", "templates", "inside-templates"])
def test_the_output_never_is_holds_or_sits_in_a_source_folder(tmp_path, where):
    content = site_v1(tmp_path / "project")
    write_tree(tmp_path / "project", {"templates/home.html": "{% extends 'base.html' %}\n"})
    before = snapshot(tmp_path / "project")
    out = {"content": content, "project": tmp_path / "project", "inside": content / "site",
           "templates": tmp_path / "project" / "templates",
           "inside-templates": tmp_path / "project" / "templates" / "site"}[where]
    with pytest.raises(OutputError, match="choose a folder"):
        build(content, out)
    assert snapshot(tmp_path / "project") == before
    assert sorted(p.name for p in (tmp_path / "project").iterdir()) == ["content", "templates"]


def test_an_output_whose_parent_is_a_file_is_an_output_error(tmp_path):
    content = site_v1(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot create the output folder"):
        build(content, tmp_path / "file" / "site")
    assert (tmp_path / "file").read_text() == "x"
