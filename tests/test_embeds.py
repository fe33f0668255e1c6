"""embeds.scan: every [[...]] in a Markdown body, with its line."""

from __future__ import annotations

from generator.content.embeds import Reference, scan


def test_links_blocks_and_their_lines():
    body = "Intro [[shahed-136]] and [[isw|the ISW analysts]].\n\n[[factbox:fateh-110]]\n\n[[timeline:russia-iran-arms]]\n"
    refs, misuses = scan(body, 10)
    assert misuses == []
    assert refs == [
        Reference(10, "link", "shahed-136"),
        Reference(10, "link", "isw", "the ISW analysts"),
        Reference(12, "factbox", "fateh-110"),
        Reference(14, "timeline", "russia-iran-arms"),
    ]


def test_block_embed_must_stand_alone():
    refs, misuses = scan("Text right above\n[[factbox:fateh-110]]\n", 1)
    assert [m.line for m in misuses] == [2] and "own paragraph" in misuses[0].message
    refs, misuses = scan("See [[factbox:fateh-110]] inline.\n", 5)
    assert refs == [] and [m.line for m in misuses] == [5] and "own paragraph" in misuses[0].message


def test_unknown_prefix_and_empty_link_text():
    refs, misuses = scan("[[chart:map]] and [[isw|]]\n", 3)
    assert refs == []
    assert [m.line for m in misuses] == [3, 3]
    assert "unknown embed [[chart:map]]" in misuses[0].message
    assert "empty link text" in misuses[1].message


def test_a_figure_must_stand_alone_but_is_found_when_it_does():
    refs, misuses = scan("Text [[image:map]] here.\n\n[[image:map]]\n", 3)
    assert [m.line for m in misuses] == [3]
    assert "[[image:map]] must stand alone in its own paragraph" in misuses[0].message
    assert [(r.line, r.kind, r.target) for r in refs] == [(5, "image", "map")]


def test_code_is_left_alone():
    body = "Use `[[id]]` to link.\n\n```\n[[factbox:x]]\n[[y]]\n```\n\n~~~\n[[z]]\n~~~\n\nReal [[w]].\n"
    refs, misuses = scan(body, 1)
    assert misuses == [] and refs == [Reference(12, "link", "w")]


def test_link_text_may_hold_punctuation_and_cyrillic():
    refs, _ = scan("[[test-topic|«Тестовая тема», 2022: итоги]]\n", 1)
    assert refs == [Reference(1, "link", "test-topic", "«Тестовая тема», 2022: итоги")]


def test_path_like_targets_are_reported_as_references_for_resolve_to_reject():
    # scan only finds references; resolve.py checks ids (an id is never a path).
    refs, _ = scan("[[../etc/passwd]]\n", 1)
    assert refs == [Reference(1, "link", "../etc/passwd")]
