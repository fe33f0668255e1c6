"""The build's key: the generator's own code and the versions of the libraries that shape its output.

A record made by other code (another version of briefing, another Markdown)
is not used: the build is then clean, never wrong. Every module of every
subpackage of ``generator/`` is read.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

FORMAT = 3  # of the record: raised when what the cache keeps changes shape


def default_cache_dir(content: Path) -> Path:
    """``.cache/briefing`` in the site root (the content folder's parent)."""
    return Path(content).resolve().parent / ".cache" / "briefing"


# The libraries whose versions shape the output: (distribution, module).
LIBRARIES = (("jinja2", "jinja2"), ("markdown", "markdown"), ("babel", "babel"), ("pyyaml", "yaml"), ("markupsafe", "markupsafe"),
             ("pillow", "PIL"))


@functools.cache  # the code this process runs: read once (a build asks twice, the preview server at every build)
def code_fingerprint() -> str:
    """The generator's own source and the versions of the libraries that shape output."""
    here = Path(__file__).resolve().parent.parent  # the generator package: every module of every subpackage
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(here.rglob("*.py")):
        h.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name, version in library_versions():
        h.update(f"{name}={version}\0".encode())
    h.update(f"{FORMAT} {sys.version_info[:3]}".encode())
    return h.hexdigest()


def library_versions() -> list[tuple[str, str]]:
    """(distribution, version) of each library in LIBRARIES.

    Read from the ``<name>-<version>.dist-info`` folders beside the modules
    (one listing of site-packages); importlib.metadata, which scans every
    installed distribution, cost a rebuild 0.04 s. It is asked only for a
    library installed some other way (an editable install, say).
    """
    found: list[tuple[str, str]] = []
    listed: dict[str, list[str]] = {}
    for name, module in LIBRARIES:
        version = None
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.origin:
            folder = os.path.dirname(os.path.dirname(spec.origin))
            if folder not in listed:
                try:
                    listed[folder] = os.listdir(folder)
                except OSError:
                    listed[folder] = []
            normal = name.lower().replace("-", "_")
            candidates = set()
            for entry in listed[folder]:
                stem, _, kind = entry.rpartition(".")
                dist, dash, candidate = stem.partition("-")
                if kind == "dist-info" and dash and dist.lower().replace("-", "_") == normal:
                    candidates.add(candidate)
            if len(candidates) == 1:  # two: an old one left behind; let importlib.metadata choose
                version = candidates.pop()
        if version is None:
            from importlib import metadata
            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = "?"
        found.append((name, version))
    return found
