"""Golden output: a fresh build of fixture ``basic`` equals the committed one.

``tests/fixtures/basic/expected/`` holds the built site, byte for byte. Any
change to what the generator writes shows up here as a failing test with a
diff; when the change is intended, regenerate with
``python3 -m tests.regenerate_golden`` and commit the reviewed diff.
"""

from __future__ import annotations

import difflib

from generator.build import build

from tests.regenerate_golden import COMMAND, CONTENT, EXPECTED


def _diff(rel: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(), actual.decode("utf-8", "replace").splitlines(),
        f"expected/{rel}", f"built/{rel}", lineterm="", n=2,
    )
    return "\n".join(list(lines)[:60])


def test_fresh_build_matches_the_golden_output_byte_for_byte():
    assert EXPECTED.is_dir(), f"no golden output yet: run {COMMAND}"
    built = build(CONTENT, search_index=False).files  # the search index: tests/test_search_*.py
    committed = {p.relative_to(EXPECTED).as_posix(): p.read_bytes() for p in sorted(EXPECTED.rglob("*")) if p.is_file()}
    hint = f"\nIf this change is intended, run `{COMMAND}` and review the diff."
    assert sorted(built) == sorted(committed), (
        f"files differ: missing {sorted(set(committed) - set(built))}, new {sorted(set(built) - set(committed))}{hint}")
    changed = [rel for rel in sorted(built) if built[rel] != committed[rel]]
    assert not changed, f"{len(changed)} file(s) differ from the golden output:\n" + _diff(changed[0], committed[changed[0]], built[changed[0]]) + hint
