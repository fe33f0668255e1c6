"""Write stage: the only code that touches the output folder.

Two ways, with the same guarantees: a failed build leaves the previous
output as it was, and a successful one leaves no stale file behind.
Top-level dot entries of the output (``.git``, ``.well-known``) are not the
build's and are kept. A folder that holds anything a user wrote (the
content, templates, or unrelated files) is refused up front.

- :func:`write_site` writes every file into a fresh temporary folder beside
  the output and swaps it in with renames once every file is written.
- :func:`commit_site` is what ``build`` uses: new and changed files were
  written into such a staging folder by the renderers (``parallel.py``),
  and only after everything rendered successfully are they moved into the
  output, a rename each; files that no page produces any more are deleted.
  Unchanged files are not touched at all (their mtimes stay), which keeps a
  rebuild of a large site cheap and a sync of it short. If the process is
  killed during the moves, the output mixes old and new files; the next
  build finds every file that differs from its record and writes it again.
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
    """Refuse an output folder whose replacement would lose something a user wrote.

    The output is replaced as a whole, so it must not be, hold or sit inside
    a protected folder (the content, the templates), and an existing folder
    must be empty or hold a site built before.
    """
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: this is a file, not a folder: move it away or choose another --output")
    resolved = output.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve() or resolved == Path.cwd().resolve():
        raise OutputError(f"{output}: refusing to replace this folder with a built site: choose a folder of its own, such as site")
    for kept in protect:
        kept = Path(kept).resolve()
        if resolved == kept or kept.is_relative_to(resolved):
            raise OutputError(f"{output}: this folder holds {kept.name}/, which the build would replace: choose a folder of its own, such as site")
        if resolved.is_relative_to(kept):
            raise OutputError(f"{output}: the output cannot be inside {kept.name}/: choose a folder outside it, such as site")
    if output.is_dir():
        entries = [entry.name for entry in os.scandir(output)]
        entries = [name for name in entries if not name.startswith(".")]
        if entries and not all((output / name).is_file() for name in SITE_MARKERS):
            shown = ", ".join(sorted(entries)[:3]) + (", ..." if len(entries) > 3 else "")
            raise OutputError(
                f"{output}: this folder holds other files ({shown}) and no built site, and the build would "
                "replace them: build into a new or empty folder, or move those files away")


def _carry_dot_entries(old: Path, staging: Path, files: dict[str, bytes]) -> list[str]:
    """Move top-level dot entries (.git, .well-known) of the previous output into the new one.

    They belong to whoever serves or publishes the folder, not to the build.
    """
    kept = []
    for entry in sorted(os.listdir(old)):
        if entry.startswith(".") and entry not in files and not (staging / entry).exists():
            os.rename(old / entry, staging / entry)
            kept.append(entry)
    return kept


def write_site(files: dict[str, bytes], output: Path, protect: tuple[Path, ...] = ()) -> int:
    """Replace ``output`` with exactly ``files``; returns the number written.

    ``protect`` lists folders the output must neither be, hold nor sit in.
    """
    output = Path(output)
    if output.is_symlink():
        output = output.resolve()  # replace the folder the link points to, keep the link
    check_target(output, protect)
    output = output.absolute()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    except OSError as error:
        raise OutputError(f"{output}: cannot create the output folder: {error.strerror}") from None
    try:
        for rel, data in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)
        if output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
            old.rmdir()
            os.rename(output, old)
            kept = _carry_dot_entries(old, staging, files)
            try:
                os.rename(staging, output)
            except OSError:
                for name in kept:
                    os.rename(staging / name, old / name)
                os.rename(old, output)  # put the previous site back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, output)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{output}: cannot write the site ({error.strerror}); the previous output is unchanged") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(files)


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


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def commit_site(staging: Path, output: Path, written: list[tuple[str, str]], keep: set[str], present: dict, folders: set[str]) -> None:
    """Make ``output`` hold exactly ``keep``, moving ``written`` in from ``staging``.

    ``written`` pairs a file's name in the staging folder with its path in
    the site. When ``output`` does not exist yet the staging folder holds the
    site's tree and becomes the output in one rename. ``present`` and
    ``folders`` are the files and folders ``output`` holds now (relative
    paths, top-level dot entries left out: those are kept); files and
    folders outside ``keep`` are deleted.
    """
    output = Path(output).absolute()
    try:
        if not output.exists():
            os.chmod(staging, 0o755)
            os.rename(staging, output)
            return
        for rel in sorted(set(present) - keep):
            os.unlink(output / rel)
        needed = set()
        for rel in keep:
            parent = rel.rpartition("/")[0]
            while parent and parent not in needed:
                needed.add(parent)
                parent = parent.rpartition("/")[0]
        for rel in sorted(set(folders) - needed, key=lambda f: f.count("/"), reverse=True):
            shutil.rmtree(output / rel, ignore_errors=True)
        made: set[str] = set()
        for staged, rel in written:
            target = output / rel
            parent = rel.rpartition("/")[0]
            if parent and parent not in folders and parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(parent)
            os.replace(staging / staged, target)
    except OSError as error:
        raise OutputError(f"{output}: cannot write the site ({error.strerror}); run the build again to complete it") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
