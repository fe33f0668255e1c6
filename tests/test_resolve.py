"""resolve.resolve: the validated Site model, and the links between records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.content.errors import Problems
from generator.content.load import load_content
from generator.content.model import Organization, Person, Topic, Weapon
from generator.content.resolve import resolve

from tests.helpers import make_content

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic" / "content"


def resolve_dir(content: Path):
    problems = Problems(content.resolve().parent)
    site = resolve(load_content(content, problems), problems)
    return site, problems


@pytest.fixture(scope="module")
def basic():
    site, problems = resolve_dir(FIXTURE)
    assert problems.errors == []
    return site


def errors(problems: Problems) -> list[str]:
    return [str(p) for p in problems.errors]


def test_site_config(basic):
    config = basic.config
    assert config.base_url == "https://example.org/news/" and config.base_path == "/news/"
    assert config.languages == ("en", "ru") and config.default_language == "en"
    assert config.timezone == "Europe/Moscow"
    assert config.title.get("ru") == "Тестовые брифинги" and config.publisher.get("en") == "Test desk"


def test_entities_by_kind(basic):
    kinds = {i: type(e) for i, e in basic.entities.items()}
    assert kinds == {"drone-x": Weapon, "missile-y": Weapon, "rocket-z": Weapon,
                     "test-person": Person, "test-org": Organization, "test-topic": Topic}
    drone = basic.entities["drone-x"]
    assert (drone.weapon_class, drone.origin, drone.range_km, drone.status, drone.sources) == (
        "loitering-munition", "IR", 1500, "reported", ("test-source-a",))
    assert basic.entities["rocket-z"].range_km == 4.5
    assert basic.entities["missile-y"].name.get("ru") == "Missile-Y"
    assert basic.entities["test-org"].org_kind == "news-agency"


def test_source_publisher_is_an_organisation_only_when_one_matches(basic):
    assert basic.sources["test-source-a"].publisher_id == "test-org"
    assert basic.sources["test-source-b"].publisher_id is None
    assert basic.sources["test-source-b"].publisher.get("ru") == "Plain Text Publisher"
    assert basic.sources["test-source-b"].date.precision == "month"


def test_timeline_in_date_order_ties_in_file_order(basic):
    events = basic.timelines["test-events"].events
    assert [e.index + 1 for e in events] == [2, 4, 5, 1, 3, 6]
    assert [e.date.iso() for e in events] == ["2021", "2022-05-01", "2022-05", "2022-06-10", "2022-06-10", "2023-01-20"]
    assert events[1].status == "reported"  # no status given
    assert events[-1].mentioned == ("missile-y", "rocket-z")  # rocket-z only in quantities


def test_briefings_newest_first_drafts_set_aside(basic):
    assert [g.slug for g in basic.briefings] == ["bilingual", "en-only"]
    assert basic.briefings[1].languages == ("en",)
    assert [(g.slug, g.languages) for g in basic.pages] == [("about", ("en", "ru")), ("ru-only", ("ru",))]


def test_documents(basic):
    doc = basic.briefings[0].get("ru")
    assert doc.authors == ("Тестовая редакция", "Джейн Доу") and doc.topics == ("test-topic",)
    assert doc.published == dt.datetime(2023, 3, 1, 7, 0, tzinfo=dt.timezone.utc) and doc.published_has_time
    assert doc.mentions == ("test-person", "drone-x", "test-org", "test-topic", "missile-y")
    assert doc.embedded_timelines == ("test-events",) and doc.timeline == "test-events"
    plain_date = basic.briefings[1].get("en").published
    assert plain_date.utcoffset() == dt.timedelta(hours=3)  # Europe/Moscow


def test_the_fixture_has_exactly_one_warning():
    _, problems = resolve_dir(FIXTURE)
    assert [(w.path, w.line) for w in problems.warnings] == [("content/facts/weapons.yaml", 8)]


# -- mistakes -------------------------------------------------------------------------

BRIEF = "---\ntitle: T\ndate: 2022-11-09\n{front}---\n\n{body}\n"


def test_unknown_ids_everywhere_are_reported_at_their_lines(tmp_path):
    content = make_content(tmp_path, {
        "facts/weapons.yaml": "w:\n  name: W\n  sources: [nope-source]\n",
        "timelines/t.yaml": "title: T\nevents:\n  - date: 2022\n    title: E\n    entities: [ghost]\n    quantities: {phantom: 2}\n",
        "briefings/b/en.md": BRIEF.format(front="topics: [w]\ntimeline: missing-tl\n", body="See [[nobody]].\n\n[[factbox:nothing]]"),
    })
    site, problems = resolve_dir(content)
    got = errors(problems)
    assert [p.split(": ", 1)[0] for p in got] == [
        "content/briefings/b/en.md:4", "content/briefings/b/en.md:5", "content/briefings/b/en.md:8",
        "content/briefings/b/en.md:10", "content/facts/weapons.yaml:3",
        "content/timelines/t.yaml:5", "content/timelines/t.yaml:6",
    ]
    assert "'w' in 'topics' is a weapon, not a topic" in got[0]
    assert "unknown timeline 'missing-tl'" in got[1]
    assert "unknown source 'nope-source'" in got[4]


def test_duplicate_id_across_fact_files(tmp_path):
    content = make_content(tmp_path, {
        "facts/people.yaml": "same: {name: A}\n",
        "facts/weapons.yaml": "other: {name: B}\nsame: {name: C}\n",
    })
    _, problems = resolve_dir(content)
    # Fact files are read weapons, people, organizations, topics, sources: the later one is wrong.
    assert errors(problems) == ["content/facts/people.yaml:1: id 'same' is already used in content/facts/weapons.yaml:2: fact ids must be unique across all fact files"]


def test_a_timeline_id_that_is_also_a_fact_id_names_both_files(tmp_path):
    content = make_content(tmp_path, {
        "facts/weapons.yaml": "other: {name: B}\nshahed-136: {name: Shahed-136}\n",
        "timelines/shahed-136.yaml": "title: T\nevents:\n  - date: 2022\n    title: E\n",
        "briefings/b/en.md": BRIEF.format(front="", body="See [[shahed-136]]."),
    })
    _, problems = resolve_dir(content)
    assert errors(problems) == [
        "content/timelines/shahed-136.yaml: the timeline id 'shahed-136' is already a fact id in content/facts/weapons.yaml:2: "
        "[[shahed-136]] would name both; rename this timeline file (ids are unique across facts and timelines)"]


def test_closed_vocabularies_and_countries(tmp_path):
    content = make_content(tmp_path, {
        "facts/weapons.yaml": "w: {name: W, class: laser-sword, origin: XX}\n",
        "facts/organizations.yaml": "o: {name: O, kind: club}\n",
    })
    _, problems = resolve_dir(content)
    got = errors(problems)
    assert len(got) == 3
    assert any("'class' is 'laser-sword', which is not one of: srbm" in m for m in got)
    assert any("'kind' is 'club', which is not one of: think-tank" in m for m in got)
    assert any("'origin' must be a two-letter country code" in m and "'XX'" in m for m in got)


def test_language_file_the_site_does_not_declare(tmp_path):
    content = make_content(tmp_path, {"briefings/b/de.md": BRIEF.format(front="", body="Text")})
    _, problems = resolve_dir(content)
    [message] = errors(problems)
    assert message.startswith("content/briefings/b/de.md: language 'de' is not declared in site.yaml")
    assert "add 'de' to languages there, or rename the file to one of en.md, ru.md" in message


def test_drafts_are_validated_but_not_published(tmp_path):
    content = make_content(tmp_path, {"briefings/b/en.md": BRIEF.format(front="draft: true\n", body="[[ghost]]")})
    site, problems = resolve_dir(content)
    assert [p.line for p in problems.errors] == [7]
    content = make_content(tmp_path / "ok", {"briefings/b/en.md": BRIEF.format(front="draft: true\n", body="Fine.")})
    site, problems = resolve_dir(content)
    assert problems.errors == [] and site.briefings == ()


def test_site_yaml_requirements(tmp_path):
    content = make_content(tmp_path, site_yaml="title: T\nbase_url: /relative/\nlanguages: [en, EN, en]\ntimezone: Mars/Base\n")
    site, problems = resolve_dir(content)
    assert site is None
    got = errors(problems)
    assert any("'base_url' must be an absolute http(s) address" in m for m in got)
    assert any("'EN' is not a language code" in m for m in got)
    assert any("language 'en' is listed twice" in m for m in got)
    assert any("unknown time zone 'Mars/Base'" in m for m in got)


def test_briefing_needs_title_and_date_page_only_title(tmp_path):
    content = make_content(tmp_path, {
        "briefings/b/en.md": "---\nsummary: S\n---\nText\n",
        "pages/p/en.md": "---\ntitle: About\n---\nText\n",
    })
    site, problems = resolve_dir(content)
    assert sorted(p.message for p in problems.errors) == ["the front matter needs a 'date' field", "the front matter needs a 'title' field"]


def test_source_status_is_checked(tmp_path):
    content = make_content(tmp_path, {"facts/sources.yaml": "s:\n  publisher: P\n  title: T\n  status: rumour\n"})
    _, problems = resolve_dir(content)
    assert [(p.line, p.message.split(",")[0]) for p in problems.errors] == [(4, "'status' is 'rumour'")]
