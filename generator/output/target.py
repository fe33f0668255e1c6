"""The output folder of a build: checked before anything is read, and surveyed as it stands.

A folder the build would have to replace and that holds anything a user
wrote is refused up front (``write.check_target``). What the folder holds
now (its files' stats and its folders) is what the commit deletes stale
files against; with the last build's record, folders whose time is unchanged
are not listed again (``cache/scan.scan_output``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .write import Staging, check_target


@dataclass(frozen=True)
class Survey:
    """What the output folder holds now: files (relative path -> (size, mtime_ns, inode)), folders, folder times."""

    files: dict = field(default_factory=dict)
    folders: set = field(default_factory=set)
    times: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """An output folder (absolute) and the folders it must never hold or be inside."""

    path: Path
    protect: tuple[Path, ...]

    @classmethod
    def of(cls, output: Path | None, sources: tuple[Path, ...], cache: Path | None = None, checked: bool = True) -> "Target | None":
        """The checked target for ``output`` (None: a build that writes nothing); ``checked=False``: a
        folder that is only read (``briefing check`` compares with the build that wrote it)."""
        if output is None:
            return None
        output = Path(output)
        if output.is_symlink():
            output = output.resolve()  # write into the folder the link points to, keep the link
        target = cls(output.absolute(), sources + ((Path(cache),) if cache is not None else ()))
        if checked:
            check_target(target.path, target.protect)  # before anything is read or kept: an unusable folder touches nothing
        return target

    def survey(self, last=None) -> Survey:
        """What the folder holds; ``last``: the record of the build that wrote it, if any (see scan_output)."""
        from ..cache.scan import scan_output  # the scan is shared with the cache's record
        if not self.path.is_dir():
            return Survey()
        files, folders, times = scan_output(self.path, last)
        return Survey(files, folders, times)

    def staging(self) -> Staging:
        return Staging(self.path, self.protect)
