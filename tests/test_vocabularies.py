"""The site's own terms (site.yaml ``vocabularies:``, generator/content/vocabularies.py) and the other
open data settings of site.yaml (``data_license``, ``feed_limit``): read, shown, and refused with a
message at path:line when wrong."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import html

from generator.build import build
from generator.content.errors import ContentError
from helpers import SITE_YAML, make_content

OPENDATA = Path(__file__).resolve().parent / "fixtures" / "opendata" / "content"

FACTS = {
    "facts/weapons.yaml": """\
        kab-500:
          name: KAB-500
          class: glide-bomb
        """,
    "facts/organizations.yaml": """\
        alabuga:
          name: Alabuga
          kind: industrial-zone
        """,
}


def problems(content: Path, strict: bool = False) -> list[str]:
    try:
        result = build(content, None, strict=strict)
    except ContentError as error:
        return [str(p) for p in error.problems]
    return [str(w) for w in result.warnings]


def site_with(tmp_path: Path, vocabularies: str, files: dict | None = None) -> Path:
    return make_content(tmp_path, FACTS if files is None else files, SITE_YAML + vocabularies)


def factbox_value(page: bytes, term: str) -> str:
    root = html.fromstring(page)
    (dd,) = root.xpath(f"//dt[normalize-space()='{term}']/following-sibling::dd[1]")
    return dd.text_content().strip()


def test_terms_of_the_site_are_shown_with_their_labels_in_each_language(tmp_path):
    site = tmp_path / "site"
    build(OPENDATA, site)
    assert factbox_value((site / "en/weapons/kab-500/index.html").read_bytes(), "Class") == "Glide bomb"
    assert factbox_value((site / "ru/weapons/kab-500/index.html").read_bytes(), "Класс") == "Планирующая бомба"
    assert factbox_value((site / "en/organizations/alabuga/index.html").read_bytes(), "Type") == "Industrial zone"
    assert factbox_value((site / "ru/organizations/alabuga/index.html").read_bytes(), "Тип") == "Промышленная зона"
    # Built-in terms keep their catalogue labels beside them.
    assert factbox_value((site / "ru/organizations/sky-news/index.html").read_bytes(), "Тип") == "Телерадиокомпания"
    # The weapon's schema.org category, in the page's language.
    assert '"category":"Планирующая бомба"' in (site / "ru/weapons/kab-500/index.html").read_text(encoding="utf-8")


def test_a_missing_translation_of_a_label_falls_back_with_a_warning(tmp_path):
    content = site_with(tmp_path, "vocabularies:\n  weapon_classes:\n    glide-bomb: {en: Glide bomb}\n  organization_kinds:\n    industrial-zone: Industrial zone\n")
    found = problems(content)
    assert found == ["content/site.yaml:7: warning: missing 'ru' translation of the label of weapon class 'glide-bomb' in vocabularies: 'en' is shown instead"]
    assert problems(content, strict=True) == [found[0].replace("warning: ", "") + " (an error under --strict)"]
    build(content, tmp_path / "site")
    assert factbox_value((tmp_path / "site/ru/weapons/kab-500/index.html").read_bytes(), "Класс") == "Glide bomb"
    # A plain string is the label in every language: no warning.
    assert factbox_value((tmp_path / "site/ru/organizations/alabuga/index.html").read_bytes(), "Тип") == "Industrial zone"


@pytest.mark.parametrize("vocabularies, line, words, terms_lost", [
    ("vocabularies:\n  weapon_classes:\n    glide-bomb: {ru: Планирующая бомба}\n  organization_kinds:\n    industrial-zone: Zone\n", 7,
     "the label of weapon class 'glide-bomb' in vocabularies has no 'en' text: the default language is required", False),
    ("vocabularies:\n  weapon_classes:\n    glide-bomb:\n  organization_kinds:\n    industrial-zone: Zone\n", 7,
     "the label of weapon class 'glide-bomb' in vocabularies must be text, not empty", False),
    ("vocabularies:\n  weapon_classes:\n    glide-bomb: Glide bomb\n    srbm: Missile\n  organization_kinds:\n    industrial-zone: Zone\n", 8,
     "'srbm' is a built-in weapon class already, with its own label: remove it from vocabularies: weapon_classes, or give your term another id", False),
    ("vocabularies:\n  weapon_classes:\n    glide-bomb: Glide bomb\n    Glide_Bomb: Glide bomb\n  organization_kinds:\n    industrial-zone: Zone\n", 8,
     "'Glide_Bomb' in vocabularies: weapon_classes is not a valid id: use lowercase ASCII letters, digits and hyphens", False),
    ("vocabularies:\n  weapon_classes:\n    glide-bomb: Glide bomb\n  organization_kinds: [industrial-zone]\n", 8,
     "'organization_kinds' in 'vocabularies' must map each term to its labels, not a list", True),
    ("vocabularies: [glide-bomb]\n", 5, "'vocabularies' must be a mapping of organization_kinds and weapon_classes", True),
])
def test_mistakes_in_vocabularies(tmp_path, vocabularies, line, words, terms_lost):
    found = problems(site_with(tmp_path, vocabularies))
    in_site_yaml = [p for p in found if p.startswith("content/site.yaml")]
    assert len(in_site_yaml) == 1 and in_site_yaml[0].startswith(f"content/site.yaml:{line}: {words}"), found
    assert "\n" not in in_site_yaml[0]
    others = [p for p in found if p not in in_site_yaml]
    if terms_lost:
        # Terms that could not be read are unknown: each record that uses one says where terms go.
        assert others and all("a term of your own goes under 'vocabularies:" in p for p in others), others
    else:
        assert not others, others


def test_an_unknown_vocabulary_is_a_warning(tmp_path):
    found = problems(site_with(tmp_path, "vocabularies:\n  weapon_class:\n    glide-bomb: Glide bomb\n  weapon_classes:\n    glide-bomb: Glide bomb\n  organization_kinds:\n    industrial-zone: Zone\n"))
    assert found == ["content/site.yaml:6: warning: unknown field 'weapon_class' in 'vocabularies' is ignored (known fields: organization_kinds, weapon_classes)"]


def test_a_term_nobody_declared_says_where_to_declare_it(tmp_path):
    found = problems(make_content(tmp_path, FACTS))
    assert found == [
        "content/facts/organizations.yaml:3: 'kind' is 'industrial-zone', which is not one of: think-tank, news-agency, newspaper, broadcaster, media, "
        "government-body, ministry, intelligence-agency, military, company, ngo, armed-group, international-organization; "
        "a term of your own goes under 'vocabularies: organization_kinds:' in site.yaml, with its labels",
        "content/facts/weapons.yaml:3: 'class' is 'glide-bomb', which is not one of: srbm, mrbm, irbm, icbm, cruise-missile, anti-ship-missile, "
        "loitering-munition, uav, ucav, atgm, manpads, sam, artillery, mlrs, rocket, tank, ifv, apc, aircraft, helicopter, small-arms, "
        "ammunition, electronic-warfare; a term of your own goes under 'vocabularies: weapon_classes:' in site.yaml, with its labels",
    ]


def test_declared_terms_are_known_while_site_yaml_has_another_mistake(tmp_path):
    # base_url is missing: the config is unusable, but the records using declared terms are not reported.
    yaml = SITE_YAML.replace("base_url: https://example.org/news/\n", "") + (
        "vocabularies:\n  weapon_classes:\n    glide-bomb: Glide bomb\n  organization_kinds:\n    industrial-zone: Zone\n")
    found = problems(make_content(tmp_path, FACTS, yaml))
    assert found == ["content/site.yaml:1: site.yaml needs a 'base_url' field"]


# -- data_license and feed_limit -------------------------------------------------------------
@pytest.mark.parametrize("setting, words", [
    ("feed_limit: 0", "'feed_limit' must be a whole number of 1 or more (entries per feed, such as 50), not '0'"),
    ("feed_limit: -5", "not '-5'"),
    ("feed_limit: 2.5", "not '2.5'"),
    ("feed_limit: fifty", "not 'fifty'"),
    ("feed_limit: yes", "not 'true'"),
    ("data_license: CC-BY-4.0", "'data_license' must be the absolute address of the licence of your data, such as https://creativecommons.org/licenses/by/4.0/, not 'CC-BY-4.0'"),
    ("data_license: /licence/", "not '/licence/'"),
    ("data_license: [https://creativecommons.org/licenses/by/4.0/]", "'data_license' must be text, not a list"),
])
def test_mistakes_in_the_open_data_settings(tmp_path, setting, words):
    found = problems(make_content(tmp_path, {}, SITE_YAML + setting + "\n"))
    assert len(found) == 1 and found[0].startswith("content/site.yaml:5: ") and words in found[0], found


def _briefing(day: int, lang: str) -> str:
    return f"---\ntitle: Briefing {day} {lang}\ndate: 2023-01-{day:02d}\n---\n\nText.\n"


def test_each_feed_holds_the_newest_feed_limit_entries_of_its_language(tmp_path):
    files = {f"briefings/b{day}/en.md": _briefing(day, "en") for day in range(1, 6)}
    files.update({f"briefings/b{day}/ru.md": _briefing(day, "ru") for day in (1, 2, 4)})
    content = make_content(tmp_path, files, SITE_YAML + "feed_limit: 2\n")
    build(content, tmp_path / "site")
    en = feedparser.parse((tmp_path / "site/en/feed.xml").read_bytes())
    ru = feedparser.parse((tmp_path / "site/ru/feed.xml").read_bytes())
    assert [e.title for e in en.entries] == ["Briefing 5 en", "Briefing 4 en"]
    assert [e.title for e in ru.entries] == ["Briefing 4 ru", "Briefing 2 ru"]  # its own language's newest, not fewer
    assert en.feed.updated.startswith("2023-01-05") and ru.feed.updated.startswith("2023-01-04")
    # The home page still lists every briefing.
    assert len(html.fromstring((tmp_path / "site/en/index.html").read_bytes()).xpath("//main//article | //main//li")) >= 5


def test_the_feed_limit_defaults_to_50(tmp_path):
    files = {f"briefings/b{n}/en.md": f"---\ntitle: B{n}\ndate: 2023-01-01T{n // 60:02d}:{n % 60:02d}:00+00:00\n---\n\nText.\n"
             for n in range(52)}
    build(make_content(tmp_path, files), tmp_path / "site")
    feed = feedparser.parse((tmp_path / "site/en/feed.xml").read_bytes())
    assert len(feed.entries) == 50 and feed.entries[0].title == "B51" and feed.entries[-1].title == "B2"
