"""Mirror a built site into a folder, like ``rsync --delete``.

New and changed files are written (each atomically: a temporary file in the
same folder, then a rename), files that are no longer part of the site are
removed, and a file whose bytes are already right is not touched at all, so
its modification time stays and a later ``rsync`` or bucket sync skips it.
Top-level entries whose names start with a dot (``.git``, ``.well-known``,
``.htaccess``) belong to whoever runs the server and are left alone.

Because it deletes, it refuses a folder that does not look like a site it
could have written: it must be empty (apart from top-level dot entries) or
hold a built site (``index.html`` and ``sitemap.xml`` at its root).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..content.errors import PublishError
from ..output.atomic import replace_file
from ..output.write import target_problem

@dataclass(frozen=True)
class MirrorReport:
    written: tuple[str, ...]  # new or changed files, relative posix paths
    removed: tuple[str, ...]  # stale files (and links) removed
    unchanged: int


def mirror(files: dict[str, bytes], target: Path, protect: tuple[Path, ...] = ()) -> MirrorReport:
    """Make ``target`` hold exactly ``files`` (top-level dot entries aside)."""
    target = Path(target).absolute()
    problem = target_problem(target, protect, who="publishing", option="--dir")
    if problem is not None:
        raise PublishError(problem)
    target.mkdir(parents=True, exist_ok=True)

    written: list[str] = []
    unchanged = 0
    for rel, data in sorted(files.items()):
        path = target / rel
        if _same_file(path, data):
            unchanged += 1
            continue
        _make_parents(target, path.parent)
        _replace(path, data)
        written.append(rel)

    removed = _remove_stale(target, set(files))
    return MirrorReport(tuple(written), tuple(removed), unchanged)


def _same_file(path: Path, data: bytes) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    if path.stat().st_size != len(data):
        return False
    return path.read_bytes() == data


def _make_parents(target: Path, folder: Path) -> None:
    """Create ``folder`` under ``target``; a file or link in the way is stale, so it goes."""
    current = target
    for part in folder.relative_to(target).parts:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            # Never write through a link: it could point outside the target.
            current.unlink()
        if not current.exists():
            current.mkdir()


def _replace(path: Path, data: bytes) -> None:
    # os.replace swaps a file or a link (the link itself, never its target);
    # a folder where the site now has a file is stale and goes first.
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    # No leading dot: a leftover of an interrupted run at the top level would
    # otherwise count as the server's own file and be kept forever.
    replace_file(path, data, prefix=f"{path.name}.", suffix=".briefing-tmp")


def _remove_stale(target: Path, keep: set[str]) -> list[str]:
    removed: list[str] = []

    def walk(folder: Path, prefix: str) -> bool:
        """Remove stale entries below ``folder``; True if it ends up empty."""
        empty = True
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            rel = prefix + entry.name
            if not prefix and entry.name.startswith("."):
                empty = False
                continue  # top-level dot entries are the server's, not ours
            if entry.is_dir(follow_symlinks=False):
                if walk(Path(entry.path), rel + "/"):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif rel in keep:
                empty = False
            else:
                os.unlink(entry.path)
                removed.append(rel)
        return empty

    walk(target, "")
    return removed
