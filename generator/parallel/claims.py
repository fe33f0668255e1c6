"""Chunks of work claimed by whichever process is free, the build's own included.

Reading the files of a first build and rendering the pages are split into
chunks. Dealing them out in advance leaves one process working while the
others wait; here each process, when it is free, claims the next chunk no
process has claimed, so all of them finish within a chunk of each other.
The build's own process works too: what it makes needs no pickling, and
one process fewer is started, warmed up and copied on write.
"""

from __future__ import annotations


class Claims:
    """The next unclaimed chunk of ``count``, counted in memory the forked processes share.

    Made before the processes are forked: they inherit it (it cannot be pickled).
    """

    def __init__(self, context, count: int):
        self.count = count
        self._next = context.Value("i", 0)  # with its own lock

    def next(self) -> int | None:
        """The index of a chunk nobody else has, or None when all are claimed."""
        with self._next.get_lock():
            claimed = self._next.value
            if claimed >= self.count:
                return None
            self._next.value = claimed + 1
        return claimed
