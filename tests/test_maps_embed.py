"""[[map:weapon@place,place]]: its syntax, and every mistake in a map as one positioned message.

The bad-input cases copy the fixture ``maps``, make one mistake and build:
exactly one error, at the file and line of the mistake, in words an editor
can act on. A map is checked against the records on every build, so a
cached briefing learns that its weapon lost its range.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.content.errors import ContentError
from generator.content.model import MapRef
from generator.maps.embed import parse
from mistakes import edit, errors, fresh_content, line_of, write
from test_bad_input import PYTHON_TALK

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "maps" / "content"
EN = "briefings/ranges/en.md"
WEAPONS = "facts/weapons.yaml"


def test_parse():
    assert parse("zolfaghar@tehran") == (MapRef("zolfaghar", ("tehran",)), [])
    assert parse("zolfaghar@tabriz, tehran") == (MapRef("zolfaghar", ("tabriz", "tehran")), [])
    assert parse("zolfaghar")[1] == ["[[map:zolfaghar]] names no place: write [[map:<weapon-id>@<place-id>]], "
                                     "with places separated by commas: [[map:zolfaghar@tehran,tabriz]]"]
    assert "names no weapon" in parse("@tehran")[1][0]
    assert "empty place id" in parse("zolfaghar@tehran,")[1][0]
    assert "'Tehran' in [[map:zolfaghar@Tehran]] is not a valid id" in parse("zolfaghar@Tehran")[1][0]
    assert "named twice" in parse("zolfaghar@tehran,tehran")[1][0]


def test_anchor_is_unambiguous():
    # Ids hold hyphens, so the weapon and its places are told apart by characters no id holds.
    assert MapRef("a-b", ("c",)).anchor != MapRef("a", ("b-c",)).anchor
    assert MapRef("zolfaghar", ("tabriz", "tehran")).anchor == "map-zolfaghar@tabriz,tehran"


CASES = {
    # name: (file, old, new, text on the error's line, words of the message)
    "unknown weapon": (EN, "[[map:zolfaghar@tehran]]", "[[map:zolfagar@tehran]]", "[[map:zolfagar",
                       "unknown weapon 'zolfagar' in [[map:...]]: no such id in content/facts"),
    "unknown place": (EN, "[[map:zolfaghar@tehran]]", "[[map:zolfaghar@teheran]]", "[[map:zolfaghar@teheran",
                      "unknown place 'teheran' in [[map:...]]"),
    "a place as the weapon": (EN, "[[map:zolfaghar@tehran]]", "[[map:tabriz@tehran]]", "[[map:tabriz",
                              "'tabriz' in [[map:...]] is a place, not a weapon"),
    "a weapon as a place": (EN, "[[map:zolfaghar@tehran]]", "[[map:zolfaghar@fateh-110]]", "[[map:zolfaghar@fateh",
                            "'fateh-110' in [[map:...]] is a weapon, not a place"),
    "weapon without a range": (EN, "[[map:zolfaghar@tehran]]", "[[map:test-drone@tehran]]", "[[map:test-drone",
                               "weapon 'test-drone' in [[map:test-drone@tehran]] has no 'range_km'"),
    "no place": (EN, "[[map:zolfaghar@tehran]]", "[[map:zolfaghar]]", "[[map:zolfaghar]]", "names no place"),
    "not alone: in a sentence": (EN, "reaches about 700 km.", "reaches about 700 km: [[map:zolfaghar@tabriz]].",
                                 "700 km: [[map", "must stand alone in its own paragraph"),
    "not alone: no empty line": (EN, "700 km.\n\n[[map:zolfaghar@tehran]]", "700 km.\n[[map:zolfaghar@tehran]]",
                                 "[[map:zolfaghar@tehran]]", "must stand alone in its own paragraph"),
    "the same map twice": (EN, "[[map:fateh-110@tabriz,tehran]]", "[[map:fateh-110@tabriz,tehran]]\n\n[[map:fateh-110@tabriz, tehran]]",
                           "[[map:fateh-110@tabriz, tehran]]", "is already shown at line"),
    "places too far apart": (EN, "[[map:zolfaghar@tehran]]", "[[map:zolfaghar@tehran,far-away]]", "far-away]]",
                             "a range map shows at most 10,000 km from its first place"),
    "based_at: unknown place": (WEAPONS, "based_at: [tehran]", "based_at: [tehran, mashhad]", "mashhad",
                                "unknown place 'mashhad' in 'based_at' of weapon 'zolfaghar'"),
    "based_at: no range": (WEAPONS, "  class: uav\n", "  class: uav\n  based_at: [tabriz]\n", "based_at: [tabriz]",
                           "weapon 'test-drone' has 'based_at' but no 'range_km'"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_mistake_in_a_map_is_one_positioned_error(tmp_path, name):
    rel, old, new, at, words = CASES[name]
    content = fresh_content(tmp_path, FIXTURE)
    write(content, "facts/places.yaml", (content / "facts/places.yaml").read_text(encoding="utf-8")
          + "\nfar-away:\n  name: Buenos Aires\n  coords: [-34.6037, -58.3816]\n")
    edit(content, rel, old, new)
    reported = errors(content)
    assert len(reported) == 1, "\n".join(reported)
    assert reported[0].startswith(f"content/{rel}:{line_of(content, rel, at)}: "), reported[0]
    assert words in reported[0] and not PYTHON_TALK.search(reported[0]), reported[0]


def test_a_weapon_reaching_too_far_for_a_map(tmp_path):
    content = fresh_content(tmp_path, FIXTURE)
    write(content, WEAPONS, (content / WEAPONS).read_text(encoding="utf-8")
          + "\nlong-range:\n  name: Long range\n  range_km: 12000\n  based_at: [tehran]\n")
    reported = errors(content)
    assert reported == [f"content/{WEAPONS}:{line_of(content, WEAPONS, 'long-range:') + 1}: 'based_at' would reach 12,000 km "
                        "from 'tehran': a range map shows at most 10,000 km around its place, "
                        "so a range of weapon 'long-range' that long cannot be mapped"]


def test_a_map_in_an_event_text_is_an_error(tmp_path):
    content = fresh_content(tmp_path, FIXTURE)
    write(content, "timelines/launches.yaml", "title: Launches\nevents:\n  - date: 2022-10\n"
                                              "    title: Test\n    text: 'See [[map:zolfaghar@tehran]].'\n")
    assert errors(content) == ["content/timelines/launches.yaml:5: [[map:zolfaghar@tehran]] cannot be used in the text of event 1: only [[id]] links"]


def test_a_cached_briefing_is_checked_against_todays_weapons(tmp_path):
    content = fresh_content(tmp_path, FIXTURE)
    build(content, tmp_path / "site", cache=tmp_path / "cache")
    edit(content, WEAPONS, "  range_km: 300\n", "")  # the Fateh-110 loses its range; the briefing is unchanged
    with pytest.raises(ContentError) as raised:
        build(content, tmp_path / "site", cache=tmp_path / "cache")
    # Each map that draws it says so, in each language.
    assert [str(p) for p in raised.value.problems] == [
        f"content/briefings/ranges/{lang}.md:{line_of(content, f'briefings/ranges/{lang}.md', '[[map:fateh-110@')}: "
        "weapon 'fateh-110' in [[map:fateh-110@tabriz,tehran]] has no 'range_km': a range map draws it, "
        "so add 'range_km: <kilometres>' to its record in content/facts/weapons.yaml" for lang in ("en", "ru")]
