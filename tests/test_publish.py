"""``briefing publish``: the real build, then git or folder; failures publish nothing."""

import gzip
import subprocess
from pathlib import Path

import pytest

from generator.build import build
from generator.cli.main import main
from tests.conftest import FIXTURES, copy_site

pytestmark = pytest.mark.slow  # git processes


@pytest.fixture
def site_root(tmp_path) -> Path:
    return copy_site(FIXTURES / "basic", tmp_path / "basic")


@pytest.fixture
def remote(tmp_path, no_git_identity) -> Path:
    path = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def break_content(root: Path) -> None:
    page = root / "content/briefings/bilingual/en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [[no-such-entity]].\n", encoding="utf-8")


def test_publish_to_git_twice_and_after_a_change(site_root, remote, capsys):
    content = str(site_root / "content")
    assert main(["publish", "--content", content, "--git", str(remote)]) == 0
    first = git(remote, "rev-parse", "gh-pages").strip()
    built = build(site_root / "content").files
    assert set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()) == {*built, ".nojekyll"}
    assert "published to branch gh-pages" in capsys.readouterr().out

    assert main(["publish", "--content", content, "--git", str(remote)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert git(remote, "rev-list", "gh-pages").split() == [first]

    page = site_root / "content/briefings/en-only/en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Exists in English only", "Written in English only"), encoding="utf-8")
    rebuilt = build(site_root / "content").files
    # Changed or gone: the search index's files are named by their content, so an edit replaces some.
    expected = sorted({rel for rel in rebuilt if rebuilt[rel] != built.get(rel)} | (set(built) - set(rebuilt)))
    assert "en/briefings/en-only/index.html" in expected and "assets/style.css" not in expected

    assert main(["publish", "--content", content, "--git", str(remote)]) == 0
    second = git(remote, "rev-parse", "gh-pages").strip()
    assert git(remote, "rev-list", "gh-pages").split() == [second, first]
    changed = git(remote, "diff-tree", "-r", "--no-renames", "--name-only", first, second).split()
    assert sorted(changed) == expected


def test_failed_build_publishes_nothing(site_root, remote, tmp_path, capsys):
    out = tmp_path / "www"
    assert main(["publish", "--content", str(site_root / "content"), "--dir", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["publish", "--content", str(site_root / "content"), "--git", str(remote)]) == 0
    tip = git(remote, "rev-parse", "gh-pages")

    break_content(site_root)
    for target in (["--dir", str(out)], ["--git", str(remote)]):
        assert main(["publish", "--content", str(site_root / "content"), *target]) == 1
        err = capsys.readouterr().err
        assert "content/briefings/bilingual/en.md:" in err and "no-such-entity" in err
        assert "nothing was published" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert git(remote, "rev-parse", "gh-pages") == tip


def test_strict_refuses_warnings(site_root, remote, tmp_path, capsys):
    # The fixture has exactly one warning (a missing Russian summary).
    out = tmp_path / "www"
    assert main(["publish", "--strict", "--content", str(site_root / "content"), "--dir", str(out)]) == 1
    assert "an error under --strict" in capsys.readouterr().err
    assert not out.exists()
    assert main(["publish", "--strict", "--content", str(site_root / "content"), "--git", str(remote)]) == 1
    assert git(remote, "for-each-ref").strip() == ""


def test_publish_to_dir_with_gzip(site_root, tmp_path, capsys):
    out = tmp_path / "www"
    (out / ".well-known").mkdir(parents=True)
    assert main(["publish", "--content", str(site_root / "content"), "--dir", str(out), "--gzip"]) == 0
    page = out / "ru/briefings/bilingual/index.html"
    assert gzip.decompress((out / "ru/briefings/bilingual/index.html.gz").read_bytes()) == page.read_bytes()
    assert (out / "sitemap.xml.gz").is_file() and (out / ".well-known").is_dir()
    assert not (out / ".nojekyll").exists()
    capsys.readouterr()
    assert main(["publish", "--content", str(site_root / "content"), "--dir", str(out)]) == 0
    assert not list(out.rglob("*.gz")), "without --gzip the copies are stale"
    assert "0 written" in capsys.readouterr().out


def test_usage_errors(site_root, tmp_path, capsys):
    assert main(["publish", "--content", str(site_root / "content"), "--dir", str(tmp_path / "x"), "--branch", "main"]) == 2
    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--content", str(site_root / "content")])
    assert exit_.value.code == 2
    assert main(["publish", "--content", str(site_root / "content"), "--git", str(tmp_path), "--author", "nobody"]) == 1
    assert "Name <email>" in capsys.readouterr().err


def test_unwritable_target_is_a_message_not_a_traceback(site_root, tmp_path, capsys):
    (tmp_path / "a-file").write_text("x")
    assert main(["publish", "--content", str(site_root / "content"), "--dir", str(tmp_path / "a-file" / "www")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("publish failed: ") and "a-file" in err and "internal error" not in err


def test_publish_to_dir_carries_the_search_index_and_moves_only_what_changed(site_root, tmp_path, capsys):
    out = tmp_path / "www"
    content = str(site_root / "content")
    assert main(["publish", "--content", content, "--dir", str(out)]) == 0
    built = build(site_root / "content").files
    index = sorted(rel for rel in built if "/pagefind/" in rel)
    assert any(rel.startswith("en/pagefind/fragment/") for rel in index) and "ru/pagefind/wasm.ru.pagefind" in index
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == dict(built)
    capsys.readouterr()

    assert main(["publish", "--content", content, "--dir", str(out)]) == 0  # the same site: the same index bytes
    assert "0 written, 0 removed" in capsys.readouterr().out

    page = site_root / "content/briefings/en-only/en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Exists in English only", "Written in English only"), encoding="utf-8")
    rebuilt = build(site_root / "content").files
    changed = sorted(rel for rel in rebuilt if rebuilt[rel] != built.get(rel))
    removed = sorted(set(built) - set(rebuilt))
    assert [rel for rel in changed if "/pagefind/" in rel] and all(not rel.startswith("ru/pagefind/") for rel in changed + removed)
    assert main(["publish", "--content", content, "--dir", str(out)]) == 0
    assert f"{len(changed)} written, {len(removed)} removed, {len(rebuilt) - len(changed)} unchanged" in capsys.readouterr().out


def test_a_search_index_that_cannot_be_made_publishes_nothing(site_root, tmp_path, monkeypatch, capsys):
    out = tmp_path / "www"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    assert main(["publish", "--content", str(site_root / "content"), "--dir", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("publish failed: the search index could not be made") and "nothing was published" in err
    assert "Traceback" not in err and not out.exists()
