"""yamlsafe.load_yaml: safe loading with positions and plain messages."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.content.yamlsafe import PosDict, PosList, YamlProblem, load_yaml


def problem(text: str, offset: int = 0):
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text, "facts/x.yaml", offset)
    return caught.value.problem


def test_mappings_and_lists_remember_their_lines():
    data = load_yaml("# comment\ntitle: T\nevents:\n  - date: 2022\n    title: A\n\n  - date: 2023\n", "t.yaml")
    assert isinstance(data, PosDict) and isinstance(data["events"], PosList)
    assert data.line_of("title") == 2 and data.line_of("events") == 3
    assert data["events"].line_of(0) == 4 and data["events"].line_of(1) == 7
    assert data["events"][1].line_of("date") == 7
    assert data.line_of("missing") == data.line  # unknown keys point at the mapping


def test_values_keep_their_yaml_types():
    data = load_yaml("d: 2022-11-08\nn: 300\nf: 4.5\nb: true\ns: '2022'\n", "t.yaml")
    assert data == {"d": dt.date(2022, 11, 8), "n": 300, "f": 4.5, "b": True, "s": "2022"}


def test_duplicate_key_is_an_error_not_last_one_wins():
    p = problem("name: A\nclass: srbm\nname: B\n")
    assert (p.path, p.line) == ("facts/x.yaml", 3)
    assert "duplicate key 'name'" in p.message and "line 1" in p.message


def test_python_tags_are_refused_never_executed(tmp_path):
    marker = tmp_path / "executed"
    p = problem(f"x: !!python/object/apply:os.system ['touch {marker}']\n")
    assert "not allowed" in p.message and p.line == 1
    assert not marker.exists()


def test_impossible_date():
    p = problem("date: 2022-02-30\n")
    assert p.line == 1 and "impossible date '2022-02-30'" in p.message


@pytest.mark.parametrize("text, line, words", [
    ("a:\n\tb: 1\n", 2, "tab character"),
    ('a: "open\nb: 2\nc: 3\n', 1, "unclosed quote"),
    ("title: Iran: the deal\n", 1, "colon followed by a space"),
    ("a:\n  b: 1\n c: 2\n", 3, "bad indentation"),
])
def test_malformed_yaml_gets_a_plain_positioned_message(text, line, words):
    p = problem(text)
    assert p.line == line and words in p.message


def test_line_offset_counts_the_front_matter_fence():
    p = problem("a: 1\na: 2\n", offset=1)
    assert p.line == 3 and "first on line 2" in p.message
    data = load_yaml("title: T\ntopics:\n  - x\n", "en.md", 1)
    assert data.line_of("title") == 2 and data["topics"].line_of(0) == 4


def test_unquoted_comma_in_flow_mapping_parses_to_a_bogus_key():
    # The loader keeps it; fields.read_text turns it into an error.
    assert load_yaml("{en: Iran's drone, Russia's factory}", "t.yaml") == {"en": "Iran's drone", "Russia's factory": None}


def test_empty_document_is_none():
    assert load_yaml("# only a comment\n", "t.yaml") is None


@pytest.mark.parametrize("text, line, words", [
    ('title: "open\nsummary: "closed"\n', 1, "unclosed quote"),  # the quote swallowed a line
    ("a: [x, y\nb: 2\n", 1, "a list written [...] is not closed"),  # named where the bracket opens
    ("a: {en: x, ru: y\nb: 2\n", 1, "a mapping written {...} is not closed"),
    ("a: 1\nstray words\nb: 2\n", 2, "neither 'name: value' nor part of the value above"),
    ("a: [1, , 2]\n", 1, "a value is missing here"),
    ("a: 1\nb: &\n", 2, "'&' and '*' start YAML anchors"),
    ("a: *nothing\n", 1, "refers to an anchor"),
    ("a: @home\n", 1, "a value cannot start with '@': put the text in quotes"),
    ("a: 1\n---\nb: 2\n", 2, "second YAML document"),
    ("a: ok\nb: bell\x07\n", 2, "invisible control character (code 0x0007)"),
    ("n: !!int three\n", 1, "'three' is not a whole number"),
    ("b: !!bool maybe\n", 1, "'maybe' is not true or false"),
    ("x: !!binary aGVsbG8=\n", 1, "YAML tag !!binary is not allowed"),
    ("x: !!set {a, b}\n", 1, "YAML tag !!set is not allowed"),
    ("? [a, b]\n: x\n", 1, "a key must be a plain name"),
])
def test_more_malformed_yaml_gets_plain_positioned_messages(text, line, words):
    p = problem(text)
    assert p.line == line and words in p.message, p
    assert "Error" not in p.message and "scalar" not in p.message and "token" not in p.message


def test_positions_of_values_and_literal_blocks():
    data = load_yaml("text:\n  en: one line\n  ru: |\n    first\n    second [[x]]\n", "t.yaml", 1)
    assert data["text"].value_line("en") == 3
    assert data["text"].value_line("ru") == 5 and "ru" in data["text"].literal_keys
