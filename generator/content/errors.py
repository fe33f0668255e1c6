"""Problems found in content, and the error type that carries them.

Every mistake an editor can make ends up as a :class:`Problem`: a relative
path, a line when known, and a message. The pipeline collects them all in a
:class:`Problems` list so that one run reports everything at once; only the
CLI turns them into text and exit codes.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


def plain(value, limit: int = 60) -> str:
    """A value as an editor wrote it (YAML-like), for messages: never a Python repr.

    Long values are shortened; nesting is cut off, so shared or recursive
    YAML structures (anchors and aliases) cannot blow up a message.
    """
    text = _plain(value, 3)
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _plain(value, depth: int) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        if depth <= 0:
            return "{...}"
        items = list(value.items())
        inner = ", ".join(f"{_plain(k, 0)}: {_plain(v, depth - 1)}" for k, v in items[:5])
        return "{" + inner + (", ..." if len(items) > 5 else "") + "}"
    if isinstance(value, (list, tuple)):
        if depth <= 0:
            return "[...]"
        inner = ", ".join(_plain(v, depth - 1) for v in value[:5])
        return "[" + inner + (", ..." if len(value) > 5 else "") + "]"
    return str(value)


class ContentError(Exception):
    """Raised when content cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # raised in a render process, it reaches the build as it was
        return (type(self), (self.problems,))


def _sort_key(p: Problem):
    return (p.path, p.line or 0, p.message)


@functools.lru_cache(maxsize=64)
def _inside(root: str) -> str:
    """An absolute ``root`` with a trailing separator, normalised (many Problems share a root)."""
    return os.path.join(os.path.abspath(root), "")


@dataclass
class Problems:
    """A collector of problems; paths are stored relative to ``root``."""

    root: Path
    items: list[Problem] = field(default_factory=list)

    def rel(self, path: Path | str) -> str:
        # As written first: a link is named where it is, not where it points.
        # (Path.resolve stats every component: it is only the fallback.) Plain
        # strings: a build asks this twice for each of thousands of files.
        written = os.path.abspath(path)
        root = str(self.root)
        inside = _inside(root) if os.path.isabs(root) else os.path.join(os.path.abspath(root), "")
        if written.startswith(inside):
            rest = written[len(inside):]
            return rest if os.sep == "/" else rest.replace(os.sep, "/")
        path = Path(path)
        try:
            return path.resolve().relative_to(Path(self.root).resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def error(self, path: Path | str, line: int | None, message: str) -> None:
        self.items.append(Problem(self.rel(path), line, message, "error"))

    def warning(self, path: Path | str, line: int | None, message: str) -> None:
        self.items.append(Problem(self.rel(path), line, message, "warning"))

    def extend(self, problems) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self.items if p.severity == "error"}, key=_sort_key)

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.items if p.severity == "warning"}, key=_sort_key)


class PublishError(Exception):
    """Publishing could not be done; the message says why and what to do.

    Raised before anything is changed at the target whenever possible; the
    CLI prints it and exits with status 1.
    """
