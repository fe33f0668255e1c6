"""A one-line progress display for builds that take more than a second.

Shown only on a terminal: when output is piped or ``CI`` is set, nothing is
printed, so logs stay clean. The line is redrawn at most ten times a second
and erased when the build ends, before the summary and any problem is
printed.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

DELAY = 1.0  # seconds before anything is shown: quick builds stay silent
INTERVAL = 0.1


def wanted(stream: TextIO) -> bool:
    """A terminal that a person watches (not CI, not a pipe or a file)."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    def __init__(self, stream: TextIO, enabled: bool | None = None, clock=time.monotonic):
        self.stream = stream
        self.enabled = wanted(stream) if enabled is None else enabled
        self.clock = clock
        self.start = clock()
        self.last = 0.0
        self.shown = False

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < DELAY or (now - self.last < INTERVAL and done < total):
            return
        self.last = now
        width = 24
        filled = width * done // total if total else width
        percent = 100 * done // total if total else 100
        self.stream.write(f"\r{stage} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} pages {percent:3d}%\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
