"""Revisions of originals, the record in translations.yaml, outdated warnings and notices, ack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import html

from generator.translation import revisions
from generator.build import build
from generator.cli.main import main
from generator.content.errors import ContentError, Problems

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "translations"


@pytest.fixture
def site_root(tmp_path) -> Path:
    """A private copy of the fixture ``translations`` (its content/ is changed by tests)."""
    shutil.copytree(FIXTURE, tmp_path / "site-root")
    return tmp_path / "site-root"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("translations") / "site"
    return build(FIXTURE / "content", out), out


def page(out: Path, rel: str):
    return html.fromstring((out / rel).read_bytes())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- revisions --------------------------------------------------------------

def test_revision_changes_with_the_words_of_each_field():
    base = revisions.revision("Title", "Summary", "Body text.\n")
    assert revisions.revision("Title", "Summary", "Body text!\n").changed(base) == ("body",)
    assert revisions.revision("Other", "Summary", "Body text.\n").changed(base) == ("title",)
    assert revisions.revision("Title", None, "Body text.\n").changed(base) == ("summary",)
    assert revisions.revision("Other", "Else", "Body").changed(base) == ("title", "summary", "body")


def test_revision_ignores_what_readers_cannot_see():
    base = revisions.revision("A title", "A summary", "One.\n\nTwo.\n")
    same = revisions.revision("  A   title ", "A\nsummary", "\n\nOne.   \n\n\n\nTwo.\n\n")
    assert same == base and same.changed(base) == ()


def test_record_is_one_sorted_line_per_translation(site_root):
    content = site_root / "content"
    records = revisions.load_records(content, Problems(site_root))
    text = (content / revisions.RECORD_FILE).read_text(encoding="utf-8")
    assert text == revisions.records_text(records)
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == sorted(lines) and len(lines) == len(records) == 4
    assert all(line.count("{title: ") == 1 for line in lines)


@pytest.mark.parametrize("text, expected", [
    # An unclosed bracket is named where it opens, not where YAML gave up.
    ("briefings/x/ru.md: {title: [oops\nbriefings/y/ru.md: {}\n", "content/translations.yaml:1: a list written [...] is not closed"),
    ("<<<<<<< HEAD\nbriefings/x/ru.md: {}\n=======\nbriefings/x/ru.md: {}\n>>>>>>> other\n",
     "content/translations.yaml:1: unresolved merge conflict"),
    ("- a list\n", "content/translations.yaml: translations.yaml must map each translation's path"),
    ("../etc/ru.md: {title: 0123456789ab, summary: 0123456789ab, body: 0123456789ab}\n",
     "content/translations.yaml:1: '../etc/ru.md' is not the path of a translation"),
    ("# comment\nbriefings/x/ru.md: {title: nothex, summary: 0123456789ab, body: 0123456789ab}\n",
     "content/translations.yaml:2: the revision of 'briefings/x/ru.md' must be"),
])
def test_a_broken_record_is_a_positioned_error_and_nothing_is_written(site_root, text, expected):
    content = site_root / "content"
    (content / revisions.RECORD_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build(content, site_root / "site")
    assert any(str(p).startswith(expected) for p in error.value.problems), error.value.problems
    assert not (site_root / "site").exists()


# -- the build --------------------------------------------------------------

def test_build_warns_about_outdated_translations_only(built):
    result, _ = built
    outdated = [str(w) for w in result.warnings if "outdated" in w.message]
    assert outdated == [
        "content/briefings/changed/ru.md: warning: translation is outdated: its original content/briefings/changed/en.md "
        "changed (body) since it was last checked; update the translation, then run 'briefing i18n ack content/briefings/changed/ru.md'",
        "content/pages/about/ru.md: warning: translation is outdated: its original content/pages/about/en.md "
        "changed (title) since it was last checked; update the translation, then run 'briefing i18n ack content/pages/about/ru.md'",
    ]
    # An unverified translation (briefings/fresh) is for `briefing status`, not a build warning.
    assert not [w for w in result.warnings if "fresh" in w.path]
    assert len(result.warnings) == 4  # the README of the fixture lists them


def test_strict_turns_outdated_translations_into_errors():
    with pytest.raises(ContentError) as error:
        build(FIXTURE / "content", strict=True)
    messages = [str(p) for p in error.value.problems]
    assert any(m.startswith("content/briefings/changed/ru.md: translation is outdated") and m.endswith("(an error under --strict)") for m in messages)


def test_outdated_page_tells_readers_and_links_the_original(built):
    _, out = built
    for rel, original in [("ru/briefings/changed/index.html", "/en/briefings/changed/"), ("ru/pages/about/index.html", "/en/pages/about/")]:
        root = page(out, rel)
        (notice,) = root.xpath("//aside[contains(@class,'outdated-notice')]")
        text = " ".join(notice.text_content().split())
        assert text.startswith("Этот перевод может быть неактуален: оригинал изменился")
        (link,) = notice.xpath(".//a")
        assert link.get("href") == original and link.get("hreflang") == "en" and link.text == "Читать оригинал"
        # Before the article's text: readers see it first.
        assert root.xpath("//aside[contains(@class,'outdated-notice')]/following::div[@class='briefing-body']") or "pages" in rel


def test_up_to_date_unverified_and_original_pages_have_no_notice(built):
    _, out = built
    for rel in ["ru/briefings/current/index.html", "ru/briefings/fresh/index.html", "en/briefings/changed/index.html", "en/pages/about/index.html"]:
        assert not page(out, rel).xpath("//*[contains(@class,'outdated-notice')]"), rel


def test_english_notice_wording(tmp_path):
    # The notice in English, for a site whose default language is Russian.
    root = shutil.copytree(FIXTURE, tmp_path / "r")
    content = root / "content"
    edit(content / "site.yaml", "languages: [en, ru]", "languages: [ru, en]")
    edit(content / "facts/weapons.yaml", "en: A fictional drone whose summary has no Russian text yet.", "ru: Вымышленный дрон.")
    edit(content / "briefings/fresh/ru.md", "Больше сказать нечего.", "Больше сказать нечего!")
    assert main(["i18n", "ack", "--content", str(content), str(content / "briefings/fresh/en.md")]) == 0
    edit(content / "briefings/fresh/ru.md", "нечего!", "нечего.")
    build(content, root / "site")
    (notice,) = page(root / "site", "en/briefings/fresh/index.html").xpath("//aside[contains(@class,'outdated-notice')]")
    assert " ".join(notice.text_content().split()) == (
        "This translation may be out of date: the original has changed since it was translated. Read the original (Русский)")
    assert notice.xpath(".//a/@href") == ["/ru/briefings/fresh/"]


# -- ack --------------------------------------------------------------------

def test_ack_one_translation_changes_only_its_line(site_root, capsys):
    content = site_root / "content"
    before = (content / revisions.RECORD_FILE).read_text(encoding="utf-8").splitlines()
    assert main(["i18n", "ack", "--content", str(content), str(content / "briefings/changed/ru.md")]) == 0
    out = capsys.readouterr().out
    assert "briefings/changed/ru.md: up to date with" in out and "(was outdated: body)" in out
    after = (content / revisions.RECORD_FILE).read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1 and changed[0][1].startswith("briefings/changed/ru.md: ")
    result = build(content, site_root / "site")
    assert not [w for w in result.warnings if "changed/ru.md" in w.path]
    assert not page(site_root / "site", "ru/briefings/changed/index.html").xpath("//*[contains(@class,'outdated-notice')]")


def test_ack_a_folder_and_paths_as_messages_name_them(site_root, monkeypatch):
    content = site_root / "content"
    monkeypatch.chdir(site_root)
    # As the build's warning names it: relative to the content folder's parent.
    assert main(["i18n", "ack", "--content", "content", "content/pages/about"]) == 0
    records = revisions.load_records(content, Problems(site_root))
    states = {c.doc.path: c.state for c in revisions.check(build(content).site.documents, records)}
    assert states["content/pages/about/ru.md"] == "ok" and states["content/briefings/changed/ru.md"] == "outdated"


def test_ack_all_records_every_translation_and_drops_stale_lines(site_root):
    content = site_root / "content"
    with (content / revisions.RECORD_FILE).open("a", encoding="utf-8") as handle:
        handle.write("briefings/deleted/ru.md: {title: 0123456789ab, summary: 0123456789ab, body: 0123456789ab}\n")
    assert main(["i18n", "ack", "--content", str(content), "--all"]) == 0
    records = revisions.load_records(content, Problems(site_root))
    assert sorted(records) == ["briefings/changed/ru.md", "briefings/current/ru.md", "briefings/figures-differ/ru.md",
                               "briefings/fresh/ru.md", "pages/about/ru.md"]
    assert all(c.state == "ok" for c in revisions.check(build(content).site.documents, records))
    assert not [w for w in build(content).warnings if "outdated" in w.message]


@pytest.mark.parametrize("paths, message", [
    (["briefings/current/en.md"], "is an original, not a translation"),
    (["briefings/nope/ru.md"], "no such file"),
    (["site.yaml"], "is not a briefing or page translation"),
    (["briefings/english-only"], "holds no translation to acknowledge"),
])
def test_ack_refuses_what_is_not_a_translation_and_writes_nothing(site_root, capsys, paths, message):
    content = site_root / "content"
    before = (content / revisions.RECORD_FILE).read_bytes()
    assert main(["i18n", "ack", "--content", str(content), str(content / "briefings/changed/ru.md")] + [str(content / p) for p in paths]) == 1
    err = capsys.readouterr().err
    assert message in err and "nothing was acknowledged" in err
    assert (content / revisions.RECORD_FILE).read_bytes() == before


def test_ack_refuses_content_with_errors(site_root, capsys):
    content = site_root / "content"
    before = (content / revisions.RECORD_FILE).read_bytes()
    edit(content / "briefings/fresh/ru.md", "date: 2023-02-01", "date: someday")
    assert main(["i18n", "ack", "--content", str(content), "--all"]) == 1
    assert "content/briefings/fresh/ru.md:4: 'date' must be a date" in capsys.readouterr().err
    assert (content / revisions.RECORD_FILE).read_bytes() == before


def test_editing_the_original_after_ack_makes_the_translation_outdated_again(site_root):
    content = site_root / "content"
    assert main(["i18n", "ack", "--content", str(content), "--all"]) == 0
    edit(content / "briefings/current/en.md", "summary: A translation that is up to date.", "summary:   A translation that is up to date.  ")
    assert not [w for w in build(content).warnings if "outdated" in w.message]  # spacing only
    edit(content / "briefings/current/en.md", "were reported.", "were reported by two agencies.")
    (warning,) = [w for w in build(content).warnings if "outdated" in w.message]
    assert warning.path == "content/briefings/current/ru.md" and "changed (body)" in warning.message


def test_the_sample_content_is_acknowledged():
    root = Path(__file__).resolve().parent.parent / "content"
    records = revisions.load_records(root, Problems(root.parent))
    checks = revisions.check(build(root).site.documents, records)
    assert checks and all(c.state == "ok" for c in checks)


def test_a_hash_of_digits_only_survives_the_record(tmp_path):
    # One hash in about three hundred is all digits: unquoted, YAML read it as a number.
    records = {"briefings/a/ru.md": revisions.Revision("324898005192", "0a0d5f062660", "ec5cdc5503b7")}
    (tmp_path / revisions.RECORD_FILE).write_text(revisions.records_text(records), encoding="utf-8")
    problems = Problems(tmp_path)
    assert revisions.load_records(tmp_path, problems) == records and not problems.items
    # A record written unquoted by an earlier version still reads.
    (tmp_path / revisions.RECORD_FILE).write_text(
        "briefings/a/ru.md: {title: 324898005192, summary: 0a0d5f062660, body: ec5cdc5503b7}\n", encoding="utf-8")
    assert revisions.load_records(tmp_path, problems) == records and not problems.items
