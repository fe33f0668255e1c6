"""``briefing init DIR`` (generator/starter): a new site that builds with no warning, and a folder
that already holds anything is refused and left as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import build
from generator.cli.main import main
from generator.starter.command import init_site, starter_files
from mistakes import tree_digest


def test_init_makes_a_bilingual_site_that_builds_with_no_warning(tmp_path, capsys):
    root = tmp_path / "newsroom" / "our-site"  # parents are made too
    assert main(["init", str(root)]) == 0
    assert "briefing serve" in capsys.readouterr().out
    content = root / "content"
    # One example briefing in both languages, a fact of each kind, a timeline and a page.
    (briefing,) = (content / "briefings").iterdir()
    assert sorted(p.name for p in briefing.iterdir()) == ["en.md", "ru.md"]
    assert sorted(p.name for p in (content / "facts").iterdir()) == [
        "organizations.yaml", "people.yaml", "places.yaml", "sources.yaml", "topics.yaml", "weapons.yaml"]
    assert len(list((content / "timelines").glob("*.yaml"))) == 1
    assert sorted(p.name for p in (content / "pages" / "about").iterdir()) == ["en.md", "ru.md"]
    assert (root / ".gitignore").read_text().splitlines()[1:] == ["/site/", "/.cache/"]

    result = build(content, root / "site", strict=True)
    assert result.warnings == []
    site = root / "site"
    for lang in ("en", "ru"):
        assert (site / lang / "briefings" / briefing.name / "index.html").is_file()
        assert (site / lang / "pages" / "about" / "index.html").is_file()
        assert (site / lang / "timelines" / "russia-iran-arms" / "timeline.json").is_file()
    # Every fact record has its page: each kind is really used.
    for kind in ("weapons", "people", "organizations", "topics"):
        assert list((site / "en" / kind).glob("*/index.html")), kind
    assert (site / "data" / "sources.json").is_file()


def test_the_starters_optional_settings_are_valid_once_uncommented(tmp_path):
    init_site(tmp_path / "site-root")
    site_yaml = tmp_path / "site-root" / "content" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    optional = text.split("# Optional settings", 1)[1]
    uncommented = re.sub(r"^# ", "", optional.split("\n", 1)[1], flags=re.M)
    assert "data_license:" in uncommented and "vocabularies:" in uncommented and "feed_limit:" in uncommented
    site_yaml.write_text(text.split("# Optional settings", 1)[0] + uncommented, encoding="utf-8")
    result = build(site_yaml.parent, tmp_path / "out", strict=True)
    assert result.warnings == []
    assert '"license": "https://creativecommons.org/licenses/by/4.0/"' in result.files["data/weapons.json"].decode()


@pytest.mark.parametrize("present", [{"notes.txt": "mine"}, {".git/HEAD": "ref: refs/heads/main\n"}, {"content/site.yaml": "title: x\n"}])
def test_a_folder_that_holds_anything_is_refused_and_left_as_it_was(tmp_path, capsys, present):
    root = tmp_path / "existing"
    for rel, text in present.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    before, paths = tree_digest(root), sorted(root.rglob("*"))
    assert main(["init", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"{root} is not empty" in err and "nothing was changed" in err and "Traceback" not in err
    assert tree_digest(root) == before and sorted(root.rglob("*")) == paths


def test_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("keep me")
    assert main(["init", str(target)]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text() == "keep me"


def test_an_empty_folder_is_filled(tmp_path):
    root = tmp_path / "empty"
    root.mkdir()
    written = init_site(root)
    assert sorted(written) == sorted(starter_files())
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == sorted(written)


def test_the_starter_files_are_the_package_data_and_nothing_else():
    files = starter_files()
    here = Path(__file__).resolve().parent.parent / "generator" / "starter" / "site"
    shipped = {p.relative_to(here).as_posix() for p in here.rglob("*") if p.is_file()}
    assert set(files) == shipped | {".gitignore"}
    assert all(not rel.endswith(".py") for rel in files)
