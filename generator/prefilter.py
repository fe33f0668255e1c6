"""Skip the python-markdown processors that cannot match a text.

python-markdown tries every inline pattern on every run of text and asks
every block processor about every block. Most of those regular expressions
start with a look-behind or a character class, so a search that fails still
walks the whole text, character by character: for a body of plain
paragraphs, failed searches were two fifths of its conversion. Each pattern
below can only match where one of its needed strings occurs (a backtick for
code, ``[`` for links, ``>`` for quotes...), and testing that with ``in`` is
a single fast scan; when none occurs, the processor is skipped.

The output is the library's, unchanged: a skipped processor is one that
would have found nothing. Each guard names the exact pattern it was written
for; if an installed python-markdown has changed that pattern, the guard is
not applied (``prefilter()`` returns what it applied; a test checks that all
of them apply with the version we install, and that guarded and plain
conversions agree on every fixture and on generated texts).
"""

from __future__ import annotations

import markdown

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
    "quote": (r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    "hashheader": (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",)),
    "setextheader": (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", ("\n=", "\n-")),
    "hr": (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
           r"(?P=atomicgroup)[ ]*$", ("-", "_", "*")),
    "footnote": (r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", ("]:",)),
    "reference": (r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
                  r"""((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""", ("]:",)),
}

# The table processor has no pattern: its test splits the first row on pipes.
TABLE_NEEDS = ("|",)

# The fenced code preprocessor searches the whole text for a fence of backticks or tildes.
FENCE_PATTERN_START = "\n(?P<fence>^(?:~{3,}|`{3,}))"
FENCE_NEEDS = ("```", "~~~")


def _has_any(text: str, needs: tuple[str, ...]) -> bool:
    for need in needs:
        if need in text:
            return True
    return False


class _GuardedPattern:
    """Stands in for an inline pattern's compiled regex; the inline processor only calls finditer()."""

    __slots__ = ("compiled", "needs", "pattern")

    def __init__(self, compiled, needs: tuple[str, ...]):
        self.compiled = compiled
        self.needs = needs
        self.pattern = compiled.pattern

    def finditer(self, data: str, pos: int = 0):
        if _has_any(data, self.needs):
            return self.compiled.finditer(data, pos)
        return iter(())


def _guard_test(processor, needs: tuple[str, ...]) -> None:
    test = processor.test

    def guarded(parent, block):
        return _has_any(block, needs) and test(parent, block)
    processor.test = guarded


def _block_pattern(processor) -> str | None:
    compiled = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return getattr(compiled, "pattern", None)


def prefilter(md: markdown.Markdown) -> set[str]:
    """Guard the processors of ``md`` whose patterns are the ones above; return their names."""
    applied = set()
    for name, (source, needs) in INLINE_NEEDS.items():
        if name in md.inlinePatterns:
            pattern = md.inlinePatterns[name]
            if isinstance(pattern, markdown.inlinepatterns.InlineProcessor) and pattern.compiled_re.pattern == source:
                pattern.compiled_re = _GuardedPattern(pattern.compiled_re, needs)
                applied.add(f"inline:{name}")
    # The inline processor looks its patterns up by position, through the registry, for every
    # pattern and run of text (a sort check and two lookups each time): a list of the same
    # patterns, in the same order, answers the same. Nothing registers patterns after setup.
    inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
    if inline is not None and getattr(inline, "inlinePatterns", None) is md.inlinePatterns:
        inline.inlinePatterns = list(md.inlinePatterns)
        applied.add("tree:inline")
    blocks = md.parser.blockprocessors
    for name, (source, needs) in BLOCK_NEEDS.items():
        if name in blocks and _block_pattern(blocks[name]) == source:
            _guard_test(blocks[name], needs)
            applied.add(f"block:{name}")
    if "table" in blocks and type(blocks["table"]).__name__ == "TableProcessor":
        _guard_test(blocks["table"], TABLE_NEEDS)
        applied.add("block:table")
    if "fenced_code_block" in md.preprocessors:
        fenced = md.preprocessors["fenced_code_block"]
        if getattr(fenced, "FENCED_BLOCK_RE", None) is not None and fenced.FENCED_BLOCK_RE.pattern.startswith(FENCE_PATTERN_START):
            run, needs = fenced.run, FENCE_NEEDS

            def guarded_run(lines):
                # The preprocessor joins the lines, searches and splits them again: without a
                # fence, its result is the same lines.
                return run(lines) if _has_any("\n".join(lines), needs) else lines
            fenced.run = guarded_run
            applied.add("pre:fenced_code_block")
    return applied
