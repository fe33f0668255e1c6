"""Every mistake an editor can make is one positioned, plain message.

Each case copies the ``basic`` fixture, makes one mistake in it and builds it
in-process. The build must fail with exactly the expected ``path:line:
message`` (no cascade of follow-on errors), in words an editor can act on.
The same cases through the real command line are in ``test_cli_errors.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import build
from generator.content.errors import ContentError
from mistakes import edit, errors, fresh_content, line_of, tree_digest, write

FM = "briefings/bilingual/en.md"
EN_ONLY = "briefings/en-only/en.md"
PAGE = "pages/about/en.md"
WEAPONS = "facts/weapons.yaml"
PEOPLE = "facts/people.yaml"
SOURCES = "facts/sources.yaml"
TIMELINE = "timelines/test-events.yaml"
SITE = "site.yaml"

# What a message must never look like: Python's own spelling of values and errors.
PYTHON_TALK = re.compile(r"\{'|\['|\bNone\b|object at 0x|Traceback|Error\b|datetime\.|<class|\\n|PosDict|PosList")


@dataclass(frozen=True)
class Mistake:
    name: str
    rel: str  # the file changed
    old: str  # text replaced (must exist in the fixture)
    new: str
    at: str | None  # text on the line the error must name (None: no line)
    words: str  # must appear in the message
    path: str | None = None  # the file the error names, when not ``rel``

    def __str__(self) -> str:
        return self.name


def check(tmp_path: Path, mistake: Mistake) -> str:
    """Apply ``mistake``; assert that it is the one error reported, and where; return the message."""
    content = fresh_content(tmp_path)
    edit(content, mistake.rel, mistake.old, mistake.new)
    reported = errors(content)
    where = f"content/{mistake.path or mistake.rel}"
    if mistake.at is not None:
        where += f":{line_of(content, mistake.path or mistake.rel, mistake.at)}"
    assert len(reported) == 1, "\n".join(reported)
    assert reported[0].startswith(where + ": "), f"expected {where}: ..., got {reported[0]}"
    assert mistake.words in reported[0], reported[0]
    assert not PYTHON_TALK.search(reported[0]), reported[0]
    return reported[0]


def run(cases):
    return pytest.mark.parametrize("mistake", cases, ids=str)


# -- malformed YAML, in each kind of file --------------------------------------
@run([
    Mistake("front matter: unclosed quote", FM, 'title: "Drone-X deliveries: a bilingual test briefing"',
            'title: "Drone-X deliveries: a bilingual test briefing', 'title: "Drone-X', "unclosed quote"),
    Mistake("front matter: tab", FM, 'summary: "A briefing', '\tsummary: "A briefing', "\tsummary", "tab character"),
    Mistake("front matter: bad indentation", FM, "authors: [Test desk, Jane Doe]", "authors: [Test desk, Jane Doe]\n   - stray item",
            "   - stray", "indentation"),
    Mistake("facts: unclosed quote", WEAPONS, "  class: srbm", '  class: "srbm', 'class: "srbm', "unclosed quote"),
    Mistake("facts: tab", WEAPONS, "  class: srbm", "\tclass: srbm", "\tclass", "tab character"),
    Mistake("facts: bad indentation", WEAPONS, "  class: srbm", " class: srbm", " class: srbm", "indentation"),
    Mistake("timeline: unclosed quote", TIMELINE, "title: {en: Tie A (first in file), ru: Событие А (первое в файле)}",
            "title: {en: 'Tie A (first in file), ru: Событие А (первое в файле)}", "{en: 'Tie A", "unclosed quote"),
    Mistake("timeline: tab", TIMELINE, "    entities: [missile-y]\n    quantities: {drone-x: 6000}",
            "    entities: [missile-y]\n\tquantities: {drone-x: 6000}", "\tquantities", "tab character"),
    Mistake("timeline: bad indentation", TIMELINE, "    sources: [test-source-a]\n    status: claimed",
            "    sources: [test-source-a]\n   status: claimed", "   status: claimed", "indentation"),
    Mistake("timeline: unclosed list", TIMELINE, "entities: [drone-x, test-org]", "entities: [drone-x, test-org",
            "entities: [drone-x, test-org", "not closed"),
    Mistake("site.yaml: unclosed quote", SITE, "base_url: https://example.org/news/", 'base_url: "https://example.org/news/',
            "base_url", "unclosed quote"),
    Mistake("site.yaml: tab", SITE, "timezone: Europe/Moscow", "timezone:\n\tEurope/Moscow", "\tEurope", "tab character"),
    Mistake("site.yaml: bad indentation", SITE, "  ru: Маленький", " ru: Маленький", " ru: Маленький", "indentation"),
])
def test_malformed_yaml(tmp_path, mistake):
    check(tmp_path, mistake)


# -- duplicate keys (PyYAML alone keeps the last one silently) -----------------
@run([
    Mistake("front matter", FM, "topics: [test-topic]", "topics: [test-topic]\ntopics: [other]", "topics: [other]", "duplicate key 'topics' (first on line 7)"),
    Mistake("fact id in one file", WEAPONS, "rocket-z:\n", "drone-x:\n  name: Again\nrocket-z:\n", "drone-x:\n  name: Again", "duplicate key 'drone-x' (first on line 1)"),
    Mistake("field of a fact", PEOPLE, "  country: RU", "  country: RU\n  role: Someone else", "role: Someone else", "duplicate key 'role' (first on line 3)"),
    Mistake("field of an event", TIMELINE, "    status: denied", "    status: denied\n    status: denied-again", "status: denied-again", "duplicate key 'status' (first on line 50)"),
    Mistake("site.yaml", SITE, "timezone: Europe/Moscow", "timezone: Europe/Moscow\ntimezone: UTC", "timezone: UTC", "duplicate key 'timezone' (first on line 4)"),
    Mistake("inside a flow mapping", TIMELINE, "quantities: {drone-x: 21}", "quantities: {drone-x: 21, drone-x: 22}", "drone-x: 22", "duplicate key 'drone-x'"),
])
def test_duplicate_keys(tmp_path, mistake):
    check(tmp_path, mistake)


def test_same_id_in_two_fact_files(tmp_path):
    message = check(tmp_path, Mistake("", PEOPLE, "test-person:", "drone-x:\n  name: A person\ntest-person:", "drone-x:", "drone-x"))
    assert "already used in content/facts/weapons.yaml:1" in message


# -- unknown ids, wherever ids are used ------------------------------------------
@run([
    Mistake("fact box embed", FM, "[[factbox:drone-x]]", "[[factbox:drone-q]]", "[[factbox:drone-q]]", "unknown weapon or person or organisation or topic 'drone-q'"),
    Mistake("timeline embed", FM, "[[timeline:test-events]]", "[[timeline:nope]]", "[[timeline:nope]]", "unknown timeline 'nope'"),
    Mistake("inline link", FM, "[[missile-y]]", "[[missile-q]]", "[[missile-q]]", "'missile-q'"),
    Mistake("inline link with text", FM, "[[test-org|a news agency]]", "[[test-orgs|a news agency]]", "[[test-orgs|", "'test-orgs'"),
    Mistake("inline link in a one-line event text", TIMELINE, '"[[missile-y]] is shown to the press."',
            '"[[missile-q]] is shown to the press."', "[[missile-q]]", "'missile-q' in [[missile-q]] in the text of event 6"),
    Mistake("inline link in a block event text", TIMELINE, 'ru: "По данным [[test-org|источников агентства]]',
            'ru: "По данным [[test-orgx|источников агентства]]', "[[test-orgx|", "'test-orgx'"),
    Mistake("inline link in a literal block, third line", TIMELINE, "    text:\n      en: A single [[drone-x]] is tested by [[test-org|the agency's sources]].",
            "    text:\n      en: |\n        A single [[drone-x]]\n        is tested\n        by [[test-orgz|the agency's sources]].", "by [[test-orgz", "'test-orgz'"),
    Mistake("entities", TIMELINE, "entities: [drone-x, test-org]", "entities: [drone-x, test-orgs]", "test-orgs", "'test-orgs' in 'entities' of event 2"),
    Mistake("entities, block list", TIMELINE, "entities: [drone-x, test-org]", "entities:\n      - drone-x\n      - test-orgs", "- test-orgs", "'test-orgs'"),
    Mistake("sources of a fact", WEAPONS, "sources: [test-source-a, test-source-b]", "sources: [test-source-a, test-source-q]", "test-source-q", "unknown source 'test-source-q'"),
    Mistake("sources of an event", TIMELINE, "    sources: [test-source-b]\n    status: disputed", "    sources: [test-source-q]\n    status: disputed", "test-source-q", "unknown source 'test-source-q'"),
    Mistake("topics", EN_ONLY, "topics: [test-topic]", "topics: [test-topic, no-such-topic]", "no-such-topic", "unknown topic 'no-such-topic'"),
    Mistake("topics, block list", EN_ONLY, "topics: [test-topic]", "topics:\n  - test-topic\n  - no-such-topic", "- no-such-topic", "unknown topic 'no-such-topic'"),
    Mistake("timeline in front matter", EN_ONLY, "timeline: test-events", "timeline: test-event", "timeline: test-event", "unknown timeline 'test-event'"),
    Mistake("quantities", TIMELINE, "quantities: {rocket-z: 1}", "quantities: {rocket-q: 1}", "rocket-q", "'rocket-q' in 'quantities' of event 6"),
    Mistake("an id of the wrong kind", EN_ONLY, "topics: [test-topic]", "topics: [drone-x]", "topics:", "'drone-x' in 'topics' is a weapon, not a topic"),
])
def test_unknown_ids(tmp_path, mistake):
    check(tmp_path, mistake)


# -- names that become paths -------------------------------------------------------
@run([
    Mistake("timeline in front matter", EN_ONLY, "timeline: test-events", "timeline: ../../x", "timeline:", "'../../x' in 'timeline' is not a valid id"),
    Mistake("topics", EN_ONLY, "topics: [test-topic]", "topics: [test-topic, ../etc]", "topics:", "'../etc' in 'topics' is not a valid id"),
    Mistake("fact box embed", FM, "[[factbox:drone-x]]", "[[factbox:../../x]]", "[[factbox:", "'../../x' in [[...]] is not a valid id"),
    Mistake("timeline embed", FM, "[[timeline:test-events]]", "[[timeline:/etc/passwd]]", "[[timeline:", "'/etc/passwd' in [[...]] is not a valid id"),
    Mistake("inline link", FM, "[[missile-y]]", "[[../missile-y]]", "[[../missile-y]]", "not a valid id"),
    Mistake("inline link in an event text", TIMELINE, '"[[missile-y]] is shown to the press."', '"[[../x]] is shown."', "[[../x]]", "not a valid id"),
    Mistake("fact id", WEAPONS, "rocket-z:\n", "rocket-z:\n  name: R\n../../escape:\n", "../../escape", "'../../escape' is not a valid id"),
    Mistake("upper-case fact id", PEOPLE, "test-person:", "Test-Person:", "Test-Person", "'Test-Person' is not a valid id"),
    Mistake("entities", TIMELINE, "entities: [drone-x, test-org]", "entities: [drone-x, ../test-org]", "../test-org", "'../test-org' in 'entities' is not a valid id"),
    Mistake("quantities", TIMELINE, "quantities: {rocket-z: 1}", "quantities: {../rocket-z: 1}", "../rocket-z", "'../rocket-z' in 'quantities' is not a valid id"),
])
def test_path_like_ids(tmp_path, mistake):
    check(tmp_path, mistake)


def test_path_like_ids_never_reach_the_file_system(tmp_path):
    content = fresh_content(tmp_path)
    edit(content, EN_ONLY, "timeline: test-events", "timeline: ../../../escaped")
    edit(content, FM, "[[factbox:drone-x]]", "[[factbox:../../escaped]]")
    edit(content, WEAPONS, "rocket-z:", "../../escaped:")
    write(content, "briefings/..%2Fescaped/en.md", "---\ntitle: T\ndate: 2023-01-01\n---\n")
    before = tree_digest(tmp_path)
    with pytest.raises(ContentError) as caught:
        build(content, tmp_path / "proj" / "site")
    assert len(caught.value.problems) >= 4
    assert tree_digest(tmp_path) == before, "a failed build wrote something"


@pytest.mark.parametrize("folder, shown", [("My Briefing", "My Briefing"), ("Итоги", "Итоги"), ("a_b", "a_b"), ("x" * 81, "x" * 81)])
def test_folder_names_outside_the_allowed_form(tmp_path, folder, shown):
    content = fresh_content(tmp_path)
    write(content, f"briefings/{folder}/en.md", "---\ntitle: T\ndate: 2023-01-01\n---\n")
    assert errors(content) == [f"content/briefings/{folder}: folder name '{shown}' is not allowed: "
                               "use lowercase ASCII letters, digits and hyphens, 1-80 characters"]


def test_timeline_file_name_outside_the_allowed_form(tmp_path):
    content = fresh_content(tmp_path)
    write(content, "timelines/Arms_Deliveries.yaml", "title: T\nevents: []\n")
    assert errors(content) == ["content/timelines/Arms_Deliveries.yaml: timeline id 'Arms_Deliveries' is not allowed: "
                               "use lowercase ASCII letters, digits and hyphens, 1-80 characters"]


# -- dates ---------------------------------------------------------------------------
@run([
    Mistake("impossible date in front matter", EN_ONLY, "date: 2023-02-15", "date: 2023-02-30", "date:", "impossible date '2023-02-30'"),
    Mistake("impossible quoted date", EN_ONLY, "date: 2023-02-15", "date: '2023-02-29'", "date:", "impossible date '2023-02-29'"),
    Mistake("impossible event date", TIMELINE, "date: 2022-05-01", "date: 2022-02-31", "date: 2022-02-31", "impossible date '2022-02-31'"),
    Mistake("impossible source date", SOURCES, "date: 2022-05-01", "date: 2022-05-41", "date: 2022-05-41", "impossible date '2022-05-41'"),
    Mistake("month 13", TIMELINE, "date: 2022-05\n", "date: 2022-13\n", "date: 2022-13", "'date' must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not '2022-13'"),
    Mistake("year 0", TIMELINE, "date: 2021\n", "date: '0000'\n", "date: '0000'", "not '0000'"),
    Mistake("prose date in front matter", EN_ONLY, "date: 2023-02-15", "date: last Tuesday", "date:", "'date' must be a date such as 2022-11-09"),
    Mistake("prose month", EN_ONLY, "date: 2023-02-15", "date: March 2023", "date:", "not 'March 2023'"),
    Mistake("prose event date", TIMELINE, "date: 2022-05\n", "date: spring 2022\n", "date: spring", "not 'spring 2022'"),
    Mistake("updated before date", FM, "updated: 2023-03-02T09:15:00+03:00", "updated: 2023-02-02T09:15:00+03:00", "updated:", "'updated' is earlier than 'date'"),
])
def test_dates(tmp_path, mistake):
    check(tmp_path, mistake)


def test_a_quoted_valid_date_is_a_date(tmp_path):
    content = fresh_content(tmp_path)
    edit(content, EN_ONLY, "date: 2023-02-15", "date: '2023-02-15'")
    edit(content, TIMELINE, "date: 2022-05-01", "date: '2022-05-01'")
    result = build(content, None)
    assert "2023-02-15" in result.files["en/briefings/en-only/index.html"].decode()


# -- wrong types -----------------------------------------------------------------------
@run([
    Mistake("range is text", WEAPONS, "range_km: 300", "range_km: far", "range_km: far", "'range_km' must be a number of zero or more, such as 300 or 2.5, not 'far'"),
    Mistake("range with a unit", WEAPONS, "range_km: 300", "range_km: 300 km", "range_km: 300 km", "not '300 km'"),
    Mistake("range is a list", WEAPONS, "range_km: 300", "range_km: [250, 300]", "range_km: [250", "not a list"),
    Mistake("range is negative", WEAPONS, "range_km: 300", "range_km: -300", "range_km: -300", "zero or more"),
    Mistake("range is infinite", WEAPONS, "range_km: 300", "range_km: .inf", "range_km: .inf", "not '.inf'"),
    Mistake("a list where a mapping belongs (quantities)", TIMELINE, "quantities: {rocket-z: 1}", "quantities: [rocket-z]", "quantities: [rocket-z]", "'quantities' must be a mapping"),
    Mistake("a list where text belongs (name)", WEAPONS, "name: Missile-Y", "name: [Missile, Y]", "name: [Missile", "must be text or a mapping of languages"),
    Mistake("a mapping where a list belongs (events)", TIMELINE, "events:\n", "events:\n  first: x\nnothing:\n", "events:", "'events' must be a list"),
    Mistake("a mapping where a list belongs (topics)", EN_ONLY, "topics: [test-topic]", "topics: {test-topic: yes}", "topics", "'topics' must be a list of ids"),
    Mistake("a mapping where text belongs (title)", EN_ONLY, "title: An English-only briefing", "title: {en: An English-only briefing}", "title:", "'title' must be text, not a mapping"),
    Mistake("yes/no where text belongs", WEAPONS, "name: Missile-Y", "name: yes", "name: yes", "put the text in quotes"),
    Mistake("a count that is not a number", TIMELINE, "quantities: {rocket-z: 1}", "quantities: {rocket-z: many}", "rocket-z: many", "the quantity of 'rocket-z' must be a whole number"),
    Mistake("draft is not yes/no", EN_ONLY, "date: 2023-02-15", "date: 2023-02-15\ndraft: maybe", "draft:", "'draft' must be true or false"),
    Mistake("an unknown status", TIMELINE, "status: claimed", "status: rumoured", "status: rumoured", "'status' is 'rumoured', which is not one of"),
    Mistake("an explicit tag that does not fit", WEAPONS, "range_km: 300", "range_km: !!int three hundred", "range_km: !!int", "is not a whole number"),
    Mistake("a language that is not the site's", PEOPLE, "role: {en: Fictional minister, ru: Вымышленный министр}",
            "role: {en: Fictional minister, de: Minister}", "role:", "'de', which is not a site language"),
    Mistake("an unquoted comma in flow style", PEOPLE, "role: {en: Fictional minister, ru: Вымышленный министр}",
            "role: {en: Minister, of tests, ru: Министр}", "role:", "an unquoted comma splits the text"),
])
def test_wrong_types(tmp_path, mistake):
    check(tmp_path, mistake)


# -- missing required fields --------------------------------------------------------------
@run([
    Mistake("briefing title", EN_ONLY, "title: An English-only briefing\n", "", "summary:", "the front matter needs a 'title' field"),
    Mistake("briefing date", EN_ONLY, "date: 2023-02-15\n", "", "title:", "the front matter needs a 'date' field"),
    Mistake("empty title", EN_ONLY, "title: An English-only briefing", "title:", "title:", "'title' is empty"),
    Mistake("page title", PAGE, "title: About the test site\n", "", "summary:", "needs a 'title' field"),
    Mistake("fact name", WEAPONS, "  name: Missile-Y\n", "", "missile-y:", "weapon 'missile-y' needs a 'name' field"),
    Mistake("source title", SOURCES, '  title: "Drones, missiles: a test report"\n', "", "test-source-a:", "source 'test-source-a' needs a 'title' field"),
    Mistake("event date", TIMELINE, "  - date: 2023-01-20\n    title: {en: Latest event", "  - title: {en: Latest event", "- title: {en: Latest", "event 6 needs a 'date' field"),
    Mistake("event title", TIMELINE, "    title: {en: Latest event, ru: Последнее событие}\n", "", "date: 2023-01-20", "needs a 'title' field"),
    Mistake("timeline title", TIMELINE, "title: {en: Test events, ru: Тестовые события}\n", "", "description:", "timeline 'test-events' needs a 'title' field"),
    Mistake("site title", SITE, "title: {en: Test Briefings, ru: Тестовые брифинги}\n", "", "base_url", "site.yaml needs a 'title' field"),
    Mistake("site base_url", SITE, "base_url: https://example.org/news/\n", "", "title:", "site.yaml needs a 'base_url' field"),
    Mistake("site languages", SITE, "languages: [en, ru]\n", "", "title:", "site.yaml needs 'languages'"),
    Mistake("default-language text", WEAPONS, "name: {en: Rocket-Z, ru: Ракета-Z}", "name: {ru: Ракета-Z}", "name: {ru", "has no 'en' text"),
])
def test_missing_required_fields(tmp_path, mistake):
    check(tmp_path, mistake)


# -- site.yaml: open data settings and the site's own vocabularies --------------------------------
PUBLISHER = "publisher: {en: Test desk, ru: Тестовая редакция}"


@run([
    Mistake("a vocabulary label without the default language", SITE, PUBLISHER,
            PUBLISHER + "\nvocabularies:\n  weapon_classes:\n    glide-bomb: {ru: Планирующая бомба}", "glide-bomb:",
            "the label of weapon class 'glide-bomb' in vocabularies has no 'en' text: the default language is required"),
    Mistake("feed_limit that is zero", SITE, PUBLISHER, PUBLISHER + "\nfeed_limit: 0", "feed_limit:",
            "'feed_limit' must be a whole number of 1 or more"),
    Mistake("feed_limit that is text", SITE, PUBLISHER, PUBLISHER + "\nfeed_limit: many", "feed_limit:", "not 'many'"),
    Mistake("data_license that is not an address", SITE, PUBLISHER, PUBLISHER + "\ndata_license: CC BY 4.0", "data_license:",
            "'data_license' must be the absolute address of the licence of your data"),
    Mistake("a weapon class nobody declared", WEAPONS, "class: srbm", "class: glide-bomb", "class: glide-bomb",
            "a term of your own goes under 'vocabularies: weapon_classes:' in site.yaml"),
])
def test_open_data_settings_and_vocabularies(tmp_path, mistake):
    check(tmp_path, mistake)


# -- whole files: empty, no front matter, not UTF-8, wrong language ----------------------------
@pytest.mark.parametrize("rel, data, line, words", [
    (EN_ONLY, "", None, "file is empty"),
    (EN_ONLY, "\n   \n", None, "file is empty"),
    (EN_ONLY, "# A heading\n\nText without front matter.\n", 1, "no front matter: the file must start with a line '---'"),
    (EN_ONLY, "---\ntitle: T\ndate: 2023-01-01\n\nText.\n", 1, "front matter is not closed"),
    (EN_ONLY, "---\n- a list\n---\nText.\n", 2, "front matter must be fields written as 'name: value' lines"),
    (TIMELINE, "", None, "the timeline file is empty"),
    (TIMELINE, "- just a list\n", None, "a timeline must be fields written as 'name: value' lines"),
    (SITE, "", None, "site.yaml is empty"),
    (WEAPONS, "- a list of names\n", None, "weapons.yaml must map each id to its fields"),
])
def test_empty_and_shapeless_files(tmp_path, rel, data, line, words):
    content = fresh_content(tmp_path)
    write(content, rel, data)
    reported = errors(content)
    where = f"content/{rel}" + (f":{line}" if line else "")
    assert len(reported) == 1 and reported[0].startswith(where + ": ") and words in reported[0], reported


def test_empty_front_matter_names_what_is_missing(tmp_path):
    content = fresh_content(tmp_path)
    write(content, EN_ONLY, "---\n---\nText.\n")
    assert errors(content) == [f"content/{EN_ONLY}:2: the front matter needs a 'date' field",
                               f"content/{EN_ONLY}:2: the front matter needs a 'title' field"]


@pytest.mark.parametrize("rel, text, encoding, line", [
    (EN_ONLY, "---\ntitle: Café\ndate: 2023-02-15\n---\nText.\n", "latin-1", 2),
    (PEOPLE, "test-person:\n  name: {en: Ivan, ru: Иван}\n", "cp1251", 2),
    (TIMELINE, "title: Т\nevents: []\n", "koi8-r", 1),
    (SITE, "title: Test\nbase_url: https://example.org/\nlanguages: [en, ru]\n", "utf-16", 1),
])
def test_files_that_are_not_utf8(tmp_path, rel, text, encoding, line):
    content = fresh_content(tmp_path)
    write(content, rel, text.encode(encoding))
    assert errors(content) == [f"content/{rel}:{line}: file is not UTF-8 text: save it with UTF-8 encoding"]


def test_undeclared_language_file_says_how_to_fix_it(tmp_path):
    content = fresh_content(tmp_path)
    write(content, "briefings/bilingual/de.md", "---\ntitle: Drohnen\ndate: 2023-03-01\n---\nText.\n")
    assert errors(content) == [
        "content/briefings/bilingual/de.md: language 'de' is not declared in site.yaml (languages: en, ru): "
        "add 'de' to languages there, or rename the file to one of en.md, ru.md"]


DE_ERROR = ("content/briefings/bilingual/de.md: language 'de' is not declared in site.yaml (languages: en, ru): "
            "add 'de' to languages there, or rename the file to one of en.md, ru.md")


@pytest.mark.parametrize("old, new, site_error", [
    # YAML cannot read the file: its languages line is read on its own.
    ("title: {en: Test Briefings, ru: Тестовые брифинги}", "title: {en: Test Briefings, ru: Тестовые брифинги",
     "content/site.yaml:1: "),
    ("timezone: Europe/Moscow", "timezone: !!python/name:os.system", "content/site.yaml:4: YAML tag"),
    ("languages: [en, ru]\ntimezone: Europe/Moscow", "languages:\n- en\n  # the default first\n- ru\ntimezone: Europe/Moscow\n\tdescription: x",
     "content/site.yaml:"),
    # YAML reads it, but a setting is missing: its languages are beyond doubt all the same.
    ("base_url: https://example.org/news/\n", "", "content/site.yaml:1: site.yaml needs a 'base_url' field"),
])
def test_a_stray_language_file_is_reported_while_site_yaml_is_broken(tmp_path, old, new, site_error):
    # Both mistakes in one run: the editor need not fix site.yaml to learn of de.md.
    content = fresh_content(tmp_path)
    edit(content, SITE, old, new)
    write(content, "briefings/bilingual/de.md", "---\ntitle: Drohnen\ndate: 2023-03-01\n---\nText.\n")
    reported = errors(content)
    assert len(reported) == 2 and reported[1].startswith(site_error), "\n".join(reported)
    assert reported[0] == DE_ERROR


@pytest.mark.parametrize("old, new", [
    ("languages: [en, ru]", "languages: [en, ru"),  # the languages themselves cannot be read
    ("languages: [en, ru]", "languages: [en, ru]\nlanguages: [en, de]"),  # which of the two?
    ("languages: [en, ru]", "languages: [en, russian]"),  # not a list of codes
])
def test_no_language_file_is_judged_when_the_languages_are_in_doubt(tmp_path, old, new):
    content = fresh_content(tmp_path)
    edit(content, SITE, old, new)
    write(content, "briefings/bilingual/de.md", "---\ntitle: Drohnen\ndate: 2023-03-01\n---\nText.\n")
    reported = errors(content)
    assert [line.split(":")[0] for line in reported] == ["content/site.yaml"], "\n".join(reported)


@pytest.mark.parametrize("name", ["EN.md", "english.md", "en-GB.md"])
def test_language_file_names_must_be_codes(tmp_path, name):
    content = fresh_content(tmp_path)
    write(content, f"briefings/bilingual/{name}", "---\ntitle: T\ndate: 2023-03-01\n---\n")
    assert errors(content) == [f"content/briefings/bilingual/{name}: a language file is named by its language code, such as en.md or ru.md"]


# -- YAML tags: refused, never executed ------------------------------------------------------------
@pytest.mark.parametrize("rel, old, template", [
    (FM, "topics: [test-topic]", "topics: !!python/object/apply:os.system ['touch {marker}']"),
    (WEAPONS, "range_km: 300", "range_km: !!python/object/apply:subprocess.check_call [['touch', '{marker}']]"),
    (TIMELINE, "status: claimed", "status: !!python/object/new:builtins.open ['{marker}', 'w']"),
    (SITE, "timezone: Europe/Moscow", "timezone: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{marker}']]"),
    (PEOPLE, "country: RU", "country: !!python/name:os.system"),
])
def test_python_tags_are_refused_and_never_executed(tmp_path, rel, old, template):
    marker = tmp_path / "executed"
    content = fresh_content(tmp_path)
    at = edit(content, rel, old, template.format(marker=marker))
    reported = errors(content)
    assert len(reported) == 1, reported
    assert reported[0].startswith(f"content/{rel}:{at}: YAML tag !!python/"), reported
    assert "is not allowed" in reported[0]
    assert not marker.exists(), "the YAML tag was executed"


@pytest.mark.parametrize("value, tag", [("!!binary aGVsbG8=", "!!binary"), ("!!set {a, b}", "!!set"), ("!custom 300", "!custom")])
def test_other_tags_are_refused(tmp_path, value, tag):
    check(tmp_path, Mistake("", WEAPONS, "range_km: 300", f"range_km: {value}", "range_km: !", f"YAML tag {tag} is not allowed"))


# -- many mistakes, one run -----------------------------------------------------------------------
def test_all_errors_of_a_run_are_reported_together(tmp_path):
    content = fresh_content(tmp_path)
    edit(content, FM, "[[factbox:drone-x]]", "[[factbox:nope]]")
    edit(content, EN_ONLY, "date: 2023-02-15", "date: 2023-02-30")
    edit(content, WEAPONS, "range_km: 300", "range_km: far")
    edit(content, SOURCES, "url: https://example.com/report-b", "url: https://example.com/report-b\n  url: again")
    edit(content, TIMELINE, "entities: [missile-y]", "entities: [missile-q]")
    write(content, "briefings/bilingual/de.md", "---\ntitle: T\ndate: 2023-01-01\n---\n")
    write(content, "pages/contact/en.md", "no front matter\n")
    write(content, PEOPLE, "test-person:\n  name: Caf\xe9\n".encode("latin-1"))
    write(content.parent, "templates/home.html", "{% extends 'base.html' %}\n{% block content %}{% if %}{% endblock %}\n")
    reported = errors(content)
    assert [r.split(": ")[0] for r in reported] == [
        "content/briefings/bilingual/de.md",
        f"content/{FM}:{line_of(content, FM, '[[factbox:nope]]')}",
        f"content/{EN_ONLY}:4",
        f"content/{PEOPLE}:2",
        f"content/{SOURCES}:{line_of(content, SOURCES, 'url: again')}",
        f"content/{WEAPONS}:{line_of(content, WEAPONS, 'range_km: far')}",
        "content/pages/contact/en.md:1",
        f"content/{TIMELINE}:{line_of(content, TIMELINE, 'missile-q')}",
        "templates/home.html:2",
    ], "\n".join(reported)


def test_a_broken_file_is_one_error_not_one_per_use_of_its_ids(tmp_path):
    # Every id of weapons.yaml is used a dozen times; only the file's own error is shown.
    content = fresh_content(tmp_path)
    edit(content, WEAPONS, "  class: srbm", "\tclass: srbm")
    edit(content, TIMELINE, "title: {en: Test events", "title: {en: Test events\ntitle: again\nx: {en: Test events")
    edit(content, SITE, "languages: [en, ru]", "languages: [en, ru")
    assert [r.split(": ")[0] for r in errors(content)] == ["content/facts/weapons.yaml:16", "content/site.yaml:3", "content/timelines/test-events.yaml:8"]


def test_content_is_never_modified(tmp_path):
    content = fresh_content(tmp_path)
    before = tree_digest(content)
    build(content, tmp_path / "proj" / "site")
    edit(content, WEAPONS, "range_km: 300", "range_km: far")
    broken = tree_digest(content)
    with pytest.raises(ContentError):
        build(content, tmp_path / "proj" / "site")
    assert tree_digest(content) == broken
    edit(content, WEAPONS, "range_km: far", "range_km: 300")
    assert tree_digest(content) == before


# -- links out of the content folder ---------------------------------------------------------------
def test_links_out_of_the_content_folder_are_refused(tmp_path):
    content = fresh_content(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Private notes\ndate: 2023-01-01\n---\nDo not publish.\n")
    (content / "briefings/leak").mkdir()
    (content / "briefings/leak/en.md").symlink_to(secret)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (content / "pages/other").symlink_to(outside, target_is_directory=True)
    reported = errors(content)
    assert reported == [
        "content/briefings/leak/en.md: this is a link to a file or folder outside the content folder, which is not allowed: copy it into the content folder instead",
        "content/pages/other: this is a link to a file or folder outside the content folder, which is not allowed: copy it into the content folder instead",
    ]


def test_links_inside_the_content_folder_are_followed(tmp_path):
    content = fresh_content(tmp_path)
    (content / "briefings/copy").mkdir()
    (content / "briefings/copy/en.md").symlink_to(content / EN_ONLY)
    result = build(content, None)
    assert "en/briefings/copy/index.html" in result.files


# -- a site's own templates ------------------------------------------------------------------------
HOME = '{% extends "base.html" %}\n{% block content %}\n<h1>News</h1>\nBROKEN\n{% endblock %}\n'


@pytest.mark.parametrize("name, body, line, words", [
    ("home.html", HOME.replace("BROKEN", "{% if %}"), 4, "template error: Expected an expression"),
    ("home.html", HOME.replace("BROKEN", "{% for x in items %}"), 5, "template error: Encountered unknown tag 'endblock'"),
    ("home.html", HOME.replace("BROKEN", "{{ no_such_variable }}"), 4, "template error: 'no_such_variable' is undefined"),
    ("home.html", HOME.replace("BROKEN", "{{ page.no_such_field }}"), 4, "template error: PageInfo has no field 'no_such_field'"),
    ("home.html", HOME.replace("BROKEN", "{{ 1 / 0 }}"), 4, "template error: division by zero"),
    ("home.html", HOME.replace("BROKEN", "{% include 'partials/missing.html' %}"), 4, "template error: template 'partials/missing.html' does not exist"),
    ("partials/factbox.html", "<aside>\n{{ item.name|loc }}\n{{ item.no_such_field }}\n</aside>\n", 3, "template error: Weapon has no field 'no_such_field'"),
    ("home.html", HOME.replace("BROKEN", "Caf\xe9").encode("latin-1"), 4, "template error: the template is not UTF-8 text"),
])
def test_template_errors_are_named_at_template_and_line(tmp_path, name, body, line, words):
    content = fresh_content(tmp_path)
    write(content.parent, f"templates/{name}", body)
    reported = errors(content)
    assert len(reported) == 1 and reported[0].startswith(f"templates/{name}:{line}: {words}"), reported
    assert not PYTHON_TALK.search(reported[0]), reported[0]


def test_every_broken_template_is_reported_in_one_run(tmp_path):
    content = fresh_content(tmp_path)
    write(content.parent, "templates/home.html", HOME.replace("BROKEN", "{% if %}"))
    write(content.parent, "templates/topic.html", '{% extends "base.html" %}\n{% block content %}{{ x | }}{% endblock %}\n')
    write(content.parent, "templates/entity.html", '{% extends "base.html" %}\n{% block content %}{{ item.nope }}{% endblock %}\n')
    reported = errors(content)
    assert [r.split(": ")[0] for r in reported] == ["templates/entity.html:2", "templates/home.html:4", "templates/topic.html:2"], reported


# -- atomic output -----------------------------------------------------------------------------------
@pytest.mark.parametrize("mistake", ["content", "template"])
def test_a_failed_build_leaves_the_previous_output_byte_identical(tmp_path, mistake):
    content = fresh_content(tmp_path)
    out = tmp_path / "proj" / "site"
    build(content, out)
    (out / "extra.txt").write_text("left by hand")  # even files the build did not make stay
    before = tree_digest(out)
    if mistake == "content":
        edit(content, WEAPONS, "range_km: 300", "range_km: far")
    else:
        write(content.parent, "templates/entity.html", '{% extends "base.html" %}\n{% block content %}{{ item.nope }}{% endblock %}\n')
    with pytest.raises(ContentError):
        build(content, out)
    assert tree_digest(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["content", "site"] + (["templates"] if mistake == "template" else [])


def test_a_successful_build_leaves_no_stale_file(tmp_path):
    content = fresh_content(tmp_path)
    out = tmp_path / "proj" / "site"
    build(content, out)
    (out / "stale.html").write_text("from an older build")
    (out / "en" / "old-section").mkdir()
    (out / "en" / "old-section" / "index.html").write_text("old")
    (content / "briefings" / "en-only" / "en.md").unlink()  # its page must go as well
    result = build(content, out)
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == set(result.files)
    assert "en/briefings/en-only/index.html" not in on_disk
    assert sorted(p.name for p in out.parent.iterdir()) == ["content", "site"], "a staging folder was left behind"


@pytest.mark.parametrize("where", ["content folder", "inside content", "project root", "a file"])
def test_an_output_that_would_lose_user_files_is_refused(tmp_path, where):
    from generator.output.write import OutputError

    content = fresh_content(tmp_path)
    root = content.parent
    (root / "notes.txt").write_text("mine")
    out = {"content folder": content, "inside content": content / "site", "project root": root, "a file": root / "notes.txt"}[where]
    before = tree_digest(tmp_path)
    with pytest.raises(OutputError):
        build(content, out)
    assert tree_digest(tmp_path) == before


def test_a_body_is_checked_even_when_its_front_matter_is_broken(tmp_path):
    # A broken front matter must not hide the body's own mistakes: one run names both.
    content = fresh_content(tmp_path)
    edit(content, EN_ONLY, "date: 2023-02-15", "date: 2023-02-30")
    edit(content, EN_ONLY, "\n---\n", "\n---\nSee [[no-such-weapon]].\n")
    reported = errors(content)
    assert reported == [
        f"content/{EN_ONLY}:4: impossible date '2023-02-30': check the month and the day",
        f"content/{EN_ONLY}:{line_of(content, EN_ONLY, '[[no-such-weapon]]')}: unknown weapon or person or organisation"
        " or topic or timeline 'no-such-weapon' in [[no-such-weapon]]: no such id in content/facts or content/timelines",
    ], "\n".join(reported)
