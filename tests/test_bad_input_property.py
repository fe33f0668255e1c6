"""Property: whatever an editor types, only the project's own errors come out.

Hypothesis writes random front matter, YAML and Markdown into a copy of the
``basic`` fixture (random values dumped as YAML, random punctuation, and
random edits of the real files) and runs the loader and the resolver, then
the whole build. Nothing may escape but :class:`ContentError`, and every
problem must be a well-formed ``Problem`` (relative path, line >= 1 or none,
a message of words, never a Python object's spelling).
"""

from __future__ import annotations

import pytest

import datetime as dt
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.content.errors import ContentError, Problem, Problems
from generator.content.load import load_content
from generator.content.resolve import resolve
from mistakes import fresh_content

pytestmark = pytest.mark.slow  # hypothesis: hundreds of generated sites

IDS = ["drone-x", "missile-y", "rocket-z", "test-person", "test-org", "test-topic", "test-events",
       "test-source-a", "test-source-b", "nope", "../x", "Drone-X", ""]
FIELDS = ["title", "summary", "date", "updated", "authors", "topics", "timeline", "draft", "name", "class",
          "origin", "range_km", "sources", "status", "events", "entities", "quantities", "text", "en", "ru", "de",
          "languages", "base_url", "timezone", "publisher", "url", "value", "amount", "currency"]
YAML_NOISE = list(" \t\n\n:-[]{},'\"#&*!|>?%@`~\\.0123456789abcxyzен") + ["---", "...", "!!python/object:os.system",
                                                                        "!!binary", "&a", "*a", "<<: ", ": ", "- ", "\r\n", "\ufeff", "\x00", "\x85"]
MD_NOISE = ["[[", "]]", "[[factbox:", "[[timeline:", "|", "```", "~~~", "`", "\n", "\n\n", "{{ 7*7 }}", "{%", "<script>",
            "# ", "* ", "1. ", "[a](b)", "[^1]", ": "] + IDS

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(IDS + FIELDS),
    st.dates(min_value=dt.date(1, 1, 1)), st.datetimes(timezones=st.just(dt.timezone.utc) | st.none()),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS + IDS) | st.integers(0, 5), inner, max_size=5),
    max_leaves=20,
)
mappings = st.dictionaries(st.sampled_from(FIELDS + IDS), values, max_size=8)
noise = st.lists(st.sampled_from(YAML_NOISE) | st.text(max_size=5), max_size=40).map("".join)
markdown = st.lists(st.sampled_from(MD_NOISE) | st.text(max_size=12), max_size=40).map("".join)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)


yaml_text = st.one_of(mappings.map(dump), values.map(dump), noise)


@st.composite
def edited(draw, text: str) -> str:
    """``text`` with a few random insertions, deletions and replacements."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 8))
        text = text[:at] + draw(st.sampled_from(YAML_NOISE) | st.text(max_size=6)) + text[at + cut:]
    return text


def documents(fixture: Path):
    front = st.one_of(mappings.map(dump), noise, edited((fixture / "briefings/bilingual/en.md").read_text(encoding="utf-8")))
    return st.tuples(front, markdown).map(lambda fb: fb[0] if fb[0].startswith("---") else f"---\n{fb[0]}\n---\n{fb[1]}")


FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic" / "content"
FILES = ["briefings/bilingual/en.md", "briefings/en-only/en.md", "pages/about/ru.md", "facts/weapons.yaml",
         "facts/sources.yaml", "timelines/test-events.yaml", "site.yaml"]


@st.composite
def content_changes(draw) -> dict[str, str]:
    """One to three files of the fixture replaced by random text of the right kind."""
    changes = {}
    for rel in draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=3, unique=True)):
        if rel.endswith(".md"):
            changes[rel] = draw(documents(FIXTURE))
        else:
            original = (FIXTURE / rel).read_text(encoding="utf-8")
            changes[rel] = draw(st.one_of(yaml_text, edited(original)))
    return changes


def write_changes(root: Path, changes: dict[str, str]) -> Path:
    content = fresh_content(root)
    for rel, text in changes.items():
        (content / rel).write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return content


PYTHON_OBJECTS = re.compile(r"object at 0x|<class '|Traceback|PosDict|PosList")


def assert_well_formed(problems) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.path, str) and problem.path and not problem.path.startswith("/"), problem
        assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1), problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert not PYTHON_OBJECTS.search(problem.message), problem


SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=200, **SETTINGS)
@given(content_changes())
def test_loader_and_resolver_only_report_problems(changes):
    with tempfile.TemporaryDirectory() as tmp:
        content = write_changes(Path(tmp), changes)
        problems = Problems(content.parent)
        resolve(load_content(content, problems), problems)  # must not raise
        assert_well_formed(problems.items)


@settings(max_examples=40, **SETTINGS)
@given(content_changes())
def test_the_whole_build_raises_nothing_but_content_errors(changes):
    with tempfile.TemporaryDirectory() as tmp:
        content = write_changes(Path(tmp), changes)
        try:
            result = build(content, None)
        except ContentError as error:
            assert error.problems
            assert_well_formed(error.problems)
        else:
            assert_well_formed(result.warnings)
            assert "index.html" in result.files
