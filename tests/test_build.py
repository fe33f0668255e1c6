"""build.build: the whole pipeline, all-or-nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from generator.build import build, project_dirs
from generator.content.errors import ContentError
from generator.project import DEFAULT_LOCALES, DEFAULT_TEMPLATES

from tests.helpers import make_content, write_tree

FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "basic"
FIXTURE = FIXTURE_SITE / "content"


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_in_memory_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = build(FIXTURE)
    assert result.written == 0 and list(tmp_path.iterdir()) == []
    assert "en/index.html" in result.files and result.site.config.base_path == "/news/"
    assert set(result.timings) == {"load", "model", "render", "search"}  # search: the index (generator/search)


def test_build_writes_the_output(tmp_path):
    result = build(FIXTURE, tmp_path / "site")
    assert result.written == len(result.files) == len(snapshot(tmp_path / "site"))
    assert set(result.timings) == {"load", "model", "render", "search", "write"}


def test_content_is_never_modified(tmp_path):
    before = snapshot(FIXTURE)
    build(FIXTURE, tmp_path / "site")
    assert snapshot(FIXTURE) == before


def test_errors_leave_the_previous_output_untouched(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "site"
    build(content, out)
    before = snapshot(out)
    (content / "facts" / "topics.yaml").write_text("test-topic: {name: [oops]}\n", encoding="utf-8")
    (content / "briefings" / "bilingual" / "en.md").write_text("no front matter\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content, out)
    # every problem of the run, not just the first
    assert {(p.path, p.line) for p in caught.value.problems} >= {
        ("content/facts/topics.yaml", 1), ("content/briefings/bilingual/en.md", 1)}
    assert snapshot(out) == before


def test_strict_turns_the_fallback_warning_into_an_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        build(FIXTURE, tmp_path / "site", strict=True)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.severity) == ("content/facts/weapons.yaml", 8, "error")
    assert "missing 'ru' translation" in problem.message and problem.message.endswith("(an error under --strict)")
    assert not (tmp_path / "site").exists()


def test_missing_content_folder(tmp_path):
    with pytest.raises(ContentError) as caught:
        build(tmp_path / "nothing-here")
    assert "content folder not found" in str(caught.value)


def test_project_dirs_prefer_the_sites_own_templates_and_locales(tmp_path):
    content = make_content(tmp_path)
    assert project_dirs(content) == ([DEFAULT_TEMPLATES], DEFAULT_LOCALES)
    write_tree(tmp_path, {"templates/home.html": "x", "locales/ru/LC_MESSAGES/messages.po": ""})
    templates, locales = project_dirs(content)
    assert templates == [tmp_path / "templates", DEFAULT_TEMPLATES] and locales == tmp_path / "locales"
