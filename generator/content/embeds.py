"""The ``[[...]]`` syntax inside Markdown: fact boxes, timelines, range maps, figures, entity links.

Scanning is done on the raw text so that every reference is known with its
line before any Markdown is rendered; the renderer uses the same patterns.
Code (fenced blocks and inline code spans) is left alone, as editors expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# [[id]], [[id|text]], [[factbox:id]], [[timeline:id]], [[map:weapon-id@place-id,place-id]], [[image:id]]
LINK_RE = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]")
BLOCK_KINDS = ("factbox", "timeline", "map", "image")
BLOCK_RE = re.compile(r"^\s*\[\[(" + "|".join(BLOCK_KINDS) + r"):([^\[\]|\n]+?)\]\]\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN_RE = re.compile(r"`+[^`]*`+")


@dataclass(frozen=True)
class Reference:
    line: int
    kind: str  # "link", "factbox", "timeline", "map" or "image"
    target: str
    text: str | None = None


@dataclass(frozen=True)
class Misuse:
    line: int
    message: str


def scan(body: str, first_line: int) -> tuple[list[Reference], list[Misuse]]:
    """Find every ``[[...]]`` in a Markdown body, with its line number."""
    refs: list[Reference] = []
    misuses: list[Misuse] = []
    lines = body.split("\n")
    in_fence = None
    for offset, line in enumerate(lines):
        number = first_line + offset
        fence = FENCE_RE.match(line) if "`" in line or "~" in line else None  # `in` is cheaper than a match
        if fence:
            marker = fence.group(1)
            if in_fence is None:
                in_fence = marker
            elif in_fence == marker:
                in_fence = None
            continue
        if in_fence or "[[" not in line:
            continue
        block = BLOCK_RE.match(line)
        if block:
            before = lines[offset - 1].strip() if offset > 0 else ""
            after = lines[offset + 1].strip() if offset + 1 < len(lines) else ""
            if before or after:
                misuses.append(Misuse(number, f"[[{block.group(1)}:{block.group(2)}]] must stand alone in its own paragraph: leave an empty line before and after it"))
            refs.append(Reference(number, block.group(1), block.group(2).strip()))
            continue
        if "`" in line:
            line = CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), line)
        for match in LINK_RE.finditer(line):
            target = match.group(1).strip()
            if ":" in target:
                prefix = target.split(":", 1)[0]
                if prefix in BLOCK_KINDS:
                    misuses.append(Misuse(number, f"[[{target}]] must stand alone in its own paragraph: leave an empty line before and after it"))
                else:
                    misuses.append(Misuse(number, f"unknown embed [[{target}]]: use [[id]], [[id|text]], [[factbox:id]], [[timeline:id]], [[map:weapon-id@place-id]] or [[image:id]]"))
                continue
            text = match.group(2)
            if text is not None and not text.strip():
                misuses.append(Misuse(number, f"[[{target}|]] has an empty link text: write the text after '|' or drop the '|'"))
                continue
            refs.append(Reference(number, "link", target, text.strip() if text else None))
    return refs, misuses
