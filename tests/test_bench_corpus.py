"""The benchmark's synthetic corpus is valid content and has the advertised shape."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator.build import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from corpus import FACT_WEAPON, FACT_WEAPON_SHOWN_BY, Corpus, write_briefing_site, write_hugo_site  # noqa: E402

pytestmark = pytest.mark.slow  # benchmark corpora


@pytest.fixture(scope="module")
def corpus():
    return Corpus(60)


def test_corpus_builds_without_problems(tmp_path, corpus):
    root = write_briefing_site(corpus, tmp_path / "ours")
    result = build(root / "content", root / "site")
    assert result.warnings == []
    boxing = [p for p in (root / "site" / "en" / "briefings").glob("*/index.html")
              if f'id="factbox-{FACT_WEAPON}"' in p.read_text(encoding="utf-8")]
    assert len(boxing) == min(FACT_WEAPON_SHOWN_BY, 60)
    # one in twenty briefings is in English only
    assert len(list((root / "site" / "ru" / "briefings").iterdir())) == 57


def test_corpus_is_deterministic(tmp_path):
    first = write_briefing_site(Corpus(30), tmp_path / "a")
    second = write_briefing_site(Corpus(30), tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_hugo_layout_mirrors_the_articles(tmp_path, corpus):
    root = write_hugo_site(corpus, tmp_path / "hugo")
    bundles = list((root / "content" / "briefings").glob("*/index.*.md"))
    assert len(bundles) == 60 + 57
    text = (root / "content" / "briefings" / "briefing-00000" / "index.en.md").read_text(encoding="utf-8")
    assert '{{< factbox "' in text and '{{< e "' in text


def test_longer_briefings_have_more_paragraphs_and_the_default_corpus_is_unchanged(tmp_path):
    from corpus import PARAGRAPHS, briefing_markdown

    def body(corpus):
        return briefing_markdown(corpus, corpus.briefings[1], "en", lambda kind, ident, text: f"[[{ident}]]")[2]
    assert Corpus(5).paragraphs == PARAGRAPHS == 6
    assert body(Corpus(5)) == body(Corpus(5, paragraphs=6))
    short, long = body(Corpus(5)), body(Corpus(5, paragraphs=24))
    assert len(long.split("\n\n")) == len(short.split("\n\n")) + 18
    root = write_briefing_site(Corpus(20, paragraphs=24), tmp_path / "long")
    assert build(root / "content", root / "site").warnings == []
