"""markup.MarkdownRenderer: Markdown to HTML; raw HTML and Jinja stay text."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from generator.render.markup import MarkdownRenderer
from tests.helpers import boxed_embed, link_resolver

LINKS = {"shahed-136": ("/news/en/weapons/shahed-136/", "Shahed-136")}
resolve_link = link_resolver(LINKS)
resolve_block = boxed_embed


@pytest.fixture
def md():
    return MarkdownRenderer(resolve_link, resolve_block)


def test_markdown_basics(md):
    out = md.block("## Heading\n\nSome *emphasis* and a [link](https://example.org/).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    root = lxml_html.fromstring(f"<div>{out}</div>")
    assert root.xpath("//h2/text()") == ["Heading"] and root.xpath("//h2/@id") == ["heading"]
    assert root.xpath("//em/text()") == ["emphasis"]
    assert root.xpath("//a/@href") == ["https://example.org/"]
    assert root.xpath("//td/text()") == ["1", "2"]


def test_raw_html_is_shown_as_text(md):
    out = md.block('Hello <b>bold</b> <script>alert(1)</script>\n\n<div onclick="x()">block</div>\n\n<!-- note -->\n')
    root = lxml_html.fromstring(f"<div>{out}</div>")
    assert not root.xpath("//b | //script | //div/div | //@onclick")
    assert "<script>alert(1)</script>" in root.text_content()
    assert '<div onclick="x()">block</div>' in root.text_content()
    assert "<!-- note -->" in root.text_content()


def test_jinja_syntax_is_plain_text(md):
    out = md.block("{{ 7 * 7 }} {% for x in y %}{{ x }}{% endfor %} {# c #}")
    assert out == "<p>{{ 7 * 7 }} {% for x in y %}{{ x }}{% endfor %} {# c #}</p>"


def test_entity_links_use_the_resolver(md):
    out = md.block("The [[shahed-136]] and [[shahed-136|Iranian drones]].")
    assert out == ('<p>The <a class="entity-link" href="/news/en/weapons/shahed-136/">Shahed-136</a> and '
                   '<a class="entity-link" href="/news/en/weapons/shahed-136/">Iranian drones</a>.</p>')


def test_a_name_is_plain_text_and_a_written_link_text_is_markdown():
    names = {"odd": ("/x/", "Project *Alpha* & [beta](http://e.org) &amp; <b>")}
    md = MarkdownRenderer(lambda target, text: (names[target][0], text or names[target][1]) if target in names else None, resolve_block)
    out = md.block("[[odd]] and [[odd|the *new* one]]")
    # Before, the name's Markdown was rendered: emphasis, and a link nested in the link (invalid HTML).
    assert out == ('<p><a class="entity-link" href="/x/">Project *Alpha* &amp; [beta](http://e.org) &amp; &lt;b&gt;</a> and '
                   '<a class="entity-link" href="/x/">the <em>new</em> one</a></p>')


def test_link_text_is_escaped(md):
    out = md.block("[[shahed-136|<img src=x onerror=alert(1)>]]")
    assert "<img" not in out and "&lt;img" in out


def test_block_embeds_are_placed_as_given(md):
    out = md.block("Before.\n\n[[factbox:shahed-136]]\n\nAfter.")
    assert out == '<p>Before.</p>\n<aside class="factbox" data-id="shahed-136">box</aside>\n<p>After.</p>'


def test_code_keeps_embed_syntax_literal(md):
    out = md.block("`[[shahed-136]]`\n\n```\n[[factbox:shahed-136]]\n```\n")
    assert "entity-link" not in out and "<aside" not in out
    assert out.count("[[") == 2


def test_inline_drops_the_paragraph(md):
    assert md.inline("A *short* text with [[shahed-136]].") == (
        'A <em>short</em> text with <a class="entity-link" href="/news/en/weapons/shahed-136/">Shahed-136</a>.')


def test_instance_is_reusable_without_leaking_state(md):
    md.block("Text[^1].\n\n[^1]: A note.")
    assert "footnote" not in md.block("Plain.")


def test_attribute_lists_cannot_add_event_handlers(md):
    out = md.block('# Title {: #t .wide onclick="alert(1)" }\n\nText\n{: onmouseover="x()" }\n\n[a](https://example.org/){: OnClick="y()"}')
    root = lxml_html.fromstring(f"<div>{out}</div>")
    assert not root.xpath("//@*[starts-with(translate(name(), 'ON', 'on'), 'on')]")
    assert root.xpath("//h1/@id") == ["t"] and root.xpath("//h1/@class") == ["wide"]  # harmless ones stay
    assert root.xpath("//a/@href") == ["https://example.org/"]


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)", " data:text/html,x", "vbscript:x"])
def test_script_urls_are_dropped(md, target):
    out = md.block(f"[link]({target}) ![image]({target})")
    root = lxml_html.fromstring(f"<div>{out}</div>")
    assert root.xpath("//a/text()") == ["link"] and not root.xpath("//@href | //@src")


@pytest.mark.parametrize("target", ["https://example.org/x", "http://example.org", "mailto:desk@example.org", "#sources", "../about/", "/news/en/"])
def test_ordinary_urls_are_kept(md, target):
    assert lxml_html.fromstring(md.block(f"[link]({target})")).xpath("//a/@href") == [target]


def test_table_alignment_survives(md):
    out = md.block("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert 'style="text-align: right;"' in out




def _stashed_run(self, parent, blocks):
    """How block embeds were put in before: python-markdown's stash of raw HTML (the reference)."""
    import xml.etree.ElementTree as etree

    from generator.content.embeds import BLOCK_RE
    match = BLOCK_RE.match(blocks.pop(0).strip())
    placeholder = self.parser.md.htmlStash.store(self.resolve(match.group(1), match.group(2).strip()))
    etree.SubElement(parent, "p").text = placeholder


EMBED_HTML = {
    "block": '<aside class="factbox">\n<h2>Box</h2>\n</aside>\n',
    "inline": "<span>an inline box</span>",
    "text": "plain words & more",
    "comment": "<!-- a comment first -->\n<div>box</div>",
    "spaced": "\n\n<section>box</section>\n\n",
}
EMBED_TEXTS = [
    "[[factbox:{k}]]", "Before.\n\n[[factbox:{k}]]", "[[factbox:{k}]]\n\nAfter.", "A.\n\n[[factbox:{k}]]\n\nB.\n\n[[factbox:{k}]]\n\nC.",
    "> [[factbox:{k}]]", "```\ncode <p>\n```\n\n[[factbox:{k}]]\n\nText[^1].\n\n[^1]: A note.", "- item\n\n[[factbox:{k}]]\n\n| a |\n|---|\n| 1 |",
]


@pytest.mark.parametrize("kind", sorted(EMBED_HTML))
def test_block_embeds_are_put_in_as_python_markdown_puts_back_raw_html(monkeypatch, kind):
    from generator.render import markup
    texts = [t.format(k=kind) for t in EMBED_TEXTS]
    mine = MarkdownRenderer(resolve_link, lambda k, i: EMBED_HTML[i])
    ours = [mine.block(t) for t in texts]
    monkeypatch.setattr(markup._BlockEmbedProcessor, "run", _stashed_run)
    reference = MarkdownRenderer(resolve_link, lambda k, i: EMBED_HTML[i])
    assert ours == [reference.block(t) for t in texts]
