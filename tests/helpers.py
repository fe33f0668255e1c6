"""Small helpers for tests: content folders written on the fly, folders read back and edited."""

from __future__ import annotations

import textwrap
from pathlib import Path

SITE_YAML = """\
title: {en: Test, ru: Тест}
base_url: https://example.org/news/
languages: [en, ru]
timezone: Europe/Moscow
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text, dedented, or bytes) under ``root``."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data), encoding="utf-8")
    return root


def make_content(root: Path, files: dict[str, str | bytes] | None = None, site_yaml: str = SITE_YAML) -> Path:
    """A content folder ``root/content`` with site.yaml and ``files``."""
    return write_tree(root / "content", {"site.yaml": site_yaml, **(files or {})})


def link_resolver(links: dict[str, tuple[str, str]]):
    """A Markdown link callback over ``links`` (id -> (href, name)): the text written, else the name."""
    def resolve(target, text):
        if target not in links:
            return None
        href, name = links[target]
        return href, text or name
    return resolve


def boxed_embed(kind, ident):
    """A Markdown block-embed callback: a marked box for any ``[[kind:id]]``."""
    return f'<aside class="{kind}" data-id="{ident}">box</aside>'


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (its path inside, with ``/``) and its bytes: two builds compared byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    """An editor's save: the first ``old`` of a text file replaced by ``new`` (``old`` must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
