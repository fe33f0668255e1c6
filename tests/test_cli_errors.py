"""Bad input through the real command line: ``python3 -m generator build|check``.

For a representative mistake of each kind the process must exit with status
1, print only ``path[:line]: message`` lines and one summary line on stderr,
never a traceback, and leave the previous output byte-identical. ``check``
validates the same way and writes nothing at all.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from mistakes import edit, fresh_content, tree_digest, write

pytestmark = pytest.mark.slow  # the command line in other processes

ROOT = Path(__file__).resolve().parent.parent
# path, optional line, then the message: "content/x.md:4: ..." or "content/x/de.md: ..."
PROBLEM_LINE = re.compile(r"^(content|templates)/[^:\s][^:]*(:\d+)?: \S")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def apply(content: Path, mistake) -> None:
    for step in mistake:
        if len(step) == 3:
            edit(content, *step)
        else:
            write(content, *step)


MISTAKES = {
    "tab in a fact file": ([("facts/weapons.yaml", "  class: srbm", "\tclass: srbm")],
                           "content/facts/weapons.yaml:16: a tab character is not allowed in YAML"),
    "duplicate key in front matter": ([("briefings/en-only/en.md", "topics: [test-topic]", "topics: [test-topic]\ntopics: []")],
                                      "content/briefings/en-only/en.md:6: duplicate key 'topics'"),
    "unknown id in an embed": ([("briefings/bilingual/en.md", "[[factbox:drone-x]]", "[[factbox:drone-q]]")],
                               "content/briefings/bilingual/en.md:15: unknown weapon or person or organisation or topic 'drone-q'"),
    "path-like id": ([("briefings/en-only/en.md", "timeline: test-events", "timeline: ../../etc")],
                     "content/briefings/en-only/en.md:6: '../../etc' in 'timeline' is not a valid id"),
    "impossible date": ([("timelines/test-events.yaml", "date: 2022-05-01", "date: 2022-02-30")],
                        "impossible date '2022-02-30'"),
    "range that is not a number": ([("facts/weapons.yaml", "range_km: 300", "range_km: about 300")],
                                   "content/facts/weapons.yaml:18: 'range_km' must be a number"),
    "missing title": ([("briefings/en-only/en.md", "title: An English-only briefing\n", "")],
                      "content/briefings/en-only/en.md:2: the front matter needs a 'title' field"),
    "empty file": ([("briefings/en-only/en.md", "")], "content/briefings/en-only/en.md: file is empty"),
    "not UTF-8": ([("facts/people.yaml", "test-person:\n  name: Caf\xe9\n".encode("latin-1"))],
                  "content/facts/people.yaml:2: file is not UTF-8 text"),
    "undeclared language": ([("briefings/bilingual/de.md", "---\ntitle: T\ndate: 2023-01-01\n---\n")],
                            "content/briefings/bilingual/de.md: language 'de' is not declared in site.yaml"),
    "python tag": ([("site.yaml", "timezone: Europe/Moscow", "timezone: !!python/object/apply:os.system ['touch executed']")],
                   "content/site.yaml:4: YAML tag !!python/object/apply:os.system is not allowed"),
    "vocabulary label without the default language": ([("site.yaml", "timezone: Europe/Moscow", "timezone: Europe/Moscow\nvocabularies:\n  organization_kinds:\n    industrial-zone: {ru: Промзона}")],
                                                      "content/site.yaml:7: the label of organisation kind 'industrial-zone' in vocabularies has no 'en' text"),
    "template error": ([("../templates/topic.html", '{% extends "base.html" %}\n{% block content %}\n{{ no_such }}\n{% endblock %}\n')],
                       "templates/topic.html:3: template error: 'no_such' is undefined"),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_build_reports_the_mistake_exits_1_and_keeps_the_output(tmp_path, name):
    content = fresh_content(tmp_path)
    root = content.parent
    build(content, root / "site")
    before = tree_digest(root / "site")
    steps, expected = MISTAKES[name]
    apply(content, steps)
    proc = cli("build", cwd=root)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    *problems, summary = proc.stderr.strip().splitlines()
    assert problems and all(PROBLEM_LINE.match(line) for line in problems), proc.stderr
    assert any(expected in line for line in problems), proc.stderr
    assert summary == f"build failed: {len(problems)} error{'s' if len(problems) > 1 else ''}; site/ left unchanged"
    assert tree_digest(root / "site") == before
    assert not (root / "executed").exists()


def test_all_mistakes_of_a_run_are_printed_together(tmp_path):
    content = fresh_content(tmp_path)
    together = ("tab in a fact file", "duplicate key in front matter", "unknown id in an embed", "impossible date",
                "not UTF-8", "python tag", "template error",
                "undeclared language")  # judged by the languages line of the broken site.yaml
    for name in together:
        apply(content, MISTAKES[name][0])
    proc = cli("build", "--output", "public", cwd=content.parent)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    *problems, summary = proc.stderr.strip().splitlines()
    assert all(PROBLEM_LINE.match(line) for line in problems), proc.stderr
    reported = "\n".join(problems)
    for name in together:
        if name != "template error":  # a runtime template error shows once the content renders
            assert MISTAKES[name][1] in reported, name
    assert summary.startswith(f"build failed: {len(problems)} errors")
    assert not (content.parent / "public").exists()


@pytest.mark.parametrize("output, words", [
    ("notes.txt", "notes.txt: this is a file, not a folder"),
    ("content", "content: this folder holds content/, which the build would replace"),
    ("content/site", "content/site: the site cannot go inside content/"),
    (".", ": refusing to replace this folder"),
])
def test_an_unusable_output_folder_exits_1_and_touches_nothing(tmp_path, output, words):
    content = fresh_content(tmp_path)
    (content.parent / "notes.txt").write_text("mine")
    before = tree_digest(tmp_path)
    proc = cli("build", "--output", output, cwd=content.parent)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == proc.stderr.strip().splitlines()[0] and words in proc.stderr
    assert tree_digest(tmp_path) == before


def test_a_missing_content_folder_exits_1(tmp_path):
    proc = cli("build", "--content", "nowhere", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("nowhere: content folder not found")
    assert list(tmp_path.iterdir()) == []


def test_check_validates_and_writes_nothing(tmp_path):
    content = fresh_content(tmp_path)
    before = tree_digest(tmp_path)
    proc = cli("check", cwd=content.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("content is valid:")
    edit(content, "facts/weapons.yaml", "range_km: 300", "range_km: far")
    broken = tree_digest(tmp_path)
    proc = cli("check", cwd=content.parent)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0].startswith("content/facts/weapons.yaml:18: 'range_km' must be a number")
    assert tree_digest(tmp_path) == broken
    assert before.keys() == broken.keys()


def test_check_takes_the_content_folder_as_an_option(tmp_path):
    content = fresh_content(tmp_path)
    edit(content, "briefings/bilingual/en.md", "[[missile-y]]", "[[missile-q]]")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = tree_digest(tmp_path)
    proc = cli("check", "--content", str(content), cwd=elsewhere)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "content/briefings/bilingual/en.md:17: unknown" in proc.stderr
    assert tree_digest(tmp_path) == before
