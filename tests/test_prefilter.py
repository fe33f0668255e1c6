"""prefilter: skipping processors that cannot match leaves python-markdown's output unchanged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from generator.render import prefilter as prefilter_module
from generator.render.markup import MarkdownRenderer
from tests.helpers import boxed_embed, link_resolver

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import Corpus, briefing_markdown  # noqa: E402

LINKS = {"w-1": ("/en/weapons/w-1/", "Weapon one"), "p-1": ("/en/people/p-1/", "Person [one]"),
         "toc": ("/en/weapons/toc/", "[TOC]"), "brace": ("/en/weapons/brace/", "{: .odd}")}
resolve_link = link_resolver(LINKS)
resolve_block = boxed_embed


@pytest.fixture(scope="module")
def renderers():
    return MarkdownRenderer(resolve_link, resolve_block), MarkdownRenderer(resolve_link, resolve_block, prefiltered=False)


def test_every_guard_applies_to_the_installed_markdown(renderers):
    guarded, plain = renderers
    expected = ({f"inline:{name}" for name in prefilter_module.INLINE_NEEDS}
                | {f"block:{name}" for name in prefilter_module.BLOCK_NEEDS}
                | {f"block:{name}" for name in prefilter_module.LINE_START_NEEDS}
                | {"block:table", "pre:fenced_code_block", "tree:attr_list", "tree:toc", "tree:unescape",
                   "pre:normalize_whitespace"})
    # A name missing here means python-markdown changed that pattern: review its guard.
    assert guarded.prefiltered == expected
    assert plain.prefiltered == set()


def test_a_changed_pattern_is_left_unguarded(monkeypatch):
    monkeypatch.setitem(prefilter_module.INLINE_NEEDS, "backtick", ("`something else`", ("`",)))
    renderer = MarkdownRenderer(resolve_link, resolve_block)
    assert "inline:backtick" not in renderer.prefiltered
    assert "inline:escape" in renderer.prefiltered


def test_the_guards_keep_every_processor_in_its_place(renderers):
    guarded, plain = renderers
    registries = lambda md: {"inline": md.inlinePatterns, "block": md.parser.blockprocessors,  # noqa: E731
                             "tree": md.treeprocessors, "pre": md.preprocessors, "post": md.postprocessors}
    for kind, theirs in registries(plain.md).items():
        ours = registries(guarded.md)[kind]
        # The table of contents' step is a subclass of the library's, the others hold the library's.
        unwrapped = [type(getattr(item, "inner", item)).__name__.replace("_MarkerOnlyWhereWritten", "TocTreeprocessor")
                     for item in ours if type(item).__name__ != "_Sniff"]
        assert unwrapped == [type(item).__name__ for item in theirs], kind
    assert [type(i).__name__ for i in guarded.md.treeprocessors][-1] == "_SafeAttributes"  # after unescaping


def test_a_guard_that_would_move_its_processor_is_not_applied(monkeypatch):
    monkeypatch.setitem(prefilter_module.PRIORITIES["inline"], "link", 1)
    renderer = MarkdownRenderer(resolve_link, resolve_block)
    assert renderer.prefiltered == set()
    assert renderer.block("[a](https://e.org/) and [[w-1]]") == MarkdownRenderer(resolve_link, resolve_block, prefiltered=False).block(
        "[a](https://e.org/) and [[w-1]]")


def test_patterns_taken_out_for_one_text_are_back_in_place_for_the_next(renderers):
    guarded, plain = renderers
    order = [type(p.inner).__name__ if hasattr(p, "inner") else type(p).__name__ for p in guarded.md.inlinePatterns]
    texts = ["plain words only", "*em* `code` <https://e.org/> a &amp; b ![i](i.png) [^1]\n\n[^1]: n", "tab\t\nend",
             "words again", "a  \nb \\*x\\*", "plain"]
    for text in texts * 2:
        assert guarded.block(text) == plain.block(text), text
    guarded.block("*every* `kind` <https://e.org/> &amp; ![i](i.png) [^1] [x] \\ a  \nb")
    assert [type(p.inner).__name__ if hasattr(p, "inner") else type(p).__name__ for p in guarded.md.inlinePatterns] == order
    guarded.block("nothing")
    assert len(guarded.md.inlinePatterns) < len(order)  # taken out for a text that cannot use them


def test_no_private_internals_of_a_library_are_touched():
    # Name-mangled attributes, private registry fields, class swaps, module table writes.
    forbidden = ("._InlineProcessor__", "._priority", "__class__ =", "sys.modules[")
    for path in sorted((ROOT / "generator").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for needle in forbidden:
            assert needle not in text, f"{path.relative_to(ROOT)}: {needle}"


def _texts_on_disk():
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            yield path.relative_to(ROOT).as_posix(), text  # front matter is Markdown too, to this test
            if text.startswith("---\n") and "\n---\n" in text[4:]:
                yield path.relative_to(ROOT).as_posix() + " (body)", text[4:].split("\n---\n", 1)[1]


def test_the_same_html_for_every_markdown_file_of_the_project(renderers):
    guarded, plain = renderers
    texts = list(_texts_on_disk())
    assert len(texts) > 20
    for name, text in texts:
        assert guarded.block(text) == plain.block(text), name


def _embed(kind, ident, text):
    return f"[[{kind}:{ident}]]" if kind != "link" else f"[[{ident}]]"


def test_the_same_html_for_the_benchmark_corpus(renderers):
    guarded, plain = renderers
    corpus = Corpus(40)
    for b in corpus.briefings:
        for lang in ("en", "ru"):
            text = briefing_markdown(corpus, b, lang, _embed)[2]
            assert guarded.block(text) == plain.block(text)


# One text per guard that its processor changes: were the guard wrong, the text would render
# differently. The entity pattern has none: the serializer keeps entities as they are anyway.
EXERCISED = {
    "inline:backtick": ("a `x*y*` b",), "inline:escape": ("a \\*b\\* c",),
    "inline:footnote": ("a[^1]\n\n[^1]: note",),
    "inline:reference": ("[x][y]\n\n[y]: https://e.org/",), "inline:link": ("[x](https://e.org/)",),
    "inline:image_link": ("![alt](i.png)",), "inline:image_reference": ("![alt][y]\n\n[y]: i.png",),
    "inline:short_reference": ("[y]\n\n[y]: https://e.org/",), "inline:short_image_ref": ("![y]\n\n[y]: i.png",),
    "inline:autolink": ("<https://e.org/>",), "inline:automail": ("<a@b.org>",), "inline:linebreak": ("a  \nb",),
    "inline:em_strong": ("*a*", "__b__"),
    "block:quote": ("> a", "b\n\n   > c"), "block:hashheader": ("## a",), "block:setextheader": ("a\n===", "b\n---"),
    "block:hr": ("a\n\n* * *", "b\n\n- - -", "c\n\n___", "d\n\n   ---"), "block:footnote": ("a[^1]\n\n[^1]:note",),
    "block:reference": ("[y]\n\n[y]:https://e.org/",), "block:table": ("| a | b |\n|---|---|\n| 1 | 2 |",),
    "pre:fenced_code_block": ("```\n*a*\n```", "~~~\n*b*\n~~~"),
    "tree:attr_list": ("## a {: #b }", "## a {#b}", "a\n{: .c}", "*a*{: .c} d"),
    # The marker written, and the marker as a linked name (not in the Markdown text)
    "tree:toc": ("[TOC]\n\n## a", "[[toc]]\n\n## a"),
    "pre:normalize_whitespace": ("a\n  \nb", "\tcode", "a\r\n\r\nb", "a\rb", "a\x02b\x03c"),
    "tree:unescape": ("a \\*b\\*", "\\\\`a` b"),
}


def _with_impossible_needs(monkeypatch, guard):
    kind, name = guard.split(":")
    if guard == "tree:unescape":
        class NeverBackslash(prefilter_module._Sniff):
            def run(self, lines):
                self.backslash = False
                return lines
        monkeypatch.setattr(prefilter_module, "_Sniff", NeverBackslash)
    elif kind == "tree":
        monkeypatch.setattr(prefilter_module, "_text_or_tail_holds", lambda root, needle: False)
    elif guard in ("block:hr", "block:quote"):
        monkeypatch.setitem(prefilter_module.LINE_START_NEEDS, name, (prefilter_module.LINE_START_NEEDS[name][0], "\x00"))
    elif guard == "block:table":
        monkeypatch.setattr(prefilter_module, "TABLE_NEEDS", ("\x00",))
    elif guard == "pre:normalize_whitespace":
        monkeypatch.setattr(prefilter_module, "NORMALIZE_NEEDS", ("\x00",))
    elif kind == "pre":
        monkeypatch.setattr(prefilter_module, "FENCE_NEEDS", ("\x00",))
    else:
        table = prefilter_module.INLINE_NEEDS if kind == "inline" else prefilter_module.BLOCK_NEEDS
        monkeypatch.setitem(table, name, (table[name][0], ("\x00",)))
    return MarkdownRenderer(resolve_link, resolve_block)


@pytest.mark.parametrize("guard", sorted(EXERCISED))
def test_each_guard_has_a_text_its_processor_changes(renderers, monkeypatch, guard):
    guarded, plain = renderers
    always_skipped = _with_impossible_needs(monkeypatch, guard)
    for text in EXERCISED[guard]:
        assert guarded.block(text) == plain.block(text), text
        assert always_skipped.block(text) != plain.block(text), text


def test_every_guard_but_the_entity_one_is_exercised():
    assert set(EXERCISED) == {f"inline:{n}" for n in prefilter_module.INLINE_NEEDS if n != "entity"} | {
        f"block:{n}" for n in (*prefilter_module.BLOCK_NEEDS, *prefilter_module.LINE_START_NEEDS)} | {"block:table", "pre:fenced_code_block", "tree:attr_list", "tree:toc", "tree:unescape",
        "pre:normalize_whitespace"}


# Markdown's syntax, broken up: every guarded processor's needed strings, and their near misses.
PIECES = ["word", "слово", " ", "  ", "   ", "\n", "\n\n", "  \n", "    ", "\t", "`", "``", "```", "~~~", "\\", "\\`",
          "[", "]", "[^1]", "[^1]: a note", "]:", "[x]: https://example.org/ \"t\"", "[x]", "[x][]", "[[w-1]]",
          "[[p-1|the *one*]]", "[[nowhere]]", "[[toc]]", "[[brace]]", "[TOC]", "\t", "\r\n", "\r", " \n", "\x02", "\x03", "[[factbox:w-1]]", "!", "![", "![alt](i.png)", "(", ")", "<", ">",
          "> ", "<https://example.org/>", "<a@b.org>", "&", "&amp;", "&#42;", "*", "**", "_", "__", "#", "## ",
          "-", "---", "- ", "* * *", "1. ", "|", "| a | b |\n|---|---|\n| 1 | 2 |", "=", "\n===", "\n---",
          "{: #anchor .class}", ":", "{", "}"]


def _compiled(kind, name, renderer):
    if kind == "inline":
        return renderer.md.inlinePatterns[name].compiled_re
    processor = renderer.md.parser.blockprocessors[name]
    return getattr(processor, "SEARCH_RE", None) or processor.RE


@pytest.mark.slow  # hundreds of generated texts
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_a_pattern_matches_only_texts_holding_a_needed_string(pieces):
    """The premise of every pattern guard, asked of the library's own compiled patterns."""
    plain = MarkdownRenderer(resolve_link, resolve_block, prefiltered=False)
    text = "".join(pieces)
    for kind, table in (("inline", prefilter_module.INLINE_NEEDS), ("block", prefilter_module.BLOCK_NEEDS)):
        for name, (_, needs) in table.items():
            if _compiled(kind, name, plain).search(text):
                assert any(need in text for need in needs), (name, text)
    for name, (_, starts) in prefilter_module.LINE_START_NEEDS.items():
        if _compiled("block", name, plain).search(text):
            assert prefilter_module._starts_a_line(text, starts), (name, text)


@pytest.mark.slow  # hundreds of generated texts
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_the_same_html_for_generated_texts(pieces):
    guarded = MarkdownRenderer(resolve_link, resolve_block)
    plain = MarkdownRenderer(resolve_link, resolve_block, prefiltered=False)
    text = "".join(pieces)
    assert guarded.block(text) == plain.block(text)
    assert guarded.inline(text) == plain.inline(text)


def test_a_block_processor_registered_later_is_still_asked():
    from markdown.blockprocessors import BlockProcessor

    class Shout(BlockProcessor):
        def test(self, parent, block):
            return block.startswith("!!")

        def run(self, parent, blocks):
            import xml.etree.ElementTree as etree
            etree.SubElement(parent, "strong").text = blocks.pop(0)[2:]

    renderer = MarkdownRenderer(resolve_link, resolve_block)
    assert renderer.block("!!loud") == "<p>!!loud</p>"  # the listed processors, in use
    renderer.md.parser.blockprocessors.register(Shout(renderer.md.parser), "shout", 200)
    assert renderer.block("!!loud") == "<strong>loud</strong>"
    renderer.md.parser.blockprocessors.deregister("shout")
    assert renderer.block("!!loud") == "<p>!!loud</p>"
