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
