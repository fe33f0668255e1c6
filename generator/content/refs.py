"""Ids one record uses, collected while records are read and checked once every record is known."""

from __future__ import annotations

from .errors import Problems


class Refs:
    """Ids used by records, checked once every record is known."""

    def __init__(self) -> None:
        self.items: list[tuple[str, int, str, tuple[str, ...], str]] = []

    def add(self, path, line: int, target: str, kinds: tuple[str, ...], what: str) -> None:
        self.items.append((path, line, target, kinds, what))


KIND_WORDS = {
    "weapons": "weapon", "people": "person", "organizations": "organisation",
    "topics": "topic", "sources": "source", "timelines": "timeline", "places": "place", "images": "image",
}


def a(word: str) -> str:
    """``word`` with its indefinite article."""
    return ("an " if word[:1] in "aeiou" else "a ") + word


def check_refs(refs: Refs, known: dict[str, str], problems: Problems, broken: frozenset[str] = frozenset()) -> None:
    """``known`` maps id -> kind ("weapons", ..., "sources", "timelines").

    ``broken`` holds the fact kinds whose file holds no mapping of ids: an
    unknown id that could be one of them is not reported (the file's error is).
    """
    for path, line, target, kinds, what in refs.items:
        kind = known.get(target)
        if kind is None and "timelines" in kinds and ("timeline", target) in known:
            continue
        if kind in kinds:
            continue
        if kind is None and broken.intersection(kinds):
            continue
        wanted = " or ".join(KIND_WORDS[k] for k in kinds)
        if kind is None:
            problems.error(path, line, f"unknown {wanted} '{target}' in {what}: no such id in content/facts{' or content/timelines' if 'timelines' in kinds else ''}")
        elif kind == "images" and what.startswith("[["):
            problems.error(path, line, f"'{target}' in {what} is an image: a picture is placed as a paragraph of its own, "
                                       f"[[image:{target}]], never inside a sentence")
        else:
            problems.error(path, line, f"'{target}' in {what} is {a(KIND_WORDS[kind])}, not {a(wanted)}")
