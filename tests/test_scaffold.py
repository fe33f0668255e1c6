"""`briefing new`: a new briefing, or the translation of one; never overwriting."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from generator.translation import revisions
from generator.build import build
from generator.cli.main import main
from generator.content.errors import ContentError, Problems
from generator.translation.scaffold import new_briefing

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "translations"


@pytest.fixture
def content(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "r")
    return tmp_path / "r" / "content"


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def status_of(capsys, content: Path, ident: str, lang: str) -> dict:
    assert main(["status", "--content", str(content), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    return next(r for r in rows if r["id"] == ident and r["language"] == lang)


def test_new_briefing_is_a_dated_draft_with_empty_required_fields(content, capsys):
    today = dt.datetime.now(ZoneInfo("Europe/Moscow")).date()  # the site's time zone, not the machine's
    assert main(["new", "sanctions-report", "--content", str(content)]) == 0
    path = content / "briefings/sanctions-report/en.md"  # the default language
    assert f"created {path}" in capsys.readouterr().out
    fields = front(path)
    assert fields["date"] in (today, today - dt.timedelta(days=1))  # midnight may pass between the two reads
    assert fields["title"] is None and fields["summary"] is None and fields["draft"] is True
    # The build says what is left to fill in, at the file and line.
    with pytest.raises(ContentError) as error:
        build(content)
    (problem,) = error.value.problems
    assert str(problem).startswith("content/briefings/sanctions-report/en.md:2: ") and "'title'" in problem.message


def test_new_briefing_in_another_language_and_the_given_date(content):
    path = new_briefing(content, "russian-first", "ru", today=dt.date(2024, 2, 29))
    assert path == content / "briefings/russian-first/ru.md"
    assert front(path)["date"] == dt.date(2024, 2, 29)


def test_new_refuses_to_overwrite(content, capsys):
    path = content / "briefings/current/en.md"
    before = path.read_bytes()
    assert main(["new", "current", "--content", str(content)]) == 1
    assert capsys.readouterr().err.strip() == "content/briefings/current/en.md: already exists: nothing was changed"
    assert path.read_bytes() == before


def test_new_in_the_folder_of_an_existing_briefing_points_to_translate(content, capsys):
    assert main(["new", "english-only", "--lang", "ru", "--content", str(content)]) == 1
    assert "briefing new english-only --translate ru" in capsys.readouterr().err
    assert not (content / "briefings/english-only/ru.md").exists()


@pytest.mark.parametrize("args, message", [
    (["new", "../escape"], "content/briefings: '../escape' cannot be a briefing's name"),
    (["new", "Big_Story"], "'Big_Story' cannot be a briefing's name"),
    (["new", "story", "--lang", "de"], "content/site.yaml: 'de' is not a language of this site (languages: en, ru)"),
    (["new", "story", "--translate", "de"], "'de' is not a language of this site"),
])
def test_bad_names_are_refused_before_touching_files(content, capsys, args, message):
    before = sorted(p for p in content.parent.rglob("*"))
    assert main(args + ["--content", str(content)]) == 1
    assert message in capsys.readouterr().err
    assert sorted(p for p in content.parent.rglob("*")) == before


def test_translate_starts_from_the_original_front_matter_and_records_its_revision(content, capsys):
    assert main(["new", "english-only", "--translate", "ru", "--content", str(content)]) == 0
    assert "as a draft" in capsys.readouterr().out
    path = content / "briefings/english-only/ru.md"
    original = front(content / "briefings/english-only/en.md")
    assert front(path) == {**original, "draft": True}
    assert path.read_text(encoding="utf-8").endswith("---\n\n")  # the body is the translator's
    records = revisions.load_records(content, Problems(content.parent))
    assert "briefings/english-only/ru.md" in records and len(records) == 5
    row = status_of(capsys, content, "english-only", "ru")
    assert (row["state"], row["draft"]) == ("ok", True)
    # The original changes while the translation is being written: outdated.
    original_path = content / "briefings/english-only/en.md"
    original_path.write_text(original_path.read_text(encoding="utf-8").replace("Mentions", "Now mentions"), encoding="utf-8")
    row = status_of(capsys, content, "english-only", "ru")
    assert (row["state"], row["fields"]) == ("outdated", ["body"])


def test_translate_keeps_the_editor_comments_and_turns_a_published_original_into_a_draft(content):
    original = content / "briefings/english-only/en.md"
    original.write_text(original.read_text(encoding="utf-8").replace("topics:", "# checked by the desk\ndraft: false\ntopics:"), encoding="utf-8")
    assert main(["new", "english-only", "--translate", "ru", "--content", str(content)]) == 0
    text = (content / "briefings/english-only/ru.md").read_text(encoding="utf-8")
    assert "# checked by the desk\ndraft: true\n" in text and "draft: false" not in text


def test_translate_from_a_russian_original(content):
    assert main(["new", "russian-only", "--translate", "en", "--content", str(content)]) == 0
    assert front(content / "briefings/russian-only/en.md")["title"] == "Только по-русски"


@pytest.mark.parametrize("slug, lang, message", [
    ("current", "ru", "content/briefings/current/ru.md: already exists: nothing was changed"),
    ("nothing-here", "ru", "there is no briefing 'nothing-here' to translate: start it with 'briefing new nothing-here'"),
])
def test_translate_refuses_to_overwrite_or_invent(content, capsys, slug, lang, message):
    records = (content / revisions.RECORD_FILE).read_bytes()
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    assert main(["new", slug, "--translate", lang, "--content", str(content)]) == 1
    assert message in capsys.readouterr().err
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
    assert (content / revisions.RECORD_FILE).read_bytes() == records


def test_translate_needs_an_original_with_a_title(content, capsys):
    assert main(["new", "untitled", "--content", str(content)]) == 0
    assert main(["new", "untitled", "--translate", "ru", "--content", str(content)]) == 1
    assert "content/briefings/untitled/en.md:2: the original has no title yet" in capsys.readouterr().err
    assert not (content / "briefings/untitled/ru.md").exists()


def test_lang_and_translate_are_exclusive(content, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["new", "x", "--lang", "en", "--translate", "ru", "--content", str(content)])
    assert exit_info.value.code == 2
