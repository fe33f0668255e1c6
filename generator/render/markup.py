"""Markdown to HTML, with the ``[[...]]`` embeds and without raw HTML.

Content is data, never code: raw HTML typed into Markdown is shown as text
(the HTML preprocessors are removed), nothing is passed to Jinja2, and
attributes that would run script (``{: onclick=...}`` through attr_list,
``javascript:`` link targets) are removed from the generated HTML. Links,
embeds and pictures are resolved through callbacks supplied by the
renderer, so this module knows nothing about templates or URLs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Callable

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..content.embeds import BLOCK_RE, LINK_RE
from .prefilter import FitToText, GuardedTocExtension, NeededStrings, OrderChanged, prefilter


LinkResolver = Callable[[str, "str | None"], "tuple[str, str] | None"]  # (href, text)
BlockResolver = Callable[[str, str], str]  # (kind, id) -> HTML
# (src as written) -> what a <picture> needs (images.html.PictureTag: sources, src, srcset, sizes, width, height),
# or None to leave the <img> as it is
PictureResolver = Callable[[str], object]


class _LinkProcessor(InlineProcessor):
    def __init__(self, resolve: LinkResolver, prefiltered: bool):
        super().__init__(LINK_RE.pattern)
        self.resolve = resolve
        # Tried on every run of text: most have no "[[" (see prefilter.py).
        self._searched = NeededStrings(self.compiled_re, LINK_NEEDS) if prefiltered else self.compiled_re

    def getCompiledRegExp(self):  # noqa: N802 - python-markdown API
        return self._searched

    def handleMatch(self, m, data):  # noqa: N802 - python-markdown API
        target = m.group(1).strip()
        written = m.group(2).strip() if m.group(2) else None
        resolved = self.resolve(target, written)
        if resolved is None:
            return None, None, None
        href, text = resolved
        element = etree.Element("a", {"href": href, "class": "entity-link"})
        # A text the editor wrote is inline Markdown (``[[id|the *new* drone]]``); a name
        # from the facts is plain text, as on every other page that shows it. Atomic, it
        # is not run through the inline patterns again: that was a tenth of a body's conversion.
        element.text = text if written is not None else AtomicString(text)
        return element, m.start(0), m.end(0)


LINK_NEEDS = ("[[",)  # every [[...]] link holds it

# Where a block embed's HTML goes, until the conversion is done. STX and ETX cannot come from
# the text (python-markdown removes them first), and no step of the conversion changes it.
EMBED_PLACEHOLDER = "\x02briefing-embed:%d\x03"


class _BlockEmbedProcessor(BlockProcessor):
    def __init__(self, parser, resolve: BlockResolver, embeds: list[str]):
        super().__init__(parser)
        self.resolve = resolve
        self.embeds = embeds

    def test(self, parent, block):
        # Asked of every block of every body: most have no "[[" at all.
        return "[[" in block and "\n" not in block.strip() and bool(BLOCK_RE.match(block.strip()))

    def run(self, parent, blocks):
        match = BLOCK_RE.match(blocks.pop(0).strip())
        # Kept aside rather than in python-markdown's stash of raw HTML: putting that back scans
        # the whole page character by character (its pattern has no literal start).
        self.embeds.append(self.resolve(match.group(1), match.group(2).strip()))
        paragraph = etree.SubElement(parent, "p")
        paragraph.text = EMBED_PLACEHOLDER % (len(self.embeds) - 1)


URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "background", "xlink:href"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")


def safe_url(value: str) -> bool:
    """Relative, fragment, http(s), mailto and tel targets; never javascript: or data:."""
    # Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    scheme = _SCHEME_RE.match(cleaned)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


class _Pictures(Treeprocessor):
    """A picture of the text (``![alt](map.png)``) as a ``<picture>``: every width, WebP first, its size, lazy."""

    def __init__(self, md, resolve: PictureResolver):
        super().__init__(md)
        self.resolve = resolve

    def run(self, root):
        if next(root.iter("img"), None) is None:  # most texts: no walk over their whole tree
            return None
        for parent in [element for element in root.iter() if any(child.tag == "img" for child in element)]:
            for index, child in enumerate(list(parent)):
                if child.tag != "img":
                    continue
                tag = self.resolve(child.get("src", ""))
                if tag is None:
                    continue
                picture = etree.Element("picture")
                for kind, srcset in tag.sources:
                    etree.SubElement(picture, "source", {"type": kind, "srcset": srcset, "sizes": tag.sizes})
                attributes = {"src": tag.src, "srcset": tag.srcset, "sizes": tag.sizes, "width": str(tag.width),
                              "height": str(tag.height), "alt": child.get("alt", ""), "loading": "lazy", "decoding": "async"}
                if child.get("title"):
                    attributes["title"] = child.get("title")
                etree.SubElement(picture, "img", attributes)
                picture.tail = child.tail
                parent.remove(child)
                parent.insert(index, picture)
        return None


class _SafeAttributes(Treeprocessor):
    """Runs last: drops event handlers and script-bearing URLs from every element."""

    def run(self, root):
        for element in root.iter():
            for name in list(element.attrib):
                lowered = name.lower()
                if lowered.startswith("on") or lowered == "srcdoc" or (lowered in URL_ATTRIBUTES and not safe_url(element.attrib[name])):
                    del element.attrib[name]
        return None


class _EmbedExtension(Extension):
    def __init__(self, links: LinkResolver, blocks: BlockResolver, prefiltered: bool, pictures: PictureResolver | None = None):
        super().__init__()
        self.links = links
        self.blocks = blocks
        self.prefiltered = prefiltered
        self.pictures = pictures
        self.applied: set[str] = set()  # the processors guarded by the prefilter
        self.embeds: list[str] = []  # the HTML of this conversion's block embeds, by number

    def extendMarkdown(self, md):  # noqa: N802 - python-markdown API
        if self.prefiltered:  # first: a processor registered again goes after the others of its priority
            self.applied = prefilter(md)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Below the footnote pattern (175), as when both had 175 and footnotes came first: distinct
        # priorities keep the order whatever is registered again (prefilter.py).
        md.inlinePatterns.register(_LinkProcessor(self.links, self.prefiltered), "entity_link", 174)
        md.parser.blockprocessors.register(_BlockEmbedProcessor(md.parser, self.blocks, self.embeds), "embed_block", 95)
        if self.pictures is not None:  # after the inline patterns, which make the <img> of ![alt](file)
            md.treeprocessors.register(_Pictures(md, self.pictures), "pictures", 5)
        # Last of all, after unescaping too (an escaped character must not hide a "javascript:").
        md.treeprocessors.register(_SafeAttributes(md), "safe_attributes", -10)


class MarkdownRenderer:
    """One reusable Markdown instance (building one is costly)."""

    def __init__(self, links: LinkResolver, blocks: BlockResolver, prefiltered: bool = True,
                 pictures: PictureResolver | None = None):
        try:
            self.md, self._embeds = self._made(links, blocks, prefiltered, pictures)
        except OrderChanged:  # a python-markdown that registers its processors otherwise: no guards
            self.md, self._embeds = self._made(links, blocks, False, pictures)
        # The processors skipped for texts they cannot match (the same HTML, in half the time).
        self.prefiltered = self._embeds.applied
        self._fit = FitToText(self.md, self.prefiltered) if self.prefiltered else None

    @staticmethod
    def _made(links: LinkResolver, blocks: BlockResolver, prefiltered: bool, pictures: PictureResolver | None = None):
        embeds = _EmbedExtension(links, blocks, prefiltered, pictures)
        toc = GuardedTocExtension if prefiltered else TocExtension
        md = markdown.Markdown(
            # Extension objects, not names: a name makes Markdown look it up among the
            # entry points of every installed distribution (0.02 s, at each build).
            extensions=[
                FootnoteExtension(), TableExtension(), AttrListExtension(), SaneListExtension(), FencedCodeExtension(),
                embeds,
                toc(slugify=slugify_unicode, toc_depth="2-3"),
            ],
            output_format="html",
        )
        if prefiltered and "toc" in md.treeprocessors and isinstance(md.treeprocessors["toc"], GuardedTocExtension.TreeProcessorClass):
            embeds.applied.add("tree:toc")  # registered by the extension after ours (see GuardedTocExtension)
        return md, embeds

    def block(self, text: str) -> str:
        if self._fit is not None:
            self._fit(text)
        self.md.reset()
        embeds = self._embeds.embeds
        embeds.clear()
        html = self.md.convert(text)
        if not embeds:
            return html
        # As python-markdown puts back raw HTML: a paragraph holding only the placeholder
        # becomes the HTML itself if that is a block, else a paragraph around it.
        block_level = self.md.postprocessors["raw_html"].isblocklevel
        for number, embed in enumerate(embeds):
            placeholder = EMBED_PLACEHOLDER % number
            html = html.replace(f"<p>{placeholder}</p>", embed if block_level(embed) else f"<p>{embed}</p>")
            html = html.replace(placeholder, embed)
        return html.strip()  # as convert() strips its result

    def inline(self, text: str) -> str:
        """Inline Markdown (event texts): the outer paragraph is removed."""
        html = self.block(text)
        return re.sub(r"^<p>(.*)</p>$", r"\1", html, flags=re.S)
