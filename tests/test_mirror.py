"""Mirroring into a folder: rsync --delete semantics, unchanged files untouched."""

import os
from pathlib import Path

import pytest

from generator.content.errors import PublishError
from generator.publish.mirror import mirror

from tests.helpers import snapshot

SITE = {
    "index.html": b"<!DOCTYPE html><title>chooser</title>",
    "sitemap.xml": b"<urlset/>",
    "en/index.html": b"<p>home</p>",
    "en/briefings/a/index.html": b"<p>a</p>",
    "assets/style.css": b"body{}",
}
OLD = 1_000_000_000  # 2001: any write since would show as a newer mtime


def age(folder: Path) -> None:
    for path in folder.rglob("*"):
        os.utime(path, (OLD, OLD), follow_symlinks=False)


def test_first_mirror_writes_everything(tmp_path):
    report = mirror(SITE, tmp_path / "out")
    assert snapshot(tmp_path / "out") == SITE
    assert sorted(report.written) == sorted(SITE) and report.removed == () and report.unchanged == 0
    assert (tmp_path / "out" / "en/index.html").stat().st_mode & 0o777 == 0o644


def test_unchanged_files_keep_mtime_and_inode(tmp_path):
    out = tmp_path / "out"
    mirror(SITE, out)
    age(out)
    inodes = {rel: (out / rel).stat().st_ino for rel in SITE}
    report = mirror(SITE, out)
    assert report.written == () and report.removed == () and report.unchanged == len(SITE)
    for rel in SITE:
        stat = (out / rel).stat()
        assert stat.st_mtime == OLD, rel
        assert stat.st_ino == inodes[rel], rel


def test_changed_new_and_stale_files(tmp_path):
    out = tmp_path / "out"
    mirror(SITE, out)
    (out / "en/briefings/a/notes.txt").write_text("left by someone")  # stale: not part of the site
    (out / "en/.DS_Store").write_bytes(b"x")  # dotfiles below the top level are stale too
    age(out)
    site = dict(SITE)
    site["en/index.html"] = b"<p>home, changed</p>"
    site["ru/index.html"] = b"<p>\xd0\xb4\xd0\xbe\xd0\xbc</p>"
    del site["en/briefings/a/index.html"]

    report = mirror(site, out)

    assert snapshot(out) == site
    assert set(report.written) == {"en/index.html", "ru/index.html"}
    assert set(report.removed) == {"en/briefings/a/index.html", "en/briefings/a/notes.txt", "en/.DS_Store"}
    assert report.unchanged == 3
    assert not (out / "en/briefings").exists(), "emptied folders must go"
    assert (out / "en/index.html").stat().st_mtime > OLD
    assert (out / "assets/style.css").stat().st_mtime == OLD


def test_top_level_dot_entries_are_left_alone(tmp_path):
    out = tmp_path / "out"
    (out / ".git/objects").mkdir(parents=True)
    (out / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (out / ".well-known").mkdir()
    (out / ".well-known/security.txt").write_text("Contact: mailto:desk@example.org\n")
    (out / ".htaccess").write_text("Options -Indexes\n")
    mirror(SITE, out)
    mirror({k: v for k, v in SITE.items() if k != "assets/style.css"}, out)
    assert (out / ".git/HEAD").read_text() == "ref: refs/heads/main\n"
    assert (out / ".git/objects").is_dir()
    assert (out / ".well-known/security.txt").read_text().startswith("Contact:")
    assert (out / ".htaccess").exists()
    assert not (out / "assets").exists()


def test_a_folder_replaced_by_a_file_and_back(tmp_path):
    out = tmp_path / "out"
    mirror({**SITE, "en/feed.xml/index.html": b"<p>odd</p>"}, out)
    mirror({**SITE, "en/feed.xml": b"<feed/>"}, out)
    assert (out / "en/feed.xml").read_bytes() == b"<feed/>"
    mirror({**SITE, "en/feed.xml/index.html": b"<p>odd</p>"}, out)
    assert snapshot(out) == {**SITE, "en/feed.xml/index.html": b"<p>odd</p>"}


def test_links_are_replaced_never_written_through(tmp_path):
    outside = tmp_path / "precious"
    outside.mkdir()
    (outside / "index.html").write_bytes(b"do not touch")
    out = tmp_path / "out"
    mirror(SITE, out)
    (out / "en/index.html").unlink()
    (out / "en/index.html").symlink_to(outside / "index.html")
    (out / "en/briefings").rename(tmp_path / "moved")
    (out / "en/briefings").symlink_to(outside, target_is_directory=True)
    mirror(SITE, out)
    assert (outside / "index.html").read_bytes() == b"do not touch"
    assert sorted(p.name for p in outside.iterdir()) == ["index.html"]
    assert not (out / "en/index.html").is_symlink() and not (out / "en/briefings").is_symlink()
    assert snapshot(out) == SITE


def test_leftover_temporary_files_are_cleaned(tmp_path):
    out = tmp_path / "out"
    mirror(SITE, out)
    (out / "index.html.abc123.briefing-tmp").write_bytes(b"half")
    report = mirror(SITE, out)
    assert report.removed == ("index.html.abc123.briefing-tmp",)


def test_refuses_a_folder_with_other_files(tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.odt").write_bytes(b"years of work")
    with pytest.raises(PublishError, match="thesis.odt"):
        mirror(SITE, out)
    assert snapshot(out) == {"thesis.odt": b"years of work"}


def test_accepts_a_folder_with_only_dot_entries(tmp_path):
    out = tmp_path / "out"
    (out / ".git").mkdir(parents=True)
    mirror(SITE, out)
    assert snapshot(out) == SITE


def test_refuses_to_overlap_the_content(tmp_path):
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    for target in (content, content / "site", tmp_path / "proj", tmp_path):
        with pytest.raises(PublishError, match="which publishing would replace|cannot go inside content"):
            mirror(SITE, target, protect=(content,))
    assert list(content.iterdir()) == []


def test_refuses_a_file_and_the_home_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(PublishError, match="not a folder"):
        mirror(SITE, tmp_path / "file")
    with pytest.raises(PublishError, match="refusing"):
        mirror(SITE, Path.home())
