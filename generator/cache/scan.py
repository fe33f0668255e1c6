"""What a build finds on disk: every input file with its stat and hash, and the output folder as left.

An unchanged site is recognised from ``stat`` calls alone. A file whose
mtime is within the racy window of the scan is hashed again next time even
if its stat looks unchanged (an edit in the same clock tick would otherwise
go unnoticed).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable


if TYPE_CHECKING:
    from .record import State

RACY_NS = 2_000_000_000
# On a file system whose times carry fractions of a second, a change is stamped
# with the kernel's clock tick (a few milliseconds): 50 ms is a wide margin.
FINE_RACY_NS = 50_000_000

Stat = tuple[int, int, int]  # size, mtime_ns, inode


# -- scanning ------------------------------------------------------------------------
def racy_window(times) -> int:
    """How close to the record a recorded time may be and still be trusted.

    Times that are all whole seconds come from a coarse file system (FAT: two
    seconds, HFS+: one): the wide window. Otherwise the narrow one.
    """
    return FINE_RACY_NS if any(t % 1_000_000_000 for t in times) else RACY_NS


def scan_tree(root: Path, listing: dict | None = None) -> tuple[dict[str, Stat], set[str]]:
    """Files (relative path -> stat) and folders under ``root``, without dot entries.

    Dot entries are no input: the build skips them (an editor's swap file
    changes nothing).

    ``listing``, when given, receives every folder's entries as ``load_content``
    lists them (absolute folder path -> [(name, is a link, is a folder)]), so
    the build does not read the content folder twice.
    """
    files: dict[str, Stat] = {}
    folders: set[str] = set()
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        seen: list[tuple[str, bool, bool]] | None = [] if listing is not None else None
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                rel = prefix + name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(rel)
                    stack.append((rel + "/", entry.path))
                    if seen is not None:
                        seen.append((name, False, True))
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    st = None
                if st is not None:
                    files[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
                if seen is not None:
                    link = entry.is_symlink()
                    seen.append((name, link, link and st is not None and stat.S_ISDIR(st.st_mode)))
        if seen is not None:
            listing[folder] = seen
    return files, folders


def scan_output(output: Path, last: "State | None") -> tuple[dict[str, Stat], set[str], dict[str, int]]:
    """The output's files (relative path -> stat) and folders, and each folder's mtime.

    Top-level dot entries (``.git``, ``.well-known``) are not the build's and
    are not looked into. With the last build's record, a folder whose
    modification time is the one recorded holds the entries it held then
    (adding, removing or renaming an entry changes it): its files are
    stat'ed one by one, which finds any edited or replaced file, but the
    folder is not listed. Listing 4,000 page folders was a tenth of a
    rebuild. A time recorded within the record's racy window of the record
    is not trusted (a change in the same clock tick would keep it).
    """
    files: dict[str, Stat] = {}
    folders: set[str] = set()
    times: dict[str, int] = {}
    known_times = last.output_times if last is not None else {}
    trusted_before = last.saved_ns - last.output_racy_ns if last is not None else 0
    files_in: dict[str, list[str]] = {}
    folders_in: dict[str, list[str]] = {}
    if known_times:
        for rel in last.output_files:
            files_in.setdefault(rel.rpartition("/")[0], []).append(rel)
        for rel in last.output_folders:
            folders_in.setdefault(rel.rpartition("/")[0], []).append(rel)
    base = str(output)
    stack = [""]
    while stack:
        rel = stack.pop()
        path = f"{base}/{rel}" if rel else base
        try:
            mtime = os.lstat(path).st_mtime_ns
        except OSError:
            continue
        times[rel] = mtime
        known = known_times.get(rel)
        if known == mtime and known < trusted_before:
            for name in files_in.get(rel, ()):
                try:
                    st = os.stat(f"{base}/{name}")
                except OSError:
                    continue
                files[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
            for sub in folders_in.get(rel, ()):
                folders.add(sub)
                stack.append(sub)
            continue
        prefix = rel + "/" if rel else ""
        try:
            entries = os.scandir(path)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not rel and entry.name.startswith("."):
                    continue
                child = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(child)
                    stack.append(child)
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    continue
                files[child] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return files, folders, times


@dataclass
class Inputs:
    """Every input file of a build (absolute path -> (stat, hash)), and the folders.

    A stat of None means: seen too close to the scan to be trusted, hash again.
    """

    files: dict[str, tuple[Stat | None, str]]
    folders: frozenset[str]

    @classmethod
    def scan(cls, roots: list[Path], previous: "Inputs | None", later: Callable[[str], bool] | None = None) -> "Inputs":
        """Stat every file under ``roots``; hash those ``previous`` does not know as they are.

        ``later(path)``: files whose hash is left for :meth:`complete` (a first
        build hashes its texts in the processes that read them).
        """
        known = previous.files if previous else {}
        racy = time.time_ns() - RACY_NS
        files: dict[str, tuple[Stat | None, str]] = {}
        folders: set[str] = set()
        listing: dict[str, list] = {}
        deferred: list[str] = []
        for root in roots:
            found, subfolders = scan_tree(root, listing)
            base = str(root) + os.sep
            folders.add(str(root))
            folders.update(base + f for f in subfolders)
            for rel, found_stat in found.items():
                path = base + rel
                old = known.get(path)
                if old is not None and old[0] == found_stat:
                    digest = old[1]
                elif later is not None and later(path):
                    digest = None
                    deferred.append(path)
                else:
                    digest = hash_file(path)
                files[path] = (found_stat if found_stat[1] < racy else None, digest)
        inputs = cls(files, frozenset(folders))
        inputs._listing = listing
        inputs._deferred = deferred
        return inputs

    def updated(self, changed: set[str], roots: list[Path]) -> "Inputs":
        """These inputs after the changes a file watcher reported at ``changed`` (absolute paths).

        Only those paths are looked at: a file is stat'ed and hashed again (or
        forgotten if gone); a folder made, moved in or removed takes what is
        under it along (a renamed folder is reported as itself, not as its
        files). The same as :meth:`scan` would find, when every change was
        reported.
        """
        files, folders = dict(self.files), set(self.folders)
        bases = [str(root) for root in roots]
        racy = time.time_ns() - RACY_NS
        for path in sorted(set(changed)):
            base = next((b for b in bases if path == b or path.startswith(b + os.sep)), None)
            if base is None or path == base or any(part.startswith(".") for part in path[len(base) + 1:].split(os.sep)):
                continue  # not an input (outside the folders, a dot entry), or a watched folder itself
            inside = path + os.sep
            for known in [k for k in files if k.startswith(inside)] + ([path] if path in files else []):
                del files[known]
            folders.difference_update([f for f in folders if f == path or f.startswith(inside)])
            try:
                st = os.lstat(path)
            except OSError:
                continue  # gone
            if stat.S_ISDIR(st.st_mode):
                found, subfolders = scan_tree(Path(path))
                folders.add(path)
                folders.update(inside + f for f in subfolders)
                for rel, found_stat in found.items():
                    files[inside + rel] = (found_stat if found_stat[1] < racy else None, hash_file(inside + rel))
            else:
                try:
                    st = os.stat(path)
                except OSError:
                    continue  # a link to nothing: the scan skips it too
                found_stat = (st.st_size, st.st_mtime_ns, st.st_ino)
                files[path] = (found_stat if found_stat[1] < racy else None, hash_file(path))
            parent = os.path.dirname(path)
            while parent != base and parent not in folders:  # folders made on the way
                folders.add(parent)
                parent = os.path.dirname(parent)
        return type(self)(files, frozenset(folders))

    def complete(self, hash_of: Callable[[str], str | None]) -> None:
        """Give the files left by scan() their hash: ``hash_of(path)`` if it knows it, else hashed now."""
        for path in getattr(self, "_deferred", ()):
            stat, _ = self.files[path]
            self.files[path] = (stat, hash_of(path) or hash_file(path))
        self._deferred = []

    def __getstate__(self):  # the listing is for this build only: the record keeps files and folders
        return {"files": self.files, "folders": self.folders}

    def listing(self, folder: Path) -> list[tuple[str, bool, bool]] | None:
        """The visible entries of ``folder`` as the scan saw them, sorted; None if it did not list it."""
        found = getattr(self, "_listing", {}).get(str(folder))
        return sorted(found) if found is not None else None

    def hash_of(self, path: Path) -> str | None:
        entry = self.files.get(str(path))
        return entry[1] if entry else None

    def changed_since(self, other: "Inputs | None") -> list[str] | None:
        """The files whose contents differ from ``other``'s; None when files or folders came or went."""
        if other is None or self.folders != other.folders or self.files.keys() != other.files.keys():
            return None
        theirs = other.files
        return [path for path, entry in self.files.items() if entry[1] != theirs[path][1]]

    def same_as(self, other: "Inputs | None") -> bool:
        return self.changed_since(other) == []



def hash_file(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hash_bytes(handle.read())
    except OSError:
        return "unreadable"


def hash_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
