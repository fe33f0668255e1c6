"""Figures and fact ids compared between the languages of a briefing."""

from __future__ import annotations

import decimal
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from hypothesis import example, given, strategies as st

from generator.build import build
from generator.content.errors import ContentError
from generator.translation.figures import compare, fact_ids, figures
from tests.helpers import make_content

ROOT = Path(__file__).resolve().parent.parent


def keys(text: str, lang: str) -> list[str]:
    return sorted(figures(text, 1, lang))


@pytest.mark.parametrize("text, lang", [
    ("6,000 drones", "en"), ("6000 drones", "en"), ("6 000 drones", "en"),
    ("6 000 дронов", "ru"), ("6\u00a0000 дронов", "ru"), ("6\u202f000 дронов", "ru"),
    ("6&nbsp;000 дронов", "ru"), ("6000 дронов", "ru"),
])
def test_thousands_written_any_way_are_one_figure(text, lang):
    assert keys(text, lang) == ["6000"]


def test_decimal_marks_follow_the_language():
    assert keys("1.5 billion", "en") == keys("1,5 млрд", "ru") == keys("1.5 млрд", "ru") == ["1.5"]
    # In English a comma before three digits groups thousands; before fewer it separates.
    assert keys("1,500 and 1,5", "en") == ["1", "1500", "5"]


@pytest.mark.parametrize("text", [
    "Shahed-136", "Mohajer-6 drones", "Su-35", "С-300", "Ту-22М3", "G7 summit", "9M723 missiles", "2S19", "F-16s", "COVID-19",
])
def test_digits_in_names_are_not_figures(text):
    assert keys(text, "en") == []


@pytest.mark.parametrize("text, expected", [
    ("in mid-2022", ["2022"]), ("2022-2023", ["2022", "2023"]), ("the 4th shipment", ["4"]),
    ("range 300km", ["300"]), ("€140M", ["140"]), ("40%", ["40"]), ("November 8, 2022", ["2022", "8"]),
])
def test_years_ordinals_and_units_are_figures(text, expected):
    assert keys(text, "en") == expected


def test_what_readers_do_not_read_is_not_compared():
    text = "\n".join([
        "See [the 2019 report](https://example.org/2020/report?id=77) and <https://example.org/1999>.",
        "`code 42` stays code; <span data-x=\"13\">text</span>; [[timeline:events-2021]]",
        "```",
        "fenced 555",
        "```",
        "[ref]: https://example.org/404",
    ])
    assert keys(text, "en") == ["2019"]


def test_link_text_counts_and_link_ids_are_facts():
    body = "Sent [[shahed-136|2,400 Shahed drones]] and [[mohajer-6]].\n\n[[factbox:fateh-110]]\n"
    assert keys(body, "en") == ["2400"]
    found = fact_ids(body, 10)
    assert sorted(found) == ["fateh-110", "mohajer-6", "shahed-136"]
    assert found["fateh-110"].line == 12


@given(st.integers(min_value=0, max_value=10**12))
def test_any_whole_number_formatted_by_cldr_is_the_same_figure_in_en_and_ru(n):
    en, ru = format_decimal(n, locale="en"), format_decimal(n, locale="ru")
    assert keys(f"about {en} units", "en") == keys(f"около {ru} единиц", "ru") == [str(n)]


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_any_decimal_formatted_by_cldr_is_the_same_figure_in_en_and_ru(value):
    en = format_decimal(value, locale="en", decimal_quantization=False)
    ru = format_decimal(value, locale="ru", decimal_quantization=False)
    expected = format(decimal.Decimal(value).normalize(), "f") if value % 1 else str(int(value))
    assert keys(en, "en") == keys(ru, "ru") == [expected]


BRIEFING = """\
---
title: {title}
date: 2023-01-01
---

{body}
"""
FACTS = {"facts/weapons.yaml": "drone-a: {name: Drone A}\nmissile-b: {name: Missile B}\n"}


def test_one_warning_names_both_files_and_both_sides(tmp_path):
    content = make_content(tmp_path, {
        **FACTS,
        "briefings/x/en.md": BRIEFING.format(title="X", body="In 2022, 6000 [[drone-a]] units arrived.\n\nThen [[missile-b]]."),
        "briefings/x/ru.md": BRIEFING.format(title="Икс", body="В 2022 году прибыло 5000 единиц [[drone-a]].\n\nПотом ракеты."),
    })
    warnings = [str(w) for w in build(content).warnings]
    assert warnings == [
        "content/briefings/x/ru.md:6: warning: figures or facts differ between translations: "
        "6000 (line 6), [[missile-b]] (line 8) in content/briefings/x/en.md vs 5000 (line 6) in content/briefings/x/ru.md"
    ]
    with pytest.raises(ContentError) as error:
        build(content, strict=True)
    assert any("6000 (line 6)" in str(p) and "under --strict" in str(p) for p in error.value.problems)


def test_natural_translations_with_the_same_figures_do_not_warn(tmp_path):
    content = make_content(tmp_path, {
        **FACTS,
        "briefings/x/en.md": BRIEFING.format(title="X", body="On November 8, 2022, 6,000 [[drone-a|Shahed-136]] drones, 1.5 times more, in mid-2023."),
        "briefings/x/ru.md": BRIEFING.format(title="Икс", body="8 ноября 2022 года — 6\u00a0000 дронов [[drone-a|Шахед-136]], в 1,5 раза больше, в середине 2023 года."),
    })
    assert build(content).warnings == []


def test_a_figure_only_in_the_translation_is_reported_too(tmp_path):
    content = make_content(tmp_path, {
        "briefings/x/en.md": BRIEFING.format(title="X", body="Many drones."),
        "briefings/x/ru.md": BRIEFING.format(title="Икс", body="Много дронов.\n\nЕще 12 штук."),
    })
    (warning,) = build(content).warnings
    assert warning.message.endswith("nothing in content/briefings/x/en.md vs 12 (line 8) in content/briefings/x/ru.md")


def test_compare_is_silent_for_equal_bodies(tmp_path):
    content = make_content(tmp_path, {
        "briefings/x/en.md": BRIEFING.format(title="X", body="12 drones"),
        "briefings/x/ru.md": BRIEFING.format(title="Икс", body="12 дронов"),
    })
    group = build(content).site.briefings[0]
    assert compare(group.get("en"), group.get("ru")) is None


def test_the_sample_content_has_consistent_figures():
    result = build(ROOT / "content")
    assert [str(w) for w in result.warnings if "differ between translations" in w.message] == []
    # And the check did look at something: the sample briefing is full of figures.
    doc = result.site.briefings[0].get("ru")
    assert {"100", "140", "160", "300", "700"} <= set(figures(doc.body, doc.body_line, "ru"))


_DIGIT_RUNS = st.text(alphabet="0123456789", min_size=1, max_size=5)
_BETWEEN = st.sampled_from([" ", ",", ".", "\u00a0", "\u202f", "\u2009", "-", "a", "Ж"])


@given(st.lists(st.one_of(_DIGIT_RUNS, _BETWEEN), max_size=12).map("".join), st.sampled_from(["en", "ru"]))
@example("1234 567", "en")
@example("12 345 678,5", "ru")
@example("1,000,0000.25", "en")
def test_the_number_pattern_reads_numbers_as_its_plain_form_does(text, lang):
    # The pattern takes the first digit out of its two branches, for speed;
    # it must find exactly what the plain alternation finds.
    import re
    from generator.translation.figures import _number_re
    fast = _number_re(lang)
    groups, decimals = re.search(r"\[([^\]]*)\]\\d\{3\}", fast.pattern).group(1), re.search(r"\(\?:\[([^\]]*)\]\(\?P<frac>", fast.pattern).group(1)
    plain = re.compile(rf"(?P<int>\d{{1,3}}(?:[{groups}]\d{{3}})+(?!\d)|\d+)(?:[{decimals}](?P<frac>\d+))?")
    assert [(m.span(), m.group("int"), m.group("frac")) for m in fast.finditer(text)] == \
        [(m.span(), m.group("int"), m.group("frac")) for m in plain.finditer(text)]
