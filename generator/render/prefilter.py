"""Skip the python-markdown processors that cannot match a text, through its public extension API.

python-markdown tries every inline pattern on every run of text and asks
every block processor about every block. Most of those regular expressions
start with a look-behind or a character class, so a search that fails still
walks the whole text, character by character: for a body of plain
paragraphs, failed searches were two fifths of its conversion. Each pattern
below can only match where one of its needed strings occurs (a backtick for
code, ``[`` for links, ``>`` for quotes...), and testing that with ``in`` is
a single fast scan. The same goes for the steps that walk the whole tree for
what few texts hold (attributes, the table of contents' marker, escaped
characters) and for the whitespace step's line pattern.

Everything here is an extension in python-markdown's own terms: each guarded
processor is registered again, under its own name and priority, as a
processor of ours that holds the library's and asks it only when the text
can hold a match (an inline pattern's stand-in regular expression finds
nothing at once in a run of text that lacks every needed string; a block
processor's ``test`` says no for a block that lacks them; a tree step does
nothing for a tree that lacks them). The table of contents gets its tree
processor through ``TocExtension.TreeProcessorClass``. No private attribute
of the library is read or written.

The output is the library's, unchanged: a skipped processor is one that
would have found nothing. Each guard names the pattern or the class it was
written for; if an installed python-markdown has changed it, the guard is
not applied (``prefilter()`` returns what it applied; a test checks that all
of them apply with the version we install, that the processors keep their
order, and that guarded and plain conversions agree on every Markdown file
of the project, on the benchmark's corpus and on generated texts).
"""

from __future__ import annotations

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

# Inline patterns, by registry name: (the pattern the guard was written for, strings of which
# a match contains at least one).
INLINE_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "footnote": (r"\[\^([^\]]*)\]", ("[^",)),
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

# What the whitespace step changes besides adding two newlines (see _Normalize).
NORMALIZE_NEEDS = (" \n", "\t", "\r", "\x02", "\x03")

# The priorities python-markdown (3.x) and its extensions register these processors with
# (its documentation lists them). A guard takes its processor's place: prefilter() checks
# that every processor keeps its position, and gives up otherwise (OrderChanged).
PRIORITIES = {
    "inline": {"backtick": 190, "escape": 180, "footnote": 175, "reference": 170, "link": 160, "image_link": 150,
               "image_reference": 140, "short_reference": 130, "short_image_ref": 125, "autolink": 120,
               "automail": 110, "linebreak": 100, "entity": 80, "em_strong": 60},
    "block": {"table": 75, "hashheader": 70, "setextheader": 60, "hr": 50, "quote": 20, "footnote": 17, "reference": 15},
    "tree": {"attr_list": 8, "unescape": 0},
    "pre": {"normalize_whitespace": 30, "fenced_code_block": 25},
}


class OrderChanged(Exception):
    """A guard did not take its processor's place: the installed python-markdown registers it otherwise."""


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


def _starts_a_line(text: str, starts: str) -> bool:
    """Whether a line of ``text`` begins, after at most three spaces, with one of the characters ``starts``."""
    if not any(char in text for char in starts):
        return False
    for line in text.split("\n") if "\n" in text else (text,):
        rest = line.lstrip(" ")
        if rest and rest[0] in starts and len(line) - len(rest) <= 3:
            return True
    return False


def _text_or_tail_holds(root, needle: str) -> bool:
    for element in root.iter():
        text, tail = element.text, element.tail
        if (text and needle in text) or (tail and needle in tail):
            return True
    return False


# -- the guards: processors of ours that hold the library's --------------------------------
class _Holding:
    """A processor holding the library's ``inner``: what it does not define is the inner one's
    (other processors read attributes of a registered one, such as the unescape step's ``RE``)."""

    def __getattr__(self, name: str):
        inner = self.__dict__.get("inner")
        if inner is None:
            raise AttributeError(name)
        return getattr(inner, name)


class NeededStrings:
    """A compiled pattern's stand-in: it searches only a text that holds one of ``needs``.

    The inline processor asks a pattern for ``getCompiledRegExp().finditer(data, start)``.
    """

    __slots__ = ("compiled", "needs", "pattern")

    def __init__(self, compiled, needs: tuple[str, ...]):
        self.compiled, self.needs, self.pattern = compiled, needs, compiled.pattern

    def finditer(self, data: str, pos: int = 0):
        for need in self.needs:
            if need in data:
                return self.compiled.finditer(data, pos)
        return iter(())

    def search(self, data: str, pos: int = 0):
        return self.compiled.search(data, pos) if _has_any(data, self.needs) else None


class _GuardedInline(_Holding, InlineProcessor):
    """The library's inline pattern ``inner``, tried only on runs of text that hold a needed string."""

    def __init__(self, inner: InlineProcessor, needs: tuple[str, ...]):
        super().__init__(inner.pattern, inner.md)
        self.inner = inner
        self.ANCESTOR_EXCLUDES = inner.ANCESTOR_EXCLUDES
        self._stand_in = NeededStrings(inner.getCompiledRegExp(), needs)

    def getCompiledRegExp(self):  # noqa: N802 - python-markdown's name
        return self._stand_in

    def handleMatch(self, m, data):  # noqa: N802 - python-markdown's name
        return self.inner.handleMatch(m, data)


class _GuardedBlock(_Holding, BlockProcessor):
    """The library's block processor ``inner``, asked only about blocks ``wanted`` accepts."""

    def __init__(self, inner: BlockProcessor, wanted):
        super().__init__(inner.parser)
        self.inner, self.wanted = inner, wanted

    def test(self, parent, block) -> bool:
        return self.wanted(block) and self.inner.test(parent, block)

    def run(self, parent, blocks):
        return self.inner.run(parent, blocks)


class _GuardedTree(_Holding, Treeprocessor):
    """The library's tree step ``inner``, run only when ``wanted(root)``."""

    def __init__(self, md, inner: Treeprocessor, wanted):
        super().__init__(md)
        self.inner, self.wanted = inner, wanted

    def run(self, root):
        return self.inner.run(root) if self.wanted(root) else None


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


class _Normalize(_Holding, Preprocessor):
    """python-markdown's whitespace step, skipped for a text that holds nothing it changes.

    It removes STX and ETX, turns CR and CRLF into LF, expands tabs, adds two
    newlines, and empties lines made only of spaces (a pattern with a look-
    behind, tried at every character): without any of those characters, and
    no space before a line's end, all it does is add the two newlines.
    """

    def __init__(self, md, inner: Preprocessor):
        super().__init__(md)
        self.inner, self.needs = inner, NORMALIZE_NEEDS

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if _has_any(text, self.needs) or text.endswith(" "):
            return self.inner.run(lines)
        return (text + "\n\n").split("\n")


class _Fenced(_Holding, Preprocessor):
    """The fenced code step, skipped for a text without a fence (it joins, searches and splits again)."""

    def __init__(self, md, inner: Preprocessor):
        super().__init__(md)
        self.inner, self.needs = inner, FENCE_NEEDS

    def run(self, lines: list[str]) -> list[str]:
        return self.inner.run(lines) if _has_any("\n".join(lines), self.needs) else lines


class _MarkerOnlyWhereWritten(TocTreeprocessor):
    """The table of contents' step, looking for its marker only in a tree whose texts hold it.

    It compares every element's text content with the marker ("[TOC]") to
    swap in its ``<div>``; the ids of the headings it also sets are set as ever.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.holds = _text_or_tail_holds

    def replace_marker(self, root, elem) -> None:
        if self.marker and self.holds(root, self.marker):
            super().replace_marker(root, elem)


class GuardedTocExtension(TocExtension):
    """``TocExtension`` with the guarded marker search (through its public ``TreeProcessorClass``)."""

    TreeProcessorClass = _MarkerOnlyWhereWritten


# -- applying them -------------------------------------------------------------------------
def _replace(registry, name: str, guard, kind: str) -> None:
    before = registry.get_index_for_name(name)
    registry.register(guard, name, PRIORITIES[kind][name])
    if registry.get_index_for_name(name) != before:
        raise OrderChanged(f"{kind}:{name}")


def _block_pattern(processor) -> str | None:
    compiled = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return getattr(compiled, "pattern", None)


def _guard_inline(md: markdown.Markdown, applied: set[str]) -> None:
    patterns = md.inlinePatterns
    for name, (source, needs) in INLINE_NEEDS.items():
        if name not in patterns:
            continue
        pattern = patterns[name]
        if isinstance(pattern, InlineProcessor) and type(pattern) is not _GuardedInline and pattern.compiled_re.pattern == source:
            _replace(patterns, name, _GuardedInline(pattern, needs), "inline")
            applied.add(f"inline:{name}")


def _guard_blocks(md: markdown.Markdown, applied: set[str]) -> None:
    blocks = md.parser.blockprocessors
    for name, (source, needs) in BLOCK_NEEDS.items():
        if name in blocks and _block_pattern(blocks[name]) == source:
            _replace(blocks, name, _GuardedBlock(blocks[name], lambda block, needs=needs: _has_any(block, needs)), "block")
            applied.add(f"block:{name}")
    for name, (source, starts) in LINE_START_NEEDS.items():
        if name in blocks and _block_pattern(blocks[name]) == source:
            _replace(blocks, name, _GuardedBlock(blocks[name], lambda block, starts=starts: _starts_a_line(block, starts)), "block")
            applied.add(f"block:{name}")
    if "table" in blocks and type(blocks["table"]).__name__ == "TableProcessor":
        _replace(blocks, "table", _GuardedBlock(blocks["table"], lambda block, needs=TABLE_NEEDS: _has_any(block, needs)), "block")
        applied.add("block:table")


def _guard_tree(md: markdown.Markdown, applied: set[str]) -> None:
    """attr_list reads ``{: ...}`` at the end of a block's text or at the start of an inline
    element's tail: each of its patterns needs a "{". Unescaping restores what escapes stashed:
    a text without a backslash has none."""
    tree = md.treeprocessors
    if "attr_list" in tree and type(tree["attr_list"]).__name__ == "AttrListTreeprocessor":
        attr_list = tree["attr_list"]
        if all("\\{" in getattr(attr_list, name).pattern for name in ("HEADER_RE", "BLOCK_RE", "INLINE_RE")):
            _replace(tree, "attr_list", _GuardedTree(md, attr_list, lambda root, holds=_text_or_tail_holds: holds(root, "{")), "tree")
            applied.add("tree:attr_list")
    if "unescape" in tree and type(tree["unescape"]).__name__ == "UnescapeTreeprocessor" and tree["unescape"].RE.pattern == "\x02(\\d+)\x03":
        sniff = _Sniff(md)
        md.preprocessors.register(sniff, "prefilter_sniff", 1000)  # before every other preprocessor
        _replace(tree, "unescape", _GuardedTree(md, tree["unescape"], lambda root: sniff.backslash), "tree")
        applied.add("tree:unescape")


def _guard_pre(md: markdown.Markdown, applied: set[str]) -> None:
    pre = md.preprocessors
    if "normalize_whitespace" in pre and type(pre["normalize_whitespace"]).__name__ == "NormalizeWhitespace":
        _replace(pre, "normalize_whitespace", _Normalize(md, pre["normalize_whitespace"]), "pre")
        applied.add("pre:normalize_whitespace")
    if "fenced_code_block" in pre:
        fenced = pre["fenced_code_block"]
        compiled = getattr(fenced, "FENCED_BLOCK_RE", None)
        if compiled is not None and compiled.pattern.startswith(FENCE_PATTERN_START):
            _replace(pre, "fenced_code_block", _Fenced(md, fenced), "pre")
            applied.add("pre:fenced_code_block")


# What a whole Markdown text must hold for an inline pattern to match anywhere in it: the
# needed strings, and for a line break also what the whitespace step turns into one (a tab
# expanded, a CR before a newline).
TEXT_NEEDS = {name: needs + (("\t", "\r") if name == "linebreak" else ()) for name, (_, needs) in INLINE_NEEDS.items()}


class FitToText:
    """Takes the inline patterns a whole text cannot match out of ``md``'s registry before it is
    converted, and puts them back, in their place, for a text that can (public Registry calls).

    The guards above skip a pattern run of text by run of text; a pattern
    no run can match costs a call per run even so. A text's runs are pieces
    of the text itself (the names links insert are not parsed again), so a
    pattern whose needed strings the whole text lacks matches none of them.
    """

    def __init__(self, md: markdown.Markdown, applied: set[str]):
        patterns = md.inlinePatterns
        self.patterns = patterns
        self.optional = [(name, patterns[name], PRIORITIES["inline"][name], TEXT_NEEDS[name])
                         for name in INLINE_NEEDS if f"inline:{name}" in applied and name in patterns]

    def __call__(self, text: str) -> None:
        patterns = self.patterns
        for name, pattern, priority, needs in self.optional:
            wanted = _has_any(text, needs)
            if wanted != (name in patterns):
                if wanted:
                    patterns.register(pattern, name, priority)  # its own place again: priorities are distinct
                else:
                    patterns.deregister(name)


def prefilter(md: markdown.Markdown) -> set[str]:
    """Guard the processors of ``md`` whose patterns are the ones above; return their names.

    Call it from an extension's ``extendMarkdown`` before that extension
    registers processors of its own (a processor registered again goes after
    the others of its priority). Raises :class:`OrderChanged` if a guard did
    not keep its processor's place (``md`` is then not to be used).
    """
    applied: set[str] = set()
    _guard_inline(md, applied)
    _guard_blocks(md, applied)
    _guard_tree(md, applied)
    _guard_pre(md, applied)
    return applied
