"""cache/scan.py: the inputs as a scan finds them, and as a watcher's reports update them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.cache.scan import Inputs


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _same(a: Inputs, b: Inputs) -> None:
    assert {p: e[1] for p, e in a.files.items()} == {p: e[1] for p, e in b.files.items()}
    assert a.folders == b.folders


def test_the_reported_changes_update_the_inputs_as_a_scan_would(tmp_path):
    content, templates = tmp_path / "content", tmp_path / "templates"
    _tree(content, {"site.yaml": "a", "briefings/one/en.md": "one", "briefings/two/en.md": "two",
                    "briefings/two/ru.md": "два", "facts/weapons.yaml": "w"})
    _tree(templates, {"base.html": "b"})
    roots = [content, templates]
    before = Inputs.scan(roots, None)
    changed = set()

    def report(path: Path) -> None:
        changed.add(str(path))

    (content / "briefings/one/en.md").write_text("one, edited", encoding="utf-8")
    report(content / "briefings/one/en.md")
    _tree(content, {"briefings/three/deep/en.md": "three"})  # a new folder with a file: the folder is reported
    report(content / "briefings/three")
    (content / "facts/weapons.yaml").unlink()
    report(content / "facts/weapons.yaml")
    os.rename(content / "briefings/two", content / "briefings/renamed")  # reported as the folder alone, twice
    report(content / "briefings/two")
    report(content / "briefings/renamed")
    _tree(content, {".swap.md": "editor's", "briefings/one/.en.md.swp": "x"})
    report(content / ".swap.md")
    report(content / "briefings/one/.en.md.swp")
    (templates / "base.html").write_text("b2", encoding="utf-8")
    report(templates / "base.html")
    report(tmp_path / "elsewhere.txt")  # outside the inputs: not an input
    after = before.updated(changed, roots)
    _same(after, Inputs.scan(roots, before))
    assert str(content / "briefings/renamed/ru.md") in after.files
    assert str(content / "briefings/two") not in after.folders
    assert after.changed_since(before) is None  # files came and went

    shutil.rmtree(content / "briefings/three")
    again = after.updated({str(content / "briefings/three")}, roots)
    _same(again, Inputs.scan(roots, after))


def test_unreported_changes_are_not_seen(tmp_path):
    # What the watcher does not report is taken as unchanged: only a watcher that reports
    # every change may be trusted this way (the preview's; see BuildCache.reported).
    _tree(tmp_path / "content", {"a.md": "a", "b.md": "b"})
    roots = [tmp_path / "content"]
    before = Inputs.scan(roots, None)
    (tmp_path / "content" / "b.md").write_text("b, edited", encoding="utf-8")
    assert before.updated(set(), roots).files == before.files
    assert Inputs.scan(roots, before).changed_since(before) == [str(tmp_path / "content" / "b.md")]
