"""places.yaml: its records in the model, and every mistake in it as one positioned message.

Each bad-input case copies the fixture ``maps``, makes one mistake and builds
it: exactly one error, at the file and line of the mistake, in plain words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.load import load_content
from generator.content.errors import Problems
from generator.content.model import Place, Text
from generator.content.resolve import resolve
from mistakes import edit, errors, fresh_content, line_of, write
from test_bad_input import PYTHON_TALK

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "maps" / "content"
PLACES = "facts/places.yaml"


def site_of(content: Path):
    problems = Problems(content.parent)
    site = resolve(load_content(content, problems), problems)
    assert not problems.errors, problems.errors
    return site


def test_places_are_read_into_the_model():
    site = site_of(FIXTURE)
    tehran = site.places["tehran"]
    assert tehran == Place("tehran", Text((("en", "Tehran"), ("ru", "Тегеран")), "en"), 35.6892, 51.389, "IR",
                           path="content/facts/places.yaml", line=tehran.line)
    assert site.places["kyiv"].name.get("ru") == "Kyiv" and site.places["kyiv"].country is None
    # A place is no entity: it has no page, and [[tehran]] links nothing.
    assert "tehran" not in site.entities
    assert site.entities["zolfaghar"].based_at == ("tehran",)


CASES = {
    # name: (old, new, text on the error's line, words of the message)
    "latitude out of range": ("coords: [35.6892, 51.3890]", "coords: [95.5, 151.389]", "[95.5", "out of range: latitude is -90 to 90"),
    "longitude first": ("coords: [38.0800, 46.2919]", "coords: [146.2919, 38.08]", "[146.2919", "is the longitude written first?"),
    "longitude out of range": ("coords: [50.4501, 30.5234]", "coords: [50.4501, 190]", "190]", "longitude -180 to 180"),
    "one number": ("coords: [35.6892, 51.3890]", "coords: 35.6892", "coords: 35.6892", "'coords' must be two numbers"),
    "text": ("coords: [35.6892, 51.3890]", "coords: [35.6892, east]", "east]", "'coords' must be two numbers"),
    "missing": ("  coords: [35.6892, 51.3890]\n", "", "tehran:", "place 'tehran' needs a 'coords' field"),
    "missing name": ("  name: {en: Tabriz, ru: Тебриз}\n", "", "tabriz:", "place 'tabriz' needs a 'name' field"),
    "country code": ("country: IR\n\ntabriz", "country: Iran\n\ntabriz", "country: Iran", "two-letter country code"),
    "not a mapping": ("kyiv:\n", "kyiv: Kyiv\nold-kyiv:\n", "kyiv: Kyiv", "must be a mapping of fields"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_mistake_in_places_yaml_is_one_positioned_error(tmp_path, name):
    old, new, at, words = CASES[name]
    content = fresh_content(tmp_path, FIXTURE)
    edit(content, PLACES, old, new)
    reported = errors(content)
    assert len(reported) == 1, "\n".join(reported)
    where = f"content/{PLACES}:{line_of(content, PLACES, at)}: "
    assert reported[0].startswith(where), reported[0]
    assert words in reported[0] and not PYTHON_TALK.search(reported[0]), reported[0]


def test_a_place_id_that_is_also_a_weapon_id_is_an_error(tmp_path):
    content = fresh_content(tmp_path, FIXTURE)
    edit(content, PLACES, "kyiv:", "fateh-110:")
    reported = errors(content)
    assert len(reported) == 1 and "already used in content/facts/" in reported[0], reported
    assert "fact ids must be unique" in reported[0]


def test_a_place_is_not_a_link(tmp_path):
    content = fresh_content(tmp_path, FIXTURE)
    edit(content, "briefings/ranges/en.md", "reaches about 700 km.", "reaches about 700 km from [[tehran]].")
    reported = errors(content)
    assert reported == [f"content/briefings/ranges/en.md:{line_of(content, 'briefings/ranges/en.md', '[[tehran]]')}: "
                        "'tehran' in [[tehran]] is a place, not a weapon or person or organisation or topic or timeline"]


def test_an_unknown_places_file_name_is_not_places(tmp_path):
    content = fresh_content(tmp_path, FIXTURE)
    write(content, "facts/place.yaml", "x:\n  name: X\n")
    reported = errors(content)
    assert len(reported) == 1 and "places.yaml" in reported[0], reported


def test_translation_status_lists_places(tmp_path, capsys):
    import json

    from generator.cli.main import main

    content = fresh_content(tmp_path, FIXTURE)
    edit(content, PLACES, "name: {en: Tabriz, ru: Тебриз}", "name: {en: Tabriz}")
    assert main(["status", "--content", str(content), "--json"]) == 0
    rows = {(r["kind"], r["id"], r["language"]): r for r in json.loads(capsys.readouterr().out)}
    assert rows[("places", "tabriz", "ru")]["state"] == "fallback" and rows[("places", "tabriz", "ru")]["fields"] == ["name"]
    assert rows[("places", "tehran", "ru")]["state"] == "ok"
    assert rows[("places", "kyiv", "ru")]["state"] == "ok"  # a plain name is the same in every language
