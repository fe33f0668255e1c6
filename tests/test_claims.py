"""Chunks claimed by whichever process is free (generator/claims.py)."""

from __future__ import annotations

import multiprocessing

import pytest

from generator.parallel.claims import Claims

pytestmark = pytest.mark.slow  # several processes


@pytest.mark.parametrize("processes", [2, 3])
def test_processes_claim_every_chunk_once(processes):
    # Chunks are claimed, not dealt out: whoever is free reads the next one, so all finish together.
    context = multiprocessing.get_context("fork")
    global _CLAIMS
    _CLAIMS = claims = Claims(context, 200)  # shared as the build shares it: inherited by fork
    with context.Pool(processes) as pool:
        theirs = pool.map(_claim_all, range(processes))
        mine = _claim_all(0)
    claimed = [c for chunk in theirs + [mine] for c in chunk]
    assert sorted(claimed) == list(range(200))
    assert claims.next() is None


_CLAIMS = None


def _claim_all(_) -> list[int]:
    found = []
    while (claimed := _CLAIMS.next()) is not None:
        found.append(claimed)
    return found
