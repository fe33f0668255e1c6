"""The output folder as a build leaves it, for the record: each file's stat and each folder's time.

Taken without listing the folder again: the files the build wrote were
stat'ed by the processes that wrote them, and only the folders a commit
changed are stat'ed (see ``scan.scan_output``, which trusts an unchanged
folder time to mean unchanged entries).
"""

from __future__ import annotations

import os
from pathlib import Path


def folder_times_after(output: Path, seen: dict[str, int], folders_before: set[str], folders_after: set[str],
                        deleted: set[str], written: list[str]) -> dict[str, int]:
    """The mtime of every output folder after the commit, stat'ing only the folders it changed."""
    touched = {""}
    for path in (*written, *deleted, *(folders_before ^ folders_after)):
        touched.add(path.rpartition("/")[0])
    times = {folder: t for folder, t in seen.items() if folder in folders_after and folder not in touched}
    base = str(output)
    for folder in touched | (folders_after - set(times)):
        try:
            times[folder] = os.lstat(f"{base}/{folder}" if folder else base).st_mtime_ns
        except OSError:
            pass
    return times


def output_after(output: Path | None, present: dict, order: list[str], written: list[tuple[str, tuple | None]]) -> dict:
    """The stat of every output file after the commit, without listing the folder again.

    ``written``: (path, stat) of each file the build wrote, the stat as the process that
    wrote it took it (moving the file into the output keeps it), or None (stat'ed here).
    """
    after = {path: present[path] for path in order if path in present}
    base = str(output)
    for path, stat in written:
        if stat is None:
            st = os.stat(f"{base}/{path}")
            stat = (st.st_size, st.st_mtime_ns, st.st_ino)
        after[path] = stat
    return after


def folders_of(paths: list[str]) -> set[str]:
    folders: set[str] = set()
    for path in paths:
        cut = path.rfind("/")
        while cut > 0:
            folder = path[:cut]
            if folder in folders:
                break
            folders.add(folder)
            cut = path.rfind("/", 0, cut)
    return folders
