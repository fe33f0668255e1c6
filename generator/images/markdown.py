"""The pictures a Markdown text places (``![alt](name.jpg)``), found with their lines before it is rendered.

Inline pictures and reference-style ones (``![alt][plan]`` with a line
``[plan]: plan.png``) are both found; pictures inside code are left alone,
as the Markdown renderer leaves them. ``check`` says what is wrong with each
one: an empty alt text, a picture from another site, a name that is no file
of ``content/images/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.embeds import CODE_SPAN_RE, FENCE_RE
from ..content.errors import plain
from .records import check_picture_name

_ALT = r"((?:[^\[\]\\\n]|\\.)*)"
INLINE_RE = re.compile(r"!\[" + _ALT + r"\]\(\s*(<[^>\n]*>|[^\s)]*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)")
REFERENCE_RE = re.compile(r"!\[" + _ALT + r"\](?:\s?\[([^\]\n]*)\])?")
DEFINITION_RE = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*(<[^>\n]*>|\S+)")
REMOTE_RE = re.compile(r"^(?:https?:)?//", re.I)
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass(frozen=True)
class Placed:
    line: int
    alt: str
    target: str  # as written: a file name, an address, or a reference's target


def scan(body: str, first_line: int) -> list[Placed]:
    """Every picture of a Markdown text, with its line (``first_line``: the line of the text's first line)."""
    lines = body.split("\n")
    definitions: dict[str, str] = {}
    visible: list[tuple[int, str]] = []
    fence = None
    for offset, line in enumerate(lines):
        marker = FENCE_RE.match(line) if "`" in line or "~" in line else None
        if marker:
            if fence is None:
                fence = marker.group(1)
            elif fence == marker.group(1):
                fence = None
            continue
        if fence is not None:
            continue
        definition = DEFINITION_RE.match(line)
        if definition:
            definitions.setdefault(definition.group(1).strip().lower(), definition.group(2).strip("<>"))
            continue
        if "![" in line:
            visible.append((first_line + offset, CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), line) if "`" in line else line))
    found: list[Placed] = []
    for number, line in visible:
        taken = []
        for match in INLINE_RE.finditer(line):
            found.append(Placed(number, match.group(1), match.group(2).strip("<>")))
            taken.append(match.span())
        for match in REFERENCE_RE.finditer(line):
            if any(start <= match.start() < end for start, end in taken):
                continue
            label = (match.group(2) or match.group(1)).strip().lower()
            if label in definitions:
                found.append(Placed(number, match.group(1), definitions[label]))
    return found


def check(placed: Placed) -> tuple[str, str] | None:
    """What is wrong with a placed picture: ("error" or "warning", message), or None."""
    if not placed.alt.strip():
        return "error", (f"the picture '{plain(placed.target)}' has no alt text: say what it shows between the brackets, "
                         "such as ![A map of the route](map.png) (screen readers read it out)")
    if REMOTE_RE.match(placed.target):
        return "warning", (f"the picture {plain(placed.target)} is on another site: every reader's browser would ask that "
                           "site for it (and tell it who reads this page); save it in content/images/ and name the file, "
                           "such as ![...](map.png)")
    if SCHEME_RE.match(placed.target) or placed.target.startswith("/"):
        return "error", f"'{plain(placed.target)}' is no picture file: name a file in content/images/, such as ![...](map.png)"
    problem = check_picture_name(placed.target)
    return ("error", problem) if problem else None


def is_local(target: str) -> bool:
    """Whether a picture's target names a file of content/images/ (not an address elsewhere)."""
    return not REMOTE_RE.match(target) and not SCHEME_RE.match(target) and check_picture_name(target) is None
