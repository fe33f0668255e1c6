"""``briefing init DIR``: copy the starter site into a new or empty folder.

A folder that already holds anything (a file, a folder, even a hidden one)
is refused and left exactly as it was: a site is never mixed into someone's
files, nor overwritten. The starter's files are read from the package
(``importlib.resources``), so an installed wheel has them too.
"""

from __future__ import annotations

import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

# Written beside content/: the build's output and cache are not part of the sources.
GITIGNORE = "# Made by `briefing build`: not sources.\n/site/\n/.cache/\n"


class InitError(Exception):
    """The folder cannot take a new site; the message says why and what to do."""


def starter_files() -> dict[str, bytes]:
    """The starter site: path relative to the site root -> bytes, in path order."""
    files: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith(".") or child.name == "__pycache__":
                continue
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            else:
                files[rel] = child.read_bytes()

    walk(resources.files(__package__) / "site", "")
    files[".gitignore"] = GITIGNORE.encode("utf-8")
    return dict(sorted(files.items()))


def init_site(target: Path) -> list[str]:
    """Write the starter site into ``target`` (created if missing); the paths written, relative to it."""
    target = Path(target)
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise InitError(f"{target} is a file, not a folder: give the name of a new folder")
        present = sorted(entry.name for entry in target.iterdir())
        if present:
            shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
            raise InitError(f"{target} is not empty (it holds {shown}): briefing init starts a site only in a new or "
                            "empty folder, so nothing of yours is overwritten; nothing was changed. Give another folder name.")
    files = starter_files()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel, data in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as error:
        raise InitError(f"cannot write into {target}: {error.strerror}") from None
    return list(files)


def cmd_init(args) -> int:
    try:
        written = init_site(Path(args.folder))
    except InitError as error:
        print(f"briefing init: {error}", file=sys.stderr)
        return 1
    print(f"a new site in {args.folder}/ ({len(written)} files). Next:\n"
          f"  cd {args.folder}\n"
          "  briefing serve     # a preview that reloads as you edit content/\n"
          "  briefing build     # the site, into site/\n"
          "Start with content/site.yaml (title, base_url), then the example briefing in content/briefings/.")
    return 0


def register(sub) -> None:
    p = sub.add_parser("init", help="start a new bilingual site in a new or empty folder")
    p.add_argument("folder", help="the folder of the new site (created if missing; must be empty if it exists)")
    p.set_defaults(func=cmd_init)
