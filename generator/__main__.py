"""Allows ``python -m generator``."""

import gc
import sys

# `build` and `check` are short processes that never collect cycles (cli.py):
# stop the collector before the imports too, which allocate a great deal.
if sys.argv[1:2] in (["build"], ["check"]):
    gc.disable()

from .cli.main import run  # noqa: E402

run()
