"""Write stage: the only code that touches the output folder.

The site is written into a fresh temporary folder beside the output and
swapped in with renames only once every file is written, so a failed or
interrupted build leaves the previous output as it was, and a successful one
leaves no stale file behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class OutputError(Exception):
    pass


def _check_target(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: output exists and is not a folder")
    if output.resolve() == Path(output.anchor).resolve() or output.resolve() == Path.home().resolve():
        raise OutputError(f"{output}: refusing to replace this folder with a built site")


def write_site(files: dict[str, bytes], output: Path) -> int:
    """Replace ``output`` with exactly ``files``; returns the number written."""
    _check_target(output)
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
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
            try:
                os.rename(staging, output)
            except OSError:
                os.rename(old, output)  # put the previous site back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(files)
