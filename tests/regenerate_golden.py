"""Regenerate the golden output of the fixture site ``basic``.

Run ``python3 -m tests.regenerate_golden`` from the repository root after a
deliberate change to templates, catalogues, the generator or the fixture,
then review ``git diff tests/fixtures/basic/expected`` before committing:
the diff is exactly what the change does to a built site.

The search index (``<lang>/pagefind/``) is left out: it is Pagefind's
binary output, whose bytes change with Pagefind's version; what it finds,
and that it is the same for the same pages, is tested in
``tests/test_search_*.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic"
CONTENT = FIXTURE / "content"
EXPECTED = FIXTURE / "expected"
COMMAND = "python3 -m tests.regenerate_golden"


def main() -> int:
    # Imported here so that the test module can import the paths above cheaply.
    from generator.build import build
    from generator.content.errors import ContentError

    try:
        result = build(CONTENT, EXPECTED, search_index=False)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"wrote {result.written} files into {EXPECTED.relative_to(Path.cwd()) if EXPECTED.is_relative_to(Path.cwd()) else EXPECTED}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
