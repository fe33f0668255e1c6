"""``briefing new``: start a briefing, or the translation of one.

A new briefing gets today's date (in the site's time zone), empty required
fields for the editor to fill in (the build says so until they are), and
``draft: true`` so that nothing half-written is published. A new translation
starts from the original's front matter, as the editor wrote it (comments
included), with an empty body, also as a draft; the original's revision is
recorded at once (``revisions.py``), so the translation becomes *outdated*
if the original changes while it is being translated.

Nothing is ever overwritten: files are created with exclusive mode.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from ..content.errors import Problem, Problems
from ..content.fields import Fields
from ..content.ids import ID_RE, ID_RULE
from ..content.load import RawContent, parse_yaml_file, read_text, split_front_matter
from ..content.model import SiteConfig
from ..content.resolve import resolve_config
from . import revisions

KIND = "briefings"

NEW_BRIEFING = """\
---
title:
summary:
date: {date}
authors: []
topics: []
# timeline: a timeline id, to show that timeline after the article
draft: true
---

"""

DRAFT_LINE_RE = re.compile(r"^draft\s*:.*$")


class ScaffoldError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _config(content: Path, problems: Problems) -> SiteConfig:
    site_path = content / "site.yaml"
    if not site_path.is_file():
        raise ScaffoldError([Problem(problems.rel(site_path), None, "site.yaml is missing: is this the content folder? (pass --content DIR)")])
    raw = parse_yaml_file(site_path, problems)
    config = resolve_config(RawContent(content, raw, {}, {}, ()), problems) if raw is not None else None
    if problems.errors or config is None:
        raise ScaffoldError(problems.errors or [Problem(problems.rel(site_path), None, "site.yaml cannot be read")])
    return config


def _check_names(content: Path, slug: str, lang: str | None, config: SiteConfig, problems: Problems) -> None:
    errors = []
    if not ID_RE.match(slug):
        # Never a path: a slug such as "../x" must not reach the file system.
        errors.append(Problem(problems.rel(content / KIND), None, f"'{slug}' cannot be a briefing's name: use {ID_RULE}"))
    if lang is not None and lang not in config.languages:
        errors.append(Problem(problems.rel(content / "site.yaml"), None, f"'{lang}' is not a language of this site (languages: {', '.join(config.languages)})"))
    if errors:
        raise ScaffoldError(errors)


def _create(path: Path, text: str, problems: Problems) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError([Problem(problems.rel(path), None, "already exists: nothing was changed")]) from None


def new_briefing(content: Path, slug: str, lang: str | None = None, today: dt.date | None = None) -> Path:
    """Create ``briefings/<slug>/<lang>.md`` (the default language unless given)."""
    content = Path(content)
    problems = Problems(content.resolve().parent)
    config = _config(content, problems)
    _check_names(content, slug, lang, config, problems)
    lang = lang or config.default_language
    folder = content / KIND / slug
    path = folder / f"{lang}.md"
    others = sorted(p.name for p in folder.glob("*.md")) if folder.is_dir() else []
    if path.exists():
        raise ScaffoldError([Problem(problems.rel(path), None, "already exists: nothing was changed")])
    if others:
        raise ScaffoldError([Problem(problems.rel(folder), None, (
            f"this briefing already exists ({', '.join(others)}): to translate it, run 'briefing new {slug} --translate {lang}'"))])
    today = today or dt.datetime.now(ZoneInfo(config.timezone)).date()
    _create(path, NEW_BRIEFING.format(date=today.isoformat()), problems)
    return path


def new_translation(content: Path, slug: str, lang: str) -> tuple[Path, Path]:
    """Create ``briefings/<slug>/<lang>.md`` from the original; returns (new file, original)."""
    content = Path(content)
    problems = Problems(content.resolve().parent)
    config = _config(content, problems)
    _check_names(content, slug, lang, config, problems)
    folder = content / KIND / slug
    path = folder / f"{lang}.md"
    if path.exists():
        raise ScaffoldError([Problem(problems.rel(path), None, "already exists: nothing was changed")])
    original = next((folder / f"{code}.md" for code in config.languages if code != lang and (folder / f"{code}.md").is_file()), None)
    if original is None:
        raise ScaffoldError([Problem(problems.rel(folder), None, f"there is no briefing '{slug}' to translate: start it with 'briefing new {slug}'")])

    text = read_text(original, problems)
    split = split_front_matter(text, original, problems) if text is not None else None
    if split is None or split[0] is None:  # unreadable: its error is in problems
        raise ScaffoldError(problems.errors)
    front, body, _ = split
    fields = Fields(front, original, problems, config.languages, "the front matter")
    title = fields.string("title")
    summary = fields.string("summary")
    if not title:
        problems.error(original, front.line_of("title"), "the original has no title yet: write it before starting a translation")
    records = revisions.load_records(content, problems)  # a broken record stops us before any write
    if problems.errors:
        raise ScaffoldError(problems.errors)

    front_lines = text.split("\n")[1:]
    front_lines = front_lines[: next(i for i, line in enumerate(front_lines) if line.rstrip() in ("---", "..."))]
    _create(path, "---\n" + "\n".join(_as_draft(front_lines)) + "\n---\n\n", problems)
    records[revisions.record_key(KIND, slug, lang)] = revisions.revision(title, summary, body)
    revisions.save_records(content, records)
    return path, original


def _as_draft(lines: list[str]) -> list[str]:
    """The front matter with ``draft: true``: a copy in the original language is never published."""
    out = [("draft: true" if DRAFT_LINE_RE.match(line) else line) for line in lines]
    if not any(DRAFT_LINE_RE.match(line) for line in lines):
        out.append("draft: true")
    return out
