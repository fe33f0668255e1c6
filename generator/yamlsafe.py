"""Safe YAML loading that keeps positions and refuses silent surprises.

PyYAML's safe loader never executes tags such as ``!!python/object``, but it
silently keeps the last of two duplicate keys and raises ``ValueError`` (not a
YAML error) for impossible dates. This loader turns both into positioned
errors, and returns mappings and lists that remember the line of each key and
item, so later stages can point editors at the exact line of a bad value.
The C parser is used when available: it is several times faster.
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

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


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
    # Added to every recorded line: front matter starts after its '---' line.
    line_offset = 0


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> PosDict:
    loader.flatten_mapping(node)
    result = PosDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(None, None, "a mapping key must be a plain value", key_node.start_mark)
        if key in result:
            raise ConstructorError(
                None, None,
                f"duplicate key '{key}' (first on line {result.key_lines[key]}); each key may appear once",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> PosList:
    result = PosList()
    result.line = node.start_mark.line + 1 + loader.line_offset
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_lines.append(child.start_mark.line + 1 + loader.line_offset)
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise ConstructorError(None, None, f"impossible date '{node.value}'", node.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _friendly(error: yaml.YAMLError, line_text: str) -> str:
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    if isinstance(error, ConstructorError) and not problem.startswith("could not determine"):
        return problem  # one of ours (duplicate key, impossible date): already plain
    if "\t" in line_text and ("cannot start any token" in problem or "tab" in problem):
        return "a tab character is not allowed in YAML: indent with spaces"
    if "could not determine a constructor for the tag" in problem:
        tag = re.search(r"'([^']*)'", problem)
        tag_text = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else "?"
        return f"YAML tag {tag_text} is not allowed (content is data, never code)"
    if "quoted scalar" in context or "quoted scalar" in problem:
        return "unclosed quote: a quoted text must end with the same quote mark"
    if problem.startswith("mapping values are not allowed"):
        return ("a colon followed by a space is not allowed here: quote the text, "
                "or check the indentation of this line")
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "bad indentation: this line does not line up with the lines around it"
    text = problem
    if context and context not in problem:
        text = f"{problem} ({context})"
    return f"invalid YAML: {text}"


def load_yaml(text: str, path: str, line_offset: int = 0):
    """Parse ``text`` safely. Raises :class:`YamlProblem` with a positioned message.

    ``line_offset`` is added to YAML's line numbers (front matter starts
    after the opening ``---`` line).
    """
    loader = _Loader(text)  # a SafeLoader: no tag can construct Python objects
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        if "quoted scalar" in (getattr(error, "context", None) or "") and getattr(error, "context_mark", None):
            mark = error.context_mark  # where the quote was opened, not where the file ended
        line_text = ""
        if mark is not None:
            lines = text.splitlines()
            line_text = lines[mark.line] if mark.line < len(lines) else ""
        line = (mark.line + 1 + line_offset) if mark is not None else None
        raise YamlProblem(Problem(path, line, _friendly(error, line_text))) from None
    except RecursionError:
        raise YamlProblem(Problem(path, None, "YAML is nested too deeply")) from None
    finally:
        loader.dispose()


__all__ = ["PosDict", "PosList", "YamlProblem", "load_yaml"]
