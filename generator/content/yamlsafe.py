"""Safe YAML loading that keeps positions and refuses silent surprises.

PyYAML's safe loader never executes tags such as ``!!python/object``, but it
silently keeps the last of two duplicate keys, raises ``ValueError`` (not a
YAML error) for impossible dates or ``!!int x``, and builds bytes and sets for
``!!binary`` and ``!!set``. This loader turns all of these into positioned
errors, and returns mappings and lists that remember the line of each key and
item, so later stages can point editors at the exact line of a bad value.
Every failure comes out as a :class:`YamlProblem` whose message an editor can
act on. The C parser is used when available: it is several times faster.
"""

from __future__ import annotations

import re

import yaml
from yaml.constructor import ConstructorError

from .errors import Problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PosDict(dict):
    """A dict that knows its own line and the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict = {}
        self.value_lines: dict = {}  # where each value's text starts (a literal block: its first line)
        self.literal_keys: set = set()  # values written as '|' blocks keep their line breaks

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)

    def value_line(self, key) -> int:
        return self.value_lines.get(key, self.line_of(key))


class PosList(list):
    """A list that knows its own line and the line of each item (1-based)."""

    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _Loader(_Base):
    line_offset = 0  # set per load: front matter starts below its '---' line


def _line(loader: _Loader, mark) -> int:
    return mark.line + 1 + loader.line_offset


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> PosDict:
    loader.flatten_mapping(node)
    result = PosDict()
    result.line = _line(loader, node.start_mark)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (dict, list, set)):
            raise ConstructorError(None, None, "a key must be a plain name, not a list or a mapping", key_node.start_mark)
        if key in result:
            raise ConstructorError(
                None, None,
                f"duplicate key '{key}' (first on line {result.key_lines[key]}); each key may appear once",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(loader, key_node.start_mark)
        value_line = _line(loader, value_node.start_mark)
        if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
            value_line += 1  # the text starts below the '|' or '>' indicator
            if value_node.style == "|":
                result.literal_keys.add(key)
        result.value_lines[key] = value_line
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> PosList:
    result = PosList()
    result.line = _line(loader, node.start_mark)
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_lines.append(_line(loader, child.start_mark))
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise ConstructorError(None, None, f"impossible date '{node.value}': check the month and the day", node.start_mark)


def _checked(constructor, what: str):
    """Explicit tags such as ``!!int x`` raise plain Python errors in PyYAML."""

    def construct(loader: _Loader, node):
        try:
            return constructor(loader, node)
        except (ValueError, KeyError, TypeError, OverflowError):
            raise ConstructorError(None, None, f"'{node.value}' is not {what}", node.start_mark)

    return construct


def _refuse(loader: _Loader, node):
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise ConstructorError(None, None, f"YAML tag {tag} is not allowed here: write plain text, numbers, lists and mappings", node.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _checked(yaml.SafeLoader.construct_yaml_int, "a whole number"))
_Loader.add_constructor("tag:yaml.org,2002:float", _checked(yaml.SafeLoader.construct_yaml_float, "a number"))
_Loader.add_constructor("tag:yaml.org,2002:bool", _checked(yaml.SafeLoader.construct_yaml_bool, "true or false"))
# Bytes, sets and ordered pairs have no meaning in content and would reach
# messages and templates as Python objects.
for _tag in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _friendly(error: yaml.YAMLError, line_text: str, column: int | None = None) -> str:
    problem = getattr(error, "problem", None) or ""
    context = getattr(error, "context", None) or ""
    if isinstance(error, yaml.reader.ReaderError):
        return (f"the file contains an invisible control character (code {error.character:#06x}), "
                "which YAML does not allow: delete it (it often comes from copying text out of another program)")
    if isinstance(error, ConstructorError) and not problem.startswith("could not determine") and "expected a" not in problem:
        return problem  # one of ours (duplicate key, impossible date, refused tag): already plain
    if "\t" in line_text and ("cannot start any token" in problem or "tab" in problem or "expected" in problem):
        return "a tab character is not allowed in YAML: indent with spaces"
    if "could not determine a constructor for the tag" in problem:
        tag = re.search(r"'([^']*)'", problem)
        tag_text = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else "?"
        return f"YAML tag {tag_text} is not allowed (content is data, never code)"
    if "expected a" in problem and "node" in problem:
        return "this tag does not fit the value after it: remove the '!!' tag"
    if "quoted scalar" in context or "quoted scalar" in problem:
        return "unclosed quote: a quoted text must end with the same quote mark"
    if problem.startswith("mapping values are not allowed"):
        return ("a colon followed by a space is not allowed here: quote the text, "
                "or check the indentation of this line")
    if "flow mapping" in context:
        return ("a mapping written {...} is not closed properly: check for a missing '}', or quote "
                "text that holds a comma, a colon or a quote mark")
    if "flow sequence" in context:
        return ("a list written [...] is not closed properly: check for a missing ']', or quote "
                "text that holds a comma, a colon or a quote mark")
    if "cannot start any token" in problem:
        # The C parser does not name the character; the line and column do.
        char = line_text[column] if column is not None and column < len(line_text) else ""
        what = f"'{char}'" if char.strip() else "this character"
        return f"a value cannot start with {what}: put the text in quotes"
    if "undefined alias" in problem:
        return "'*' refers to an anchor ('&name') that is not defined: put the text in quotes if '*' is meant literally"
    if "duplicate anchor" in problem or "duplicate anchor" in context:
        return "the anchor ('&name') is defined twice: give each anchor its own name"
    if "expected a single document" in context or "document start" in problem:
        return "a line '---' or stray text starts a second YAML document: a file holds one document"
    if "did not find expected '-' indicator" in problem:
        return "bad indentation: a list item must start with '- ' at the same indentation as the items above"
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "bad indentation: this line does not line up with the lines around it"
    if "could not find expected ':'" in problem:
        return ("a line here is neither 'name: value' nor part of the value above: add the colon, "
                "or indent it under the value it continues")
    if "block sequence entries are not allowed" in problem:
        return "a list item ('- ') cannot start here: put it on a line of its own, indented under the name of the list"
    if "did not find expected node content" in problem:
        return "a value is missing here: something must follow the '-', ',' or ':'"
    if "expected alphabetic or numeric character" in problem:
        return "'&' and '*' start YAML anchors and aliases: put text that starts with them in quotes"
    if "found unexpected end of stream" in problem:
        return "the file ends in the middle of a value: check the last lines"
    text = problem or str(error).split("\n")[0]
    return f"this is not valid YAML ({text}): check the punctuation and indentation of this line"


def _unclosed_quote_line(text: str, error_line: int) -> int | None:
    """The line of a quote that swallowed the lines after it, if that explains the error.

    A forgotten closing quote makes YAML read on into the next lines, and the
    error then shows up one or two lines later. A quoted value that spans
    lines and ends right where the error is was almost certainly not meant.
    """
    culprit = None
    try:
        for token in yaml.scan(text):
            if token.start_mark.line > error_line:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.end_mark.line > token.start_mark.line
                    and 0 <= error_line - token.end_mark.line <= 1):
                culprit = token.start_mark.line
    except yaml.YAMLError:
        pass
    return culprit


def load_yaml(text: str, path: str, line_offset: int = 0):
    """Parse ``text`` safely. Raises :class:`YamlProblem` with a positioned message.

    ``line_offset`` is added to every line number, in errors and in the
    positions kept by :class:`PosDict` and :class:`PosList` (front matter
    starts after the opening ``---`` line).
    """
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        lines = text.splitlines()
        if isinstance(error, yaml.reader.ReaderError):
            line_index = text.count("\n", 0, error.position)
        else:
            mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
            line_index = mark.line if mark is not None else None
        line_text = lines[line_index] if line_index is not None and line_index < len(lines) else ""
        message = _friendly(error, line_text, getattr(getattr(error, "problem_mark", None), "column", None))
        if line_index is not None and not isinstance(error, (ConstructorError, yaml.reader.ReaderError)):
            quote_line = _unclosed_quote_line(text, line_index)
            context = getattr(error, "context", None) or ""
            if quote_line is not None:
                line_index = quote_line
                message = "unclosed quote: a quoted text must end with the same quote mark on the same line"
            elif any(word in context for word in ("quoted scalar", "flow sequence", "flow mapping", "simple key")) and getattr(error, "context_mark", None):
                line_index = error.context_mark.line  # where the quote or bracket was opened, not where YAML gave up
        line = (line_index + 1 + line_offset) if line_index is not None else None
        raise YamlProblem(Problem(path, line, message)) from None
    except RecursionError:
        raise YamlProblem(Problem(path, None, "the YAML is nested too deeply: simplify the lists and mappings")) from None
    finally:
        loader.dispose()


__all__ = ["PosDict", "PosList", "YamlProblem", "load_yaml"]
