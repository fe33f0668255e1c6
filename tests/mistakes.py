"""Helpers for the bad-input tests: a copy of the ``basic`` fixture with one mistake.

Each test copies ``tests/fixtures/basic/content`` into a temporary site root,
applies its mistake (replace a text, write or delete a file) and builds it.
``edit`` insists that the text it replaces exists, so a change to the fixture
cannot silently turn a test into one that checks nothing.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from generator.build import build
from generator.content.errors import ContentError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic" / "content"


def fresh_content(tmp_path: Path, fixture: Path = FIXTURE) -> Path:
    """A private copy of the basic fixture (or another): ``<tmp>/proj/content``."""
    content = tmp_path / "proj" / "content"
    shutil.copytree(fixture, content)
    return content


def edit(content: Path, rel: str, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` with ``new`` in one file; returns the 1-based line where ``new`` starts."""
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {rel}: the fixture changed"
    text = text.replace(old, new, count)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1 if new else 0


def write(content: Path, rel: str, data: str | bytes) -> Path:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def line_of(content: Path, rel: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in a content file."""
    text = (content / rel).read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not found in {rel}"
    return text[: text.index(needle)].count("\n") + 1


def errors(content: Path) -> list[str]:
    """Every error of a build of ``content`` (no output written), as printed."""
    try:
        build(content, None)
    except ContentError as error:
        return [str(p) for p in error.problems]
    raise AssertionError("the build succeeded, but it should have reported errors")


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file (and link target) under ``folder``."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            digest[rel] = "link:" + str(path.readlink())
        elif path.is_file():
            digest[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            digest[rel] = "dir"
    return digest
