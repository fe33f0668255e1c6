"""Skip the python-markdown processors that cannot match a text.

python-markdown tries every inline pattern on every run of text and asks
every block processor about every block. Most of those regular expressions
start with a look-behind or a character class, so a search that fails still
walks the whole text, character by character: for a body of plain
paragraphs, failed searches were two fifths of its conversion. Each pattern
below can only match where one of its needed strings occurs (a backtick for
code, ``[`` for links, ``>`` for quotes...), and testing that with ``in`` is
a single fast scan; when none occurs, the processor is skipped. The same
goes for the steps that walk the whole tree for what few texts hold
(attributes, the table of contents' marker, escaped characters) and for the
whitespace step's line pattern; and python-markdown's registries, which make
a new list each time they are iterated, are listed once.

The output is the library's, unchanged: a skipped processor is one that
would have found nothing. Each guard names the pattern or the class it was
written for; if an installed python-markdown has changed it, the guard is
not applied (``prefilter()`` returns what it applied; a test checks that all
of them apply with the version we install, and that guarded and plain
conversions agree on every Markdown file of the project, on the benchmark's
corpus and on generated texts).
"""

from __future__ import annotations

import inspect

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString, Registry

# Inline patterns, by registry name: (the pattern the guard was written for, strings of which
# a match contains at least one).
INLINE_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "footnote": (r"\[\^([^\]]*)\]", ("[^",)),
    "entity_link": (r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]", ("[[",)),
    "reference": (r"(?<!\!)\[", ("[",)),
    "link": (r"(?<!\!)\[", ("[",)),
    "image_link": (r"\!\[", ("![",)),
    "image_reference": (r"\!\[", ("![",)),
    "short_reference": (r"(?<!\!)\[", ("[",)),
    "short_image_ref": (r"\!\[", ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (r"  \n", ("  \n",)),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
}

# Block processors, by registry name: (the pattern their test or run searches, needed strings).
# The footnote and reference processors accept every block and search it in run(), putting
# the block back when nothing matches; a guarded test() gives the block to the next
# processor directly, which is where it would have gone.
BLOCK_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "hashheader": (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",)),
    "setextheader": (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", ("\n=", "\n-")),
    "footnote": (r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", ("]:",)),
    "reference": (r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
                  r"""((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""", ("]:",)),
}

# Block processors whose pattern matches at the start of a line (of a multi-line search), after
# at most three spaces, with one of these characters: (the pattern, the characters). A hyphen
# is in most texts (ids, dates), a rule's hyphen at a line's start in few.
LINE_START_NEEDS: dict[str, tuple[str, str]] = {
    "quote": (r"(^|\n)[ ]{0,3}>[ ]?(.*)", ">"),
    "hr": (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
           r"(?P=atomicgroup)[ ]*$", "-_*"),
}

# The table processor has no pattern: its test splits the first row on pipes.
TABLE_NEEDS = ("|",)

# The fenced code preprocessor searches the whole text for a fence of backticks or tildes.
FENCE_PATTERN_START = "\n(?P<fence>^(?:~{3,}|`{3,}))"
FENCE_NEEDS = ("```", "~~~")


# What the whitespace step changes besides adding two newlines (see _guard_normalize).
NORMALIZE_NEEDS = (" \n", "\t", "\r", "\x02", "\x03")


def _has_any(text: str, needs: tuple[str, ...]) -> bool:
    for need in needs:
        if _holds(text, need):
            return True
    return False


def _holds(text: str, need: str) -> bool:
    # Looking for one character is a fast scan; for longer strings CPython
    # tries every position, 50 times slower. So the characters first:
    # "\n=" is looked for only in a text that has an "=".
    if len(need) > 1:
        for char in need:
            if char not in text:
                return False
    return need in text


def _skipping_loop(inline, patterns: list, needs: list):
    """The inline processor's loop over its patterns for one run of text, skipping the hopeless ones.

    python-markdown's own (``InlineProcessor.__handleInline``) calls
    ``__applyPattern`` for every pattern in turn, which searches the text
    from ``startIndex`` and returns ``(data, matched, startIndex)``; a
    pattern that does not match moves the loop on with ``startIndex`` 0.
    This loop does the same, except that a pattern whose needed strings
    are all absent from the text is moved past without the call. Which
    needed strings the text holds is found once per text, and again after
    each match (which changes it).
    """
    apply = inline._InlineProcessor__applyPattern
    count = len(patterns)
    wanted_sets = [frozenset(wanted) if wanted is not None else None for wanted in needs]
    strings = sorted({need for wanted in needs if wanted is not None for need in wanted})  # each once, in a fixed order

    def held(data: str) -> set[str]:
        found = set()
        for need in strings:
            if _holds(data, need):
                found.add(need)
        return found

    def handle(data, patternIndex=0):  # noqa: N803 - python-markdown's name
        if not isinstance(data, AtomicString):
            present = held(data)
            startIndex = 0  # noqa: N806
            while patternIndex < count:
                wanted = wanted_sets[patternIndex]
                if wanted is not None and wanted.isdisjoint(present):
                    patternIndex += 1
                    startIndex = 0  # noqa: N806
                    continue
                data, matched, startIndex = apply(patterns[patternIndex], data, patternIndex, startIndex)  # noqa: N806
                if matched:
                    present = held(data)
                else:
                    patternIndex += 1
        return data
    return handle


def _guard_test(processor, needs: tuple[str, ...]) -> None:
    test = processor.test

    def guarded(parent, block):
        return _has_any(block, needs) and test(parent, block)
    processor.test = guarded


def _starts_a_line(text: str, starts: str) -> bool:
    """Whether a line of ``text`` begins, after at most three spaces, with one of the characters ``starts``."""
    if not any(char in text for char in starts):
        return False
    for line in text.split("\n") if "\n" in text else (text,):
        rest = line.lstrip(" ")
        if rest and rest[0] in starts and len(line) - len(rest) <= 3:
            return True
    return False


def _guard_line_start(processor, starts: str) -> None:
    test = processor.test

    def guarded(parent, block):
        return _starts_a_line(block, starts) and test(parent, block)
    processor.test = guarded


class _ListedRegistry(Registry):
    """A registry that lists its items once, until one is added or removed.

    The block parser iterates over its processors for every block, and a
    plain registry makes a new sorted list at each iteration.
    """

    def __iter__(self):
        listed = self.__dict__.get("_listed")
        if listed is None:
            listed = self.__dict__["_listed"] = list(super().__iter__())
        return iter(listed)

    def register(self, *args, **kwargs):
        self.__dict__.pop("_listed", None)
        return super().register(*args, **kwargs)

    def deregister(self, *args, **kwargs):
        self.__dict__.pop("_listed", None)
        return super().deregister(*args, **kwargs)


def _signature_of(cls, name: str) -> list[str] | None:
    method = getattr(cls, name, None)
    return list(inspect.signature(method).parameters) if method is not None else None


def _block_pattern(processor) -> str | None:
    compiled = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return getattr(compiled, "pattern", None)


class _Sniff(Preprocessor):
    """Runs first, on the Markdown text as given: notes whether it holds a backslash.

    Escaped characters (``\\*``, and backslashes in code spans) are the only
    source of the numbered placeholders the unescape step restores: the
    text's own STX and ETX characters are removed before parsing, and the
    names that links insert come from YAML, which admits no such character.
    """

    backslash = True

    def run(self, lines: list[str]) -> list[str]:
        self.backslash = "\\" in "\n".join(lines)
        return lines


def _guard_unescape(md: markdown.Markdown, applied: set[str]) -> None:
    if "unescape" not in md.treeprocessors or type(md.treeprocessors["unescape"]).__name__ != "UnescapeTreeprocessor":
        return
    unescape = md.treeprocessors["unescape"]
    if unescape.RE.pattern != "\x02(\\d+)\x03":
        return
    sniff = _Sniff(md)
    md.preprocessors.register(sniff, "prefilter_sniff", 1000)  # before every other preprocessor
    run = unescape.run

    def restore(root):
        return run(root) if sniff.backslash else None
    unescape.run = restore
    applied.add("tree:unescape")


def _guard_normalize(md: markdown.Markdown, applied: set[str]) -> None:
    """python-markdown's whitespace preprocessor, skipped for a text that holds nothing it changes.

    It removes STX and ETX, turns CR and CRLF into LF, expands tabs, adds two
    newlines, and empties lines made only of spaces (a pattern with a look-
    behind, tried at every character): without any of those characters, and
    no space before a line's end, all it does is add the two newlines.
    """
    if "normalize_whitespace" not in md.preprocessors or type(md.preprocessors["normalize_whitespace"]).__name__ != "NormalizeWhitespace":
        return
    normalize = md.preprocessors["normalize_whitespace"]
    run, needs = normalize.run, NORMALIZE_NEEDS

    def normalized(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if _has_any(text, needs) or text.endswith(" "):
            return run(lines)
        return (text + "\n\n").split("\n")
    normalize.run = normalized
    applied.add("pre:normalize_whitespace")


def _text_or_tail_holds(root, needle: str) -> bool:
    for element in root.iter():
        text, tail = element.text, element.tail
        if (text and needle in text) or (tail and needle in tail):
            return True
    return False


def _guard_tree_steps(md: markdown.Markdown, applied: set[str]) -> None:
    """Two steps that walk the whole tree for what few texts hold, skipped when no text or tail holds it.

    attr_list reads ``{: ...}`` at the end of a block's text or at the start
    of an inline element's tail: each of its patterns needs a "{". The table
    of contents swaps in its ``<div>`` an element whose text is the marker
    ("[TOC]"), comparing every element's text (its text content, joined).
    """
    holds = _text_or_tail_holds
    if "attr_list" in md.treeprocessors and type(md.treeprocessors["attr_list"]).__name__ == "AttrListTreeprocessor":
        attr_list = md.treeprocessors["attr_list"]
        if all("\\{" in getattr(attr_list, name).pattern for name in ("HEADER_RE", "BLOCK_RE", "INLINE_RE")):
            run = attr_list.run

            def attributes(doc):
                return run(doc) if holds(doc, "{") else None
            attr_list.run = attributes
            applied.add("tree:attr_list")
    if "toc" in md.treeprocessors and type(md.treeprocessors["toc"]).__name__ == "TocTreeprocessor":
        toc = md.treeprocessors["toc"]
        replace = toc.replace_marker

        def replace_marker(root, element):
            if toc.marker and holds(root, toc.marker):
                replace(root, element)
        toc.replace_marker = replace_marker
        applied.add("tree:toc")


def _guard_inline(md: markdown.Markdown, applied: set[str]) -> None:
    """The inline processor's loop replaced by one that passes hopeless patterns (see _skipping_loop)."""
    inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
    # The inline processor's loop is private: replaced only where it is the one described above.
    if not (isinstance(inline, InlineProcessor) and getattr(inline, "inlinePatterns", None) is md.inlinePatterns
            and _signature_of(InlineProcessor, "_InlineProcessor__handleInline") == ["self", "data", "patternIndex"]
            and _signature_of(InlineProcessor, "_InlineProcessor__applyPattern") == ["self", "pattern", "data", "patternIndex", "startIndex"]):
        return
    # A list of the registry's patterns, in its order: the registry checks its sort and
    # looks a pattern up twice for every pattern and run of text. Extensions register
    # their patterns when the Markdown instance is made, before this runs; one added
    # later would not be seen (MarkdownRenderer adds none).
    patterns = list(md.inlinePatterns)
    needs = []
    for pattern, item in zip(patterns, md.inlinePatterns._priority):
        source, wanted = INLINE_NEEDS.get(item.name, ("", None))
        if wanted is not None and isinstance(pattern, markdown.inlinepatterns.InlineProcessor) and pattern.compiled_re.pattern == source:
            needs.append(wanted)
            applied.add(f"inline:{item.name}")
        else:
            needs.append(None)
    inline.inlinePatterns = patterns
    inline._InlineProcessor__handleInline = _skipping_loop(inline, patterns, needs)
    applied.add("tree:inline")


def _guard_blocks(md: markdown.Markdown, applied: set[str]) -> None:
    blocks = md.parser.blockprocessors
    for name, (source, needs) in BLOCK_NEEDS.items():
        if name in blocks and _block_pattern(blocks[name]) == source:
            _guard_test(blocks[name], needs)
            applied.add(f"block:{name}")
    for name, (source, starts) in LINE_START_NEEDS.items():
        if name in blocks and _block_pattern(blocks[name]) == source:
            _guard_line_start(blocks[name], starts)
            applied.add(f"block:{name}")
    if type(blocks) is Registry:
        blocks.__class__ = _ListedRegistry  # the same object and items, listed once
        applied.add("parser:listed")
    if "table" in blocks and type(blocks["table"]).__name__ == "TableProcessor":
        _guard_test(blocks["table"], TABLE_NEEDS)
        applied.add("block:table")


def _guard_fenced(md: markdown.Markdown, applied: set[str]) -> None:
    if "fenced_code_block" not in md.preprocessors:
        return
    fenced = md.preprocessors["fenced_code_block"]
    if getattr(fenced, "FENCED_BLOCK_RE", None) is None or not fenced.FENCED_BLOCK_RE.pattern.startswith(FENCE_PATTERN_START):
        return
    run, needs = fenced.run, FENCE_NEEDS

    def guarded_run(lines):
        # The preprocessor joins the lines, searches and splits them again: without a
        # fence, its result is the same lines.
        return run(lines) if _has_any("\n".join(lines), needs) else lines
    fenced.run = guarded_run
    applied.add("pre:fenced_code_block")


def prefilter(md: markdown.Markdown) -> set[str]:
    """Guard the processors of ``md`` whose patterns are the ones above; return their names."""
    applied: set[str] = set()
    _guard_inline(md, applied)
    _guard_blocks(md, applied)
    _guard_tree_steps(md, applied)
    _guard_unescape(md, applied)
    _guard_normalize(md, applied)
    _guard_fenced(md, applied)
    return applied
