"""End-to-end: the sample site builds and its figures appear localised."""

from pathlib import Path


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_sample_figures_are_localised(sample_site):
    ru = read(sample_site, "ru/briefings/patrushev-tehran-visit/index.html")
    en = read(sample_site, "en/briefings/patrushev-tehran-visit/index.html")
    assert "300\u00a0км" in ru or "300 км" in ru
    assert "700\u00a0км" in ru or "700 км" in ru
    assert "140\u00a0млн\u00a0€" in ru or "140 млн €" in ru
    assert "300 km" in en and "700 km" in en and "€140M" in en


def test_sample_is_complete_and_fully_translated(tmp_path):
    from generator.build import build

    result = build(Path(__file__).resolve().parent.parent / "content", strict=True)  # no fallback anywhere
    assert result.warnings == []
    weapons = {"shahed-136", "mohajer-6", "fateh-110", "zolfaghar", "nlaw", "javelin", "stinger"}
    for lang in ("en", "ru"):
        assert {rel.split("/")[2] for rel in result.files if rel.startswith(f"{lang}/weapons/")} == weapons
        assert f"{lang}/briefings/patrushev-tehran-visit/index.html" in result.files
    events = result.site.timelines["russia-iran-arms"].events
    dates = [e.date.first_day for e in events]
    assert dates == sorted(dates) and len(events) >= 5
    assert events[-1].date.iso() == "2022-11-09"  # the visit itself


def test_source_labels_are_plain_plurals_in_russian(sample_site):
    """A label over a list is "Источники", never the counted form "Источника"."""
    ru = read(sample_site, "ru/briefings/patrushev-tehran-visit/index.html")
    assert 'factbox-sources-label">Источники<' in ru
    assert "Источника" not in ru
