"""Replace one file atomically: readers see the old bytes or the new, never half.

Used for files editors and servers keep (catalogues, the translation record,
a mirrored site): a crash while writing leaves the previous file whole.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_file(path: Path, data: bytes, prefix: str | None = None, suffix: str = ".tmp") -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    ``prefix`` names the temporary file (default ``.<name>-``). The file is
    made readable by everyone (mode 644), as the file it replaces was:
    mkstemp alone would leave it private.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}-" if prefix is None else prefix, suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
