"""Write stage: the only code that touches the output folder.

``build`` renders new and changed pages into a staging folder beside the
output (:func:`staging_folder`; the renderers in ``parallel/pages.py`` write
them), and only once every page rendered without an error does
:func:`commit_site` move them in:

- a first build renames the staging folder into place (mode 0755);
- otherwise each new or changed file is moved in with a rename, files and
  folders that no page produces any more are deleted, and unchanged files
  are not touched at all (their mtimes stay, which keeps a rebuild of a
  large site cheap and a sync of it short). If a move fails, the moves
  done so far are undone: the previous output is as it was.

Either way a failed build leaves the previous output as it was, a
successful one leaves no stale file behind, and no staging folder is left.
Top-level dot entries of the output (``.git``, ``.well-known``) are not the
build's and are kept. A folder that holds anything a user wrote (the
content, templates, or unrelated files) is refused up front
(:func:`check_target`). Only a killed process can leave the output mixing
old and new files; the next build finds every file that differs from its
record and writes it again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class OutputError(Exception):
    """The output folder cannot be written; the message says why and what to do."""


SITE_MARKERS = ("index.html", "sitemap.xml")  # every built site has both at its root


def check_target(output: Path, protect: tuple[Path, ...] = ()) -> None:
    """Refuse an output folder whose replacement would lose something a user wrote (:class:`OutputError`)."""
    problem = target_problem(output, protect)
    if problem is not None:
        raise OutputError(problem)


def target_problem(folder: Path, protect: tuple[Path, ...] = (), who: str = "the build", option: str = "--output") -> str | None:
    """Why ``folder`` must not be made to hold exactly a built site, or None.

    The folder is replaced as a whole (by a build, or by publishing into a
    folder), so it must not be, hold or sit inside a protected folder (the
    content, the templates), and an existing folder must be empty or hold a
    site built before. ``who`` and ``option`` word the message.
    """
    if folder.exists() and not folder.is_dir():
        return f"{folder}: this is a file, not a folder: move it away or choose another {option}"
    resolved = folder.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve() or resolved == Path.cwd().resolve():
        return f"{folder}: refusing to replace this folder with a built site: choose a folder of its own, such as site"
    for kept in protect:
        kept = Path(kept).resolve()
        if resolved == kept or kept.is_relative_to(resolved):
            return f"{folder}: this folder holds {kept.name}/, which {who} would replace: choose a folder of its own, such as site"
        if resolved.is_relative_to(kept):
            return f"{folder}: the site cannot go inside {kept.name}/: choose a folder outside it, such as site"
    if folder.is_dir():
        entries = [entry.name for entry in os.scandir(folder) if not entry.name.startswith(".")]
        if entries and not all((folder / name).is_file() for name in SITE_MARKERS):
            shown = ", ".join(sorted(entries)[:3]) + (", ..." if len(entries) > 3 else "")
            return (f"{folder}: this folder holds other files ({shown}) and no built site, and {who} would "
                    "replace them: use a new or empty folder, or move those files away")
    return None


def staging_folder(output: Path, protect: tuple[Path, ...] = ()) -> Path:
    """A fresh folder beside ``output`` (the same file system: moves are renames)."""
    output = Path(output)
    check_target(output, protect)
    output = output.absolute()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    except OSError as error:
        raise OutputError(f"{output}: cannot create the output folder: {error.strerror}") from None


class Staging:
    """A staging folder beside the output: the render processes write changed pages into it, then
    :meth:`commit` moves them into place; leaving the ``with`` block without a commit discards it.

    ``flat``: the output exists, so pages are staged as ``<folder>/<number>`` and moved in one
    by one; otherwise the staging folder holds the site's tree and becomes the output.
    """

    def __init__(self, output: Path, protect: tuple[Path, ...] = ()):
        self.output = Path(output)
        self.flat = self.output.exists()
        self.folder: Path | None = staging_folder(self.output, protect)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc) -> None:
        if self.folder is not None:
            discard(self.folder)
            self.folder = None

    def commit(self, written: list[tuple[str, str]], keep: set[str], present: dict, folders: set[str]) -> None:
        """See :func:`commit_site`; the staging folder is gone afterwards."""
        folder, self.folder = self.folder, None
        commit_site(folder, self.output, written, keep, present, folders)

    def add(self, path: str, data: bytes) -> tuple[str, tuple[int, int, int]]:
        """Stage a file the page renderers did not make (the search index) for :meth:`commit`, as the
        site's ``path``: its name in the staging folder, and its (size, mtime_ns, inode) (a move keeps them)."""
        name = ADDED + path if self.flat else path  # flat: beside the pages' numbered files, never one of them
        return name, stage_file(self.folder, name, data)


# Where :meth:`Staging.add` puts files in a flat staging folder.
ADDED = "added/"


def stage_file(staging: Path, name: str, data: bytes, path: str | None = None) -> tuple[int, int, int]:
    """Write one file of the site into the staging folder: a page (the render processes write
    theirs), or a file the pages' renderers did not make (the search index).

    ``name`` is its name there: its path in the site when the staging folder
    holds the site's tree, else any name that is not a page's (see
    ``commit_site``); ``path``, its path in the site if that is not ``name``
    (for the message if it cannot be written). Returns its (size, mtime_ns,
    inode): moving it into the output keeps them.
    """
    target = staging / name
    try:
        if "/" in name:  # (the staging folder itself exists: a page's own mkdir is a system call per page)
            target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
            handle.flush()
            st = os.fstat(handle.fileno())
    except OSError as error:  # a full disk, say: nothing has reached the output yet
        raise OutputError(f"{output_of(staging)}: cannot write {path or name} ({error.strerror}); "
                          "the previous output is unchanged") from None
    return st.st_size, st.st_mtime_ns, st.st_ino


def output_of(staging: Path) -> Path:
    """The output folder a staging folder made by :func:`staging_folder` is for."""
    return staging.parent / staging.name[1:].rpartition(".new-")[0]


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def commit_site(staging: Path, output: Path, written: list[tuple[str, str]], keep: set[str], present: dict, folders: set[str]) -> None:
    """Make ``output`` hold exactly ``keep``, moving ``written`` in from ``staging``.

    ``written`` pairs a file's name in the staging folder with its path in
    the site. When ``output`` does not exist yet the staging folder holds the
    site's tree and becomes the output in one rename. ``present`` and
    ``folders`` are the files and folders ``output`` holds now (relative
    paths, top-level dot entries left out: those are kept); files and
    folders outside ``keep`` are deleted. If a move fails, the moves done so
    far are undone and :class:`OutputError` says so; the staging folder is
    gone either way.
    """
    output = Path(output).absolute()
    try:
        if not output.exists():
            os.chmod(staging, 0o755)
            os.rename(staging, output)
            return
        undo = _Undo(output, staging / ".replaced")
        try:
            _commit_into(undo, staging, output, written, keep, present, folders)
        except OSError as error:
            if undo.rollback():
                raise OutputError(f"{output}: cannot write the site ({error.strerror}); the previous output is unchanged") from None
            raise OutputError(f"{output}: cannot write the site ({error.strerror}), and the files already moved "
                              "could not all be put back: run the build again to complete it") from None
    except OSError as error:
        raise OutputError(f"{output}: cannot write the site ({error.strerror}); the previous output is unchanged") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _commit_into(undo: "_Undo", staging: Path, output: Path, written: list[tuple[str, str]], keep: set[str],
                 present: dict, folders: set[str]) -> None:
    mode = os.stat(output).st_mode & 0o7777
    if mode & 0o755 != 0o755:  # a folder made by hand (mkdir with a strict umask): the site is meant to be served
        os.chmod(output, mode | 0o755)
        undo.log.append(("mode", "", mode))
    for rel in sorted(set(present) - keep):
        undo.move_away(rel)
    needed = set()
    for rel in keep:
        parent = rel.rpartition("/")[0]
        while parent and parent not in needed:
            needed.add(parent)
            parent = parent.rpartition("/")[0]
    # Deepest first: a stale folder is empty of files by now, and moved away whole.
    for rel in sorted(set(folders) - needed, key=lambda f: f.count("/"), reverse=True):
        if (output / rel).is_dir():
            undo.move_away(rel)
    made: set[str] = set(folders) & needed
    for staged, rel in written:
        parent = rel.rpartition("/")[0]
        if parent and parent not in made:
            undo.make_folders(parent)
            made.add(parent)
        undo.replace(staging / staged, rel, rel in present)


class _Undo:
    """The moves of a commit, in order, so that a failed one can be taken back.

    A deleted file or folder is moved aside (into the staging folder: a
    rename), and a replaced file keeps a hard link there, so putting the
    previous site back restores the same files, with the same times (the
    times of the folders they were in are put back too).
    """

    def __init__(self, output: Path, aside: Path):
        self.output = output
        self.aside = aside
        self.log: list[tuple[str, str, object]] = []
        self.times: dict[Path, tuple[int, int]] = {}

    def _changing(self, folder: Path) -> None:
        if folder not in self.times:
            st = os.stat(folder)
            self.times[folder] = (st.st_atime_ns, st.st_mtime_ns)

    def _spare(self) -> Path:
        if not self.aside.exists():
            self.aside.mkdir()
        return self.aside / str(len(self.log))

    def move_away(self, rel: str) -> None:
        spare = self._spare()
        self._changing((self.output / rel).parent)
        os.rename(self.output / rel, spare)
        self.log.append(("moved", rel, spare))

    def make_folders(self, rel: str) -> None:
        missing = []
        folder = self.output / rel
        while not folder.is_dir():
            missing.append(folder)
            folder = folder.parent
        self._changing(folder)
        for folder in reversed(missing):
            folder.mkdir()
            self.log.append(("made", str(folder.relative_to(self.output)), None))

    def replace(self, staged: Path, rel: str, existed: bool) -> None:
        target = self.output / rel
        self._changing(target.parent)
        spare = None
        if existed:
            spare = self._spare()
            try:
                os.link(target, spare)
            except FileNotFoundError:
                spare = None  # gone since the folder was listed: nothing to put back
            except OSError:
                shutil.copy2(target, spare)  # a file system without hard links
        os.replace(staged, target)
        self.log.append(("replaced", rel, spare))

    def rollback(self) -> bool:
        """Undo every logged step, last first; False if one could not be undone."""
        whole = True
        for kind, rel, detail in reversed(self.log):
            target = self.output / rel
            try:
                if kind == "replaced" and detail is None:
                    os.unlink(target)
                elif kind == "replaced":
                    os.replace(detail, target)
                elif kind == "moved":
                    os.rename(detail, target)
                elif kind == "made":
                    os.rmdir(target)
                elif kind == "mode":
                    os.chmod(self.output, detail)
            except OSError:
                whole = False
        for folder, times in self.times.items():
            try:
                os.utime(folder, ns=times)
            except OSError:
                pass  # a folder's time is not worth a failure of its own
        return whole
