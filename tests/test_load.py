"""load.load_content: the file layout read into raw, positioned data."""

from __future__ import annotations

from pathlib import Path

from generator.content.errors import Problems
from generator.content.load import load_content, split_front_matter

from tests.helpers import make_content

BRIEFING = "---\ntitle: T\ndate: 2022-11-09\n---\n\nBody line one.\n"


def load(content: Path):
    problems = Problems(content.parent)
    return load_content(content, problems), problems


def messages(problems: Problems) -> list[str]:
    return [str(p) for p in problems.errors]


def test_reads_every_kind_of_file(tmp_path):
    content = make_content(tmp_path, {
        "briefings/visit/en.md": BRIEFING,
        "briefings/visit/ru.md": BRIEFING,
        "briefings/visit/map.png": b"\x89PNG not markdown",  # travels with the folder, ignored
        "pages/about/en.md": "---\ntitle: About\n---\nText\n",
        "facts/weapons.yaml": "fateh-110: {name: Fateh-110}\n",
        "facts/sources.yaml": "s: {publisher: P, title: T}\n",
        "timelines/arms.yaml": "title: T\nevents: []\n",
    })
    raw, problems = load(content)
    assert messages(problems) == []
    assert raw.site.data["languages"] == ["en", "ru"]
    assert sorted(raw.facts) == ["sources", "weapons"]
    assert list(raw.timelines) == ["arms"]
    docs = {(d.kind, d.slug, d.lang) for d in raw.documents}
    assert docs == {("briefings", "visit", "en"), ("briefings", "visit", "ru"), ("pages", "about", "en")}


def test_front_matter_and_body_positions(tmp_path):
    content = make_content(tmp_path, {"briefings/visit/en.md": BRIEFING})
    doc = load(content)[0].documents[0]
    assert doc.front["title"] == "T" and doc.front.line_of("date") == 3
    assert doc.body_line == 5
    assert doc.body.split("\n")[6 - doc.body_line] == "Body line one."


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    content = make_content(tmp_path, {"briefings/visit/en.md": b"\xef\xbb\xbf" + BRIEFING.replace("\n", "\r\n").encode()})
    raw, problems = load(content)
    assert messages(problems) == [] and raw.documents[0].front["title"] == "T"


def test_not_utf8_is_reported_with_its_line(tmp_path):
    content = make_content(tmp_path, {"briefings/visit/ru.md": "---\ntitle: T\n---\n".encode() + "Привет\n".encode("cp1251")})
    raw, problems = load(content)
    assert messages(problems) == ["content/briefings/visit/ru.md:4: file is not UTF-8 text: save it with UTF-8 encoding"]
    assert raw.documents == ()


def test_missing_site_yaml(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    _, problems = load(content)
    assert messages(problems)[0].startswith("content/site.yaml: site.yaml is missing")


def test_layout_mistakes_are_all_reported_in_one_run(tmp_path):
    content = make_content(tmp_path, {
        "facts/weapon.yaml": "x: {name: X}\n",
        "briefings/Bad_Slug/en.md": BRIEFING,
        "briefings/ok/README.md": "notes\n",
        "briefings/ok/en.md": "no front matter\n",
        "briefings/ok2/en.md": "---\ntitle: T\n",
        "briefings/ok3/en.md": "",
        "timelines/arms.txt": "x\n",
    })
    _, problems = load(content)
    got = messages(problems)
    assert len(got) == 7, got
    assert any(m.startswith("content/timelines/arms.txt: a timeline must be a .yaml file") for m in got)
    assert any(m.startswith("content/facts/weapon.yaml: unknown fact file") for m in got)
    assert any(m.startswith("content/briefings/Bad_Slug: folder name 'Bad_Slug' is not allowed") for m in got)
    assert any(m.startswith("content/briefings/ok/README.md: a language file is named") for m in got)
    assert any(m.startswith("content/briefings/ok/en.md:1: no front matter") for m in got)
    assert any(m.startswith("content/briefings/ok2/en.md:1: front matter is not closed") for m in got)
    assert any(m.startswith("content/briefings/ok3/en.md: file is empty") for m in got)


def test_yaml_errors_in_front_matter_count_lines_from_the_file_start(tmp_path):
    content = make_content(tmp_path, {"briefings/visit/en.md": "---\ntitle: T\ntitle: U\n---\n"})
    _, problems = load(content)
    assert messages(problems) == ["content/briefings/visit/en.md:3: duplicate key 'title' (first on line 2); each key may appear once"]


def test_split_front_matter_accepts_dots_as_closing_fence(tmp_path):
    problems = Problems(tmp_path)
    front, body, line = split_front_matter("---\ntitle: T\n...\nBody\n", tmp_path / "en.md", problems)
    assert front == {"title": "T"} and body == "Body\n" and line == 4


def test_folders_that_are_files_or_links(tmp_path):
    """A file where a folder belongs is reported; a link to a folder inside is followed; a broken link is nothing."""
    content = make_content(tmp_path, {
        "briefings/visit/en.md": BRIEFING,
        "drafts/kept/en.md": BRIEFING,
        "timelines": "not a folder\n",
    })
    (content / "pages").symlink_to(content / "drafts", target_is_directory=True)
    (content / "facts").symlink_to(content / "missing", target_is_directory=True)
    raw, problems = load(content)
    assert messages(problems) == ["content/timelines: 'timelines' must be a folder, not a file"]
    assert {(d.kind, d.slug) for d in raw.documents} == {("briefings", "visit"), ("pages", "kept")}
    assert raw.facts == {} and raw.timelines == {}
