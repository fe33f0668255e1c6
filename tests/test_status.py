"""`briefing status`: every record's state in every language, as a table and as JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "translations"


def status_json(capsys, content: Path) -> list[dict]:
    assert main(["status", "--content", str(content), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def rows(capsys):
    return status_json(capsys, FIXTURE / "content")


def by_key(rows):
    return {(r["kind"], r["id"], r["language"]): r for r in rows}


def test_every_state_of_the_fixture(rows):
    states = {key: r["state"] for key, r in by_key(rows).items()}
    assert states == {
        ("briefings", "changed", "en"): "ok", ("briefings", "changed", "ru"): "outdated",
        ("briefings", "current", "en"): "ok", ("briefings", "current", "ru"): "ok",
        ("briefings", "english-only", "en"): "ok", ("briefings", "english-only", "ru"): "missing",
        ("briefings", "figures-differ", "en"): "ok", ("briefings", "figures-differ", "ru"): "ok",
        ("briefings", "fresh", "en"): "ok", ("briefings", "fresh", "ru"): "unverified",
        ("briefings", "russian-only", "en"): "missing", ("briefings", "russian-only", "ru"): "ok",
        ("briefings", "wip", "en"): "ok", ("briefings", "wip", "ru"): "missing",
        ("pages", "about", "en"): "ok", ("pages", "about", "ru"): "outdated",
        ("weapons", "drone-a", "en"): "ok", ("weapons", "drone-a", "ru"): "fallback",
        ("weapons", "missile-b", "en"): "ok", ("weapons", "missile-b", "ru"): "ok",
        ("topics", "deliveries", "en"): "ok", ("topics", "deliveries", "ru"): "ok",
        ("site", "site", "en"): "ok", ("site", "site", "ru"): "ok",
    }


def test_json_rows_name_the_fields_concerned_and_the_files(rows):
    rows = by_key(rows)
    assert rows[("briefings", "changed", "ru")]["fields"] == ["body"]
    assert rows[("pages", "about", "ru")]["fields"] == ["title"]
    assert rows[("weapons", "drone-a", "ru")]["fields"] == ["summary"]
    assert rows[("weapons", "drone-a", "ru")]["path"] == "content/facts/weapons.yaml"
    changed = rows[("briefings", "changed", "ru")]
    assert changed["path"] == "content/briefings/changed/ru.md" and changed["original"] == "content/briefings/changed/en.md"
    missing = rows[("briefings", "english-only", "ru")]
    assert missing["path"] == "content/briefings/english-only/ru.md" and missing["original"] == "content/briefings/english-only/en.md"
    assert rows[("briefings", "russian-only", "en")]["original"] == "content/briefings/russian-only/ru.md"
    for row in rows.values():
        assert {"kind", "id", "language", "state", "fields"} <= set(row)


def test_drafts_are_included_and_marked(rows):
    rows = by_key(rows)
    assert rows[("briefings", "wip", "en")]["draft"] is True
    assert rows[("briefings", "wip", "ru")]["draft"] is True  # the missing translation of a draft
    assert rows[("briefings", "current", "ru")]["draft"] is False


def test_text_table_one_line_per_record_with_totals(capsys, rows):
    assert main(["status", "--content", str(FIXTURE / "content")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["KIND", "ID", "EN", "RU"]
    table = {tuple(line.split()[:2]): line for line in lines[1:] if line and not line.startswith(("en:", "ru:"))}
    assert len(table) == 12
    assert table[("briefings", "changed")].split()[2:] == ["ok", "outdated:", "body"]
    assert table[("briefings", "russian-only")].split()[2:] == ["missing", "ok"]
    assert table[("weapons", "drone-a")].split()[2:] == ["ok", "fallback:", "summary"]
    assert table[("briefings", "wip")].split()[2:] == ["[draft]", "ok", "missing"]
    # The columns line up: each language's cell starts at the same place.
    column = lines[0].index("RU")
    assert all(line[column - 2:column] == "  " and line[column] != " " for line in lines[1:13])
    # Totals per language agree with the JSON rows.
    for lang in ("en", "ru"):
        counts = Counter(r["state"] for r in rows if r["language"] == lang)
        total = next(line for line in lines if line.startswith(f"{lang}: "))
        assert total == f"{lang}: " + ", ".join(f"{counts[s]} {s}" for s in ("ok", "missing", "fallback", "outdated", "unverified"))


def test_the_sample_content_is_all_ok(capsys):
    rows = status_json(capsys, ROOT / "content")
    assert rows and {r["state"] for r in rows} == {"ok"}
    assert {r["kind"] for r in rows} >= {"briefings", "pages", "weapons", "people", "organizations", "topics", "sources", "timelines"}


def test_timeline_events_and_site_settings_report_their_fallback_fields(tmp_path, capsys):
    root = shutil.copytree(FIXTURE, tmp_path / "r")
    (root / "content/timelines").mkdir()
    (root / "content/timelines/arms.yaml").write_text(
        "title: {en: Arms, ru: Оружие}\nevents:\n"
        "  - date: 2022\n    title: {en: First, ru: Первое}\n"
        "  - date: 2021\n    title: {en: Second}\n    text: {en: Only English, ru: По-русски}\n", encoding="utf-8")
    with (root / "content/site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("description: {en: English only}\n")
    rows = by_key(status_json(capsys, root / "content"))
    assert rows[("timelines", "arms", "ru")]["state"] == "fallback"
    assert rows[("timelines", "arms", "ru")]["fields"] == ["events[2].title"]
    assert rows[("site", "site", "ru")]["fields"] == ["description"]
    assert rows[("timelines", "arms", "en")]["state"] == "ok"


def test_content_errors_give_exit_status_1_and_the_errors(tmp_path, capsys):
    root = shutil.copytree(FIXTURE, tmp_path / "r")
    path = root / "content/briefings/fresh/ru.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2023-02-01", "date: 2023-02-31"), encoding="utf-8")
    assert main(["status", "--content", str(root / "content")]) == 1
    captured = capsys.readouterr()
    assert "content/briefings/fresh/ru.md:4: " in captured.err and "Traceback" not in captured.err
    assert "briefings  current" in captured.out  # the rest of the table is still shown


def test_missing_content_folder(tmp_path, capsys):
    assert main(["status", "--content", str(tmp_path / "nothing")]) == 1
    assert "content folder not found" in capsys.readouterr().err


def test_status_from_the_command_line(tmp_path):
    # The real entry point, in a fresh interpreter, from the site root.
    shutil.copytree(FIXTURE, tmp_path / "r")
    done = subprocess.run([sys.executable, "-m", "generator", "status", "--json"], cwd=tmp_path / "r",
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 24
