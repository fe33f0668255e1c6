"""fields.Fields and read_text: typed field readers that never blank a bad value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.content.errors import Problems
from generator.content.fields import Fields, read_text
from generator.content.model import Money, PartialDate, Text
from generator.content.yamlsafe import load_yaml

LANGS = ("en", "ru")
ROOT = Path("/site")
PATH = ROOT / "content" / "facts" / "weapons.yaml"


def fields(yaml_text: str, what: str = "weapon 'x'") -> tuple[Fields, Problems]:
    problems = Problems(ROOT)
    return Fields(load_yaml(yaml_text, "weapons.yaml"), PATH, problems, LANGS, what), problems


def shown(problems: Problems) -> list[str]:
    return [str(p) for p in problems.items]


# -- localised text -------------------------------------------------------------

def test_plain_string_is_the_same_in_every_language():
    f, problems = fields("name: Shahed-136\n")
    text = f.text("name")
    assert text.get("en") == text.get("ru") == "Shahed-136" and text.has("ru")
    assert problems.items == []


def test_mapping_in_both_languages():
    f, problems = fields("name: {en: Fateh-110, ru: Фатех-110}\n")
    assert f.text("name") == Text((("en", "Fateh-110"), ("ru", "Фатех-110")), "en")
    assert problems.items == []


def test_missing_translation_falls_back_with_a_warning():
    f, problems = fields("summary:\n  en: Only English.\n")
    text = f.text("summary")
    assert text.get("ru") == "Only English." and not text.has("ru")
    assert shown(problems) == ["content/facts/weapons.yaml:1: warning: missing 'ru' translation of 'summary' of weapon 'x': 'en' is shown instead"]
    assert problems.errors == []


def test_mapping_without_the_default_language_is_an_error():
    f, problems = fields("name: {ru: Фатех-110}\n")
    assert f.text("name") is None
    assert shown(problems) == ["content/facts/weapons.yaml:1: 'name' of weapon 'x' has no 'en' text: the default language is required"]


def test_unquoted_comma_in_flow_style_is_an_error_with_a_hint():
    f, problems = fields("name: {en: Iran's drone, Russia's factory}\n")
    assert f.text("name") is None
    [error] = problems.errors
    assert error.line == 1 and "Russia's factory" in error.message and "quote text" in error.message


@pytest.mark.parametrize("value", ["{en: ''}", "yes", "[a, b]", "{en: A, ru: [x]}"])
def test_text_of_the_wrong_kind_is_an_error(value):
    f, problems = fields(f"name: {value}\n")
    assert f.text("name") is None and len(problems.errors) == 1


def test_required_field_missing():
    f, problems = fields("class: srbm\n")
    assert f.text("name", required=True) is None
    assert shown(problems) == ["content/facts/weapons.yaml:1: weapon 'x' needs a 'name' field"]


def test_read_text_on_a_bare_value():
    problems = Problems(ROOT)
    assert read_text(2022, PATH, 3, problems, LANGS, "title").get("ru") == "2022"
    assert read_text(None, PATH, 3, problems, LANGS, "title") is None
    assert [p.line for p in problems.errors] == [3]


# -- scalars ------------------------------------------------------------------------

def test_numbers():
    f, problems = fields("a: 300\nb: 4.5\nc: -1\nd: far\ne: true\n")
    assert (f.number("a"), f.number("b"), f.number("missing")) == (300, 4.5, None)
    assert (f.number("c"), f.number("d"), f.number("e")) == (None, None, None)
    assert [p.line for p in problems.errors] == [3, 4, 5]


def test_boolean_and_choice():
    f, problems = fields("draft: maybe\nstatus: rumoured\nok: true\n")
    assert f.boolean("ok") is True and f.boolean("draft") is False and f.boolean("missing") is False
    assert f.choice("status", ("confirmed", "reported"), "reported") == "reported"
    assert [p.line for p in problems.errors] == [1, 2]
    assert problems.errors[0].message.startswith("'draft' must be true or false")
    assert problems.errors[1].message == "'status' is 'rumoured', which is not one of: confirmed, reported"


def test_urls_must_be_absolute_http():
    f, problems = fields("a: https://example.org/x\nb: www.example.org\nc: javascript:alert(1)\n")
    assert f.url("a") == "https://example.org/x" and f.url("b") is None and f.url("c") is None
    assert [p.line for p in problems.errors] == [2, 3]


def test_ids_keep_their_lines_and_reject_path_like_values():
    f, problems = fields("sources:\n  - a-1\n  - ../etc\n  - B\n")
    assert f.ids("sources") == [("a-1", 2)]
    assert [p.line for p in problems.errors] == [3, 4]
    single, _ = fields("sources: a-1\n")
    assert single.ids("sources") == [("a-1", 1)]


def test_unknown_fields_are_warnings_not_errors():
    f, problems = fields("name: X\nrange: 300\n")
    f.check_known(("name", "range_km"))
    assert problems.errors == []
    assert shown(problems) == ["content/facts/weapons.yaml:2: warning: unknown field 'range' in weapon 'x' is ignored (known fields: name, range_km)"]


# -- dates and money ------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2022", PartialDate(2022)),
    ("2022-05", PartialDate(2022, 5)),
    ("'2022-05'", PartialDate(2022, 5)),
    ("2022-05-01", PartialDate(2022, 5, 1)),
])
def test_partial_dates(value, expected):
    f, problems = fields(f"date: {value}\n")
    assert f.partial_date("date") == expected and problems.items == []


@pytest.mark.parametrize("value", ["2022-13", "May 2022", "22-05", "yes"])
def test_bad_partial_dates(value):
    f, problems = fields(f"date: {value}\n")
    assert f.partial_date("date") is None
    assert [p.line for p in problems.errors] == [1]


def test_moment_without_offset_uses_the_site_time_zone():
    moscow = ZoneInfo("Europe/Moscow")
    f, problems = fields("a: 2022-11-09\nb: 2022-11-09T08:30:00+00:00\nc: 2022-11-09 08:30:00\nd: soon\n")
    assert f.moment("a", moscow) == (dt.datetime(2022, 11, 9, tzinfo=moscow), False)
    moment, has_time = f.moment("b", moscow)
    assert has_time and moment.utcoffset() == dt.timedelta(0) and moment.hour == 8
    assert f.moment("c", moscow)[0].tzinfo is moscow
    assert f.moment("d", moscow) is None and [p.line for p in problems.errors] == [4]


def test_money():
    f, problems = fields("a: {amount: 140000000, currency: EUR}\nb: {amount: 5, currency: euro}\nc: 140\nd: {currency: USD}\n")
    assert f.money("a") == Money(140000000, "EUR")
    assert f.money("b") is None and f.money("c") is None and f.money("d") is None
    assert [p.line for p in problems.errors] == [2, 3, 4]
