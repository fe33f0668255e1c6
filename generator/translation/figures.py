"""Consistency between languages: the same figures and facts in every translation.

A translator who turns ``6,000`` into ``5 000`` or drops a ``[[mohajer-6]]``
link has changed the story. For each briefing, the body of every translation
is compared with the body of its original: figures (numbers and years) and
embedded fact ids found in one but not the other become one warning line that
names both files and both sides.

A figure is read the way the language writes it (Babel's number symbols for
that locale), so ``6,000`` (en), ``6 000`` / ``6\u00a0000`` (ru) and ``6000``
are one figure, and ``1.5`` (en) equals ``1,5`` (ru). Digits that belong to a
name or a code are not figures: ``Shahed-136``, ``Su-35``, ``G7``, ``9M723``.
Link targets, URLs, HTML tags and code are not text readers see as figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol

from ..content import embeds
from ..content.errors import Problem, Problems
from ..content.model import Document, Site

# Characters used between groups of thousands in every language: space,
# no-break space, narrow no-break space, thin space.
SPACES = " \u00a0\u202f\u2009"
ENTITIES = {"&nbsp;": "\u00a0", "&#160;": "\u00a0", "&#xa0;": "\u00a0", "&#8239;": "\u202f", "&thinsp;": "\u2009", "&#8201;": "\u2009"}
ENTITY_RE = re.compile("|".join(map(re.escape, ENTITIES)), re.IGNORECASE)
HYPHENS = "-\u2010\u2011"

# What readers never see as text of the article.
LINK_TARGET_RE = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")  # [text](url "title") -> keep the text
REF_DEFINITION_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")  # [label]: https://...
URL_RE = re.compile(r"<?https?://[^\s>)]+>?")
TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class Found:
    """A figure or fact id: its normal form, as first written, and where."""

    key: str
    written: str
    line: int


@lru_cache(maxsize=None)
def _number_re(lang: str) -> re.Pattern:
    try:
        group, decimal = get_group_symbol(lang), get_decimal_symbol(lang)
    except Exception:  # an unknown locale is reported by resolve.py; read it like English
        group, decimal = ",", "."
    groups = SPACES + (group if group not in SPACES else "")
    # A point is a decimal mark wherever it is not the group mark ("1.5" in a
    # Russian text is still one and a half).
    decimals = decimal + ("." if group != "." and decimal != "." else "")
    # No look-behind for a digit: a match always takes a whole run of digits.
    # One \d before the alternatives (\d{1,3}... | \d+ written as \d(\d{0,2}... | \d*)):
    # a pattern whose first item is a digit class lets the engine skip prose
    # fast; one that starts with alternatives tries them at every character (4x slower).
    return re.compile(
        rf"(?P<int>\d(?:\d{{0,2}}(?:[{re.escape(groups)}]\d{{3}})+(?!\d)|\d*))"
        rf"(?:[{re.escape(decimals)}](?P<frac>\d+))?"
    )


def _is_name(line: str, start: int, end: int) -> bool:
    """Digits that are part of a name or code: Shahed-136, Su-35, G7, 9M723."""
    before = line[start - 1] if start > 0 else ""
    after = line[end] if end < len(line) else ""
    if not before.isalpha() and before not in HYPHENS and not after.isalnum():
        return False  # the usual figure, between spaces or punctuation: none of the patterns below can match
    if before.isalpha():
        return True  # G7, T72
    if before and before in HYPHENS:
        word = re.search(r"(\w+)$", line[: start - 1])
        # "Shahed-136", "С-300", "Ту-22М3", "9K-33" are names; "mid-2022" is a
        # year and "2022-2023" a range of two.
        text = word.group(1) if word else ""
        if any(c.isalpha() for c in text) and (text[0].isupper() or any(c.isdigit() for c in text)):
            return True
    # 9M723, 2S19: letters followed by more digits make a code; "4th", "300km" stay figures.
    return bool(re.match(rf"[^\W\d_]+[{HYPHENS}]?\d", line[end:]))


def _normal(integer: str, fraction: str | None) -> str:
    whole = str(int(integer if integer.isdigit() else re.sub(r"\D", "", integer)))
    fraction = (fraction or "").rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def _visible_lines(body: str, first_line: int):
    """(line number, text readers see) for each line outside code, embeds removed."""
    in_fence = None
    for offset, line in enumerate(body.split("\n")):
        fence = embeds.FENCE_RE.match(line) if "`" in line or "~" in line else None
        if fence:
            if in_fence is None:
                in_fence = fence.group(1)
            elif in_fence == fence.group(1):
                in_fence = None
            continue
        if in_fence or not DIGIT_RE.search(line) or embeds.BLOCK_RE.match(line) or REF_DEFINITION_RE.match(line):
            continue  # most lines of prose hold no digit at all: skip them cheaply
        # Each substitution only where its marker occurs: this runs on every line of every briefing.
        if "`" in line:
            line = embeds.CODE_SPAN_RE.sub(" ", line)
        if "[[" in line:
            line = embeds.LINK_RE.sub(lambda m: f" {m.group(2)} " if m.group(2) else " ", line)
        if "](" in line:
            line = LINK_TARGET_RE.sub("]", line)
        if "://" in line:
            line = URL_RE.sub(" ", line)
        if "<" in line:
            line = TAG_RE.sub(" ", line)
        if "&" in line:
            line = ENTITY_RE.sub(lambda m: ENTITIES[m.group().lower()], line)
        yield first_line + offset, line


def figures(body: str, first_line: int, lang: str) -> dict[str, Found]:
    """The figures of a Markdown body, keyed by value, each where it first occurs."""
    return {found.key: found for found in _figures(body, first_line, lang)}


# Rebuilds in one process (the preview server) meet the same bodies again:
# an unchanged body is not read twice.
@lru_cache(maxsize=4096)
def _figures(body: str, first_line: int, lang: str) -> tuple[Found, ...]:
    pattern = _number_re(lang)
    found: dict[str, Found] = {}
    for number, line in _visible_lines(body, first_line):
        for match in pattern.finditer(line):
            if _is_name(line, match.start(), match.end()):
                continue
            key = _normal(match.group("int"), match.group("frac"))
            if key not in found:
                found[key] = Found(key, match.group().replace("\u00a0", " ").replace("\u202f", " "), number)
    return tuple(found.values())


def fact_ids(body: str, first_line: int) -> dict[str, Found]:
    """Embedded ids ([[id]], [[factbox:id]], [[timeline:id]]), each where it first occurs."""
    refs, _ = embeds.scan(body, first_line)
    found: dict[str, Found] = {}
    for ref in refs:
        found.setdefault(ref.target, Found(ref.target, f"[[{ref.target}]]", ref.line))
    return found


def _only_in(one: dict[str, Found], other: dict[str, Found]) -> list[Found]:
    return sorted((f for key, f in one.items() if key not in other), key=lambda f: (f.line, f.key))


def _describe(items: list[Found]) -> str:
    return ", ".join(f"{f.written} (line {f.line})" for f in items) if items else "nothing"


def compare(original: Document, translation: Document) -> Problem | None:
    """One warning if the two bodies do not share the same figures and fact ids."""
    left_figures = figures(original.body, original.body_line, original.lang)
    right_figures = figures(translation.body, translation.body_line, translation.lang)
    # The model already knows each body's ids; their lines are only needed for a warning.
    if left_figures.keys() == right_figures.keys() and _ids(original) == _ids(translation):
        return None
    left = {**left_figures, **_prefixed(fact_ids(original.body, original.body_line))}
    right = {**right_figures, **_prefixed(fact_ids(translation.body, translation.body_line))}
    only_left, only_right = _only_in(left, right), _only_in(right, left)
    if not only_left and not only_right:
        return None
    line = only_right[0].line if only_right else None
    return Problem(translation.path, line, (
        f"figures or facts differ between translations: {_describe(only_left)} in {original.path} "
        f"vs {_describe(only_right)} in {translation.path}"), "warning")


def _ids(doc: Document) -> set[str]:
    return set(doc.mentions) | set(doc.embedded_timelines)


def _prefixed(ids: dict[str, Found]) -> dict[str, Found]:
    # Fact ids and figures share one comparison; keep their keys apart.
    return {"id:" + key: found for key, found in ids.items()}


def check(site: Site, problems: Problems, compare=compare) -> None:
    """Compare every published translation of every briefing with its original.

    ``compare`` may be replaced by one that remembers earlier answers (an
    incremental build: ``cache/memo.py``); it must give what :func:`compare` gives.
    """
    for group in site.briefings:
        original = group.translations[0][1]
        for _, doc in group.translations[1:]:
            problem = compare(original, doc)
            if problem is not None:
                problems.items.append(problem)
